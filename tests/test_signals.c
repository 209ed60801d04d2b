/* test_signals.c -- Ctrl-C and SIGTERM during a long run: a prompt stop, exit 130, no report. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "cli_runner.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What a signalled run left behind. */
typedef struct stopped_run {
    int status;
    double seconds_to_exit; /* from the signal to the exit */
    char *out, *err;
} stopped_run;

/* Starts the binary with args, lets it work for `warmup` seconds, sends sig,
 * and waits for it to exit. */
static stopped_run signal_run(int sig, double warmup, char *const *args)
{
    cli_process p = cli_spawn(NULL, NULL, args);
    struct timespec pause = {(time_t)warmup, (long)((warmup - (double)(time_t)warmup) * 1e9)};
    nanosleep(&pause, NULL);
    double sent = now_seconds();
    kill(p.pid, sig);
    cli_result r = cli_wait(&p);
    stopped_run s = {.status = r.status, .seconds_to_exit = now_seconds() - sent,
                     .out = r.out, .err = r.err};
    return s;
}

/* The contract: exit 130, nothing on stdout (no report as if complete), a
 * line saying how far it got. The time bound is the requirement's one
 * second with slack for a loaded 2-core machine and sanitizer builds. */
static void assert_stopped(stopped_run *r, const char *what)
{
    cr_assert_eq(r->status, 130, "%s: exit %d, stderr: %s", what, r->status, r->err);
    cr_assert_str_eq(r->out, "", "%s: no report after an interrupt", what);
    cr_assert(strstr(r->err, "interrupted"), "%s: %s", what, r->err);
    cr_assert_lt(r->seconds_to_exit, 3.0, "%s: took %.2f s to stop", what, r->seconds_to_exit);
    free(r->out);
    free(r->err);
}

/* 5^17 = 7.6e11 scenarios: minutes on any engine that enumerates here. */
Test(signals, sigint_stops_the_cpu_engine, .timeout = 60)
{
    stopped_run r = signal_run(SIGINT, 1.0, (char *const[]){"-h", "17", "-p", "4", "-g", "34", "-e", "cpu", NULL});
    assert_stopped(&r, "cpu");
}

Test(signals, sigterm_stops_the_opencl_engine, .timeout = 60)
{
    stopped_run r = signal_run(SIGTERM, 1.5, (char *const[]){"-h", "24", "-p", "4", "-g", "48", "-e", "opencl", NULL});
    assert_stopped(&r, "opencl");
}

Test(signals, sigint_stops_the_exact_engine, .timeout = 60)
{
    stopped_run r = signal_run(SIGINT, 1.0, (char *const[]){"-h", "40000", "-p", "4", "-g", "80000", "-e", "exact", NULL});
    assert_stopped(&r, "exact");
}

/* The progress counts in the message are real: "after N of M". */
Test(signals, says_how_far_it_got, .timeout = 60)
{
    stopped_run r = signal_run(SIGINT, 1.0, (char *const[]){"-h", "17", "-p", "4", "-g", "34", "-e", "cpu", "-q", NULL});
    unsigned long long done = 0, total = 0;
    const char *at = strstr(r.err, "after ");
    cr_assert_not_null(at, "%s", r.err);
    cr_assert_eq(sscanf(at, "after %llu of %llu", &done, &total), 2, "%s", r.err);
    cr_assert_eq(total, 762939453125ULL, "5^17");
    cr_assert(done > 0 && done < total, "%llu of %llu", done, total);
    assert_stopped(&r, "cpu quiet");
}
