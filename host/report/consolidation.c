/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consolidation.c -- the packing bound: the hosts a perfect scheduler would leave empty; by count, largest hosts first, or by power, the least power awake that holds the guests. */
#include "report/pn_consolidation.h"

#include <gmp.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "base/pn_ratio.h"

/* Nodes the power search may visit before it settles for the relaxation;
 * a few million take a fraction of a second, and real fleets need far fewer. */
#define PACK_NODE_BUDGET (1u << 22)

/* Largest capacity first; among equals, fewest watts first. */
static int fill_order(const void *a, const void *b)
{
    const pn_group *x = a, *y = b;
    if (x->capacity != y->capacity)
        return x->capacity < y->capacity ? 1 : -1;
    return (x->watts > y->watts) - (x->watts < y->watts);
}

/* Fewest watts per guest slot first (w_x/c_x < w_y/c_y, cross-multiplied so
 * no division rounds); among equals, the larger host first. Capacities > 0. */
static int power_order(const void *a, const void *b)
{
    const pn_group *x = a, *y = b;
    long double l = (long double)x->watts * y->capacity, r = (long double)y->watts * x->capacity;
    if (l != r)
        return l < r ? -1 : 1;
    return (x->capacity < y->capacity) - (x->capacity > y->capacity);
}

/* 100 * sum over groups of napping_j * watts_j / fleet watts, exactly
 * rounded: the watts are doubles, and so exact binary fractions. */
static double power_share(const pn_group *g, const uint64_t *napping, unsigned n)
{
    mpq_t nap, all, term;
    mpq_inits(nap, all, term, NULL);
    for (unsigned j = 0; j < n; j++) {
        mpq_set_d(term, g[j].watts);
        mpz_mul_ui(mpq_numref(term), mpq_numref(term), (unsigned long)g[j].count);
        mpq_canonicalize(term);
        mpq_add(all, all, term);
        mpq_set_d(term, g[j].watts);
        mpz_mul_ui(mpq_numref(term), mpq_numref(term), (unsigned long)napping[j] * 100);
        mpq_canonicalize(term);
        mpq_add(nap, nap, term);
    }
    mpq_div(nap, nap, all);
    double share = pn_ratio_to_double(mpq_numref(nap), mpq_denref(nap));
    mpq_clears(nap, all, term, NULL);
    return share;
}

/* The search for the least power awake: groups g[0..n) in power_order,
 * awake[j] the hosts of group j the current branch keeps awake, best the
 * least watts found so far and best_awake its choice. */
typedef struct pack_search {
    const pn_group *g;
    unsigned n;
    uint64_t awake[PN_MAX_GROUPS], best_awake[PN_MAX_GROUPS];
    long double best;
    bool found;
    unsigned long nodes;
} pack_search;

/* The linear relaxation: the least watts groups j.. draw to hold `need`
 * guests when a host may be partly awake (cheapest slots first), a lower
 * bound on any real choice; INFINITY when they cannot hold them. */
static long double relaxed_watts(const pack_search *s, unsigned j, uint64_t need)
{
    long double watts = 0;
    for (; need && j < s->n; j++) {
        uint64_t slots = s->g[j].count * s->g[j].capacity;
        uint64_t take = slots < need ? slots : need;
        watts += (long double)take * s->g[j].watts / (long double)s->g[j].capacity;
        need -= take;
    }
    return need ? INFINITY : watts;
}

/* Branch and bound over how many hosts of group j.. stay awake to hold
 * `need` more guests, `watts` drawn so far. Within a group, fewer awake
 * hosts below the first choice only raise the relaxation (the later groups'
 * slots cost at least as much), so the loop stops at the first bound that
 * cannot beat the best; the first choice (enough to hold everything, maybe
 * overshooting) is the exception and never stops it. */
static void search(pack_search *s, unsigned j, uint64_t need, long double watts)
{
    if (++s->nodes > PACK_NODE_BUDGET)
        return;
    if (need == 0) {
        if (!s->found || watts < s->best) {
            s->found = true;
            s->best = watts;
            for (unsigned i = 0; i < s->n; i++)
                s->best_awake[i] = i < j ? s->awake[i] : 0;
        }
        return;
    }
    if (j == s->n)
        return;
    const pn_group *gj = &s->g[j];
    uint64_t enough = (need + gj->capacity - 1) / gj->capacity;
    uint64_t top = enough < gj->count ? enough : gj->count;
    for (uint64_t m = top + 1; m-- > 0 && s->nodes <= PACK_NODE_BUDGET;) {
        uint64_t rest = m * gj->capacity >= need ? 0 : need - m * gj->capacity;
        long double spent = watts + (long double)m * gj->watts;
        if (s->found && !(spent + relaxed_watts(s, j + 1, rest) < s->best)) {
            if (m < top)
                break;
            continue;
        }
        s->awake[j] = m;
        search(s, j + 1, rest, spent);
    }
    s->awake[j] = 0;
}

/* A weighted fleet's bound: the hosts to keep awake whose watts are least
 * among all that hold `guests` (a bounded knapsack). Hosts that take no
 * guest always nap. If the search outgrows PACK_NODE_BUDGET, the share is
 * the relaxation's, still a bound (no packing saves more), and the napping
 * count the best packing found. */
static pn_consolidation least_power(const pn_query *q, uint64_t guests)
{
    pn_group g[PN_MAX_GROUPS];
    uint64_t napping[PN_MAX_GROUPS];
    unsigned n = 0, all = q->ngroups;
    for (unsigned j = 0; j < q->ngroups; j++)
        if (q->groups[j].capacity)
            g[n++] = q->groups[j];
    qsort(g, n, sizeof g[0], power_order);
    for (unsigned j = 0, m = n; j < q->ngroups; j++)
        if (!q->groups[j].capacity)
            g[m++] = q->groups[j];
    pack_search s = {.g = g, .n = n};
    search(&s, 0, guests, 0);
    pn_consolidation c = {.napping = q->hosts};
    for (unsigned j = 0; j < all; j++) {
        uint64_t awake = j < n ? s.best_awake[j] : 0;
        napping[j] = g[j].count - awake;
        c.napping -= awake;
    }
    c.savings_percent = power_share(g, napping, all);
    if (s.nodes > PACK_NODE_BUDGET) {
        long double fleet = 0;
        for (unsigned j = 0; j < all; j++)
            fleet += (long double)g[j].count * g[j].watts;
        c.savings_percent =
            fleet > 0 ? (double)(100 * (fleet - relaxed_watts(&s, 0, guests)) / fleet) : 0;
    }
    return c;
}

pn_consolidation pn_consolidation_of(const pn_query *q, uint64_t guests)
{
    pn_consolidation c = {0};
    if (!q->per_host_bases) {
        uint64_t busy = q->per_host ? (guests + q->per_host - 1) / q->per_host : 0;
        c.napping = q->hosts - busy;
        c.savings_percent = 100.0 * (double)c.napping / (double)q->hosts;
        return c;
    }
    if (q->weighted)
        return least_power(q, guests);
    pn_group g[PN_MAX_GROUPS];
    for (unsigned j = 0; j < q->ngroups; j++)
        g[j] = q->groups[j];
    qsort(g, q->ngroups, sizeof g[0], fill_order);
    uint64_t left = guests;
    for (unsigned j = 0; j < q->ngroups; j++) {
        uint64_t need = g[j].capacity ? (left + g[j].capacity - 1) / g[j].capacity : 0;
        uint64_t used = need < g[j].count ? need : g[j].count;
        left -= used * g[j].capacity < left ? used * g[j].capacity : left;
        c.napping += g[j].count - used;
    }
    c.savings_percent = 100.0 * (double)c.napping / (double)q->hosts;
    return c;
}
