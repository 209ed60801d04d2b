/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_cost.c -- the exact engine's sums sized before they run: terms, operand sizes, time and memory. */
#include "engine/pn_exact_cost.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/pn_duration.h"
#include "engine/pn_exact_gf.h"

/* Seconds per 64-bit word a term touches (one mpz_mul_ui, one
 * mpz_divexact_ui and one add over the term), measured on the 2-core
 * development machine: 20000/4/40000 uniform took 257 s and slots 203 s,
 * 5000/100/250000 uniform 10.7 s; this constant estimates 201 s, 234 s and
 * 15 s, all three within 1.4x. */
#define SECONDS_PER_WORD 6e-9
/* The slots sum refreshes its row factor C(ip, g) once per row; that costs
 * about this many passes over the factor's words. */
#define SLOTS_ROW_PASSES 8.0
/* Peak memory per word of the N(m) array: N itself, the histogram built
 * from it, and GMP's scratch. */
#define BYTES_PER_WORD 24.0
/* Share of physical memory a run may plan to use. */
#define MEMORY_SHARE 0.8

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

pn_exact_shape pn_exact_shape_of(const pn_query *q)
{
    pn_exact_shape s = {0, 0};
    if (q->guests == 0 || q->per_host == 0)
        return s;
    s.m_lo = (q->guests + q->per_host - 1) / q->per_host;
    s.m_hi = min_u64(q->hosts, q->guests);
    return s;
}

bool pn_exact_uniform_row(const pn_query *q, const pn_exact_shape *s, uint64_t j,
                          uint64_t *lo, uint64_t *hi)
{
    if (j > q->hosts || j * q->per_host >= q->guests)
        return false;
    *lo = max_u64(j, s->m_lo);
    *hi = min_u64(s->m_hi, q->guests - j * q->per_host);
    return *lo <= *hi;
}

/* log2 C(n, k) for 0 <= k <= n, through lgamma (exact enough for sizes). */
static double log2_binomial(double n, double k)
{
    if (k <= 0 || k >= n)
        return 0.0;
    return (lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)) / log(2.0);
}

/* Words of a number of `bits` bits (at least one). */
static double words_of(double bits)
{
    return bits / 64.0 + 1.0;
}

/* Size in bits of the uniform term of row j at m: C(m, j) C(g-jp-1, m-1). */
static double uniform_bits(const pn_query *q, uint64_t j, double m)
{
    double n = (double)q->guests - (double)j * (double)q->per_host - 1.0;
    return log2_binomial(m, (double)j) + log2_binomial(n, m - 1.0);
}

/* Size in bits of the slots term of row i at m: C(m, i) C(ip, g). */
static double slots_bits(const pn_query *q, uint64_t i, double m)
{
    return log2_binomial(m, (double)i) +
           log2_binomial((double)i * (double)q->per_host, (double)q->guests);
}

typedef double (*term_bits_fn)(const pn_query *q, uint64_t row, double m);

/* Sum over m = lo..hi of the words of the row's terms, by Simpson's rule
 * over the smooth size curve (three evaluations whatever the row's length);
 * also raises *max_bits to the row's largest size seen. */
static double row_words(const pn_query *q, term_bits_fn bits, uint64_t row, uint64_t lo,
                        uint64_t hi, double *max_bits)
{
    double a = bits(q, row, (double)lo), b = bits(q, row, ((double)lo + (double)hi) / 2.0),
           c = bits(q, row, (double)hi);
    double top = fmax(a, fmax(b, c));
    *max_bits = fmax(*max_bits, top);
    double n = (double)(hi - lo + 1);
    return n * (words_of(a) + 4.0 * words_of(b) + words_of(c)) / 6.0;
}

/* Seconds per limb per log2(limbs) of one product of packed polynomials
 * (mpz_mul plus the packing and unpacking around it), measured on the 2-core
 * development machine under load: 100x8,100x16 at 1200 guests took 12 s
 * (uniform) and 47 s (slots), 300x4,50x32,10x64 at 2000 took 56 s, every
 * load of 500 x 8 took 75 s; this constant estimates 8 s, 28 s, 48 s and
 * 65 s. GMP's own mpz_mul measured 3e-8 to 1e-7 per limb-log there. */
#define GF_SECONDS_PER_LIMB_LOG 1.5e-8
/* Bytes per limb a stored polynomial takes, with its mpz headers. */
#define GF_BYTES_PER_COEFFICIENT 16.0

/* One product of a (Ka, Da) and a (Kb, Db) polynomial truncated at dcap:
 * adds its time and terms to out and returns the limbs of its packed result. */
static double gf_product(pn_exact_cost *out, double ka, double da, double kb, double db,
                         double limbs)
{
    double packed = (ka + kb + 1) * (da + db + 1) * limbs;
    out->terms += 1;
    out->words += packed;
    out->seconds += packed * log2(packed + 2) * GF_SECONDS_PER_LIMB_LOG;
    return packed;
}

/* The cost of the generating-function count (exact_gf.c) of q up to `dcap`
 * guests: its polynomial products, sized from their degrees and the
 * coefficient bound, at GMP's quasi-linear multiplication rate. A product
 * of e hosts has at most min(e, dcap) + 1 rows of busy hosts (each holds a
 * guest), so the size follows min(hosts, dcap), not the hosts. */
static void gf_cost(const pn_query *q, uint64_t dcap, pn_exact_cost *out)
{
    *out = (pn_exact_cost){0};
    double bits = (double)pn_exact_gf_coefficient_bits(q, dcap), limbs = ceil(bits / 64.0);
    const pn_group *g = q->groups;
    unsigned r = q->ngroups;
    double cap = (double)dcap, peak = 0, busy = fmin((double)q->hosts, cap);
    for (unsigned j = 0; j < r; j++) {
        double n = (double)g[j].count, c = (double)g[j].capacity;
        for (double e = 1; e < n; e *= 2) { /* the squarings of the power */
            double d = fmin(e * c, cap), k = fmin(e, d);
            peak = fmax(peak, gf_product(out, k, d, k, d, limbs));
        }
        double d = fmin(n * c, cap);
        peak = fmax(peak, gf_product(out, fmin(n, d), d, fmin(1, c), fmin(c, cap), limbs));
    }
    unsigned whole = q->per_host_bases ? 3 * r - 2 : r; /* prefix, marks, suffixes */
    for (unsigned j = 0; j < whole; j++)
        peak = fmax(peak, gf_product(out, busy / 2, cap / 2, busy / 2, cap / 2, limbs));
    out->max_bits = bits;
    double stored = (q->per_host_bases ? 3.0 * r : 3.0) * (busy + 1) * (cap + 1);
    out->bytes = 8.0 * 3.0 * peak + stored * (GF_BYTES_PER_COEFFICIENT + 8.0 * limbs / 2);
}

/* The closed form's cost for the one level of a homogeneous cloud q. */
static void closed_form_cost(const pn_query *q, pn_exact_cost *out)
{
    *out = (pn_exact_cost){0};
    pn_exact_shape s = pn_exact_shape_of(q);
    if (q->guests == 0 || q->per_host == 0)
        return;
    double n_words = 0; /* the N(m) array at its largest: row 0 (uniform), the last row (slots) */
    if (q->model == PN_MODEL_UNIFORM) {
        uint64_t lo, hi;
        for (uint64_t j = 0; pn_exact_uniform_row(q, &s, j, &lo, &hi); j++) {
            out->terms += hi - lo + 1;
            out->words += row_words(q, uniform_bits, j, lo, hi, &out->max_bits);
        }
        if (pn_exact_uniform_row(q, &s, 0, &lo, &hi))
            n_words = row_words(q, uniform_bits, 0, lo, hi, &out->max_bits);
    } else {
        for (uint64_t i = s.m_lo; i <= s.m_hi; i++) {
            out->terms += s.m_hi - i + 1;
            out->words += row_words(q, slots_bits, i, i, s.m_hi, &out->max_bits);
            out->words += SLOTS_ROW_PASSES * words_of(slots_bits(q, i, (double)i));
        }
        n_words = (double)(s.m_hi - s.m_lo + 1) * words_of(out->max_bits);
    }
    /* the bins: C(h,k) N(h-k), one term each */
    uint64_t bins = s.m_hi - s.m_lo + 1;
    out->terms += bins;
    out->words += (double)bins * words_of(out->max_bits + (double)q->hosts);
    out->seconds = out->words * SECONDS_PER_WORD;
    out->bytes = n_words * BYTES_PER_WORD;
}

void pn_exact_cost_estimate(const pn_query *q, pn_exact_cost *out, bool *per_level)
{
    const pn_levels *lv = &q->levels;
    bool unused;
    per_level = per_level ? per_level : &unused;
    *per_level = false;
    if (!q->per_host_bases && lv->n == 1) {
        closed_form_cost(q, out);
        return;
    }
    gf_cost(q, pn_levels_at(lv, lv->n - 1), out);
    if (q->per_host_bases)
        return;
    pn_exact_cost sum = {0}, one;
    for (size_t i = 0; i < lv->n && sum.seconds < out->seconds; i++) {
        pn_query at = pn_query_level(q, i);
        closed_form_cost(&at, &one);
        sum.terms += one.terms;
        sum.words += one.words;
        sum.seconds += one.seconds;
        sum.max_bits = fmax(sum.max_bits, one.max_bits);
        sum.bytes = fmax(sum.bytes, one.bytes);
    }
    if (sum.seconds < out->seconds) {
        *out = sum;
        *per_level = true;
    }
}

/* Bytes a run may plan to use: a share of physical memory, or the address
 * space limit (ulimit -v) when that is lower. */
static double memory_allowed(void)
{
    double physical = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    double allowed = physical > 0 ? physical * MEMORY_SHARE : INFINITY;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        allowed = fmin(allowed, (double)rl.rlim_cur * MEMORY_SHARE);
    return allowed;
}

void pn_format_bytes(double bytes, char *buf, size_t len)
{
    static const char *const unit[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    int u = 0;
    while (bytes >= 1000.0 && u < 6) {
        bytes /= 1000.0;
        u++;
    }
    if (!isfinite(bytes))
        snprintf(buf, len, "an unbounded amount of memory");
    else
        snprintf(buf, len, "%.*f %s", bytes < 10 ? 1 : 0, bytes, unit[u]);
}

pn_status pn_exact_cost_check(const pn_exact_cost *c, bool force, pn_error *err)
{
    double allowed = memory_allowed();
    if (force || (c->seconds <= PN_EXACT_MAX_SECONDS && c->bytes <= allowed))
        return PN_OK;
    char took[64], mem[64], have[64];
    pn_format_duration(c->seconds, took, sizeof took);
    pn_format_bytes(c->bytes, mem, sizeof mem);
    pn_format_bytes(allowed, have, sizeof have);
    return pn_fail(err, PN_ERR_USAGE,
                   "the exact engine would need %s%s and about %s (%llu terms on numbers of up "
                   "to %.0f bits), past the limits of %.0f minutes and %s; use --force to run "
                   "it anyway",
                   strncmp(took, "more", 4) ? "about " : "", took, mem, (unsigned long long)c->terms, c->max_bits,
                   PN_EXACT_MAX_SECONDS / 60.0, have);
}
