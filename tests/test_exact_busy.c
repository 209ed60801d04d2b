/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_exact_busy.c -- the exact engine's generating functions on fleets of many hosts and few guests: the cpu engine on small ones, hand counts and a size that ignores the host count on huge ones. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"
#include "engine/pn_engine.h"
#include "engine/pn_exact_cost.h"
#include "engine_fixture.h"
#include "query_fixture.h"

/* Levels from..to of q in one exact run (truncated at `to` busy hosts and
 * guests), each level against the cpu engine's own run at that g. */
static void exact_levels_match_cpu(pn_query q, uint64_t from, uint64_t to)
{
    pn_error err;
    pn_levels lv;
    cr_assert_eq(pn_levels_range(&lv, from, to, &err), PN_OK);
    q.levels = lv;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    pn_histogram *hists = calloc(lv.n, sizeof *hists);
    cr_assert_not_null(hists);
    for (size_t i = 0; i < lv.n; i++)
        cr_assert_eq(pn_histogram_init_query(&hists[i], &q, &err), PN_OK);
    pn_run run = {0};
    cr_assert_eq(pn_engine_exact_run(&q, &run, hists, &err), PN_OK, "%s", err.msg);
    for (size_t i = 0; i < lv.n; i++) {
        pn_query one = pn_query_level(&q, i);
        pn_histogram want;
        engine_ok(pn_engine_cpu_run, &one, &want);
        cr_assert(pn_histogram_equal(&hists[i], &want), "%llu hosts, g = %llu, %s",
                  (unsigned long long)q.hosts, (unsigned long long)pn_levels_at(&lv, i),
                  pn_model_name(q.model));
        pn_histogram_clear(&want);
        pn_histogram_clear(&hists[i]);
    }
    free(hists);
    pn_levels_clear(&lv);
}

/* Fleets with many more hosts than guests: only the first few busy-host
 * rows are kept, and the bins (napping = hosts - busy) and each group's
 * napping sums still equal the cpu engine's, one level at a time and as a
 * sweep truncated at its top level. */
Test(exact_busy, few_guests_on_many_hosts_match_cpu)
{
    const char *specs[] = {"6x1,5x2", "3x3,5x1,2x2", "1x0,4x2,5x1"};
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++)
        for (int m = 0; m < 2; m++) {
            for (uint64_t g = 0; g <= 4; g++)
                exact_levels_match_cpu(fleet(specs[s], 0, (pn_model)m), g, g);
            exact_levels_match_cpu(fleet(specs[s], 0, (pn_model)m), 0, 3);
            exact_levels_match_cpu(fleet(specs[s], 0, (pn_model)m), 2, 5);
        }
    exact_levels_match_cpu(query(11, 3, 0, PN_MODEL_UNIFORM), 0, 4); /* one group, a sweep */
    exact_levels_match_cpu(query(11, 3, 0, PN_MODEL_SLOTS), 1, 3);
}

/* A million hosts, g = 0: one scenario, every host napping, answered
 * without --force (it was refused as 20 hours and 970 GB). */
Test(exact_busy, a_million_hosts_without_guests)
{
    cli_result r = cli_run("--fleet", "500000x1,500000x2", "-g", "0", "-e", "exact", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "[100.0%] likely that [1000000/1000000] of your hosts"), "%s", r.out);
    cli_free(&r);
}

/* A million hosts, g = 1, by hand: the guest is on one of 500000 one-slot
 * or 500000 two-slot hosts. Uniform: one scenario per host, 1000000, each
 * with 999999 napping; group 1's expected napping hosts 500000 - 1/2.
 * Slots: one per slot, 500000 + 2 * 500000 = 1500000; group 1 is busy in
 * 500000 of them, so it naps 500000 - 1/3 hosts on average, group 2
 * 500000 - 2/3. */
Test(exact_busy, a_million_hosts_one_guest_by_hand)
{
    cli_result r = cli_run("--fleet", "500000x1,500000x2", "-g", "1", "-e", "exact", "-f",
                           "json", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"scenarios\": 1000000,"), "%.400s", r.out);
    cr_assert(strstr(r.out, "\"expected_napping_hosts\": 499999.5}"), "%.400s", r.out);
    cr_assert(strstr(r.out, ", 0, 1000000, 0]"), "the count sits at k = 999999");
    cli_free(&r);
    r = cli_run("--fleet", "500000x1,500000x2", "-g", "1", "-e", "exact", "-m", "slots", "-f",
                "json", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"scenarios\": 1500000,"), "%.400s", r.out);
    cr_assert(strstr(r.out, "\"expected_napping_hosts\": 499999.6666666"), "%.400s", r.out);
    cr_assert(strstr(r.out, "\"expected_napping_hosts\": 499999.3333333"), "%.400s", r.out);
    cr_assert(strstr(r.out, ", 0, 1500000, 0]"), "the count sits at k = 999999");
    cli_free(&r);
}

/* The estimate of a count at g = 1 is the same size for ten thousand hosts
 * as for a million: two busy-host rows, coefficients in one 64-bit word
 * (hosts + 1 times the scenarios of up to two guests, at most C(1500000, 2)
 * under slots: 2^60, 2^62 with the margins). At g = 0 nothing is
 * multiplied at all. */
Test(exact_busy, the_estimate_for_small_g_ignores_the_host_count)
{
    for (int m = 0; m < 2; m++) {
        pn_query small = fleet("5000x1,5000x2", 1, (pn_model)m);
        pn_query big = fleet("500000x1,500000x2", 1, (pn_model)m);
        pn_exact_cost a, b;
        pn_exact_cost_estimate(&small, &a, NULL);
        pn_exact_cost_estimate(&big, &b, NULL);
        cr_assert_leq(b.max_bits, 64.0, "%s: %.0f bits", pn_model_name(big.model), b.max_bits);
        cr_assert_eq(a.bytes, b.bytes, "%.0f bytes for 10^4 hosts, %.0f for 10^6", a.bytes,
                     b.bytes);
        cr_assert_lt(b.bytes, 10000.0, "%.0f bytes", b.bytes);
        pn_query none = fleet("500000x1,500000x2", 0, (pn_model)m);
        pn_exact_cost_estimate(&none, &b, NULL);
        cr_assert_lt(b.bytes, 1000.0, "g = 0: %.0f bytes", b.bytes);
    }
}
