/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_cpu.c -- the plain C enumerator: a mixed-radix odometer over the hosts' digits, the kernel's independent check. */
#include "engine/pn_engine.h"
#include "base/pn_duration.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Scenarios between two looks at the cancel flag and the progress callback:
 * small enough to stop within a second, large enough to cost nothing. */
#define CPU_CHUNK (1ULL << 24)
/* Scenarios/s of this engine, for auto's estimate when no OpenCL device exists. */
#define CPU_ENGINE_RATE 3e8

/* Index i is a mixed-radix number: digit j (host j, host 0 lowest) is the
 * guests on host j, in base c_j + 1, where c_j is its group's capacity and
 * the groups' hosts follow each other in the fleet's order. A homogeneous
 * cloud is the one group h x p, every base p+1. */
typedef struct odometer {
    uint64_t hosts;
    uint64_t radix;    /* every host's base, when all are alike (else 0) */
    uint64_t *digit;   /* digit[i] = guests on host i; host 0 turns fastest */
    uint64_t *base;    /* base[i] = capacity of host i + 1 */
    unsigned *group;   /* group[i] = host i's group */
    uint64_t sum;      /* sum of the digits */
    uint64_t zeros;    /* how many digits are 0 */
    uint64_t **weight_of; /* slots: weight_of[group][x] = C(c, x); NULL for uniform */
} odometer;

/* What one pass counts: per wanted level, the bins and, for a mixed fleet,
 * the napping sums (64-bit, with overflow spilled into the histogram). */
typedef struct tally {
    uint64_t lo, hi;     /* guest sums wanted lie in [lo, hi] */
    int64_t *slot_of;    /* slot_of[s - lo]: the level index of sum s, or -1 */
    uint64_t hosts;
    unsigned groups;     /* 0 unless a mixed fleet */
    uint64_t *bins;      /* levels x (hosts+1) */
    uint64_t *napping;   /* levels x groups x (hosts+1) */
    pn_histogram *hists; /* where spilled napping sums go */
} tally;

/* Sets the odometer to `index` by plain repeated division, host 0 first. */
static void odometer_set(odometer *o, uint64_t index)
{
    o->sum = o->zeros = 0;
    for (uint64_t i = 0; i < o->hosts; i++) {
        o->digit[i] = index % o->base[i];
        index /= o->base[i];
        o->sum += o->digit[i];
        o->zeros += o->digit[i] == 0;
    }
}

/* Turns the odometer by one, keeping sum and zeros current. Wrapping past the
 * last index is harmless: the caller never asks for more than the keyspace.
 * `alike` (a constant at each call site, so the compiler specialises it)
 * reads the one radix instead of each host's base: the homogeneous cloud's
 * hot loop stays as lean as before fleets. */
static inline __attribute__((always_inline)) void odometer_step(odometer *o, bool alike)
{
    for (uint64_t i = 0; i < o->hosts; i++) {
        if (o->digit[i] + 1 < (alike ? o->radix : o->base[i])) {
            o->zeros -= o->digit[i] == 0;
            o->digit[i]++;
            o->sum++;
            return;
        }
        /* digit wraps from its capacity to 0 and carries (base 1: it stays 0;
         * alike, the radix is at least 2 unless p = 0, whose one scenario
         * is never followed by another) */
        o->sum -= o->digit[i];
        o->zeros += alike ? 1 : o->digit[i] != 0;
        o->digit[i] = 0;
    }
}

/* prod C(c_i, x_i) for the current scenario. The query check guarantees the
 * sum of all weights, C(capacity, g), fits in 64 bits, so no product overflows. */
static uint64_t odometer_weight(const odometer *o)
{
    uint64_t w = 1;
    for (uint64_t i = 0; i < o->hosts; i++)
        w *= o->weight_of[o->group[i]][o->digit[i]];
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

/* acc += v; what passes 64 bits goes into spill, exactly. */
static void add_spilling(uint64_t *acc, unsigned __int128 v, mpz_ptr spill)
{
    unsigned __int128 sum = (unsigned __int128)*acc + v;
    uint64_t high = (uint64_t)(sum >> 64);
    if (high) {
        mpz_t carry;
        mpz_init_set_ui(carry, (unsigned long)high);
        mpz_mul_2exp(carry, carry, 64);
        mpz_add(spill, spill, carry);
        mpz_clear(carry);
    }
    *acc = (uint64_t)sum;
}

/* Counts the current scenario under level s: its weight in bins[zeros] and,
 * for a mixed fleet, weight * (empty hosts of group j) in group j's sums. */
static inline __attribute__((always_inline)) void record(const odometer *o, tally *t, int64_t s)
{
    uint64_t w = o->weight_of ? odometer_weight(o) : 1;
    t->bins[(uint64_t)s * (t->hosts + 1) + o->zeros] += w;
    if (t->groups == 0)
        return;
    uint64_t empty[PN_MAX_GROUPS] = {0};
    for (uint64_t i = 0; i < o->hosts; i++)
        empty[o->group[i]] += o->digit[i] == 0;
    for (unsigned j = 0; j < t->groups; j++) {
        uint64_t at = ((uint64_t)s * t->groups + j) * (t->hosts + 1) + o->zeros;
        if (empty[j])
            add_spilling(&t->napping[at], (unsigned __int128)w * empty[j],
                         pn_histogram_napping(&t->hists[s], j, o->zeros));
    }
}

/* Examines the next `chunk` scenarios: those whose guests add up to a
 * wanted level are recorded under it. `alike` and `single` (one level) are
 * constants at each call site, so each case gets its own loop. */
static inline __attribute__((always_inline)) void scan(odometer *o, tally *t, uint64_t chunk,
                                                       bool alike, bool single)
{
    /* Locals, not the fields of o and t: o's address has escaped, so every
     * store through t->bins could alias them and they would live in memory;
     * a local copy whose address never leaves the inlined calls stays in
     * registers (30% faster). */
    const uint64_t lo = t->lo, hi = t->hi;
    const int64_t *slot_of = t->slot_of;
    odometer r = *o;
    for (uint64_t n = 0; n < chunk; n++) {
        if (single ? r.sum == lo : r.sum >= lo && r.sum <= hi && slot_of[r.sum - lo] >= 0) {
            record(&r, t, single ? 0 : slot_of[r.sum - lo]);
        }
        odometer_step(&r, alike);
    }
    *o = r;
}

/* Examines scenarios [first, first+count). Looks at the cancel flag and
 * reports progress every CPU_CHUNK scenarios. */
static pn_status count_range(odometer *o, tally *t, uint64_t first, uint64_t count,
                             const pn_run *run, pn_error *err)
{
    double start = pn_now_seconds();
    uint64_t done = 0;
    bool single = t->lo == t->hi;
    odometer_set(o, first);
    while (done < count) {
        uint64_t chunk = count - done < CPU_CHUNK ? count - done : CPU_CHUNK;
        if (o->radix && single)
            scan(o, t, chunk, true, true);
        else if (o->radix)
            scan(o, t, chunk, true, false);
        else
            scan(o, t, chunk, false, false);
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

/* The digits' bases and groups, and for slots each group's binomial row. */
static pn_status odometer_init(odometer *o, const pn_query *q, pn_error *err)
{
    const pn_group *g = q->groups;
    unsigned n = q->ngroups;
    o->hosts = q->hosts;
    o->radix = q->per_host_bases ? 0 : q->per_host + 1;
    o->digit = calloc(q->hosts, sizeof *o->digit);
    o->base = calloc(q->hosts, sizeof *o->base);
    o->group = calloc(q->hosts, sizeof *o->group);
    if (q->model == PN_MODEL_SLOTS)
        o->weight_of = calloc(n, sizeof *o->weight_of);
    if (!o->digit || !o->base || !o->group || (q->model == PN_MODEL_SLOTS && !o->weight_of))
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the cpu engine");
    for (unsigned j = 0, i = 0; j < n; j++) {
        for (uint64_t c = 0; c < g[j].count; c++, i++) {
            o->base[i] = g[j].capacity + 1;
            o->group[i] = j;
        }
        if (o->weight_of && !(o->weight_of[j] = binomial_row(g[j].capacity)))
            return pn_fail(err, PN_ERR_NOMEM, "out of memory for the cpu engine");
    }
    return PN_OK;
}

static void odometer_free(odometer *o, unsigned groups)
{
    for (unsigned j = 0; o->weight_of && j < groups; j++)
        free(o->weight_of[j]);
    free(o->weight_of);
    free(o->group);
    free(o->base);
    free(o->digit);
}

/* Each level's question must be enumerable: keyspace and slots weights
 * within 64 bits (C(capacity, g) bounds every count of level g). */
static pn_status check_levels(const pn_query *q, const pn_levels *lv, uint64_t *first,
                              uint64_t *count, pn_error *err)
{
    for (size_t i = 0; i < lv->n; i++) {
        pn_query one = pn_query_level(q, i);
        pn_status st = pn_query_enumeration_range(&one, first, count, err);
        if (st != PN_OK)
            return st;
    }
    return PN_OK;
}

static pn_status tally_init(tally *t, const pn_query *q, const pn_levels *lv, pn_histogram *hists,
                            pn_error *err)
{
    *t = (tally){.lo = pn_levels_at(lv, 0), .hi = pn_levels_at(lv, lv->n - 1), .hosts = q->hosts,
                 .groups = q->per_host_bases ? q->ngroups : 0, .hists = hists};
    t->slot_of = malloc((size_t)(t->hi - t->lo + 1) * sizeof *t->slot_of);
    t->bins = calloc(lv->n * (q->hosts + 1), sizeof *t->bins);
    t->napping = calloc(lv->n * t->groups * (q->hosts + 1) + 1, sizeof *t->napping);
    if (!t->slot_of || !t->bins || !t->napping)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the cpu engine's %zu levels", lv->n);
    for (uint64_t s = t->lo; s <= t->hi; s++)
        t->slot_of[s - t->lo] = -1;
    for (size_t i = 0; i < lv->n; i++)
        t->slot_of[pn_levels_at(lv, i) - t->lo] = (int64_t)i;
    return PN_OK;
}

/* Adds the pass's counts into each level's histogram. */
static void tally_flush(const tally *t, size_t levels)
{
    for (size_t i = 0; i < levels; i++) {
        pn_histogram *h = &t->hists[i];
        pn_histogram_add_u64(h, t->bins + i * (t->hosts + 1));
        for (unsigned j = 0; j < t->groups; j++)
            for (uint64_t k = 0; k <= t->hosts; k++)
                mpz_add_ui(pn_histogram_napping(h, j, k), pn_histogram_napping(h, j, k),
                           (unsigned long)t->napping[(i * t->groups + j) * (t->hosts + 1) + k]);
    }
}

pn_status pn_engine_cpu_run(const pn_query *q, pn_run *run, pn_histogram *hists, pn_error *err)
{
    const pn_levels *lv = &q->levels;
    uint64_t first = 0, count = 0;
    pn_status st = pn_query_check_resolved(q, err);
    if (st == PN_OK)
        st = check_levels(q, lv, &first, &count, err);
    if (st != PN_OK)
        return st;
    odometer o = {0};
    tally t = {0};
    st = odometer_init(&o, q, err);
    if (st == PN_OK)
        st = tally_init(&t, q, lv, hists, err);
    if (st == PN_OK)
        st = count_range(&o, &t, first, count, run, err);
    if (st == PN_OK) {
        tally_flush(&t, lv->n);
        snprintf(run->engine_used, sizeof run->engine_used, "cpu");
    }
    free(t.slot_of);
    free(t.bins);
    free(t.napping);
    odometer_free(&o, q->ngroups);
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
    pn_query sample;
    st = pn_query_slice(q, first, count < MEASURE_SCENARIOS ? count : MEASURE_SCENARIOS, &sample,
                        err);
    if (st != PN_OK)
        return st;
    pn_histogram hist = {0};
    pn_run quiet = {.progress = {.cancel = run->progress.cancel}};
    st = pn_histogram_init_query(&hist, q, err); /* a fleet's napping sums too */
    double t0 = pn_now_seconds();
    if (st == PN_OK)
        st = pn_engine_cpu_run(&sample, &quiet, &hist, err);
    double took = pn_now_seconds() - t0;
    pn_histogram_clear(&hist);
    snprintf(out->device, sizeof out->device, "the cpu engine (one thread)");
    out->scenarios_per_second = took > 0 ? (double)sample.limit / took : 0;
    return st;
}
