/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_report_simulate.h -- a scheduler simulation's report: the 2009 lines with confidence half-widths, JSON or CSV. */
#ifndef PN_REPORT_SIMULATE_H
#define PN_REPORT_SIMULATE_H

#include <stdio.h>

#include "report/pn_cost.h"
#include "report/pn_report.h"
#include "simulate/pn_simulate.h"
#include "simulate/pn_simulate_stats.h"
#include "base/pn_status.h"

/* Everything a simulation's report shows. */
typedef struct pn_sim_report_input {
    const pn_sim_query *query;
    const pn_sim_summary *summary;
    const char *engine;         /* run->engine_used */
    const pn_cost_input *cost;  /* may be NULL or not wanted */
} pn_sim_report_input;

/* Writes the report in `format` to out and flushes it: text keeps the 2009
 * lines, each followed by its 95% half-width in percentage points, then the
 * share of time at the guests, the all-time expected savings, the wake-ups
 * and how the simulation ran; JSON and CSV carry the integer counts.
 * PN_ERR_IO when the write fails, naming the error. */
pn_status pn_sim_report_write(FILE *out, pn_format format, const pn_sim_report_input *in,
                              pn_error *err);

#endif
