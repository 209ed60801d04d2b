/* consolidation.c -- the packing bound: the hosts a perfect scheduler would leave empty, largest hosts filled first. */
#include "report/pn_consolidation.h"

#include <gmp.h>
#include <stdlib.h>

#include "base/pn_ratio.h"

/* Largest capacity first; among equals, fewest watts first. */
static int fill_order(const void *a, const void *b)
{
    const pn_group *x = a, *y = b;
    if (x->capacity != y->capacity)
        return x->capacity < y->capacity ? 1 : -1;
    return (x->watts > y->watts) - (x->watts < y->watts);
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

pn_consolidation pn_consolidation_of(const pn_query *q, uint64_t guests)
{
    pn_consolidation c = {0};
    if (!q->per_host_bases) {
        uint64_t busy = q->per_host ? (guests + q->per_host - 1) / q->per_host : 0;
        c.napping = q->hosts - busy;
        c.savings_percent = 100.0 * (double)c.napping / (double)q->hosts;
        return c;
    }
    pn_group g[PN_MAX_GROUPS];
    uint64_t napping[PN_MAX_GROUPS];
    for (unsigned j = 0; j < q->ngroups; j++)
        g[j] = q->groups[j];
    qsort(g, q->ngroups, sizeof g[0], fill_order);
    uint64_t left = guests;
    for (unsigned j = 0; j < q->ngroups; j++) {
        uint64_t need = g[j].capacity ? (left + g[j].capacity - 1) / g[j].capacity : 0;
        uint64_t used = need < g[j].count ? need : g[j].count;
        left -= used * g[j].capacity < left ? used * g[j].capacity : left;
        napping[j] = g[j].count - used;
        c.napping += napping[j];
    }
    c.savings_percent = q->weighted ? power_share(g, napping, q->ngroups)
                                    : 100.0 * (double)c.napping / (double)q->hosts;
    return c;
}
