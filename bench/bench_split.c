/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_split.c -- make bench, section 8: POCL's pthread and basic devices on one question (each one's share and rate), and the basic device alone (its reported rate against the one observed, the longest wait between two reports). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pn_duration.h"
#include "engine/pn_engine.h"
#include "opencl/pn_opencl_device.h"

/* The basic device may do at most this share of the work beside pthread. */
#define TARGET_BASIC_SHARE 0.90
/* A device's reported rate must be within this factor of the observed one. */
#define TARGET_RATE_FACTOR 2.0
/* No chunk may keep the next report (and so a cancel) waiting longer. */
#define TARGET_LONGEST_GAP 0.5

/* What the progress callback saw: the first and the latest report, when
 * they came, and the longest wait between two of them. */
typedef struct trace {
    unsigned calls;
    double first_at, last_at, longest_gap;
    pn_progress_report first, last;
    double stop_after; /* seconds after the first report; 0: never */
    volatile sig_atomic_t cancel;
} trace;

static void on_progress(void *ctx, const pn_progress_report *r)
{
    trace *t = ctx;
    double now = pn_now_seconds();
    if (t->calls++ == 0) {
        t->first_at = now;
        t->first = *r;
    } else if (now - t->last_at > t->longest_gap) {
        t->longest_gap = now - t->last_at;
    }
    t->last_at = now;
    t->last = *r;
    if (t->stop_after > 0 && now - t->first_at > t->stop_after)
        t->cancel = 1;
}

static const char *verdict(bool pass)
{
    return pass ? "PASS" : "FAIL";
}

/* h/p/g, uniform, resolved; false (with a message) when refused. */
static bool make_query(char **argv, pn_query *q)
{
    pn_error err;
    *q = (pn_query){.hosts = strtoull(argv[2], NULL, 10),
                    .per_host = strtoull(argv[3], NULL, 10),
                    .guests = strtoull(argv[4], NULL, 10)};
    if (pn_query_resolve(q, &err) != PN_OK) {
        fprintf(stderr, "bench_split: %s\n", err.msg);
        return false;
    }
    return true;
}

/* Runs q on the OpenCL engine over `choice`, traced; prints why it failed. */
static pn_status traced_run(const pn_query *q, pn_device_choice choice, trace *t,
                            pn_histogram *h, double *seconds)
{
    pn_error err = {{0}};
    pn_run run = {.device = choice, .progress = {.update = on_progress, .ctx = t,
                                                 .cancel = &t->cancel}};
    pn_status st = pn_histogram_init(h, q->hosts, &err);
    double t0 = pn_now_seconds();
    if (st == PN_OK)
        st = pn_engine_opencl_run(q, &run, h, &err);
    *seconds = pn_now_seconds() - t0;
    if (st != PN_OK && st != PN_ERR_INTERRUPTED)
        fprintf(stderr, "bench_split: %s: %s\n", pn_status_name(st), err.msg);
    return st;
}

/* Both devices (--device all) on q: each device's share of the scenarios
 * and its rate while it worked, the counts checked against the exact
 * engine; exit 1 only when a run fails or the counts differ. */
static int split(const pn_query *q)
{
    pn_device_choice all = {.all = true};
    pn_cl_selection sel;
    pn_error err = {{0}};
    if (pn_cl_select_devices(&all, &sel, &err) != PN_OK || sel.count != 2) {
        fprintf(stderr, "bench_split: want POCL's pthread and basic devices: %s\n", err.msg);
        return 1;
    }
    trace t = {0};
    pn_histogram h = {0}, exact = {0};
    double seconds;
    pn_run run = {0};
    if (traced_run(q, all, &t, &h, &seconds) != PN_OK ||
        pn_histogram_init(&exact, q->hosts, &err) != PN_OK ||
        pn_engine_exact_run(q, &run, &exact, &err) != PN_OK) {
        pn_histogram_clear(&h);
        return 1;
    }
    bool same = pn_histogram_equal(&h, &exact);
    double basic_share = 0;
    for (unsigned d = 0; d < t.last.devices && d < sel.count; d++) {
        double share = (double)t.last.device_done[d] / (double)t.last.done;
        if (strstr(sel.device_names[d], "basic"))
            basic_share = share;
        printf("  device #%u %-40.40s %5.1f %% of the work  %10.3g scenarios/s\n", d,
               sel.device_names[d], 100.0 * share, t.last.device_rate[d]);
    }
    printf("  %llu/%llu/%llu on both: %llu scenarios in %.3f s (wall, set-up included), "
           "%.3g scenarios/s; counts %s the exact engine's\n",
           (unsigned long long)q->hosts, (unsigned long long)q->per_host,
           (unsigned long long)q->guests, (unsigned long long)t.last.done, seconds,
           (double)t.last.done / seconds, same ? "equal" : "DIFFER FROM");
    printf("  target the basic device does <= %.0f %% of the work: %s (%.1f %%)\n",
           100.0 * TARGET_BASIC_SHARE, verdict(basic_share <= TARGET_BASIC_SHARE),
           100.0 * basic_share);
    pn_histogram_clear(&h);
    pn_histogram_clear(&exact);
    return same ? 0 : 1;
}

/* The basic device alone on q for about `stop_after` seconds of reports:
 * the rate it is reported to run at and the run's own, against what it did
 * between the first and the last report, and the longest wait between two
 * reports; exit 1 only when the run fails. */
static int basic(const pn_query *q, double stop_after)
{
    trace t = {.stop_after = stop_after};
    pn_histogram h = {0};
    double seconds;
    pn_status st = traced_run(q, (pn_device_choice){0}, &t, &h, &seconds);
    pn_histogram_clear(&h);
    if ((st != PN_OK && st != PN_ERR_INTERRUPTED) || t.calls < 2)
        return 1;
    double span = t.last_at - t.first_at;
    double observed = (double)(t.last.done - t.first.done) / span;
    double device = t.last.device_rate[0], factor = fmax(device, observed) / fmin(device, observed);
    printf("  basic device alone on %llu/%llu/%llu: %u reports over %.2f s; observed %.3g "
           "scenarios/s, reported %.3g for the device and %.3g for the run\n",
           (unsigned long long)q->hosts, (unsigned long long)q->per_host,
           (unsigned long long)q->guests, t.calls, span, observed, device, t.last.rate);
    printf("  target the device's reported rate within %.0fx of the observed one: %s (%.2fx)\n",
           TARGET_RATE_FACTOR, verdict(factor <= TARGET_RATE_FACTOR), factor);
    printf("  target no chunk keeps the next report waiting %.1f s: %s (longest %.3f s)\n",
           TARGET_LONGEST_GAP, verdict(t.longest_gap < TARGET_LONGEST_GAP), t.longest_gap);
    return 0;
}

/* bench_split split H P G | bench_split basic H P G SECONDS: each in a
 * fresh process, since POCL reads POCL_DEVICES once, at its first call. */
int main(int argc, char **argv)
{
    pn_query q;
    if (argc == 5 && strcmp(argv[1], "split") == 0) {
        setenv("POCL_DEVICES", "pthread basic", 1);
        return make_query(argv, &q) ? split(&q) : 2;
    }
    if (argc == 6 && strcmp(argv[1], "basic") == 0) {
        setenv("POCL_DEVICES", "basic", 1);
        return make_query(argv, &q) ? basic(&q, atof(argv[5])) : 2;
    }
    fprintf(stderr, "usage: bench_split split HOSTS PER_HOST GUESTS | "
                    "bench_split basic HOSTS PER_HOST GUESTS SECONDS\n");
    return 2;
}
