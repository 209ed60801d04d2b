/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ratio.c -- every number a report prints is the double nearest the exact rational, ties to even. */
#include <criterion/criterion.h>
#include <gmp.h>
#include <math.h>
#include <stdio.h>

#include "engine/pn_engine.h"
#include "base/pn_ratio.h"
#include "report/pn_report.h"
#include "query_fixture.h"
#include "report_fixture.h"

/* |x - d| as an exact rational. */
static void distance(mpq_t out, const mpq_t x, double d)
{
    mpq_set_d(out, d); /* exact: every double is a dyadic rational */
    mpq_sub(out, x, out);
    mpq_abs(out, out);
}

/* True when d is the double nearest num/den, an exact tie going to the
 * neighbour with an even significand. Checked against both neighbours of d
 * with exact rational arithmetic: nothing here rounds. */
static bool is_nearest(const mpz_t num, const mpz_t den, double d)
{
    mpq_t x, here, below, above;
    mpq_inits(x, here, below, above, NULL);
    mpz_set(mpq_numref(x), num);
    mpz_set(mpq_denref(x), den);
    mpq_canonicalize(x);
    distance(here, x, d);
    distance(below, x, d > 0 ? nextafter(d, 0.0) : d);
    distance(above, x, nextafter(d, INFINITY));
    int cb = mpq_cmp(here, below), ca = mpq_cmp(here, above);
    bool ok = cb <= 0 && ca <= 0;
    if (ok && (cb == 0 || ca == 0) && !(cb == 0 && d == 0.0)) {
        /* a tie: d's last significand bit must be 0 */
        int exp;
        double m = frexp(d, &exp);
        double lsb = exp - 53 < -1074 ? ldexp(1.0, -1074) : ldexp(1.0, exp - 53);
        ok = fmod(ldexp(m, exp) / lsb, 2.0) == 0.0;
    }
    mpq_clears(x, here, below, above, NULL);
    return ok;
}

static void check_nearest(const mpz_t num, const mpz_t den)
{
    double d = pn_ratio_to_double(num, den);
    char *n = mpz_get_str(NULL, 10, num), *m = mpz_get_str(NULL, 10, den);
    cr_assert(is_nearest(num, den, d), "%s/%s gave %.17g", n, m, d);
    free(n);
    free(m);
}

Test(ratio, a_value_on_a_decimal_boundary_rounds_to_nearest)
{
    mpz_t n, d;
    mpz_init_set_ui(n, 105);
    mpz_init_set_ui(d, 100);
    cr_assert_eq(pn_ratio_to_double(n, d), 1.05); /* mpq_get_d gives 1.0499999999999998 */
    check_nearest(n, d);
    mpz_clears(n, d, NULL);
}

Test(ratio, exact_ties_go_to_even)
{
    mpz_t n, d;
    mpz_inits(n, d, NULL);
    /* (2^53 + 1) / 2 lies halfway between 2^52 and 2^52 + 1 */
    mpz_ui_pow_ui(n, 2, 53);
    mpz_add_ui(n, n, 1);
    mpz_set_ui(d, 2);
    cr_assert_eq(pn_ratio_to_double(n, d), ldexp(1.0, 52));
    /* 2^53 + 3 lies halfway between 2^53 + 2 (odd significand) and 2^53 + 4 */
    mpz_ui_pow_ui(n, 2, 53);
    mpz_add_ui(n, n, 3);
    mpz_set_ui(d, 1);
    cr_assert_eq(pn_ratio_to_double(n, d), ldexp(1.0, 53) + 4.0);
    /* half the smallest subnormal is a tie with 0; three quarters rounds up */
    mpz_set_ui(n, 1);
    mpz_ui_pow_ui(d, 2, 1075);
    cr_assert_eq(pn_ratio_to_double(n, d), 0.0);
    mpz_set_ui(n, 3);
    mpz_ui_pow_ui(d, 2, 1076);
    cr_assert_eq(pn_ratio_to_double(n, d), ldexp(1.0, -1074));
    mpz_clears(n, d, NULL);
}

/* A value a hair above half the smallest subnormal: rounding first to 53
 * bits lands exactly on the tie, which a second rounding would send to 0. */
Test(ratio, subnormals_are_rounded_once)
{
    mpz_t n, d;
    mpz_inits(n, d, NULL);
    mpz_ui_pow_ui(n, 2, 60);
    mpz_add_ui(n, n, 1);
    mpz_ui_pow_ui(d, 2, 1135); /* (2^60 + 1) / 2^1135 = 2^-1075 (1 + 2^-60) */
    cr_assert_eq(pn_ratio_to_double(n, d), ldexp(1.0, -1074));
    check_nearest(n, d);
    mpz_clears(n, d, NULL);
}

Test(ratio, random_rationals_of_every_size_are_nearest)
{
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 20091126);
    mpz_t n, d;
    mpz_inits(n, d, NULL);
    for (int i = 0; i < 20000; i++) {
        mpz_urandomb(n, rs, 1 + (mp_bitcnt_t)(i % 180));
        mpz_urandomb(d, rs, 1 + (mp_bitcnt_t)((i / 180) % 180));
        mpz_add_ui(d, d, 1);
        if (i % 7 == 0) /* near-ties: a power of two denominator, a long numerator */
            mpz_ui_pow_ui(d, 2, (unsigned long)(i % 120));
        check_nearest(n, d);
    }
    mpz_clears(n, d, NULL);
    gmp_randclear(rs);
}

/* Every row and expected value of every small cloud, both models, from the
 * exact engine's counts: the percentage is the double nearest 100*count/total. */
Test(ratio, report_percentages_of_small_clouds_are_nearest)
{
    mpz_t total, num, den;
    mpz_inits(total, num, den, NULL);
    for (int m = 0; m < 2; m++)
        for (uint64_t h = 1; h <= 6; h++)
            for (uint64_t p = 0; p <= 18; p += 1 + (p > 4) * 6)
                for (uint64_t g = 0; g <= h * p; g++) {
                    pn_query q = resolved((pn_query){.hosts = h, .per_host = p, .guests = g,
                                                     .model = m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM});
                    pn_histogram hist;
                    pn_error err;
                    pn_run run = {0};
                    cr_assert_eq(pn_histogram_init(&hist, h, &err), PN_OK);
                    cr_assert_eq(pn_engine_exact_run(&q, &run, &hist, &err), PN_OK, "%s", err.msg);
                    pn_histogram_total(&hist, total);
                    mpz_set_ui(den, 0);
                    for (uint64_t k = 0; k <= h; k++) {
                        mpz_mul_ui(num, hist.bins[k], 100);
                        cr_assert(is_nearest(num, total, pn_histogram_percent(&hist, total, k)),
                                  "%llu/%llu/%llu k=%llu", (unsigned long long)h,
                                  (unsigned long long)p, (unsigned long long)g, (unsigned long long)k);
                        cr_assert(is_nearest(hist.bins[k], total,
                                             pn_histogram_probability(&hist, total, k)));
                        mpz_addmul_ui(den, hist.bins[k], (unsigned long)k);
                    }
                    mpz_mul_ui(num, den, 100);
                    mpz_mul_ui(den, total, (unsigned long)h);
                    cr_assert(is_nearest(num, den, pn_histogram_expected_percent(&hist)));
                    pn_histogram_clear(&hist);
                }
    mpz_clears(total, num, den, NULL);
}

/* The case: 4 hosts of 18, 30 guests; 42 of 4000 scenarios leave two
 * hosts napping, exactly 1.05%, which the report must print as 1.1. */
Test(ratio, report_prints_1_05_percent_as_1_1)
{
    pn_query q = resolved((pn_query){.hosts = 4, .per_host = 18, .guests = 30});
    pn_histogram hist;
    pn_error err;
    pn_run run = {0};
    cr_assert_eq(pn_histogram_init(&hist, 4, &err), PN_OK);
    cr_assert_eq(pn_engine_exact_run(&q, &run, &hist, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(mpz_cmp_ui(hist.bins[2], 42), 0);
    pn_report_input in = {.query = &q, .hist = &hist, .engine = "exact"};
    char *text = report_text(&in, PN_FORMAT_TEXT);
    cr_assert(strstr(text, "[  1.1%] likely that [2/4] of your hosts") != NULL, "%s", text);
    free(text);
    pn_histogram_clear(&hist);
}
