/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_session.c -- an OpenCL context on the chosen devices: builds, self-tests, and runs each plan request into a count array. */
#include "opencl/pn_opencl_session.h"
#include "base/pn_duration.h"
#include "opencl/pn_kernel_source.h"
#include "opencl/pn_opencl_build.h"
#include "opencl/pn_opencl_context.h"
#include "opencl/pn_opencl_device.h"
#include "opencl/pn_opencl_error.h"
#include "opencl/pn_opencl_kernels.h"
#include "opencl/pn_opencl_plan.h"
#include "opencl/pn_opencl_schedule.h"
#include "opencl/pn_opencl_selftest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds a session keeps (each distinct option string is one build, each
 * self-tested before its first plan). */
#define PROGRAM_CACHE 8
#define OPTIONS_MAX 512
/* Work-items per work-group, at most. */
#define MAX_GROUP 256
/* Bytes of the kernel's word (see kernels/enumerate.cl): on CPU devices a
 * 256-bit vector, whose compare yields its result as a vector (two of them
 * per step measured 1.5x one 512-bit compare through a mask register on
 * AVX-512); elsewhere one 16-byte load per work-item. */
#define CPU_WORD_BYTES 32
#define OTHER_WORD_BYTES 16

typedef struct program_entry {
    char options[OPTIONS_MAX];
    cl_program program;
    bool tested; /* passed the self-test */
} program_entry;

struct pn_opencl_session {
    pn_cl_context cl; /* devices, context, a queue per device */
    pn_plan_limits limits; /* smallest over the devices */
    pn_opencl_worker worker[PN_CL_MAX_DEVICES]; /* queue, kernels and timing per device */
    cl_mem bins[PN_CL_MAX_DEVICES];             /* each device's histogram for the plan */
    program_entry cache[PROGRAM_CACHE];
    unsigned cache_next;
    pn_opencl_tables tables; /* the plan's, shared by every device of the context */
    pn_opencl_timing timing;
    bool testing; /* a self-test is running: its plans are charged to it */
};

/* Adds the seconds since `since`, less `within` spent in another phase
 * meanwhile, to *phase. */
static void charge(double *phase, double since, double within)
{
    *phase += pn_now_seconds() - since - within;
}

/* ---- one plan ---------------------------------------------------------- */

/* The session cache's entry for the build with `options`, built now when
 * the cache lacks it (in place of the least recently built one). */
static pn_status get_program(pn_opencl_session *s, const char *options, program_entry **out,
                             pn_error *err)
{
    for (unsigned i = 0; i < PROGRAM_CACHE; i++)
        if (s->cache[i].program && strcmp(s->cache[i].options, options) == 0) {
            *out = &s->cache[i];
            return PN_OK;
        }
    cl_program program = NULL;
    double t0 = pn_now_seconds();
    pn_status st = pn_cl_build_program(s->cl.context, s->cl.sel.count, s->cl.sel.devices,
                                       pn_kernel_source, options, &program, err);
    charge(&s->timing.build, t0, 0);
    s->timing.builds++;
    if (st != PN_OK)
        return st;
    program_entry *e = &s->cache[s->cache_next];
    s->cache_next = (s->cache_next + 1) % PROGRAM_CACHE;
    if (e->program)
        PN_CL_CHECK_CLEANUP(clReleaseProgram(e->program), st, err);
    *e = (program_entry){.program = program};
    snprintf(e->options, sizeof e->options, "%s", options);
    *out = e;
    return st;
}

/* Releases the plan's kernels and buffers (safe when some are missing). */
static void release_plan(pn_opencl_session *s, pn_status *st, pn_error *err)
{
    for (cl_uint d = 0; d < s->cl.sel.count; d++) {
        pn_opencl_worker *w = &s->worker[d];
        for (int k = 0; k < 2; k++)
            if (w->kernel[k])
                PN_CL_CHECK_CLEANUP(clReleaseKernel(w->kernel[k]), *st, err);
        if (s->bins[d])
            PN_CL_CHECK_CLEANUP(clReleaseMemObject(s->bins[d]), *st, err);
        w->kernel[0] = w->kernel[1] = NULL;
        s->bins[d] = NULL;
    }
    pn_opencl_tables_release(&s->tables, st, err);
}

/* Device d's zeroed histogram buffer and both kernels with their fixed arguments. */
static pn_status prepare_device(pn_opencl_session *s, cl_uint d, cl_program prog,
                                const pn_plan *pl, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    cl_ulong zero = 0;
    size_t bytes = (size_t)pl->nbins * 8;
    pn_opencl_worker *w = &s->worker[d];
    s->bins[d] = clCreateBuffer(s->cl.context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
    PN_CL_CHECK(rc, st, err, done);
    PN_CL_CHECK(clEnqueueFillBuffer(w->queue, s->bins[d], &zero, sizeof zero, 0, bytes, 0, NULL,
                                    NULL), st, err, done);
    st = pn_opencl_kernels_make(prog, pl, &s->tables, s->bins[d], w->kernel, err);
    pn_opencl_worker_reset(w);
done:
    return st;
}

/* Program, tables and per-device kernels for one plan. */
static pn_status prepare_plan(pn_opencl_session *s, const pn_plan *pl, pn_error *err)
{
    char options[OPTIONS_MAX];
    program_entry *e = NULL;
    double t0 = pn_now_seconds(), built = s->timing.build;
    pn_plan_options(pl, options, sizeof options);
    pn_status st = get_program(s, options, &e, err);
    if (st == PN_OK)
        st = pn_opencl_tables_make(s->cl.context, pl, &s->tables, err);
    for (cl_uint d = 0; st == PN_OK && d < s->cl.sel.count; d++)
        st = prepare_device(s, d, e->program, pl, err);
    if (!s->testing)
        charge(&s->timing.prepare, t0, s->timing.build - built);
    return st;
}

/* Reads every device's bins and adds them to counts (nbins entries). */
static pn_status collect_bins(pn_opencl_session *s, const pn_plan *pl, uint64_t *counts,
                              uint64_t *scratch, pn_error *err)
{
    pn_status st = PN_OK;
    size_t bytes = (size_t)pl->nbins * 8;
    for (cl_uint d = 0; d < s->cl.sel.count; d++) {
        PN_CL_CHECK(clEnqueueReadBuffer(s->worker[d].queue, s->bins[d], CL_TRUE, 0, bytes,
                                        scratch, 0, NULL, NULL), st, err, done);
        for (uint64_t k = 0; k < pl->nbins; k++)
            counts[k] += scratch[k];
    }
done:
    return st;
}

/* Prepares, runs and collects one plan into counts. */
static pn_status execute_plan(pn_opencl_session *s, const pn_plan *pl,
                              const pn_progress *progress, uint64_t *counts, pn_error *err)
{
    uint64_t *scratch = calloc((size_t)pl->nbins, sizeof *scratch);
    if (!scratch)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the histogram");
    pn_status st = prepare_plan(s, pl, err);
    double t0 = pn_now_seconds();
    if (st == PN_OK)
        st = pn_opencl_schedule_run(s->worker, s->cl.sel.count, pl, progress, err);
    if (st == PN_OK)
        st = collect_bins(s, pl, counts, scratch, err);
    release_plan(s, &st, err);
    if (!s->testing)
        charge(&s->timing.run, t0, 0);
    free(scratch);
    return st;
}

/* The self-test's way to run a plan: execute_plan without progress. */
static pn_status run_test_plan(void *ctx, const pn_plan *pl, uint64_t *counts, pn_error *err)
{
    static const pn_progress quiet = {0};
    return execute_plan(ctx, pl, &quiet, counts, err);
}

/* The self-test on the build pl runs on (its options: model, table address
 * space, entry type, word, bases, bins), once per session and build. */
static pn_status ensure_tested(pn_opencl_session *s, const pn_plan *pl, pn_error *err)
{
    char options[OPTIONS_MAX];
    program_entry *e = NULL;
    pn_plan_options(pl, options, sizeof options);
    pn_status st = get_program(s, options, &e, err);
    if (st != PN_OK || e->tested)
        return st;
    double t0 = pn_now_seconds(), built = s->timing.build;
    s->testing = true;
    st = pn_opencl_selftest(run_test_plan, s, &s->limits, pl, s->cl.sel.device_names[0], err);
    s->testing = false;
    charge(&s->timing.selftest, t0, s->timing.build - built);
    s->timing.selftests++;
    e->tested = st == PN_OK;
    return st;
}

/* ---- session ----------------------------------------------------------- */

/* Device d's worker: the context's queue (with profiling, which times the
 * scheduler's chunks) and the work-group size. */
static pn_status open_worker(pn_opencl_session *s, cl_uint d, pn_error *err)
{
    pn_status st = PN_OK;
    pn_opencl_worker *w = &s->worker[d];
    size_t max_group = 1;
    PN_CL_CHECK(clGetDeviceInfo(s->cl.sel.devices[d], CL_DEVICE_MAX_WORK_GROUP_SIZE,
                                sizeof max_group, &max_group, NULL), st, err, done);
    w->group = max_group < MAX_GROUP ? max_group : MAX_GROUP;
    w->queue = s->cl.queue[d];
done:
    return st;
}

/* The smallest local memory, constant buffer, constant-argument and word
 * limits over the session's devices, so one plan suits them all. */
static pn_status device_limits(pn_opencl_session *s, pn_error *err)
{
    pn_status st = PN_OK;
    s->limits.local_mem = s->limits.const_mem = (cl_ulong)-1;
    s->limits.const_args = (cl_uint)-1;
    s->limits.word_bytes = CPU_WORD_BYTES;
    for (cl_uint d = 0; d < s->cl.sel.count; d++) {
        cl_ulong local = 0, cmem = 0;
        cl_uint cargs = 0;
        cl_device_type type = 0;
        cl_device_id id = s->cl.sel.devices[d];
        PN_CL_CHECK(clGetDeviceInfo(id, CL_DEVICE_TYPE, sizeof type, &type, NULL), st, err,
                    done);
        if (!(type & CL_DEVICE_TYPE_CPU))
            s->limits.word_bytes = OTHER_WORD_BYTES;
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
    pn_opencl_schedule_drain(s->worker, s->cl.sel.count, &st, &ignored);
    release_plan(s, &st, &ignored);
    for (unsigned i = 0; i < PROGRAM_CACHE; i++)
        if (s->cache[i].program)
            PN_CL_CHECK_CLEANUP(clReleaseProgram(s->cache[i].program), st, &ignored);
    pn_cl_context_close(&s->cl, &st, &ignored);
    free(s);
}

pn_status pn_opencl_session_open(const pn_device_choice *choice, pn_opencl_session **out,
                                 pn_error *err)
{
    double t0 = pn_now_seconds();
    *out = NULL;
    pn_opencl_session *s = calloc(1, sizeof *s);
    if (!s)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for an OpenCL session");
    pn_status st = pn_cl_context_open(&s->cl, choice, CL_QUEUE_PROFILING_ENABLE, "the kernel",
                                      err);
    if (st == PN_OK)
        st = device_limits(s, err);
    for (cl_uint d = 0; st == PN_OK && d < s->cl.sel.count; d++)
        st = open_worker(s, d, err);
    if (st != PN_OK) {
        pn_opencl_session_close(s);
        return st;
    }
    charge(&s->timing.open, t0, 0);
    *out = s;
    return PN_OK;
}

void pn_opencl_session_timing(const pn_opencl_session *s, pn_opencl_timing *out)
{
    *out = s->timing;
}

void pn_opencl_session_set_word_bytes(pn_opencl_session *s, unsigned bytes)
{
    s->limits.word_bytes = bytes;
}

void pn_opencl_session_describe(const pn_opencl_session *s, char *out, size_t len)
{
    pn_cl_selection_describe(&s->cl.sel, out, len);
}

pn_status pn_opencl_session_count(pn_opencl_session *s, const pn_plan_request *req,
                                  const pn_progress *progress, uint64_t *counts,
                                  pn_error *err)
{
    pn_plan pl;
    pn_status st = pn_plan_make(&pl, &s->limits, req, err);
    if (st == PN_OK)
        st = ensure_tested(s, &pl, err);
    if (st == PN_OK && pl.count > 0)
        st = execute_plan(s, &pl, progress, counts, err);
    pn_plan_free(&pl);
    return st;
}
