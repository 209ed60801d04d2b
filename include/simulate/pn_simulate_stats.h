/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_simulate_stats.h -- what a simulation's counts say: probabilities, expected savings and wake-ups, each with a 95% confidence half-width by batch means. */
#ifndef PN_SIMULATE_STATS_H
#define PN_SIMULATE_STATS_H

#include <stdint.h>

#include "simulate/pn_simulate.h"
#include "base/pn_status.h"

/* A figure and its 95% confidence half-width, in the same unit; the
 * half-width is NaN when there is a single batch (nothing to compare). */
typedef struct pn_sim_estimate {
    double value;
    double ci95;
} pn_sim_estimate;

/* The summary a report prints. "Reported" ticks are those at exactly the
 * query's guests, or every observed tick when it has none. */
typedef struct pn_sim_summary {
    uint64_t hosts;
    uint64_t *counts;            /* hosts+1 reported ticks by napping hosts */
    uint64_t reported;           /* their sum */
    uint64_t *all_counts;        /* hosts+1 observed ticks at any load */
    uint64_t observed;           /* their sum: trajectories * ticks */
    uint64_t wakeups;
    pn_sim_estimate *probability; /* hosts+1, fractions 0..1 */
    pn_sim_estimate expected;     /* reported expected savings, percent */
    pn_sim_estimate all_expected; /* expected savings over all time, percent */
    pn_sim_estimate time_at_guests; /* share of the time at exactly guests (0..1) */
    pn_sim_estimate wakeups_per_host; /* per host per mean guest lifetime */
} pn_sim_summary;

/* Summarises result r of query q into s (which the caller clears with
 * pn_sim_summary_clear). Each value is the ratio of the sums over batches
 * (probabilities and percentages the correctly rounded double of the exact
 * ratio); its half-width is Student's t for batches - 1 degrees of freedom
 * times the standard error of that ratio estimated from the batches. With a
 * query that has guests, PN_ERR_USAGE when the cloud never held exactly that
 * many (nothing to report). PN_ERR_NOMEM when allocation fails. */
pn_status pn_sim_summarize(const pn_sim_query *q, const pn_sim_result *r, pn_sim_summary *s,
                           pn_error *err);

/* Frees what pn_sim_summarize allocated; safe on a zeroed summary. */
void pn_sim_summary_clear(pn_sim_summary *s);

/* The 97.5% quantile of Student's t with df degrees of freedom (df >= 1):
 * the factor of a two-sided 95% interval; NaN for df 0. */
double pn_student_t975(unsigned df);

#endif
