/* engine_opencl.c -- the OpenCL engine: plans a slice, self-tests devices, runs the kernels in timed chunks. */
#include "pn_opencl_session.h"
#include "pn_duration.h"
#include "pn_engine.h"
#include "pn_kernel_source.h"
#include "pn_opencl_build.h"
#include "pn_opencl_device.h"
#include "pn_opencl_error.h"
#include "pn_opencl_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds one launch should take: short enough for GPU watchdogs and for a
 * cancel to be noticed well within a second, long enough to hide launch cost. */
#define TARGET_SECONDS 0.1
/* Scenarios in a device's first launch of a query, before any timing exists. */
#define FIRST_CHUNK_SCENARIOS (1u << 18)
/* A chunk grows at most this factor per launch while rates settle. */
#define MAX_GROWTH 4.0
/* Builds a session keeps (each distinct option string is one build). */
#define PROGRAM_CACHE 8
/* Work-items per work-group, at most. */
#define MAX_GROUP 256

/* A chunk a device is running. */
typedef struct job {
    int kind;
    uint64_t start, units, scenarios;
    double started;
    cl_event done;
} job;

typedef struct cl_dev {
    cl_device_id id;
    cl_command_queue queue;
    size_t group;              /* work-group size used for both kernels */
    cl_mem bins;               /* this device's histogram for the current query */
    cl_kernel kernel[2];       /* count_indices, count_prefixes */
    double rate[2];            /* measured scenarios/s per kernel, 0 = unknown */
    uint64_t last_units[2];    /* size of the previous chunk per kernel */
    uint64_t done;             /* scenarios finished this query */
    double busy;               /* seconds spent running chunks this query */
    bool running;
    job job;
} cl_dev;

typedef struct program_entry {
    char options[512];
    cl_program program;
} program_entry;

struct pn_opencl_session {
    pn_cl_selection sel;
    cl_context context;
    bool specialise;
    bool tested[2]; /* self-test passed for the uniform / slots build */
    pn_plan_limits limits; /* smallest over the devices */
    cl_dev dev[PN_CL_MAX_DEVICES];
    program_entry cache[PROGRAM_CACHE];
    unsigned cache_next;
    /* the query's table buffers, shared by every device of the context */
    cl_mem low_sum, low_weight, zero_start, binom;
};

/* ---- programs and kernels ------------------------------------------- */

/* The program built with `options`, from the session cache or built now. */
static pn_status get_program(pn_opencl_session *s, const char *options, cl_program *out,
                             pn_error *err)
{
    for (unsigned i = 0; i < PROGRAM_CACHE; i++)
        if (s->cache[i].program && strcmp(s->cache[i].options, options) == 0) {
            *out = s->cache[i].program;
            return PN_OK;
        }
    pn_status st = pn_cl_build_program(s->context, s->sel.count, s->sel.devices,
                                       pn_kernel_source, options, out, err);
    if (st != PN_OK)
        return st;
    program_entry *e = &s->cache[s->cache_next];
    s->cache_next = (s->cache_next + 1) % PROGRAM_CACHE;
    if (e->program)
        PN_CL_CHECK_CLEANUP(clReleaseProgram(e->program), st, err);
    e->program = *out;
    snprintf(e->options, sizeof e->options, "%s", options);
    return st;
}

/* Releases the query's kernels and buffers (safe when some are missing). */
static void release_query(pn_opencl_session *s, pn_status *st, pn_error *err)
{
    for (cl_uint d = 0; d < s->sel.count; d++) {
        cl_dev *dev = &s->dev[d];
        for (int k = 0; k < 2; k++)
            if (dev->kernel[k])
                PN_CL_CHECK_CLEANUP(clReleaseKernel(dev->kernel[k]), *st, err);
        if (dev->bins)
            PN_CL_CHECK_CLEANUP(clReleaseMemObject(dev->bins), *st, err);
        dev->kernel[0] = dev->kernel[1] = NULL;
        dev->bins = NULL;
    }
    cl_mem *mems[4] = {&s->binom, &s->zero_start, &s->low_weight, &s->low_sum};
    for (int i = 0; i < 4; i++) {
        if (*mems[i])
            PN_CL_CHECK_CLEANUP(clReleaseMemObject(*mems[i]), *st, err);
        *mems[i] = NULL;
    }
}

/* A read-only buffer holding a copy of `bytes` bytes of host data. */
static pn_status make_table(cl_context ctx, const void *data, size_t bytes, cl_mem *out,
                            pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    *out = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, (void *)data,
                          &rc);
    PN_CL_CHECK(rc, st, err, done);
done:
    return st;
}

static pn_status make_tables(pn_opencl_session *s, const pn_plan *pl, pn_error *err)
{
    size_t nlow = (size_t)pl->low;
    pn_status st = make_table(s->context, pl->low_sum, nlow * 4, &s->low_sum, err);
    if (st == PN_OK)
        st = make_table(s->context, pl->low_weight, (pl->slots ? nlow : 1) * 8,
                        &s->low_weight, err);
    if (st == PN_OK)
        st = make_table(s->context, pl->zero_start, (pl->low_digits + 2) * 4, &s->zero_start,
                        err);
    if (st == PN_OK)
        st = make_table(s->context, pl->binom, (size_t)pl->base * 8, &s->binom, err);
    return st;
}

/* Sets the arguments of count_indices that do not change between chunks. */
static pn_status set_index_args(cl_kernel k, const pn_opencl_session *s, const pn_plan *pl,
                                const cl_dev *dev, pn_error *err)
{
    pn_status st = PN_OK;
    cl_uint h = (cl_uint)pl->hosts, b = (cl_uint)pl->base, g = (cl_uint)pl->guests;
    cl_uint local = pl->use_local;
    size_t lbytes = pl->use_local ? (size_t)(pl->hosts + 1) * 8 : 8;
    PN_CL_CHECK(clSetKernelArg(k, 2, sizeof h, &h), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 3, sizeof b, &b), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 4, sizeof g, &g), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 5, sizeof s->binom, &s->binom), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 6, lbytes, NULL), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 7, sizeof local, &local), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 8, sizeof dev->bins, &dev->bins), st, err, done);
done:
    return st;
}

/* Sets the arguments of count_prefixes that do not change between chunks. */
static pn_status set_prefix_args(cl_kernel k, const pn_opencl_session *s, const pn_plan *pl,
                                 const cl_dev *dev, pn_error *err)
{
    pn_status st = PN_OK;
    cl_uint h = (cl_uint)pl->hosts, b = (cl_uint)pl->base, g = (cl_uint)pl->guests;
    cl_uint L = pl->low_digits, local = pl->use_local;
    size_t lbytes = pl->use_local ? (size_t)(pl->hosts + 1) * 8 : 8;
    PN_CL_CHECK(clSetKernelArg(k, 2, sizeof h, &h), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 3, sizeof b, &b), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 4, sizeof g, &g), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 5, sizeof L, &L), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 6, sizeof s->low_sum, &s->low_sum), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 7, sizeof s->low_weight, &s->low_weight), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 8, sizeof s->zero_start, &s->zero_start), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 9, sizeof s->binom, &s->binom), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 10, lbytes, NULL), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 11, sizeof local, &local), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 12, sizeof dev->bins, &dev->bins), st, err, done);
done:
    return st;
}

/* A zeroed histogram buffer and both kernels with their fixed arguments. */
static pn_status prepare_device(pn_opencl_session *s, cl_dev *dev, cl_program prog,
                                const pn_plan *pl, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    cl_ulong zero = 0;
    size_t bytes = (size_t)(pl->hosts + 1) * 8;
    dev->bins = clCreateBuffer(s->context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
    PN_CL_CHECK(rc, st, err, done);
    PN_CL_CHECK(clEnqueueFillBuffer(dev->queue, dev->bins, &zero, sizeof zero, 0, bytes, 0,
                                    NULL, NULL), st, err, done);
    static const char *const names[2] = {"count_indices", "count_prefixes"};
    for (int k = 0; k < 2; k++) {
        dev->kernel[k] = clCreateKernel(prog, names[k], &rc);
        PN_CL_CHECK(rc, st, err, done);
    }
    st = set_index_args(dev->kernel[PN_KIND_INDEX], s, pl, dev, err);
    if (st == PN_OK)
        st = set_prefix_args(dev->kernel[PN_KIND_PREFIX], s, pl, dev, err);
    dev->done = 0;
    dev->busy = 0;
    dev->running = false;
    dev->rate[0] = dev->rate[1] = 0;
    dev->last_units[0] = dev->last_units[1] = 0;
done:
    return st;
}

/* Program, tables and per-device kernels for one plan. */
static pn_status prepare_query(pn_opencl_session *s, const pn_plan *pl, pn_error *err)
{
    char options[512];
    cl_program prog = NULL;
    pn_plan_options(pl, s->specialise, options, sizeof options);
    pn_status st = get_program(s, options, &prog, err);
    if (st == PN_OK)
        st = make_tables(s, pl, err);
    for (cl_uint d = 0; st == PN_OK && d < s->sel.count; d++)
        st = prepare_device(s, &s->dev[d], prog, pl, err);
    return st;
}

/* ---- scheduling ------------------------------------------------------ */

/* Where the devices are in the plan's segments, and how the run is going. */
typedef struct cursor {
    int seg;
    uint64_t offset;
    uint64_t done, total; /* scenarios */
    double started;
} cursor;

static uint64_t scenarios_per_unit(const pn_plan *pl, int kind)
{
    return kind == PN_KIND_PREFIX ? pl->low : 1;
}

/* Units of the next chunk for dev: what it finishes in TARGET_SECONDS at its
 * measured rate (growing at most MAX_GROWTH per chunk), capped at its share
 * of what is left by speed so devices finish together, and at the segment. */
static uint64_t chunk_units(const pn_opencl_session *s, const pn_plan *pl, const cl_dev *dev,
                            const cursor *c)
{
    const pn_segment *sg = &pl->seg[c->seg];
    uint64_t per = scenarios_per_unit(pl, sg->kind);
    double want = dev->rate[sg->kind] > 0 ? dev->rate[sg->kind] * TARGET_SECONDS / (double)per
                                          : (double)FIRST_CHUNK_SCENARIOS / (double)per;
    if (dev->last_units[sg->kind] && want > MAX_GROWTH * (double)dev->last_units[sg->kind])
        want = MAX_GROWTH * (double)dev->last_units[sg->kind];
    double total_rate = 0;
    for (cl_uint d = 0; d < s->sel.count; d++)
        total_rate += s->dev[d].rate[sg->kind];
    double left = (double)(sg->units - c->offset);
    if (s->sel.count > 1 && dev->rate[sg->kind] > 0 && total_rate > 0) {
        double share = left * dev->rate[sg->kind] / total_rate;
        if (want > share)
            want = share;
    }
    if (want < (double)dev->group)
        want = (double)dev->group;
    if (want > 4294967295.0)
        want = 4294967295.0;
    uint64_t units = (uint64_t)want;
    return units < sg->units - c->offset ? units : sg->units - c->offset;
}

/* Takes the next chunk for dev and launches it; false when no work is left. */
static pn_status launch_next(pn_opencl_session *s, const pn_plan *pl, cl_dev *dev, cursor *c,
                             bool *launched, pn_error *err)
{
    pn_status st = PN_OK;
    *launched = false;
    if (c->seg >= pl->nseg)
        return PN_OK;
    const pn_segment *sg = &pl->seg[c->seg];
    job *jb = &dev->job;
    jb->kind = sg->kind;
    jb->start = sg->start + c->offset;
    jb->units = chunk_units(s, pl, dev, c);
    jb->scenarios = jb->units * scenarios_per_unit(pl, sg->kind);
    c->offset += jb->units;
    if (c->offset == sg->units) {
        c->seg++;
        c->offset = 0;
    }
    cl_kernel k = dev->kernel[jb->kind];
    cl_ulong start = jb->start, n = jb->units;
    size_t global = (size_t)((n + dev->group - 1) / dev->group * dev->group);
    PN_CL_CHECK(clSetKernelArg(k, 0, sizeof start, &start), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, 1, sizeof n, &n), st, err, done);
    PN_CL_CHECK(clEnqueueNDRangeKernel(dev->queue, k, 1, NULL, &global, &dev->group, 0, NULL,
                                       &jb->done), st, err, done);
    PN_CL_CHECK(clFlush(dev->queue), st, err, release_event);
    jb->started = pn_now_seconds();
    dev->running = true;
    *launched = true;
    return PN_OK;
release_event:
    PN_CL_CHECK_CLEANUP(clReleaseEvent(jb->done), st, err);
done:
    return st;
}

/* Books a finished chunk: the device's rate for its kernel, its totals. */
static void finish_job(cl_dev *dev, cursor *c)
{
    job *jb = &dev->job;
    double took = pn_now_seconds() - jb->started;
    if (took < 1e-6)
        took = 1e-6;
    dev->rate[jb->kind] = (double)jb->scenarios / took;
    dev->last_units[jb->kind] = jb->units;
    dev->done += jb->scenarios;
    dev->busy += took;
    c->done += jb->scenarios;
    dev->running = false;
}

/* Checks whether dev's chunk has ended; blocks until it has when `wait`. */
static pn_status poll_device(cl_dev *dev, cursor *c, bool wait, bool *finished, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int status = CL_QUEUED;
    *finished = false;
    if (wait)
        PN_CL_CHECK(clWaitForEvents(1, &dev->job.done), st, err, done);
    PN_CL_CHECK(clGetEventInfo(dev->job.done, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status,
                               &status, NULL), st, err, done);
    if (status < 0)
        return pn_cl_fail(err, "clEnqueueNDRangeKernel (the kernel's execution)", __FILE__,
                          __LINE__, status);
    if (status != CL_COMPLETE)
        return PN_OK;
    finish_job(dev, c);
    *finished = true;
    PN_CL_CHECK(clReleaseEvent(dev->job.done), st, err, done);
done:
    return st;
}

static void report_progress(const pn_opencl_session *s, const pn_run *run, const cursor *c)
{
    if (!run->progress.update)
        return;
    pn_progress_report r = {.done = c->done, .total = c->total, .devices = s->sel.count};
    r.rate = (double)c->done / (pn_now_seconds() - c->started + 1e-9);
    for (cl_uint d = 0; d < s->sel.count; d++)
        r.device_rate[d] = s->dev[d].busy > 0 ? (double)s->dev[d].done / s->dev[d].busy : 0;
    run->progress.update(run->progress.ctx, &r);
}

static bool cancelled(const pn_run *run)
{
    return run->progress.cancel && *run->progress.cancel;
}

/* Lets every running chunk end (after an error or a cancel), keeping st. */
static void drain(pn_opencl_session *s, pn_status *st, pn_error *err)
{
    for (cl_uint d = 0; d < s->sel.count; d++) {
        cl_dev *dev = &s->dev[d];
        if (!dev->running)
            continue;
        PN_CL_CHECK_CLEANUP(clWaitForEvents(1, &dev->job.done), *st, err);
        PN_CL_CHECK_CLEANUP(clReleaseEvent(dev->job.done), *st, err);
        dev->running = false;
    }
}

/* Counts the number of running devices. */
static unsigned running_devices(const pn_opencl_session *s)
{
    unsigned n = 0;
    for (cl_uint d = 0; d < s->sel.count; d++)
        n += s->dev[d].running;
    return n;
}

/* One round: idle devices take chunks, then finished chunks are booked
 * (blocking when only one device runs, polling otherwise). */
static pn_status schedule_round(pn_opencl_session *s, const pn_plan *pl, const pn_run *run,
                                cursor *c, pn_error *err)
{
    pn_status st = PN_OK;
    bool stop = cancelled(run), any = false;
    for (cl_uint d = 0; st == PN_OK && !stop && d < s->sel.count; d++)
        if (!s->dev[d].running)
            st = launch_next(s, pl, &s->dev[d], c, &any, err);
    bool wait = running_devices(s) == 1;
    for (cl_uint d = 0; st == PN_OK && d < s->sel.count; d++) {
        bool finished = false;
        if (s->dev[d].running)
            st = poll_device(&s->dev[d], c, wait, &finished, err);
        any = any || finished;
        if (finished)
            report_progress(s, run, c);
    }
    if (st == PN_OK && !any && running_devices(s) > 0)
        nanosleep(&(struct timespec){0, 200000}, NULL);
    return st;
}

/* Runs every segment of the plan across the session's devices. */
static pn_status run_plan(pn_opencl_session *s, const pn_plan *pl, const pn_run *run,
                          pn_error *err)
{
    cursor c = {.total = pl->count, .started = pn_now_seconds()};
    pn_status st = PN_OK;
    while (st == PN_OK && (c.seg < pl->nseg || running_devices(s) > 0)) {
        if (cancelled(run) && running_devices(s) == 0)
            break;
        st = schedule_round(s, pl, run, &c, err);
    }
    drain(s, &st, err);
    if (st == PN_OK && c.done < c.total)
        st = pn_fail(err, PN_ERR_INTERRUPTED, "interrupted after %llu of %llu scenarios",
                     (unsigned long long)c.done, (unsigned long long)c.total);
    return st;
}

/* Reads every device's bins and adds them to counts (hosts+1 entries). */
static pn_status collect_bins(pn_opencl_session *s, const pn_plan *pl, uint64_t *counts,
                              uint64_t *scratch, pn_error *err)
{
    pn_status st = PN_OK;
    size_t bytes = (size_t)(pl->hosts + 1) * 8;
    for (cl_uint d = 0; d < s->sel.count; d++) {
        PN_CL_CHECK(clEnqueueReadBuffer(s->dev[d].queue, s->dev[d].bins, CL_TRUE, 0, bytes,
                                        scratch, 0, NULL, NULL), st, err, done);
        for (uint64_t k = 0; k <= pl->hosts; k++)
            counts[k] += scratch[k];
    }
done:
    return st;
}

/* Prepares, runs and collects one plan into counts. */
static pn_status execute_plan(pn_opencl_session *s, const pn_plan *pl, const pn_run *run,
                              uint64_t *counts, pn_error *err)
{
    uint64_t *scratch = calloc((size_t)pl->hosts + 1, sizeof *scratch);
    if (!scratch)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the histogram");
    pn_status st = prepare_query(s, pl, err);
    if (st == PN_OK)
        st = run_plan(s, pl, run, err);
    if (st == PN_OK)
        st = collect_bins(s, pl, counts, scratch, err);
    release_query(s, &st, err);
    free(scratch);
    return st;
}

/* ---- self-test ------------------------------------------------------- */

/* Runs the seed's 4 hosts, 2 per host, 3 guests through both kernels (the
 * whole keyspace by count_indices, then by count_prefixes with L = 2) and
 * compares with the known answer: uniform [0,4,12,0,0] (the seed's 16
 * scenarios), slots [0,32,24,0,0] (C(8,3) = 56 ways: 4 places for the empty
 * host times 2^3, and 12 arrangements of {2,1} times C(2,2)C(2,1)). */
static pn_status self_test(pn_opencl_session *s, bool slots, pn_error *err)
{
    static const uint64_t expect[2][5] = {{0, 4, 12, 0, 0}, {0, 32, 24, 0, 0}};
    pn_run quiet = {0};
    for (int L = 0; L <= 2; L += 2) {
        pn_plan pl;
        uint64_t got[5] = {0};
        pn_status st = pn_plan_make(&pl, &s->limits, 4, 3, 3, slots, 0, 81, L, err);
        if (st == PN_OK)
            st = execute_plan(s, &pl, &quiet, got, err);
        pn_plan_free(&pl);
        if (st != PN_OK)
            return st;
        if (memcmp(got, expect[slots], sizeof got) != 0)
            return pn_fail(err, PN_ERR_SELFTEST,
                           "kernel self-test failed on %s: 4 hosts, 2 per host, 3 guests (%s, "
                           "%s) gave [%llu,%llu,%llu,%llu,%llu], expected [%llu,%llu,%llu,%llu,"
                           "%llu]; the OpenCL driver installation is probably broken",
                           s->sel.device_names[0], slots ? "slots" : "uniform",
                           L ? "count_prefixes" : "count_indices", (unsigned long long)got[0],
                           (unsigned long long)got[1], (unsigned long long)got[2],
                           (unsigned long long)got[3], (unsigned long long)got[4],
                           (unsigned long long)expect[slots][0],
                           (unsigned long long)expect[slots][1],
                           (unsigned long long)expect[slots][2],
                           (unsigned long long)expect[slots][3],
                           (unsigned long long)expect[slots][4]);
    }
    return PN_OK;
}

/* ---- session --------------------------------------------------------- */

/* Queue, work-group size and the 64-bit atomics check for one device. */
static pn_status open_device(pn_opencl_session *s, cl_uint d, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    cl_dev *dev = &s->dev[d];
    bool atomics = false;
    size_t max_group = 1;
    dev->id = s->sel.devices[d];
    st = pn_cl_device_has_extension(dev->id, "cl_khr_int64_base_atomics", &atomics, err);
    if (st != PN_OK)
        return st;
    if (!atomics)
        return pn_fail(err, PN_ERR_OPENCL, "OpenCL device %s lacks cl_khr_int64_base_atomics, "
                       "which the kernel needs for 64-bit counts; choose another --device or "
                       "use --engine cpu", s->sel.device_names[d]);
    PN_CL_CHECK(clGetDeviceInfo(dev->id, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof max_group,
                                &max_group, NULL), st, err, done);
    dev->group = max_group < MAX_GROUP ? max_group : MAX_GROUP;
    dev->queue = clCreateCommandQueue(s->context, dev->id, 0, &rc);
    PN_CL_CHECK(rc, st, err, done);
done:
    return st;
}

/* The smallest local memory, constant buffer and constant-argument limits
 * over the session's devices, so one plan suits them all. */
static pn_status device_limits(pn_opencl_session *s, pn_error *err)
{
    pn_status st = PN_OK;
    s->limits.local_mem = s->limits.const_mem = (cl_ulong)-1;
    s->limits.const_args = (cl_uint)-1;
    for (cl_uint d = 0; d < s->sel.count; d++) {
        cl_ulong local = 0, cmem = 0;
        cl_uint cargs = 0;
        cl_device_id id = s->sel.devices[d];
        PN_CL_CHECK(clGetDeviceInfo(id, CL_DEVICE_LOCAL_MEM_SIZE, sizeof local, &local, NULL),
                    st, err, done);
        PN_CL_CHECK(clGetDeviceInfo(id, CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE, sizeof cmem, &cmem,
                                    NULL), st, err, done);
        PN_CL_CHECK(clGetDeviceInfo(id, CL_DEVICE_MAX_CONSTANT_ARGS, sizeof cargs, &cargs,
                                    NULL), st, err, done);
        s->limits.local_mem = local < s->limits.local_mem ? local : s->limits.local_mem;
        s->limits.const_mem = cmem < s->limits.const_mem ? cmem : s->limits.const_mem;
        s->limits.const_args = cargs < s->limits.const_args ? cargs : s->limits.const_args;
    }
done:
    return st;
}

void pn_opencl_session_close(pn_opencl_session *s)
{
    if (!s)
        return;
    pn_status st = PN_OK;
    pn_error ignored;
    drain(s, &st, &ignored);
    release_query(s, &st, &ignored);
    for (unsigned i = 0; i < PROGRAM_CACHE; i++)
        if (s->cache[i].program)
            PN_CL_CHECK_CLEANUP(clReleaseProgram(s->cache[i].program), st, &ignored);
    for (cl_uint d = 0; d < s->sel.count; d++)
        if (s->dev[d].queue)
            PN_CL_CHECK_CLEANUP(clReleaseCommandQueue(s->dev[d].queue), st, &ignored);
    if (s->context)
        PN_CL_CHECK_CLEANUP(clReleaseContext(s->context), st, &ignored);
    free(s);
}

pn_status pn_opencl_session_open(const pn_device_choice *choice, bool specialise,
                                 pn_opencl_session **out, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    *out = NULL;
    pn_opencl_session *s = calloc(1, sizeof *s);
    if (!s)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for an OpenCL session");
    s->specialise = specialise;
    st = pn_cl_select_devices(choice, &s->sel, err);
    if (st != PN_OK)
        goto close_session;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)s->sel.platform,
                                     0};
    s->context = clCreateContext(props, s->sel.count, s->sel.devices, NULL, NULL, &rc);
    PN_CL_CHECK(rc, st, err, close_session);
    st = device_limits(s, err);
    for (cl_uint d = 0; st == PN_OK && d < s->sel.count; d++)
        st = open_device(s, d, err);
    if (st != PN_OK)
        goto close_session;
    *out = s;
    return PN_OK;
close_session:
    pn_opencl_session_close(s);
    return st;
}

/* The self-test for the query's model, once per session. */
static pn_status ensure_tested(pn_opencl_session *s, bool slots, pn_error *err)
{
    if (s->tested[slots])
        return PN_OK;
    pn_status st = self_test(s, slots, err);
    s->tested[slots] = st == PN_OK;
    return st;
}

/* Appends text to out (len bytes, *n used), truncating at the end. */
static void append_text(char *out, size_t len, size_t *n, const char *text)
{
    size_t add = strlen(text);
    if (*n + add >= len)
        add = len - 1 - *n;
    memcpy(out + *n, text, add);
    *n += add;
    out[*n] = '\0';
}

/* "opencl (DEV on PLATFORM)", devices joined by " + ". */
static void describe(const pn_opencl_session *s, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    append_text(out, len, &n, "opencl (");
    for (cl_uint d = 0; d < s->sel.count; d++) {
        append_text(out, len, &n, d ? " + " : "");
        append_text(out, len, &n, s->sel.device_names[d]);
    }
    append_text(out, len, &n, " on ");
    append_text(out, len, &n, s->sel.platform_name);
    append_text(out, len, &n, ")");
}

pn_status pn_opencl_session_run(pn_opencl_session *s, const pn_query *q, pn_run *run,
                                pn_histogram *hist, pn_error *err)
{
    uint64_t first, count;
    pn_status st = pn_query_enumeration_range(q, &first, &count, err);
    if (st != PN_OK)
        return st;
    bool slots = q->model == PN_MODEL_SLOTS;
    st = ensure_tested(s, slots, err);
    if (st != PN_OK)
        return st;
    uint64_t *counts = calloc((size_t)q->hosts + 1, sizeof *counts);
    if (!counts)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the histogram");
    pn_plan pl;
    st = pn_plan_make(&pl, &s->limits, q->hosts, q->per_host + 1, q->guests, slots, first, count, -1, err);
    if (st == PN_OK && count > 0)
        st = execute_plan(s, &pl, run, counts, err);
    if (st == PN_OK) {
        pn_histogram_add_u64(hist, counts);
        describe(s, run->engine_used, sizeof run->engine_used);
    }
    pn_plan_free(&pl);
    free(counts);
    return st;
}

/* The engine entry point: one session for one query. It uses the generic
 * build (SLOTS and TABLE as -D options, the rest as arguments): the kernel
 * decodes constants once per LOW scenarios, so folding hosts/base/guests
 * measured no faster (2.2e10/s either way on 15/4/30, POCL), while a
 * specialised build costs a compile per distinct query and could not be the
 * build the self-test ran on. */
pn_status pn_engine_opencl_run(const pn_query *q, pn_run *run, pn_histogram *hist,
                               pn_error *err)
{
    uint64_t first, count;
    pn_status st = pn_query_enumeration_range(q, &first, &count, err);
    if (st != PN_OK)
        return st;
    pn_opencl_session *s = NULL;
    st = pn_opencl_session_open(&run->device, false, &s, err);
    if (st == PN_OK)
        st = pn_opencl_session_run(s, q, run, hist, err);
    pn_opencl_session_close(s);
    return st;
}

/* Rough scenarios per second of one device, from what the engine measured.
 * On the 2-core POCL CPU device (Xeon, AVX-512) the prefix kernel ran
 * 0.7-2e10 per compute unit for the uniform model and 3-4e9 for slots, both
 * measured on a shared, loaded machine; the estimate takes the lower figure
 * so auto never expects brute force to be quicker than it is. GPUs are put at
 * RATE_PER_GPU_UNIT_MHZ per compute unit and MHz of clock (an H100, 132 units
 * at 1755 MHz, gives about 1.2e11), a guess not yet measured. */
#define RATE_PER_CPU_UNIT 3.0e9
#define RATE_PER_GPU_UNIT_MHZ 5.0e5

static pn_status device_rate(cl_device_id dev, double *rate, pn_error *err)
{
    pn_status st = PN_OK;
    cl_device_type type = 0;
    cl_uint units = 0, mhz = 0;
    PN_CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_TYPE, sizeof type, &type, NULL), st, err, done);
    PN_CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL),
                st, err, done);
    PN_CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof mhz, &mhz, NULL),
                st, err, done);
    if (mhz == 0)
        mhz = 1000;
    if (type & CL_DEVICE_TYPE_GPU)
        *rate = (double)units * (double)mhz * RATE_PER_GPU_UNIT_MHZ;
    else
        *rate = (double)units * RATE_PER_CPU_UNIT;
done:
    return st;
}

/* The sum of the chosen devices' rates, named after the first device. */
pn_status pn_engine_opencl_estimate(const pn_query *q, const pn_run *run, pn_estimate *out,
                                    pn_error *err)
{
    (void)q;
    pn_cl_selection sel;
    pn_status st = pn_cl_select_devices(&run->device, &sel, err);
    out->scenarios_per_second = 0;
    for (cl_uint i = 0; st == PN_OK && i < sel.count; i++) {
        double r = 0;
        st = device_rate(sel.devices[i], &r, err);
        out->scenarios_per_second += r;
    }
    if (st == PN_OK)
        snprintf(out->device, sizeof out->device, "%s", sel.device_names[0]);
    return st;
}
