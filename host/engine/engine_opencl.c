/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_opencl.c -- the OpenCL engine behind pn_engine.h: questions turned into plan requests for a session, counts into histograms, and the rate auto expects. */
#include "engine/pn_engine.h"
#include "engine/pn_engine_opencl.h"
#include "opencl/pn_opencl_device.h"
#include "opencl/pn_opencl_error.h"
#include "opencl/pn_opencl_plan.h"
#include "opencl/pn_opencl_session.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/pn_duration.h"

/* The kernels keep one empty-host count per group: every fleet a query may
 * hold must fit them. */
_Static_assert(PN_MAX_GROUPS <= PN_CL_MAX_GROUPS, "a fleet has more groups than the kernels keep");

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
                           (unsigned long long)pn_levels_at(lv, i));
    }
    return PN_OK;
}

/* A mixed fleet's hosts for its plan request: host h's capacity and group,
 * the groups' hosts one after the other. The caller frees both arrays. */
static pn_status fleet_hosts(const pn_query *q, uint64_t **cap, unsigned **group, pn_error *err)
{
    *cap = malloc((size_t)q->hosts * sizeof **cap);
    *group = malloc((size_t)q->hosts * sizeof **group);
    if (!*cap || !*group) {
        free(*cap);
        free(*group);
        *cap = NULL;
        *group = NULL;
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the fleet's hosts");
    }
    uint64_t h = 0;
    for (unsigned j = 0; j < q->ngroups; j++)
        for (uint64_t c = 0; c < q->groups[j].count; c++, h++) {
            (*cap)[h] = q->groups[j].capacity;
            (*group)[h] = j;
        }
    return PN_OK;
}

/* Hands a pass's counts (laid out as pn_plan_request_bins says, `groups`
 * groups) to the histograms: level g's block into hists[i] for each
 * pn_levels_at(lv, i) (g - pn_levels_at(lv, 0) blocks in), its napping sums too. */
static void spread_counts(uint64_t hosts, unsigned groups, const pn_levels *lv,
                          const uint64_t *counts, pn_histogram *hists)
{
    uint64_t stride = hosts + 1;
    for (size_t i = 0; i < lv->n; i++) {
        const uint64_t *block = counts + (pn_levels_at(lv, i) - pn_levels_at(lv, 0)) * (groups + 1) * stride;
        pn_histogram_add_u64(&hists[i], block);
        for (unsigned j = 0; j < groups && j < hists[i].groups; j++)
            for (uint64_t k = 0; k <= hosts; k++) {
                mpz_ptr n = pn_histogram_napping(&hists[i], j, k);
                uint64_t v = block[(j + 1) * stride + k];
                mpz_add_ui(n, n, (unsigned long)v);
            }
    }
}

/* One pass over q's keyspace (or its slice) on the session s that adds
 * each level of q into its histogram, napping sums of a mixed fleet's
 * groups included: how the opencl engine answers mixed fleets (group 0's
 * hosts the low digits) and sweeps (the prefix kernel walks its table once
 * per reachable level). Every level's 64-bit counters must hold its counts
 * (PN_ERR_USAGE otherwise). */
static pn_status count_levels(pn_opencl_session *s, const pn_query *q, pn_run *run,
                              pn_histogram *hists, pn_error *err)
{
    const pn_levels *lv = &q->levels;
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
    uint64_t levels = pn_levels_at(lv, lv->n - 1) - pn_levels_at(lv, 0) + 1;
    uint64_t nbins = levels * ((mixed ? q->ngroups : 0) + 1) * (q->hosts + 1);
    st = check_pass(q, lv, count, levels > MAX_LEVEL_BINS ? MAX_LEVEL_BINS + 1 : nbins, err);
    uint64_t *cap = NULL;
    unsigned *group = NULL;
    if (st == PN_OK && mixed)
        st = fleet_hosts(q, &cap, &group, err);
    if (st != PN_OK)
        return st;
    uint64_t *counts = calloc((size_t)nbins, sizeof *counts);
    const pn_plan_request req = {.hosts = q->hosts, .base = q->per_host + 1,
                                 .guests = pn_levels_at(lv, 0), .slots = q->model == PN_MODEL_SLOTS,
                                 .first = first, .count = count,
                                 .groups = mixed ? q->ngroups : 0, .levels = (unsigned)levels,
                                 .host_cap = cap, .host_group = group};
    st = counts ? pn_opencl_session_count(s, &req, &run->progress, counts, err)
                : pn_fail(err, PN_ERR_NOMEM, "out of memory for the histograms");
    if (st == PN_OK) {
        spread_counts(q->hosts, req.groups, lv, counts, hists);
        pn_opencl_session_describe(s, run->engine_used, sizeof run->engine_used);
    }
    free(counts);
    free(cap);
    free(group);
    return st;
}

pn_status pn_engine_opencl_session_run(pn_opencl_session *s, const pn_query *q, pn_run *run,
                                       pn_histogram *hists, pn_error *err)
{
    if (q->levels.n > 1)
        return count_levels(s, q, run, hists, err);
    if (q->per_host_bases) { /* count_indices decodes each host's base */
        pn_status st = pn_query_enumeration_range(q, &(uint64_t){0}, &(uint64_t){0}, err);
        return st == PN_OK ? count_levels(s, q, run, hists, err) : st;
    }
    pn_histogram *hist = hists; /* one level of one radix: count_prefixes */
    uint64_t first, count;
    pn_status st = pn_query_enumeration_range(q, &first, &count, err);
    if (st != PN_OK)
        return st;
    uint64_t *counts = calloc((size_t)q->hosts + 1, sizeof *counts);
    if (!counts)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the histogram");
    const pn_plan_request req = {.hosts = q->hosts, .base = q->per_host + 1, .guests = q->guests,
                                 .slots = q->model == PN_MODEL_SLOTS, .first = first,
                                 .count = count};
    st = pn_opencl_session_count(s, &req, &run->progress, counts, err);
    if (st == PN_OK) {
        pn_histogram_add_u64(hist, counts);
        pn_opencl_session_describe(s, run->engine_used, sizeof run->engine_used);
    }
    free(counts);
    return st;
}

/* The engine entry point: one session for one query, every level in one
 * pass; its builds generic (the query's numbers are kernel arguments): the
 * kernel decodes constants once per LOW scenarios, so folding
 * hosts/base/guests into the build measured no faster (2.2e10/s either way
 * on 15/4/30, POCL), while it would cost a compile per distinct query and
 * could not be the build the self-test ran on. */
pn_status pn_engine_opencl_run(const pn_query *q, pn_run *run, pn_histogram *hists,
                               pn_error *err)
{
    uint64_t first, count;
    bool one_level = q->levels.n == 1;
    pn_status st = one_level ? pn_query_enumeration_range(q, &first, &count, err)
                             : pn_query_check_resolved(q, err);
    if (st == PN_OK && !one_level)
        st = pn_query_check_keyspace(q, err);
    if (st != PN_OK)
        return st;
    pn_opencl_session *s = NULL;
    st = pn_opencl_session_open(&run->device, &s, err);
    if (st == PN_OK)
        st = pn_engine_opencl_session_run(s, q, run, hists, err);
    pn_opencl_session_close(s);
    return st;
}

/* Rough scenarios per second of one device, from what the engine measured.
 * The rate depends on the build a query gets (kernels/enumerate.cl): its
 * model and its table's entry type, uchar for p up to 254 (tables of up to
 * 16384 entries per prefix) or wider for larger p (L = 1: p + 1 entries per
 * prefix, so the per-prefix work weighs more). On the 2-core POCL CPU
 * device (Xeon, AVX-512), shared and loaded (load average 5-8), the lowest
 * wall rate per compute unit over four rounds was: uniform 1.5e10 (uchar,
 * 14/4/28; 6e10 per CPU-second unloaded) and 3.0e9 (ushort, 4/300/600; 4e9
 * uint, 2/100000/100000); slots 2.9e9 (uchar, 14/4/28), 2.8e9 (ushort,
 * 4/300/4) and 0.94e9 (uint, 2/100000/2). The estimate takes a little less,
 * so auto never expects brute force to be quicker than it is. GPUs are put
 * at RATE_PER_GPU_UNIT_MHZ per compute unit and MHz of clock for the uchar
 * uniform build (an H100, 132 units at 1755 MHz, gives about 1.2e11), a
 * guess not yet measured, scaled for the other builds as on the CPU. */
#define RATE_PER_CPU_UNIT_UNIFORM_UCHAR 1.4e10
#define RATE_PER_CPU_UNIT_UNIFORM_WIDE 2.8e9
#define RATE_PER_CPU_UNIT_SLOTS_UCHAR 2.8e9
#define RATE_PER_CPU_UNIT_SLOTS_WIDE 9.0e8
#define RATE_PER_GPU_UNIT_MHZ 5.0e5
/* A mixed fleet's prefix decodes each host's base from a table and keeps
 * per-group napping sums: 10x4,2x6 at 20 guests ran at about 4e9/s on the
 * 2-core POCL device, an eighth of the homogeneous estimate; auto takes
 * that much less. */
#define MIXED_SLOWDOWN 8.0

/* Scenarios/s per CPU compute unit of the build q runs on; the uniform
 * uchar build's for a query that is absent or not enumerable. */
static double cpu_unit_rate(const pn_query *q)
{
    uint64_t first, count;
    pn_error ignored;
    if (!q || pn_query_enumeration_range(q, &first, &count, &ignored) != PN_OK)
        return RATE_PER_CPU_UNIT_UNIFORM_UCHAR;
    const pn_plan_request req = {.hosts = q->hosts, .base = q->per_host + 1, .guests = q->guests,
                                 .slots = q->model == PN_MODEL_SLOTS, .first = first,
                                 .count = count};
    bool narrow = pn_plan_sum_bytes(&req) == 1;
    double slowdown = q->per_host_bases ? MIXED_SLOWDOWN : 1.0;
    if (req.slots)
        return (narrow ? RATE_PER_CPU_UNIT_SLOTS_UCHAR : RATE_PER_CPU_UNIT_SLOTS_WIDE) / slowdown;
    return (narrow ? RATE_PER_CPU_UNIT_UNIFORM_UCHAR : RATE_PER_CPU_UNIT_UNIFORM_WIDE) / slowdown;
}

static pn_status device_rate(cl_device_id dev, double unit_rate, double *rate, pn_error *err)
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
        *rate = (double)units * (double)mhz * RATE_PER_GPU_UNIT_MHZ *
                (unit_rate / RATE_PER_CPU_UNIT_UNIFORM_UCHAR);
    else
        *rate = (double)units * unit_rate;
done:
    return st;
}

/* The sum of the chosen devices' rates for q's build, named after the
 * first device. */
pn_status pn_engine_opencl_estimate(const pn_query *q, const pn_run *run, pn_estimate *out,
                                    pn_error *err)
{
    pn_cl_selection sel;
    pn_status st = pn_cl_select_devices(&run->device, &sel, err);
    double unit_rate = cpu_unit_rate(q);
    out->scenarios_per_second = 0;
    for (cl_uint i = 0; st == PN_OK && i < sel.count; i++) {
        double r = 0;
        st = device_rate(sel.devices[i], unit_rate, &r, err);
        out->scenarios_per_second += r;
    }
    if (st == PN_OK)
        snprintf(out->device, sizeof out->device, "%s", sel.device_names[0]);
    return st;
}

static pn_status session_enumerate(void *state, const pn_query *q, pn_run *run,
                                   pn_histogram *hist, pn_error *err)
{
    return pn_engine_opencl_session_run(state, q, run, hist, err);
}

static void session_close(void *state)
{
    pn_opencl_session_close(state);
}

pn_status pn_engine_opencl_enumerator(pn_run *run, pn_enumerator *out, pn_error *err)
{
    pn_opencl_session *s = NULL;
    *out = (pn_enumerator){0};
    pn_status st = pn_opencl_session_open(&run->device, &s, err);
    if (st == PN_OK)
        *out = (pn_enumerator){.state = s, .run = session_enumerate, .close = session_close};
    return st;
}

/* A slice of q's range, `count` long at most, resolved. */
static pn_status sample_of(const pn_query *q, uint64_t count, pn_query *out, pn_error *err)
{
    return pn_query_slice(q, q->first, q->count < count ? q->count : count, out, err);
}

/* Times one device: a session on it alone, a warm-up slice (builds, first
 * launches), then a slice sized for about MEASURE_SECONDS at the warm-up's
 * rate. */
#define MEASURE_WARMUP 200000000ULL
#define MEASURE_SECONDS 0.3

static pn_status measure_device(const pn_query *q, pn_run *run, pn_device_choice one,
                                pn_rate_sample *out, pn_error *err)
{
    pn_opencl_session *s = NULL;
    pn_run quiet = {.device = one, .progress = {.cancel = run->progress.cancel}};
    pn_histogram hist = {0};
    pn_query sample;
    pn_status st = pn_opencl_session_open(&one, &s, err);
    if (st == PN_OK)
        st = pn_histogram_init_query(&hist, q, err); /* a fleet's napping sums too */
    double rate = 0;
    for (int pass = 0; st == PN_OK && pass < 2; pass++) {
        uint64_t n = pass == 0 ? MEASURE_WARMUP : (uint64_t)(rate * MEASURE_SECONDS) + 1;
        st = sample_of(q, n, &sample, err);
        double t0 = pn_now_seconds();
        if (st == PN_OK)
            st = pn_engine_opencl_session_run(s, &sample, &quiet, &hist, err);
        double took = pn_now_seconds() - t0;
        rate = took > 0 ? (double)sample.limit / took : rate;
    }
    if (st == PN_OK) {
        snprintf(out->device, sizeof out->device, "%s", quiet.engine_used);
        out->scenarios_per_second = rate;
    }
    pn_histogram_clear(&hist);
    pn_opencl_session_close(s);
    return st;
}

pn_status pn_engine_opencl_measure(const pn_query *q, pn_run *run, pn_rate_sample *out,
                                   unsigned max, unsigned *n, pn_error *err)
{
    uint64_t first, count;
    pn_cl_selection sel;
    *n = 0;
    pn_status st = pn_query_enumeration_range(q, &first, &count, err);
    if (st == PN_OK)
        st = pn_cl_select_devices(&run->device, &sel, err);
    for (cl_uint i = 0; st == PN_OK && i < sel.count && *n < max; i++) {
        pn_device_choice one = run->device;
        if (one.all) /* every device of the platform: measure device i alone */
            one = (pn_device_choice){.chosen = true, .platform = one.platform, .device = i};
        st = measure_device(q, run, one, &out[*n], err);
        if (st == PN_OK)
            (*n)++;
    }
    return st;
}
