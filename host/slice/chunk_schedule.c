/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chunk_schedule.c -- handing out a ledger's gaps as chunks sized by time to workers of different speeds, so they finish together. */
#include "slice/pn_chunk_schedule.h"

#include "base/pn_pace.h"

#include <stdlib.h>

/* A worker's first chunk, before its rate is known: well under a second on
 * every engine, so a slow worker cannot hold up the end. */
#define FIRST_CHUNK 1000000ULL
/* A chunk grows at most this much over the worker's last one. */
#define GROWTH 4.0
/* The shortest share of the tail: a chunk has fixed costs (a launch plan,
 * messages), so the tail is not cut finer than this many seconds. */
#define TAIL_SECONDS 0.2

pn_status pn_chunk_schedule_init(pn_chunk_schedule *s, const pn_ledger *l, unsigned nworkers,
                                 double target, pn_error *err)
{
    *s = (pn_chunk_schedule){.ledger = l, .cursor = l->query.first, .target = target,
                             .nworkers = nworkers};
    s->workers = calloc(nworkers ? nworkers : 1, sizeof *s->workers);
    if (!s->workers)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the chunk schedule");
    return PN_OK;
}

void pn_chunk_schedule_clear(pn_chunk_schedule *s)
{
    free(s->workers);
    *s = (pn_chunk_schedule){0};
}

/* Scenarios not yet handed out: the ledger's gaps from the cursor on. */
static uint64_t left_to_hand_out(const pn_chunk_schedule *s)
{
    uint64_t left = 0, at = s->cursor;
    pn_range gap;
    while (pn_ledger_next_gap(s->ledger, at, &gap)) {
        left += gap.count;
        at = gap.first + gap.count;
    }
    return left;
}

/* The sum of the known rates. */
static double total_rate(const pn_chunk_schedule *s)
{
    double sum = 0;
    for (unsigned i = 0; i < s->nworkers; i++)
        sum += s->workers[i].rate;
    return sum;
}

/* How long worker w's next chunk should be (before clipping to the gap). */
static double chunk_length(const pn_chunk_schedule *s, const pn_chunk_worker *w)
{
    const pn_pace pace = {.rate = w->rate,
                          .first = (double)FIRST_CHUNK,
                          .target = s->target,
                          .last = (double)w->last,
                          .growth = GROWTH,
                          .left = (double)left_to_hand_out(s),
                          .total_rate = w->rate > 0 ? total_rate(s) : 0,
                          .tail = TAIL_SECONDS};
    return pn_pace_units(&pace);
}

bool pn_chunk_schedule_next(pn_chunk_schedule *s, unsigned w, double now, pn_range *chunk)
{
    pn_range gap;
    if (!pn_ledger_next_gap(s->ledger, s->cursor, &gap))
        return false;
    pn_chunk_worker *k = &s->workers[w];
    double want = chunk_length(s, k);
    uint64_t n = want < 1.0 ? 1 : want >= (double)gap.count ? gap.count : (uint64_t)want;
    *chunk = (pn_range){.first = gap.first, .count = n};
    s->cursor = gap.first + n;
    k->busy = true;
    k->chunk = *chunk;
    k->handed_at = now;
    return true;
}

pn_range pn_chunk_schedule_done(pn_chunk_schedule *s, unsigned w, double seconds)
{
    pn_chunk_worker *k = &s->workers[w];
    if (seconds > 0)
        k->rate = (double)k->chunk.count / seconds;
    else if (k->rate <= 0) /* too quick to time: assume it took a microsecond */
        k->rate = (double)k->chunk.count * 1e6;
    k->last = k->chunk.count;
    k->busy = false;
    k->chunks++;
    return k->chunk;
}

uint64_t pn_chunk_schedule_running(const pn_chunk_schedule *s, double now)
{
    uint64_t done = 0;
    for (unsigned i = 0; i < s->nworkers; i++) {
        const pn_chunk_worker *k = &s->workers[i];
        if (!k->busy || k->rate <= 0 || now <= k->handed_at)
            continue;
        double guess = k->rate * (now - k->handed_at);
        done += guess >= (double)k->chunk.count ? k->chunk.count : (uint64_t)guess;
    }
    return done;
}
