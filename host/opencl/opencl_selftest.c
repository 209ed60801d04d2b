/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_selftest.c -- the known-answer self-test: small cases of known histogram through both kernels of a build, before real work. */
#include "opencl/pn_opencl_selftest.h"

#include <stdio.h>
#include <string.h>

/* The case for one base: 4 hosts, 2 per host (base 3), at 3 and 4 guests;
 * 3^4 = 81 scenarios counted into two levels of 5 bins. */
#define TEST_HOSTS 4
#define TEST_BASE 3
#define TEST_GUESTS 3
#define TEST_LEVELS 2
#define TEST_SCENARIOS 81
#define TEST_BINS (TEST_LEVELS * (TEST_HOSTS + 1))
#define OPTIONS_MAX 512

/* "[a,b,...]": n counts. */
static void format_bins(const uint64_t *bins, size_t n, char *out, size_t len)
{
    size_t at = 0;
    for (size_t k = 0; k < n && at < len; k++) {
        int w = snprintf(out + at, len - at, "%s%llu", k ? "," : "[", (unsigned long long)bins[k]);
        at += w > 0 ? (size_t)w : 0;
    }
    if (at < len)
        snprintf(out + at, len - at, "]");
}

/* Limits under which the self-test's small plans get the options of shape:
 * the same word, __global tables when shape's are, global bins when
 * shape's are (the small tables and bins fit everywhere else). */
static pn_plan_limits limits_like(const pn_plan_limits *lim, const pn_plan *shape)
{
    pn_plan_limits like = *lim;
    like.word_bytes = shape->lanes * shape->sum_bytes;
    if (!shape->constant_tables)
        like.const_args = 0;
    if (!shape->use_local)
        like.local_mem = 0;
    return like;
}

/* Makes the plan for req and runs it into got, after checking that the plan
 * is of the build under test: a self-test of another build would vouch for
 * nothing. */
static pn_status run_case(pn_opencl_plan_runner run_plan, void *ctx, const pn_plan_limits *lim,
                          const pn_plan *shape, const pn_plan_request *req, pn_plan *pl,
                          uint64_t *got, pn_error *err)
{
    char want[OPTIONS_MAX], have[OPTIONS_MAX];
    pn_plan_limits like = limits_like(lim, shape);
    pn_status st = pn_plan_make(pl, &like, req, err);
    if (st != PN_OK)
        return st;
    pn_plan_options(shape, want, sizeof want);
    pn_plan_options(pl, have, sizeof have);
    if (strcmp(want, have) != 0)
        return pn_fail(err, PN_ERR_SELFTEST, "internal: the self-test's plan (%s) is not of the "
                       "build it tests (%s)", have, want);
    return run_plan(ctx, pl, got, err);
}

/* A mixed fleet through both kernels: 2x1,1x2 (bases 2, 2, 3), 2 guests
 * over two levels (2 and 3), with the napping sums of both groups. Level 2:
 * (1,1,0) (1,0,1) (0,1,1) (0,0,2); uniform bins [0,3,1,0], group 0's
 * napping sums [0,2,2,0], group 1's [0,1,0,0]; slots weights 1, 2, 2, 1:
 * [0,5,1,0], [0,4,2,0], [0,1,0,0]. Level 3: (1,1,1) (1,0,2) (0,1,2);
 * uniform [1,2,0,0] [0,2,0,0] [0,0,0,0]; slots weights 2, 1, 1: [2,2,0,0]. */
static pn_status mixed_selftest(pn_opencl_plan_runner run_plan, void *ctx,
                                const pn_plan_limits *lim, const pn_plan *shape,
                                const char *device, pn_error *err)
{
    static const uint64_t cap[3] = {1, 1, 2};
    static const unsigned group[3] = {0, 0, 1};
    static const uint64_t expect[2][24] = {
        {0, 3, 1, 0, 0, 2, 2, 0, 0, 1, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0},
        {0, 5, 1, 0, 0, 4, 2, 0, 0, 1, 0, 0, 2, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0}};
    bool slots = shape->slots;
    pn_status st = PN_OK;
    /* all of it by count_indices at both levels; then by count_prefixes,
     * host 0 (group 0, base 2) the low digit, at level 2 alone and at both */
    static const unsigned levels[3] = {2, 1, 2}, low[3] = {0, 1, 1};
    for (unsigned pass = 0; st == PN_OK && pass < 3; pass++) {
        const pn_plan_request req = {.hosts = 3, .base = 3, .guests = 2, .slots = slots,
                                     .first = 0, .count = 12, .groups = 2,
                                     .levels = levels[pass], .force_low_digits = true,
                                     .low_digits = low[pass], .sum_bytes = shape->sum_bytes,
                                     .host_cap = cap, .host_group = group};
        pn_plan pl = {0};
        uint64_t got[24] = {0};
        size_t n = levels[pass] * 12;
        st = run_case(run_plan, ctx, lim, shape, &req, &pl, got, err);
        if (st == PN_OK && memcmp(got, expect[slots], n * sizeof *got) != 0) {
            char text[256];
            format_bins(got, n, text, sizeof text);
            st = pn_fail(err, PN_ERR_SELFTEST, "kernel self-test failed on %s: the mixed fleet "
                         "2x1,1x2 at %s guests (%s, %s) gave %s; the OpenCL driver "
                         "installation is probably broken", device, n == 12 ? "2" : "2 and 3",
                         slots ? "slots" : "uniform", low[pass] ? "count_prefixes" : "count_indices",
                         text);
        }
        pn_plan_free(&pl);
    }
    return st;
}

/* The whole keyspace by count_indices (L = 0), then by count_prefixes
 * with L = 2 on a table of at least the shape's entry bytes, against the
 * known answer. At 3 guests: uniform [0,4,12,0,0] (the seed's 16
 * scenarios), slots [0,32,24,0,0] (C(8,3) = 56 ways: 4 places for the empty
 * host times 2^3, and 12 arrangements of {2,1} times C(2,2)C(2,1)). At 4:
 * uniform [1,12,6,0,0] ({1,1,1,1}; 4 places for the empty host times 3
 * arrangements of {2,1,1}; 6 places for {2,2}), slots [16,48,6,0,0]
 * (weights 2^4, 4 and 1: C(8,4) = 70 ways). */
static pn_status base_selftest(pn_opencl_plan_runner run_plan, void *ctx,
                               const pn_plan_limits *lim, const pn_plan *shape,
                               const char *device, pn_error *err)
{
    static const char *const sum_type[5] = {[1] = "uchar", [2] = "ushort", [4] = "uint"};
    static const uint64_t expect[2][TEST_BINS] = {{0, 4, 12, 0, 0, 1, 12, 6, 0, 0},
                                                  {0, 32, 24, 0, 0, 16, 48, 6, 0, 0}};
    bool slots = shape->slots;
    pn_status st = PN_OK;
    for (unsigned L = 0; st == PN_OK && L <= 2; L += 2) {
        const pn_plan_request req = {.hosts = TEST_HOSTS, .base = TEST_BASE,
                                     .guests = TEST_GUESTS, .levels = TEST_LEVELS,
                                     .slots = slots, .first = 0, .count = TEST_SCENARIOS,
                                     .force_low_digits = true, .low_digits = L,
                                     .sum_bytes = shape->sum_bytes};
        pn_plan pl = {0};
        uint64_t got[TEST_BINS] = {0};
        st = run_case(run_plan, ctx, lim, shape, &req, &pl, got, err);
        if (st == PN_OK && memcmp(got, expect[slots], sizeof got) != 0) {
            char got_text[128], expect_text[128];
            format_bins(got, TEST_BINS, got_text, sizeof got_text);
            format_bins(expect[slots], TEST_BINS, expect_text, sizeof expect_text);
            st = pn_fail(err, PN_ERR_SELFTEST, "kernel self-test failed on %s: 4 hosts, 2 per "
                         "host, 3 and 4 guests (%s, %s, %s table) gave %s, expected %s; the "
                         "OpenCL driver installation is probably broken", device,
                         slots ? "slots" : "uniform", L ? "count_prefixes" : "count_indices",
                         sum_type[pl.sum_bytes], got_text, expect_text);
        }
        pn_plan_free(&pl);
    }
    return st;
}

pn_status pn_opencl_selftest(pn_opencl_plan_runner run_plan, void *ctx,
                             const pn_plan_limits *lim, const pn_plan *shape,
                             const char *device, pn_error *err)
{
    if (shape->groups)
        return mixed_selftest(run_plan, ctx, lim, shape, device, err);
    return base_selftest(run_plan, ctx, lim, shape, device, err);
}
