/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fleet.c -- mixed fleets: the cpu and exact engines against a DP over hosts, -h/-p as --fleet, and every bad spec. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli_fixture.h"
#include "dp_fixture.h"
#include "engine/pn_engine.h"
#include "engine_fixture.h"
#include "query_fixture.h"
#include "seed_reports.h"

/* Runs engine fn on q and compares bins and napping sums with the DP. */
static void check_engine(pn_engine_fn fn, const char *name, const pn_query *q)
{
    pn_histogram got;
    engine_ok(fn, q, &got);
    assert_matches_dp(&got, q, name);
    pn_histogram_clear(&got);
}

/* Every guest count of a few small fleets, both models, both engines. */
Test(fleet, engines_match_a_dp_over_hosts)
{
    const char *specs[] = {"2x1,1x3", "3x2,2x4", "1x0,2x2,1x5", "4x3,1x1"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        for (int m = 0; m < 2; m++) {
            pn_query top = fleet(specs[i], 0, (pn_model)m);
            uint64_t cap = pn_query_capacity(&top);
            for (uint64_t g = 0; g <= cap; g++) {
                pn_query q = fleet(specs[i], g, (pn_model)m);
                check_engine(pn_engine_cpu_run, "cpu", &q);
                check_engine(pn_engine_exact_run, "exact", &q);
            }
        }
}

/* A homogeneous cloud through the generating functions (a sweep) equals
 * its closed form and the DP. */
Test(fleet, homogeneous_generating_functions_match_the_closed_form)
{
    pn_query q = {.hosts = 7, .per_host = 3, .guests = 21};
    pn_error err;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK);
    pn_levels lv;
    cr_assert_eq(pn_levels_range(&lv, 0, 21, &err), PN_OK);
    pn_histogram hists[22];
    for (size_t i = 0; i < 22; i++)
        pn_histogram_init_query(&hists[i], &q, &err);
    pn_run run = {.force = false};
    q.levels = lv;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_exact_run(&q, &run, hists, &err), PN_OK, "%s", err.msg);
    for (uint64_t g = 0; g <= 21; g++) {
        pn_histogram want;
        pn_histogram_init_query(&want, &q, &err);
        fleet_dp(&q, g, &want);
        cr_assert(pn_histogram_equal(&hists[g], &want), "g = %llu", (unsigned long long)g);
        pn_histogram_clear(&want);
        pn_histogram_clear(&hists[g]);
    }
    pn_levels_clear(&lv);
}

/* -h H -p P and --fleet HxP print the same report, byte for byte. */
Test(fleet, hosts_and_per_host_are_a_one_group_fleet)
{
    const char *formats[] = {"text", "json", "csv"};
    for (size_t i = 0; i < 3; i++) {
        char *f = (char *)formats[i];
        cli_result a = cli_run("-h", "10", "-p", "4", "-g", "20", "-q", "-e", "exact", "-f", f);
        cli_result b = cli_run("--fleet", "10x4", "-g", "20", "-q", "-e", "exact", "-f", f);
        cr_assert_eq(a.status, 0, "%s", a.err);
        cr_assert_eq(b.status, 0, "%s", b.err);
        cr_assert_str_eq(a.out, b.out);
        cli_free(&a);
        cli_free(&b);
    }
    cli_result r = cli_run("--fleet", "10x4", "-g", "20", "-q");
    cr_assert_str_eq(r.out, SEED_10_4_20);
    cli_free(&r);
    r = cli_run("--keyspace", "--fleet", "8x4,2x16");
    cr_assert_str_eq(r.out, "112890625\n", "5^8 * 17^2: %s", r.out); /* 390625 * 289 */
    cli_free(&r);
}

/* --verify on a fleet: the cpu engine and the generating functions agree. */
Test(fleet, verify_and_engines_on_the_command_line)
{
    cli_result r = cli_run("--fleet", "3x2,2x4@90", "-g", "7", "--verify", "-m", "slots",
                           "--watts", "50");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "and exact agree on every bin"), "%s", r.err); /* auto: opencl */
    cr_assert(strstr(r.out, "[3] x [2] guests @ [50] W, [2] x [4] guests @ [90] W"), "%s", r.out);
    cli_free(&r);
    r = cli_run("--fleet", "3x2,2x4@90", "-g", "7", "-e", "opencl", "--verify", "--watts", "50");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "verify: opencl ("), "%s", r.err);
    cr_assert(strstr(r.err, "and exact agree on every bin"), "%s", r.err);
    cli_free(&r);
    r = cli_run("--fleet", "3x2,2x4", "-g", "7", "-f", "json", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"fleet\": [{\"count\": 3, \"capacity\": 2, "
                            "\"expected_napping_hosts\": "), "%s", r.out);
    cli_free(&r);
}

Test(fleet, every_bad_spec_is_refused)
{
    CLI_REFUSED("'0x4': a group needs at least 1 host", "--fleet", "0x4", "-g", "1");
    CLI_REFUSED("'4x': the capacity is missing", "--fleet", "4x", "-g", "1");
    CLI_REFUSED("'x4': the count is missing", "--fleet", "x4", "-g", "1");
    CLI_REFUSED("'4x4@': @WATTS must be", "--fleet", "4x4@", "-g", "1");
    CLI_REFUSED("'4x4@-1': @WATTS must be", "--fleet", "4x4@-1", "-g", "1");
    CLI_REFUSED("'4x4@nan': @WATTS must be", "--fleet", "4x4@nan", "-g", "1");
    CLI_REFUSED("@WATTS must be", "--fleet", "4x4@0", "-g", "1");
    CLI_REFUSED("group 2 '8x': the capacity", "--fleet", "4x4,8x", "-g", "1");
    CLI_REFUSED("group 2 '': expected", "--fleet", "4x4,", "-g", "1");
    CLI_REFUSED("count of 1000001 is too large", "--fleet", "1000001x4", "-g", "1");
    CLI_REFUSED("capacity of 1000001 is too large", "--fleet", "4x1000001", "-g", "1");
    CLI_REFUSED("overflows", "--fleet", "99999999999999999999x4", "-g", "1");
    CLI_REFUSED("more than 1000000 hosts", "--fleet", "600000x1,600000x1", "-g", "1");
    CLI_REFUSED("more than 16 kinds", "--fleet", "1x1,1x1,1x1,1x1,1x1,1x1,1x1,1x1,1x1,1x1,1x1,1x1,"
                                                 "1x1,1x1,1x1,1x1,1x1", "-g", "1");
    CLI_REFUSED("do not fit on the fleet", "--fleet", "2x1,1x3", "-g", "6");
    CLI_REFUSED("2^64", "--fleet", "40x4,1x1", "-g", "6", "-e", "cpu");
    CLI_REFUSED("cannot be combined with -h/-p", "--fleet", "4x4", "-h", "4", "-g", "1");
    CLI_REFUSED("cannot be combined with -h/-p", "--fleet", "4x4", "-p", "4", "-g", "1");
    CLI_REFUSED("group 1 (4x4) has no @WATTS", "--fleet", "4x4,1x8@300", "-g", "1");
    CLI_REFUSED("--idle-watts 400 is more than the fleet's least 300",
                "--fleet", "4x4@300,1x8@500", "-g", "1", "--price", "1", "--idle-watts", "400");
}
