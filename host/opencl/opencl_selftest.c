/* opencl_selftest.c -- the known-answer self-test: the seed's small case through both kernels, before real work. */
#include "opencl/pn_opencl_selftest.h"

#include <stdio.h>
#include <string.h>

/* The test case: 4 hosts, 2 per host (base 3), 3 guests; 3^4 = 81 scenarios
 * counted into 5 bins. */
#define TEST_HOSTS 4
#define TEST_BASE 3
#define TEST_GUESTS 3
#define TEST_SCENARIOS 81
#define TEST_BINS (TEST_HOSTS + 1)

/* "[a,b,c,d,e]": the TEST_BINS counts of a histogram. */
static void format_bins(const uint64_t bins[TEST_BINS], char *out, size_t len)
{
    size_t n = 0;
    for (int k = 0; k < TEST_BINS && n < len; k++) {
        int w = snprintf(out + n, len - n, "%s%llu", k ? "," : "[", (unsigned long long)bins[k]);
        n += w > 0 ? (size_t)w : 0;
    }
    if (n < len)
        snprintf(out + n, len - n, "]");
}

/* The self-test's one failure message: device, model, kernel and table
 * entry type, what it gave and what it should have given. */
static pn_status selftest_failure(pn_error *err, const char *device, const pn_plan *pl,
                                  const uint64_t got[TEST_BINS], const uint64_t expect[TEST_BINS])
{
    static const char *const sum_type[5] = {[1] = "uchar", [2] = "ushort", [4] = "uint"};
    char got_text[128], expect_text[128];
    format_bins(got, got_text, sizeof got_text);
    format_bins(expect, expect_text, sizeof expect_text);
    return pn_fail(err, PN_ERR_SELFTEST,
                   "kernel self-test failed on %s: 4 hosts, 2 per host, 3 guests (%s, %s, %s "
                   "table) gave %s, expected %s; the OpenCL driver installation is probably "
                   "broken", device, pl->slots ? "slots" : "uniform",
                   pl->low_digits ? "count_prefixes" : "count_indices",
                   sum_type[pl->sum_bytes], got_text, expect_text);
}

/* A mixed fleet through both kernels: 2x1,1x2 (bases 2, 2, 3), 2 guests
 * over two levels (2 and 3), with the napping sums of both groups. Level 2:
 * (1,1,0) (1,0,1) (0,1,1) (0,0,2); uniform bins [0,3,1,0], group 0's
 * napping sums [0,2,2,0], group 1's [0,1,0,0]; slots weights 1, 2, 2, 1:
 * [0,5,1,0], [0,4,2,0], [0,1,0,0]. Level 3: (1,1,1) (1,0,2) (0,1,2);
 * uniform [1,2,0,0] [0,2,0,0] [0,0,0,0]; slots weights 2, 1, 1: [2,2,0,0]. */
static pn_status mixed_selftest(pn_opencl_plan_runner run_plan, void *ctx,
                                const pn_plan_limits *lim, bool slots, unsigned sum_bytes,
                                const char *device, pn_error *err)
{
    static const uint64_t cap[3] = {1, 1, 2};
    static const unsigned group[3] = {0, 0, 1};
    static const uint64_t expect[2][24] = {
        {0, 3, 1, 0, 0, 2, 2, 0, 0, 1, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0},
        {0, 5, 1, 0, 0, 4, 2, 0, 0, 1, 0, 0, 2, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0}};
    pn_status st = PN_OK;
    pn_plan pl = {0};
    /* all of it by count_indices at both levels; then by count_prefixes,
     * host 0 (group 0, base 2) the low digit, at level 2 alone and at both */
    static const unsigned levels[3] = {2, 1, 2}, low[3] = {0, 1, 1};
    for (unsigned pass = 0; st == PN_OK && pass < 3; pass++) {
        const pn_plan_request req = {.hosts = 3, .base = 3, .guests = 2, .slots = slots,
                                     .first = 0, .count = 12, .groups = 2,
                                     .levels = levels[pass], .force_low_digits = true,
                                     .low_digits = low[pass], .sum_bytes = sum_bytes,
                                     .host_cap = cap, .host_group = group};
        uint64_t got[24] = {0};
        size_t n = levels[pass] * 12;
        st = pn_plan_make(&pl, lim, &req, err);
        if (st == PN_OK)
            st = run_plan(ctx, &pl, got, err);
        if (st == PN_OK && memcmp(got, expect[slots], n * sizeof *got) != 0) {
            char text[256];
            size_t at = 0;
            for (size_t k = 0; k < n && at < sizeof text; k++)
                at += (size_t)snprintf(text + at, sizeof text - at, "%s%llu", k ? "," : "",
                                       (unsigned long long)got[k]);
            st = pn_fail(err, PN_ERR_SELFTEST, "kernel self-test failed on %s: the mixed fleet "
                         "2x1,1x2 at %s guests (%s, %s) gave [%s]; the OpenCL driver "
                         "installation is probably broken", device, n == 12 ? "2" : "2 and 3",
                         slots ? "slots" : "uniform", low[pass] ? "count_prefixes" : "count_indices",
                         text);
        }
        pn_plan_free(&pl);
    }
    return st;
}

/* The whole keyspace by count_indices (L = 0), then by count_prefixes
 * with L = 2 on a table of sum_bytes entries, against the known answer: uniform [0,4,12,0,0]
 * (the seed's 16 scenarios), slots [0,32,24,0,0] (C(8,3) = 56 ways: 4 places
 * for the empty host times 2^3, and 12 arrangements of {2,1} times
 * C(2,2)C(2,1)). */
pn_status pn_opencl_selftest(pn_opencl_plan_runner run_plan, void *ctx,
                             const pn_plan_limits *lim, bool slots, unsigned sum_bytes,
                             const char *device, pn_error *err)
{
    static const uint64_t expect[2][TEST_BINS] = {{0, 4, 12, 0, 0}, {0, 32, 24, 0, 0}};
    pn_status mixed = mixed_selftest(run_plan, ctx, lim, slots, sum_bytes, device, err);
    if (mixed != PN_OK)
        return mixed;
    for (unsigned L = 0; L <= 2; L += 2) {
        const pn_plan_request req = {.hosts = TEST_HOSTS, .base = TEST_BASE,
                                     .guests = TEST_GUESTS, .slots = slots, .first = 0,
                                     .count = TEST_SCENARIOS, .force_low_digits = true,
                                     .low_digits = L, .sum_bytes = sum_bytes};
        pn_plan pl;
        uint64_t got[TEST_BINS] = {0};
        pn_status st = pn_plan_make(&pl, lim, &req, err);
        if (st == PN_OK)
            st = run_plan(ctx, &pl, got, err);
        if (st == PN_OK && memcmp(got, expect[slots], sizeof got) != 0)
            st = selftest_failure(err, device, &pl, got, expect[slots]);
        pn_plan_free(&pl);
        if (st != PN_OK)
            return st;
    }
    return PN_OK;
}
