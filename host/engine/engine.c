/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine.c -- running the engine the user named, choosing one for auto, and --verify. */
#include "engine/pn_engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pn_duration.h"
#include "base/pn_progress.h"
#include "engine/pn_exact_range.h"

/* auto enumerates when brute force should finish within this many seconds. */
#define AUTO_ENUMERATE_SECONDS 2.0
/* The table rates auto starts from are the slowest seen on a loaded
 * machine (engine_opencl.c); unloaded, the same device measured up to 4x
 * quicker (-h 16 -p 4 -g 32: 5.4 s from the table, 1.2 s measured, 1.56 s
 * run). So when the table puts brute force within this factor past
 * AUTO_ENUMERATE_SECONDS, auto measures the rate as --estimate does and
 * judges by that: the answer to "under two seconds?" is then the machine's,
 * not the table's. */
#define AUTO_MEASURE_SPREAD 4.0

static const char *const ENGINE_NAMES[] = {"auto", "opencl", "cpu", "exact"};

const char *pn_engine_name(pn_engine_kind kind)
{
    return (unsigned)kind < 4 ? ENGINE_NAMES[kind] : "unknown";
}

bool pn_engine_parse(const char *text, pn_engine_kind *out)
{
    for (unsigned i = 0; i < 4; i++)
        if (strcmp(text, ENGINE_NAMES[i]) == 0) {
            *out = (pn_engine_kind)i;
            return true;
        }
    return false;
}

/* Whether auto can use OpenCL on run->device: *usable, with the OpenCL
 * estimate in *est, or false with the reason (no platform, no device) in
 * why. A bad --device index is the user's mistake and is not papered over:
 * PN_ERR_USAGE. */
static pn_status probe_opencl(const pn_query *q, const pn_run *run, pn_estimate *est,
                              bool *usable, pn_error *why, pn_error *err)
{
    pn_status st = pn_engine_opencl_estimate(q, run, est, why);
    *usable = st == PN_OK;
    return st == PN_ERR_USAGE ? pn_fail(err, st, "%s", why->msg) : PN_OK;
}

pn_status pn_engine_opencl_or_cpu(const pn_query *q, pn_run *run, bool *opencl, pn_error *err)
{
    pn_estimate est;
    pn_error why;
    pn_status st = probe_opencl(q, run, &est, opencl, &why, err);
    if (st == PN_OK && !*opencl)
        pn_run_note(run, "warning: %s; falling back to the cpu engine", why.msg);
    return st;
}

/* OpenCL when a device exists, else the cpu engine with a one-line warning. */
static pn_status enumerate_with_fallback(const pn_query *q, pn_run *run, pn_histogram *hist,
                                         pn_error *err)
{
    bool opencl;
    pn_status st = pn_engine_opencl_or_cpu(q, run, &opencl, err);
    if (st != PN_OK)
        return st;
    return opencl ? pn_engine_opencl_run(q, run, hist, err) : pn_engine_cpu_run(q, run, hist, err);
}

pn_status pn_enumerator_open(pn_engine_kind kind, pn_run *run, pn_enumerator *out,
                             pn_error *err)
{
    *out = (pn_enumerator){0};
    if (kind == PN_ENGINE_CPU)
        return pn_engine_cpu_enumerator(run, out, err);
    if (kind == PN_ENGINE_OPENCL)
        return pn_engine_opencl_enumerator(run, out, err);
    if (kind == PN_ENGINE_EXACT)
        return pn_fail(err, PN_ERR_USAGE, "the exact engine does not enumerate, so it cannot "
                                          "run in chunks (--checkpoint, --restore, MPI)");
    bool opencl;
    pn_status st = pn_engine_opencl_or_cpu(NULL, run, &opencl, err);
    if (st != PN_OK)
        return st;
    return opencl ? pn_engine_opencl_enumerator(run, out, err)
                  : pn_engine_cpu_enumerator(run, out, err);
}

void pn_enumerator_close(pn_enumerator *e)
{
    if (e->close)
        e->close(e->state);
    *e = (pn_enumerator){0};
}

/* auto's estimate: OpenCL's, else (no device) the cpu engine's; *opencl
 * says which. */
static pn_status estimate_auto(const pn_query *q, const pn_run *run, pn_estimate *out,
                               bool *opencl, pn_error *err)
{
    pn_error why;
    pn_status st = probe_opencl(q, run, out, opencl, &why, err);
    if (st == PN_OK && !*opencl)
        st = pn_engine_cpu_estimate(q, run, out, err);
    return st;
}

pn_status pn_engine_estimate(pn_engine_kind kind, const pn_query *q, const pn_run *run,
                             pn_estimate *out, pn_error *err)
{
    pn_status st = PN_OK;
    switch (kind) {
    case PN_ENGINE_AUTO: st = estimate_auto(q, run, out, &(bool){false}, err); break;
    case PN_ENGINE_OPENCL: st = pn_engine_opencl_estimate(q, run, out, err); break;
    case PN_ENGINE_CPU: st = pn_engine_cpu_estimate(q, run, out, err); break;
    case PN_ENGINE_EXACT:
        st = pn_fail(err, PN_ERR_USAGE, "the exact engine does not enumerate, so it has no rate");
        break;
    }
    return st;
}

/* (p+1)^h as a double (inf past ~1e308, which reads as "more than 10
 * years"), for time estimates only. */
static double keyspace_estimate(const pn_query *q)
{
    if (!q->per_host_bases)
        return pow((double)q->per_host + 1.0, (double)q->hosts);
    double size = 1;
    for (unsigned j = 0; j < q->ngroups; j++)
        size *= pow((double)q->groups[j].capacity + 1.0, (double)q->groups[j].count);
    return size;
}

/* auto for several levels: the cpu engine when every level is enumerable
 * and one pass should finish within AUTO_ENUMERATE_SECONDS, otherwise the
 * exact engine. */
static pn_status levels_auto(const pn_query *q, pn_run *run, pn_histogram *hists, pn_error *err)
{
    const pn_levels *lv = &q->levels;
    pn_estimate est;
    pn_error why;
    pn_status st = pn_engine_cpu_estimate(q, run, &est, err);
    if (st != PN_OK)
        return st;
    bool enumerable = q->keyspace_fits;
    for (size_t i = 0; enumerable && i < lv->n; i++) {
        pn_query one = pn_query_level(q, i);
        uint64_t first, count;
        enumerable = pn_query_enumeration_range(&one, &first, &count, &why) == PN_OK;
    }
    double seconds = enumerable ? (double)q->keyspace / est.scenarios_per_second
                                : keyspace_estimate(q) / est.scenarios_per_second;
    char took[64], keyspace[PN_MAX_GROUPS * 48 + 64];
    pn_format_duration(seconds, took, sizeof took);
    pn_query_keyspace_text(q, keyspace, sizeof keyspace);
    if (enumerable && seconds <= AUTO_ENUMERATE_SECONDS) {
        st = pn_engine_cpu_run(q, run, hists, err);
        if (st == PN_OK)
            pn_run_note(run, "engine: cpu enumerated %s scenarios", keyspace);
        return st;
    }
    pn_run_note(run, "engine: exact (brute force over %s scenarios on %s would take %s)",
                keyspace, est.device, took);
    return pn_engine_exact_run(q, run, hists, err);
}

/* Whether the opencl engine's 64-bit napping sums hold q's (a mixed
 * fleet's: a weight times the hosts); the cpu engine spills them instead. */
static bool opencl_sums_fit(const pn_query *q)
{
    if (!q->per_host_bases || !q->keyspace_fits)
        return true;
    unsigned __int128 most = q->model == PN_MODEL_SLOTS
                                 ? ((unsigned __int128)1 << (q->weight_bits < 100 ? q->weight_bits : 100))
                                 : (unsigned __int128)q->count;
    return most * q->hosts <= UINT64_MAX;
}

/* The rate auto would enumerate at, measured as --estimate measures it:
 * every chosen OpenCL device together, or the cpu engine. 0 when the
 * measurement failed for a reason other than Ctrl-C (the table rate then
 * stands). */
static pn_status measure_rate(const pn_query *q, const pn_run *run, bool opencl, double *rate,
                              pn_error *err)
{
    pn_run quiet = {.device = run->device, .progress = {.cancel = run->progress.cancel}};
    pn_rate_sample s[PN_PROGRESS_MAX_DEVICES];
    unsigned n = 0;
    pn_error why;
    pn_status st = opencl
                       ? pn_engine_opencl_measure(q, &quiet, s, PN_PROGRESS_MAX_DEVICES, &n, &why)
                       : pn_engine_cpu_measure(q, &quiet, s, &why);
    n = opencl ? n : 1;
    *rate = 0;
    for (unsigned i = 0; st == PN_OK && i < n; i++)
        *rate += s[i].scenarios_per_second;
    return st == PN_ERR_INTERRUPTED ? pn_fail(err, st, "%s", why.msg) : PN_OK;
}

pn_status pn_engine_auto_decide(const pn_query *q, const pn_run *run, const pn_auto_rates *known,
                                pn_auto_choice *out, pn_error *err)
{
    pn_error why;
    bool opencl;
    *out = (pn_auto_choice){0};
    pn_status st = estimate_auto(q, run, &out->est, &opencl, err);
    if (st == PN_OK && opencl && !opencl_sums_fit(q)) { /* auto runs the cpu engine then */
        opencl = false;
        st = pn_engine_cpu_estimate(q, run, &out->est, err);
    }
    if (st != PN_OK)
        return st;
    uint64_t first, count;
    out->enumerable = pn_query_enumeration_range(q, &first, &count, &why) == PN_OK;
    out->seconds =
        (out->enumerable ? (double)count : keyspace_estimate(q)) / out->est.scenarios_per_second;
    if (out->enumerable && out->seconds > AUTO_ENUMERATE_SECONDS &&
        out->seconds <= AUTO_ENUMERATE_SECONDS * AUTO_MEASURE_SPREAD) {
        double rate = known ? (opencl ? known->opencl : known->cpu) : 0;
        if (rate <= 0)
            st = measure_rate(q, run, opencl, &rate, err);
        if (st != PN_OK)
            return st;
        if (rate > 0) {
            out->measured = true;
            out->est.scenarios_per_second = rate;
            out->seconds = (double)count / rate;
        }
    }
    out->kind = out->enumerable && out->seconds <= AUTO_ENUMERATE_SECONDS
                    ? (opencl ? PN_ENGINE_OPENCL : PN_ENGINE_CPU)
                    : PN_ENGINE_EXACT;
    return PN_OK;
}

/* auto for one level: enumerate when that should finish within
 * AUTO_ENUMERATE_SECONDS on the device (or the cpu engine), otherwise count
 * exactly and say how long brute force would have taken. */
static pn_status level_auto(const pn_query *q, pn_run *run, pn_histogram *hist, pn_error *err)
{
    if (q->sliced)
        return !opencl_sums_fit(q) ? pn_engine_cpu_run(q, run, hist, err)
                                   : enumerate_with_fallback(q, run, hist, err);
    pn_auto_choice c;
    pn_status st = pn_engine_auto_decide(q, run, NULL, &c, err);
    if (st != PN_OK)
        return st;
    char took[64], keyspace[PN_MAX_GROUPS * 48 + 64];
    pn_format_duration(c.seconds, took, sizeof took);
    pn_query_keyspace_text(q, keyspace, sizeof keyspace);
    if (c.kind != PN_ENGINE_EXACT) {
        st = !opencl_sums_fit(q) ? pn_engine_cpu_run(q, run, hist, err)
                                 : enumerate_with_fallback(q, run, hist, err);
        if (st == PN_OK && c.measured)
            pn_run_note(run, "engine: %s enumerated %s scenarios (brute force measured at %s)",
                        run->engine_used, keyspace, took);
        else if (st == PN_OK)
            pn_run_note(run, "engine: %s enumerated %s scenarios", run->engine_used, keyspace);
        return st;
    }
    pn_error why;
    if (pn_query_check_keyspace(q, &why) == PN_OK && pn_query_check_weights(q, &why) != PN_OK &&
        c.seconds <= AUTO_ENUMERATE_SECONDS) /* small, but the slots weights would overflow */
        pn_run_note(run, "engine: exact, because enumerating would fail: %s", why.msg);
    else
        pn_run_note(run, "engine: exact (brute force over %s scenarios on %s would take %s%s)",
                    keyspace, c.est.device, took, c.measured ? " at its measured rate" : "");
    return pn_engine_exact_run(q, run, hist, err);
}

pn_status pn_engine_run(pn_engine_kind kind, const pn_query *q, pn_run *run, pn_histogram *hists,
                        pn_error *err)
{
    pn_status st = pn_query_check_resolved(q, err);
    if (st != PN_OK)
        return st;
    switch (kind) {
    case PN_ENGINE_AUTO:
        st = q->levels.n == 1 ? level_auto(q, run, hists, err) : levels_auto(q, run, hists, err);
        break;
    case PN_ENGINE_OPENCL: st = pn_engine_opencl_run(q, run, hists, err); break;
    case PN_ENGINE_CPU: st = pn_engine_cpu_run(q, run, hists, err); break;
    case PN_ENGINE_EXACT: st = pn_engine_exact_run(q, run, hists, err); break;
    }
    return st;
}

/* The first k at which two histograms differ, in their bins or their napping
 * sums; hosts+1 when they agree. */
static uint64_t first_difference(const pn_histogram *a, const pn_histogram *b)
{
    uint64_t k = 0;
    while (k <= a->hosts && mpz_cmp(a->bins[k], b->bins[k]) == 0) {
        unsigned j = 0;
        while (j < a->groups && j < b->groups &&
               mpz_cmp(pn_histogram_napping(a, j, k), pn_histogram_napping(b, j, k)) == 0)
            j++;
        if (j < a->groups || j < b->groups)
            break;
        k++;
    }
    return k;
}

/* PN_ERR_MISMATCH naming what differs between an enumerated histogram and
 * the exact one (at level `guests`), or PN_OK. */
static pn_status compare(const pn_run *run, const pn_histogram *hist, const pn_histogram *exact,
                         uint64_t guests, pn_error *err)
{
    uint64_t k = first_difference(hist, exact);
    if (k > hist->hosts)
        return PN_OK;
    char counts[512];
    gmp_snprintf(counts, sizeof counts, "%Zd vs %Zd", hist->bins[k], exact->bins[k]);
    return pn_fail(err, PN_ERR_MISMATCH,
                   "verify FAILED: %s and exact disagree at %llu guests on %llu napping hosts: %s",
                   run->engine_used, (unsigned long long)guests, (unsigned long long)k, counts);
}

/* The exact counts of q into exact (one histogram per level): the exact
 * engine for the whole question, the range digit DP for a slice. */
static pn_status count_exactly(const pn_query *q, const pn_run *run, pn_histogram *exact,
                               pn_error *err)
{
    if (q->sliced)
        return pn_exact_range_count(q, q->first, q->count, exact, err);
    pn_run exact_run = {.progress = run->progress, .force = run->force};
    return pn_engine_exact_run(q, &exact_run, exact, err);
}

/* The enumeration --verify checks: the engine named, and for auto OpenCL
 * (else cpu) on one level, the cpu engine's one pass on several; like auto,
 * the cpu engine when a fleet's napping sums could pass OpenCL's 64 bits. */
static pn_status enumerate_to_verify(pn_engine_kind kind, const pn_query *q, pn_run *run,
                                     pn_histogram *hists, pn_error *err)
{
    if (kind == PN_ENGINE_OPENCL)
        return pn_engine_opencl_run(q, run, hists, err);
    if (kind == PN_ENGINE_CPU || q->levels.n > 1 || !opencl_sums_fit(q))
        return pn_engine_cpu_run(q, run, hists, err);
    return enumerate_with_fallback(q, run, hists, err);
}

pn_status pn_engine_verify(pn_engine_kind kind, const pn_query *q, pn_run *run,
                           pn_histogram *hists, pn_error *err)
{
    /* exact first: it is the cheap side, and a refusal (too costly) then
     * comes before hours of enumeration rather than after them */
    const pn_levels *lv = &q->levels;
    pn_histogram *exact = NULL;
    pn_status st = pn_query_check_resolved(q, err);
    if (st == PN_OK)
        st = pn_histograms_init(&exact, q, err);
    if (st == PN_OK)
        st = count_exactly(q, run, exact, err);
    if (st == PN_OK)
        st = enumerate_to_verify(kind, q, run, hists, err);
    for (size_t i = 0; st == PN_OK && i < lv->n; i++)
        st = compare(run, &hists[i], &exact[i], pn_levels_at(lv, i), err);
    if (st == PN_OK && lv->n == 1)
        pn_run_note(run, "verify: %s and exact agree on every bin%s", run->engine_used,
                    q->sliced ? " of the slice" : "");
    else if (st == PN_OK)
        pn_run_note(run, "verify: %s and exact agree on every bin of %zu guest counts",
                    run->engine_used, lv->n);
    pn_histograms_free(exact, exact ? lv->n : 0);
    return st;
}
