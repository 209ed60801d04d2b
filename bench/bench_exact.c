/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_exact.c -- times the exact engine on one query and prints its histogram for comparison with bench/exact_reference.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/pn_engine.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Parses argv into q; false (after a usage line on stderr) when malformed. */
static bool parse_args(int argc, char **argv, pn_query *q, int *reps)
{
    if (argc < 5 || argc > 6 || !pn_model_parse(argv[4], &q->model)) {
        fprintf(stderr, "usage: bench_exact HOSTS PER_HOST GUESTS uniform|slots [REPEATS]\n");
        return false;
    }
    q->hosts = strtoull(argv[1], NULL, 10);
    q->per_host = strtoull(argv[2], NULL, 10);
    q->guests = strtoull(argv[3], NULL, 10);
    *reps = argc == 6 ? atoi(argv[5]) : 1;
    pn_error err;
    if (pn_query_resolve(q, &err) != PN_OK) {
        fprintf(stderr, "bench_exact: %s\n", err.msg);
        return false;
    }
    return *reps >= 1;
}

/* Runs the exact engine `reps` times on fresh histograms, keeping the last
 * one in hist and the fastest wall time in *best. */
static pn_status time_runs(const pn_query *q, int reps, pn_histogram *hist, double *best,
                           pn_error *err)
{
    *best = -1.0;
    for (int r = 0; r < reps; r++) {
        pn_histogram_clear(hist);
        pn_status st = pn_histogram_init(hist, q->hosts, err);
        if (st != PN_OK)
            return st;
        pn_run run;
        memset(&run, 0, sizeof run);
        double start = now_seconds();
        st = pn_engine_exact_run(q, &run, hist, err);
        double took = now_seconds() - start;
        if (st != PN_OK)
            return st;
        if (*best < 0 || took < *best)
            *best = took;
    }
    return PN_OK;
}

/* Prints bins one per line in decimal on stdout (the reference's format) and
 * "exact H/P/G MODEL: SECONDS s" on stderr. Exit 0, 1 on engine failure, 2 on
 * bad arguments. */
int main(int argc, char **argv)
{
    pn_query q = {0};
    int reps;
    if (!parse_args(argc, argv, &q, &reps))
        return 2;
    pn_histogram hist = {0};
    pn_error err = {{0}};
    double best;
    pn_status st = time_runs(&q, reps, &hist, &best, &err);
    if (st != PN_OK) {
        fprintf(stderr, "bench_exact: %s\n", err.msg);
        pn_histogram_clear(&hist);
        return pn_status_exit_code(st);
    }
    for (uint64_t k = 0; k <= q.hosts; k++) {
        mpz_out_str(stdout, 10, hist.bins[k]);
        putchar('\n');
    }
    fprintf(stderr, "exact %llu/%llu/%llu %s: %.6f s\n", (unsigned long long)q.hosts,
            (unsigned long long)q.per_host, (unsigned long long)q.guests,
            pn_model_name(q.model), best);
    pn_histogram_clear(&hist);
    return 0;
}
