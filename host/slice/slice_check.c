/* SPDX-License-Identifier: GPL-3.0-or-later */
/* slice_check.c -- a slice or ledger document's counts checked against its question: possible, summed as stated, and exactly those of its ranges. */
#include "slice_doc.h"

#include <stdio.h>

#include "engine/pn_exact_range.h"

/* Scenarios the document covers: its ranges added up. */
static uint64_t covered(const doc *d)
{
    uint64_t n = 0;
    for (size_t i = 0; i < d->nranges; i++)
        n += d->ranges[i].count;
    return n;
}

/* Level i's counts (shapes checked: hosts+1 of them). */
static mpz_t *level_counts(const doc *d, const pn_query *q, size_t i)
{
    return d->counts.item + i * (q->hosts + 1);
}

/* Level i's napping sums of group j. */
static mpz_t *level_napping(const doc *d, const pn_query *q, size_t i, unsigned j)
{
    return d->napping.item + (i * q->ngroups + j) * (q->hosts + 1);
}

/* "counts[k]", or "counts[i][k]" in a document with levels. */
static void name_count(char *buf, size_t len, const pn_query *q, size_t i, uint64_t k)
{
    if (q->levels.listed)
        snprintf(buf, len, "counts[%zu][%llu]", i, (unsigned long long)k);
    else
        snprintf(buf, len, "counts[%llu]", (unsigned long long)k);
}

/* The most guests m hosts of q can run: the m largest capacities together
 * (m*p in a homogeneous cloud). */
static uint64_t most_guests_on(const pn_query *q, uint64_t m)
{
    bool used[PN_MAX_GROUPS] = {false};
    uint64_t total = 0;
    while (m > 0) {
        unsigned best = q->ngroups;
        for (unsigned j = 0; j < q->ngroups; j++)
            if (!used[j] &&
                (best == q->ngroups || q->groups[j].capacity > q->groups[best].capacity))
                best = j;
        if (best == q->ngroups)
            break;
        uint64_t take = m < q->groups[best].count ? m : q->groups[best].count;
        total += take * q->groups[best].capacity;
        m -= take;
        used[best] = true;
    }
    return total;
}

/* Level i's counts are possible: k napping hosts leave m = h-k hosts with
 * at least one guest each, so bins with m > g, or with more guests than
 * those m hosts can run, are empty; all counts together are at most the
 * scenarios covered (uniform: one each) or, for slots, at most the total
 * weight C(capacity, g), which an enumerating engine keeps below 2^64; and
 * "scenarios", when present, is their sum. */
static pn_status check_level(const doc *d, const pn_query *q, size_t i, mpz_t sum)
{
    pn_query one = pn_query_level(q, i);
    mpz_t *counts = level_counts(d, q, i);
    char place[64];
    mpz_set_ui(sum, 0);
    for (uint64_t k = 0; k <= q->hosts; k++) {
        uint64_t m = q->hosts - k;
        name_count(place, sizeof place, q, i, k);
        if (mpz_sgn(counts[k]) != 0 && (m > one.guests || most_guests_on(q, m) < one.guests))
            return fail_key(d, PN_KEY_COUNTS, "%s is not 0, yet no scenario has %llu "
                            "napping hosts", place, (unsigned long long)k);
        mpz_add(sum, sum, counts[k]);
    }
    uint64_t scenarios = covered(d);
    bool too_many = mpz_cmp_ui(sum, (unsigned long)scenarios) > 0;
    if (q->model == PN_MODEL_SLOTS) {
        if (!one.weights_fit)
            return fail_key(d, PN_KEY_GUESTS, "the slots model's total weight is 2^64 "
                            "or more, which no enumerating engine slices");
        mpz_t total;
        mpz_init(total);
        mpz_bin_uiui(total, (unsigned long)pn_query_capacity(q), (unsigned long)one.guests);
        too_many = mpz_cmp(sum, total) > 0 || (scenarios == 0 && mpz_sgn(sum) != 0);
        mpz_clear(total);
    }
    if (too_many)
        return fail_key(d, PN_KEY_COUNTS, "counts add up to more than the slice can hold");
    const mpz_t *stated = d->scenarios_listed ? &d->level_scenarios.item[i] : &d->scenarios;
    if ((d->seen & BIT(PN_KEY_SCENARIOS)) && mpz_cmp(sum, *stated) != 0)
        return fail_key(d, PN_KEY_SCENARIOS, "scenarios is not the sum of counts");
    return PN_OK;
}

/* A mixed fleet's napping sums at level i agree with its counts: at k
 * napping hosts the groups' sums add up to k times the count, and group j,
 * of n_j hosts, adds at most min(k, n_j) times it. */
static pn_status check_napping(const doc *d, const pn_query *q, size_t i)
{
    mpz_t *counts = level_counts(d, q, i);
    mpz_t sum, most;
    mpz_inits(sum, most, NULL);
    pn_status st = PN_OK;
    for (uint64_t k = 0; st == PN_OK && k <= q->hosts; k++) {
        mpz_set_ui(sum, 0);
        for (unsigned j = 0; st == PN_OK && j < q->ngroups; j++) {
            mpz_srcptr nap = level_napping(d, q, i, j)[k];
            uint64_t n = q->groups[j].count < k ? q->groups[j].count : k;
            mpz_mul_ui(most, counts[k], (unsigned long)n);
            if (mpz_cmp(nap, most) > 0)
                st = fail_key(d, PN_KEY_NAPPING_SUMS, "napping_sums[%zu][%llu] is more "
                              "than group %u's hosts can nap",
                              i * q->ngroups + j, (unsigned long long)k, j + 1);
            mpz_add(sum, sum, nap);
        }
        mpz_mul_ui(most, counts[k], (unsigned long)k);
        if (st == PN_OK && mpz_cmp(sum, most) != 0)
            st = fail_key(d, PN_KEY_NAPPING_SUMS, "napping_sums at %llu napping hosts "
                          "do not add up to %llu times the count",
                          (unsigned long long)k, (unsigned long long)k);
    }
    mpz_clears(sum, most, NULL);
    return st;
}

/* Level i's counts (and napping sums) against the exact ones in want. */
static pn_status compare_level(const doc *d, const pn_query *q, size_t i, const pn_histogram *want)
{
    mpz_t *counts = level_counts(d, q, i);
    char place[64];
    for (uint64_t k = 0; k <= q->hosts; k++) {
        bool same = mpz_cmp(want->bins[k], counts[k]) == 0;
        for (unsigned j = 0; same && j < want->groups; j++)
            same = mpz_cmp(pn_histogram_napping(want, j, k), level_napping(d, q, i, j)[k]) == 0;
        if (same)
            continue;
        name_count(place, sizeof place, q, i, k);
        if (d->seen & BIT(PN_KEY_LEDGER))
            return fail_key(d, PN_KEY_COUNTS, "%s is not what the ledger's %zu ranges "
                            "hold (the exact count differs): they could not belong to "
                            "its ranges", place, d->nranges);
        return fail_key(d, PN_KEY_COUNTS, "%s is not what scenarios [%llu, %llu) hold "
                        "(the exact count differs): forged or from another run", place,
                        (unsigned long long)d->range.first,
                        (unsigned long long)(d->range.first + d->range.count));
    }
    return PN_OK;
}

/* The counts are exactly those of the ranges: the exact engine counts every
 * range without enumerating it (pn_exact_range_count), so a count edited by
 * hand, or a slice run with another question, cannot pass. */
static pn_status check_exact(const doc *d, const pn_query *q)
{
    pn_histogram *want = NULL;
    pn_status st = pn_histograms_init(&want, q, d->err);
    for (size_t r = 0; st == PN_OK && r < d->nranges; r++)
        st = pn_exact_range_count(q, d->ranges[r].first, d->ranges[r].count, want, d->err);
    for (size_t i = 0; st == PN_OK && i < q->levels.n; i++)
        st = compare_level(d, q, i, &want[i]);
    pn_histograms_free(want, want ? q->levels.n : 0);
    return st;
}

pn_status pn_slice_doc_check_counts(const doc *d, const pn_query *q)
{
    mpz_t sum;
    mpz_init(sum);
    pn_status st = PN_OK;
    for (size_t i = 0; st == PN_OK && i < q->levels.n; i++)
        st = check_level(d, q, i, sum);
    for (size_t i = 0; st == PN_OK && q->per_host_bases && i < q->levels.n; i++)
        st = check_napping(d, q, i);
    mpz_clear(sum);
    return st == PN_OK ? check_exact(d, q) : st;
}
