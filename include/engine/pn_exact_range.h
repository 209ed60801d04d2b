/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_exact_range.h -- exact counts of the scenarios in one index range of the keyspace, without enumerating it. */
#ifndef PN_EXACT_RANGE_H
#define PN_EXACT_RANGE_H

#include <stdint.h>

#include "question/pn_histogram.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* Adds to hists[i] (one per level of q, as pn_histograms_init makes them)
 * what an enumerating engine finds in indices [first, first + count) of q's
 * keyspace: bins[k] gains the number (uniform) or total weight (slots) of
 * the scenarios with index in the range, guest sum g_i and k empty hosts,
 * and, for a mixed fleet whose histograms carry them, each group's napping
 * sums (weight times the group's empty hosts; histograms without them are
 * filled with bins alone). Index i means host j runs digit j of i in base
 * c_j + 1 (p + 1 for a homogeneous cloud), host 0 least significant, as
 * every enumerating engine decodes it.
 *
 * A digit DP over the range's bounds. A homogeneous cloud counts the free
 * low digits in closed form: O(h^3) big-number terms for uniform whatever
 * p, and for slots at most min(g, h*p - g) + 1 terms more per digit. A mixed
 * fleet counts them with inclusion-exclusion terms (k empty, E capacity
 * past), built host by host and shared by both bounds and every level: per
 * host of capacity >= 1 and level, O(terms * groups) big-number operations,
 * terms at most (h+1) times the distinct sums of capacities within g
 * (uniform) or within the fleet (slots). q must be resolved with a keyspace
 * below 2^64, and the range must lie inside it (PN_ERR_USAGE otherwise);
 * PN_ERR_NOMEM when memory runs out. */
pn_status pn_exact_range_count(const pn_query *q, uint64_t first, uint64_t count,
                               pn_histogram *hists, pn_error *err);

#endif
