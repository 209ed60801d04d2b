/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_replay_cli.c -- --trace through the binary: a trace worked by hand, --simulate all, the --every series against the totals, and bad traces and combinations refused. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_fixture.h"

/* Writes text to a fresh temporary file whose path goes into path. */
static void trace_file(char *path, const char *text)
{
    strcpy(path, "/tmp/pn-replay-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

/* The number after "key": in a JSON text, at the first occurrence. */
static double json_number(const char *json, const char *key)
{
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\": ", key);
    const char *at = strstr(json, needle);
    cr_assert_not_null(at, "no %s in %s", key, json);
    return strtod(at + strlen(needle), NULL);
}

/* The three VMs of test_replay.c's hand-worked case (A [0,10) 1 core, B
 * [2,6) 1 core, C [6,8) 2 cores on 2 hosts of 2): first-fit naps one host
 * 80% of the time (40%), two wake-ups, a peak of 2 awake. */
Test(replay_cli, three_vms_worked_by_hand)
{
    char path[64];
    trace_file(path, "start,end,cores\n0,10,1\n2,6,1\n6,8,2\n");
    cli_result r = cli_run("--trace", path, "--simulate", "first-fit", "-h", "2", "-p", "2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "[ 20.0%] of the time [0/2] of your hosts would powernap, for a "
                            "[0%] power savings\n"), "%s", r.out);
    cr_assert(strstr(r.out, "[ 80.0%] of the time [1/2] of your hosts would powernap, for a "
                            "[50%] power savings\n"), "%s", r.out);
    cr_assert(strstr(r.out, "The overall expected value is [40.0%] power savings."), "%s", r.out);
    cr_assert(strstr(r.out, "Rejected: [0] of [3] VMs"), "%s", r.out);
    cr_assert(strstr(r.out, "Wake-ups: [2] arrivals"), "%s", r.out);
    cr_assert(strstr(r.out, "Peak: at most [2] of [2] hosts"), "%s", r.out);
    cli_free(&r);
    /* --simulate all: every policy; worst-fit and round-robin nap 0.4 hosts. */
    r = cli_run("--trace", path, "--simulate", "all", "--fleet", "2x2", "-f", "json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *names[] = {"first-fit", "best-fit", "worst-fit", "round-robin", "random"};
    const char *at = strstr(r.out, "\"policies\": [");
    cr_assert_not_null(at, "%s", r.out);
    for (int i = 0; i < 5; i++) {
        char want[64];
        snprintf(want, sizeof want, "\"policy\": \"%s\"", names[i]);
        at = strstr(at, want);
        cr_assert_not_null(at, "%s missing or out of order: %s", names[i], r.out);
        double napping = json_number(at, "expected_napping_hosts");
        if (i == 2 || i == 3)
            cr_assert_float_eq(napping, 0.4, 1e-12, "%s", names[i]);
        else if (i < 2)
            cr_assert_float_eq(napping, 0.8, 1e-12, "%s", names[i]);
        cr_assert(strstr(at, "\"napping_time_fraction\": ["), "%s", at);
        cr_assert(strstr(at, "\"window\": [0, 10]"), "%s", at);
    }
    cli_free(&r);
    r = cli_run("--trace", path, "--simulate", "all", "--fleet", "2x2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "worst-fit        20.0%           0.40         0         2           2"),
              "%s", r.out);
    cli_free(&r);
    unlink(path);
}

/* 300 VMs on a fleet too large to reject any: the --every rows' mean
 * guests integrate to the VMs' own seconds in the window, summed here from
 * the trace, and their napping hosts to the report's expected value. */
Test(replay_cli, every_integrates_to_the_totals)
{
    char path[64], *text = malloc(300 * 64 + 64);
    size_t used = (size_t)sprintf(text, "start,end,cores,memory\n");
    double guest_seconds = 0, from = 1000, to = 8000;
    for (int i = 0; i < 300; i++) {
        double start = (i * 7919) % 9000 / 1.25, end = start + 1 + (i * 104729) % 3000 / 3.0;
        used += (size_t)sprintf(text + used, "%.17g,%.17g,%d,%d\n", start, end, 1 + i % 4,
                                1 + i % 8);
        guest_seconds += fmax(0, fmin(end, to) - fmax(start, from));
    }
    trace_file(path, text);
    free(text);
    cli_result j = cli_run("--trace", path, "--simulate", "best-fit", "--fleet", "40x8/16,20x4/8",
                           "--window", "1000:8000", "-f", "json");
    cr_assert_eq(j.status, 0, "%s", j.err);
    cr_assert_eq(json_number(j.out, "rejected"), 0);
    double expected = json_number(j.out, "expected_napping_hosts");
    cli_result s = cli_run("--trace", path, "--simulate", "best-fit", "--fleet", "40x8/16,20x4/8",
                           "--window", "1000:8000", "--every", "600");
    cr_assert_eq(s.status, 0, "%s", s.err);
    cr_assert(strncmp(s.out, "from,to,mean_guests,mean_awake_hosts,mean_napping_hosts\n", 56) == 0,
              "%s", s.out);
    double napping = 0, guests = 0, last_to = from;
    int rows = 0;
    for (const char *line = strchr(s.out, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        double a, b, g, awake, nap;
        cr_assert_eq(sscanf(line, "%lf,%lf,%lf,%lf,%lf", &a, &b, &g, &awake, &nap), 5, "%s", line);
        cr_assert_eq(a, last_to, "rows are contiguous");
        cr_assert_float_eq(awake + nap, 60, 1e-9);
        napping += nap * (b - a);
        guests += g * (b - a);
        last_to = b;
        rows++;
    }
    cr_assert_eq(rows, 12); /* 7000 s in rows of 600: 11 full and one of 400 */
    cr_assert_eq(last_to, to);
    cr_assert_float_eq(napping / (to - from), expected, 1e-9);
    cr_assert_float_eq(guests, guest_seconds, 1e-6 * guest_seconds);
    cli_free(&j);
    cli_free(&s);
    unlink(path);
}

Test(replay_cli, bad_traces_and_combinations_refused)
{
    char path[64], want[128];
    trace_file(path, "start,end,cores\n0,1,1\n2,x,1\n");
    snprintf(want, sizeof want, "%s:3:3: end 'x' is not a plain", path);
    CLI_REFUSED(want, "--trace", path, "--simulate", "first-fit", "-h", "2", "-p", "2");
    unlink(path);
    CLI_REFUSED("/tmp is a directory", "--trace", "/tmp", "--simulate", "all", "-h", "2", "-p", "2");
    CLI_REFUSED("/dev/zero:1:1: a NUL byte", "--trace", "/dev/zero", "--simulate", "all", "-h",
                "2", "-p", "2");
    CLI_REFUSED("--trace needs --simulate", "--trace", "/tmp/x.csv", "-h", "2", "-p", "2");
    CLI_REFUSED("the trace gives the guests", "--trace", "/tmp/x.csv", "--simulate", "all",
                "-h", "2", "-p", "2", "-g", "1");
    CLI_REFUSED("choose one policy", "--trace", "/tmp/x.csv", "--simulate", "all", "-h", "2",
                "-p", "2", "--every", "10");
    CLI_REFUSED("--load is for the Monte Carlo", "--trace", "/tmp/x.csv", "--simulate",
                "random", "-h", "2", "-p", "2", "--load", "3");
    CLI_REFUSED("--window is a replay option", "--window", "0:1", "-h", "2", "-p", "2", "-g", "1");
    CLI_REFUSED("FROM must be below TO", "--trace", "/tmp/x.csv", "--simulate", "all", "-h",
                "2", "-p", "2", "--window", "5:5");
    CLI_REFUSED("--simulate all compares the policies on a trace", "--simulate", "all", "-h",
                "2", "-p", "2");
    CLI_REFUSED("only a replay (--trace) models", "--fleet", "2x4/8", "-g", "2");
}

/* PN_SOURCE_DIR is the repository root, set by the Makefile. */
#ifndef PN_SOURCE_DIR
#define PN_SOURCE_DIR ".."
#endif

/* The README's worked example, doc/examples/trace-small.csv on 2x16/64 and
 * 2x8/32 under first-fit, figures derived by hand in the README: three
 * hosts nap 18000 s of 43200 (41.7%), two 14400 s (33.3%), one 10800 s
 * (25%); the 16-core VM at 39600 s finds no host; wake-ups at 0 (host 0),
 * 3600 (host 1), 7200 (host 2) and 36000 (host 1); at most 3 awake. */
Test(replay_cli, readme_example)
{
    cli_result r = cli_run("--trace", PN_SOURCE_DIR "/doc/examples/trace-small.csv", "--simulate",
                           "first-fit", "--fleet", "2x16/64,2x8/32", "-f", "json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"napping_time_fraction\": [0, 0.25, 0.33333333333333331, "
                            "0.41666666666666669, 0]"), "%s", r.out);
    cr_assert_eq(json_number(r.out, "rejected"), 1);
    cr_assert_eq(json_number(r.out, "wakeups"), 4);
    cr_assert_eq(json_number(r.out, "peak_awake_hosts"), 3);
    cr_assert_eq(json_number(r.out, "vms"), 12);
    cr_assert(strstr(r.out, "\"window\": [0, 43200]"), "%s", r.out);
    cli_free(&r);
}
