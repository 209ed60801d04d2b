/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_schedule.h -- one plan across the devices in timed chunks, sized so they finish together. */
#ifndef PN_OPENCL_SCHEDULE_H
#define PN_OPENCL_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <CL/cl.h>

#include "opencl/pn_opencl_plan.h"
#include "base/pn_progress.h"
#include "base/pn_status.h"

/* A chunk a device is running. */
typedef struct pn_opencl_job {
    int kind;
    uint64_t start, units, scenarios;
    double started; /* host clock, before the enqueue */
    cl_event done;
} pn_opencl_job;

/* One device as the scheduler drives it. The caller sets queue, group and
 * kernel (both kernels with their plan's fixed arguments) before a plan
 * runs; the rest is the scheduler's. A queue made with
 * CL_QUEUE_PROFILING_ENABLE has each chunk timed on the device's clock,
 * from its enqueue to its end; otherwise the host's clock times it from
 * before the enqueue to when the scheduler sees it end. */
typedef struct pn_opencl_worker {
    cl_command_queue queue;
    size_t group;            /* work-group size used for both kernels */
    cl_kernel kernel[2];     /* count_indices, count_prefixes */
    double rate[2];          /* measured scenarios/s per kernel, 0 = unknown */
    uint64_t last_units[2];  /* size of the previous chunk per kernel */
    uint64_t done;           /* scenarios finished this plan */
    double busy;             /* seconds spent running chunks this plan */
    double launch_seconds;   /* host seconds the last launch took (enqueue and flush) */
    bool running;
    pn_opencl_job job;
} pn_opencl_worker;

/* Forgets what the worker measured on the previous plan. */
void pn_opencl_worker_reset(pn_opencl_worker *w);

/* Runs every segment of pl across the n workers: each idle worker takes the
 * next chunk, sized to take about 0.1 s at its measured rate, and progress
 * (done, total, rate and work done per device) is reported after each
 * finished chunk. A chunk's time includes its enqueue and flush, so a
 * device that runs the kernel inside clFlush (POCL's basic) is timed
 * truly, and such devices are launched after the others each round.
 * Returns with no chunk running. PN_ERR_INTERRUPTED, saying how many of the
 * plan's scenarios were done, when progress->cancel stopped it. */
pn_status pn_opencl_schedule_run(pn_opencl_worker *w, unsigned n, const pn_plan *pl,
                                 const pn_progress *progress, pn_error *err);

/* Lets every running chunk end (after an error or a cancel); a failure is
 * recorded in *st only when *st is still PN_OK. */
void pn_opencl_schedule_drain(pn_opencl_worker *w, unsigned n, pn_status *st, pn_error *err);

#endif
