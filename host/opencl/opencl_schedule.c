/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_schedule.c -- one plan across the devices in ~0.1 s chunks, each share sized by measured speed. */
#include "opencl/pn_opencl_schedule.h"
#include "base/pn_duration.h"
#include "base/pn_pace.h"
#include "opencl/pn_opencl_error.h"
#include "opencl/pn_opencl_kernels.h"

#include <time.h>

/* Seconds one launch should take: short enough for GPU watchdogs and for a
 * cancel to be noticed well within a second, long enough to hide launch cost. */
#define TARGET_SECONDS 0.1
/* Scenarios in a device's first launch of a plan, before any timing exists. */
#define FIRST_CHUNK_SCENARIOS (1u << 18)
/* A chunk grows at most this factor per launch while rates settle. */
#define MAX_GROWTH 4.0

/* Where the devices are in the plan's segments, and how the run is going. */
typedef struct cursor {
    int seg;
    uint64_t offset;
    uint64_t done, total; /* scenarios */
    double started;
} cursor;

/* The workers and what they run: one plan, reporting to one progress. */
typedef struct crew {
    pn_opencl_worker *w;
    unsigned n;
    const pn_plan *pl;
    const pn_progress *progress;
} crew;

void pn_opencl_worker_reset(pn_opencl_worker *w)
{
    w->done = 0;
    w->busy = 0;
    w->launch_seconds = 0;
    w->running = false;
    w->rate[0] = w->rate[1] = 0;
    w->last_units[0] = w->last_units[1] = 0;
}

static uint64_t scenarios_per_unit(const pn_plan *pl, int kind)
{
    return kind == PN_KIND_PREFIX ? pl->low : 1;
}

/* Units of the next chunk for w: what it finishes in TARGET_SECONDS at its
 * measured rate (growing at most MAX_GROWTH per chunk), capped at its share
 * of what is left by speed so devices finish together, and at the segment. */
static uint64_t chunk_units(const crew *cr, const pn_opencl_worker *w, const cursor *c)
{
    const pn_segment *sg = &cr->pl->seg[c->seg];
    double per = (double)scenarios_per_unit(cr->pl, sg->kind), total_rate = 0;
    for (unsigned d = 0; cr->n > 1 && d < cr->n; d++)
        total_rate += cr->w[d].rate[sg->kind];
    const pn_pace pace = {.rate = w->rate[sg->kind] / per,
                          .first = (double)FIRST_CHUNK_SCENARIOS / per,
                          .target = TARGET_SECONDS,
                          .last = (double)w->last_units[sg->kind],
                          .growth = MAX_GROWTH,
                          .left = (double)(sg->units - c->offset),
                          .total_rate = total_rate / per,
                          .least = (double)w->group};
    double want = pn_pace_units(&pace);
    if (want > 4294967295.0)
        want = 4294967295.0;
    uint64_t units = (uint64_t)want;
    return units < sg->units - c->offset ? units : sg->units - c->offset;
}

/* Takes the next chunk for w and launches it; *launched false when no work is left. */
static pn_status launch_next(const crew *cr, pn_opencl_worker *w, cursor *c, bool *launched,
                             pn_error *err)
{
    pn_status st = PN_OK;
    *launched = false;
    if (c->seg >= cr->pl->nseg)
        return PN_OK;
    const pn_segment *sg = &cr->pl->seg[c->seg];
    pn_opencl_job *jb = &w->job;
    jb->kind = sg->kind;
    jb->start = sg->start + c->offset;
    jb->units = chunk_units(cr, w, c);
    jb->scenarios = jb->units * scenarios_per_unit(cr->pl, sg->kind);
    c->offset += jb->units;
    if (c->offset == sg->units) {
        c->seg++;
        c->offset = 0;
    }
    cl_kernel k = w->kernel[jb->kind];
    size_t global = (size_t)((jb->units + w->group - 1) / w->group * w->group);
    jb->started = pn_now_seconds();
    st = pn_opencl_kernel_set_range(k, jb->start, jb->units, err);
    if (st != PN_OK)
        goto done;
    PN_CL_CHECK(clEnqueueNDRangeKernel(w->queue, k, 1, NULL, &global, &w->group, 0, NULL,
                                       &jb->done), st, err, done);
    PN_CL_CHECK(clFlush(w->queue), st, err, release_event);
    w->launch_seconds = pn_now_seconds() - jb->started;
    w->running = true;
    *launched = true;
    return PN_OK;
release_event:
    PN_CL_CHECK_CLEANUP(clReleaseEvent(jb->done), st, err);
done:
    return st;
}

/* Seconds a finished chunk took, from its enqueue to its end. The device's
 * profiling clock gives that however late the host saw the chunk end (the
 * host may have been held by another device's flush meanwhile); without
 * profiling, the host's clock from before the enqueue to now. Either way
 * the time includes a flush that ran the kernel, as on POCL's basic device. */
static double chunk_seconds(const pn_opencl_job *jb)
{
    cl_ulong queued = 0, end = 0;
    if (clGetEventProfilingInfo(jb->done, CL_PROFILING_COMMAND_QUEUED, sizeof queued, &queued,
                                NULL) == CL_SUCCESS &&
        clGetEventProfilingInfo(jb->done, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL) ==
            CL_SUCCESS &&
        end > queued)
        return (double)(end - queued) * 1e-9;
    return pn_now_seconds() - jb->started;
}

/* Books a finished chunk: the worker's rate for its kernel, its totals. */
static void finish_job(pn_opencl_worker *w, cursor *c)
{
    pn_opencl_job *jb = &w->job;
    double took = chunk_seconds(jb);
    if (took < 1e-6)
        took = 1e-6;
    w->rate[jb->kind] = (double)jb->scenarios / took;
    w->last_units[jb->kind] = jb->units;
    w->done += jb->scenarios;
    w->busy += took;
    c->done += jb->scenarios;
    w->running = false;
}

/* Checks whether w's chunk has ended; blocks until it has when `wait`. */
static pn_status poll_worker(pn_opencl_worker *w, cursor *c, bool wait, bool *finished,
                             pn_error *err)
{
    pn_status st = PN_OK;
    cl_int status = CL_QUEUED;
    *finished = false;
    if (wait)
        PN_CL_CHECK(clWaitForEvents(1, &w->job.done), st, err, done);
    PN_CL_CHECK(clGetEventInfo(w->job.done, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status,
                               &status, NULL), st, err, done);
    if (status < 0)
        return pn_cl_fail(err, "clEnqueueNDRangeKernel (the kernel's execution)", __FILE__,
                          __LINE__, status);
    if (status != CL_COMPLETE)
        return PN_OK;
    finish_job(w, c);
    *finished = true;
    PN_CL_CHECK(clReleaseEvent(w->job.done), st, err, done);
done:
    return st;
}

/* Hands progress the run's totals and each device's rate and work done. */
static void report_progress(const crew *cr, const cursor *c)
{
    if (!cr->progress->update)
        return;
    pn_progress_report r = {.done = c->done, .total = c->total, .devices = cr->n};
    r.rate = (double)c->done / (pn_now_seconds() - c->started + 1e-9);
    for (unsigned d = 0; d < cr->n; d++) {
        r.device_rate[d] = cr->w[d].busy > 0 ? (double)cr->w[d].done / cr->w[d].busy : 0;
        r.device_done[d] = cr->w[d].done;
    }
    cr->progress->update(cr->progress->ctx, &r);
}

static bool cancelled(const crew *cr)
{
    return cr->progress->cancel && *cr->progress->cancel;
}

void pn_opencl_schedule_drain(pn_opencl_worker *w, unsigned n, pn_status *st, pn_error *err)
{
    for (unsigned d = 0; d < n; d++) {
        if (!w[d].running)
            continue;
        PN_CL_CHECK_CLEANUP(clWaitForEvents(1, &w[d].job.done), *st, err);
        PN_CL_CHECK_CLEANUP(clReleaseEvent(w[d].job.done), *st, err);
        w[d].running = false;
    }
}

/* Counts the number of running workers. */
static unsigned running_workers(const crew *cr)
{
    unsigned n = 0;
    for (unsigned d = 0; d < cr->n; d++)
        n += cr->w[d].running;
    return n;
}

/* Gives every idle worker its next chunk, those whose launches returned
 * soonest last time first: a device that runs its kernel inside clFlush
 * (POCL's basic) holds this thread for the whole chunk, and the others
 * should be working meanwhile, not waiting for theirs. Stops launching
 * once a cancel arrives; *any says whether a chunk was launched. */
static pn_status launch_idle(const crew *cr, cursor *c, bool *any, pn_error *err)
{
    bool tried[PN_PROGRESS_MAX_DEVICES] = {false};
    pn_status st = PN_OK;
    *any = false;
    while (st == PN_OK && !cancelled(cr)) {
        unsigned next = cr->n;
        for (unsigned d = 0; d < cr->n; d++)
            if (!tried[d] && !cr->w[d].running &&
                (next == cr->n || cr->w[d].launch_seconds < cr->w[next].launch_seconds))
                next = d;
        if (next == cr->n)
            break;
        bool launched = false;
        tried[next] = true;
        st = launch_next(cr, &cr->w[next], c, &launched, err);
        *any = *any || launched;
    }
    return st;
}

/* One round: idle workers take chunks, then finished chunks are booked
 * (blocking when only one worker runs, polling otherwise). */
static pn_status schedule_round(const crew *cr, cursor *c, pn_error *err)
{
    bool any = false;
    pn_status st = launch_idle(cr, c, &any, err);
    bool wait = running_workers(cr) == 1;
    for (unsigned d = 0; st == PN_OK && d < cr->n; d++) {
        bool finished = false;
        if (cr->w[d].running)
            st = poll_worker(&cr->w[d], c, wait, &finished, err);
        any = any || finished;
        if (finished)
            report_progress(cr, c);
    }
    if (st == PN_OK && !any && running_workers(cr) > 0)
        nanosleep(&(struct timespec){0, 200000}, NULL);
    return st;
}

pn_status pn_opencl_schedule_run(pn_opencl_worker *w, unsigned n, const pn_plan *pl,
                                 const pn_progress *progress, pn_error *err)
{
    const crew cr = {.w = w, .n = n, .pl = pl, .progress = progress};
    cursor c = {.total = pl->count, .started = pn_now_seconds()};
    pn_status st = PN_OK;
    while (st == PN_OK && (c.seg < pl->nseg || running_workers(&cr) > 0)) {
        if (cancelled(&cr) && running_workers(&cr) == 0)
            break;
        st = schedule_round(&cr, &c, err);
    }
    pn_opencl_schedule_drain(w, n, &st, err);
    if (st == PN_OK && c.done < c.total)
        st = pn_fail(err, PN_ERR_INTERRUPTED, "interrupted after %llu of %llu scenarios",
                     (unsigned long long)c.done, (unsigned long long)c.total);
    return st;
}
