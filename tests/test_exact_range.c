/* test_exact_range.c -- the range digit DP against the cpu engine's enumeration of the same slices. */
#include <criterion/criterion.h>
#include <gmp.h>

#include "engine/pn_engine.h"
#include "engine/pn_exact_range.h"
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
