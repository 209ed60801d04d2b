/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_ledger.h -- the ledger of a long run: which ranges of the keyspace are done, their exact counts, saved atomically. */
#ifndef PN_LEDGER_H
#define PN_LEDGER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "question/pn_histogram.h"
#include "question/pn_query.h"
#include "slice/pn_ledger_lock.h"
#include "slice/pn_slice.h"
#include "base/pn_status.h"

#define PN_FINGERPRINT_LEN PN_SLICE_FINGERPRINT_LEN

/* A run's ledger. The question is resolved and sliced to the requested range
 * (the whole keyspace unless --skip/--limit), with its groups and levels
 * (query.levels's arrays are the ledger's own copy); `ranges` are the parts
 * of it done, sorted and with neighbours joined, and `hists` their counts,
 * one histogram per level (with a mixed fleet's napping sums). */
typedef struct pn_ledger {
    pn_query query;
    char *load_curve; /* the load curve's file its levels came from, else NULL */
    char fingerprint[PN_FINGERPRINT_LEN];
    size_t nranges, cap;
    pn_range *ranges;
    pn_histogram *hists;
    char engine[256]; /* who counted, for the document's "engine" */
} pn_ledger;

/* An empty ledger for q (resolved, enumerable; sliced or not; any groups
 * and levels, which the ledger copies). */
pn_status pn_ledger_init(pn_ledger *l, const pn_query *q, pn_error *err);

/* Names the load curve file l's levels were read from (a copy is kept; NULL
 * for none), so the document, and a restored report, can name it. */
pn_status pn_ledger_set_load_curve(pn_ledger *l, const char *path, pn_error *err);

/* Frees the ledger; safe on a zeroed one. */
void pn_ledger_clear(pn_ledger *l);

/* Records that range r is done with these counts, one histogram per level
 * of l's question (as pn_histograms_init makes them). PN_ERR_USAGE when r lies
 * outside the requested range or overlaps a range already done (counts would
 * be added twice). */
pn_status pn_ledger_add(pn_ledger *l, pn_range r, const pn_histogram *counts, pn_error *err);

/* Scenarios done so far. */
uint64_t pn_ledger_done(const pn_ledger *l);

/* The first range at or after index `from` that is requested but not done,
 * as long as it runs; false when nothing is left from there on. */
bool pn_ledger_next_gap(const pn_ledger *l, uint64_t from, pn_range *gap);

/* Writes the ledger as a JSON document: the slice document's question
 * (pn_question_doc.h), keyspace and counts (one array per level of a
 * question with levels, and a mixed fleet's "napping_sums"), a "ledger"
 * object (tool version, fingerprint, requested range, ranges done) and,
 * last, a SHA-256 "checksum" of every byte before it. PN_ERR_IO when
 * writing fails. */
pn_status pn_ledger_write(FILE *out, const pn_ledger *l, pn_error *err);

/* Saves the ledger at path atomically: a temporary file in the same
 * directory, fsync, rename over path, fsync of the directory, so path holds
 * the old ledger or the new one, never a mix. With must_be_new, an existing
 * path is PN_ERR_USAGE (nothing written). A temporary name longer than the
 * directory allows is PN_ERR_USAGE naming path. PN_ERR_IO naming the step
 * that failed otherwise.
 * With a lock (pn_ledger_lock_take), the file goes to lock->path (symlinks
 * resolved), is locked before it takes the name and becomes the lock, and
 * lock->on_disk counts what it holds; a failed save of an existing ledger
 * (a full disk) then says how much of the run the file still holds and how
 * to continue. lock may be NULL: no lock, path as given. */
pn_status pn_ledger_save(const char *path, const pn_ledger *l, bool must_be_new,
                         pn_ledger_lock *lock, pn_error *err);

/* Reads the ledger at path for --restore: a document pn_slice_read_file
 * accepts (so its checksum holds and its counts are exactly those of its
 * ranges), written as a ledger by this version of the tool, whose
 * fingerprint matches its question under this build's kernel. PN_ERR_USAGE
 * naming the file and the reason otherwise (PN_ERR_IO when it cannot be
 * read); the file is never modified here. */
pn_status pn_ledger_load(const char *path, pn_ledger *l, pn_error *err);
#endif
