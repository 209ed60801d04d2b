/* engine_opencl.c -- the OpenCL engine behind pn_engine.h: a session per query, and the rate auto expects. */
#include "engine/pn_engine.h"
#include "opencl/pn_opencl_device.h"
#include "opencl/pn_opencl_error.h"
#include "opencl/pn_opencl_plan.h"
#include "opencl/pn_opencl_session.h"

#include <stdio.h>

#include "base/pn_duration.h"

/* One slice of q on the open session, as pn_engine_opencl_run counts it:
 * one level alone, several in one pass. */
static pn_status session_enumerate(void *state, const pn_query *q, pn_run *run,
                                   pn_histogram *hists, pn_error *err)
{
    if (q->levels.n == 1)
        return pn_opencl_session_run(state, q, run, hists, err);
    pn_status st = pn_query_check_resolved(q, err);
    if (st == PN_OK)
        st = pn_query_check_keyspace(q, err);
    return st == PN_OK ? pn_opencl_session_levels(state, q, &q->levels, run, hists, err) : st;
}

/* The engine entry point: one session for one query, every level in one
 * pass (one level: the count_prefixes kernel; several: the prefix kernel
 * walking its table once per reachable level, or count_indices). It uses
 * the generic build (SLOTS and TABLE as -D options, the rest as
 * arguments): the kernel decodes constants once per LOW scenarios, so
 * folding hosts/base/guests measured no faster (2.2e10/s either way on
 * 15/4/30, POCL), while a specialised build costs a compile per distinct
 * query and could not be the build the self-test ran on. */
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
    st = pn_opencl_session_open(&run->device, false, &s, err);
    if (st == PN_OK)
        st = session_enumerate(s, q, run, hists, err);
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

static void session_close(void *state)
{
    pn_opencl_session_close(state);
}

pn_status pn_engine_opencl_enumerator(pn_run *run, pn_enumerator *out, pn_error *err)
{
    pn_opencl_session *s = NULL;
    *out = (pn_enumerator){0};
    pn_status st = pn_opencl_session_open(&run->device, false, &s, err);
    if (st == PN_OK)
        *out = (pn_enumerator){.state = s, .run = session_enumerate, .close = session_close};
    return st;
}

/* A slice of q's range, `count` long at most, resolved. */
static pn_status sample_of(const pn_query *q, uint64_t count, pn_query *out, pn_error *err)
{
    *out = *q;
    out->sliced = true;
    out->limit_to_end = false;
    out->skip = q->first;
    out->limit = q->count < count ? q->count : count;
    return pn_query_resolve(out, err);
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
    pn_status st = pn_opencl_session_open(&one, false, &s, err);
    if (st == PN_OK)
        st = pn_histogram_init_query(&hist, q, err); /* a fleet's napping sums too */
    double rate = 0;
    for (int pass = 0; st == PN_OK && pass < 2; pass++) {
        uint64_t n = pass == 0 ? MEASURE_WARMUP : (uint64_t)(rate * MEASURE_SECONDS) + 1;
        st = sample_of(q, n, &sample, err);
        double t0 = pn_now_seconds();
        if (st == PN_OK)
            st = pn_opencl_session_run(s, &sample, &quiet, &hist, err);
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
