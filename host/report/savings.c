/* SPDX-License-Identifier: GPL-3.0-or-later */
/* savings.c -- the savings a histogram implies: k/h per row or, for a fleet with watts, the napping share of its power. */
#include "report/pn_savings.h"

#include "base/pn_ratio.h"

/* A weighted mixed fleet's histogram: only then do rows need the napping sums. */
static bool power_weighted(const pn_query *q, const pn_histogram *hist)
{
    return q->per_host_bases && q->weighted && hist->groups == q->ngroups;
}

/* out = sum_j watts_j * (napping sum of group j at k, or over every k when
 * all_k), as an exact rational: watts are doubles, exact binary fractions. */
static void napping_power(const pn_query *q, const pn_histogram *hist, uint64_t k, bool all_k,
                          mpq_t out)
{
    mpq_t term;
    mpq_init(term);
    mpq_set_ui(out, 0, 1);
    for (unsigned j = 0; j < q->ngroups; j++) {
        mpq_set_d(term, q->groups[j].watts);
        mpz_t sum;
        mpz_init(sum);
        for (uint64_t i = all_k ? 0 : k; i <= (all_k ? hist->hosts : k); i++)
            mpz_add(sum, sum, pn_histogram_napping(hist, j, i));
        mpz_mul(mpq_numref(term), mpq_numref(term), sum);
        mpq_canonicalize(term);
        mpq_add(out, out, term);
        mpz_clear(sum);
    }
    mpq_clear(term);
}

/* 100 * power / (count * fleet watts), correctly rounded; 0 when count is 0. */
static double share_percent(const pn_query *q, mpq_t power, const mpz_t count)
{
    if (mpz_sgn(count) == 0)
        return 0;
    mpq_t all;
    mpq_init(all);
    for (unsigned j = 0; j < q->ngroups; j++) {
        mpq_t w;
        mpq_init(w);
        mpq_set_d(w, q->groups[j].watts);
        mpz_mul_ui(mpq_numref(w), mpq_numref(w), (unsigned long)q->groups[j].count);
        mpq_canonicalize(w);
        mpq_add(all, all, w);
        mpq_clear(w);
    }
    mpz_mul(mpq_numref(all), mpq_numref(all), count);
    mpq_canonicalize(all);
    mpz_mul_ui(mpq_numref(power), mpq_numref(power), 100);
    mpq_canonicalize(power);
    mpq_div(power, power, all);
    double pct = pn_ratio_to_double(mpq_numref(power), mpq_denref(power));
    mpq_clear(all);
    return pct;
}

double pn_savings_row_percent(const pn_query *q, const pn_histogram *hist, uint64_t k)
{
    /* a row no scenario reaches says nothing of which hosts nap: it counts
     * them as average hosts, k/h, as a fleet without watts does */
    if (!power_weighted(q, hist) || mpz_sgn(hist->bins[k]) == 0)
        return 100.0 * (double)k / (double)q->hosts;
    mpq_t power;
    mpq_init(power);
    napping_power(q, hist, k, false, power);
    double pct = share_percent(q, power, hist->bins[k]);
    mpq_clear(power);
    return pct;
}

double pn_savings_expected_percent(const pn_query *q, const pn_histogram *hist)
{
    if (!power_weighted(q, hist))
        return pn_histogram_expected_percent(hist);
    mpq_t power;
    mpz_t total;
    mpq_init(power);
    mpz_init(total);
    pn_histogram_total(hist, total);
    napping_power(q, hist, 0, true, power);
    double pct = share_percent(q, power, total);
    mpz_clear(total);
    mpq_clear(power);
    return pct;
}

double pn_savings_napping_hosts(const pn_histogram *hist, unsigned j)
{
    mpz_t total, sum, term;
    mpz_inits(total, sum, term, NULL);
    pn_histogram_total(hist, total);
    for (uint64_t k = 0; k <= hist->hosts; k++) {
        if (j == PN_SAVINGS_ALL_GROUPS) {
            mpz_mul_ui(term, hist->bins[k], (unsigned long)k);
            mpz_add(sum, sum, term);
        } else
            mpz_add(sum, sum, pn_histogram_napping(hist, j, k));
    }
    double hosts = pn_ratio_to_double(sum, total);
    mpz_clears(total, sum, term, NULL);
    return hosts;
}

double pn_savings_napping_watts(const pn_query *q, const pn_histogram *hist, double watts)
{
    if (!power_weighted(q, hist))
        return pn_savings_napping_hosts(hist, PN_SAVINGS_ALL_GROUPS) * watts;
    double sum = 0;
    for (unsigned j = 0; j < q->ngroups; j++)
        sum += pn_savings_napping_hosts(hist, j) * q->groups[j].watts;
    return sum;
}
