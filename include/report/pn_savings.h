/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_savings.h -- what napping saves, read from a histogram: per row, expected, and per group of a fleet. */
#ifndef PN_SAVINGS_H
#define PN_SAVINGS_H

#include <stdint.h>

#include "question/pn_histogram.h"
#include "question/pn_query.h"

/* The savings of the row with k napping hosts, in percent: 100*k/h, or for
 * a weighted mixed fleet the expected napping share of the fleet's power
 * given k (from the napping sums), correctly rounded; an empty row (no
 * scenario has k napping hosts) is 100*k/h in both, its hosts counted as
 * average ones. */
double pn_savings_row_percent(const pn_query *q, const pn_histogram *hist, uint64_t k);

/* The expected savings in percent: pn_histogram_expected_percent, or for a
 * weighted mixed fleet the expected napping share of its power. */
double pn_savings_expected_percent(const pn_query *q, const pn_histogram *hist);

/* Expected napping hosts: of group j of a mixed fleet when j < hist->groups,
 * of the whole cloud when j == PN_SAVINGS_ALL_GROUPS. 0 for an empty histogram. */
#define PN_SAVINGS_ALL_GROUPS (~0u)
double pn_savings_napping_hosts(const pn_histogram *hist, unsigned j);

/* The expected napping watts: sum over groups of watts_j times their
 * expected napping hosts (q weighted and mixed), else napping hosts times
 * `watts`. For the cost lines. */
double pn_savings_napping_watts(const pn_query *q, const pn_histogram *hist, double watts);

#endif
