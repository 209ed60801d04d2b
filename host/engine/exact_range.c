/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_range.c -- a digit DP that counts the scenarios of one keyspace range exactly, for slice checks and --verify. */
#include "engine/pn_exact_range.h"

#include "exact_range_fleet.h"

#include <gmp.h>
#include <stdbool.h>

/* How it counts.
 *
 * Scenarios with index below a bound N (N < (p+1)^h) are found by walking N's
 * digits from the most significant host down. At host j with N's digit d, a
 * scenario that agrees with N on hosts above j and puts x < d guests on host j
 * is below N whatever hosts 0..j-1 run: those j hosts are free. Of j free
 * hosts, choosing which k stay empty and filling the other m = j-k with 1..p
 * guests each gives C(j,k) * F_m(S) scenarios with guest sum S, where
 *     uniform: F_m(S) = sum_i (-1)^i C(m,i) C(S-ip-1, m-1)   (compositions)
 *     slots:   F_m(S) = sum_i (-1)^(m-i) C(m,i) C(ip, S)     (slot sets).
 * Summing over x = 1..d-1 is, for uniform, a difference of the prefix sums
 *     P_m(U) = #{m parts in 1..p adding up to at most U}
 *            = sum_i (-1)^i C(m,i) C(U-ip, m),
 * so each digit costs O(h^2) terms however large p is. For slots, x weighs
 * C(p,x) and the x with a non-zero count are few (g or h*p-g is small
 * whenever the slots weights fit 64 bits), so they are summed one by one.
 * x = 0 is kept apart because it adds an empty host. Then the walk follows
 * x = d and goes on to host j-1. A range [a, b) is below(b) - below(a).
 * That is a homogeneous cloud; a mixed fleet's free hosts have several
 * capacities, and exact_range_fleet.c counts them. */

/* The walk so far: the tight prefix's guest sum, empty hosts and weight. */
typedef struct prefix {
    int64_t sum;
    uint64_t zeros;
    mpz_t weight; /* slots: prod C(p, x) over the prefix; uniform: 1 */
} prefix;

/* C(n, k) for any integers: 0 when k < 0 or n < k (n < 0 included). */
static void binom(mpz_t out, int64_t n, int64_t k)
{
    if (k < 0 || n < k)
        mpz_set_ui(out, 0);
    else
        mpz_bin_uiui(out, (unsigned long)n, (unsigned long)k);
}

/* The inclusion-exclusion sums above, term i = sign * C(m,i) * B(i):
 * uniform shape (slots_sign false): B(i) = C(a - i*b, bottom), sign (-1)^i;
 * slots shape (slots_sign true):    B(i) = C(i*b, a),          sign (-1)^(m-i). */
static void alternating_sum(mpz_t out, int64_t m, int64_t a, int64_t b, int64_t bottom,
                            bool slots_sign)
{
    mpz_t term, c;
    mpz_inits(term, c, NULL);
    mpz_set_ui(out, 0);
    for (int64_t i = 0; i <= m; i++) {
        binom(c, m, i);
        binom(term, slots_sign ? i * b : a - i * b, slots_sign ? a : bottom);
        mpz_mul(term, term, c);
        bool negative = slots_sign ? ((m - i) & 1) : (i & 1);
        if (negative)
            mpz_sub(out, out, term);
        else
            mpz_add(out, out, term);
    }
    mpz_clears(term, c, NULL);
}

/* F_m(S): ways (or weight) for m hosts, each 1..p guests, to hold S guests. */
static void filled(mpz_t out, const pn_query *q, int64_t m, int64_t s)
{
    if (m == 0) {
        mpz_set_ui(out, s == 0);
        return;
    }
    if (s < m || s > m * (int64_t)q->per_host) {
        mpz_set_ui(out, 0);
        return;
    }
    if (q->model == PN_MODEL_SLOTS)
        alternating_sum(out, m, s, (int64_t)q->per_host, 0, true);
    else
        alternating_sum(out, m, s - 1, (int64_t)q->per_host, m - 1, false);
}

/* Uniform P_m(U): m hosts of 1..p guests holding at most U guests. */
static void filled_at_most(mpz_t out, const pn_query *q, int64_t m, int64_t u)
{
    if (m == 0)
        mpz_set_ui(out, u >= 0);
    else
        alternating_sum(out, m, u, (int64_t)q->per_host, m, false);
}

/* Sum over x = lo..hi of c(x) F_m(T - x), c(x) = 1 (uniform) or C(p, x). */
static void filled_over_digits(mpz_t out, const pn_query *q, int64_t m, int64_t t, int64_t lo,
                               int64_t hi)
{
    mpz_set_ui(out, 0);
    if (q->model == PN_MODEL_UNIFORM) {
        mpz_t below;
        mpz_init(below);
        filled_at_most(out, q, m, t - lo);
        filled_at_most(below, q, m, t - hi - 1);
        mpz_sub(out, out, below);
        mpz_clear(below);
        return;
    }
    /* F_m(T-x) is zero unless m <= T-x <= m*p */
    int64_t from = lo > t - m * (int64_t)q->per_host ? lo : t - m * (int64_t)q->per_host;
    int64_t to = hi < t - m ? hi : t - m;
    mpz_t f, c;
    mpz_inits(f, c, NULL);
    for (int64_t x = from; x <= to; x++) {
        filled(f, q, m, t - x);
        binom(c, (int64_t)q->per_host, x);
        mpz_addmul(out, f, c);
    }
    mpz_clears(f, c, NULL);
}

/* bins[zeros + k] += sign * weight * C(j, k) * ways(m = j - k) for the j free
 * hosts, where ways is F_m(T) (digits == NULL) or the sum over x = lo..hi. */
static void add_free(pn_histogram *hist, const pn_query *q, const prefix *pre, int64_t j,
                     int64_t t, uint64_t zeros, const int64_t *digits, int sign)
{
    mpz_t ways, c;
    mpz_inits(ways, c, NULL);
    for (int64_t k = 0; k <= j; k++) {
        if (digits)
            filled_over_digits(ways, q, j - k, t, digits[0], digits[1]);
        else
            filled(ways, q, j - k, t);
        if (mpz_sgn(ways) == 0)
            continue;
        binom(c, j, k);
        mpz_mul(ways, ways, c);
        mpz_mul(ways, ways, pre->weight);
        if (sign > 0)
            mpz_add(hist->bins[zeros + (uint64_t)k], hist->bins[zeros + (uint64_t)k], ways);
        else
            mpz_sub(hist->bins[zeros + (uint64_t)k], hist->bins[zeros + (uint64_t)k], ways);
    }
    mpz_clears(ways, c, NULL);
}

/* Adds sign * (the counts of indices below bound) into hist; bound <= keyspace. */
static void count_below(const pn_query *q, uint64_t bound, pn_histogram *hist, int sign)
{
    int64_t h = (int64_t)q->hosts, g = (int64_t)q->guests, base = (int64_t)q->per_host + 1;
    prefix pre = {.sum = 0, .zeros = 0};
    mpz_init_set_ui(pre.weight, 1);
    if (bound == q->keyspace) /* everything: all h hosts free */
        add_free(hist, q, &pre, h, g, 0, NULL, sign);
    if (bound == 0 || bound == q->keyspace) {
        mpz_clear(pre.weight);
        return;
    }
    /* 0 < bound < (p+1)^h < 2^64 means p >= 1, so h < 64 digits */
    uint64_t digit[64];
    uint64_t rest = bound;
    for (int64_t j = 0; j < h; j++, rest /= (uint64_t)base)
        digit[j] = rest % (uint64_t)base;
    mpz_t c;
    mpz_init(c);
    for (int64_t j = h - 1; j >= 0 && pre.sum <= g; j--) {
        int64_t d = (int64_t)digit[j], t = g - pre.sum;
        if (d > 0) /* x = 0: host j empty, hosts below free */
            add_free(hist, q, &pre, j, t, pre.zeros + 1, NULL, sign);
        if (d > 1) /* x = 1..d-1 */
            add_free(hist, q, &pre, j, t, pre.zeros, (int64_t[]){1, d - 1}, sign);
        pre.sum += d;
        pre.zeros += d == 0;
        if (q->model == PN_MODEL_SLOTS) {
            binom(c, base - 1, d);
            mpz_mul(pre.weight, pre.weight, c);
        }
    }
    mpz_clear(c);
    mpz_clear(pre.weight);
}

pn_status pn_exact_range_count(const pn_query *q, uint64_t first, uint64_t count,
                               pn_histogram *hists, pn_error *err)
{
    pn_status st = pn_query_check_resolved(q, err);
    if (st == PN_OK)
        st = pn_query_check_keyspace(q, err);
    if (st != PN_OK)
        return st;
    if (first > q->keyspace || count > q->keyspace - first)
        return pn_fail(err, PN_ERR_USAGE,
                       "the range [%llu, %llu + %llu) runs past the keyspace of %llu scenarios",
                       (unsigned long long)first, (unsigned long long)first,
                       (unsigned long long)count, (unsigned long long)q->keyspace);
    if (q->per_host_bases)
        return pn_exact_range_fleet_count(q, first, count, hists, err);
    for (size_t i = 0; i < q->levels.n; i++) {
        pn_query one = pn_query_level(q, i);
        count_below(&one, first + count, &hists[i], +1);
        count_below(&one, first, &hists[i], -1);
    }
    return PN_OK;
}
