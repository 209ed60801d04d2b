/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_histogram.h -- exact counts of scenarios by number of empty (napping) hosts. */
#ifndef PN_HISTOGRAM_H
#define PN_HISTOGRAM_H

#include <gmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "question/pn_query.h"
#include "base/pn_status.h"

/* bins[k] is the number of scenarios (weighted by the model) in which exactly
 * k of the hosts run no guest, for k = 0..hosts. Counts are GMP integers so
 * every engine, the exact one included, hands the report the same type and
 * no count ever passes through a double. */
typedef struct pn_histogram {
    uint64_t hosts;
    mpz_t *bins; /* hosts + 1 entries */
    /* A mixed fleet's groups (0 otherwise) and, for each group j and each k,
     * napping[j*(hosts+1) + k]: the sum over the scenarios with k napping
     * hosts of weight * (napping hosts of group j). Divided by bins[k] it is
     * the expected napping hosts of group j given k; it is what turns a row
     * into a share of the fleet's power. */
    unsigned groups;
    mpz_t *napping;
} pn_histogram;

/* Allocates hosts+1 zeroed bins. PN_ERR_NOMEM on failure (h is then left
 * safe to pn_histogram_clear). */
pn_status pn_histogram_init(pn_histogram *hist, uint64_t hosts, pn_error *err);

/* The histogram an engine fills for q: q->hosts bins, and napping sums for
 * each group of a mixed fleet (q->per_host_bases). */
pn_status pn_histogram_init_query(pn_histogram *hist, const pn_query *q, pn_error *err);

/* One histogram per level of the resolved q (q->levels.n of them), each as
 * pn_histogram_init_query makes it, into *out; free with pn_histograms_free.
 * On failure *out is NULL. */
pn_status pn_histograms_init(pn_histogram **out, const pn_query *q, pn_error *err);

/* Clears and frees n histograms made by pn_histograms_init; safe on NULL. */
void pn_histograms_free(pn_histogram *hists, size_t n);

/* The napping sum of group j at k napping hosts (hist->groups > j). */
static inline mpz_ptr pn_histogram_napping(const pn_histogram *hist, unsigned j, uint64_t k)
{
    return hist->napping[(uint64_t)j * (hist->hosts + 1) + k];
}

/* Frees the bins; safe on a zeroed or already cleared histogram. */
void pn_histogram_clear(pn_histogram *hist);

/* Adds counts[k] to bins[k] for k = 0..hosts (counts has hosts+1 entries);
 * the napping sums are the caller's to fill. */
void pn_histogram_add_u64(pn_histogram *hist, const uint64_t *counts);

/* Adds other's bins (and napping sums, when both have the same groups)
 * into hist; both must have the same number of hosts. */
void pn_histogram_add(pn_histogram *hist, const pn_histogram *other);

/* Sets total to the sum of all bins. */
void pn_histogram_total(const pn_histogram *hist, mpz_t total);

/* True when both have the same hosts and groups, identical bins and
 * identical napping sums. */
bool pn_histogram_equal(const pn_histogram *a, const pn_histogram *b);

/* Probability of bin k (0..1): the correctly rounded double of the exact
 * bins[k]/total (pn_ratio_to_double); 0 when the total is 0. */
double pn_histogram_probability(const pn_histogram *hist, const mpz_t total, uint64_t k);

/* Probability of bin k, in percent (0..100): the correctly rounded double of
 * the exact 100*bins[k]/total, where total is pn_histogram_total's answer (passed in so a
 * report over many bins sums them once); 0 when the total is 0. */
double pn_histogram_percent(const pn_histogram *hist, const mpz_t total, uint64_t k);

/* Expected fraction of hosts napping, in percent: the correctly rounded
 * double of the exact 100 * sum k*bins[k] / (h*total); 0 when the total is 0. */
double pn_histogram_expected_percent(const pn_histogram *hist);

#endif
