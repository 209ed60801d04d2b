/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_chunk_schedule.h -- handing out a ledger's gaps as chunks sized by time to workers of different speeds, so they finish together. */
#ifndef PN_CHUNK_SCHEDULE_H
#define PN_CHUNK_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#include "slice/pn_ledger.h"
#include "base/pn_status.h"

/* What the schedule knows of one worker. */
typedef struct pn_chunk_worker {
    double rate;      /* scenarios/s over its last chunk; 0 before its first */
    uint64_t last;    /* its last chunk's length; 0 before its first */
    bool busy;        /* it holds `chunk` */
    pn_range chunk;
    double handed_at; /* pn_now_seconds() when it got the chunk */
    uint64_t chunks;  /* chunks it finished */
} pn_chunk_worker;

/* The schedule of one run. Chunks are cut, in increasing order, from the
 * ledger's gaps at or after `cursor`: everything below the cursor is done
 * or held by a busy worker, so no index is handed out twice, and the
 * ledger's gaps (a restored run's holes included) are all handed out once.
 * The caller adds each finished chunk to the ledger. */
typedef struct pn_chunk_schedule {
    const pn_ledger *ledger;
    uint64_t cursor;
    double target;    /* seconds of work one chunk aims at */
    unsigned nworkers;
    pn_chunk_worker *workers;
} pn_chunk_schedule;

/* A schedule over l's gaps for nworkers workers (>= 1), chunks of about
 * `target` seconds each. PN_ERR_NOMEM when memory runs out. */
pn_status pn_chunk_schedule_init(pn_chunk_schedule *s, const pn_ledger *l, unsigned nworkers,
                                 double target, pn_error *err);

/* Frees the schedule; safe on a zeroed one. */
void pn_chunk_schedule_clear(pn_chunk_schedule *s);

/* The next chunk for idle worker w at time `now`, into *chunk (w is then
 * busy with it); false when nothing is left to hand out. A worker whose
 * rate is unknown gets a short first chunk; after that a chunk is `target`
 * seconds at the worker's rate, growing at most fourfold from its last one
 * while the rate is being learnt. Near the end, when the work left is less
 * than every worker's chunk together, each gets its share in proportion to
 * its rate (but at least a fifth of a second of work), so fast and slow
 * workers finish within about that of each other. */
bool pn_chunk_schedule_next(pn_chunk_schedule *s, unsigned w, double now, pn_range *chunk);

/* Worker w finished its chunk after `seconds` of work: learns its rate and
 * makes it idle. Returns the chunk. */
pn_range pn_chunk_schedule_done(pn_chunk_schedule *s, unsigned w, double seconds);

/* Scenarios of the chunks still running that should be done by `now`, from
 * each worker's rate (at most its chunk): progress between two results. */
uint64_t pn_chunk_schedule_running(const pn_chunk_schedule *s, double now);

#endif
