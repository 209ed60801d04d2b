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
 * the scenarios with index in the range, guest sum g_i and k empty hosts. Index i means host j runs digit j of i in
 * base p+1, host 0 least significant, as every enumerating engine decodes it.
 *
 * A digit DP over the range's bounds with closed-form counts of the free low
 * digits: O(h^3) big-number terms for uniform whatever p, and for slots at
 * most min(g, h*p - g) + 1 terms more per digit. q must be resolved with a
 * keyspace below 2^64, and the range must lie inside it (PN_ERR_USAGE
 * otherwise). Homogeneous clouds only: a mixed fleet is PN_ERR_USAGE (its
 * slices are refused, so --verify of a slice never meets one). */
pn_status pn_exact_range_count(const pn_query *q, uint64_t first, uint64_t count,
                               pn_histogram *hists, pn_error *err);

#endif
