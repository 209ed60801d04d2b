/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_opencl_plan.c -- the OpenCL engine's host plan: the narrowest table entry type, padded zero classes, build options. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/pn_opencl_plan.h"

/* Device limits roomy enough for any table here, with a word of word_bytes. */
static pn_plan_limits limits(unsigned word_bytes)
{
    return (pn_plan_limits){.local_mem = 32768, .const_mem = 1 << 26, .const_args = 8,
                            .word_bytes = word_bytes};
}

static pn_plan make(uint64_t hosts, uint64_t per_host, uint64_t guests, bool slots,
                    uint64_t count, unsigned word_bytes, unsigned sum_bytes)
{
    pn_plan pl;
    pn_error err = {{0}};
    pn_plan_limits lim = limits(word_bytes);
    const pn_plan_request req = {.hosts = hosts, .base = per_host + 1, .guests = guests,
                                 .slots = slots, .first = 0, .count = count,
                                 .sum_bytes = sum_bytes};
    cr_assert_eq(pn_plan_make(&pl, &lim, &req, &err), PN_OK, "%s", err.msg);
    return pl;
}

/* Table entry `at` of the plan, whatever its width. */
static uint32_t entry(const pn_plan *pl, uint64_t at)
{
    if (pl->sum_bytes == 1)
        return ((const uint8_t *)pl->low_sum)[at];
    if (pl->sum_bytes == 2)
        return ((const uint16_t *)pl->low_sum)[at];
    return ((const uint32_t *)pl->low_sum)[at];
}

/* The entry type follows L*p: uchar up to 254 (255 is the padding), ushort
 * up to 65534, uint beyond; L is 1 for every p >= 128. */
Test(opencl_plan, narrowest_entry_type)
{
    static const struct {
        uint64_t hosts, per_host, count;
        unsigned bytes;
    } cases[] = {
        {14, 4, 6103515625ULL, 1}, /* L = 6, L*p = 24 */
        {3, 127, 2097152, 1},      /* L = 2, L*p = 254 */
        {3, 254, 16581375, 1},     /* L = 1, L*p = 254 */
        {2, 255, 65536, 2},        /* L = 1, L*p = 255 */
        {2, 256, 66049, 2},        /* L = 1, L*p = 256 */
        {2, 65534, 1ULL << 20, 2}, /* L = 1, L*p = 65534 */
        {2, 65535, 1ULL << 20, 4}, /* L = 1, L*p = 65535 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pn_plan pl = make(cases[i].hosts, cases[i].per_host, 1, false, cases[i].count, 32, 0);
        cr_assert_eq(pl.sum_bytes, cases[i].bytes, "%llu/%llu: %u bytes, L = %u",
                     (unsigned long long)cases[i].hosts, (unsigned long long)cases[i].per_host,
                     pl.sum_bytes, pl.low_digits);
        cr_assert_eq(pl.sum_max, (1ULL << (8 * pl.sum_bytes)) - 1);
        cr_assert_gt((double)pl.sum_max, (double)pl.low_digits * (double)cases[i].per_host);
        cr_assert_eq(pl.lanes, 32 / pl.sum_bytes);
        pn_plan_free(&pl);
    }
}

/* A wider type may be asked for (the self-test does), never a narrower one. */
Test(opencl_plan, forced_entry_type)
{
    for (unsigned b = 1; b <= 4; b *= 2) {
        pn_plan pl = make(4, 2, 3, true, 81, 16, b);
        cr_assert_eq(pl.sum_bytes, b);
        cr_assert_eq(pl.lanes, 16 / b);
        pn_plan_free(&pl);
    }
    pn_plan pl = make(2, 300, 1, false, 301 * 301, 32, 1);
    cr_assert_eq(pl.sum_bytes, 2);
    pn_plan_free(&pl);
}

/* Every low combination appears once, in its zero class; each class starts
 * on a word and fills an even number of words, the rest being padding
 * (sum_max, weight 0). */
static void check_layout(uint64_t hosts, uint64_t per_host, bool slots, unsigned word_bytes)
{
    uint64_t base = per_host + 1, count = 1;
    for (uint64_t i = 0; i < hosts; i++)
        count *= base;
    pn_plan pl = make(hosts, per_host, 1, slots, count, word_bytes, 0);
    unsigned L = pl.low_digits;
    cr_assert_gt(L, 0);
    cr_assert_eq(pl.zero_start[0], 0);
    cr_assert_eq(pl.entries, (uint64_t)pl.zero_start[L + 1] * pl.lanes);
    bool *seen = calloc(pl.entries, sizeof *seen);
    uint64_t real = 0;
    for (unsigned z = 0; z <= L; z++) {
        cr_assert_eq((pl.zero_start[z + 1] - pl.zero_start[z]) % 2, 0);
        bool padding = false;
        for (uint64_t e = (uint64_t)pl.zero_start[z] * pl.lanes;
             e < (uint64_t)pl.zero_start[z + 1] * pl.lanes; e++) {
            uint32_t s = entry(&pl, e);
            if (s == pl.sum_max) {
                padding = true;
                cr_assert(!slots || pl.low_weight[e] == 0);
                continue;
            }
            cr_assert(!padding, "a real entry after the padding of class %u", z);
            real++;
            cr_assert_leq(s, L * per_host);
        }
    }
    cr_assert_eq(real, pl.low);
    /* each combination's sum is in its zero class, a distinct entry each */
    for (uint64_t lo = 0; lo < pl.low; lo++) {
        uint64_t rest = lo;
        uint32_t s = 0, z = 0;
        for (unsigned j = 0; j < L; j++, rest /= base) {
            s += (uint32_t)(rest % base);
            z += rest % base == 0;
        }
        uint64_t e = (uint64_t)pl.zero_start[z] * pl.lanes;
        while (e < pl.entries && (entry(&pl, e) != s || seen[e]))
            e++;
        cr_assert_lt(e, (uint64_t)pl.zero_start[z + 1] * pl.lanes, "combination %llu",
                     (unsigned long long)lo);
        seen[e] = true;
    }
    free(seen);
    pn_plan_free(&pl);
}

Test(opencl_plan, padded_zero_classes)
{
    check_layout(14, 4, false, 32);
    check_layout(14, 4, true, 16);
    check_layout(9, 6, true, 32);
    check_layout(3, 255, false, 32);
    check_layout(3, 255, true, 16);
}

Test(opencl_plan, build_options_name_the_shape)
{
    char opts[512];
    pn_plan pl = make(14, 4, 28, false, 6103515625ULL, 32, 0);
    pn_plan_options(&pl, opts, sizeof opts);
    cr_assert(strstr(opts, "-D SLOTS=0"), "%s", opts);
    cr_assert(strstr(opts, "-D SUM_T=uchar -D SUM_MAX=255U -D LANES=32"), "%s", opts);
    cr_assert(strstr(opts, "-D PER_HOST_BASES=0 -D LOCAL_BINS=1"), "%s", opts);
    cr_assert(!strstr(opts, "HOSTS="), "%s", opts);
    pn_plan_free(&pl);
    pl = make(2, 300, 1, true, 301 * 301, 16, 0);
    pn_plan_options(&pl, opts, sizeof opts);
    cr_assert(strstr(opts, "-D SUM_T=ushort -D SUM_MAX=65535U -D LANES=8"), "%s", opts);
    cr_assert(!strstr(opts, "BASE="), "%s", opts);
    pn_plan_free(&pl);
}

/* A mixed fleet's plan: one host table entry per host (base, row, group)
 * and one binomial row per distinct capacity, in the order the hosts first
 * have it, shared by every later host of that capacity, adjacent or not.
 * 2x3,1x4,2x3: rows C(3, .) = 1 3 3 1 at 0 and C(4, .) = 1 4 6 4 1 at 4. */
Test(opencl_plan, host_table_shares_rows)
{
    static const uint64_t cap[5] = {3, 3, 4, 3, 3};
    static const unsigned group[5] = {0, 0, 1, 2, 2};
    static const uint64_t rows[9] = {1, 3, 3, 1, 1, 4, 6, 4, 1};
    static const uint32_t want_row[5] = {0, 0, 4, 0, 0};
    const pn_plan_request req = {.hosts = 5, .base = 5, .guests = 7, .slots = true, .first = 0,
                                 .count = 4 * 4 * 5 * 4 * 4, .groups = 3, .host_cap = cap,
                                 .host_group = group};
    pn_plan_limits lim = limits(32);
    pn_plan pl;
    pn_error err = {{0}};
    cr_assert_eq(pn_plan_make(&pl, &lim, &req, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pl.base, 4, "the low digits are group 0's");
    cr_assert_eq(pl.binom_len, 9);
    cr_assert_eq(memcmp(pl.binom, rows, sizeof rows), 0);
    cr_assert_not_null(pl.host);
    for (unsigned j = 0; j < 5; j++) {
        cr_assert_eq(pl.host[j].base, cap[j] + 1, "host %u", j);
        cr_assert_eq(pl.host[j].row, want_row[j], "host %u", j);
        cr_assert_eq(pl.host[j].group, group[j], "host %u", j);
    }
    cr_assert_eq(pl.nbins, 4 * 6);
    cr_assert_eq(pn_plan_request_bins(&req), 4 * 6);
    pn_plan_free(&pl);
}

/* One base has no host table; more groups than the kernels keep is refused. */
Test(opencl_plan, host_table_only_for_fleets)
{
    pn_plan pl = make(10, 4, 20, false, 9765625, 32, 0);
    cr_assert_null(pl.host);
    cr_assert_eq(pl.binom_len, 5);
    pn_plan_free(&pl);
    uint64_t cap[PN_CL_MAX_GROUPS + 1];
    unsigned group[PN_CL_MAX_GROUPS + 1];
    for (unsigned j = 0; j <= PN_CL_MAX_GROUPS; j++) {
        cap[j] = 1;
        group[j] = j;
    }
    const pn_plan_request req = {.hosts = PN_CL_MAX_GROUPS + 1, .base = 2, .guests = 1,
                                 .first = 0, .count = 1ULL << (PN_CL_MAX_GROUPS + 1),
                                 .groups = PN_CL_MAX_GROUPS + 1, .host_cap = cap,
                                 .host_group = group};
    pn_plan_limits lim = limits(32);
    pn_error err = {{0}};
    cr_assert_eq(pn_plan_make(&pl, &lim, &req, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "at most 16 groups"), "%s", err.msg);
}

/* The build variants: per-host bases for a fleet, global bins when the
 * bins outgrow half the local memory, __global tables when the device has
 * fewer than five constant arguments. */
Test(opencl_plan, build_variants)
{
    char opts[512];
    static const uint64_t cap[3] = {1, 1, 2};
    static const unsigned group[3] = {0, 0, 1};
    const pn_plan_request fleet = {.hosts = 3, .base = 3, .guests = 2, .first = 0, .count = 12,
                                   .groups = 2, .host_cap = cap, .host_group = group};
    pn_plan_limits lim = limits(32);
    pn_plan pl;
    pn_error err = {{0}};
    cr_assert_eq(pn_plan_make(&pl, &lim, &fleet, &err), PN_OK, "%s", err.msg);
    pn_plan_options(&pl, opts, sizeof opts);
    cr_assert(strstr(opts, "-D TABLE=__constant"), "%s", opts);
    cr_assert(strstr(opts, "-D PER_HOST_BASES=1 -D LOCAL_BINS=1"), "%s", opts);
    pn_plan_free(&pl);
    lim.local_mem = 2 * 12 * 8 - 1; /* 12 bins need 96 bytes, half of 191 is less */
    lim.const_args = 4;
    cr_assert_eq(pn_plan_make(&pl, &lim, &fleet, &err), PN_OK, "%s", err.msg);
    pn_plan_options(&pl, opts, sizeof opts);
    cr_assert(strstr(opts, "-D TABLE=__global"), "%s", opts);
    cr_assert(strstr(opts, "-D PER_HOST_BASES=1 -D LOCAL_BINS=0"), "%s", opts);
    pn_plan_free(&pl);
}
