/* opencl_session.c -- an OpenCL context on the chosen devices: builds, self-tests, and runs each query's plan. */
#include "opencl/pn_opencl_session.h"
#include "base/pn_duration.h"
#include "opencl/pn_kernel_source.h"
#include "opencl/pn_opencl_build.h"
#include "opencl/pn_opencl_device.h"
#include "opencl/pn_opencl_error.h"
#include "opencl/pn_opencl_kernels.h"
#include "opencl/pn_opencl_plan.h"
#include "opencl/pn_opencl_schedule.h"
#include "opencl/pn_opencl_selftest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds a session keeps (each distinct option string is one build), and
 * builds whose self-test it remembers. */
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
} program_entry;

struct pn_opencl_session {
    pn_cl_selection sel;
    cl_context context;
    bool specialise;
    char tested[PROGRAM_CACHE][OPTIONS_MAX]; /* generic builds that passed the self-test */
    unsigned tested_next;
    pn_plan_limits limits; /* smallest over the devices */
    pn_opencl_worker worker[PN_CL_MAX_DEVICES]; /* queue, kernels and timing per device */
    cl_mem bins[PN_CL_MAX_DEVICES];             /* each device's histogram for the query */
    program_entry cache[PROGRAM_CACHE];
    unsigned cache_next;
    pn_opencl_tables tables; /* the query's, shared by every device of the context */
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

/* The program built with `options`, from the session cache or built now. */
static pn_status get_program(pn_opencl_session *s, const char *options, cl_program *out,
                             pn_error *err)
{
    for (unsigned i = 0; i < PROGRAM_CACHE; i++)
        if (s->cache[i].program && strcmp(s->cache[i].options, options) == 0) {
            *out = s->cache[i].program;
            return PN_OK;
        }
    double t0 = pn_now_seconds();
    pn_status st = pn_cl_build_program(s->context, s->sel.count, s->sel.devices,
                                       pn_kernel_source, options, out, err);
    charge(&s->timing.build, t0, 0);
    s->timing.builds++;
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
    s->bins[d] = clCreateBuffer(s->context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
    PN_CL_CHECK(rc, st, err, done);
    PN_CL_CHECK(clEnqueueFillBuffer(w->queue, s->bins[d], &zero, sizeof zero, 0, bytes, 0, NULL,
                                    NULL), st, err, done);
    st = pn_opencl_kernels_make(prog, pl, &s->tables, s->bins[d], w->kernel, err);
    pn_opencl_worker_reset(w);
done:
    return st;
}

/* Program, tables and per-device kernels for one plan. */
static pn_status prepare_query(pn_opencl_session *s, const pn_plan *pl, pn_error *err)
{
    char options[OPTIONS_MAX];
    cl_program prog = NULL;
    double t0 = pn_now_seconds(), built = s->timing.build;
    pn_plan_options(pl, s->specialise, options, sizeof options);
    pn_status st = get_program(s, options, &prog, err);
    if (st == PN_OK)
        st = pn_opencl_tables_make(s->context, pl, &s->tables, err);
    for (cl_uint d = 0; st == PN_OK && d < s->sel.count; d++)
        st = prepare_device(s, d, prog, pl, err);
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
    for (cl_uint d = 0; d < s->sel.count; d++) {
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
    pn_status st = prepare_query(s, pl, err);
    double t0 = pn_now_seconds();
    if (st == PN_OK)
        st = pn_opencl_schedule_run(s->worker, s->sel.count, pl, progress, err);
    if (st == PN_OK)
        st = collect_bins(s, pl, counts, scratch, err);
    release_query(s, &st, err);
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

/* Limits under which the self-test's plans get the build options of pl:
 * the same word and, when pl's tables are __global, __global tables too. */
static pn_plan_limits limits_like(const pn_opencl_session *s, const pn_plan *pl)
{
    pn_plan_limits lim = s->limits;
    lim.word_bytes = pl->lanes * pl->sum_bytes;
    if (!pl->constant_tables)
        lim.const_args = 0;
    return lim;
}

/* The self-test on the build pl runs on (its generic build options: model,
 * table address space, entry type and word), once per session and build. */
static pn_status ensure_tested(pn_opencl_session *s, const pn_plan *pl, pn_error *err)
{
    char options[OPTIONS_MAX];
    pn_plan_options(pl, false, options, sizeof options);
    for (unsigned i = 0; i < PROGRAM_CACHE; i++)
        if (strcmp(s->tested[i], options) == 0)
            return PN_OK;
    pn_plan_limits lim = limits_like(s, pl);
    double t0 = pn_now_seconds(), built = s->timing.build;
    s->testing = true;
    pn_status st = pn_opencl_selftest(run_test_plan, s, &lim, pl->slots, pl->sum_bytes,
                                      s->sel.device_names[0], err);
    s->testing = false;
    charge(&s->timing.selftest, t0, s->timing.build - built);
    s->timing.selftests++;
    if (st == PN_OK) {
        snprintf(s->tested[s->tested_next], OPTIONS_MAX, "%s", options);
        s->tested_next = (s->tested_next + 1) % PROGRAM_CACHE;
    }
    return st;
}

/* ---- session ----------------------------------------------------------- */

/* Queue (with profiling, which times the scheduler's chunks), work-group
 * size and the 64-bit atomics check for one device. */
static pn_status open_device(pn_opencl_session *s, cl_uint d, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    pn_opencl_worker *w = &s->worker[d];
    cl_device_id id = s->sel.devices[d];
    bool atomics = false;
    size_t max_group = 1;
    st = pn_cl_device_has_extension(id, "cl_khr_int64_base_atomics", &atomics, err);
    if (st != PN_OK)
        return st;
    if (!atomics)
        return pn_fail(err, PN_ERR_OPENCL, "OpenCL device %s lacks cl_khr_int64_base_atomics, "
                       "which the kernel needs for 64-bit counts; choose another --device or "
                       "use --engine cpu", s->sel.device_names[d]);
    PN_CL_CHECK(clGetDeviceInfo(id, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof max_group,
                                &max_group, NULL), st, err, done);
    w->group = max_group < MAX_GROUP ? max_group : MAX_GROUP;
    w->queue = clCreateCommandQueue(s->context, id, CL_QUEUE_PROFILING_ENABLE, &rc);
    PN_CL_CHECK(rc, st, err, done);
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
    for (cl_uint d = 0; d < s->sel.count; d++) {
        cl_ulong local = 0, cmem = 0;
        cl_uint cargs = 0;
        cl_device_type type = 0;
        cl_device_id id = s->sel.devices[d];
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
    pn_opencl_schedule_drain(s->worker, s->sel.count, &st, &ignored);
    release_query(s, &st, &ignored);
    for (unsigned i = 0; i < PROGRAM_CACHE; i++)
        if (s->cache[i].program)
            PN_CL_CHECK_CLEANUP(clReleaseProgram(s->cache[i].program), st, &ignored);
    for (cl_uint d = 0; d < s->sel.count; d++)
        if (s->worker[d].queue)
            PN_CL_CHECK_CLEANUP(clReleaseCommandQueue(s->worker[d].queue), st, &ignored);
    if (s->context)
        PN_CL_CHECK_CLEANUP(clReleaseContext(s->context), st, &ignored);
    free(s);
}

pn_status pn_opencl_session_open(const pn_device_choice *choice, bool specialise,
                                 pn_opencl_session **out, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    double t0 = pn_now_seconds();
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
    charge(&s->timing.open, t0, 0);
    *out = s;
    return PN_OK;
close_session:
    pn_opencl_session_close(s);
    return st;
}

void pn_opencl_session_timing(const pn_opencl_session *s, pn_opencl_timing *out)
{
    *out = s->timing;
}

void pn_opencl_session_set_word_bytes(pn_opencl_session *s, unsigned bytes)
{
    s->limits.word_bytes = bytes;
}

/* Most bins a mixed fleet's or a sweep's one pass keeps (levels x
 * (groups+1) x (hosts+1) 64-bit counters on the device). */
#define MAX_LEVEL_BINS (1ULL << 24)

/* Refuses what one count_indices pass cannot hold in 64-bit counters: a
 * level whose weights do not fit (slots), napping sums that could wrap
 * (a weight times the hosts), or too many bins. */
static pn_status check_pass(const pn_query *q, const pn_levels *lv, uint64_t count,
                            uint64_t nbins, pn_error *err)
{
    if (nbins > MAX_LEVEL_BINS)
        return pn_fail(err, PN_ERR_USAGE, "the opencl engine counts at most %llu bins in one "
                       "pass (levels x (groups+1) x (hosts+1)); use --engine cpu or exact",
                       (unsigned long long)MAX_LEVEL_BINS);
    bool mixed = q->per_host_bases;
    for (size_t i = 0; i < lv->n; i++) {
        pn_query one = pn_query_level(q, i);
        pn_status st = pn_query_check_weights(&one, err);
        if (st != PN_OK)
            return st;
        unsigned __int128 most = q->model == PN_MODEL_SLOTS && one.weight_bits < 128
                                     ? ((unsigned __int128)1 << one.weight_bits)
                                     : (unsigned __int128)count;
        if (mixed && most * q->hosts > UINT64_MAX)
            return pn_fail(err, PN_ERR_USAGE, "the napping sums of %llu guests could pass "
                           "2^64 on the opencl engine; use --engine cpu or exact",
                           (unsigned long long)lv->guests[i]);
    }
    return PN_OK;
}

/* Hands a pass's counts to the histograms: level g's block into hists[i]
 * for each lv->guests[i] (g - lv->guests[0] blocks in). */
static void spread_counts(const pn_plan *pl, const pn_levels *lv, const uint64_t *counts,
                          pn_histogram *hists)
{
    uint64_t stride = pl->hosts + 1;
    for (size_t i = 0; i < lv->n; i++) {
        const uint64_t *block = counts + (lv->guests[i] - lv->guests[0]) * (pl->groups + 1) *
                                             stride;
        pn_histogram_add_u64(&hists[i], block);
        for (unsigned j = 0; j < pl->groups && j < hists[i].groups; j++)
            for (uint64_t k = 0; k <= pl->hosts; k++) {
                mpz_ptr n = pn_histogram_napping(&hists[i], j, k);
                uint64_t v = block[(j + 1) * stride + k];
                mpz_add_ui(n, n, (unsigned long)v);
            }
    }
}

pn_status pn_opencl_session_levels(pn_opencl_session *s, const pn_query *q,
                                   const pn_levels *lv, pn_run *run, pn_histogram *hists,
                                   pn_error *err)
{
    uint64_t first = 0, count = 0;
    pn_status st = pn_query_check_resolved(q, err);
    if (st == PN_OK && lv->n == 0)
        return PN_OK;
    if (st == PN_OK)
        st = pn_query_check_keyspace(q, err);
    if (st != PN_OK)
        return st;
    if (q->sliced) {
        first = q->first;
        count = q->count;
    } else {
        count = q->keyspace;
    }
    bool mixed = q->per_host_bases;
    uint64_t levels = lv->guests[lv->n - 1] - lv->guests[0] + 1;
    uint64_t nbins = levels * ((mixed ? q->ngroups : 0) + 1) * (q->hosts + 1);
    st = check_pass(q, lv, count, levels > MAX_LEVEL_BINS ? MAX_LEVEL_BINS + 1 : nbins, err);
    if (st != PN_OK)
        return st;
    uint64_t *cap = NULL;
    unsigned *group = NULL;
    if (mixed) {
        cap = malloc((size_t)q->hosts * sizeof *cap);
        group = malloc((size_t)q->hosts * sizeof *group);
        if (!cap || !group) {
            free(cap);
            free(group);
            return pn_fail(err, PN_ERR_NOMEM, "out of memory for the fleet's hosts");
        }
        uint64_t h = 0;
        for (unsigned j = 0; j < q->ngroups; j++)
            for (uint64_t c = 0; c < q->groups[j].count; c++, h++) {
                cap[h] = q->groups[j].capacity;
                group[h] = j;
            }
    }
    uint64_t *counts = calloc((size_t)nbins, sizeof *counts);
    pn_plan pl = {0};
    const pn_plan_request req = {.hosts = q->hosts, .base = q->per_host + 1,
                                 .guests = lv->guests[0], .slots = q->model == PN_MODEL_SLOTS,
                                 .first = first, .count = count,
                                 .groups = mixed ? q->ngroups : 0, .levels = (unsigned)levels,
                                 .host_cap = cap, .host_group = group};
    st = counts ? pn_plan_make(&pl, &s->limits, &req, err)
                : pn_fail(err, PN_ERR_NOMEM, "out of memory for the histograms");
    if (st == PN_OK)
        st = ensure_tested(s, &pl, err);
    if (st == PN_OK && count > 0)
        st = execute_plan(s, &pl, &run->progress, counts, err);
    if (st == PN_OK) {
        spread_counts(&pl, lv, counts, hists);
        pn_cl_selection_describe(&s->sel, run->engine_used, sizeof run->engine_used);
    }
    pn_plan_free(&pl);
    free(counts);
    free(cap);
    free(group);
    return st;
}

pn_status pn_opencl_session_run(pn_opencl_session *s, const pn_query *q, pn_run *run,
                                pn_histogram *hist, pn_error *err)
{
    if (q->per_host_bases) { /* count_indices decodes each host's base */
        uint64_t g = q->guests;
        pn_status st = pn_query_enumeration_range(q, &(uint64_t){0}, &(uint64_t){0}, err);
        if (st != PN_OK)
            return st;
        return pn_opencl_session_levels(s, q, &(pn_levels){.n = 1, .guests = &g}, run, hist,
                                        err);
    }
    uint64_t first, count;
    pn_status st = pn_query_enumeration_range(q, &first, &count, err);
    if (st != PN_OK)
        return st;
    uint64_t *counts = calloc((size_t)q->hosts + 1, sizeof *counts);
    if (!counts)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the histogram");
    pn_plan pl;
    const pn_plan_request req = {.hosts = q->hosts, .base = q->per_host + 1, .guests = q->guests,
                                 .slots = q->model == PN_MODEL_SLOTS, .first = first,
                                 .count = count};
    st = pn_plan_make(&pl, &s->limits, &req, err);
    if (st == PN_OK)
        st = ensure_tested(s, &pl, err);
    if (st == PN_OK && count > 0)
        st = execute_plan(s, &pl, &run->progress, counts, err);
    if (st == PN_OK) {
        pn_histogram_add_u64(hist, counts);
        pn_cl_selection_describe(&s->sel, run->engine_used, sizeof run->engine_used);
    }
    pn_plan_free(&pl);
    free(counts);
    return st;
}
