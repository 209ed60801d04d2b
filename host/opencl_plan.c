/* opencl_plan.c -- the OpenCL engine's host-side plan: the low-digit table and how a slice splits between the kernels. */
#include "pn_opencl_plan.h"

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

/* Fills the low table: sums (and weights) of the LOW low-digit combinations,
 * ordered by their number of zeros, zero_start[z] the first entry with z zeros. */
static void fill_low_table(pn_plan *pl)
{
    unsigned L = pl->low_digits;
    memset(pl->zero_start, 0, (L + 2) * sizeof *pl->zero_start);
    for (int pass = 0; pass < 2; pass++) {
        uint32_t next[66] = {0};
        for (unsigned z = 0; pass == 1 && z <= L; z++)
            next[z] = pl->zero_start[z];
        for (uint64_t lo = 0; lo < pl->low; lo++) {
            uint64_t rest = lo, w = 1;
            uint32_t s = 0, z = 0;
            for (unsigned j = 0; j < L; j++, rest /= pl->base) {
                uint64_t d = rest % pl->base;
                s += (uint32_t)d;
                z += d == 0;
                w *= pl->binom[d];
            }
            if (pass == 0) {
                pl->zero_start[z + 1]++;
                continue;
            }
            pl->low_sum[next[z]] = s;
            if (pl->slots)
                pl->low_weight[next[z]] = w;
            next[z]++;
        }
        for (unsigned z = 0; pass == 0 && z <= L; z++)
            pl->zero_start[z + 1] += pl->zero_start[z];
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
}

pn_status pn_plan_make(pn_plan *pl, const pn_plan_limits *lim, const pn_plan_request *req,
                       pn_error *err)
{
    uint64_t hosts = req->hosts, base = req->base, count = req->count;
    bool slots = req->slots;
    *pl = (pn_plan){.hosts = hosts, .base = base, .guests = req->guests, .slots = slots,
                    .first = req->first, .count = count};
    pl->low_digits = req->force_low_digits ? req->low_digits
                                           : choose_low_digits(hosts, base, count);
    pl->low = 1;
    for (unsigned j = 0; j < pl->low_digits; j++)
        pl->low *= base;
    size_t nlow = (size_t)pl->low;
    pl->low_sum = malloc(nlow * sizeof *pl->low_sum);
    pl->zero_start = malloc((pl->low_digits + 2) * sizeof *pl->zero_start);
    pl->low_weight = malloc((slots ? nlow : 1) * sizeof *pl->low_weight);
    pl->binom = binomial_row(base - 1);
    if (!pl->low_sum || !pl->zero_start || !pl->low_weight || !pl->binom) {
        pn_plan_free(pl);
        memset(pl, 0, sizeof *pl);
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the kernel tables");
    }
    pl->low_weight[0] = 1;
    fill_low_table(pl);
    split_slice(pl);
    size_t table_bytes = nlow * 4 + (slots ? nlow * 8 : 8) + (pl->low_digits + 2) * 4 +
                         (size_t)base * 8;
    pl->constant_tables = lim->const_args >= 4 && table_bytes <= lim->const_mem;
    pl->use_local = (hosts + 1) * 8 <= lim->local_mem / 2;
    return PN_OK;
}

void pn_plan_options(const pn_plan *pl, bool specialise, char *out, size_t len)
{
    int n = snprintf(out, len, "-D SLOTS=%d -D TABLE=%s", pl->slots ? 1 : 0,
                     pl->constant_tables ? "__constant" : "__global");
    if (specialise && n > 0 && (size_t)n < len)
        snprintf(out + n, len - (size_t)n, " -D HOSTS=%llu -D BASE=%llu -D GUESTS=%llu"
                 " -D LOW_DIGITS=%u", (unsigned long long)pl->hosts,
                 (unsigned long long)pl->base, (unsigned long long)pl->guests, pl->low_digits);
}
