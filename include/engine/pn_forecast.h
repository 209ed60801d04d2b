/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_forecast.h -- --estimate: what each engine would take on a question, from short measured runs, and what auto would pick. */
#ifndef PN_FORECAST_H
#define PN_FORECAST_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/pn_engine.h"
#include "engine/pn_exact_cost.h"
#include "base/pn_progress.h"

/* Everything --estimate prints. Rates are measured (the engine run on a
 * short slice of this very question), not guessed; the exact engine's cost
 * comes from its closed-form estimate. */
typedef struct pn_forecast {
    char keyspace[96];          /* "5^10 = 9765625" */
    uint64_t scenarios;         /* the range an enumeration would examine */
    bool enumerable;
    char why_not[PN_ERROR_MAX];   /* when not enumerable */
    pn_rate_sample cpu;
    bool opencl_ok;
    char opencl_problem[PN_ERROR_MAX]; /* when no OpenCL device could be measured */
    unsigned devices;
    pn_rate_sample device[PN_PROGRESS_MAX_DEVICES];
    double opencl_rate;         /* all chosen devices together */
    pn_exact_cost exact;
    pn_engine_kind auto_kind;   /* what auto would run */
    double auto_seconds;        /* the brute-force estimate auto judged by */
    bool auto_measured;         /* auto_seconds from the measured rate, not auto's table */
} pn_forecast;

/* Measures and estimates q (resolved) for every engine; only what a rate
 * needs runs (well under a few seconds). Failures of an OpenCL device are
 * reported in the forecast, not as an error; PN_ERR_INTERRUPTED on Ctrl-C. */
pn_status pn_forecast_make(const pn_query *q, pn_run *run, pn_forecast *out, pn_error *err);

/* Writes the forecast for people, one engine per line. PN_ERR_IO on a
 * failed write. */
pn_status pn_forecast_write(FILE *out, const pn_forecast *f, pn_error *err);

#endif
