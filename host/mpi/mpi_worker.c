/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpi_worker.c -- a worker rank of powernap_calculator-mpi: one enumerator kept open, each chunk rank 0 sends counted and sent back. */
#include "mpi/pn_mpi.h"

#include <stdlib.h>
#include <string.h>

#include "base/pn_duration.h"

/* An empty chunk before the first real one: the OpenCL engine builds and
 * self-tests its kernel for the question's model now, so the first chunk's
 * time (which sizes the next) is the rate alone, and run->engine_used names
 * the engine for HELLO. */
static pn_status warm_up(pn_enumerator *e, const pn_query *question, pn_run *run, pn_error *err)
{
    pn_histogram *counts = NULL;
    pn_status st = pn_checkpoint_count(e, question, (pn_range){.first = 0, .count = 0}, run,
                                       &counts, err);
    pn_histograms_free(counts, counts ? question->levels.n : 0);
    return st;
}

/* HELLO: the engine that will count, then its notes (a fallback to the cpu
 * engine, say), so rank 0 can label the report and show the notes. */
static void send_hello(MPI_Comm comm, const pn_run *run)
{
    size_t engine = strlen(run->engine_used), notes = strlen(run->notes);
    char text[sizeof run->engine_used + sizeof run->notes];
    memcpy(text, run->engine_used, engine + 1);
    memcpy(text + engine + 1, run->notes, notes + 1);
    MPI_Send(text, (int)(engine + notes + 2), MPI_CHAR, 0, PN_MPI_HELLO, comm);
}

/* Counts one chunk and sends it back as DONE; a failure is the caller's to
 * report. `msg` has room for the DONE message. */
static pn_status count_chunk(MPI_Comm comm, pn_enumerator *e, const pn_query *question,
                             pn_range r, pn_run *run, uint64_t *msg, pn_error *err)
{
    pn_histogram *counts = NULL;
    double t0 = pn_now_seconds();
    pn_status st = pn_checkpoint_count(e, question, r, run, &counts, err);
    if (st == PN_OK)
        st = pn_mpi_pack_done(r, pn_now_seconds() - t0, question, counts, msg, err);
    if (st == PN_OK)
        MPI_Send(msg, (int)pn_mpi_done_words(question), MPI_UINT64_T, 0, PN_MPI_DONE, comm);
    pn_histograms_free(counts, counts ? question->levels.n : 0);
    return st;
}

/* Answers rank 0's messages until a STOP: chunks are counted, a failure is
 * reported once (rank 0 then sends STOP); an interruption ends at once. */
static pn_status serve(MPI_Comm comm, pn_enumerator *e, const pn_query *question, pn_run *run,
                       int *exit_status, pn_error *err)
{
    uint64_t *msg = malloc(pn_mpi_done_words(question) * sizeof *msg);
    if (!msg)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a chunk's message");
    pn_status first = PN_OK;
    MPI_Status ms;
    while (pn_mpi_wait(comm, 0, run->progress.cancel, &ms)) {
        if (ms.MPI_TAG == PN_MPI_STOP) {
            MPI_Recv(exit_status, 1, MPI_INT, 0, PN_MPI_STOP, comm, MPI_STATUS_IGNORE);
            free(msg);
            return first;
        }
        uint64_t range[2];
        MPI_Recv(range, 2, MPI_UINT64_T, 0, PN_MPI_CHUNK, comm, MPI_STATUS_IGNORE);
        pn_range r = {.first = range[0], .count = range[1]};
        pn_status st = first == PN_OK ? count_chunk(comm, e, question, r, run, msg, err) : first;
        if (st != PN_OK && first == PN_OK) {
            pn_mpi_send_fail(comm, st, err);
            first = st;
        }
        if (st == PN_ERR_INTERRUPTED)
            break;
    }
    free(msg);
    *exit_status = 130;
    return first != PN_OK ? first : pn_fail(err, PN_ERR_INTERRUPTED, "interrupted");
}

pn_status pn_mpi_work(MPI_Comm comm, const pn_query *question, pn_engine_kind kind, pn_run *run,
                      int *exit_status, pn_error *err)
{
    pn_enumerator e = {0};
    *exit_status = 0;
    pn_status st = pn_enumerator_open(kind, run, &e, err);
    if (st == PN_OK)
        st = warm_up(&e, question, run, err);
    if (st == PN_OK)
        send_hello(comm, run);
    else
        pn_mpi_send_fail(comm, st, err);
    pn_error serve_err;
    pn_status served = serve(comm, &e, question, run, exit_status, st == PN_OK ? err : &serve_err);
    pn_enumerator_close(&e);
    return st != PN_OK ? st : served;
}
