/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_consolidation.h -- the packing bound: how many hosts could nap if a scheduler packed the guests perfectly. */
#ifndef PN_CONSOLIDATION_H
#define PN_CONSOLIDATION_H

#include <stdint.h>

#include "question/pn_query.h"

/* What perfect consolidation of g guests gives. */
typedef struct pn_consolidation {
    uint64_t napping;       /* hosts left empty */
    double savings_percent; /* their share of the hosts, or of the fleet's power when weighted */
} pn_consolidation;

/* What a perfect scheduler of `guests` guests gives. A homogeneous cloud
 * naps h - ceil(g/p) hosts (h when g = 0); a fleet without watts fills its
 * largest hosts first and the hosts it never reaches nap, the most hosts
 * that can; the share is 100*napping/h. A weighted fleet keeps awake the
 * hosts of least total power that hold the guests (a bounded knapsack over
 * the groups, solved by branch and bound; hosts of capacity 0 always nap),
 * and the share is the correctly rounded 100 * (watts of the napping hosts)
 * / (the fleet's watts), so it is never below the expected value of any
 * placement. Should the search outgrow its budget (millions of nodes, not
 * met by real fleets), the share is the linear relaxation's, still a bound.
 * guests <= pn_query_capacity(q). */
pn_consolidation pn_consolidation_of(const pn_query *q, uint64_t guests);

#endif
