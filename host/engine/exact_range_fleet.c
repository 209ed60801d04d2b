/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exact_range_fleet.c -- the range count of a mixed fleet: a digit walk over hosts of their own bases, the free low hosts counted as inclusion-exclusion terms. */
#include "exact_range_fleet.h"

#include <gmp.h>
#include <stdbool.h>
#include <stdlib.h>

/* How it counts.
 *
 * As for a homogeneous cloud (exact_range.c), the scenarios below a bound N
 * are found by walking N's digits from the top host down: a scenario that
 * agrees with N above host i and puts x < d_i guests on host i is below N
 * whatever hosts 0..i-1 run, so those are free. Free hosts of a fleet have
 * several capacities, so no one closed form counts them; but once it is
 * fixed which m of them are busy, inclusion-exclusion over the subsets I of
 * those m hosts counts the ways their guests add up to S:
 *     uniform: sum_I (-1)^|I|     C(S - 1 - E_I, m - 1)   (m >= 1)
 *     slots:   sum_I (-1)^(m-|I|) C(E_I, S)               (weighted),
 * E_I the sum of the capacities in I (uniform: compositions of S into m
 * parts, those of I pushed past their capacity; slots: [t^S] of the product
 * of (1+t)^c - 1 over the busy hosts). A term depends on the choice only
 * through k (empty free hosts, so m = free - k) and E, so the free hosts are
 * a short list of terms (k, E, coefficient), built host by host from host 0
 * up: each host is empty (k + 1), busy outside I, or busy in I (E + c).
 * Each term also carries its coefficient times the empty free hosts of each
 * group: that is what the napping sums add up. Terms that count nothing at
 * any level are dropped: m past the largest level g (m busy hosts hold at
 * least m guests) and, under uniform, E past g (every binomial is 0).
 *
 * The build goes up while each bound's walk goes down, so the walk's
 * prefixes (digit sum, empty hosts, slots weight prod C(c_i, d_i)) are taken
 * first, top down, and host i then meets the terms of hosts 0..i-1 as the
 * build reaches it. Summing over x = 1..d-1 is, for uniform, a difference of
 * two binomials (the hockey stick, as in exact_range.c); for slots, a sum
 * over the x with C(E, T - x) != 0. Hosts of capacity 0 are always empty:
 * their group is one step (k + n). Both bounds and every level share the
 * one build. */

/* One inclusion-exclusion term of the free hosts. */
typedef struct term {
    uint64_t zeros;           /* k: empty free hosts */
    uint64_t excess;          /* E: the capacities of the hosts in I */
    mpz_t coef;               /* signed (slots: weighted) count of the choices behind it */
    mpz_t nap[PN_MAX_GROUPS]; /* the same, each times its empty free hosts of group j */
} term;

typedef struct terms {
    term *t;
    size_t n;
} terms;

/* What a bound's hosts above one host of capacity >= 1 hold, and its digit there. */
typedef struct prefix {
    uint64_t digit;
    int64_t sum;
    uint64_t zeros;
    uint64_t empty[PN_MAX_GROUPS];
    mpz_t weight; /* slots: prod C(c_i, d_i) over those hosts; uniform: 1 */
} prefix;

/* Hosts of capacity >= 1 number fewer than 64: each multiplies the keyspace,
 * which is below 2^64, by 2 or more. */
#define MOST_BUSY_HOSTS 64

/* One bound N of the range: added (sign +1) or taken away (-1). */
typedef struct bound {
    uint64_t n;
    int sign;
    size_t busy;                /* entries of `at` in use */
    prefix at[MOST_BUSY_HOSTS]; /* 0 < N < keyspace: per host of capacity >= 1, in host order */
} bound;

typedef struct walk {
    const pn_query *q;
    pn_histogram *hists;
    unsigned groups; /* napping sums kept: q->ngroups, or 0 when the histograms carry none */
    uint64_t most;   /* the largest level */
    bool slots;
    mpz_t v, f, fc, c1, c2; /* scratch */
} walk;

/* One piece of a bound: `free` free hosts after a fixed part holding `sum`
 * guests, `zeros` empty hosts (empty[j] of group j) and `weight`; the host
 * after the fixed part runs x = lo..hi guests of its `cap` (lo = 0: that
 * host, if any, is in the fixed part). */
typedef struct piece {
    uint64_t free;
    int64_t sum;
    uint64_t zeros;
    const uint64_t *empty;
    mpz_srcptr weight;
    int64_t lo, hi;
    uint64_t cap;
    int sign;
} piece;

/* C(n, k) for any integers: 0 when k < 0 or n < k (n < 0 included). */
static void binom(mpz_t out, int64_t n, int64_t k)
{
    if (k < 0 || n < k)
        mpz_set_ui(out, 0);
    else
        mpz_bin_uiui(out, (unsigned long)n, (unsigned long)k);
}

/* w->v: what one term (excess e, m busy free hosts) gives when the piece's
 * x and free hosts hold t guests. */
static void term_value(walk *w, const piece *pc, int64_t t, int64_t e, int64_t m)
{
    if (!w->slots && pc->lo == 0) {
        if (m == 0)
            mpz_set_ui(w->v, t == 0);
        else
            binom(w->v, t - 1 - e, m - 1);
    } else if (!w->slots) { /* sum over x of C(t - x - 1 - e, m - 1) */
        binom(w->v, t - pc->lo - e, m);
        binom(w->c1, t - pc->hi - 1 - e, m);
        mpz_sub(w->v, w->v, w->c1);
    } else if (pc->lo == 0) {
        binom(w->v, e, t);
    } else { /* C(e, t - x) != 0 needs t - e <= x <= t */
        int64_t from = pc->lo > t - e ? pc->lo : t - e, to = pc->hi < t ? pc->hi : t;
        mpz_set_ui(w->v, 0);
        for (int64_t x = from; x <= to; x++) {
            binom(w->c1, (int64_t)pc->cap, x);
            binom(w->c2, e, t - x);
            mpz_addmul(w->v, w->c1, w->c2);
        }
    }
}

/* Adds the piece, one term at a time, into each level's bins and napping
 * sums: a term's value times the fixed part's weight lands in bin zeros + k,
 * and group j's sum gains it times the term's nap[j] plus coef * empty[j]. */
static void add_piece(walk *w, const terms *s, const piece *pc)
{
    for (size_t l = 0; l < w->q->levels.n; l++) {
        int64_t t = (int64_t)pn_levels_at(&w->q->levels, l) - pc->sum;
        pn_histogram *h = &w->hists[l];
        for (size_t i = 0; t >= 0 && i < s->n; i++) {
            const term *tm = &s->t[i];
            term_value(w, pc, t, (int64_t)tm->excess, (int64_t)(pc->free - tm->zeros));
            if (mpz_sgn(w->v) == 0)
                continue;
            mpz_mul(w->f, w->v, pc->weight);
            if (pc->sign < 0)
                mpz_neg(w->f, w->f);
            uint64_t k = pc->zeros + tm->zeros;
            mpz_mul(w->fc, w->f, tm->coef);
            mpz_add(h->bins[k], h->bins[k], w->fc);
            for (unsigned j = 0; j < w->groups; j++) {
                mpz_ptr nap = pn_histogram_napping(h, j, k);
                mpz_addmul(nap, w->f, tm->nap[j]);
                if (pc->empty[j])
                    mpz_addmul_ui(nap, w->fc, (unsigned long)pc->empty[j]);
            }
        }
    }
}

/* Host `host` (group j, capacity c) against the terms of the hosts below
 * it: x = 0 makes it one more empty host, x = 1..d-1 busy. */
static void add_digit(walk *w, const terms *s, uint64_t host, unsigned j, uint64_t c,
                      const prefix *at, int sign)
{
    int64_t d = (int64_t)at->digit;
    if (d > 0) {
        uint64_t empty[PN_MAX_GROUPS];
        for (unsigned i = 0; i < w->q->ngroups; i++)
            empty[i] = at->empty[i] + (i == j);
        add_piece(w, s, &(piece){.free = host, .sum = at->sum, .zeros = at->zeros + 1,
                                 .empty = empty, .weight = at->weight, .sign = sign});
    }
    if (d > 1)
        add_piece(w, s, &(piece){.free = host, .sum = at->sum, .zeros = at->zeros,
                                 .empty = at->empty, .weight = at->weight, .lo = 1,
                                 .hi = d - 1, .cap = c, .sign = sign});
}

/* Orders terms by (k, E), so equal ones end up side by side. */
static int term_order(const void *a, const void *b)
{
    const term *x = a, *y = b;
    if (x->zeros != y->zeros)
        return x->zeros < y->zeros ? -1 : 1;
    return x->excess < y->excess ? -1 : x->excess > y->excess;
}

static void term_clear(term *t, unsigned groups)
{
    mpz_clear(t->coef);
    for (unsigned j = 0; j < groups; j++)
        mpz_clear(t->nap[j]);
}

/* out = sign * in at (in's k, excess), with numbers of its own. */
static void term_copy(term *out, const term *in, uint64_t excess, int sign, unsigned groups)
{
    out->zeros = in->zeros;
    out->excess = excess;
    mpz_init_set(out->coef, in->coef);
    for (unsigned j = 0; j < groups; j++)
        mpz_init_set(out->nap[j], in->nap[j]);
    if (sign > 0)
        return;
    mpz_neg(out->coef, out->coef);
    for (unsigned j = 0; j < groups; j++)
        mpz_neg(out->nap[j], out->nap[j]);
}

/* Sorts n terms, adds up those with the same (k, E) and drops the ones that
 * cancelled out; returns how many are left. */
static size_t merge_terms(term *t, size_t n, unsigned groups)
{
    qsort(t, n, sizeof *t, term_order);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && term_order(&t[m - 1], &t[i]) == 0) {
            mpz_add(t[m - 1].coef, t[m - 1].coef, t[i].coef);
            for (unsigned j = 0; j < groups; j++)
                mpz_add(t[m - 1].nap[j], t[m - 1].nap[j], t[i].nap[j]);
            term_clear(&t[i], groups);
        } else {
            t[m++] = t[i]; /* GMP numbers move with their struct */
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < m; i++) {
        bool zero = mpz_sgn(t[i].coef) == 0;
        for (unsigned j = 0; zero && j < groups; j++)
            zero = mpz_sgn(t[i].nap[j]) == 0;
        if (zero)
            term_clear(&t[i], groups);
        else
            t[kept++] = t[i];
    }
    return kept;
}

/* Adds host number `below` (group j, capacity c >= 1) to the terms of the
 * hosts below it: each term becomes empty, busy outside I and busy in I. */
static pn_status add_host(walk *w, terms *s, unsigned j, uint64_t c, uint64_t below,
                          pn_error *err)
{
    term *next = malloc(3 * s->n * sizeof *next);
    if (!next)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the range count's %zu terms",
                       3 * s->n);
    int in_sign = w->slots ? 1 : -1; /* in I: (1+t)^c, or -(parts past c); outside: the other */
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        term *o = &s->t[i];
        if (below + 1 - o->zeros <= w->most) { /* busy: one more busy host */
            term_copy(&next[n++], o, o->excess, -in_sign, w->groups);
            if (w->slots || o->excess + c <= w->most)
                term_copy(&next[n++], o, o->excess + c, in_sign, w->groups);
        }
        next[n] = *o; /* empty: the term itself moves over */
        next[n].zeros++;
        if (j < w->groups)
            mpz_add(next[n].nap[j], next[n].nap[j], next[n].coef);
        n++;
    }
    free(s->t);
    s->t = next;
    s->n = merge_terms(next, n, w->groups);
    return PN_OK;
}

/* A group of n hosts of capacity 0: all empty, in every scenario. */
static void add_idle_group(walk *w, terms *s, unsigned j, uint64_t n)
{
    for (size_t i = 0; i < s->n; i++) {
        s->t[i].zeros += n;
        if (j < w->groups)
            mpz_addmul_ui(s->t[i].nap[j], s->t[i].coef, (unsigned long)n);
    }
}

/* The bound's digits at its hosts of capacity >= 1 (host 0 lowest), then
 * top down what the hosts above each of them hold. For 0 < N < keyspace. */
static void take_prefixes(walk *w, bound *b)
{
    const pn_query *q = w->q;
    size_t busy = 0;
    uint64_t rest = b->n;
    for (unsigned j = 0; j < q->ngroups; j++)
        for (uint64_t r = 0; q->groups[j].capacity > 0 && r < q->groups[j].count; r++) {
            b->at[busy++].digit = rest % (q->groups[j].capacity + 1);
            rest /= q->groups[j].capacity + 1;
        }
    b->busy = busy;
    prefix cur = {.sum = 0};
    mpz_init_set_ui(cur.weight, 1);
    for (unsigned j = q->ngroups; j-- > 0;) {
        uint64_t c = q->groups[j].capacity;
        if (c == 0) {
            cur.zeros += q->groups[j].count;
            cur.empty[j] += q->groups[j].count;
        }
        for (uint64_t r = 0; c > 0 && r < q->groups[j].count; r++) {
            prefix *at = &b->at[--busy];
            uint64_t d = at->digit;
            *at = cur;
            at->digit = d;
            mpz_init_set(at->weight, cur.weight);
            cur.sum += (int64_t)d;
            cur.zeros += d == 0;
            cur.empty[j] += d == 0;
            if (w->slots) {
                binom(w->c1, (int64_t)c, (int64_t)d);
                mpz_mul(cur.weight, cur.weight, w->c1);
            }
        }
    }
    mpz_clear(cur.weight);
}

/* Builds the terms host by host, each host of capacity >= 1 first meeting
 * the walk of every bound strictly inside the keyspace. */
static pn_status walk_hosts(walk *w, bound *b, terms *s, pn_error *err)
{
    const pn_query *q = w->q;
    uint64_t host = 0;
    size_t busy = 0;
    for (unsigned j = 0; j < q->ngroups; j++) {
        uint64_t c = q->groups[j].capacity;
        if (c == 0) {
            add_idle_group(w, s, j, q->groups[j].count);
            host += q->groups[j].count;
            continue;
        }
        for (uint64_t r = 0; r < q->groups[j].count; r++, host++, busy++) {
            for (int i = 0; i < 2; i++)
                if (b[i].n > 0 && b[i].n < q->keyspace)
                    add_digit(w, s, host, j, c, &b[i].at[busy], b[i].sign);
            pn_status st = add_host(w, s, j, c, host, err);
            if (st != PN_OK)
                return st;
        }
    }
    return PN_OK;
}

pn_status pn_exact_range_fleet_count(const pn_query *q, uint64_t first, uint64_t count,
                                     pn_histogram *hists, pn_error *err)
{
    walk w = {.q = q, .hists = hists, .groups = hists[0].groups == q->ngroups ? q->ngroups : 0,
              .most = q->guests, .slots = q->model == PN_MODEL_SLOTS};
    mpz_inits(w.v, w.f, w.fc, w.c1, w.c2, NULL);
    bound b[2] = {{.n = first + count, .sign = +1}, {.n = first, .sign = -1}};
    for (int i = 0; i < 2; i++)
        if (b[i].n > 0 && b[i].n < q->keyspace)
            take_prefixes(&w, &b[i]);
    terms s = {.t = malloc(sizeof *s.t), .n = 1};
    pn_status st = s.t ? PN_OK : pn_fail(err, PN_ERR_NOMEM, "out of memory for the range count");
    if (st == PN_OK) {
        s.t[0] = (term){.zeros = 0};
        mpz_init_set_ui(s.t[0].coef, 1);
        for (unsigned j = 0; j < w.groups; j++)
            mpz_init(s.t[0].nap[j]);
        st = walk_hosts(&w, b, &s, err);
    }
    mpz_t one;
    mpz_init_set_ui(one, 1);
    for (int i = 0; st == PN_OK && i < 2; i++) /* the whole keyspace: every host free */
        if (b[i].n == q->keyspace)
            add_piece(&w, &s, &(piece){.free = q->hosts, .empty = (uint64_t[PN_MAX_GROUPS]){0},
                                       .weight = one, .sign = b[i].sign});
    mpz_clear(one);
    for (size_t i = 0; s.t && i < s.n; i++)
        term_clear(&s.t[i], w.groups);
    free(s.t);
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < b[i].busy; k++)
            mpz_clear(b[i].at[k].weight);
    mpz_clears(w.v, w.f, w.fc, w.c1, w.c2, NULL);
    return st;
}
