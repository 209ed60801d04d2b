/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_engine_cpu.c -- the plain cpu enumerator against values derived by hand and by a second counting method. */
#include <criterion/criterion.h>
#include <gmp.h>

#include "dp_fixture.h"
#include "engine/pn_engine.h"
#include "engine_fixture.h"
#include "query_fixture.h"

/* Runs the cpu engine on (h, p, g, model) into a fresh histogram. */
static void cpu_histogram(uint64_t h, uint64_t p, uint64_t g, pn_model model, pn_histogram *hist)
{
    pn_query q = query(h, p, g, model);
    engine_ok(pn_engine_cpu_run, &q, hist);
}

Test(engine_cpu, seed_4_2_3_is_0_4_12_0_0)
{
    pn_histogram hist;
    cpu_histogram(4, 2, 3, PN_MODEL_UNIFORM, &hist);
    ASSERT_BINS(&hist, 0, 4, 12, 0, 0);
    pn_histogram_clear(&hist);
}

/* 8 hosts, 2 each, 4 guests, counted by hand: 4 empty hosts means the 4
 * others hold 1 each: C(8,4) = 70; 5 empty: one host holds 2, two hold 1:
 * C(8,3) * 3 = 168; 6 empty: two hosts hold 2: C(8,2) = 28. */
Test(engine_cpu, seed_8_2_4_by_hand)
{
    pn_histogram hist;
    cpu_histogram(8, 2, 4, PN_MODEL_UNIFORM, &hist);
    ASSERT_BINS(&hist, 0, 0, 0, 0, 70, 168, 28, 0, 0);
    pn_histogram_clear(&hist);
}

Test(engine_cpu, totals_match_a_second_count_in_both_models)
{
    for (uint64_t h = 1; h <= 6; h++)
        for (uint64_t p = 0; p <= 4; p++)
            for (uint64_t g = 0; g <= h * p; g++) {
                pn_histogram uni, slots;
                mpz_t total, want, per_hosts[7];
                mpz_inits(total, want, NULL);
                for (uint64_t r = 0; r <= h; r++)
                    mpz_init(per_hosts[r]);
                cpu_histogram(h, p, g, PN_MODEL_UNIFORM, &uni);
                cpu_histogram(h, p, g, PN_MODEL_SLOTS, &slots);
                pn_histogram_total(&uni, total);
                uniform_counts_dp(h, p, g, per_hosts); /* a second, independent count */
                mpz_set(want, per_hosts[h]);
                cr_assert(mpz_cmp(total, want) == 0, "uniform total h=%lu p=%lu g=%lu",
                          (unsigned long)h, (unsigned long)p, (unsigned long)g);
                pn_histogram_total(&slots, total);
                mpz_bin_uiui(want, h * p, g);
                cr_assert(mpz_cmp(total, want) == 0, "slots total is C(hp, g)");
                mpz_clears(total, want, NULL);
                for (uint64_t r = 0; r <= h; r++)
                    mpz_clear(per_hosts[r]);
                pn_histogram_clear(&uni);
                pn_histogram_clear(&slots);
            }
}

/* Edges with answers one can state outright. */
Test(engine_cpu, edges)
{
    pn_histogram hist;
    cpu_histogram(5, 3, 0, PN_MODEL_UNIFORM, &hist); /* g = 0: all 5 hosts empty, once */
    ASSERT_BINS(&hist, 0, 0, 0, 0, 0, 1);
    pn_histogram_clear(&hist);
    cpu_histogram(5, 3, 15, PN_MODEL_UNIFORM, &hist); /* g = hp: every host full, once */
    ASSERT_BINS(&hist, 1, 0, 0, 0, 0, 0);
    pn_histogram_clear(&hist);
    cpu_histogram(6, 1, 2, PN_MODEL_UNIFORM, &hist); /* p = 1: C(6,2) ways, 4 empty */
    ASSERT_BINS(&hist, 0, 0, 0, 0, 15, 0, 0);
    pn_histogram_clear(&hist);
    cpu_histogram(1, 7, 3, PN_MODEL_UNIFORM, &hist); /* h = 1: one scenario, none empty */
    ASSERT_BINS(&hist, 1, 0);
    pn_histogram_clear(&hist);
    cpu_histogram(1, 7, 3, PN_MODEL_SLOTS, &hist); /* h = 1, slots: C(7,3) = 35 */
    ASSERT_BINS(&hist, 35, 0);
    pn_histogram_clear(&hist);
    cpu_histogram(3, 0, 0, PN_MODEL_UNIFORM, &hist); /* p = 0: one scenario, all empty */
    ASSERT_BINS(&hist, 0, 0, 0, 1);
    pn_histogram_clear(&hist);
}

/* A slice and its complement add up to the whole keyspace's answer. */
Test(engine_cpu, slices_add_up)
{
    pn_histogram whole, a, b;
    cpu_histogram(7, 3, 9, PN_MODEL_UNIFORM, &whole);
    uint64_t keyspace = 16384; /* 4^7 */
    for (uint64_t cut = 0; cut <= keyspace; cut += 1237) {
        pn_query qa = sliced(query(7, 3, 9, PN_MODEL_UNIFORM), 0, cut);
        pn_query qb = sliced(query(7, 3, 9, PN_MODEL_UNIFORM), cut, keyspace - cut);
        engine_ok(pn_engine_cpu_run, &qa, &a);
        engine_ok(pn_engine_cpu_run, &qb, &b);
        pn_histogram_add(&a, &b);
        cr_assert(pn_histogram_equal(&a, &whole), "cut at %lu", (unsigned long)cut);
        pn_histogram_clear(&a);
        pn_histogram_clear(&b);
    }
    pn_histogram_clear(&whole);
}

Test(engine_cpu, refuses_keyspaces_of_2_to_the_64_and_slots_overflow)
{
    pn_query q = resolved((pn_query){.hosts = 64, .per_host = 1, .guests = 3});
    pn_histogram hist;
    pn_error err;
    pn_run run = {0};
    pn_histogram_init(&hist, 64, &err);
    cr_assert_eq(pn_engine_cpu_run(&q, &run, &hist, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "2^64"), "%s", err.msg);
    pn_histogram_clear(&hist);
    q = resolved((pn_query){.hosts = 27, .per_host = 4, .guests = 54, .model = PN_MODEL_SLOTS});
    pn_histogram_init(&hist, 27, &err);
    cr_assert_eq(pn_engine_cpu_run(&q, &run, &hist, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "bits"), "%s", err.msg);
    pn_histogram_clear(&hist);
}
