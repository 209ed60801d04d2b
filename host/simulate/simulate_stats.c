/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate_stats.c -- a simulation's counts turned into estimates with 95% confidence half-widths, by batch means over independent trajectories. */
#include "simulate/pn_simulate_stats.h"

#include <gmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/pn_ratio.h"

/* 97.5% quantiles of Student's t for 1..31 degrees of freedom (PN_SIM_BATCHES - 1). */
static const double T975[] = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
    2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074,
    2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042, 2.040,
};
#define T975_COUNT (sizeof T975 / sizeof T975[0])

double pn_student_t975(unsigned df)
{
    if (df == 0)
        return NAN;
    return df <= T975_COUNT ? T975[df - 1] : 1.960;
}

/* Numerator and denominator of one ratio, per batch. */
typedef struct ratio_parts {
    unsigned batches;
    double num[PN_SIM_BATCHES], den[PN_SIM_BATCHES];
} ratio_parts;

/* The half-width of the ratio estimator R = sum(num) / sum(den): with
 * residuals e_b = num_b - R den_b, se = sqrt(sum e_b^2 / (B (B - 1))) / mean(den). */
static double ratio_ci95(const ratio_parts *p, double scale)
{
    double num = 0, den = 0, sq = 0;
    unsigned n = p->batches;
    for (unsigned b = 0; b < n; b++) {
        num += p->num[b];
        den += p->den[b];
    }
    if (n < 2 || den <= 0)
        return NAN;
    double r = num / den;
    for (unsigned b = 0; b < n; b++) {
        double e = p->num[b] - r * p->den[b];
        sq += e * e;
    }
    return scale * pn_student_t975(n - 1) * sqrt(sq / ((double)n * (n - 1))) / (den / n);
}

static uint64_t cell(const pn_sim_result *r, unsigned b, size_t offset)
{
    return r->cells[b * r->stride + offset];
}

/* num / den as the double nearest the exact ratio (0 when den is 0);
 * unsigned long holds 64 bits here, as everywhere in this project. */
static double exact_ratio(uint64_t num, uint64_t den)
{
    mpz_t n, d;
    mpz_init_set_ui(n, (unsigned long)num);
    mpz_init_set_ui(d, (unsigned long)den);
    double v = pn_ratio_to_double(n, d);
    mpz_clear(n);
    mpz_clear(d);
    return v;
}

/* Probability of k napping hosts among the ticks counted at `base` offsets. */
static pn_sim_estimate probability(const pn_sim_result *r, size_t base, uint64_t k,
                                   uint64_t count, uint64_t total)
{
    ratio_parts p = {.batches = r->batches};
    for (unsigned b = 0; b < r->batches; b++) {
        p.num[b] = (double)cell(r, b, base + k);
        for (uint64_t j = 0; j <= r->hosts; j++)
            p.den[b] += (double)cell(r, b, base + j);
    }
    return (pn_sim_estimate){exact_ratio(count, total), ratio_ci95(&p, 1)};
}

/* Expected napping share in percent of the ticks counted at `base` offsets:
 * 100 * sum k c_k / (hosts * sum c_k), exactly, then the nearest double. */
static pn_sim_estimate expected(const pn_sim_result *r, size_t base)
{
    ratio_parts p = {.batches = r->batches};
    mpz_t num, den;
    mpz_init(num);
    mpz_init(den);
    for (unsigned b = 0; b < r->batches; b++)
        for (uint64_t k = 0; k <= r->hosts; k++) {
            uint64_t c = cell(r, b, base + k);
            mpz_add_ui(den, den, (unsigned long)c);
            p.num[b] += (double)k * (double)c;
            p.den[b] += (double)r->hosts * (double)c;
        }
    for (uint64_t k = 1; k <= r->hosts; k++) {
        mpz_t c;
        mpz_init_set_ui(c, (unsigned long)pn_sim_result_total(r, base + k));
        mpz_addmul_ui(num, c, (unsigned long)k);
        mpz_clear(c);
    }
    mpz_mul_ui(num, num, 100);
    mpz_mul_ui(den, den, (unsigned long)r->hosts);
    double v = mpz_sgn(den) ? pn_ratio_to_double(num, den) : 0;
    mpz_clear(num);
    mpz_clear(den);
    return (pn_sim_estimate){v, ratio_ci95(&p, 100)};
}

/* Share of the observed time spent at exactly the query's guests. */
static pn_sim_estimate time_at_guests(const pn_sim_result *r, uint64_t reported,
                                      uint64_t observed)
{
    ratio_parts p = {.batches = r->batches};
    for (unsigned b = 0; b < r->batches; b++)
        for (uint64_t k = 0; k <= r->hosts; k++) {
            p.num[b] += (double)cell(r, b, PN_SIM_AT(r->hosts, k));
            p.den[b] += (double)cell(r, b, PN_SIM_ALL(r->hosts, k));
        }
    return (pn_sim_estimate){exact_ratio(reported, observed), ratio_ci95(&p, 1)};
}

/* Wake-ups per host per mean lifetime: a tick lasts 1/rate lifetimes. */
static pn_sim_estimate wakeups_per_host(const pn_sim_query *q, const pn_sim_result *r,
                                        uint64_t wakeups, uint64_t observed)
{
    ratio_parts p = {.batches = r->batches};
    double scale = q->rate / (double)q->hosts;
    for (unsigned b = 0; b < r->batches; b++) {
        p.num[b] = (double)cell(r, b, PN_SIM_WAKEUPS(r->hosts));
        for (uint64_t k = 0; k <= r->hosts; k++)
            p.den[b] += (double)cell(r, b, PN_SIM_ALL(r->hosts, k));
    }
    double v = observed ? (double)wakeups / (double)observed * scale : 0;
    return (pn_sim_estimate){v, ratio_ci95(&p, scale)};
}

void pn_sim_summary_clear(pn_sim_summary *s)
{
    free(s->counts);
    free(s->all_counts);
    free(s->probability);
    memset(s, 0, sizeof *s);
}

pn_status pn_sim_summarize(const pn_sim_query *q, const pn_sim_result *r, pn_sim_summary *s,
                           pn_error *err)
{
    memset(s, 0, sizeof *s);
    size_t n = (size_t)r->hosts + 1;
    s->hosts = r->hosts;
    s->counts = calloc(n, sizeof *s->counts);
    s->all_counts = calloc(n, sizeof *s->all_counts);
    s->probability = calloc(n, sizeof *s->probability);
    if (!s->counts || !s->all_counts || !s->probability) {
        pn_sim_summary_clear(s);
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the simulation's summary");
    }
    size_t base = q->has_guests ? PN_SIM_AT(r->hosts, 0) : PN_SIM_ALL(r->hosts, 0);
    for (uint64_t k = 0; k < n; k++) {
        s->counts[k] = pn_sim_result_total(r, base + k);
        s->all_counts[k] = pn_sim_result_total(r, PN_SIM_ALL(r->hosts, k));
        s->reported += s->counts[k];
        s->observed += s->all_counts[k];
    }
    s->wakeups = pn_sim_result_total(r, PN_SIM_WAKEUPS(r->hosts));
    if (s->reported == 0) {
        pn_sim_summary_clear(s);
        return pn_fail(err, PN_ERR_USAGE, "the simulated cloud never held exactly %llu guests; "
                       "choose --load nearer to it, or more --ticks or --trajectories",
                       (unsigned long long)q->guests);
    }
    for (uint64_t k = 0; k < n; k++)
        s->probability[k] = probability(r, base, k, s->counts[k], s->reported);
    s->expected = expected(r, base);
    s->all_expected = expected(r, PN_SIM_ALL(r->hosts, 0));
    s->time_at_guests = time_at_guests(r, s->reported, s->observed);
    s->wakeups_per_host = wakeups_per_host(q, r, s->wakeups, s->observed);
    return PN_OK;
}
