/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_range_fleet.h -- private to exact_range*.c: the range count of a mixed fleet. */
#ifndef PN_EXACT_RANGE_FLEET_H
#define PN_EXACT_RANGE_FLEET_H

#include <stdint.h>

#include "question/pn_histogram.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* pn_exact_range_count for a mixed fleet (q->per_host_bases), every level
 * in one walk: adds to hists[i] the bins and, when the histograms carry
 * them, each group's napping sums of indices [first, first + count) at
 * level i. The caller has checked that q is resolved, its keyspace below
 * 2^64 and the range inside it. PN_ERR_NOMEM when memory runs out (hists
 * then hold a partial count). */
pn_status pn_exact_range_fleet_count(const pn_query *q, uint64_t first, uint64_t count,
                                     pn_histogram *hists, pn_error *err);

#endif
