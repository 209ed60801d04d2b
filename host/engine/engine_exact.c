/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_exact.c -- exact counting with GMP, never enumerating: inclusion-exclusion sums for a homogeneous cloud, generating functions for fleets and sweeps. */
#include "engine/pn_engine.h"
#include "base/pn_duration.h"
#include "engine/pn_exact_cost.h"
#include "engine/pn_exact_gf.h"

#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* How it counts.
 *
 * Choose which k hosts are empty (C(h,k) ways); the other m = h-k hosts must
 * all be non-empty. So bins[k] = C(h,k) * N(m), where N(m) counts (with the
 * model's weight) the ways to put g guests on m hosts leaving none empty.
 *
 * UNIFORM: N(m) is the number of compositions of g into m parts in 1..p.
 * Inclusion-exclusion over the j parts forced above p gives
 *     N(m) = sum_j (-1)^j C(m,j) C(g-jp-1, m-1).
 * SLOTS: a host with x guests weighs C(p,x); allowing only i chosen hosts to
 * be non-empty gives C(ip, g) slot sets, and inclusion-exclusion gives
 *     N(m) = sum_i (-1)^(m-i) C(m,i) C(ip, g).
 *
 * Both sums run with the index j (or i) outside and m inside, so each term
 * follows from the previous one by one small multiplication and one exact
 * division instead of fresh binomials. N(m) is 0 unless every busy host can
 * hold one guest and all busy hosts can hold g (m <= g <= mp), so m runs over
 * [ceil(g/p), min(h, g)] only. Progress is counted in terms of these sums,
 * plus one unit per bin of the final C(h,k) N(h-k) step. */

/* unsigned long carries our 64-bit factors into mpz_*_ui (LP64). */
_Static_assert(sizeof(unsigned long) >= sizeof(uint64_t), "unsigned long must hold uint64_t");

/* Terms between two looks at the clock for progress. The cancel flag is read
 * after every term: a term on million-digit numbers takes milliseconds, so
 * counting terms between looks (as this once did, every 256) let Ctrl-C wait
 * for half a minute. */
#define EXACT_CLOCK_EVERY 16u
/* Seconds between two progress callbacks. */
#define EXACT_REPORT_SECONDS 0.1

/* One run's bookkeeping: the query, its run, and how much work is done.
 * Work is counted in 64-bit words of the terms, not in terms: late terms
 * are far longer than early ones, so a count of terms made the ETA 2-5x too
 * low. The total is pn_exact_cost_estimate's, done the real sizes. */
typedef struct exact_ctx {
    const pn_query *q;
    pn_run *run;
    uint64_t m_lo;  /* ceil(g/p): fewest busy hosts that can hold g guests */
    uint64_t m_hi;  /* min(h, g): most busy hosts g guests can keep busy */
    uint64_t terms; /* terms added so far */
    uint64_t total; /* estimated words in the whole run */
    uint64_t done;  /* words of the terms added so far */
    double start, last_report;
} exact_ctx;

/* Called after every term t: counts it and its words, looks at the cancel
 * flag (PN_ERR_INTERRUPTED, saying how far it got) and, at most every
 * EXACT_REPORT_SECONDS, hands the progress callback done/total words. */
static pn_status term_done(exact_ctx *c, const mpz_t t, pn_error *err)
{
    c->terms++;
    c->done += mpz_size(t) + 1;
    if (c->done > c->total) /* the estimate was low: never report past 100% */
        c->total = c->done;
    const pn_progress *pr = &c->run->progress;
    if (pr->cancel && *pr->cancel)
        return pn_fail(err, PN_ERR_INTERRUPTED,
                       "interrupted after %llu terms of the exact sum (about %.0f%% of the work)",
                       (unsigned long long)c->terms, 100.0 * (double)c->done / (double)c->total);
    if (!pr->update || c->terms % EXACT_CLOCK_EVERY != 0)
        return PN_OK;
    double now = pn_now_seconds();
    if (now - c->last_report < EXACT_REPORT_SECONDS)
        return PN_OK;
    c->last_report = now;
    pn_progress_report r = {.unit = "words", .internal = true, .done = c->done,
                            .total = c->total,
                            .rate = (double)c->done / (now - c->start + 1e-9)};
    pr->update(pr->ctx, &r);
    return PN_OK;
}

/* acc += t, or acc -= t when negative: the alternating signs of
 * inclusion-exclusion. */
static void add_signed(mpz_t acc, const mpz_t t, bool negative)
{
    if (negative)
        mpz_sub(acc, acc, t);
    else
        mpz_add(acc, acc, t);
}

/* Adds row j of the uniform sum into N: N[m] += (-1)^j C(m,j) C(n, m-1) with
 * n = g-jp-1, for m in the row's bounds. t is scratch. Stepping m to m+1
 * multiplies by (m+1)(n-m+1) and divides by (m+1-j)m; each factor pair fits
 * in 64 bits (m+1 <= 10^6+1, n-m+1 <= g <= 10^12) and each division is
 * exact because the quotient is again a product of two binomials. */
static pn_status uniform_row(exact_ctx *c, uint64_t j, uint64_t lo, uint64_t hi,
                             mpz_t *N, mpz_t t, pn_error *err)
{
    uint64_t n = c->q->guests - j * c->q->per_host - 1;
    mpz_t b;
    mpz_init(b);
    mpz_bin_uiui(t, (unsigned long)lo, (unsigned long)j);
    mpz_bin_uiui(b, (unsigned long)n, (unsigned long)(lo - 1));
    mpz_mul(t, t, b);
    mpz_clear(b);
    for (uint64_t m = lo; m <= hi; m++) {
        add_signed(N[m], t, j % 2 == 1);
        pn_status st = term_done(c, t, err);
        if (st != PN_OK)
            return st;
        if (m == hi)
            break;
        mpz_mul_ui(t, t, (unsigned long)((m + 1) * (n - m + 1)));
        mpz_divexact_ui(t, t, (unsigned long)((m + 1 - j) * m));
    }
    return PN_OK;
}

/* Fills N[m] (m = 0..h, all zero on entry) for the uniform model; g, p >= 1. */
static pn_status count_uniform(exact_ctx *c, mpz_t *N, pn_error *err)
{
    pn_status st = PN_OK;
    uint64_t lo, hi;
    mpz_t t;
    mpz_init(t);
    pn_exact_shape shape = {c->m_lo, c->m_hi};
    for (uint64_t j = 0; st == PN_OK && pn_exact_uniform_row(c->q, &shape, j, &lo, &hi); j++)
        st = uniform_row(c, j, lo, hi, N, t, err);
    mpz_clear(t);
    return st;
}

/* Adds row i of the slots sum into N: N[m] += (-1)^(m-i) C(m,i) a for
 * m = i..m_hi, where a = C(ip, g). t is scratch. C(m+1,i) = C(m,i)(m+1)/(m+1-i)
 * and the division of t = C(m,i) a by m+1-i is exact for the same reason. */
static pn_status slots_row(exact_ctx *c, uint64_t i, const mpz_t a, mpz_t *N, mpz_t t,
                           pn_error *err)
{
    mpz_set(t, a);
    for (uint64_t m = i; m <= c->m_hi; m++) {
        add_signed(N[m], t, (m - i) % 2 == 1);
        pn_status st = term_done(c, t, err);
        if (st != PN_OK)
            return st;
        if (m == c->m_hi)
            break;
        mpz_mul_ui(t, t, (unsigned long)(m + 1));
        mpz_divexact_ui(t, t, (unsigned long)(m + 1 - i));
    }
    return PN_OK;
}

/* Turns a = C(ip, g) into C((i+1)p, g). Since
 * C(n+p, g) / C(n, g) = [(n+1)...(n+p)] / [(n+1-g)...(n+p-g)]
 *                     = C(n+p, p) / C(n+p-g, p),
 * it multiplies by one binomial and divides exactly by another. Requires
 * ip >= g, so the divisor is at least 1. b and d are scratch. */
static void slots_next_a(const pn_query *q, uint64_t i, mpz_t a, mpz_t b, mpz_t d)
{
    uint64_t n = (i + 1) * q->per_host;
    mpz_bin_uiui(b, (unsigned long)n, (unsigned long)q->per_host);
    mpz_bin_uiui(d, (unsigned long)(n - q->guests), (unsigned long)q->per_host);
    mpz_mul(a, a, b);
    mpz_divexact(a, a, d);
}

/* Turns a = C(ip, g) into C((i+1)p, g) through the ratio of two binomials
 * (slots_next_a) while p is small against g, and afresh with mpz_bin_uiui
 * otherwise, when those binomials (about p log(ip/p) bits each) stop being
 * small. The crossover was measured: the ratio wins for g >= 100p
 * (200/2000/200000: 0.23 s vs 0.34 s), GMP's binomial for g <= 50p
 * (100/10^5/5*10^6: 7 s vs 24 s). */
static void slots_advance_a(const pn_query *q, uint64_t i, mpz_t a, mpz_t b, mpz_t d)
{
    if (q->per_host * 64 <= q->guests)
        slots_next_a(q, i, a, b, d);
    else
        mpz_bin_uiui(a, (unsigned long)((i + 1) * q->per_host), (unsigned long)q->guests);
}

/* Fills N[m] (m = 0..h, all zero on entry) for the slots model; g, p >= 1.
 * Rows start at i = ceil(g/p), the first i with C(ip, g) > 0; there
 * ip - g < p, so the first binomial is cheap. */
static pn_status count_slots(exact_ctx *c, mpz_t *N, pn_error *err)
{
    const pn_query *q = c->q;
    pn_status st = PN_OK;
    mpz_t a, t, d;
    mpz_inits(a, t, d, NULL);
    mpz_bin_uiui(a, (unsigned long)(c->m_lo * q->per_host), (unsigned long)q->guests);
    for (uint64_t i = c->m_lo; st == PN_OK && i <= c->m_hi; i++) {
        st = slots_row(c, i, a, N, t, err);
        if (st == PN_OK && i < c->m_hi)
            slots_advance_a(q, i, a, t, d);
    }
    mpz_clears(a, t, d, NULL);
    return st;
}

/* bins[k] += C(h,k) N(h-k) for the k whose N can be non-zero,
 * h-m_hi <= k <= h-m_lo, with C(h,k) kept incrementally. Each bin counts as
 * one unit of progress; on interruption hist may hold some bins (the engine
 * contract allows partial counts on failure). */
static pn_status add_bins(exact_ctx *c, pn_histogram *hist, mpz_t *N, pn_error *err)
{
    uint64_t h = c->q->hosts;
    pn_status st = PN_OK;
    mpz_t choose;
    mpz_init(choose);
    mpz_bin_uiui(choose, (unsigned long)h, (unsigned long)(h - c->m_hi));
    for (uint64_t k = h - c->m_hi; st == PN_OK && k <= h - c->m_lo; k++) {
        mpz_addmul(hist->bins[k], choose, N[h - k]);
        mpz_mul_ui(choose, choose, (unsigned long)(h - k));
        mpz_divexact_ui(choose, choose, (unsigned long)(k + 1));
        st = term_done(c, N[h - k], err);
    }
    mpz_clear(choose);
    return st;
}

/* Allocates N[0..h] (zeroed), runs the model's sum, and on success adds the
 * bins into hist. Requires g >= 1 (so p >= 1). */
static pn_status count_nonempty(const pn_query *q, const pn_exact_cost *cost, pn_run *run,
                                pn_histogram *hist, pn_error *err)
{
    pn_exact_shape shape = pn_exact_shape_of(q);
    exact_ctx c = {.q = q, .run = run, .m_lo = shape.m_lo, .m_hi = shape.m_hi,
                   .total = cost->words < 1.8e19 ? (uint64_t)cost->words + 1 : UINT64_MAX};
    c.start = c.last_report = pn_now_seconds();
    mpz_t *N = malloc((size_t)(q->hosts + 1) * sizeof *N);
    if (!N)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the exact engine (%llu hosts)",
                       (unsigned long long)q->hosts);
    for (uint64_t m = 0; m <= q->hosts; m++)
        mpz_init(N[m]);
    pn_status st = q->model == PN_MODEL_SLOTS ? count_slots(&c, N, err)
                                              : count_uniform(&c, N, err);
    if (st == PN_OK)
        st = add_bins(&c, hist, N, err);
    for (uint64_t m = 0; m <= q->hosts; m++)
        mpz_clear(N[m]);
    free(N);
    return st;
}

/* Refuses what the exact engine cannot take: an unresolved q, a slice. */
static pn_status check_answerable(const pn_query *q, pn_error *err)
{
    pn_status st = pn_query_check_resolved(q, err);
    if (st == PN_OK && q->sliced)
        st = pn_fail(err, PN_ERR_USAGE,
                     "--skip/--limit slice the enumeration; the exact engine does not "
                     "enumerate");
    return st;
}

/* The homogeneous closed form for q alone, after its cost check. */
static pn_status closed_form(const pn_query *q, pn_run *run, pn_histogram *hist, bool checked,
                             pn_error *err)
{
    pn_exact_cost cost;
    pn_exact_cost_estimate(q, &cost, NULL);
    pn_status st = checked ? PN_OK : pn_exact_cost_check(&cost, run->force, err);
    if (st != PN_OK)
        return st;
    if (q->guests == 0)
        mpz_add_ui(hist->bins[q->hosts], hist->bins[q->hosts], 1);
    else
        st = count_nonempty(q, &cost, run, hist, err);
    return st;
}

/* A sweep counted one level at a time: its progress is in levels. */
typedef struct sweep_progress {
    const pn_progress *outer; /* the caller's */
    uint64_t done, total;     /* levels finished, levels in the sweep */
    double start;
} sweep_progress;

/* Hands the caller levels done of total, whether called by a level's own
 * sum (whose words would restart at 0 with every level, each too short to
 * show) or between two levels. */
static void report_levels(void *ctx, const pn_progress_report *inner)
{
    (void)inner;
    const sweep_progress *s = ctx;
    pn_progress_report r = {.unit = "levels", .done = s->done, .total = s->total,
                            .rate = (double)s->done / (pn_now_seconds() - s->start + 1e-9)};
    s->outer->update(s->outer->ctx, &r);
}

/* Every level of q by its own closed form (cost already checked), each
 * into hists[i], reporting levels done of total. */
static pn_status closed_forms(const pn_query *q, pn_run *run, pn_histogram *hists,
                              pn_error *err)
{
    sweep_progress s = {.outer = &run->progress, .total = q->levels.n, .start = pn_now_seconds()};
    pn_run inner = *run;
    if (run->progress.update) {
        inner.progress.update = report_levels;
        inner.progress.ctx = &s;
    }
    pn_status st = PN_OK;
    for (size_t i = 0; st == PN_OK && i < q->levels.n; i++) {
        pn_query one = pn_query_level(q, i);
        st = closed_form(&one, &inner, &hists[i], true, err);
        s.done += st == PN_OK;
        if (st == PN_OK && run->progress.update)
            report_levels(&s, NULL);
    }
    if (st == PN_ERR_INTERRUPTED) /* the level's own terms would say far less */
        pn_fail(err, st, "interrupted after %llu of %llu guest counts of the sweep",
                (unsigned long long)s.done, (unsigned long long)s.total);
    return st;
}

/* Needs a resolved q (pn_query_resolve) and refuses a slice (PN_ERR_USAGE): there
 * is no enumeration to slice. Adds the exact histogram of q into hist, which
 * the caller initialised with pn_histogram_init_query; on failure hist may hold
 * partial counts and must not be reported.
 * g = 0 (which p = 0 forces) has one scenario, every host empty, in both
 * models. A mixed fleet is counted by its generating functions. A run whose
 * estimated cost (pn_exact_cost_estimate) is past the limits is refused with
 * PN_ERR_USAGE and the estimate, unless run->force. Cancellation through
 * run->progress.cancel returns PN_ERR_INTERRUPTED; progress is reported in
 * words of the sum's terms (products, for generating functions; levels, for
 * a sweep counted level by level). */
pn_status pn_engine_exact_run(const pn_query *q, pn_run *run, pn_histogram *hists,
                              pn_error *err)
{
    const pn_levels *lv = &q->levels;
    pn_status st = check_answerable(q, err);
    if (st != PN_OK)
        return st;
    if (!q->per_host_bases && lv->n == 1) { /* one cloud, one level: the closed form */
        st = closed_form(q, run, hists, false, err);
        if (st == PN_OK)
            snprintf(run->engine_used, sizeof run->engine_used, "exact");
        return st;
    }
    pn_exact_cost cost;
    bool per_level;
    pn_exact_cost_estimate(q, &cost, &per_level);
    st = pn_exact_cost_check(&cost, run->force, err);
    if (st == PN_OK && !per_level)
        st = pn_exact_gf_count(q, lv, run, hists, err);
    if (st == PN_OK && per_level)
        st = closed_forms(q, run, hists, err);
    if (st == PN_OK)
        snprintf(run->engine_used, sizeof run->engine_used, "exact");
    return st;
}
