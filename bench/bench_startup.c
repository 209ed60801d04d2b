/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_startup.c -- where the OpenCL engine's start-up goes: the platform's own start, then the library's phases on the seed's 10/4/20. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <CL/cl.h>

#include "engine/pn_engine.h"
#include "engine/pn_engine_opencl.h"
#include "opencl/pn_opencl_session.h"

/* The seed's 10/4/20, uniform: its known counts. */
static const unsigned long SEED_COUNTS[11] = {44803, 236070, 364140, 186480, 25200, 252,
                                              0,     0,      0,      0,      0};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What any OpenCL program pays before its first kernel: the first platform
 * and device found, a context on it, released again. */
static int bare(void)
{
    double t0 = now_seconds();
    cl_platform_id platform;
    cl_device_id device;
    cl_int rc = clGetPlatformIDs(1, &platform, NULL);
    if (rc == CL_SUCCESS)
        rc = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL);
    cl_context ctx = rc == CL_SUCCESS ? clCreateContext(NULL, 1, &device, NULL, NULL, &rc) : NULL;
    if (ctx)
        clReleaseContext(ctx);
    if (rc != CL_SUCCESS) {
        fprintf(stderr, "bench_startup: no OpenCL platform or device (%d)\n", (int)rc);
        return 1;
    }
    printf("bare %.6f\n", now_seconds() - t0);
    return 0;
}

/* A session opened, the 10/4/20 answered and checked, the session closed:
 * "session TOTAL OPEN BUILD SELFTEST PREPARE RUN CLOSE BUILDS SELFTESTS". */
static int session(void)
{
    double t0 = now_seconds();
    pn_device_choice choice = {0};
    pn_opencl_session *s = NULL;
    pn_error err = {{0}};
    pn_query q = {.hosts = 10, .per_host = 4, .guests = 20};
    pn_histogram hist = {0};
    pn_run run = {0};
    pn_status st = pn_query_resolve(&q, &err);
    if (st == PN_OK)
        st = pn_histogram_init(&hist, q.hosts, &err);
    if (st == PN_OK)
        st = pn_opencl_session_open(&choice, &s, &err);
    if (st == PN_OK)
        st = pn_engine_opencl_session_run(s, &q, &run, &hist, &err);
    pn_opencl_timing t = {0};
    if (s)
        pn_opencl_session_timing(s, &t);
    double t1 = now_seconds();
    pn_opencl_session_close(s);
    double t2 = now_seconds();
    bool right = st == PN_OK;
    for (unsigned k = 0; right && k <= q.hosts; k++)
        right = mpz_cmp_ui(hist.bins[k], SEED_COUNTS[k]) == 0;
    pn_histogram_clear(&hist);
    if (st != PN_OK) {
        fprintf(stderr, "bench_startup: %s\n", err.msg);
        return 1;
    }
    if (!right) {
        fprintf(stderr, "bench_startup: 10/4/20 counts differ from the seed's\n");
        return 1;
    }
    printf("session %.6f %.6f %.6f %.6f %.6f %.6f %.6f %u %u\n", t2 - t0, t.open, t.build,
           t.selftest, t.prepare, t.run, t2 - t1, t.builds, t.selftests);
    return 0;
}

/* bench_startup bare | session: one measurement, in this fresh process. */
int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "bare") == 0)
        return bare();
    if (argc == 2 && strcmp(argv[1], "session") == 0)
        return session();
    fprintf(stderr, "usage: bench_startup bare|session\n");
    return 2;
}
