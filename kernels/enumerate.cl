/* SPDX-License-Identifier: GPL-3.0-or-later */
/* enumerate.cl -- counts powernap scenarios by number of empty hosts, one scenario at a time.
 *
 * How an index becomes a scenario. Index i in [0, (p+1)^h) is an h-digit
 * number in base p+1; digit j (host j, host 0 fastest) is i / (p+1)^j % (p+1),
 * the number of guests on host j. The scenario counts when its digits add up
 * to g, and then adds 1 (uniform model) or prod C(p, x_j) (slots model) to
 * bin[number of zero digits].
 *
 * The trick. Decoding all h digits of every index costs h divisions per
 * scenario. Instead the h digits are split into L low digits and h-L high
 * ones: i = prefix * LOW + low, LOW = (p+1)^L. The host decodes each of the
 * LOW low combinations once and hands over a table of their digit sums (and
 * slots weights), ordered by how many zero digits they hold, with
 * zero_start[z]..zero_start[z+1] the words (see below) that hold the entries
 * with z zeros. In count_prefixes each work-item decodes one prefix once (its
 * sum s, zeros z, weight w), then walks the whole table: for each zero class
 * zl it counts the entries equal to g - s (or adds up their low_weight), so
 * every one of the LOW scenarios under the prefix is still examined
 * individually, and afterwards adds the class total (times w) to bin z + zl.
 * The loop body is a load that is the same for every work-item (a broadcast
 * on GPUs, a contiguous vector load on CPUs), a compare and an add: no
 * divisions and no scattered writes. Because entries are grouped by zero
 * class, the bin a match belongs to is known from the loop, not looked up.
 *
 * Narrow words. A digit sum of L digits is at most L*p, so the host stores
 * the sums in the narrowest of uchar, ushort and uint (SUM_T) that holds
 * every sum and one more value, SUM_MAX, and reads them LANES at a time as a
 * vector, a word. Each zero class starts on a word and is padded to an even
 * number of words with SUM_MAX (weight 0), which equals no sum. The compare
 * of a word with g - s gives -1 in every matching lane; subtracting it counts
 * each lane in a SUM_T counter of its own, so the lanes stay as narrow as the
 * table (32 byte lanes per 256-bit instruction where uint lanes give 8). The
 * loop takes two words per step into two sets of counters, so two compares
 * are in flight. A lane counter gains at most one per step, so after SUM_MAX
 * steps (255 for uchar) the lanes are added up into a uint total and start
 * again from zero: no lane ever overflows. A g - s that SUM_T cannot hold
 * (s > g wraps to a huge value) equals no sum, but truncated it could equal
 * one: such a prefix is still compared entry by entry and its counts are
 * dropped. The slots model compares the same narrow words and adds the
 * 64-bit weights of the matching lanes.
 *
 * count_indices is the plain reference: each work-item decodes its own index
 * digit by digit. The host uses it for the edges of a slice that do not cover
 * a whole prefix and for tiny keyspaces, and the self-test runs both. Both
 * answer mixed fleets (built with PER_HOST_BASES=1: each host its own base
 * and binomial row, read from the host table, with per-group napping sums;
 * the prefix kernel's low digits are hosts of group 0, one base), and both
 * count several guest counts in one pass (a block of bins per level). Both
 * start alike (kernel_start) and count alike (add_count).
 *
 * Both kernels count into a __local histogram, meet at a barrier, and then
 * add each non-zero bin to the global histogram with one 64-bit atomic
 * (cl_khr_int64_base_atomics). When the bins do not fit in local memory
 * (only possible with p = 0, where h may be huge) the host builds with
 * LOCAL_BINS=0 and counts go straight to the global bins.
 *
 * Build options, all required: SLOTS (0 or 1), TABLE (the address space of
 * the tables, __constant or __global), SUM_T (uchar, ushort or uint),
 * SUM_MAX (its largest value), LANES (entries per word: 4, 8 or 16, or 32
 * where the compiler is clang-based, as on the CPU runtimes; the host asks
 * for 32 on CPU devices only), PER_HOST_BASES (0: one base for every host,
 * the `base` argument; 1: a mixed fleet, the host table) and LOCAL_BINS (1:
 * a __local histogram; 0: straight into the global one, lbins unused). The
 * rest are arguments, so one build serves every plan of a shape.
 * PN_CL_MAX_GROUPS and pn_cl_host come from include/opencl/pn_kernel_shared.h,
 * which the build puts in front of this file.
 */
#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable

#ifndef SLOTS
#error "build with -D SLOTS=0 or -D SLOTS=1"
#endif
#ifndef TABLE
#error "build with -D TABLE=__constant or -D TABLE=__global"
#endif
#if !defined(SUM_T) || !defined(SUM_MAX) || !defined(LANES)
#error "build with -D SUM_T=uchar|ushort|uint -D SUM_MAX=<its largest value> -D LANES=4|8|16|32"
#endif
#if !defined(PER_HOST_BASES) || !defined(LOCAL_BINS)
#error "build with -D PER_HOST_BASES=0|1 -D LOCAL_BINS=0|1"
#endif
#ifndef PN_CL_MAX_GROUPS
#error "include/opencl/pn_kernel_shared.h goes in front of this file"
#endif

/* A homogeneous build has no groups, whatever the (unused) argument says,
 * so the compiler drops every group loop. */
#if PER_HOST_BASES
#define GROUPS groups
#else
#define GROUPS 0u
#endif

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

/* A word: LANES table entries (sum_word); the same lanes as WIDE_T, the
 * next wider type, in which the counters are added up (wide_word); and as
 * 64-bit weights and masks (ulong_word, long_word). OpenCL C stops at 16
 * lanes; clang's ext_vector_type, which its own uchar16 and friends are made
 * of, also takes 32. */
#if SUM_MAX == 255
#define WIDE_T ushort
#else
#define WIDE_T uint
#endif
#if LANES > 16
typedef SUM_T sum_word __attribute__((ext_vector_type(LANES)));
typedef WIDE_T wide_word __attribute__((ext_vector_type(LANES)));
typedef long long_word __attribute__((ext_vector_type(LANES)));
typedef ulong ulong_word __attribute__((ext_vector_type(LANES)));
#define AS_SUM_WORD(x) __builtin_astype((x), sum_word)
#define AS_ULONG_WORD(x) __builtin_astype((x), ulong_word)
#define TO_WIDE_WORD(x) __builtin_convertvector((x), wide_word)
#define TO_LONG_WORD(x) __builtin_convertvector((x), long_word)
#else
#define sum_word CAT(SUM_T, LANES)
#define wide_word CAT(WIDE_T, LANES)
#define long_word CAT(long, LANES)
#define ulong_word CAT(ulong, LANES)
#define AS_SUM_WORD(x) CAT(as_, sum_word)(x)
#define AS_ULONG_WORD(x) CAT(as_, ulong_word)(x)
#define TO_WIDE_WORD(x) CAT(convert_, wide_word)(x)
#define TO_LONG_WORD(x) CAT(convert_, long_word)(x)
#endif

/* The sum of a word's lanes, halving until four remain: wide_total for
 * counters (a uchar word's 2 * 255 per lane add up to at most 16320 in a
 * ushort), ulong_total for weights. */
WIDE_T wide_total4(CAT(WIDE_T, 4) v) { return v.x + v.y + v.z + v.w; }
WIDE_T wide_total8(CAT(WIDE_T, 8) v) { return wide_total4(v.lo + v.hi); }
WIDE_T wide_total16(CAT(WIDE_T, 16) v) { return wide_total8(v.lo + v.hi); }
ulong ulong_total4(ulong4 v) { return v.x + v.y + v.z + v.w; }
ulong ulong_total8(ulong8 v) { return ulong_total4(v.lo + v.hi); }
ulong ulong_total16(ulong16 v) { return ulong_total8(v.lo + v.hi); }
#if LANES > 16
WIDE_T wide_total32(wide_word v) { return wide_total16(v.lo + v.hi); }
ulong ulong_total32(ulong_word v) { return ulong_total16(v.lo + v.hi); }
#endif
#define WIDE_TOTAL CAT(wide_total, LANES)
#define ULONG_TOTAL CAT(ulong_total, LANES)

/* What a work-item decodes of its index or prefix: the digits' sum, how
 * many are zero, the slots weight, and (PER_HOST_BASES) each group's zero
 * digits. */
typedef struct scenario {
    uint sum, zeros;
    ulong weight;
#if PER_HOST_BASES
    uint group_zeros[PN_CL_MAX_GROUPS];
#endif
} scenario;

/* Decodes the digits of hosts [from, from + ndigits) from index: each
 * host's base is `base`, or its own from the host table (PER_HOST_BASES),
 * and its weight factor binom[digit] of its binomial row (a product that
 * wraps mod 2^64 only ever belongs to a scenario that does not count). Once
 * what is left of the index fits 32 bits it divides in 32 bits, which costs
 * a fraction of a 64-bit division on CPUs and GPUs alike. */
void decode(ulong index, uint from, uint ndigits, uint base, TABLE const pn_cl_host *host,
            TABLE const ulong *binom, scenario *sc)
{
    uint s = 0, z = 0;
    ulong w = 1;
#if PER_HOST_BASES
    for (uint j = 0; j < PN_CL_MAX_GROUPS; j++)
        sc->group_zeros[j] = 0;
#endif
    for (uint j = from; j < from + ndigits; j++) {
#if PER_HOST_BASES
        base = host[j].base;
        TABLE const ulong *row = binom + host[j].row;
#else
        TABLE const ulong *row = binom;
#endif
        uint d;
        if (index >> 32) {
            d = (uint)(index % base);
            index /= base;
        } else {
            d = (uint)index % base;
            index = (uint)index / base;
        }
        s += d;
        z += d == 0;
#if PER_HOST_BASES
        sc->group_zeros[host[j].group] += d == 0;
#endif
#if SLOTS
        w *= row[d];
#endif
    }
    sc->sum = s;
    sc->zeros = z;
    sc->weight = w;
}

/* Zeroes the work-group's local bins; every work-item must call it. */
void bins_clear(__local ulong *lbins, uint nbins)
{
#if LOCAL_BINS
    for (uint k = get_local_id(0); k < nbins; k += get_local_size(0))
        lbins[k] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
#endif
}

/* Adds v to bin k: the local bin, or the global one (LOCAL_BINS 0). */
void bins_add(__local ulong *lbins, __global ulong *bins, uint k, ulong v)
{
#if LOCAL_BINS
    atom_add((volatile __local ulong *)&lbins[k], v);
#else
    atom_add((volatile __global ulong *)&bins[k], v);
#endif
}

/* After the barrier, one global atomic add per non-zero local bin. */
void bins_flush(__local ulong *lbins, __global ulong *bins, uint nbins)
{
#if LOCAL_BINS
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint k = get_local_id(0); k < nbins; k += get_local_size(0))
        if (lbins[k])
            atom_add((volatile __global ulong *)&bins[k], lbins[k]);
#endif
}

/* How both kernels start: the work-group's local bins zeroed, then, for a
 * work-item with a unit to examine (get_global_id(0) < n), unit first + i
 * decoded from host `from` on into *sc. False for the work-items past n,
 * which only take part in the barriers. */
bool kernel_start(ulong first, ulong n, uint from, uint ndigits, uint base,
                  TABLE const pn_cl_host *host, TABLE const ulong *binom,
                  __local ulong *lbins, uint nbins, scenario *sc)
{
    bins_clear(lbins, nbins);
    ulong i = get_global_id(0);
    if (i >= n)
        return false;
    decode(first + i, from, ndigits, base, host, binom, sc);
    return true;
}

/* How both kernels count: c scenarios (or weight) with zeros + low_zeros
 * napping hosts into the level's block of bins at `at`, and (PER_HOST_BASES)
 * into each group's napping sums c times its empty hosts, group 0's
 * including the low_zeros of the low digits, which are its hosts. */
void add_count(__local ulong *lbins, __global ulong *bins, uint at, uint hosts, uint groups,
               const scenario *sc, uint low_zeros, ulong c)
{
    uint k = sc->zeros + low_zeros;
    bins_add(lbins, bins, at + k, c);
#if PER_HOST_BASES
    for (uint j = 0; j < groups; j++) {
        uint empty = sc->group_zeros[j] + (j == 0 ? low_zeros : 0);
        if (empty)
            bins_add(lbins, bins, at + (j + 1) * (hosts + 1) + k, c * empty);
    }
#endif
}

/* Work-item i examines index first + i, for i < n. The bins are `levels`
 * blocks, one per guest count guests, guests + 1, ...: each block holds
 * hosts+1 counts by napping hosts, then (a mixed fleet, groups > 0) for
 * each group the hosts+1 napping sums, weight times that group's empty
 * hosts. One level and no groups is the plain histogram. A mixed fleet's
 * host j has the base host[j].base, its row of C(capacity, .) at
 * binom + host[j].row, and the group host[j].group; one base is `base`, and
 * binom its row alone (host is not read). */
__kernel void count_indices(ulong first, ulong n, uint hosts, uint base, uint guests,
                            uint levels, uint groups, TABLE const pn_cl_host *host,
                            TABLE const ulong *binom, __local ulong *lbins,
                            __global ulong *bins)
{
    uint block = (GROUPS + 1) * (hosts + 1);
    scenario sc;
    if (kernel_start(first, n, 0, hosts, base, host, binom, lbins, levels * block, &sc)) {
        uint level = sc.sum - guests; /* wraps past levels when sum < guests */
        if (level < levels)
            add_count(lbins, bins, level * block, hosts, GROUPS, &sc, 0, SLOTS ? sc.weight : 1);
    }
    bins_flush(lbins, bins, levels * block);
}

/* How many entries of words [w0, w1) (an even number of them) equal need.
 * Two words per step, each into its own lanes of SUM_T counters; a counter
 * gains at most one per step, so every SUM_MAX steps both are added up
 * (widened once, to WIDE_T) into the uint total and start again, before any
 * lane can overflow. */
uint count_matches(TABLE const sum_word *table, uint w0, uint w1, sum_word need)
{
    uint total = 0;
    TABLE const sum_word *at = table + w0, *end = table + w1;
    while (at < end) {
        TABLE const sum_word *stop = (end - at) / 2 > SUM_MAX ? at + 2 * SUM_MAX : end;
        sum_word even = 0, odd = 0;
        for (; at < stop; at += 2) {
            even -= AS_SUM_WORD(at[0] == need);
            odd -= AS_SUM_WORD(at[1] == need);
        }
        total += WIDE_TOTAL(TO_WIDE_WORD(even) + TO_WIDE_WORD(odd));
    }
    return total;
}

/* The sum, mod 2^64, of the weights of the entries of words [w0, w1) (an
 * even number) that equal need: the narrow compare, widened, masks the
 * 64-bit weights, two words per step. */
ulong add_weights(TABLE const sum_word *table, TABLE const ulong_word *weight, uint w0, uint w1,
                  sum_word need)
{
    ulong_word even = 0, odd = 0;
    TABLE const sum_word *at = table + w0, *end = table + w1;
    TABLE const ulong_word *wt = weight + w0;
    for (; at < end; at += 2, wt += 2) {
        even += wt[0] & AS_ULONG_WORD(TO_LONG_WORD(at[0] == need));
        odd += wt[1] & AS_ULONG_WORD(TO_LONG_WORD(at[1] == need));
    }
    return ULONG_TOTAL(even + odd);
}

/* Work-item i examines the LOW scenarios under prefix first_prefix + i, for
 * i < n: indices (first_prefix + i) * LOW + [0, LOW). A mixed fleet
 * (PER_HOST_BASES): the low digits are hosts of group 0 (the table is
 * theirs), the prefix decodes with each host's base, and each match also
 * adds weight * (its group's empty hosts) to that group's napping sums.
 * With several levels (guest counts guests, guests+1, ...) the table is
 * walked once for each level a low sum (0 .. L*p) can reach from the
 * prefix's sum s; a prefix that reaches none is still walked once and its
 * counts dropped. The arguments up to bins are count_indices's (base, for a
 * mixed fleet, group 0's), and the bins are laid out as count_indices lays
 * them out. */
__kernel void count_prefixes(ulong first_prefix, ulong n, uint hosts, uint base, uint guests,
                             uint levels, uint groups, TABLE const pn_cl_host *host,
                             TABLE const ulong *binom, __local ulong *lbins,
                             __global ulong *bins, uint low_digits,
                             TABLE const SUM_T *low_sum, TABLE const ulong *low_weight,
                             TABLE const uint *zero_start)
{
    uint block = (GROUPS + 1) * (hosts + 1);
    scenario sc;
    if (kernel_start(first_prefix, n, low_digits, hosts - low_digits, base, host, binom, lbins,
                     levels * block, &sc)) {
        /* level lvl needs the low sum guests + lvl - s, which is 0 at
         * lvl = s - guests and L*p at most */
        long zero_at = (long)sc.sum - (long)guests;
        long low_max = (long)low_digits * (long)(base - 1);
        long lo = zero_at > 0 ? zero_at : 0;
        long hi = zero_at + low_max < (long)levels - 1 ? zero_at + low_max : (long)levels - 1;
        bool live = lo <= hi;
        if (!live)
            lo = hi = zero_at; /* walked once all the same, the counts dropped */
        TABLE const sum_word *table = (TABLE const sum_word *)low_sum;
        for (long lvl = lo; lvl <= hi; lvl++) {
            sum_word need_word = (SUM_T)(uint)(lvl - zero_at);
            uint at = live ? (uint)lvl * block : 0;
            for (uint zl = 0; zl <= low_digits; zl++) {
                uint w0 = zero_start[zl], w1 = zero_start[zl + 1];
#if SLOTS
                ulong c = add_weights(table, (TABLE const ulong_word *)low_weight, w0, w1,
                                      need_word) * sc.weight;
#else
                ulong c = count_matches(table, w0, w1, need_word);
#endif
                if (live && c)
                    add_count(lbins, bins, at, hosts, GROUPS, &sc, zl, c);
            }
        }
    }
    bins_flush(lbins, bins, levels * block);
}
