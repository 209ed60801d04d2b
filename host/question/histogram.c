/* SPDX-License-Identifier: GPL-3.0-or-later */
/* histogram.c -- exact GMP counts by number of napping hosts, and the ratios drawn from them. */
#include "question/pn_histogram.h"

#include "base/pn_ratio.h"

#include <stdlib.h>

/* n zeroed GMP integers, or NULL. */
static mpz_t *zeroed(uint64_t n)
{
    mpz_t *v = malloc((size_t)n * sizeof *v);
    for (uint64_t i = 0; v && i < n; i++)
        mpz_init(v[i]);
    return v;
}

/* pn_histogram_init, plus groups*(hosts+1) zeroed napping sums. */
static pn_status init_groups(pn_histogram *hist, uint64_t hosts, unsigned groups,
                                   pn_error *err)
{
    pn_status st = pn_histogram_init(hist, hosts, err);
    if (st != PN_OK || groups == 0)
        return st;
    hist->napping = zeroed((uint64_t)groups * (hosts + 1));
    if (!hist->napping) {
        pn_histogram_clear(hist);
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the napping sums of %u groups",
                       groups);
    }
    hist->groups = groups;
    return PN_OK;
}

pn_status pn_histogram_init_query(pn_histogram *hist, const pn_query *q, pn_error *err)
{
    return init_groups(hist, q->hosts, q->per_host_bases ? q->ngroups : 0, err);
}

pn_status pn_histograms_init(pn_histogram **out, const pn_query *q, pn_error *err)
{
    size_t n = q->levels.n;
    pn_histogram *hists = calloc(n, sizeof *hists);
    *out = NULL;
    if (!hists)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for %zu histograms", n);
    for (size_t i = 0; i < n; i++) {
        pn_status st = pn_histogram_init_query(&hists[i], q, err);
        if (st != PN_OK) {
            pn_histograms_free(hists, i);
            return st;
        }
    }
    *out = hists;
    return PN_OK;
}

void pn_histograms_free(pn_histogram *hists, size_t n)
{
    for (size_t i = 0; hists && i < n; i++)
        pn_histogram_clear(&hists[i]);
    free(hists);
}

pn_status pn_histogram_init(pn_histogram *hist, uint64_t hosts, pn_error *err)
{
    hist->hosts = hosts;
    hist->groups = 0;
    hist->napping = NULL;
    hist->bins = malloc((size_t)(hosts + 1) * sizeof *hist->bins);
    if (!hist->bins)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a histogram of %llu hosts",
                       (unsigned long long)hosts);
    for (uint64_t k = 0; k <= hosts; k++)
        mpz_init(hist->bins[k]);
    return PN_OK;
}

void pn_histogram_clear(pn_histogram *hist)
{
    for (uint64_t i = 0; hist->napping && i < (uint64_t)hist->groups * (hist->hosts + 1); i++)
        mpz_clear(hist->napping[i]);
    free(hist->napping);
    hist->napping = NULL;
    hist->groups = 0;
    if (!hist->bins)
        return;
    for (uint64_t k = 0; k <= hist->hosts; k++)
        mpz_clear(hist->bins[k]);
    free(hist->bins);
    hist->bins = NULL;
}

/* mpz_add_ui takes an unsigned long, which is 64 bits on every platform we
 * build for (LP64); the static assert keeps it that way. */
_Static_assert(sizeof(unsigned long) >= sizeof(uint64_t), "unsigned long must hold uint64_t");

void pn_histogram_add_u64(pn_histogram *hist, const uint64_t *counts)
{
    for (uint64_t k = 0; k <= hist->hosts; k++)
        if (counts[k])
            mpz_add_ui(hist->bins[k], hist->bins[k], (unsigned long)counts[k]);
}

void pn_histogram_add(pn_histogram *hist, const pn_histogram *other)
{
    for (uint64_t k = 0; k <= hist->hosts && k <= other->hosts; k++)
        mpz_add(hist->bins[k], hist->bins[k], other->bins[k]);
    if (hist->groups != other->groups || hist->hosts != other->hosts)
        return;
    for (uint64_t i = 0; i < (uint64_t)hist->groups * (hist->hosts + 1); i++)
        mpz_add(hist->napping[i], hist->napping[i], other->napping[i]);
}

void pn_histogram_total(const pn_histogram *hist, mpz_t total)
{
    mpz_set_ui(total, 0);
    for (uint64_t k = 0; k <= hist->hosts; k++)
        mpz_add(total, total, hist->bins[k]);
}

bool pn_histogram_equal(const pn_histogram *a, const pn_histogram *b)
{
    if (a->hosts != b->hosts || a->groups != b->groups)
        return false;
    for (uint64_t k = 0; k <= a->hosts; k++)
        if (mpz_cmp(a->bins[k], b->bins[k]) != 0)
            return false;
    for (uint64_t i = 0; i < (uint64_t)a->groups * (a->hosts + 1); i++)
        if (mpz_cmp(a->napping[i], b->napping[i]) != 0)
            return false;
    return true;
}

double pn_histogram_probability(const pn_histogram *hist, const mpz_t total, uint64_t k)
{
    return pn_ratio_to_double(hist->bins[k], total);
}

double pn_histogram_percent(const pn_histogram *hist, const mpz_t total, uint64_t k)
{
    mpz_t scaled;
    mpz_init(scaled);
    mpz_mul_ui(scaled, hist->bins[k], 100);
    double pct = pn_ratio_to_double(scaled, total);
    mpz_clear(scaled);
    return pct;
}

double pn_histogram_expected_percent(const pn_histogram *hist)
{
    mpz_t total, weighted, term;
    mpz_inits(total, weighted, term, NULL);
    pn_histogram_total(hist, total);
    for (uint64_t k = 1; k <= hist->hosts; k++) {
        mpz_mul_ui(term, hist->bins[k], (unsigned long)k);
        mpz_add(weighted, weighted, term);
    }
    mpz_mul_ui(weighted, weighted, 100);
    mpz_mul_ui(total, total, (unsigned long)hist->hosts);
    double pct = pn_ratio_to_double(weighted, total);
    mpz_clears(total, weighted, term, NULL);
    return pct;
}
