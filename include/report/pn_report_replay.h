/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_report_replay.h -- a trace replay's report: the 2009 lines over time, rejections, wake-ups, every policy side by side, JSON, CSV and the time series. */
#ifndef PN_REPORT_REPLAY_H
#define PN_REPORT_REPLAY_H

#include <stddef.h>
#include <stdio.h>

#include "question/pn_query.h"
#include "replay/pn_replay.h"
#include "report/pn_cost.h"
#include "report/pn_report.h"
#include "base/pn_status.h"

/* Everything a replay's report shows: one result, or one per policy. */
typedef struct pn_replay_report_input {
    const pn_query *fleet;            /* the fleet (its groups) or -h/-p */
    const char *trace;                /* the trace as the user named it */
    const pn_replay_result *results;
    size_t count;                     /* 1, or PN_POLICIES for --simulate all */
    bool all;                         /* --simulate all: the side-by-side table / "policies" */
    const pn_cost_input *cost;        /* may be NULL or not wanted */
} pn_replay_report_input;

/* Writes the report in `format` to out and flushes it. Text: the heading,
 * for one policy the share of time with k hosts napping (the 2009 lines,
 * rows of no time left out), the expected savings, the cost, then the
 * rejections, wake-ups and peak of awake hosts; for every policy a table
 * of them side by side. JSON: the members policy, hosts, vms, rejected,
 * wakeups, peak_awake_hosts, window [from, to], napping_time_fraction (H+1
 * numbers), expected_napping_hosts, expected_savings_percent and, with
 * --watts and --price (or a fleet's watts and --price), cost; every policy:
 * {"policies": [...]}. CSV: one row per policy. PN_ERR_IO when a write fails. */
pn_status pn_replay_report_write(FILE *out, pn_format format, const pn_replay_report_input *in,
                                 pn_error *err);

/* Writes r's time series as CSV: from,to,mean_guests,mean_awake_hosts,
 * mean_napping_hosts and, when the hosts' watts are known (a fleet with
 * @WATTS, or --watts), energy_kwh (awake hosts at their watts, napping ones
 * at --idle-watts, over the row). Each row's means times its length add up
 * to the totals. PN_ERR_IO when a write fails. */
pn_status pn_replay_series_write(FILE *out, const pn_replay_result *r, const pn_cost_input *cost,
                                 pn_error *err);

#endif
