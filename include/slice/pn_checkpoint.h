/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_checkpoint.h -- a long enumeration run in timed chunks into a ledger, saved every interval and on Ctrl-C. */
#ifndef PN_CHECKPOINT_H
#define PN_CHECKPOINT_H

#include <stdbool.h>

#include "engine/pn_engine.h"
#include "slice/pn_ledger.h"
#include "base/pn_status.h"

/* Default seconds between two saves of the ledger (--checkpoint-every). */
#define PN_CHECKPOINT_EVERY 60.0
/* The shortest interval --checkpoint-every takes: a save costs an fsync or
 * two, and chunks shrink to a quarter of the interval, so much shorter ones
 * spend the run on saves and chunk overheads instead of counting. */
#define PN_CHECKPOINT_EVERY_MIN 1.0

/* Where and how often the ledger is saved. */
typedef struct pn_checkpoint_plan {
    const char *path;   /* the ledger file; NULL saves nothing */
    double every;       /* seconds between saves, > 0 */
    bool must_be_new;   /* --checkpoint: the first save refuses an existing file */
    pn_ledger_lock *lock; /* the run's hold on the file (pn_ledger_save), or NULL */
} pn_checkpoint_plan;

/* Enumerates every range of the ledger's requested range not yet done, in
 * chunks of about min(2 s, every/4) of work, adding each finished chunk to
 * the ledger; saves it when a save is due, at the end, and when the run
 * stops early (Ctrl-C: PN_ERR_INTERRUPTED, with the ledger current up to the
 * last finished chunk, so kill -9 loses at most one interval). The first save
 * happens before any work, so a refused or unwritable file costs nothing.
 * A ledger with nothing left to do (a finished run restored) is neither
 * enumerated nor saved: the file stays as it is, and run->engine_used is
 * the ledger's engine. Progress reports cover the whole requested range. */
pn_status pn_checkpoint_run(pn_engine_kind kind, pn_ledger *l, pn_run *run,
                            const pn_checkpoint_plan *plan, pn_error *err);

/* One chunk: counts scenarios [r.first, r.first + r.count) of `question`
 * (resolved; a slice it already has is replaced by r), every level in one
 * pass, with the enumerator e into *counts, one histogram per level, which
 * this allocates (pn_histograms_init); free them with pn_histograms_free
 * (question->levels.n of them; *counts may be NULL) afterwards, also after
 * a failure. PN_ERR_USAGE when r lies outside the keyspace; the
 * enumerator's status otherwise. */
pn_status pn_checkpoint_count(pn_enumerator *e, const pn_query *question, pn_range r,
                              pn_run *run, pn_histogram **counts, pn_error *err);

#endif
