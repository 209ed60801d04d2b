/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dp_fixture.h -- independent counts of scenarios for the tests: plain DPs over hosts, one host at a time, sharing no code with the engines. */
#ifndef PN_TEST_DP_FIXTURE_H
#define PN_TEST_DP_FIXTURE_H

#include <criterion/criterion.h>
#include <gmp.h>
#include <stdlib.h>

#include "question/pn_histogram.h"
#include "question/pn_query.h"

/* The table the DP carries: for guest sum s <= cap and empty hosts z <= hosts,
 * the weighted count and, per group j, the weighted sum of group j's empty hosts. */
typedef struct dp_table {
    uint64_t cap, hosts;
    unsigned groups;
    mpz_t *count; /* (cap+1)*(hosts+1) */
    mpz_t *nap;   /* groups*(cap+1)*(hosts+1) */
} dp_table;

static inline void dp_init(dp_table *t, uint64_t cap, uint64_t hosts, unsigned groups)
{
    *t = (dp_table){.cap = cap, .hosts = hosts, .groups = groups};
    size_t cells = (size_t)((cap + 1) * (hosts + 1));
    t->count = malloc(cells * sizeof *t->count);
    t->nap = malloc(cells * groups * sizeof *t->nap);
    for (size_t i = 0; i < cells; i++)
        mpz_init(t->count[i]);
    for (size_t i = 0; i < cells * groups; i++)
        mpz_init(t->nap[i]);
}

static inline void dp_clear(dp_table *t)
{
    size_t cells = (size_t)((t->cap + 1) * (t->hosts + 1));
    for (size_t i = 0; i < cells; i++)
        mpz_clear(t->count[i]);
    for (size_t i = 0; i < cells * t->groups; i++)
        mpz_clear(t->nap[i]);
    free(t->count);
    free(t->nap);
}

/* Fills hist (initialised by the caller for q) with q's counts at g guests:
 * hosts are added one by one, each taking 0..c guests with weight 1
 * (uniform) or C(c, x) (slots); an empty one adds to z and to its group's
 * napping sum. Nothing here shares code with the engines. */
static inline void fleet_dp(const pn_query *q, uint64_t g, pn_histogram *hist)
{
    pn_group one = {.count = q->hosts, .capacity = q->per_host};
    const pn_group *groups = q->ngroups >= 2 ? q->groups : &one;
    unsigned n = q->ngroups >= 2 ? q->ngroups : 1;
    dp_table t, next;
    dp_init(&t, g, q->hosts, n);
    mpz_set_ui(t.count[0], 1);
    mpz_t w, term;
    mpz_inits(w, term, NULL);
    for (unsigned j = 0; j < n; j++)
        for (uint64_t host = 0; host < groups[j].count; host++) {
            dp_init(&next, g, q->hosts, n);
            for (uint64_t s = 0; s <= g; s++)
                for (uint64_t z = 0; z < q->hosts; z++) {
                    size_t from = (size_t)(s * (q->hosts + 1) + z);
                    for (uint64_t x = 0; x <= groups[j].capacity && s + x <= g; x++) {
                        if (q->model == PN_MODEL_SLOTS)
                            mpz_bin_uiui(w, groups[j].capacity, x);
                        else
                            mpz_set_ui(w, 1);
                        size_t to = (size_t)((s + x) * (q->hosts + 1) + z + (x == 0));
                        mpz_addmul(next.count[to], t.count[from], w);
                        size_t cells = (size_t)((g + 1) * (q->hosts + 1));
                        for (unsigned i = 0; i < n; i++) {
                            mpz_addmul(next.nap[i * cells + to], t.nap[i * cells + from], w);
                            if (i == j && x == 0)
                                mpz_addmul(next.nap[i * cells + to], t.count[from], w);
                        }
                    }
                }
            dp_clear(&t);
            t = next;
        }
    size_t cells = (size_t)((g + 1) * (q->hosts + 1));
    for (uint64_t z = 0; z <= q->hosts; z++) {
        mpz_set(hist->bins[z], t.count[g * (q->hosts + 1) + z]);
        for (unsigned i = 0; i < hist->groups; i++)
            mpz_set(pn_histogram_napping(hist, i, z), t.nap[i * cells + g * (q->hosts + 1) + z]);
    }
    mpz_clears(w, term, NULL);
    dp_clear(&t);
}

/* hist, some engine's count of q at q's guests, has the DP's bins and
 * napping sums; `what` names the engine. */
static inline void assert_matches_dp(const pn_histogram *hist, const pn_query *q,
                                     const char *what)
{
    pn_histogram want;
    pn_error err;
    cr_assert_eq(pn_histogram_init_query(&want, q, &err), PN_OK);
    fleet_dp(q, q->guests, &want);
    cr_assert(pn_histogram_equal(hist, &want), "%s differs from the DP at %llu guests (%s)",
              what, (unsigned long long)q->guests, pn_model_name(q->model));
    pn_histogram_clear(&want);
}

/* Vectors in {0..p}^r with sum g, for r = 0..h, by the plain dynamic program
 * over hosts with a sliding window sum: out[r] (h + 1 of them, initialised
 * by the caller) = the count for r hosts, the uniform model's total weight. */
static inline void uniform_counts_dp(uint64_t h, uint64_t p, uint64_t g, mpz_t *out)
{
    mpz_t *row = malloc((g + 1) * sizeof *row), *next = malloc((g + 1) * sizeof *next);
    mpz_t window;
    cr_assert(row && next);
    mpz_init(window);
    for (uint64_t s = 0; s <= g; s++) {
        mpz_init_set_ui(row[s], s == 0);
        mpz_init(next[s]);
    }
    mpz_set(out[0], row[g]);
    for (uint64_t r = 1; r <= h; r++) {
        mpz_set_ui(window, 0);
        for (uint64_t s = 0; s <= g; s++) {
            mpz_add(window, window, row[s]);
            if (s > p)
                mpz_sub(window, window, row[s - p - 1]);
            mpz_set(next[s], window);
        }
        mpz_t *tmp = row;
        row = next;
        next = tmp;
        mpz_set(out[r], row[g]);
    }
    for (uint64_t s = 0; s <= g; s++)
        mpz_clears(row[s], next[s], NULL);
    mpz_clear(window);
    free(row);
    free(next);
}

#endif
