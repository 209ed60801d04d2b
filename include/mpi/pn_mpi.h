/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_mpi.h -- the MPI binary's ranks: rank 0 hands out chunks of a ledger and adds up their exact counts, every other rank enumerates the chunks it is given. */
#ifndef PN_MPI_H
#define PN_MPI_H

#include <mpi.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "slice/pn_checkpoint.h"
#include "engine/pn_engine.h"
#include "question/pn_histogram.h"
#include "slice/pn_ledger.h"
#include "base/pn_status.h"

/* Compiled into powernap_calculator-mpi only (host/mpi_*.c), never into
 * libpn.a: the plain binary and the tests need no MPI. */

/* The messages between rank 0 and a worker rank, by tag. Ranges and counts
 * travel as exact 64-bit integers (MPI_UINT64_T), never as doubles. */
enum pn_mpi_tag {
    PN_MPI_HELLO = 1, /* worker -> 0, chars: its engine_used, NUL, its notes: ready */
    PN_MPI_CHUNK,     /* 0 -> worker, uint64[2]: first, count: enumerate these */
    PN_MPI_DONE,      /* worker -> 0, uint64[pn_mpi_done_words(q)]: the chunk (first,
                         count), nanoseconds of work, then each level's counts[0..hosts]
                         and, for a mixed fleet, each level's and group's napping
                         sums[0..hosts], two words each (low, high) */
    PN_MPI_FAIL,      /* worker -> 0, chars: '0' + pn_status, then the message */
    PN_MPI_STOP       /* 0 -> worker, int: 0 to finish (MPI_Finalize), else the
                         exit status to leave with at once (130: interrupted) */
};

#define PN_MPI_DONE_HEAD 3

/* How long a rank sleeps between two looks for a message it waits for:
 * MPI's blocking calls spin a core, and rank 0 shares a node with workers. */
#define PN_MPI_POLL_SECONDS 0.002

/* Waits for the next message from `source` (or MPI_ANY_SOURCE) on comm,
 * sleeping PN_MPI_POLL_SECONDS between looks, into *status. Returns false
 * (nothing received) as soon as *cancel is set, when cancel is not NULL. */
bool pn_mpi_wait(MPI_Comm comm, int source, volatile sig_atomic_t *cancel, MPI_Status *status);

/* Words in a DONE message for question q: PN_MPI_DONE_HEAD, hosts+1 per
 * level, and a mixed fleet's 2 * groups * (hosts+1) more per level (a
 * napping sum, at most hosts times a count, may pass 64 bits but not 128). */
size_t pn_mpi_done_words(const pn_query *q);

/* Packs a finished chunk of q, one histogram per level, into a DONE message
 * of pn_mpi_done_words(q) words. PN_ERR_USAGE when a count does not fit 64
 * bits or a napping sum 128 (cannot happen for a chunk of an enumerable
 * question; checked all the same). */
pn_status pn_mpi_pack_done(pn_range r, double seconds, const pn_query *q,
                           const pn_histogram *counts, uint64_t *msg, pn_error *err);

/* Unpacks a DONE message of q into its range, seconds and counts (one
 * histogram per level, as pn_histograms_init makes them for q). */
void pn_mpi_unpack_done(const uint64_t *msg, const pn_query *q, pn_range *r, double *seconds,
                        pn_histogram *counts);

/* Sends a FAIL message with st and err's message to rank 0. */
void pn_mpi_send_fail(MPI_Comm comm, pn_status st, const pn_error *err);

/* What rank 0 measured, for PN_MPI_STATS and the bench. */
typedef struct pn_mpi_stats {
    unsigned workers;
    uint64_t chunks;         /* chunks received and added to the ledger */
    double handling_seconds; /* in rank 0's handlers: receive, add up, hand out */
    double work_seconds;     /* from the first chunk handed out to the last added */
    double serve_seconds;    /* rank 0's whole chunk loop, waiting included */
    double cpu_seconds;      /* rank 0's processor time in that loop (polls included) */
    uint64_t scenarios;      /* scenarios enumerated in this run */
    bool released;           /* the workers were told to leave at once, without
                                MPI_Finalize: rank 0 must not call it either */
} pn_mpi_stats;

/* Rank 0 of comm (size >= 2): hands out l's gaps to ranks 1..size-1 as
 * chunks (pn_chunk_schedule: about min(3 s, plan->every / 4) of work each,
 * sized by each rank's measured rate), adds each finished chunk's counts to
 * the ledger, saves it when a save is due (plan->path, the first save
 * already made by the caller) and at the end, and draws progress through
 * run->progress (rate per rank, total, ETA). Rank 0 computes nothing itself.
 * When every rank has stopped, run->engine_used names the engines and
 * run->notes holds the workers' notes. On run->progress.cancel (SIGINT,
 * SIGTERM), or a worker interrupted: saves the ledger (finished chunks
 * only), tells every worker to leave with 130 and returns
 * PN_ERR_INTERRUPTED without waiting for them (stats->released). On a
 * worker's failure: stops handing out, adds the chunks still in flight as
 * they arrive, tells every worker to finish, saves, and returns the first
 * failure. A message out of protocol also releases the workers at once. */
pn_status pn_mpi_coordinate(MPI_Comm comm, pn_ledger *l, pn_run *run,
                            const pn_checkpoint_plan *plan, pn_mpi_stats *stats, pn_error *err);

/* A worker rank: opens the enumerator `kind` names on run->device, says
 * HELLO, then enumerates each chunk of `question` rank 0 sends until told to
 * stop, and sets *exit_status to the STOP's status. A failure (the
 * enumerator cannot open, a chunk fails) is sent to rank 0, which then
 * stops this worker; an interrupted chunk returns PN_ERR_INTERRUPTED at
 * once. */
pn_status pn_mpi_work(MPI_Comm comm, const pn_query *question, pn_engine_kind kind, pn_run *run,
                      int *exit_status, pn_error *err);

#endif
