/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_fixture.h -- an engine run into a fresh histogram, and the checks tests make of its bins. */
#ifndef PN_TEST_ENGINE_FIXTURE_H
#define PN_TEST_ENGINE_FIXTURE_H

#include <criterion/criterion.h>
#include <gmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pn_engine.h"
#include "question/pn_histogram.h"

/* Runs engine fn on q with a zeroed *run into hist, initialised here for q
 * (the caller clears it, whatever the outcome); returns the engine's status. */
static inline pn_status engine_into(pn_engine_fn fn, const pn_query *q, pn_run *run,
                                    pn_histogram *hist, pn_error *err)
{
    memset(run, 0, sizeof *run);
    cr_assert_eq(pn_histogram_init_query(hist, q, err), PN_OK);
    return fn(q, run, hist, err);
}

/* engine_into, insisting that the engine succeeds. */
static inline void engine_ok(pn_engine_fn fn, const pn_query *q, pn_histogram *hist)
{
    pn_run run;
    pn_error err = {{0}};
    pn_status st = engine_into(fn, q, &run, hist, &err);
    cr_assert_eq(st, PN_OK, "%llu/%llu/%llu %s: %s: %s", (unsigned long long)q->hosts,
                 (unsigned long long)q->per_host, (unsigned long long)q->guests,
                 pn_model_name(q->model), pn_status_name(st), err.msg);
}

/* The histogram has exactly the n bins in want. */
static inline void assert_bins(const pn_histogram *hist, const unsigned long *want, size_t n)
{
    cr_assert_eq(hist->hosts + 1, n, "%llu bins, %zu expected",
                 (unsigned long long)hist->hosts + 1, n);
    for (size_t k = 0; k < n; k++) {
        char *got = mpz_get_str(NULL, 10, hist->bins[k]);
        cr_assert(mpz_cmp_ui(hist->bins[k], want[k]) == 0, "bin %zu: got %s, want %lu", k, got,
                  want[k]);
        free(got);
    }
}
#define ASSERT_BINS(hist, ...)                                                                 \
    assert_bins(hist, (const unsigned long[]){__VA_ARGS__},                                    \
                sizeof((const unsigned long[]){__VA_ARGS__}) / sizeof(unsigned long))

/* pn_histogram_percent with the histogram's own total (the library takes
 * the total as an argument so a report sums the bins once, not per bin). */
static inline double bin_percent(const pn_histogram *hist, uint64_t k)
{
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(hist, total);
    double pct = pn_histogram_percent(hist, total, k);
    mpz_clear(total);
    return pct;
}

/* The 2009 post prints percentages rounded to 0.1 %: got rounds to want. */
static inline void assert_rounded(double got, double want, const char *what)
{
    cr_assert(fabs(got - want) <= 0.05 + 1e-9, "%s: got %.4f, the post says %.1f", what, got,
              want);
}

/* The post's worked example, 4 hosts of 2 with 3 guests: its 16 listed
 * scenarios leave one host napping 4 times and two 12 times, 43.75 %
 * expected ((4*1 + 12*2) / (16*4)). */
static inline void assert_post_4_2_3(const pn_histogram *hist)
{
    ASSERT_BINS(hist, 0, 4, 12, 0, 0);
    cr_assert(fabs(pn_histogram_expected_percent(hist) - 43.75) < 1e-9, "%.17g",
              pn_histogram_expected_percent(hist));
}

/* The post's 10 hosts of 4 with 20 guests: 5.2, 27.5, 42.5, 21.8 and 2.9 %
 * for 0 to 4 napping hosts, under 1 % (yet possible) for 5, none beyond;
 * 19.0 % expected. */
static inline void assert_post_10_4_20(const pn_histogram *hist)
{
    static const double want[] = {5.2, 27.5, 42.5, 21.8, 2.9};
    cr_assert_eq(hist->hosts, 10);
    for (unsigned k = 0; k < 5; k++)
        assert_rounded(bin_percent(hist, k), want[k], "bin");
    cr_assert(bin_percent(hist, 5) < 1.0 && bin_percent(hist, 5) > 0.0, "%g",
              bin_percent(hist, 5));
    for (unsigned k = 6; k <= 10; k++)
        cr_assert_eq(mpz_sgn(hist->bins[k]), 0, "bin %u", k);
    assert_rounded(pn_histogram_expected_percent(hist), 19.0, "expected");
}

/* The post's 8 hosts of 2 with 4 guests: 26.3, 63.2 and 10.5 % for 4, 5
 * and 6 napping hosts, nothing else; 60.5 % expected. */
static inline void assert_post_8_2_4(const pn_histogram *hist)
{
    cr_assert_eq(hist->hosts, 8);
    assert_rounded(bin_percent(hist, 4), 26.3, "4 napping");
    assert_rounded(bin_percent(hist, 5), 63.2, "5 napping");
    assert_rounded(bin_percent(hist, 6), 10.5, "6 napping");
    for (unsigned k = 0; k <= 8; k++)
        if (k < 4 || k > 6)
            cr_assert_eq(mpz_sgn(hist->bins[k]), 0, "bin %u", k);
    assert_rounded(pn_histogram_expected_percent(hist), 60.5, "expected");
}

/* The sweep of every level of q (0 to its capacity) by engine `sweep`
 * equals one run per level by engine `single`, bins and napping sums. */
static inline void sweep_equals_single_runs(pn_query q, pn_engine_kind sweep,
                                            pn_engine_kind single)
{
    pn_error err;
    q.guests = 0;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    uint64_t cap = pn_query_capacity(&q);
    pn_levels lv;
    cr_assert_eq(pn_levels_range(&lv, 0, cap, &err), PN_OK);
    pn_histogram *hists = calloc(lv.n, sizeof *hists);
    cr_assert_not_null(hists);
    for (size_t i = 0; i < lv.n; i++)
        cr_assert_eq(pn_histogram_init_query(&hists[i], &q, &err), PN_OK);
    pn_run run = {0};
    q.levels = lv;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_run(sweep, &q, &run, hists, &err), PN_OK, "%s: %s",
                 pn_engine_name(sweep), err.msg);
    cr_assert(strstr(run.engine_used, pn_engine_name(sweep)), "%s swept on %s",
              pn_engine_name(sweep), run.engine_used);
    for (uint64_t g = 0; g <= cap; g++) {
        pn_query one = q;
        one.levels = (pn_levels){0}; /* asked afresh as -g g */
        one.guests = g;
        cr_assert_eq(pn_query_resolve(&one, &err), PN_OK, "%s", err.msg);
        pn_histogram single_hist;
        pn_run r1 = {0};
        cr_assert_eq(pn_histogram_init_query(&single_hist, &one, &err), PN_OK);
        cr_assert_eq(pn_engine_run(single, &one, &r1, &single_hist, &err), PN_OK, "%s", err.msg);
        cr_assert(pn_histogram_equal(&single_hist, &hists[g]),
                  "%s sweep differs from %s at g = %llu (%s)", pn_engine_name(sweep),
                  pn_engine_name(single), (unsigned long long)g, pn_model_name(q.model));
        pn_histogram_clear(&single_hist);
        pn_histogram_clear(&hists[g]);
    }
    free(hists);
    pn_levels_clear(&lv);
}

#endif
