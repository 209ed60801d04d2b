/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_gf.c -- exact counts of a fleet (or of many guest counts at once) from generating functions multiplied as big integers. */
#include "engine/pn_exact_gf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/pn_duration.h"

/* How it counts.
 *
 * Host by host, a scenario is a choice per host: empty (1) or busy (w)
 * with x = 1..c guests (w z^x, weighted C(c,x) under slots). The hosts of
 * group j contribute (1 + w Q_j(z))^(n_j), and the fleet F(w, z) is their
 * product: [w^b z^g] F is the (weighted) number of scenarios with g guests
 * and b busy hosts, so hosts - b napping. Busy hosts, not napping ones, are
 * tracked because each holds a guest: b <= g, so a polynomial has at most
 * min(hosts, g) + 1 rows however many hosts the fleet has (a million hosts
 * at g = 1 are two rows, not a million). Marking group j's empty hosts
 * (y d/dy on (y + Q_j)^(n_j), then y = 1/w) gives n_j (1 + w Q_j)^(n_j - 1)
 * times the others: its [w^b z^g] are the sums of (empty hosts of group j)
 * over the same scenarios.
 *
 * A polynomial in w and z with non-negative coefficients below 2^(64L) is
 * packed into one integer, coefficient (b, d) at limb (b*S + d)*L, where S
 * exceeds the z-degree of any product it takes part in; one mpz_mul then
 * computes the whole two-dimensional convolution (Kronecker substitution).
 * Every product is truncated past the largest guest count asked for, in z
 * and in w alike. No slot overflows into the next: a coefficient of any
 * partial product at d <= 2 dcap guests (the most an untruncated product
 * of two truncated factors reaches) is at most hosts + 1 times a count of
 * scenarios of d guests (pn_exact_gf_coefficient_bits). Powers come from
 * repeated squaring; the marked products from prefix and suffix products,
 * for every group but the last: its napping sums are k times the count
 * less the other groups' sums. */

/* A polynomial sum c[b][d] w^b z^d, 0 <= b <= K, 0 <= d <= D. */
typedef struct bpoly {
    uint64_t K, D;
    mpz_t *c; /* (K+1)*(D+1), row-major in k */
} bpoly;

/* One run: the truncation, the slot size, progress and cancellation. */
typedef struct gf_ctx {
    uint64_t dcap;  /* largest z-degree kept */
    size_t limbs;   /* L: limbs per packed coefficient */
    pn_run *run;
    uint64_t steps, total_steps; /* multiplications done and expected */
    double start;
} gf_ctx;

static mpz_ptr at(const bpoly *p, uint64_t k, uint64_t d)
{
    return p->c[k * (p->D + 1) + d];
}

/* A zero polynomial of the given degrees; false when memory runs out. */
static bool bpoly_init(bpoly *p, uint64_t K, uint64_t D)
{
    p->K = K;
    p->D = D;
    p->c = malloc((size_t)((K + 1) * (D + 1)) * sizeof *p->c);
    for (uint64_t i = 0; p->c && i < (K + 1) * (D + 1); i++)
        mpz_init(p->c[i]);
    return p->c != NULL;
}

static void bpoly_clear(bpoly *p)
{
    for (uint64_t i = 0; p->c && i < (p->K + 1) * (p->D + 1); i++)
        mpz_clear(p->c[i]);
    free(p->c);
    p->c = NULL;
}

/* Packs p into x with S slots per y-row, L limbs per slot. */
static void pack(const bpoly *p, uint64_t S, size_t L, mpz_t x)
{
    size_t n = (size_t)(p->K * S + p->D + 1) * L;
    mp_limb_t *out = mpz_limbs_write(x, (mp_size_t)n);
    memset(out, 0, n * sizeof *out);
    for (uint64_t k = 0; k <= p->K; k++)
        for (uint64_t d = 0; d <= p->D; d++) {
            mpz_srcptr c = at(p, k, d);
            memcpy(out + (k * S + d) * L, mpz_limbs_read(c), mpz_size(c) * sizeof *out);
        }
    mpz_limbs_finish(x, (mp_size_t)n);
}

/* Unpacks x (S slots per row, L limbs each) into out, whose degrees are set. */
static void unpack(const mpz_t x, uint64_t S, size_t L, bpoly *out)
{
    const mp_limb_t *in = mpz_limbs_read(x);
    size_t have = mpz_size(x);
    for (uint64_t k = 0; k <= out->K; k++)
        for (uint64_t d = 0; d <= out->D; d++) {
            size_t from = (size_t)(k * S + d) * L;
            size_t n = from >= have ? 0 : have - from < L ? have - from : L;
            mpz_ptr c = at(out, k, d);
            if (n == 0) {
                mpz_set_ui(c, 0);
                continue;
            }
            mp_limb_t *dst = mpz_limbs_write(c, (mp_size_t)n);
            memcpy(dst, in + from, n * sizeof *dst);
            mpz_limbs_finish(c, (mp_size_t)n);
        }
}

/* Counts a multiplication; PN_ERR_INTERRUPTED when asked to stop. */
static pn_status step_done(gf_ctx *c, pn_error *err)
{
    c->steps++;
    if (c->steps > c->total_steps)
        c->total_steps = c->steps;
    const pn_progress *pr = &c->run->progress;
    if (pr->cancel && *pr->cancel)
        return pn_fail(err, PN_ERR_INTERRUPTED,
                       "interrupted after %llu of about %llu polynomial products",
                       (unsigned long long)c->steps, (unsigned long long)c->total_steps);
    if (pr->update) {
        pn_progress_report r = {.unit = "products", .internal = true, .done = c->steps,
                                .total = c->total_steps,
                                .rate = (double)c->steps / (pn_now_seconds() - c->start + 1e-9)};
        pr->update(pr->ctx, &r);
    }
    return PN_OK;
}

/* True for the constant polynomial 1. */
static bool is_one(const bpoly *p)
{
    return p->K == 0 && p->D == 0 && mpz_cmp_ui(p->c[0], 1) == 0;
}

/* out = p (a deep copy; out may not be p). */
static pn_status bpoly_copy(const bpoly *p, bpoly *out, pn_error *err)
{
    bpoly r;
    if (!bpoly_init(&r, p->K, p->D))
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a polynomial");
    for (uint64_t i = 0; i < (p->K + 1) * (p->D + 1); i++)
        mpz_set(r.c[i], p->c[i]);
    bpoly_clear(out);
    *out = r;
    return PN_OK;
}

/* out = a * b truncated to degree dcap in w and z (out may be a or b). */
static pn_status bpoly_mul(gf_ctx *c, const bpoly *a, const bpoly *b, bpoly *out, pn_error *err)
{
    if (is_one(a) || is_one(b)) { /* nothing to multiply */
        const bpoly *other = is_one(a) ? b : a;
        return other == out ? PN_OK : bpoly_copy(other, out, err);
    }
    uint64_t S = a->D + b->D + 1;
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    pack(a, S, c->limbs, x);
    if (a == b)
        mpz_mul(x, x, x);
    else {
        pack(b, S, c->limbs, y);
        mpz_mul(x, x, y);
    }
    mpz_clear(y);
    bpoly r;
    uint64_t D = a->D + b->D < c->dcap ? a->D + b->D : c->dcap;
    uint64_t K = a->K + b->K < c->dcap ? a->K + b->K : c->dcap; /* b busy hold >= b guests */
    if (!bpoly_init(&r, K, D)) {
        mpz_clear(x);
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a polynomial of degree %llu x %llu",
                       (unsigned long long)K, (unsigned long long)D);
    }
    unpack(x, S, c->limbs, &r);
    mpz_clear(x);
    bpoly_clear(out);
    *out = r;
    return step_done(c, err);
}

/* 1 + w Q(z) for a host of the given capacity, truncated at dcap (just 1
 * when dcap is 0: no host can be busy). */
static bool host_poly(const gf_ctx *c, uint64_t capacity, pn_model model, bpoly *p)
{
    uint64_t D = capacity < c->dcap ? capacity : c->dcap;
    if (!bpoly_init(p, D > 0 ? 1 : 0, D))
        return false;
    mpz_set_ui(at(p, 0, 0), 1);
    for (uint64_t x = 1; x <= D; x++) {
        if (model == PN_MODEL_SLOTS)
            mpz_bin_uiui(at(p, 1, x), (unsigned long)capacity, (unsigned long)x);
        else
            mpz_set_ui(at(p, 1, x), 1);
    }
    return true;
}

/* out = base^e (e >= 1) by repeated squaring, from the top bit down. */
static pn_status bpoly_pow(gf_ctx *c, const bpoly *base, uint64_t e, bpoly *out, pn_error *err)
{
    if (!bpoly_init(out, base->K, base->D))
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a polynomial");
    for (uint64_t i = 0; i < (base->K + 1) * (base->D + 1); i++)
        mpz_set(out->c[i], base->c[i]);
    int top = 63 - __builtin_clzll(e);
    pn_status st = PN_OK;
    for (int bit = top - 1; st == PN_OK && bit >= 0; bit--) {
        st = bpoly_mul(c, out, out, out, err);
        if (st == PN_OK && (e >> bit & 1))
            st = bpoly_mul(c, out, base, out, err);
    }
    return st;
}

/* The constant polynomial 1. */
static bool bpoly_one(bpoly *p)
{
    if (!bpoly_init(p, 0, 0))
        return false;
    mpz_set_ui(p->c[0], 1);
    return true;
}

/* Multiplications a power of e takes: squarings plus set bits. */
static uint64_t pow_steps(uint64_t e)
{
    return e <= 1 ? 0 : (uint64_t)(63 - __builtin_clzll(e)) + (uint64_t)__builtin_popcountll(e) - 1;
}

/* One group's factor P = (1 + w Q)^n and, when mark is not NULL, its marked
 * factor n (1 + w Q)^(n-1). */
static pn_status group_factor(gf_ctx *c, const pn_group *g, pn_model model, bpoly *p,
                              bpoly *mark, pn_error *err)
{
    bpoly base = {0}, u = {0};
    if (!host_poly(c, g->capacity, model, &base))
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a polynomial");
    pn_status st = PN_OK;
    if (g->count == 1) {
        if (!bpoly_one(&u))
            st = pn_fail(err, PN_ERR_NOMEM, "out of memory for a polynomial");
    } else
        st = bpoly_pow(c, &base, g->count - 1, &u, err);
    if (st == PN_OK)
        st = bpoly_mul(c, &u, &base, p, err);
    if (st == PN_OK && mark) { /* n u: one empty host of the group is marked */
        if (!bpoly_init(mark, u.K, u.D))
            st = pn_fail(err, PN_ERR_NOMEM, "out of memory for a polynomial");
        for (uint64_t b = 0; st == PN_OK && b <= u.K; b++)
            for (uint64_t d = 0; d <= u.D; d++)
                mpz_mul_ui(at(mark, b, d), at(&u, b, d), (unsigned long)g->count);
    }
    bpoly_clear(&u);
    bpoly_clear(&base);
    return st;
}

/* hists[i] += the coefficients of z^g (g = pn_levels_at(lv, i)) of f, the
 * one of w^b into napping count k = hosts - b, into the bins (group == -1)
 * or into group j's napping sums. With `last` (a mixed fleet's last group,
 * whose napping sums are never multiplied out), the bins also add k * f
 * there and group j's sums are taken off it: every napping host belongs to
 * some group, so the last group's sums are k times the count less the
 * others'. */
static void extract(const bpoly *f, const pn_levels *lv, pn_histogram *hists, int group,
                    int last)
{
    mpz_t t;
    mpz_init(t);
    for (size_t i = 0; i < lv->n; i++) {
        uint64_t g = pn_levels_at(lv, i), hosts = hists[i].hosts;
        for (uint64_t b = 0; g <= f->D && b <= f->K && b <= hosts; b++) {
            uint64_t k = hosts - b;
            mpz_srcptr v = at(f, b, g);
            mpz_ptr dst = group < 0 ? hists[i].bins[k]
                                    : pn_histogram_napping(&hists[i], (unsigned)group, k);
            mpz_add(dst, dst, v);
            if (last < 0)
                continue;
            mpz_ptr rest = pn_histogram_napping(&hists[i], (unsigned)last, k);
            if (group < 0) {
                mpz_mul_ui(t, v, (unsigned long)k);
                mpz_add(rest, rest, t);
            } else
                mpz_sub(rest, rest, v);
        }
    }
    mpz_clear(t);
}

/* The groups as the GF sees them: the resolved query's (one group h x p for
 * a cloud asked as -h/-p). */
static unsigned gf_groups(const pn_query *q, pn_group *out)
{
    memcpy(out, q->groups, q->ngroups * sizeof *out);
    return q->ngroups;
}

/* log2 C(n, k) for 0 <= k <= n, through lgamma. */
static double log2_binomial(double n, double k)
{
    if (k <= 0 || k >= n)
        return 0.0;
    return (lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)) / log(2.0);
}

uint64_t pn_exact_gf_coefficient_bits(const pn_query *q, uint64_t dcap)
{
    /* log2 of (hosts+1) times a bound on the scenarios of d <= 2 dcap
     * guests, in doubles: the bound itself can have 10^12 bits, far too
     * many to compute just to size it. Two bounds, the smaller one kept:
     * F(1,1), all scenarios, prod (1 + c)^n (uniform) or prod 2^(c n)
     * (slots); and the scenarios of exactly d guests at the worst d: at most
     * C(d + hosts - 1, d) (uniform: the ways d guests fall on the hosts,
     * capacities ignored) or exactly C(P, d) (slots: d of the P slots), the
     * larger the nearer d is to P/2. Two bits more cover the rounding of a
     * sum below 2^53 many times over, two more lgamma's. */
    pn_group g[PN_MAX_GROUPS];
    unsigned n = gf_groups(q, g);
    double all = 0, slots = 0, h = (double)q->hosts;
    for (unsigned j = 0; j < n; j++) {
        all += (double)g[j].count * (q->model == PN_MODEL_SLOTS
                                         ? (double)g[j].capacity
                                         : log2((double)g[j].capacity + 1.0));
        slots += (double)g[j].count * (double)g[j].capacity;
    }
    double d = fmin(2.0 * (double)dcap, slots), at_d;
    if (q->model == PN_MODEL_SLOTS)
        at_d = log2_binomial(slots, fmin(d, floor(slots / 2.0)));
    else
        at_d = h > 0 ? log2_binomial(d + h - 1.0, d) : 0.0;
    double bits = log2(h + 1.0) + (at_d + 2.0 < all ? at_d + 2.0 : all);
    return (uint64_t)ceil(bits) + 2;
}

/* The whole product and, for a mixed fleet, each group's marked product:
 * F = prefix[r], B_j = prefix[j-1] * mark_j * suffix[j+1], for every group
 * but the last, whose sums follow from the others' (extract). */
static pn_status count_all(gf_ctx *c, const pn_query *q, const pn_group *g, unsigned r,
                           const pn_levels *lv, pn_histogram *hists, pn_error *err)
{
    bool marks = q->per_host_bases;
    bpoly *p = calloc(r, sizeof *p), *mark = calloc(r, sizeof *mark);
    bpoly *suffix = calloc(r + 1, sizeof *suffix), prefix = {0}, t = {0};
    pn_status st = p && mark && suffix && bpoly_one(&prefix) && bpoly_one(&suffix[r])
                       ? PN_OK : pn_fail(err, PN_ERR_NOMEM, "out of memory for %u groups", r);
    int last = marks ? (int)r - 1 : -1;
    for (unsigned j = 0; st == PN_OK && j < r; j++)
        st = group_factor(c, &g[j], q->model, &p[j], marks && (int)j < last ? &mark[j] : NULL,
                          err);
    for (unsigned j = r; st == PN_OK && marks && j-- > 1;)
        st = bpoly_mul(c, &p[j], &suffix[j + 1], &suffix[j], err);
    for (unsigned j = 0; st == PN_OK && j < r; j++) {
        if ((int)j < last) {
            st = bpoly_mul(c, &prefix, &mark[j], &t, err);
            if (st == PN_OK)
                st = bpoly_mul(c, &t, &suffix[j + 1], &t, err);
            if (st == PN_OK)
                extract(&t, lv, hists, (int)j, last);
        }
        if (st == PN_OK)
            st = bpoly_mul(c, &prefix, &p[j], &prefix, err);
    }
    if (st == PN_OK)
        extract(&prefix, lv, hists, -1, last);
    for (unsigned j = 0; j <= r; j++) {
        if (j < r && p)
            bpoly_clear(&p[j]);
        if (j < r && mark)
            bpoly_clear(&mark[j]);
        if (suffix)
            bpoly_clear(&suffix[j]);
    }
    bpoly_clear(&prefix);
    bpoly_clear(&t);
    free(p);
    free(mark);
    free(suffix);
    return st;
}

pn_status pn_exact_gf_count(const pn_query *q, const pn_levels *lv, pn_run *run,
                            pn_histogram *hists, pn_error *err)
{
    pn_group g[PN_MAX_GROUPS];
    unsigned r = gf_groups(q, g);
    gf_ctx c = {.dcap = pn_levels_at(lv, lv->n - 1), .run = run, .start = pn_now_seconds()};
    uint64_t bits = pn_exact_gf_coefficient_bits(q, c.dcap);
    c.limbs = (size_t)((bits + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS);
    for (unsigned j = 0; j < r; j++)
        c.total_steps += pow_steps(g[j].count) + 1 + (q->per_host_bases ? 4 : 1);
    return count_all(&c, q, g, r, lv, hists, err);
}
