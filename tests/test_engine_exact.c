/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_engine_exact.c -- the exact engine against the cpu enumerator, the 2009 post's figures, and independent totals and moments. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dp_fixture.h"
#include "engine/pn_engine.h"
#include "engine/pn_exact_cost.h"
#include "question/pn_levels.h"
#include "engine_fixture.h"
#include "progress_fixture.h"
#include "query_fixture.h"

/* Runs the exact engine and insists it succeeds. */
static void exact_ok(const pn_query *q, pn_histogram *hist)
{
    pn_run run;
    pn_error err = {{0}};
    pn_status st = engine_into(pn_engine_exact_run, q, &run, hist, &err);
    cr_assert_eq(st, PN_OK, "exact %llu/%llu/%llu %s: %s: %s",
                 (unsigned long long)q->hosts, (unsigned long long)q->per_host,
                 (unsigned long long)q->guests, pn_model_name(q->model),
                 pn_status_name(st), err.msg);
    cr_assert_str_eq(run.engine_used, "exact");
}

/* Exact and cpu histograms of (h, p, g, model) must be identical. */
static void check_against_cpu(uint64_t h, uint64_t p, uint64_t g, pn_model model)
{
    pn_query q = query(h, p, g, model);
    pn_histogram exact = {0}, cpu = {0};
    pn_run run;
    pn_error err = {{0}};
    exact_ok(&q, &exact);
    pn_status st = engine_into(pn_engine_cpu_run, &q, &run, &cpu, &err);
    cr_assert_eq(st, PN_OK, "cpu: %s", err.msg);
    cr_assert(pn_histogram_equal(&exact, &cpu), "exact != cpu for %llu/%llu/%llu %s",
              (unsigned long long)h, (unsigned long long)p, (unsigned long long)g,
              pn_model_name(model));
    pn_histogram_clear(&exact);
    pn_histogram_clear(&cpu);
}

/* Every (h, p, g) with a keyspace (p+1)^h of at most `most`, both models. */
static void sweep_against_cpu(uint64_t max_h, uint64_t max_p, uint64_t most)
{
    for (uint64_t h = 1; h <= max_h; h++) {
        for (uint64_t p = 0; p <= max_p; p++) {
            uint64_t keyspace = 1;
            for (uint64_t i = 0; i < h && keyspace <= most; i++)
                keyspace *= p + 1;
            if (keyspace > most)
                break;
            for (uint64_t g = 0; g <= h * p; g++) {
                check_against_cpu(h, p, g, PN_MODEL_UNIFORM);
                check_against_cpu(h, p, g, PN_MODEL_SLOTS);
            }
        }
    }
}

Test(engine_exact, matches_cpu_on_every_small_case)
{
    sweep_against_cpu(17, 12, 100000);
}

Test(engine_exact, matches_cpu_on_wide_hosts)
{
    for (uint64_t g = 0; g <= 300; g += 7)
        check_against_cpu(1, 300, g, PN_MODEL_UNIFORM);
    for (uint64_t g = 0; g <= 300; g += 13)
        check_against_cpu(2, 150, g, PN_MODEL_UNIFORM);
    /* slots weights reach C(300, g); the cpu engine's 64-bit counters hold
     * them only near either end */
    for (uint64_t g = 0; g <= 10; g++) {
        check_against_cpu(2, 150, g, PN_MODEL_SLOTS);
        check_against_cpu(2, 150, 300 - g, PN_MODEL_SLOTS);
    }
    check_against_cpu(3, 40, 9, PN_MODEL_SLOTS);
    check_against_cpu(3, 40, 113, PN_MODEL_SLOTS);
    check_against_cpu(3, 40, 61, PN_MODEL_UNIFORM);
}

Test(engine_exact, matches_cpu_on_the_seed_question)
{
    check_against_cpu(10, 4, 20, PN_MODEL_UNIFORM);
    check_against_cpu(10, 4, 20, PN_MODEL_SLOTS);
    check_against_cpu(8, 2, 4, PN_MODEL_SLOTS);
}

/* The post lists the 16 valid scenarios of 4/2/3 and counts [0, 4, 12, 0, 0]. */
Test(engine_exact, seed_small_example)
{
    pn_query q = query(4, 2, 3, PN_MODEL_UNIFORM);
    pn_histogram hist = {0};
    exact_ok(&q, &hist);
    assert_post_4_2_3(&hist);
    pn_histogram_clear(&hist);
}

Test(engine_exact, seed_ten_quad_core_hosts_forty_slots_twenty_guests)
{
    pn_query q = query(10, 4, 20, PN_MODEL_UNIFORM);
    pn_histogram hist = {0};
    exact_ok(&q, &hist);
    assert_post_10_4_20(&hist);
    pn_histogram_clear(&hist);
}

/* The slots model on the post's question: C(40,20) slot sets; the cpu
 * enumerator (matches_cpu_on_the_seed_question) agrees bin for bin. */
Test(engine_exact, slots_model_on_the_seed_question)
{
    pn_query q = query(10, 4, 20, PN_MODEL_SLOTS);
    pn_histogram hist = {0};
    exact_ok(&q, &hist);
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(&hist, total);
    cr_assert_eq(mpz_cmp_ui(total, 137846528820UL), 0); /* C(40, 20) */
    assert_rounded(pn_histogram_expected_percent(&hist), 5.3, "slots expected");
    mpz_clear(total);
    pn_histogram_clear(&hist);
}

Test(engine_exact, seed_eight_dual_core_hosts_four_guests)
{
    pn_query q = query(8, 2, 4, PN_MODEL_UNIFORM);
    pn_histogram hist = {0};
    exact_ok(&q, &hist);
    assert_post_8_2_4(&hist);
    pn_histogram_clear(&hist);
}

/* The model's total weight of all scenarios on r hosts: C(rp, g) for slots,
 * the dynamic program's count for uniform (dp holds counts for 0..h hosts). */
static void model_total(pn_model model, uint64_t r, uint64_t p, uint64_t g, mpz_t *dp,
                        mpz_t out)
{
    if (model == PN_MODEL_SLOTS)
        mpz_bin_uiui(out, (unsigned long)(r * p), (unsigned long)g);
    else
        mpz_set(out, dp[r]);
}

/* Checks a big histogram by properties derived apart from the engine:
 *  - sum of bins = total weight on h hosts;
 *  - sum k bins[k] = h * (weight with host 1 empty) = h * total on h-1 hosts;
 *  - sum k(k-1) bins[k] = h(h-1) * total on h-2 hosts (two chosen hosts empty);
 *  - bins[k] > 0 exactly when the h-k busy hosts can hold g guests with none
 *    idle: h-k <= g and g <= (h-k)p, i.e. max(0, h-g) <= k <= h - ceil(g/p). */
static void check_properties(uint64_t h, uint64_t p, uint64_t g, pn_model model)
{
    pn_query q = query(h, p, g, model);
    pn_histogram hist = {0};
    exact_ok(&q, &hist);
    mpz_t *dp = malloc((h + 1) * sizeof *dp);
    cr_assert(dp);
    for (uint64_t r = 0; r <= h; r++)
        mpz_init(dp[r]);
    if (model == PN_MODEL_UNIFORM)
        uniform_counts_dp(h, p, g, dp);

    mpz_t sum0, sum1, sum2, term, want;
    mpz_inits(sum0, sum1, sum2, term, want, NULL);
    uint64_t lo = h > g ? h - g : 0, hi = h - (g + p - 1) / p;
    for (uint64_t k = 0; k <= h; k++) {
        bool possible = k >= lo && k <= hi;
        cr_assert_eq(mpz_sgn(hist.bins[k]), possible ? 1 : 0, "%llu/%llu/%llu %s bin %llu",
                     (unsigned long long)h, (unsigned long long)p, (unsigned long long)g,
                     pn_model_name(model), (unsigned long long)k);
        mpz_add(sum0, sum0, hist.bins[k]);
        mpz_mul_ui(term, hist.bins[k], (unsigned long)k);
        mpz_add(sum1, sum1, term);
        if (k >= 1) {
            mpz_mul_ui(term, term, (unsigned long)(k - 1));
            mpz_add(sum2, sum2, term);
        }
    }
    model_total(model, h, p, g, dp, want);
    cr_assert_eq(mpz_cmp(sum0, want), 0, "total %llu/%llu/%llu %s", (unsigned long long)h,
                 (unsigned long long)p, (unsigned long long)g, pn_model_name(model));
    model_total(model, h - 1, p, g, dp, want);
    mpz_mul_ui(want, want, (unsigned long)h);
    cr_assert_eq(mpz_cmp(sum1, want), 0, "first moment");
    model_total(model, h - 2, p, g, dp, want);
    mpz_mul_ui(want, want, (unsigned long)(h * (h - 1)));
    cr_assert_eq(mpz_cmp(sum2, want), 0, "second factorial moment");

    mpz_clears(sum0, sum1, sum2, term, want, NULL);
    for (uint64_t r = 0; r <= h; r++)
        mpz_clear(dp[r]);
    free(dp);
    pn_histogram_clear(&hist);
}

Test(engine_exact, big_300_hosts_by_properties)
{
    check_properties(300, 16, 2400, PN_MODEL_UNIFORM);
    check_properties(300, 16, 2400, PN_MODEL_SLOTS);
    check_properties(300, 3, 100, PN_MODEL_UNIFORM);
    check_properties(300, 3, 100, PN_MODEL_SLOTS);
    check_properties(300, 1, 150, PN_MODEL_UNIFORM);
    check_properties(300, 1, 150, PN_MODEL_SLOTS);
    check_properties(300, 5, 1499, PN_MODEL_UNIFORM);
    check_properties(300, 5, 1499, PN_MODEL_SLOTS);
}

/* Wide hosts: p large against g and against h. */
Test(engine_exact, wide_hosts_by_properties)
{
    check_properties(40, 500, 10000, PN_MODEL_UNIFORM);
    check_properties(40, 500, 10000, PN_MODEL_SLOTS);
    check_properties(400, 100, 90, PN_MODEL_UNIFORM);
    check_properties(400, 100, 90, PN_MODEL_SLOTS);
}

Test(engine_exact, big_600_hosts_by_properties)
{
    check_properties(600, 16, 4800, PN_MODEL_UNIFORM);
    check_properties(600, 16, 4800, PN_MODEL_SLOTS);
}

Test(engine_exact, big_1000_hosts_by_properties)
{
    check_properties(1000, 16, 8000, PN_MODEL_SLOTS);
    check_properties(1000, 8, 8000, PN_MODEL_SLOTS);
    check_properties(1000, 2, 700, PN_MODEL_UNIFORM);
}

Test(engine_exact, big_1000_hosts_uniform_by_properties)
{
    check_properties(1000, 16, 8000, PN_MODEL_UNIFORM);
}

/* g = 0: one scenario, every host napping, in both models (p = 0 included). */
Test(engine_exact, no_guests_means_every_host_naps)
{
    const uint64_t ps[] = {0, 1, 7};
    for (unsigned i = 0; i < 3; i++) {
        for (pn_model model = PN_MODEL_UNIFORM; model <= PN_MODEL_SLOTS; model++) {
            pn_query q = query(50, ps[i], 0, model);
            pn_histogram hist = {0};
            exact_ok(&q, &hist);
            for (uint64_t k = 0; k < 50; k++)
                cr_assert_eq(mpz_sgn(hist.bins[k]), 0);
            cr_assert_eq(mpz_cmp_ui(hist.bins[50], 1), 0);
            pn_histogram_clear(&hist);
        }
    }
}

/* A full cloud (g = hp) has one scenario, and no host naps. */
Test(engine_exact, full_cloud_has_one_scenario)
{
    for (pn_model model = PN_MODEL_UNIFORM; model <= PN_MODEL_SLOTS; model++) {
        pn_query q = query(200, 9, 1800, model);
        pn_histogram hist = {0};
        exact_ok(&q, &hist);
        cr_assert_eq(mpz_cmp_ui(hist.bins[0], 1), 0);
        for (uint64_t k = 1; k <= 200; k++)
            cr_assert_eq(mpz_sgn(hist.bins[k]), 0);
        pn_histogram_clear(&hist);
    }
}

/* p = 1: both models choose which g hosts run a guest, so bins[h-g] = C(h,g). */
Test(engine_exact, one_guest_per_host_is_a_plain_choice)
{
    for (pn_model model = PN_MODEL_UNIFORM; model <= PN_MODEL_SLOTS; model++) {
        pn_query q = query(400, 1, 123, model);
        pn_histogram hist = {0};
        exact_ok(&q, &hist);
        mpz_t want;
        mpz_init(want);
        mpz_bin_uiui(want, 400, 123);
        for (uint64_t k = 0; k <= 400; k++)
            cr_assert_eq(k == 400 - 123 ? mpz_cmp(hist.bins[k], want) : mpz_sgn(hist.bins[k]),
                         0, "bin %llu", (unsigned long long)k);
        mpz_clear(want);
        pn_histogram_clear(&hist);
    }
}

/* h = 1: the one host runs all g guests; slots weighs that C(p, g). */
Test(engine_exact, one_host)
{
    pn_query q = query(1, 1000000, 999999, PN_MODEL_SLOTS);
    pn_histogram hist = {0};
    exact_ok(&q, &hist);
    cr_assert_eq(mpz_cmp_ui(hist.bins[0], 1000000), 0);
    cr_assert_eq(mpz_sgn(hist.bins[1]), 0);
    pn_histogram_clear(&hist);
    q.model = PN_MODEL_UNIFORM;
    q = resolved(q);
    exact_ok(&q, &hist);
    cr_assert_eq(mpz_cmp_ui(hist.bins[0], 1), 0);
    cr_assert_eq(mpz_sgn(hist.bins[1]), 0);
    pn_histogram_clear(&hist);
}

/* Large p with few hosts stays exact: two hosts of 10^6 guests each. For
 * uniform, g = 10^6 splits as (a, g-a): a = 0..g, both ends napping once. */
Test(engine_exact, two_huge_hosts)
{
    pn_query q = query(2, 1000000, 1000000, PN_MODEL_UNIFORM);
    pn_histogram hist = {0};
    exact_ok(&q, &hist);
    cr_assert_eq(mpz_cmp_ui(hist.bins[0], 999999), 0);
    cr_assert_eq(mpz_cmp_ui(hist.bins[1], 2), 0);
    cr_assert_eq(mpz_sgn(hist.bins[2]), 0);
    pn_histogram_clear(&hist);
}

Test(engine_exact, refuses_a_slice)
{
    pn_query q = query(10, 4, 20, PN_MODEL_UNIFORM);
    q.sliced = true;
    q.skip = 0;
    q.limit = 100;
    q = resolved(q);
    pn_histogram hist = {0};
    pn_run run;
    pn_error err = {{0}};
    cr_assert_eq(engine_into(pn_engine_exact_run, &q, &run, &hist, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "--skip/--limit") != NULL, "%s", err.msg);
    for (uint64_t k = 0; k <= 10; k++)
        cr_assert_eq(mpz_sgn(hist.bins[k]), 0);
    pn_histogram_clear(&hist);
}

Test(engine_exact, refuses_an_invalid_query)
{
    pn_query q = query(10, 4, 41, PN_MODEL_SLOTS);
    pn_histogram hist = {0};
    pn_run run;
    pn_error err = {{0}};
    cr_assert_eq(engine_into(pn_engine_exact_run, &q, &run, &hist, &err), PN_ERR_USAGE);
    pn_histogram_clear(&hist);
}

Test(engine_exact, stops_when_cancelled)
{
    pn_query q = query(1000, 16, 8000, PN_MODEL_UNIFORM);
    pn_histogram hist = {0};
    volatile sig_atomic_t cancel = 1;
    pn_error err = {{0}};
    pn_run run = {0};
    run.progress.cancel = &cancel;
    cr_assert_eq(pn_histogram_init(&hist, q.hosts, &err), PN_OK);
    cr_assert_eq(pn_engine_exact_run(&q, &run, &hist, &err), PN_ERR_INTERRUPTED);
    cr_assert(strstr(err.msg, "interrupted after") != NULL, "%s", err.msg);
    for (uint64_t k = 0; k <= q.hosts; k++)
        cr_assert_eq(mpz_sgn(hist.bins[k]), 0);
    pn_histogram_clear(&hist);
}

Test(engine_exact, reports_sane_progress)
{
    pn_query q = query(1000, 16, 8000, PN_MODEL_UNIFORM);
    pn_histogram hist = {0};
    progress_log log = {0};
    pn_error err = {{0}};
    pn_run run = {.progress = logged(&log)};
    cr_assert_eq(pn_histogram_init(&hist, q.hosts, &err), PN_OK);
    cr_assert_eq(pn_engine_exact_run(&q, &run, &hist, &err), PN_OK, "%s", err.msg);
    if (log.calls > 0)
        cr_assert_gt(log.last.total, 0);
    pn_histogram_clear(&hist);
}

/* A sweep the exact engine counts level by level (-h 300 -p 16 -g
 * 100:110, 11 guest counts: each level's own sum is cheaper than the
 * generating function) reports levels done of 11, never a level's own
 * words, whose count would restart at every level; stopped, it says how
 * many levels it finished. */
Test(engine_exact, a_sweep_reports_levels_done_of_total)
{
    pn_query q = {.hosts = 300, .per_host = 16};
    pn_error err = {{0}};
    cr_assert_eq(pn_levels_range(&q.levels, 100, 110, &err), PN_OK, "%s", err.msg);
    q = resolved(q);
    cr_assert(q.resolved);
    pn_exact_cost cost;
    bool per_level = false;
    pn_exact_cost_estimate(&q, &cost, &per_level);
    cr_assert(per_level, "the sweep should be counted level by level");
    pn_histogram *hists = NULL;
    progress_log log = {0};
    pn_run run = {.progress = logged(&log)};
    cr_assert_eq(pn_histograms_init(&hists, &q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_exact_run(&q, &run, hists, &err), PN_OK, "%s", err.msg);
    cr_assert_geq(log.calls, 11, "one report after each level at least");
    cr_assert_str_eq(log.first.unit, "levels");
    cr_assert_str_eq(log.last.unit, "levels");
    cr_assert_eq(log.last.total, 11);
    cr_assert_eq(log.last.done, 11);
    pn_histograms_free(hists, q.levels.n);

    progress_log stop = {.cancel_after = 4}; /* three levels done, or fewer */
    run = (pn_run){.progress = logged(&stop)};
    cr_assert_eq(pn_histograms_init(&hists, &q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_exact_run(&q, &run, hists, &err), PN_ERR_INTERRUPTED);
    cr_assert(strstr(err.msg, " of 11 guest counts of the sweep"), "%s", err.msg);
    pn_histograms_free(hists, q.levels.n);
    pn_levels_clear(&q.levels);
}
