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
 * zero_start[z]..zero_start[z+1] the entries that have z zeros. In
 * count_prefixes each work-item decodes one prefix once (its sum s, zeros z,
 * weight w), then walks the whole table: for each zero class zl it adds
 * (low_sum[j] == g - s) -- or low_weight[j] when that holds -- over the
 * class's entries, so every one of the LOW scenarios under the prefix is
 * still examined individually, and afterwards adds the class total (times w)
 * to bin z + zl. The loop body is a load that is the same for every
 * work-item (a broadcast on GPUs, a contiguous vector load on CPUs, where the
 * compiler vectorises it as a reduction), a compare and an add: no divisions
 * and no scattered writes. Because entries are grouped by zero class, the
 * bin a match belongs to is known from the loop, not looked up.
 *
 * count_indices is the plain reference: each work-item decodes its own index
 * digit by digit. The host uses it for the edges of a slice that do not cover
 * a whole prefix and for tiny keyspaces, and the self-test runs both.
 *
 * Both kernels count into a __local histogram, meet at a barrier, and then
 * add each non-zero bin to the global histogram with one 64-bit atomic
 * (cl_khr_int64_base_atomics). When h+1 bins do not fit in local memory
 * (only possible with p = 0, where h may be huge) use_local is 0 and counts
 * go straight to the global bins.
 *
 * Build options: SLOTS (0 or 1) and TABLE (the address space of the tables,
 * __constant or __global) are required. HOSTS, BASE, GUESTS and LOW_DIGITS,
 * when given, replace the run-time arguments of the same meaning so the
 * compiler can fold them; without them one build serves every query.
 */
#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable

#ifndef SLOTS
#error "build with -D SLOTS=0 or -D SLOTS=1"
#endif
#ifndef TABLE
#error "build with -D TABLE=__constant or -D TABLE=__global"
#endif

#ifdef HOSTS
#define K_HOSTS ((uint)(HOSTS))
#else
#define K_HOSTS hosts
#endif
#ifdef BASE
#define K_BASE ((uint)(BASE))
#else
#define K_BASE base
#endif
#ifdef GUESTS
#define K_GUESTS ((uint)(GUESTS))
#else
#define K_GUESTS guests
#endif
#ifdef LOW_DIGITS
#define K_LOW_DIGITS ((uint)(LOW_DIGITS))
#else
#define K_LOW_DIGITS low_digits
#endif

/* Decodes `ndigits` base-`base` digits of index: their sum, how many are
 * zero, and (slots) the product of binom[digit], wrapping mod 2^64; a
 * wrapped product only ever belongs to a scenario that does not count. */
void decode(ulong index, uint ndigits, uint base, TABLE const ulong *binom,
            uint *sum, uint *zeros, ulong *weight)
{
    uint s = 0, z = 0;
    ulong w = 1;
    for (uint j = 0; j < ndigits; j++) {
        uint d = (uint)(index % base);
        index /= base;
        s += d;
        z += d == 0;
#if SLOTS
        w *= binom[d];
#endif
    }
    *sum = s;
    *zeros = z;
    *weight = w;
}

/* Zeroes the work-group's local bins; every work-item must call it. */
void bins_clear(__local ulong *lbins, uint nbins, uint use_local)
{
    if (use_local)
        for (uint k = get_local_id(0); k < nbins; k += get_local_size(0))
            lbins[k] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
}

/* Adds v to bin k: the local bin, or the global one when use_local is 0. */
void bins_add(__local ulong *lbins, __global ulong *bins, uint use_local, uint k, ulong v)
{
    if (use_local)
        atom_add((volatile __local ulong *)&lbins[k], v);
    else
        atom_add((volatile __global ulong *)&bins[k], v);
}

/* After the barrier, one global atomic add per non-zero local bin. */
void bins_flush(__local ulong *lbins, __global ulong *bins, uint nbins, uint use_local)
{
    barrier(CLK_LOCAL_MEM_FENCE);
    if (use_local)
        for (uint k = get_local_id(0); k < nbins; k += get_local_size(0))
            if (lbins[k])
                atom_add((volatile __global ulong *)&bins[k], lbins[k]);
}

/* Work-item i examines index first + i, for i < n. */
__kernel void count_indices(ulong first, ulong n, uint hosts, uint base, uint guests,
                            TABLE const ulong *binom, __local ulong *lbins, uint use_local,
                            __global ulong *bins)
{
    bins_clear(lbins, K_HOSTS + 1, use_local);
    ulong i = get_global_id(0);
    if (i < n) {
        uint s, z;
        ulong w;
        decode(first + i, K_HOSTS, K_BASE, binom, &s, &z, &w);
        if (s == K_GUESTS)
            bins_add(lbins, bins, use_local, z, SLOTS ? w : 1);
    }
    bins_flush(lbins, bins, K_HOSTS + 1, use_local);
}

/* Work-item i examines the LOW scenarios under prefix first_prefix + i, for
 * i < n: indices (first_prefix + i) * LOW + [0, LOW). */
__kernel void count_prefixes(ulong first_prefix, ulong n, uint hosts, uint base, uint guests,
                             uint low_digits, TABLE const uint *low_sum,
                             TABLE const ulong *low_weight, TABLE const uint *zero_start,
                             TABLE const ulong *binom, __local ulong *lbins, uint use_local,
                             __global ulong *bins)
{
    bins_clear(lbins, K_HOSTS + 1, use_local);
    ulong i = get_global_id(0);
    if (i < n) {
        uint s, z;
        ulong w;
        decode(first_prefix + i, K_HOSTS - K_LOW_DIGITS, K_BASE, binom, &s, &z, &w);
        /* wraps to a huge value when s > g, which no low sum equals */
        uint need = K_GUESTS - s;
        for (uint zl = 0; zl <= K_LOW_DIGITS; zl++) {
            uint end = zero_start[zl + 1];
#if SLOTS
            ulong c = 0;
            for (uint j = zero_start[zl]; j < end; j++)
                c += low_sum[j] == need ? low_weight[j] : 0;
            if (c)
                bins_add(lbins, bins, use_local, z + zl, c * w);
#else
            uint c = 0;
            for (uint j = zero_start[zl]; j < end; j++)
                c += low_sum[j] == need;
            if (c)
                bins_add(lbins, bins, use_local, z + zl, c);
#endif
        }
    }
    bins_flush(lbins, bins, K_HOSTS + 1, use_local);
}
