/* engine_cpu.c -- the plain C enumerator: an odometer over base-(p+1) digits, the kernel's independent check. */
#include "pn_engine.h"
#include "pn_duration.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Scenarios between two looks at the cancel flag and the progress callback:
 * small enough to stop within a second, large enough to cost nothing. */
#define CPU_CHUNK (1ULL << 24)
/* Scenarios/s of this engine, for auto's estimate when no OpenCL device exists. */
#define CPU_ENGINE_RATE 3e8

typedef struct odometer {
    uint64_t hosts, base;
    uint64_t *digit;   /* digit[i] = guests on host i; host 0 turns fastest */
    uint64_t sum;      /* sum of the digits */
    uint64_t zeros;    /* how many digits are 0 */
    uint64_t *weight_of; /* slots model: C(p, x) for x = 0..p; NULL for uniform */
} odometer;

/* Sets the odometer to `index` by plain repeated division, host 0 first. */
static void odometer_set(odometer *o, uint64_t index)
{
    o->sum = o->zeros = 0;
    for (uint64_t i = 0; i < o->hosts; i++) {
        o->digit[i] = index % o->base;
        index /= o->base;
        o->sum += o->digit[i];
        o->zeros += o->digit[i] == 0;
    }
}

/* Turns the odometer by one, keeping sum and zeros current. Wrapping past the
 * last index is harmless: the caller never asks for more than the keyspace. */
static void odometer_step(odometer *o)
{
    for (uint64_t i = 0; i < o->hosts; i++) {
        if (o->digit[i] + 1 < o->base) {
            o->zeros -= o->digit[i] == 0;
            o->digit[i]++;
            o->sum++;
            return;
        }
        /* digit wraps from p to 0 and carries */
        o->sum -= o->digit[i];
        o->digit[i] = 0;
        o->zeros++;
    }
}

/* prod C(p, x_i) for the current scenario. The query check guarantees the sum
 * of all weights, C(h*p, g), fits in 64 bits, so no product overflows. */
static uint64_t odometer_weight(const odometer *o)
{
    uint64_t w = 1;
    for (uint64_t i = 0; i < o->hosts; i++)
        w *= o->weight_of[o->digit[i]];
    return w;
}

/* C(p, x) for x = 0..p, multiplicatively from both ends (C(p,x) = C(p,p-x)),
 * O(p). An entry of 2^64 or more is stored as UINT64_MAX: it can only belong
 * to scenarios that do not count, since the query check keeps the weight of
 * every counted scenario below 2^64 and each factor divides that weight.
 * Not shared with opencl_plan.c: the cpu engine shares no code with the OpenCL path it checks. */
static uint64_t *binomial_row(uint64_t p)
{
    uint64_t *row = calloc(p + 1, sizeof *row);
    if (!row)
        return NULL;
    row[0] = row[p] = 1;
    bool saturated = false;
    for (uint64_t x = 1; x <= p / 2; x++) {
        unsigned __int128 next = (unsigned __int128)row[x - 1] * (p - x + 1) / x;
        saturated = saturated || next > UINT64_MAX;
        row[x] = row[p - x] = saturated ? UINT64_MAX : (uint64_t)next;
    }
    return row;
}

/* Examines scenarios [first, first+count): those whose guests add up to g
 * add 1 (uniform) or their weight (slots) to bins[zeros]. Looks at the
 * cancel flag and reports progress every CPU_CHUNK scenarios. */
static pn_status count_range(odometer *o, uint64_t guests, uint64_t first, uint64_t count,
                             const pn_run *run, uint64_t *bins, pn_error *err)
{
    double start = pn_now_seconds();
    uint64_t done = 0;
    odometer_set(o, first);
    while (done < count) {
        uint64_t chunk = count - done < CPU_CHUNK ? count - done : CPU_CHUNK;
        for (uint64_t n = 0; n < chunk; n++) {
            if (o->sum == guests)
                bins[o->zeros] += o->weight_of ? odometer_weight(o) : 1;
            odometer_step(o);
        }
        done += chunk;
        if (run->progress.cancel && *run->progress.cancel)
            return pn_fail(err, PN_ERR_INTERRUPTED, "interrupted after %llu of %llu scenarios",
                           (unsigned long long)done, (unsigned long long)count);
        if (run->progress.update) {
            pn_progress_report r = {.done = done, .total = count,
                                    .rate = (double)done / (pn_now_seconds() - start + 1e-9)};
            run->progress.update(run->progress.ctx, &r);
        }
    }
    return PN_OK;
}

pn_status pn_engine_cpu_run(const pn_query *q, pn_run *run, pn_histogram *hist, pn_error *err)
{
    uint64_t first, count;
    pn_status st = pn_query_enumeration_range(q, &first, &count, err);
    if (st != PN_OK)
        return st;
    odometer o = {.hosts = q->hosts, .base = q->per_host + 1};
    o.digit = calloc(q->hosts, sizeof *o.digit);
    uint64_t *bins = calloc(q->hosts + 1, sizeof *bins);
    if (q->model == PN_MODEL_SLOTS)
        o.weight_of = binomial_row(q->per_host);
    if (!o.digit || !bins || (q->model == PN_MODEL_SLOTS && !o.weight_of)) {
        st = pn_fail(err, PN_ERR_NOMEM, "out of memory for the cpu engine");
        goto free_all;
    }
    st = count_range(&o, q->guests, first, count, run, bins, err);
    if (st == PN_OK) {
        pn_histogram_add_u64(hist, bins);
        snprintf(run->engine_used, sizeof run->engine_used, "cpu");
    }
free_all:
    free(o.weight_of);
    free(bins);
    free(o.digit);
    return st;
}

pn_status pn_engine_cpu_estimate(const pn_query *q, const pn_run *run, pn_estimate *out,
                                 pn_error *err)
{
    (void)q;
    (void)run;
    (void)err;
    out->scenarios_per_second = CPU_ENGINE_RATE;
    snprintf(out->device, sizeof out->device, "the cpu engine");
    return PN_OK;
}

/* The cpu engine keeps nothing between slices. */
static pn_status cpu_enumerate(void *state, const pn_query *q, pn_run *run, pn_histogram *hist,
                               pn_error *err)
{
    (void)state;
    return pn_engine_cpu_run(q, run, hist, err);
}

pn_status pn_engine_cpu_enumerator(pn_run *run, pn_enumerator *out, pn_error *err)
{
    (void)run;
    (void)err;
    *out = (pn_enumerator){.state = NULL, .run = cpu_enumerate, .close = NULL};
    return PN_OK;
}

/* Slice length for a rate measurement: about 0.1 s at CPU_ENGINE_RATE. */
#define MEASURE_SCENARIOS 30000000ULL

pn_status pn_engine_cpu_measure(const pn_query *q, pn_run *run, pn_rate_sample *out,
                                pn_error *err)
{
    uint64_t first, count;
    pn_status st = pn_query_enumeration_range(q, &first, &count, err);
    if (st != PN_OK)
        return st;
    pn_query sample = *q;
    sample.sliced = true;
    sample.limit_to_end = false;
    sample.skip = first;
    sample.limit = count < MEASURE_SCENARIOS ? count : MEASURE_SCENARIOS;
    pn_histogram hist = {0};
    pn_run quiet = {.progress = {.cancel = run->progress.cancel}};
    st = pn_query_resolve(&sample, err);
    if (st == PN_OK)
        st = pn_histogram_init(&hist, q->hosts, err);
    double t0 = pn_now_seconds();
    if (st == PN_OK)
        st = pn_engine_cpu_run(&sample, &quiet, &hist, err);
    double took = pn_now_seconds() - t0;
    pn_histogram_clear(&hist);
    snprintf(out->device, sizeof out->device, "the cpu engine (one thread)");
    out->scenarios_per_second = took > 0 ? (double)sample.limit / took : 0;
    return st;
}
