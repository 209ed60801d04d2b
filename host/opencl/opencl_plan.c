/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_plan.c -- the OpenCL engine's host-side plan: the low-digit table and how a slice splits between the kernels. */
#include "opencl/pn_opencl_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest low table (entries) for the prefix kernel; at least MIN_PREFIXES
 * prefixes must remain, and slices below SMALL_SLICE use count_indices alone. */
#define LOW_MAX 16384
#define MIN_PREFIXES 64
#define SMALL_SLICE 65536

/* C(p, x) for x = 0..p, exact where below 2^64; larger values are stored as
 * UINT64_MAX. Those never take part in a scenario that counts: a counting
 * scenario's weight is at most C(hp, g) < 2^64, and so is each factor.
 * Not shared with engine_cpu.c: the cpu engine shares no code with the path it checks. */
static uint64_t *binomial_row(uint64_t p)
{
    uint64_t *row = malloc((size_t)(p + 1) * sizeof *row);
    if (!row)
        return NULL;
    bool big = false;
    row[0] = 1;
    for (uint64_t x = 1; x <= p; x++) {
        if (x > p - x) {
            row[x] = row[p - x];
            continue;
        }
        unsigned __int128 v = (unsigned __int128)row[x - 1] * (p - x + 1) / x;
        big = big || v > UINT64_MAX;
        row[x] = big ? UINT64_MAX : (uint64_t)v;
    }
    return row;
}

/* An earlier host with host j's capacity (its neighbour when that one has
 * it, so a fleet's groups cost one search each), or j when there is none. */
static uint64_t alike_before(const pn_plan_request *req, uint64_t j)
{
    if (j > 0 && req->host_cap[j - 1] == req->host_cap[j])
        return j - 1;
    uint64_t i = 0;
    while (i < j && req->host_cap[i] != req->host_cap[j])
        i++;
    return i;
}

/* A mixed fleet's tables (see count_indices in kernels/enumerate.cl): the
 * host table, each host's base, row and group, and the binom table, one row
 * C(c, .) per distinct capacity c, in the order the hosts first have them.
 * False when out of memory (what was made stays in pl for pn_plan_free). */
static bool mixed_tables(pn_plan *pl, const pn_plan_request *req)
{
    size_t n = 0;
    pl->host = malloc((size_t)req->hosts * sizeof *pl->host);
    if (!pl->host)
        return false;
    for (uint64_t j = 0; j < req->hosts; j++) {
        uint64_t i = alike_before(req, j);
        pl->host[j] = (pn_cl_host){.base = (pn_cl_u32)(req->host_cap[j] + 1),
                                   .row = i < j ? pl->host[i].row : (pn_cl_u32)n,
                                   .group = req->host_group[j]};
        n += i < j ? 0 : (size_t)req->host_cap[j] + 1;
    }
    pl->binom = malloc(n * sizeof *pl->binom);
    pl->binom_len = n;
    for (uint64_t j = 0, written = 0; pl->binom && written < n; j++) {
        if (pl->host[j].row != written)
            continue; /* its row is written already */
        uint64_t *row = binomial_row(req->host_cap[j]);
        if (!row)
            return false;
        memcpy(pl->binom + written, row, (size_t)(req->host_cap[j] + 1) * sizeof *row);
        free(row);
        written += req->host_cap[j] + 1;
    }
    return pl->binom != NULL;
}

/* Picks L: the most low digits whose table has at most LOW_MAX entries (or
 * one digit when the base alone is larger) while leaving MIN_PREFIXES
 * prefixes; 0 (count_indices only) for tiny slices and base 1. */
static unsigned choose_low_digits(uint64_t hosts, uint64_t base, uint64_t count)
{
    if (base < 2 || count < SMALL_SLICE)
        return 0;
    unsigned best = 0;
    uint64_t low = 1;
    for (unsigned L = 1; L < hosts; L++) {
        low *= base;
        uint64_t prefixes = 1;
        for (uint64_t j = L; j < hosts && prefixes < MIN_PREFIXES; j++)
            prefixes *= base;
        if (prefixes < MIN_PREFIXES || (L > 1 && low > LOW_MAX))
            break;
        best = L;
        if (low > LOW_MAX)
            break;
    }
    return best;
}

/* A mixed fleet's L: the low digits must all be hosts of group 0, which
 * share one base (so the low table is a homogeneous one); otherwise as
 * choose_low_digits, with the prefixes counted as count / LOW. */
static unsigned choose_mixed_low_digits(const pn_plan_request *req, uint64_t base0)
{
    uint64_t n0 = 0;
    while (n0 < req->hosts && req->host_group[n0] == 0)
        n0++;
    if (base0 < 2 || req->count < SMALL_SLICE)
        return 0;
    unsigned best = 0;
    uint64_t low = 1;
    for (unsigned L = 1; L <= n0 && L < req->hosts; L++) {
        low *= base0;
        if (req->count / low < MIN_PREFIXES || (L > 1 && low > LOW_MAX))
            break;
        best = L;
        if (low > LOW_MAX)
            break;
    }
    return best;
}

/* Most table walks a sweep's prefix may need (one per level its low sums
 * reach); past this count_indices, h divisions per scenario, is cheaper
 * than the walks, so a sweep with L*p+1 and its levels both beyond it
 * runs count_indices alone. Measured on the 2-core POCL device, -g all:
 * 4 x 100 (201 walks) 0.22 s against 1.78 s by count_indices, 3 x 400
 * (401 walks) 0.89 s against 1.63 s. */
#define SWEEP_MAX_WALKS 1024

/* L for req, its low digits of base `base` (host 0's for a mixed fleet). */
static unsigned plan_low_digits(const pn_plan_request *req, uint64_t base)
{
    if (req->force_low_digits)
        return req->low_digits;
    unsigned L = req->groups ? choose_mixed_low_digits(req, base)
                             : choose_low_digits(req->hosts, base, req->count);
    uint64_t levels = req->levels ? req->levels : 1;
    uint64_t reach = (uint64_t)L * (base - 1) + 1;
    return levels > SWEEP_MAX_WALKS && reach > SWEEP_MAX_WALKS ? 0 : L;
}

/* Decodes low combination lo: its L digits' sum, zero count and slots weight. */
static uint32_t decode_low(const pn_plan *pl, uint64_t lo, uint32_t *zeros, uint64_t *weight)
{
    uint32_t s = 0, z = 0;
    uint64_t w = 1;
    for (unsigned j = 0; j < pl->low_digits; j++, lo /= pl->base) {
        uint64_t d = lo % pl->base;
        s += (uint32_t)d;
        z += d == 0;
        w *= pl->binom[pl->host ? pl->host[0].row + d : d];
    }
    *zeros = z;
    *weight = w;
    return s;
}

/* The entry bytes: the narrowest of 1, 2 and 4, at least `at_least`, whose
 * largest value (the padding) exceeds every sum of L digits, L*p. */
static unsigned sum_bytes_for(unsigned low_digits, uint64_t base, unsigned at_least)
{
    uint64_t max_sum = (uint64_t)low_digits * (base - 1);
    return at_least > 2 || max_sum >= 65535 ? 4 : at_least > 1 || max_sum >= 255 ? 2 : 1;
}

/* Lays out the zero classes: zero_start[z] the first word of the entries
 * with z zeros, each class rounded up to an even number of words (the
 * kernel reads two at a time); sets entries. */
static void lay_out_classes(pn_plan *pl)
{
    unsigned L = pl->low_digits;
    uint64_t size[66] = {0};
    for (uint64_t lo = 0; lo < pl->low; lo++) {
        uint32_t z;
        uint64_t w;
        decode_low(pl, lo, &z, &w);
        size[z]++;
    }
    pl->zero_start[0] = 0;
    for (unsigned z = 0; z <= L; z++)
        pl->zero_start[z + 1] =
            pl->zero_start[z] + 2 * (uint32_t)((size[z] + 2 * pl->lanes - 1) / (2 * pl->lanes));
    pl->entries = (uint64_t)pl->zero_start[L + 1] * pl->lanes;
}

/* Stores digit sum s as table entry `at`, in the plan's entry type. */
static void put_sum(pn_plan *pl, uint64_t at, uint32_t s)
{
    if (pl->sum_bytes == 1)
        ((uint8_t *)pl->low_sum)[at] = (uint8_t)s;
    else if (pl->sum_bytes == 2)
        ((uint16_t *)pl->low_sum)[at] = (uint16_t)s;
    else
        ((uint32_t *)pl->low_sum)[at] = s;
}

/* Fills the low table laid out by lay_out_classes: every entry starts as
 * the padding (sum_max, weight 0), then each low combination goes to the
 * next free entry of its zero class. */
static void fill_low_table(pn_plan *pl)
{
    uint64_t next[66];
    memset(pl->low_sum, 0xff, (size_t)pl->entries * pl->sum_bytes);
    for (unsigned z = 0; z <= pl->low_digits; z++)
        next[z] = (uint64_t)pl->zero_start[z] * pl->lanes;
    for (uint64_t lo = 0; lo < pl->low; lo++) {
        uint32_t z;
        uint64_t w;
        uint32_t s = decode_low(pl, lo, &z, &w);
        put_sum(pl, next[z], s);
        if (pl->slots)
            pl->low_weight[next[z]] = w;
        next[z]++;
    }
}

/* Splits [first, first+count) into a count_indices head, whole prefixes for
 * count_prefixes, and a count_indices tail (empty parts left out). */
static void split_slice(pn_plan *pl)
{
    uint64_t end = pl->first + pl->count;
    pl->nseg = 0;
    if (pl->low_digits == 0) {
        pl->seg[pl->nseg++] = (pn_segment){PN_KIND_INDEX, pl->first, pl->count};
        return;
    }
    uint64_t p0 = pl->first / pl->low + (pl->first % pl->low != 0);
    uint64_t p1 = end / pl->low;
    if (p0 >= p1) {
        pl->seg[pl->nseg++] = (pn_segment){PN_KIND_INDEX, pl->first, pl->count};
        return;
    }
    if (p0 * pl->low > pl->first)
        pl->seg[pl->nseg++] = (pn_segment){PN_KIND_INDEX, pl->first, p0 * pl->low - pl->first};
    pl->seg[pl->nseg++] = (pn_segment){PN_KIND_PREFIX, p0, p1 - p0};
    if (end > p1 * pl->low)
        pl->seg[pl->nseg++] = (pn_segment){PN_KIND_INDEX, p1 * pl->low, end - p1 * pl->low};
}

void pn_plan_free(pn_plan *pl)
{
    free(pl->low_sum);
    free(pl->zero_start);
    free(pl->low_weight);
    free(pl->binom);
    free(pl->host);
}

/* The kernel tables' bytes: sums, weights, zero classes, binomial rows,
 * hosts. */
static size_t table_bytes(const pn_plan *pl)
{
    size_t n = (size_t)pl->entries;
    return n * pl->sum_bytes + (pl->slots ? n : 1) * 8 + (pl->low_digits + 2) * 4 +
           pl->binom_len * 8 + (pl->host ? (size_t)pl->hosts * sizeof *pl->host : 0);
}

/* Tables the kernels read from the __constant address space when they fit:
 * low_sum, low_weight, zero_start, host and binom. */
#define CONSTANT_TABLES 5

uint64_t pn_plan_request_bins(const pn_plan_request *req)
{
    return (uint64_t)(req->levels ? req->levels : 1) * (req->groups + 1) * (req->hosts + 1);
}

/* Allocates the tables once the layout is known; false when out of memory. */
static bool alloc_tables(pn_plan *pl)
{
    size_t n = (size_t)pl->entries;
    pl->low_sum = malloc(n * pl->sum_bytes);
    pl->low_weight = calloc(pl->slots ? n : 1, sizeof *pl->low_weight);
    return pl->low_sum && pl->low_weight;
}

pn_status pn_plan_make(pn_plan *pl, const pn_plan_limits *lim, const pn_plan_request *req,
                       pn_error *err)
{
    uint64_t hosts = req->hosts, base = req->base, count = req->count;
    bool slots = req->slots;
    if (req->groups > PN_CL_MAX_GROUPS) {
        memset(pl, 0, sizeof *pl);
        return pn_fail(err, PN_ERR_USAGE, "the opencl engine counts at most %d groups",
                       PN_CL_MAX_GROUPS);
    }
    *pl = (pn_plan){.hosts = hosts, .base = base, .guests = req->guests, .slots = slots,
                    .first = req->first, .count = count};
    pl->levels = req->levels ? req->levels : 1;
    pl->groups = req->groups;
    pl->nbins = pn_plan_request_bins(req);
    if (pl->groups) /* the low digits are group 0's hosts, of one base */
        pl->base = base = req->host_cap[0] + 1;
    pl->low_digits = plan_low_digits(req, base);
    pl->low = 1;
    for (unsigned j = 0; j < pl->low_digits; j++)
        pl->low *= base;
    pl->sum_bytes = sum_bytes_for(pl->low_digits, base, req->sum_bytes);
    pl->sum_max = (1ULL << (8 * pl->sum_bytes)) - 1;
    pl->lanes = (lim->word_bytes > 16 ? lim->word_bytes : 16) / pl->sum_bytes;
    pl->zero_start = malloc((pl->low_digits + 2) * sizeof *pl->zero_start);
    bool made;
    if (pl->groups) {
        made = mixed_tables(pl, req);
    } else {
        pl->binom = binomial_row(base - 1);
        pl->binom_len = (size_t)base;
        made = pl->binom != NULL;
    }
    if (pl->zero_start && made) {
        lay_out_classes(pl);
        if (alloc_tables(pl))
            fill_low_table(pl);
    }
    if (!pl->low_sum || !pl->low_weight) {
        pn_plan_free(pl);
        memset(pl, 0, sizeof *pl);
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the kernel tables");
    }
    split_slice(pl);
    pl->constant_tables = lim->const_args >= CONSTANT_TABLES && table_bytes(pl) <= lim->const_mem;
    pl->use_local = pl->nbins * 8 <= lim->local_mem / 2;
    return PN_OK;
}

unsigned pn_plan_sum_bytes(const pn_plan_request *req)
{
    uint64_t base = req->groups ? req->host_cap[0] + 1 : req->base;
    unsigned L = plan_low_digits(req, base);
    return sum_bytes_for(L, base, req->sum_bytes);
}

void pn_plan_options(const pn_plan *pl, char *out, size_t len)
{
    static const char *const sum_type[5] = {[1] = "uchar", [2] = "ushort", [4] = "uint"};
    snprintf(out, len, "-D SLOTS=%d -D TABLE=%s -D SUM_T=%s -D SUM_MAX=%lluU -D LANES=%u"
             " -D PER_HOST_BASES=%d -D LOCAL_BINS=%d", pl->slots ? 1 : 0,
             pl->constant_tables ? "__constant" : "__global", sum_type[pl->sum_bytes],
             (unsigned long long)pl->sum_max, pl->lanes, pl->groups ? 1 : 0,
             pl->use_local ? 1 : 0);
}
