/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_consolidation.c -- the packing bound worked by hand: h - ceil(g/p) for a cloud, largest hosts first for a fleet, least power-hungry first among equals. */
#include <criterion/criterion.h>

#include "report/pn_consolidation.h"
#include "query_fixture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
    /* with watts, the least power awake: one 16 (350 W) and one 4 (200 W)
     * hold the 20 guests, so 1750 of 2300 W nap (two 16s would leave 1600) */
    q = fleet("8x4@200,2x16@350", 20, PN_MODEL_UNIFORM);
    cr_assert_float_eq(pn_consolidation_of(&q, 20).savings_percent, 100.0 * 1750 / 2300, 1e-12);
    cr_assert_eq(pn_consolidation_of(&q, 20).napping, 8);
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

/* The bound of a weighted fleet is power, not hosts (issue 18): 2 guests on
 * 1x2@1000 + 2x1@1 run on the two 1 W hosts and the 1000 W one naps, 1000
 * of 1002 W; 16 guests on 1x16@1000 + 4x4@100 run on the four 100 W hosts,
 * 1000 of 1400 W. Filling the largest host first gave 0.2% and 28.6%. */
Test(consolidation, a_weighted_fleet_keeps_the_least_power_awake)
{
    pn_query q = fleet("1x2@1000,2x1@1", 2, PN_MODEL_UNIFORM);
    pn_consolidation c = pn_consolidation_of(&q, 2);
    cr_assert_eq(c.napping, 1);
    cr_assert_eq(c.savings_percent, 100000.0 / 1002.0, "%.17g", c.savings_percent);
    q = fleet("1x16@1000,4x4@100", 16, PN_MODEL_UNIFORM);
    c = pn_consolidation_of(&q, 16);
    cr_assert_eq(c.napping, 1);
    cr_assert_eq(c.savings_percent, 100000.0 / 1400.0, "%.17g", c.savings_percent);
    /* 17 guests: the 1000 W host and one 100 W (1100 awake) beat all four
     * 100 W hosts, which hold only 16 */
    c = pn_consolidation_of(&q, 17);
    cr_assert_eq(c.napping, 3);
    cr_assert_eq(c.savings_percent, 30000.0 / 1400.0, "%.17g", c.savings_percent);
}

/* The least watts that hold g, by trying every number of awake hosts per
 * group: the reference the branch and bound must meet on small fleets. */
static double brute_least_awake(const pn_query *q, uint64_t g)
{
    uint64_t awake[PN_MAX_GROUPS] = {0};
    double best = INFINITY;
    for (;;) {
        uint64_t slots = 0;
        double watts = 0;
        for (unsigned j = 0; j < q->ngroups; j++) {
            slots += awake[j] * q->groups[j].capacity;
            watts += (double)awake[j] * q->groups[j].watts;
        }
        if (slots >= g && watts < best)
            best = watts;
        unsigned j = 0;
        while (j < q->ngroups && awake[j] == q->groups[j].count)
            awake[j++] = 0;
        if (j == q->ngroups)
            return best;
        awake[j]++;
    }
}

/* 400 random weighted fleets of two to four groups, every g: the share is
 * the brute force's least awake power, as a share of the fleet's. */
Test(consolidation, the_power_bound_meets_brute_force)
{
    uint64_t seed = 18;
    for (int trial = 0; trial < 400; trial++) {
        char spec[256] = "";
        unsigned groups = 2 + (unsigned)(trial % 3);
        for (unsigned j = 0; j < groups; j++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned count = 1 + (unsigned)(seed >> 60) % 4, cap = 1 + (unsigned)(seed >> 50) % 6;
            unsigned watts = 1 + (unsigned)(seed >> 33) % 500;
            char one[64];
            snprintf(one, sizeof one, "%s%ux%u@%u", j ? "," : "", count, cap, watts);
            strcat(spec, one);
        }
        pn_query q = fleet(spec, 0, PN_MODEL_UNIFORM);
        double all = 0;
        for (unsigned j = 0; j < q.ngroups; j++)
            all += (double)q.groups[j].count * q.groups[j].watts;
        for (uint64_t g = 0; g <= pn_query_capacity(&q); g++) {
            double want = 100.0 * (all - brute_least_awake(&q, g)) / all;
            double got = pn_consolidation_of(&q, g).savings_percent;
            cr_assert_float_eq(got, want, 1e-9, "%s g=%llu: %.17g, brute force %.17g", spec,
                               (unsigned long long)g, got, want);
        }
    }
}
