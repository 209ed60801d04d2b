/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_auto_choice.c -- auto and --estimate give the same reason for one choice: the overflow that rules enumeration out, the measured rate near the two-second line, the cpu engine where OpenCL's sums would overflow. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "cli_fixture.h"
#include "engine/pn_engine.h"
#include "query_fixture.h"

/* The text in s between the first `from` and the next `to`, into out. */
static void between(const char *s, const char *from, const char *to, char *out, size_t len)
{
    const char *a = strstr(s, from);
    cr_assert_not_null(a, "no '%s' in %s", from, s);
    a += strlen(from);
    const char *b = strstr(a, to);
    cr_assert_not_null(b, "no '%s' after '%s' in %s", to, from, s);
    cr_assert_lt((size_t)(b - a), len);
    memcpy(out, a, (size_t)(b - a));
    out[b - a] = '\0';
}

/* 7^12 scenarios are few, but their slots weights pass 64 bits: the reason
 * auto counts exactly is that, not a time (it said "brute force 0.5 s;
 * auto enumerates up to 2 s" and chose exact). */
Test(auto_choice, estimate_names_the_overflow_not_a_time)
{
    cli_result r = cli_run("-h", "12", "-p", "6", "-g", "36", "-m", "slots", "--estimate");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "enumeration: impossible (the slots model's total weight"), "%s",
              r.out);
    cr_assert(strstr(r.out, "auto would choose: exact (enumeration is impossible"), "%s", r.out);
    cr_assert_null(strstr(r.out, "brute force estimated"), "%s", r.out);
    cli_free(&r);
}

/* A fleet whose napping sums could pass 2^64 on OpenCL: auto answers it on
 * the cpu engine, and so does --verify without -e (it refused it). */
Test(auto_choice, verify_falls_back_to_cpu_as_auto_does)
{
    cli_result r = cli_run("--fleet", "2x33,1x1", "-g", "33", "-m", "slots", "--verify");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "verify: cpu and exact agree on every bin"), "%s", r.err);
    cli_free(&r);
    r = cli_run("--fleet", "2x33,1x1", "-g", "33", "-m", "slots");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "engine: cpu enumerated"), "%s", r.err);
    cli_free(&r);
}

/* Where auto's table puts brute force between 2 and 8 s, auto measures
 * the rate as --estimate does: --estimate's auto line gives the time its
 * OpenCL line measured (it gave the table's 5.4 s beside a measured
 * 1.2 s), and auto's own note says its figure was measured. No time is
 * asserted, only which figure is printed where. */
Test(auto_choice, near_the_line_auto_judges_by_the_measured_rate)
{
    pn_run run = {0};
    pn_error err;
    uint64_t h = 0;
    for (uint64_t n = 8; n <= 30 && h == 0; n++) {
        pn_query q = query(n, 3, n * 3 / 2, PN_MODEL_UNIFORM);
        pn_estimate est;
        cr_assert_eq(pn_engine_opencl_estimate(&q, &run, &est, &err), PN_OK, "%s", err.msg);
        double seconds = pow(4.0, (double)n) / est.scenarios_per_second;
        if (seconds > 2.0 && seconds <= 8.0)
            h = n;
    }
    cr_assert_neq(h, 0, "no -h with the table's time between 2 and 8 s");
    char hosts[16], guests[16], measured[32], judged[32];
    snprintf(hosts, sizeof hosts, "%llu", (unsigned long long)h);
    snprintf(guests, sizeof guests, "%llu", (unsigned long long)(h * 3 / 2));
    cli_result r = cli_run("-h", hosts, "-p", "3", "-g", guests, "--estimate");
    cr_assert_eq(r.status, 0, "%s", r.err);
    between(r.out, " scenarios/s measured, ", " on ", measured, sizeof measured);
    between(r.out, "(brute force measured at ", ";", judged, sizeof judged);
    cr_assert_str_eq(judged, measured, "%s", r.out);
    cli_free(&r);
    r = cli_run("-h", hosts, "-p", "3", "-g", guests);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "(brute force measured at ") || strstr(r.err, "at its measured rate)"),
              "%s", r.err);
    cli_free(&r);
}
