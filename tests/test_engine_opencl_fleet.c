/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_engine_opencl_fleet.c -- the opencl engine on mixed fleets and sweeps: against the cpu engine, a DP over hosts, and one run per level. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"
#include "dp_fixture.h"
#include "engine/pn_engine.h"
#include "engine/pn_engine_opencl.h"
#include "engine_fixture.h"
#include "question/pn_levels.h"
#include "opencl/pn_opencl_plan.h"
#include "opencl_fixture.h"
#include "query_fixture.h"

/* q through the session, the cpu engine and the DP: bins and napping sums equal. */
static void check_query(pn_opencl_session *s, const char *spec, const pn_query *q)
{
    pn_histogram cl, cpu;
    pn_error err = {{0}};
    pn_run run = {0};
    cr_assert_eq(pn_histogram_init_query(&cl, q, &err), PN_OK);
    pn_status st = pn_engine_opencl_session_run(s, q, &run, &cl, &err);
    cr_assert_eq(st, PN_OK, "%s g=%llu: %s", spec, (unsigned long long)q->guests, err.msg);
    engine_ok(pn_engine_cpu_run, q, &cpu);
    cr_assert(pn_histogram_equal(&cl, &cpu), "%s at %llu guests (%s): opencl and cpu differ",
              spec, (unsigned long long)q->guests, pn_model_name(q->model));
    if (!q->sliced)
        assert_matches_dp(&cl, q, spec);
    pn_histogram_clear(&cl);
    pn_histogram_clear(&cpu);
}

static const char *const FLEETS[] = {"3x2,2x4", "2x1,1x3,2x2", "1x5,3x1",
                                     "2x3@100,1x2@120,1x1@80", "4x2,2x3"};

/* Every guest count of a few small fleets (one weighted), both models. */
Test(engine_opencl_fleet, mixed_fleets_match_cpu_and_dp, .timeout = 600)
{
    pn_opencl_session *s = open_session();
    for (size_t f = 0; f < sizeof FLEETS / sizeof *FLEETS; f++)
        for (int m = 0; m < 2; m++) {
            pn_query q = fleet(FLEETS[f], 0, (pn_model)m);
            for (uint64_t g = 0; g <= pn_query_capacity(&q); g++) {
                pn_query one = fleet(FLEETS[f], g, (pn_model)m);
                check_query(s, FLEETS[f], &one);
            }
        }
    pn_opencl_session_close(s);
}

/* A homogeneous cloud's slices still go through the prefix kernel, and a
 * one-group fleet is that cloud. */
Test(engine_opencl_fleet, homogeneous_slices_match_cpu, .timeout = 600)
{
    pn_opencl_session *s = open_session();
    static const uint64_t cut[][2] = {{0, 1}, {3, 70}, {100, 4000}, {65000, 190000}};
    for (int m = 0; m < 2; m++)
        for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
            pn_query q = {.hosts = 9, .per_host = 3, .guests = 13, .model = (pn_model)m,
                          .sliced = true, .skip = cut[i][0], .limit = cut[i][1]};
            pn_error err;
            cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
            check_query(s, "9x3 slice", &q);
        }
    pn_query one = fleet("9x3", 13, PN_MODEL_SLOTS);
    check_query(s, "9x3", &one);
    pn_opencl_session_close(s);
}

/* A sweep on the opencl engine (one pass) equals one run per level on the
 * cpu engine, bins and napping sums. */
static void sweep_equals_per_level(const char *spec, pn_model model)
{
    sweep_equals_single_runs(fleet(spec, 0, model), PN_ENGINE_OPENCL, PN_ENGINE_CPU);
}

Test(engine_opencl_fleet, sweeps_equal_one_run_per_level, .timeout = 600)
{
    static const char *const specs[] = {"4x3", "6x2", "2x2,1x3", "3x2@50,2x4@90"};
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
        for (int m = 0; m < 2; m++)
            sweep_equals_per_level(specs[i], (pn_model)m);
}

/* A part of the range (FROM:TO and a load curve's sparse levels) counts
 * only those levels, each equal to its own run. */
Test(engine_opencl_fleet, sparse_levels_equal_their_runs, .timeout = 600)
{
    pn_error err;
    pn_query q = fleet("3x2,2x4", 0, PN_MODEL_SLOTS);
    pn_levels lv = {0};
    cr_assert_eq(pn_levels_add(&lv, 9, 1, &err), PN_OK);
    cr_assert_eq(pn_levels_add(&lv, 3, 2, &err), PN_OK);
    cr_assert_eq(pn_levels_add(&lv, 14, 1, &err), PN_OK);
    pn_histogram h[3];
    for (int i = 0; i < 3; i++)
        pn_histogram_init_query(&h[i], &q, &err);
    pn_run run = {0};
    q.levels = lv;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_run(PN_ENGINE_OPENCL, &q, &run, h, &err), PN_OK, "%s",
                 err.msg);
    for (size_t i = 0; i < lv.n; i++) {
        pn_query one = fleet("3x2,2x4", lv.guests[i], PN_MODEL_SLOTS);
        pn_histogram want;
        pn_histogram_init_query(&want, &one, &err);
        fleet_dp(&one, one.guests, &want);
        cr_assert(pn_histogram_equal(&h[i], &want), "level %llu differs",
                  (unsigned long long)lv.guests[i]);
        pn_histogram_clear(&want);
        pn_histogram_clear(&h[i]);
    }
    pn_levels_clear(&lv);
}

/* The command line: a fleet and a sweep on -e opencl, --verify, and the
 * same report as the cpu engine's. */
Test(engine_opencl_fleet, command_line, .timeout = 600)
{
    cli_result r = cli_run("--fleet", "3x2,2x4@90", "-g", "7", "-m", "slots", "--watts", "50",
                           "-e", "opencl", "--verify");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "verify: opencl ("), "%s", r.err);
    cr_assert(strstr(r.err, "and exact agree on every bin"), "%s", r.err);
    cli_free(&r);
    r = cli_run("--fleet", "2x2,1x3", "-g", "all", "-e", "opencl", "--verify");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "agree on every bin of 8 guest counts"), "%s", r.err);
    cli_free(&r);
    cli_result a = cli_run("--fleet", "3x2,2x4", "-g", "2:9", "-f", "csv", "-e", "opencl", "-q");
    cli_result b = cli_run("--fleet", "3x2,2x4", "-g", "2:9", "-f", "csv", "-e", "cpu", "-q");
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_assert_str_eq(a.out, b.out);
    cli_free(&a);
    cli_free(&b);
}

/* Fleets large enough for the prefix kernel: group 0's hosts are the low
 * digits (a table of one base), the prefix decodes each host's base. */
Test(engine_opencl_fleet, prefix_kernel_on_mixed_fleets, .timeout = 600)
{
    static const char *const specs[] = {"6x3,2x4,1x2", "1x3,10x2", "7x2@40,3x3@60"};
    pn_opencl_session *s = open_session();
    for (size_t f = 0; f < sizeof specs / sizeof *specs; f++) {
        pn_query q = fleet(specs[f], 5, PN_MODEL_UNIFORM);
        uint64_t cap[64];
        unsigned group[64];
        uint64_t h = 0;
        for (unsigned j = 0; j < q.ngroups; j++)
            for (uint64_t c = 0; c < q.groups[j].count; c++, h++) {
                cap[h] = q.groups[j].capacity;
                group[h] = j;
            }
        const pn_plan_request req = {.hosts = q.hosts, .base = q.per_host + 1, .guests = 5,
                                     .first = 0, .count = q.keyspace, .groups = q.ngroups,
                                     .host_cap = cap, .host_group = group};
        pn_plan pl;
        pn_error err;
        const pn_plan_limits lim = {.local_mem = 32768, .const_mem = 65536, .const_args = 8,
                                    .word_bytes = 32};
        cr_assert_eq(pn_plan_make(&pl, &lim, &req, &err), PN_OK, "%s", err.msg);
        cr_assert(pl.low_digits > 0 && pl.low_digits <= q.groups[0].count, "%s: L = %u",
                  specs[f], pl.low_digits);
        pn_plan_free(&pl);
        for (int m = 0; m < 2; m++)
            for (uint64_t g = 0; g <= pn_query_capacity(&q); g += 3) {
                pn_query one = fleet(specs[f], g, (pn_model)m);
                check_query(s, specs[f], &one);
            }
    }
    pn_opencl_session_close(s);
}

/* Sweeps large enough for the prefix kernel, which walks its table once
 * per level a prefix can reach: homogeneous and mixed, both models. */
Test(engine_opencl_fleet, prefix_kernel_sweeps, .timeout = 600)
{
    static const char *const specs[] = {"9x3", "6x3,2x4,1x2", "1x3@50,10x2@70"};
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
        for (int m = 0; m < 2; m++)
            sweep_equals_per_level(specs[i], (pn_model)m);
}

/* A sweep whose prefixes would walk the table more than a thousand times
 * (L*p+1 and the levels both large) runs count_indices alone; either way
 * the counts are the cpu engine's. */
Test(engine_opencl_fleet, wide_sweeps_match_cpu, .timeout = 600)
{
    const pn_plan_request wide = {.hosts = 2, .base = 3001, .guests = 0, .first = 0,
                                  .count = 3001 * 3001, .levels = 6001};
    const pn_plan_limits lim = {.local_mem = 32768, .const_mem = 65536, .const_args = 8,
                                .word_bytes = 32};
    pn_plan pl;
    pn_error err;
    cr_assert_eq(pn_plan_make(&pl, &lim, &wide, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pl.low_digits, 0);
    pn_plan_free(&pl);
    cli_result a = cli_run("-h", "3", "-p", "60", "-g", "all", "-f", "csv", "-e", "opencl", "-q");
    cli_result b = cli_run("-h", "3", "-p", "60", "-g", "all", "-f", "csv", "-e", "cpu", "-q");
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_str_eq(a.out, b.out);
    cli_free(&a);
    cli_free(&b);
}
