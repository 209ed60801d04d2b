/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_exact_range.c -- the range digit DP against the cpu engine's enumeration of the same slices, homogeneous clouds and mixed fleets. */
#include <criterion/criterion.h>
#include <gmp.h>
#include <stdio.h>
#include <string.h>

#include "engine/pn_engine.h"
#include "engine/pn_exact_range.h"
#include "question/pn_fleet.h"
#include "cli_fixture.h"
#include "query_fixture.h"
#include "random_fixture.h"

/* The digit DP and the cpu engine agree on slice [skip, skip+limit) of q. */
static void check_range(pn_query q, uint64_t skip, uint64_t limit)
{
    q = sliced(q, skip, limit);
    cr_assert(q.resolved);
    pn_histogram dp, cpu;
    pn_error err;
    pn_run run = {0};
    cr_assert_eq(pn_histogram_init(&dp, q.hosts, &err), PN_OK);
    cr_assert_eq(pn_histogram_init(&cpu, q.hosts, &err), PN_OK);
    cr_assert_eq(pn_exact_range_count(&q, skip, limit, &dp, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_cpu_run(&q, &run, &cpu, &err), PN_OK, "%s", err.msg);
    for (uint64_t k = 0; k <= q.hosts; k++)
        cr_assert(mpz_cmp(dp.bins[k], cpu.bins[k]) == 0,
                  "%llu/%llu/%llu %s [%llu,+%llu) bin %llu: dp %s", (unsigned long long)q.hosts,
                  (unsigned long long)q.per_host, (unsigned long long)q.guests,
                  pn_model_name(q.model), (unsigned long long)skip, (unsigned long long)limit,
                  (unsigned long long)k, mpz_get_str(NULL, 10, dp.bins[k]));
    pn_histogram_clear(&dp);
    pn_histogram_clear(&cpu);
}

Test(exact_range, every_slice_of_4_2_3)
{
    for (int m = 0; m < 2; m++)
        for (uint64_t a = 0; a <= 81; a++)
            for (uint64_t b = a; b <= 81; b++)
                check_range((pn_query){.hosts = 4, .per_host = 2, .guests = 3,
                                       .model = m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM},
                            a, b - a);
}

Test(exact_range, random_slices_of_many_clouds)
{
    uint64_t state = 2009;
    for (int i = 0; i < 400; i++) {
        uint64_t h = 1 + next_random(&state) % 8, p = next_random(&state) % 6;
        uint64_t keyspace = keyspace_of(h, p);
        uint64_t g = next_random(&state) % (h * p + 1);
        uint64_t a = next_random(&state) % (keyspace + 1);
        uint64_t b = a + next_random(&state) % (keyspace - a + 1);
        check_range((pn_query){.hosts = h, .per_host = p, .guests = g,
                               .model = i % 2 ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM},
                    a, b - a);
    }
}

/* p = 10^6 on two hosts: the uniform walk costs O(h^2) terms per digit
 * however large p is, and the whole keyspace equals the exact engine. */
Test(exact_range, huge_p_is_cheap_and_whole_range_is_exact)
{
    pn_query q = resolved((pn_query){.hosts = 2, .per_host = 1000000, .guests = 1000000});
    pn_histogram dp, exact;
    pn_error err;
    pn_run run = {0};
    cr_assert_eq(pn_histogram_init(&dp, 2, &err), PN_OK);
    cr_assert_eq(pn_histogram_init(&exact, 2, &err), PN_OK);
    /* the first half of the keyspace: host 1 runs 0..500000 guests, so
     * host 0 runs 10^6 - x; x = 0 leaves host 1 napping */
    uint64_t half = 1000001ULL * 500001ULL;
    cr_assert_eq(pn_exact_range_count(&q, 0, half, &dp, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(mpz_cmp_ui(dp.bins[1], 1), 0);
    cr_assert_eq(mpz_cmp_ui(dp.bins[0], 500000), 0);
    cr_assert_eq(pn_exact_range_count(&q, half, q.keyspace - half, &dp, &err), PN_OK);
    cr_assert_eq(pn_engine_exact_run(&q, &run, &exact, &err), PN_OK, "%s", err.msg);
    cr_assert(pn_histogram_equal(&dp, &exact));
    pn_histogram_clear(&dp);
    pn_histogram_clear(&exact);
}

Test(exact_range, refuses_a_range_past_the_keyspace)
{
    pn_query q = resolved((pn_query){.hosts = 4, .per_host = 2, .guests = 3});
    pn_histogram h;
    pn_error err;
    cr_assert_eq(pn_histogram_init(&h, 4, &err), PN_OK);
    cr_assert_eq(pn_exact_range_count(&q, 40, 42, &h, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "past the keyspace"), "%s", err.msg);
    pn_histogram_clear(&h);
}

/* Fleet `spec` under `model`, levels from..to, sliced to [skip, skip+limit)
 * and resolved; the caller clears q->levels. */
static pn_query fleet_slice(const char *spec, pn_model model, uint64_t from, uint64_t to,
                            uint64_t skip, uint64_t limit)
{
    pn_query q = {.model = model, .sliced = true, .skip = skip, .limit = limit};
    pn_error err;
    cr_assert_eq(pn_fleet_parse(spec, &q, &err), PN_OK, "%s: %s", spec, err.msg);
    cr_assert_eq(pn_levels_range(&q.levels, from, to, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s [%llu,+%llu): %s", spec,
                 (unsigned long long)skip, (unsigned long long)limit, err.msg);
    cr_assert(q.per_host_bases);
    return q;
}

/* The range count and the cpu engine agree, bins and every group's napping
 * sums at every level, on the slice of fleet `spec` fleet_slice makes. */
static void check_fleet_slice(const char *spec, pn_model model, uint64_t from, uint64_t to,
                              uint64_t skip, uint64_t limit)
{
    pn_query q = fleet_slice(spec, model, from, to, skip, limit);
    pn_histogram *dp, *cpu;
    pn_error err;
    pn_run run = {0};
    size_t n = q.levels.n;
    cr_assert_eq(pn_histograms_init(&dp, &q, &err), PN_OK);
    cr_assert_eq(pn_histograms_init(&cpu, &q, &err), PN_OK);
    cr_assert_eq(dp[0].groups, q.ngroups);
    cr_assert_eq(pn_exact_range_count(&q, skip, limit, dp, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_cpu_run(&q, &run, cpu, &err), PN_OK, "%s", err.msg);
    for (size_t i = 0; i < n; i++)
        cr_assert(pn_histogram_equal(&dp[i], &cpu[i]), "%s %s g=%llu [%llu,+%llu) differ", spec,
                  pn_model_name(model), (unsigned long long)pn_levels_at(&q.levels, i),
                  (unsigned long long)skip, (unsigned long long)limit);
    pn_histograms_free(dp, n);
    pn_histograms_free(cpu, n);
    pn_levels_clear(&q.levels);
}

/* Fleet 2x1,1x2 at 2 guests, indices 0..5: host 2 (capacity 2) runs
 * i / 4, hosts 0 and 1 the bits of i % 4. Only i = 3 (1,1,0) and
 * i = 5 (1,0,1) hold 2 guests, each with one napping host: host 2 of
 * group 1, host 1 of group 0. Slots weighs (1,1,0) 1 and (1,0,1) C(2,1). */
Test(exact_range, a_fleet_slice_by_hand)
{
    for (int m = 0; m < 2; m++) {
        pn_query q = fleet_slice("2x1,1x2", m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM, 2, 2, 0, 6);
        pn_histogram *h;
        pn_error err;
        cr_assert_eq(pn_histograms_init(&h, &q, &err), PN_OK);
        cr_assert_eq(pn_exact_range_count(&q, 0, 6, h, &err), PN_OK, "%s", err.msg);
        unsigned long w5 = m ? 2 : 1;
        unsigned long want[4] = {0, 1 + w5, 0, 0};
        for (uint64_t k = 0; k <= 3; k++) {
            cr_assert_eq(mpz_cmp_ui(h->bins[k], want[k]), 0, "bin %llu", (unsigned long long)k);
            cr_assert_eq(mpz_cmp_ui(pn_histogram_napping(h, 0, k), k == 1 ? w5 : 0), 0);
            cr_assert_eq(mpz_cmp_ui(pn_histogram_napping(h, 1, k), k == 1 ? 1 : 0), 0);
        }
        pn_histograms_free(h, 1);
        pn_levels_clear(&q.levels);
    }
}

/* Every slice [a, b) of tiny fleets (keyspaces 18, 12 and 12 with an
 * always-empty group of capacity 0), every level at once, both models. */
Test(exact_range, every_slice_of_tiny_fleets)
{
    const char *specs[] = {"2x2,1x1", "2x1,1x2", "1x2,2x0,2x1"};
    for (size_t f = 0; f < sizeof specs / sizeof *specs; f++)
        for (int m = 0; m < 2; m++) {
            pn_query q = fleet_slice(specs[f], PN_MODEL_UNIFORM, 0, 0, 0, 0);
            uint64_t keyspace = q.keyspace, cap = pn_query_capacity(&q);
            pn_levels_clear(&q.levels);
            for (uint64_t a = 0; a <= keyspace; a++)
                for (uint64_t b = a; b <= keyspace; b++)
                    check_fleet_slice(specs[f], m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM, 0, cap,
                                      a, b - a);
        }
}

/* Random slices of random fleets of 2 or 3 groups (capacities 0..4, up to
 * 3 hosts each), a random run of levels, both models. */
Test(exact_range, random_slices_of_fleets)
{
    uint64_t state = 2024;
    for (int i = 0; i < 300; i++) {
        char spec[64] = "";
        unsigned groups = 2 + next_random(&state) % 2;
        uint64_t keyspace = 1, cap = 0;
        for (unsigned j = 0; j < groups; j++) {
            uint64_t n = 1 + next_random(&state) % 3, c = next_random(&state) % 5;
            snprintf(spec + strlen(spec), sizeof spec - strlen(spec), "%s%llux%llu",
                     j ? "," : "", (unsigned long long)n, (unsigned long long)c);
            for (uint64_t r = 0; r < n; r++)
                keyspace *= c + 1;
            cap += n * c;
        }
        uint64_t from = next_random(&state) % (cap + 1);
        uint64_t to = from + next_random(&state) % (cap - from + 1);
        uint64_t a = next_random(&state) % (keyspace + 1);
        uint64_t b = a + next_random(&state) % (keyspace - a + 1);
        check_fleet_slice(spec, i % 2 ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM, from, to, a, b - a);
    }
}

/* Histograms without napping sums (as a slice file's check makes them)
 * get the bins alone. */
Test(exact_range, a_fleet_into_bins_alone)
{
    pn_query q = fleet_slice("2x3,3x2", PN_MODEL_SLOTS, 5, 5, 100, 300);
    pn_histogram bins, *full;
    pn_error err;
    cr_assert_eq(pn_histogram_init(&bins, q.hosts, &err), PN_OK);
    cr_assert_eq(pn_histograms_init(&full, &q, &err), PN_OK);
    cr_assert_eq(pn_exact_range_count(&q, 100, 300, &bins, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_exact_range_count(&q, 100, 300, full, &err), PN_OK, "%s", err.msg);
    for (uint64_t k = 0; k <= q.hosts; k++)
        cr_assert_eq(mpz_cmp(bins.bins[k], full->bins[k]), 0);
    pn_histogram_clear(&bins);
    pn_histograms_free(full, 1);
    pn_levels_clear(&q.levels);
}

/* --verify of a mixed fleet's slice: the cpu and opencl enumerations and
 * the range count agree; the slice's counts are those of the hand count
 * above. */
Test(exact_range, verify_a_fleet_slice_on_the_command_line)
{
    cli_result r = cli_run("--fleet", "2x3,3x2", "-g", "5", "--skip", "100", "--limit", "300",
                           "-e", "cpu", "--verify", "-m", "slots");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "verify: cpu and exact agree on every bin of the slice"), "%s", r.err);
    cli_free(&r);
    r = cli_run("--fleet", "2x3,3x2", "-g", "5", "--skip", "100", "--limit", "300",
                "-e", "opencl", "--verify");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "verify: opencl ("), "%s", r.err);
    cr_assert(strstr(r.err, "and exact agree on every bin of the slice"), "%s", r.err);
    cli_free(&r);
    r = cli_run("--fleet", "2x1,1x2", "-g", "2", "--skip", "0", "--limit", "6", "-e", "cpu",
                "-f", "json", "--verify");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"counts\": [0, 2, 0, 0]"), "%s", r.out);
    cli_free(&r);
}
