/* test_consolidation.c -- the packing bound worked by hand: h - ceil(g/p) for a cloud, largest hosts first for a fleet, least power-hungry first among equals. */
#include <criterion/criterion.h>

#include "report/pn_consolidation.h"
#include "query_fixture.h"

/* A cloud of h hosts of p: ceil(g/p) hosts hold g guests, the rest nap. */
Test(consolidation, a_cloud_naps_all_but_ceil_g_over_p)
{
    pn_query q = {.hosts = 10, .per_host = 4};
    static const struct { uint64_t guests, napping; } cases[] = {
        {0, 10}, {1, 9}, {4, 9}, {5, 8}, {20, 5}, {21, 4}, {39, 0}, {40, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pn_consolidation c = pn_consolidation_of(&q, cases[i].guests);
        cr_assert_eq(c.napping, cases[i].napping, "g = %llu: %llu napping",
                     (unsigned long long)cases[i].guests, (unsigned long long)c.napping);
        cr_assert_float_eq(c.savings_percent, 10.0 * (double)cases[i].napping, 1e-12);
    }
    /* hosts that take no guest hold none: all of them nap */
    pn_query none = {.hosts = 3, .per_host = 0};
    cr_assert_eq(pn_consolidation_of(&none, 0).napping, 3);
    cr_assert_eq(pn_consolidation_of(&none, 0).savings_percent, 100.0);
    /* one host in three: exactly the double nearest 100/3 */
    pn_query three = {.hosts = 3, .per_host = 2};
    cr_assert_eq(pn_consolidation_of(&three, 4).savings_percent, 100.0 / 3.0);
}

/* Largest hosts first: 20 guests on 2x16 + 8x4 take one 16 and one 4. */
Test(consolidation, a_fleet_fills_its_largest_hosts_first)
{
    pn_query q = fleet("8x4,2x16", 20, PN_MODEL_UNIFORM);
    pn_consolidation c = pn_consolidation_of(&q, 20);
    cr_assert_eq(c.napping, 8);
    cr_assert_float_eq(c.savings_percent, 80.0, 1e-12);
    cr_assert_eq(pn_consolidation_of(&q, 32).napping, 8);
    cr_assert_eq(pn_consolidation_of(&q, 33).napping, 7);
    cr_assert_eq(pn_consolidation_of(&q, 64).napping, 0);
    cr_assert_eq(pn_consolidation_of(&q, 0).napping, 10);
    /* with watts: the 8 napping 4-slot hosts draw 8*200 of 2300 W */
    q = fleet("8x4@200,2x16@350", 20, PN_MODEL_UNIFORM);
    cr_assert_float_eq(pn_consolidation_of(&q, 20).savings_percent, 100.0 * 1600 / 2300, 1e-12);
    /* homogeneous: h - ceil(g/p) */
    pn_query h = {.hosts = 10, .per_host = 4};
    cr_assert_eq(pn_consolidation_of(&h, 21).napping, 4);
    cr_assert_eq(pn_consolidation_of(&h, 20).napping, 5);
}

/* 3 hosts of 2 and 1 of 5: 5 guests fill the big one and 3 small ones
 * nap (75 %); a sixth guest wakes one of them (2 of 4, 50 %); 11 fill all. */
Test(consolidation, the_big_host_is_filled_before_any_small_one)
{
    pn_query q = fleet("3x2,1x5", 5, PN_MODEL_UNIFORM);
    pn_consolidation c = pn_consolidation_of(&q, 5);
    cr_assert_eq(c.napping, 3);
    cr_assert_float_eq(c.savings_percent, 75.0, 1e-12);
    c = pn_consolidation_of(&q, 6);
    cr_assert_eq(c.napping, 2);
    cr_assert_float_eq(c.savings_percent, 50.0, 1e-12);
    cr_assert_eq(pn_consolidation_of(&q, 11).napping, 0);
}

/* Among hosts of one capacity the least power-hungry run, so the hungrier
 * nap. 2 hosts of 4 at 100 W and 2 at 300 W (800 W): 4 guests run on one
 * 100 W host, 700 W nap (87.5 %); 9 guests need three hosts, the two 100 W
 * and one 300 W, so 300 W nap (37.5 %), listed in either order. */
Test(consolidation, equal_hosts_nap_the_hungriest_first)
{
    static const char *const specs[] = {"2x4@100,2x4@300", "2x4@300,2x4@100"};
    for (size_t i = 0; i < 2; i++) {
        pn_query q = fleet(specs[i], 4, PN_MODEL_UNIFORM);
        pn_consolidation c = pn_consolidation_of(&q, 4);
        cr_assert_eq(c.napping, 3, "%s", specs[i]);
        cr_assert_float_eq(c.savings_percent, 87.5, 1e-12, "%s", specs[i]);
        c = pn_consolidation_of(&q, 9);
        cr_assert_eq(c.napping, 1, "%s", specs[i]);
        cr_assert_float_eq(c.savings_percent, 37.5, 1e-12, "%s", specs[i]);
    }
}

/* A weighted share is rounded once, from the exact ratio: a 2-slot host at
 * 1 W runs the one guest, the 1-slot host at 2 W naps, 2 of 3 W: the
 * double nearest 200/3, which IEEE division gives for 200.0 / 3.0. */
Test(consolidation, a_weighted_share_is_rounded_once)
{
    pn_query q = fleet("1x2@1,1x1@2", 1, PN_MODEL_UNIFORM);
    pn_consolidation c = pn_consolidation_of(&q, 1);
    cr_assert_eq(c.napping, 1);
    cr_assert_eq(c.savings_percent, 200.0 / 3.0, "%.17g", c.savings_percent);
}
