/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_throughput.c -- scenarios/s of the baseline odometer, the cpu engine and the OpenCL engine on every device, against this machine's roofline, measured side by side in one run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CL/cl.h>

#include "odometer_baseline.h"
#include "engine/pn_engine.h"
#include "roofline.h"

/* OpenCL must reach this multiple of the baseline's rate ... */
#define TARGET_RATIO 100.0
/* ... and this share of the 8-bit roofline. */
#define TARGET_PEAK8 0.5
/* Seconds of each roofline measurement. */
#define ROOFLINE_SECONDS 0.3
#define MAX_PLATFORMS 16
#define MAX_DEVICES 16

typedef struct args {
    pn_query full;     /* the OpenCL query, whole keyspace */
    pn_query slice;    /* the slice the baseline and the cpu engine time */
    int repeats;       /* rounds; each figure is the best of them */
} args;

/* One figure over the rounds: its best and worst time for `scenarios`
 * (for the roofline, the time of one entry, 1 / rate). */
typedef struct figure {
    char label[300];
    uint64_t scenarios;
    double best, worst; /* seconds; 0 before the first round */
    bool failed;
} figure;

/* An OpenCL device as platform P, device D. */
typedef struct device_ref {
    unsigned platform, device;
} device_ref;

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

/* Books one round's time (or, for a rate figure, one round's 1/rate). */
static void book(figure *f, double seconds)
{
    if (f->best == 0 || seconds < f->best)
        f->best = seconds;
    if (seconds > f->worst)
        f->worst = seconds;
}

static double rate_of(const figure *f)
{
    return (double)f->scenarios / f->best;
}

/* "spread 1.32x": the slowest round over the fastest, how noisy the figure is. */
static void print_figure(const figure *f, const figure *baseline)
{
    printf("  %-44s %9.3e scenarios in %6.3f s = %9.3e scenarios/s %6.1fx baseline"
           "  (spread %.2fx)\n", f->label, (double)f->scenarios, f->best, rate_of(f),
           rate_of(f) / rate_of(baseline), f->worst / f->best);
}

/* One round of the baseline on the slice; its counts in bins (cleared here). */
static void time_baseline(const args *a, uint64_t *bins, figure *f)
{
    memset(bins, 0, (a->full.hosts + 1) * sizeof *bins);
    double t0 = now_seconds();
    odometer_baseline((unsigned)a->full.hosts, (unsigned)a->full.per_host,
                      (unsigned)a->full.guests, a->slice.skip, a->slice.limit, bins);
    book(f, now_seconds() - t0);
}

/* One round of engine on q into hist (initialised here); its time in f. */
static pn_status time_engine(pn_engine_fn engine, const pn_query *q, pn_run *run,
                             pn_histogram *hist, figure *f, pn_error *err)
{
    pn_histogram_clear(hist);
    pn_status st = pn_histogram_init(hist, q->hosts, err);
    double t0 = now_seconds();
    if (st == PN_OK)
        st = engine(q, run, hist, err);
    if (st == PN_OK)
        book(f, now_seconds() - t0);
    return st;
}

/* True when hist holds exactly the counts in bins. */
static bool same_counts(const pn_histogram *hist, const uint64_t *bins)
{
    for (uint64_t k = 0; k <= hist->hosts; k++)
        if (mpz_cmp_ui(hist->bins[k], bins[k]) != 0)
            return false;
    return true;
}

/* One round of the roofline at `bits`; booked as the time one entry takes. */
static void time_roofline(unsigned bits, unsigned threads, figure *f)
{
    double rate = 0;
    if (!roofline_measure(bits, threads, ROOFLINE_SECONDS, &rate)) {
        f->failed = true;
        return;
    }
    book(f, 1.0 / rate);
}

/* One round of the OpenCL engine on device dev over the whole keyspace,
 * checked against the exact engine; false on an error or a mismatch. */
static bool time_device(const args *a, device_ref dev, const pn_histogram *exact, figure *f)
{
    pn_run run = {.device = {.chosen = true, .platform = dev.platform, .device = dev.device}};
    pn_histogram hist = {0};
    pn_error err = {{0}};
    pn_status st = time_engine(pn_engine_opencl_run, &a->full, &run, &hist, f, &err);
    bool ok = st == PN_OK && pn_histogram_equal(&hist, exact);
    if (st != PN_OK)
        printf("  opencl %u:%u: ERROR %s\n", dev.platform, dev.device, err.msg);
    else if (!ok)
        printf("  opencl %u:%u: MISMATCH with the exact engine\n", dev.platform, dev.device);
    pn_histogram_clear(&hist);
    f->failed = f->failed || !ok;
    return ok;
}

/* Every device of every platform, up to MAX_DEVICES; how many in *n. */
static bool list_devices(device_ref *devs, unsigned *n)
{
    cl_platform_id plats[MAX_PLATFORMS];
    cl_uint nplat = 0;
    *n = 0;
    if (clGetPlatformIDs(MAX_PLATFORMS, plats, &nplat) != CL_SUCCESS || nplat == 0)
        return false;
    for (cl_uint p = 0; p < nplat && p < MAX_PLATFORMS; p++) {
        cl_uint ndev = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &ndev) != CL_SUCCESS)
            ndev = 0;
        for (cl_uint d = 0; d < ndev && *n < MAX_DEVICES; d++)
            devs[(*n)++] = (device_ref){p, d};
    }
    return *n > 0;
}

/* The roofline lines: both peaks, in entries (scenarios) per second. */
static void print_roofline(const figure *peak8, const figure *peak32, unsigned threads)
{
    printf("  roofline: the kernel's inner loop as plain C (-O3 -march=native, %u threads,"
           " %d-entry table)\n", threads, ROOFLINE_TABLE);
    printf("  %-44s %9.3e entries/s  (spread %.2fx)\n", "  8-bit entries, 64 byte lanes",
           1.0 / peak8->best, peak8->worst / peak8->best);
    printf("  %-44s %9.3e entries/s  (spread %.2fx)\n", "  32-bit entries, 16 lanes",
           1.0 / peak32->best, peak32->worst / peak32->best);
}

/* auto's estimate of the device's rate on q (pn_engine_opencl_estimate, a
 * constant per build), against the rate f measured. */
static void print_estimate(const pn_query *q, device_ref dev, const figure *f)
{
    pn_run run = {.device = {.chosen = true, .platform = dev.platform, .device = dev.device}};
    pn_estimate est = {0};
    pn_error err = {{0}};
    if (pn_engine_opencl_estimate(q, &run, &est, &err) != PN_OK) {
        printf("  auto's estimate for opencl %u:%u: ERROR %s\n", dev.platform, dev.device,
               err.msg);
        return;
    }
    printf("  auto's estimate for opencl %u:%u on this query: %.3e scenarios/s, %.0f%% of the"
           " measured rate\n", dev.platform, dev.device, est.scenarios_per_second,
           100 * est.scenarios_per_second / rate_of(f));
}

/* A device's figure, its share of both peaks, auto's estimate and its two
 * targets. */
static void print_device(const pn_query *q, device_ref dev, const figure *f,
                         const figure *baseline, const figure *peak8, const figure *peak32)
{
    print_figure(f, baseline);
    double ratio = rate_of(f) / rate_of(baseline);
    double of8 = rate_of(f) * peak8->best, of32 = rate_of(f) * peak32->best;
    printf("  opencl %u:%u against the roofline: %.0f%% of the 8-bit peak, %.0f%% of the 32-bit"
           " peak\n", dev.platform, dev.device, 100 * of8, 100 * of32);
    print_estimate(q, dev, f);
    printf("  target opencl %u:%u >= %.0fx baseline: %s (%.1fx)\n", dev.platform, dev.device,
           TARGET_RATIO, ratio >= TARGET_RATIO ? "PASS" : "FAIL", ratio);
    printf("  target opencl %u:%u >= %.0f%% of the 8-bit peak: %s (%.0f%%)\n", dev.platform,
           dev.device, 100 * TARGET_PEAK8, of8 >= TARGET_PEAK8 ? "PASS" : "FAIL", 100 * of8);
}

/* The rounds: baseline, cpu engine, both rooflines and every device, one
 * after another, so each figure's best comes from the same stretch of time
 * on this (possibly shared) machine. False when anything failed or disagreed. */
static bool run_rounds(const args *a, const device_ref *devs, unsigned ndev,
                       const pn_histogram *exact, figure *base, figure *cpu, figure *peak8,
                       figure *peak32, figure *dev_fig, unsigned threads)
{
    uint64_t *bins = calloc(a->full.hosts + 1, sizeof *bins);
    pn_histogram cpu_hist = {0};
    pn_error err = {{0}};
    pn_run run = {0};
    bool ok = bins != NULL;
    for (int r = 0; ok && r < a->repeats; r++) {
        time_baseline(a, bins, base);
        if (time_engine(pn_engine_cpu_run, &a->slice, &run, &cpu_hist, cpu, &err) != PN_OK) {
            printf("  cpu engine: ERROR %s\n", err.msg);
            ok = false;
        } else if (!same_counts(&cpu_hist, bins)) {
            printf("  MISMATCH: cpu engine and baseline disagree on the slice\n");
            ok = false;
        }
        time_roofline(8, threads, peak8);
        time_roofline(32, threads, peak32);
        for (unsigned i = 0; i < ndev; i++)
            if (!dev_fig[i].failed)
                ok = time_device(a, devs[i], exact, &dev_fig[i]) && ok;
    }
    if (peak8->failed || peak32->failed) {
        printf("  ERROR: the roofline's vector counts disagree with a plain loop\n");
        ok = false;
    }
    pn_histogram_clear(&cpu_hist);
    free(bins);
    return ok;
}

/* Prints one line per figure, the roofline, and PASS/FAIL lines per OpenCL
 * device. Exit 0 whether targets pass or not; 1 when an engine failed or
 * two disagreed. */
int main(int argc, char **argv)
{
    args a;
    if (!parse_args(argc, argv, &a))
        return 2;
    unsigned threads = (unsigned)sysconf(_SC_NPROCESSORS_ONLN), ndev = 0;
    device_ref devs[MAX_DEVICES];
    figure base = {.scenarios = a.slice.limit}, cpu = {.scenarios = a.slice.limit};
    figure peak8 = {0}, peak32 = {0}, dev_fig[MAX_DEVICES];
    snprintf(base.label, sizeof base.label, "baseline odometer (C -O2, 1 thread), slice");
    snprintf(cpu.label, sizeof cpu.label, "cpu engine, same slice");
    pn_histogram exact = {0};
    pn_error err = {{0}};
    pn_run run = {0};
    pn_status st = pn_histogram_init(&exact, a.full.hosts, &err);
    if (st == PN_OK)
        st = pn_engine_exact_run(&a.full, &run, &exact, &err);
    if (st != PN_OK) {
        printf("  ERROR: %s\n", err.msg);
        return 1;
    }
    if (!list_devices(devs, &ndev))
        printf("  opencl: no OpenCL platform or device, nothing to measure\n");
    uint64_t first = 0, count = 0;
    pn_query_enumeration_range(&a.full, &first, &count, &err);
    for (unsigned i = 0; i < ndev; i++) {
        dev_fig[i] = (figure){.scenarios = count};
        snprintf(dev_fig[i].label, sizeof dev_fig[i].label,
                 "opencl engine on device %u:%u, whole keyspace", devs[i].platform,
                 devs[i].device);
    }
    bool ok = run_rounds(&a, devs, ndev, &exact, &base, &cpu, &peak8, &peak32, dev_fig, threads);
    print_figure(&base, &base);
    print_figure(&cpu, &base);
    if (!peak8.failed && !peak32.failed)
        print_roofline(&peak8, &peak32, threads);
    for (unsigned i = 0; i < ndev; i++)
        if (!dev_fig[i].failed && !peak8.failed && !peak32.failed)
            print_device(&a.full, devs[i], &dev_fig[i], &base, &peak8, &peak32);
    pn_histogram_clear(&exact);
    return ok && ndev > 0 ? 0 : 1;
}
