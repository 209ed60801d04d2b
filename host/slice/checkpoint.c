/* SPDX-License-Identifier: GPL-3.0-or-later */
/* checkpoint.c -- the chunk loop of a checkpointed run: next gap, timed chunk, ledger, save when due. */
#include "slice/pn_checkpoint.h"

#include <stdio.h>

#include "base/pn_duration.h"
#include "base/pn_pace.h"

/* A chunk aims at this much work (or a quarter of the save interval, when
 * that is shorter): short enough that Ctrl-C and kill -9 lose little, long
 * enough that the per-chunk cost (a launch plan, a histogram) is noise. */
#define CHUNK_SECONDS 2.0
/* A chunk grows at most this much over the one before, while the rate of a
 * device is still being learnt. */
#define CHUNK_GROWTH 4.0
/* The first chunk, before any rate is known: a slice this long takes well
 * under a second on every engine. */
#define FIRST_CHUNK 1000000ULL

/* The progress of one chunk, seen as progress of the whole run. */
typedef struct whole_progress {
    pn_progress inner;    /* the caller's callback */
    uint64_t done_before; /* scenarios done before this chunk */
    uint64_t total;       /* the whole requested range */
    double started;       /* when this run (not the ledger) started */
    uint64_t done_at_start;
} whole_progress;

static void report_whole(void *ctx, const pn_progress_report *chunk)
{
    whole_progress *w = ctx;
    pn_progress_report r = *chunk;
    r.done = w->done_before + chunk->done;
    r.total = w->total;
    double elapsed = pn_now_seconds() - w->started;
    if (elapsed > 0)
        r.rate = (double)(r.done - w->done_at_start) / elapsed;
    w->inner.update(w->inner.ctx, &r);
}

/* The next chunk: at most the gap, about `target` seconds at `rate`. */
static uint64_t chunk_length(const pn_range *gap, double rate, double target, uint64_t last)
{
    const pn_pace pace = {.rate = rate, .first = (double)FIRST_CHUNK, .target = target,
                          .last = (double)last, .growth = CHUNK_GROWTH};
    double want = pn_pace_units(&pace);
    uint64_t n = want < 1.0 ? 1 : want >= (double)gap->count ? gap->count : (uint64_t)want;
    return n;
}

pn_status pn_checkpoint_count(pn_enumerator *e, const pn_query *question, pn_range r,
                              pn_run *run, pn_histogram **counts, pn_error *err)
{
    pn_query q;
    *counts = NULL;
    pn_status st = pn_query_slice(question, r.first, r.count, &q, err);
    if (st == PN_OK)
        st = pn_histograms_init(counts, &q, err);
    if (st == PN_OK)
        st = e->run(e->state, &q, run, *counts, err);
    return st;
}

/* Runs one chunk [r.first, +r.count) of the ledger's question, every level
 * at once, into the ledger. */
static pn_status run_chunk(pn_enumerator *e, pn_ledger *l, pn_range r, pn_run *run,
                           pn_error *err)
{
    pn_histogram *counts = NULL;
    pn_status st = pn_checkpoint_count(e, &l->query, r, run, &counts, err);
    if (st == PN_OK)
        st = pn_ledger_add(l, r, counts, err);
    pn_histograms_free(counts, counts ? l->query.levels.n : 0);
    return st;
}

/* Saves the ledger when there is a file to save it to. */
static pn_status save(pn_ledger *l, const pn_checkpoint_plan *plan, bool first, pn_error *err)
{
    if (!plan->path)
        return PN_OK;
    return pn_ledger_save(plan->path, l, first && plan->must_be_new, plan->lock, err);
}

/* The chunk loop proper, between the first and the last save. */
static pn_status run_gaps(pn_enumerator *e, pn_ledger *l, pn_run *run,
                          const pn_checkpoint_plan *plan, pn_error *err)
{
    double target = plan->every / 4 < CHUNK_SECONDS ? plan->every / 4 : CHUNK_SECONDS;
    whole_progress w = {.inner = run->progress, .total = l->query.count,
                        .started = pn_now_seconds(), .done_at_start = pn_ledger_done(l)};
    pn_run chunk_run = *run;
    if (run->progress.update)
        chunk_run.progress = (pn_progress){.update = report_whole, .ctx = &w,
                                           .cancel = run->progress.cancel};
    double last_save = pn_now_seconds(), rate = 0;
    uint64_t last = 0, at = 0;
    pn_range gap;
    pn_status st = PN_OK;
    while (st == PN_OK && pn_ledger_next_gap(l, at, &gap)) {
        pn_range r = {.first = gap.first, .count = chunk_length(&gap, rate, target, last)};
        w.done_before = pn_ledger_done(l);
        double t0 = pn_now_seconds();
        st = run_chunk(e, l, r, &chunk_run, err);
        double took = pn_now_seconds() - t0;
        if (st != PN_OK)
            break;
        rate = took > 0 ? (double)r.count / took : rate;
        last = r.count;
        at = r.first + r.count;
        if (run->progress.cancel && *run->progress.cancel)
            st = pn_fail(err, PN_ERR_INTERRUPTED, "interrupted");
        else if (pn_now_seconds() - last_save + target >= plan->every) {
            st = save(l, plan, false, err);
            last_save = pn_now_seconds();
        }
    }
    if (chunk_run.engine_used[0]) /* a run stopped before its first chunk keeps the old name */
        snprintf(l->engine, sizeof l->engine, "%s", chunk_run.engine_used);
    snprintf(run->engine_used, sizeof run->engine_used, "%s", chunk_run.engine_used);
    snprintf(run->notes, sizeof run->notes, "%s", chunk_run.notes);
    return st;
}

pn_status pn_checkpoint_run(pn_engine_kind kind, pn_ledger *l, pn_run *run,
                            const pn_checkpoint_plan *plan, pn_error *err)
{
    pn_range gap;
    if (!plan->must_be_new && !pn_ledger_next_gap(l, 0, &gap)) { /* finished: read, not written */
        snprintf(run->engine_used, sizeof run->engine_used, "%s", l->engine);
        return PN_OK;
    }
    pn_status st = save(l, plan, true, err);
    pn_enumerator e = {0};
    if (st == PN_OK)
        st = pn_enumerator_open(kind, run, &e, err);
    if (st == PN_OK)
        st = run_gaps(&e, l, run, plan, err);
    pn_enumerator_close(&e);
    if (st == PN_OK || st == PN_ERR_INTERRUPTED) {
        pn_error save_err;
        pn_status saved = save(l, plan, false, &save_err);
        if (saved != PN_OK) /* the ledger could not be brought up to date: say so */
            st = pn_fail(err, saved, "%s", save_err.msg);
        else if (st == PN_ERR_INTERRUPTED && plan->path)
            pn_fail(err, st, "interrupted: %llu of %llu scenarios are in the ledger %s; "
                             "continue with --restore %s",
                    (unsigned long long)pn_ledger_done(l), (unsigned long long)l->query.count,
                    plan->path, plan->path);
    }
    return st;
}
