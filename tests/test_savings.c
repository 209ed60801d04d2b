/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_savings.c -- what napping saves: a weighted fleet's rows and expected value as shares of its power, worked by hand. */
#include <criterion/criterion.h>

#include "engine/pn_engine.h"
#include "report/pn_savings.h"
#include "query_fixture.h"

/* 8x4@200,2x16@350: rows weigh napping power, not hosts. k = 0 saves 0;
 * k napping hosts are at least k small ones (k*200 W) and at most the two
 * big ones and k-2 small ones; the expected share is the groups' expected
 * napping hosts times their watts. */
Test(savings, watts_make_rows_power_shares)
{
    pn_query q = fleet("8x4@200,2x16@350", 20, PN_MODEL_UNIFORM);
    pn_histogram h;
    pn_error err;
    pn_run run = {0};
    pn_histogram_init_query(&h, &q, &err);
    cr_assert_eq(pn_engine_exact_run(&q, &run, &h, &err), PN_OK, "%s", err.msg);
    cr_assert(q.weighted);
    cr_assert_float_eq(pn_query_fleet_watts(&q), 2300.0, 1e-9);
    cr_assert_eq(pn_savings_row_percent(&q, &h, 0), 0.0);
    for (uint64_t k = 1; k <= 8; k++) {
        double row = pn_savings_row_percent(&q, &h, k);
        cr_assert(row >= 100.0 * k * 200 / 2300 - 1e-9, "k=%llu %g", (unsigned long long)k, row);
        cr_assert(row <= 100.0 * (k * 200 + 150.0 * (k > 1 ? 2 : 1)) / 2300 + 1e-9);
    }
    /* the expected share is sum_j watts_j E[napping_j] / fleet watts */
    double e8 = pn_savings_napping_hosts(&h, 0), e2 = pn_savings_napping_hosts(&h, 1);
    cr_assert_float_eq(pn_savings_expected_percent(&q, &h), 100.0 * (200 * e8 + 350 * e2) / 2300,
                       1e-9);
    cr_assert_float_eq(e8 + e2, pn_savings_napping_hosts(&h, PN_SAVINGS_ALL_GROUPS), 1e-9);
    pn_histogram_clear(&h);
}

/* Worked by hand: one guest on a 1-slot host at 100 W and a 2-slot host at
 * 300 W. Uniform: it sits on either (two scenarios, and the 2-slot host
 * takes it one way only), so one host naps, the big one or the small one,
 * half the time each: the row of k = 1 saves (300 + 100) / 2 of 400 W, 50%.
 * Slots: the 2-slot host offers two slots, so it is busy 2 times in 3:
 * (2*100 + 1*300) / 3 = 500/3 of 400 W: exactly 125/3 %. */
Test(savings, a_weighted_row_worked_by_hand)
{
    pn_query q = fleet("1x1@100,1x2@300", 1, PN_MODEL_UNIFORM);
    pn_histogram h;
    pn_error err;
    pn_run run = {0};
    pn_histogram_init_query(&h, &q, &err);
    cr_assert_eq(pn_engine_cpu_run(&q, &run, &h, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(mpz_get_ui(h.bins[1]), 2);
    cr_assert_eq(pn_savings_row_percent(&q, &h, 1), 50.0);
    cr_assert_eq(pn_savings_expected_percent(&q, &h), 50.0);
    pn_histogram_clear(&h);
    q = fleet("1x1@100,1x2@300", 1, PN_MODEL_SLOTS);
    pn_histogram_init_query(&h, &q, &err);
    cr_assert_eq(pn_engine_exact_run(&q, &run, &h, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(mpz_get_ui(h.bins[1]), 3);
    cr_assert_eq(pn_savings_row_percent(&q, &h, 1), 125.0 / 3.0, "exactly 125/3, rounded once");
    pn_histogram_clear(&h);
}

/* A row no scenario reaches is k/h with watts as without (issue 18: fleet
 * CSV with watts said 0%): 4 guests on 2x2@100 + 1x1@50 leave at most one
 * host napping, so rows 2 and 3 are empty: 200/3 % and 100 %, as for 2x2,1x1. */
Test(savings, an_empty_row_is_k_over_h_with_watts_too)
{
    static const char *const specs[] = {"2x2@100,1x1@50", "2x2,1x1"};
    for (size_t i = 0; i < 2; i++) {
        pn_query q = fleet(specs[i], 4, PN_MODEL_UNIFORM);
        pn_histogram h;
        pn_error err;
        pn_run run = {0};
        pn_histogram_init_query(&h, &q, &err);
        cr_assert_eq(pn_engine_cpu_run(&q, &run, &h, &err), PN_OK, "%s", err.msg);
        cr_assert_eq(mpz_sgn(h.bins[2]), 0);
        cr_assert_eq(mpz_sgn(h.bins[3]), 0);
        cr_assert_eq(pn_savings_row_percent(&q, &h, 2), 200.0 / 3.0, "%s", specs[i]);
        cr_assert_eq(pn_savings_row_percent(&q, &h, 3), 100.0, "%s", specs[i]);
        pn_histogram_clear(&h);
    }
}
