/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_report_levels.h -- the report of many guest counts at once: a sweep's table, a load curve's time-weighted answer. */
#ifndef PN_REPORT_LEVELS_H
#define PN_REPORT_LEVELS_H

#include <stdio.h>

#include "question/pn_levels.h"
#include "report/pn_report.h"

/* A sweep (load_curve NULL) or a load curve's answer: hists[i] is the
 * histogram of levels->guests[i]. */
typedef struct pn_levels_report {
    const pn_query *query;
    const pn_levels *levels;
    const pn_histogram *hists;
    const char *engine;
    const pn_cost_input *cost; /* may be NULL or not wanted */
    const char *load_curve;    /* the curve's path, or NULL for a sweep */
} pn_levels_report;

/* Writes the report: text, one line per level with its expected savings and
 * the packing bound (a load curve: each level's share of the time, then the
 * time-weighted expected value and, with a cost, the kWh and money saved a
 * year); CSV, one row per level, columns beginning guests,
 * expected_savings_percent, consolidation_savings_percent, with the cost
 * columns last; JSON, one object with format_version and tool holding the
 * single-level documents under "levels" (a load curve's adds its path,
 * hours, weighted savings and cost, its levels' costs each for their share
 * of the year). PN_ERR_IO when the write fails. */
pn_status pn_report_levels_write(FILE *out, pn_format format, const pn_levels_report *in,
                                 pn_error *err);

/* The time-weighted expected savings in percent: sum of hours_i times the
 * expected savings at level i, over the curve's hours (a sweep: the plain
 * mean). */
double pn_report_levels_overall(const pn_levels_report *in);

/* Level i's single-g report input (its query, with guests set, in *q). */
pn_report_input pn_report_levels_input(const pn_levels_report *in, size_t i, pn_query *q);

#endif
