/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_simulate.c -- ticks/s of the scheduler simulation: the cpu engine on one thread, the OpenCL engine on every device, with their counts cross-checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "base/pn_duration.h"
#include "simulate/pn_simulate.h"

/* OpenCL must reach this multiple of the cpu engine's single thread. */
#define TARGET_RATIO 20.0
/* A GPU must reach this many ticks per second. */
#define TARGET_GPU_TICKS 1e10
#define MAX_PLATFORMS 16

typedef struct args {
    pn_sim_query cpu;    /* what the cpu engine runs */
    pn_sim_query cl;     /* what each CPU-like OpenCL device runs (more trajectories) */
    pn_sim_query gpu;    /* what a GPU runs: enough trajectories to fill it */
    int repeats;
} args;

/* One timed figure: wall time including set-up, and the rate the engine
 * itself reported at its last progress call (OpenCL: without the context,
 * the build and the self-test). */
typedef struct figure {
    double seconds;
    double rate;
} figure;

static bool make_query(pn_sim_query *q, char **argv, uint64_t trajectories, uint64_t lifetimes)
{
    pn_policy policy;
    if (!pn_policy_parse(argv[4], &policy))
        return false;
    *q = (pn_sim_query){.hosts = strtoull(argv[1], NULL, 10),
                        .per_host = strtoull(argv[2], NULL, 10), .has_guests = true,
                        .guests = strtoull(argv[3], NULL, 10), .policy = policy, .seed = 1,
                        .has_trajectories = true, .trajectories = trajectories};
    pn_error err;
    if (pn_sim_query_resolve(q, &err) != PN_OK) { /* for the rate */
        fprintf(stderr, "bench_simulate: %s\n", err.msg);
        return false;
    }
    q->has_ticks = true;
    q->ticks = (uint64_t)(q->rate * (double)lifetimes);
    return pn_sim_query_resolve(q, &err) == PN_OK;
}

static bool parse_args(int argc, char **argv, args *a)
{
    if (argc != 10) {
        fprintf(stderr, "usage: bench_simulate HOSTS PER_HOST GUESTS POLICY CPU_TRAJECTORIES "
                        "OPENCL_TRAJECTORIES GPU_TRAJECTORIES LIFETIMES REPEATS\n");
        return false;
    }
    uint64_t lifetimes = strtoull(argv[8], NULL, 10);
    a->repeats = atoi(argv[9]);
    return make_query(&a->cpu, argv, strtoull(argv[5], NULL, 10), lifetimes) &&
           make_query(&a->cl, argv, strtoull(argv[6], NULL, 10), lifetimes) &&
           make_query(&a->gpu, argv, strtoull(argv[7], NULL, 10), lifetimes) && a->repeats >= 1;
}

static uint64_t total_ticks(const pn_sim_query *q)
{
    return q->trajectories * (q->burn_in + q->ticks);
}

/* Keeps the rate of the engine's last progress report. */
static void keep_rate(void *ctx, const pn_progress_report *r)
{
    *(double *)ctx = r->rate;
}

/* Runs the cpu engine (device NULL) or the OpenCL engine on q, best of
 * repeats; the last run's counts stay in r (initialised here). */
static pn_status time_run(const pn_sim_query *q, const pn_device_choice *device, int repeats,
                          pn_sim_result *r, figure *f, pn_error *err)
{
    f->seconds = -1;
    f->rate = 0;
    for (int i = 0; i < repeats; i++) {
        double rate = 0;
        pn_run run = {.progress = {.update = keep_rate, .ctx = &rate}};
        if (device)
            run.device = *device;
        pn_sim_result_clear(r);
        pn_status st = pn_sim_result_init(r, q, err);
        double t0 = pn_now_seconds();
        if (st == PN_OK)
            st = device ? pn_sim_opencl_run(q, &run, 0, r, err) : pn_sim_cpu_run(q, &run, r, err);
        double took = pn_now_seconds() - t0;
        if (st != PN_OK)
            return st;
        if (f->seconds < 0 || took < f->seconds)
            f->seconds = took;
        if (rate > f->rate)
            f->rate = rate;
    }
    return PN_OK;
}

static void print_figure(const char *label, const pn_sim_query *q, const figure *f,
                         const figure *cpu)
{
    double wall = (double)total_ticks(q) / f->seconds;
    printf("  %-40s %9.3e ticks in %6.3f s = %9.3e ticks/s (engine alone %9.3e), %5.1fx cpu\n",
           label, (double)total_ticks(q), f->seconds, wall, f->rate, f->rate / cpu->rate);
}

/* The OpenCL engine on one device choice: its counts for the cpu's query
 * must equal the cpu engine's; then its rate on the bigger query. */
static bool bench_choice(const args *a, const pn_device_choice *choice, const char *label,
                         bool gpu, const pn_sim_result *cpu_counts, const figure *cpu)
{
    pn_sim_result check = {0}, r = {0};
    pn_error err = {{0}};
    figure f;
    pn_status st = time_run(&a->cpu, choice, 1, &check, &f, &err);
    bool ok = st == PN_OK && pn_sim_result_equal(&check, cpu_counts);
    if (st == PN_OK && !ok)
        printf("  %s: MISMATCH with the cpu engine's counts\n", label);
    const pn_sim_query *big = gpu ? &a->gpu : &a->cl;
    if (ok)
        st = time_run(big, choice, a->repeats, &r, &f, &err);
    if (st != PN_OK) {
        printf("  %s: ERROR %s\n", label, err.msg);
        ok = false;
    }
    if (ok) {
        print_figure(label, big, &f, cpu);
        printf("  target %s >= %.0fx the cpu engine's single thread: %s (%.1fx)\n", label,
               TARGET_RATIO, f.rate >= TARGET_RATIO * cpu->rate ? "PASS" : "FAIL",
               f.rate / cpu->rate);
        if (gpu)
            printf("  target %s >= %.0e ticks/s on a GPU: %s\n", label, TARGET_GPU_TICKS,
                   f.rate >= TARGET_GPU_TICKS ? "PASS" : "FAIL");
    }
    pn_sim_result_clear(&check);
    pn_sim_result_clear(&r);
    return ok;
}

/* Every device of every platform, then every device of a platform together
 * when it has several; false when any errored or disagreed. */
static bool bench_devices(const args *a, const pn_sim_result *cpu_counts, const figure *cpu)
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
        cl_device_id devs[MAX_PLATFORMS];
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, MAX_PLATFORMS, devs, &ndev) != CL_SUCCESS)
            ndev = 0;
        for (cl_uint d = 0; d < ndev && d < MAX_PLATFORMS; d++) {
            cl_device_type type = 0;
            clGetDeviceInfo(devs[d], CL_DEVICE_TYPE, sizeof type, &type, NULL);
            pn_device_choice choice = {.chosen = true, .platform = p, .device = d};
            char label[64];
            snprintf(label, sizeof label, "opencl engine on device %u:%u", p, d);
            ok = bench_choice(a, &choice, label, (type & CL_DEVICE_TYPE_GPU) != 0, cpu_counts,
                              cpu) && ok;
        }
        if (ndev > 1) {
            pn_device_choice all = {.all = true, .platform = p};
            char label[64];
            snprintf(label, sizeof label, "opencl engine on all of platform %u", p);
            ok = bench_choice(a, &all, label, false, cpu_counts, cpu) && ok;
        }
    }
    return ok;
}

/* Prints one line per figure and PASS/FAIL per target. Exit 0 whether
 * targets pass or not; 1 when an engine failed or two disagreed. */
int main(int argc, char **argv)
{
    args a;
    if (!parse_args(argc, argv, &a))
        return 2;
    pn_sim_result cpu = {0};
    pn_error err = {{0}};
    figure fcpu;
    pn_status st = time_run(&a.cpu, NULL, a.repeats, &cpu, &fcpu, &err);
    if (st != PN_OK) {
        printf("  cpu engine: ERROR %s\n", err.msg);
        return 1;
    }
    print_figure("cpu engine (C -O2, 1 thread)", &a.cpu, &fcpu, &fcpu);
    bool ok = bench_devices(&a, &cpu, &fcpu);
    pn_sim_result_clear(&cpu);
    return ok ? 0 : 1;
}
