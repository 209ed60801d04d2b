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

/* The most hosts that can nap with `guests` guests packed: a homogeneous
 * cloud h - ceil(g/p) (h when g = 0); a fleet fills its largest hosts first
 * (among equal capacities, the least power-hungry first, so the hungrier
 * ones nap), and the hosts it never reaches nap. The share is 100*napping/h,
 * or, for a weighted fleet, the correctly rounded 100 * (watts of the
 * napping hosts) / (the fleet's watts). guests <= pn_query_capacity(q). */
pn_consolidation pn_consolidation_of(const pn_query *q, uint64_t guests);

#endif
