/* bench_throughput.c -- scenarios/s of the baseline odometer, the cpu engine and the OpenCL engine on every device, measured in one run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CL/cl.h>

#include "odometer_baseline.h"
#include "pn_engine.h"

/* OpenCL must reach this multiple of the baseline's rate. */
#define TARGET_RATIO 10.0
#define MAX_PLATFORMS 16

typedef struct args {
    pn_query full;     /* the OpenCL query, whole keyspace */
    pn_query slice;    /* the slice the baseline and the cpu engine time */
    int repeats;       /* best of this many runs per figure */
} args;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool parse_args(int argc, char **argv, args *a)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_throughput HOSTS PER_HOST GUESTS SLICE REPEATS\n");
        return false;
    }
    a->full = (pn_query){.hosts = strtoull(argv[1], NULL, 10),
                         .per_host = strtoull(argv[2], NULL, 10),
                         .guests = strtoull(argv[3], NULL, 10)};
    a->slice = a->full;
    a->slice.sliced = true;
    a->slice.limit = strtoull(argv[4], NULL, 10);
    a->repeats = atoi(argv[5]);
    pn_error err;
    if (pn_query_resolve(&a->full, &err) != PN_OK || pn_query_resolve(&a->slice, &err) != PN_OK) {
        fprintf(stderr, "bench_throughput: %s\n", err.msg);
        return false;
    }
    return a->full.hosts >= 1 && a->full.hosts <= 64 && a->slice.limit > 0 && a->repeats >= 1;
}

/* One timed figure: what ran, how many scenarios, the best time. */
typedef struct figure {
    char label[300];
    uint64_t scenarios;
    double seconds;
} figure;

static double rate_of(const figure *f)
{
    return (double)f->scenarios / f->seconds;
}

static void print_figure(const figure *f, const figure *baseline)
{
    printf("  %-44s %9.3e scenarios in %6.3f s = %9.3e scenarios/s %6.1fx baseline\n",
           f->label, (double)f->scenarios, f->seconds, rate_of(f),
           rate_of(f) / rate_of(baseline));
}

/* The baseline on the slice, best of a->repeats; its counts in bins. */
static void time_baseline(const args *a, uint64_t *bins, figure *f)
{
    f->seconds = -1;
    for (int r = 0; r < a->repeats; r++) {
        memset(bins, 0, (a->full.hosts + 1) * sizeof *bins);
        double t0 = now_seconds();
        odometer_baseline((unsigned)a->full.hosts, (unsigned)a->full.per_host,
                          (unsigned)a->full.guests, a->slice.skip, a->slice.limit, bins);
        double took = now_seconds() - t0;
        if (f->seconds < 0 || took < f->seconds)
            f->seconds = took;
    }
    f->scenarios = a->slice.limit;
    snprintf(f->label, sizeof f->label, "baseline odometer (C -O2, 1 thread), slice");
}

/* Runs engine on q `repeats` times, keeping the best time and the last
 * histogram (initialised here) in hist. */
static pn_status time_engine(pn_engine_fn engine, const pn_query *q, pn_run *run, int repeats,
                             pn_histogram *hist, double *best, pn_error *err)
{
    *best = -1;
    for (int r = 0; r < repeats; r++) {
        pn_histogram_clear(hist);
        pn_status st = pn_histogram_init(hist, q->hosts, err);
        double t0 = now_seconds();
        if (st == PN_OK)
            st = engine(q, run, hist, err);
        double took = now_seconds() - t0;
        if (st != PN_OK)
            return st;
        if (*best < 0 || took < *best)
            *best = took;
    }
    return PN_OK;
}

/* True when hist holds exactly the counts in bins. */
static bool same_counts(const pn_histogram *hist, const uint64_t *bins)
{
    for (uint64_t k = 0; k <= hist->hosts; k++)
        if (mpz_cmp_ui(hist->bins[k], bins[k]) != 0)
            return false;
    return true;
}

/* The OpenCL engine on device P:D over the whole keyspace, checked against
 * the exact engine. Returns false on an error or a mismatch. */
static bool bench_device(const args *a, unsigned p, unsigned d, const pn_histogram *exact,
                         const figure *baseline, bool *passed)
{
    pn_run run = {.device = {.chosen = true, .platform = p, .device = d}};
    pn_histogram hist = {0};
    pn_error err = {{0}};
    figure f;
    pn_status st = time_engine(pn_engine_opencl_run, &a->full, &run, a->repeats, &hist,
                               &f.seconds, &err);
    bool ok = st == PN_OK && pn_histogram_equal(&hist, exact);
    if (st != PN_OK)
        printf("  opencl %u:%u: ERROR %s\n", p, d, err.msg);
    else if (!ok)
        printf("  opencl %u:%u: MISMATCH with the exact engine\n", p, d);
    if (ok) {
        f.scenarios = 0;
        uint64_t first;
        pn_query_enumeration_range(&a->full, &first, &f.scenarios, &err);
        snprintf(f.label, sizeof f.label, "opencl engine on device %u:%u, whole keyspace", p, d);
        print_figure(&f, baseline);
        *passed = rate_of(&f) >= TARGET_RATIO * rate_of(baseline);
        printf("  target opencl %u:%u >= %.0fx baseline: %s (%.1fx)\n", p, d, TARGET_RATIO,
               *passed ? "PASS" : "FAIL", rate_of(&f) / rate_of(baseline));
    }
    pn_histogram_clear(&hist);
    return ok;
}

/* Every device of every platform; false when any errored or disagreed. */
static bool bench_all_devices(const args *a, const pn_histogram *exact, const figure *baseline)
{
    cl_platform_id plats[MAX_PLATFORMS];
    cl_uint nplat = 0;
    if (clGetPlatformIDs(MAX_PLATFORMS, plats, &nplat) != CL_SUCCESS || nplat == 0) {
        printf("  opencl: no OpenCL platform, nothing to measure\n");
        return false;
    }
    bool ok = true;
    for (cl_uint p = 0; p < nplat && p < MAX_PLATFORMS; p++) {
        cl_uint ndev = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &ndev) != CL_SUCCESS)
            ndev = 0;
        for (cl_uint d = 0; d < ndev; d++) {
            bool passed = false;
            ok = bench_device(a, p, d, exact, baseline, &passed) && ok;
        }
    }
    return ok;
}

/* Prints one line per figure and a PASS/FAIL line per OpenCL device. Exit 0
 * whether targets pass or not; 1 when an engine failed or two disagreed. */
int main(int argc, char **argv)
{
    args a;
    if (!parse_args(argc, argv, &a))
        return 2;
    uint64_t *bins = calloc(a.full.hosts + 1, sizeof *bins);
    pn_histogram cpu = {0}, exact = {0};
    pn_error err = {{0}};
    pn_run run = {0};
    figure base, fcpu;
    bool ok = bins != NULL;
    if (ok)
        time_baseline(&a, bins, &base);
    if (ok)
        print_figure(&base, &base);
    pn_status st = ok ? time_engine(pn_engine_cpu_run, &a.slice, &run, a.repeats, &cpu,
                                    &fcpu.seconds, &err)
                      : PN_ERR_NOMEM;
    if (st == PN_OK) {
        fcpu.scenarios = a.slice.limit;
        snprintf(fcpu.label, sizeof fcpu.label, "cpu engine, same slice");
        print_figure(&fcpu, &base);
        if (!same_counts(&cpu, bins)) {
            printf("  MISMATCH: cpu engine and baseline disagree on the slice\n");
            ok = false;
        }
        st = pn_histogram_init(&exact, a.full.hosts, &err);
    }
    if (st == PN_OK)
        st = pn_engine_exact_run(&a.full, &run, &exact, &err);
    if (st != PN_OK) {
        printf("  ERROR: %s\n", err.msg);
        ok = false;
    } else {
        ok = bench_all_devices(&a, &exact, &base) && ok;
    }
    pn_histogram_clear(&cpu);
    pn_histogram_clear(&exact);
    free(bins);
    return ok ? 0 : 1;
}
