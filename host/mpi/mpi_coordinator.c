/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpi_coordinator.c -- rank 0 of powernap_calculator-mpi: hands out chunks, adds their exact counts to the ledger, saves it when due, draws progress. */
#include "mpi/pn_mpi.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "slice/pn_chunk_schedule.h"
#include "base/pn_duration.h"

/* Seconds of work one chunk aims at (or a quarter of the save interval when
 * that is shorter): a few seconds keeps rank 0's cost per chunk noise and
 * lets ranks of different speeds finish within about a chunk of each other,
 * which the schedule's tail shares then cut to a fraction of a second. */
#define CHUNK_SECONDS 3.0
/* How often rank 0 hands the progress line a new estimate. */
#define PROGRESS_SECONDS 0.1

typedef enum worker_state { STARTING, BUSY, STOPPED } worker_state;

/* Rank 0's view of the run; worker w is rank w + 1. */
typedef struct coordinator {
    MPI_Comm comm;
    unsigned nworkers, live;  /* workers, and those not yet stopped */
    worker_state *state;
    pn_ledger *l;
    pn_run *run;
    const pn_checkpoint_plan *plan;
    pn_chunk_schedule sched;
    uint64_t *msg;            /* one DONE message */
    pn_histogram *counts;     /* one chunk's counts, one histogram per level */
    bool leave_now;           /* stop serving; workers leave without MPI_Finalize */
    pn_status failed;         /* the first failure; stops the handing out */
    pn_error *err;
    pn_mpi_stats *stats;
    double started, first_chunk, last_result, last_save, last_progress;
    uint64_t done_at_start;
    char engine[256];         /* the first worker's engine */
    bool mixed;               /* another worker named another engine */
    char last_notes[sizeof ((pn_run *)0)->notes];
} coordinator;

/* Records the first failure; later ones only add to the noise. */
static void fail(coordinator *c, pn_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(coordinator *c, pn_status st, const char *fmt, ...)
{
    if (c->failed != PN_OK)
        return;
    c->failed = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
}

static void send_stop(coordinator *c, unsigned w, int status)
{
    MPI_Send(&status, 1, MPI_INT, (int)w + 1, PN_MPI_STOP, c->comm);
    c->state[w] = STOPPED;
    c->live--;
}

/* Worker w is waiting: its next chunk, or STOP when nothing is left (or a
 * failure ended the handing out). */
static void give_work(coordinator *c, unsigned w)
{
    pn_range r;
    double now = pn_now_seconds();
    if (c->failed != PN_OK || !pn_chunk_schedule_next(&c->sched, w, now, &r)) {
        send_stop(c, w, 0);
        return;
    }
    if (c->first_chunk == 0)
        c->first_chunk = now;
    uint64_t range[2] = {r.first, r.count};
    MPI_Send(range, 2, MPI_UINT64_T, (int)w + 1, PN_MPI_CHUNK, c->comm);
    c->state[w] = BUSY;
}

/* HELLO: the worker's engine and notes, then its first chunk. */
static void on_hello(coordinator *c, unsigned w, int len)
{
    char *text = calloc((size_t)len + 2, 1);
    if (!text || MPI_Recv(text, len, MPI_CHAR, (int)w + 1, PN_MPI_HELLO, c->comm,
                          MPI_STATUS_IGNORE) != MPI_SUCCESS) {
        fail(c, PN_ERR_NOMEM, "rank %u: its HELLO could not be received", w + 1);
        free(text);
        send_stop(c, w, 0);
        return;
    }
    const char *notes = text + strlen(text) + 1;
    if (!c->engine[0])
        snprintf(c->engine, sizeof c->engine, "%s", text);
    else if (strcmp(c->engine, text) != 0)
        c->mixed = true;
    if (*notes && strcmp(notes, c->last_notes) != 0) { /* the same note from every rank: once */
        snprintf(c->last_notes, sizeof c->last_notes, "%s", notes);
        for (const char *line = notes; *line;) {
            size_t n = strcspn(line, "\n");
            pn_run_note(c->run, "rank %u: %.*s", w + 1, (int)n, line);
            line += n + (line[n] == '\n');
        }
    }
    free(text);
    give_work(c, w);
}

/* DONE: the chunk's counts into the ledger, then the worker's next chunk. */
static void on_done(coordinator *c, unsigned w, int len)
{
    int want = (int)pn_mpi_done_words(&c->l->query);
    pn_range r;
    double seconds;
    if (len != want || c->state[w] != BUSY ||
        MPI_Recv(c->msg, want, MPI_UINT64_T, (int)w + 1, PN_MPI_DONE, c->comm,
                 MPI_STATUS_IGNORE) != MPI_SUCCESS) {
        fail(c, PN_ERR_IO, "rank %u sent a result rank 0 did not expect", w + 1);
        send_stop(c, w, 0);
        return;
    }
    pn_mpi_unpack_done(c->msg, &c->l->query, &r, &seconds, c->counts);
    pn_range given = c->sched.workers[w].chunk;
    if (r.first != given.first || r.count != given.count) {
        fail(c, PN_ERR_IO, "rank %u sent the counts of a chunk it was not given", w + 1);
        send_stop(c, w, 0);
        return;
    }
    pn_chunk_schedule_done(&c->sched, w, seconds);
    pn_error add_err;
    if (pn_ledger_add(c->l, r, c->counts, &add_err) != PN_OK)
        fail(c, PN_ERR_IO, "rank %u: %s", w + 1, add_err.msg);
    c->stats->chunks++;
    c->stats->scenarios += r.count;
    c->last_result = pn_now_seconds();
    give_work(c, w);
}

/* FAIL: the first failure ends the handing out; an interrupted worker has
 * already left. */
static void on_fail(coordinator *c, unsigned w, int len)
{
    char *text = calloc((size_t)len + 2, 1);
    if (text)
        MPI_Recv(text, len, MPI_CHAR, (int)w + 1, PN_MPI_FAIL, c->comm, MPI_STATUS_IGNORE);
    pn_status st = text && text[0] > '0' && text[0] <= '9' ? (pn_status)(text[0] - '0')
                                                            : PN_ERR_IO;
    if (st == PN_ERR_INTERRUPTED) {
        c->leave_now = true;
        c->state[w] = STOPPED;
        c->live--;
    } else {
        fail(c, st, "rank %u: %s", w + 1, text ? text + 1 : "out of memory");
        send_stop(c, w, 0);
    }
    free(text);
}

/* One message, whichever it is. */
static void handle(coordinator *c, const MPI_Status *ms)
{
    double t0 = pn_now_seconds();
    int len = 0;
    unsigned w = (unsigned)ms->MPI_SOURCE - 1;
    MPI_Get_count(ms, ms->MPI_TAG == PN_MPI_DONE ? MPI_UINT64_T : MPI_CHAR, &len);
    if (ms->MPI_SOURCE < 1 || w >= c->nworkers || c->state[w] == STOPPED) {
        fail(c, PN_ERR_IO, "rank %d sent a message out of turn", ms->MPI_SOURCE);
        c->leave_now = true; /* nothing sane is left to wait for */
        return;
    }
    switch (ms->MPI_TAG) {
    case PN_MPI_HELLO: on_hello(c, w, len); break;
    case PN_MPI_DONE: on_done(c, w, len); break;
    case PN_MPI_FAIL: on_fail(c, w, len); break;
    default:
        fail(c, PN_ERR_IO, "rank %d sent a message with tag %d", ms->MPI_SOURCE, ms->MPI_TAG);
        c->leave_now = true;
    }
    c->stats->handling_seconds += pn_now_seconds() - t0;
}

/* The progress line's view: ledger, plus what the running chunks should
 * have done by now; per rank, the rate of its last chunk. */
static void show_progress(coordinator *c, double now)
{
    pn_progress *p = &c->run->progress;
    if (!p->update || now - c->last_progress < PROGRESS_SECONDS)
        return;
    c->last_progress = now;
    uint64_t total = c->l->query.count;
    uint64_t done = pn_ledger_done(c->l) + pn_chunk_schedule_running(&c->sched, now);
    pn_progress_report r = {.done = done < total ? done : total, .total = total,
                            .device_base = 1};
    if (now > c->started)
        r.rate = (double)(r.done - c->done_at_start) / (now - c->started);
    r.devices = c->nworkers < PN_PROGRESS_MAX_DEVICES ? c->nworkers : PN_PROGRESS_MAX_DEVICES;
    for (unsigned w = 0; w < r.devices; w++)
        r.device_rate[w] = c->sched.workers[w].rate;
    p->update(p->ctx, &r);
}

static pn_status save(coordinator *c, pn_error *err)
{
    c->last_save = pn_now_seconds();
    return c->plan->path ? pn_ledger_save(c->plan->path, c->l, false, c->plan->lock, err) : PN_OK;
}

/* Until every worker has stopped: messages as they come, else progress, a
 * save when due, and a short sleep. Leaves early when interrupted. */
static void serve(coordinator *c)
{
    const struct timespec nap = {0, (long)(PN_MPI_POLL_SECONDS * 1e9)};
    volatile sig_atomic_t *cancel = c->run->progress.cancel;
    while (c->live > 0 && !c->leave_now) {
        int arrived = 0;
        MPI_Status ms;
        if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, c->comm, &arrived, &ms) != MPI_SUCCESS) {
            fail(c, PN_ERR_IO, "rank 0: MPI_Iprobe failed");
            c->leave_now = true;
        } else if (arrived)
            handle(c, &ms);
        else if (cancel && *cancel)
            c->leave_now = true;
        else {
            double now = pn_now_seconds();
            show_progress(c, now);
            pn_error save_err;
            if (c->plan->path && now - c->last_save >= c->plan->every &&
                save(c, &save_err) != PN_OK)
                fail(c, PN_ERR_IO, "%s", save_err.msg);
            nanosleep(&nap, NULL);
        }
    }
}

/* "opencl (...) on 2 MPI worker ranks", for the report and the ledger. */
static void name_engines(coordinator *c)
{
    snprintf(c->run->engine_used, sizeof c->run->engine_used, "%.200s%s on %u MPI worker rank%s",
             c->engine[0] ? c->engine : "none", c->mixed ? " and others" : "", c->nworkers,
             c->nworkers == 1 ? "" : "s");
    snprintf(c->l->engine, sizeof c->l->engine, "%s", c->run->engine_used);
}

/* The end: when leaving now, every worker still running told to leave at
 * once with 130; the ledger saved; the status with its message. */
static pn_status finish(coordinator *c, pn_error *err)
{
    for (unsigned w = 0; c->leave_now && w < c->nworkers; w++)
        if (c->state[w] != STOPPED)
            send_stop(c, w, 130);
    c->stats->released = c->leave_now;
    name_engines(c);
    pn_error save_err;
    pn_status saved = save(c, &save_err);
    if (c->failed != PN_OK)
        return c->failed;
    if (saved != PN_OK)
        return pn_fail(err, saved, "%s", save_err.msg);
    if (!c->leave_now)
        return PN_OK;
    unsigned long long done = pn_ledger_done(c->l), total = c->l->query.count;
    if (c->plan->path)
        return pn_fail(err, PN_ERR_INTERRUPTED, "interrupted: %llu of %llu scenarios are in "
                                                "the ledger %s; continue with --restore %s",
                       done, total, c->plan->path, c->plan->path);
    return pn_fail(err, PN_ERR_INTERRUPTED, "interrupted after %llu of %llu scenarios", done,
                   total);
}

/* This process's processor time so far, user and system, all threads. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

pn_status pn_mpi_coordinate(MPI_Comm comm, pn_ledger *l, pn_run *run,
                            const pn_checkpoint_plan *plan, pn_mpi_stats *stats, pn_error *err)
{
    int size = 1;
    MPI_Comm_size(comm, &size);
    double target = plan->every > 0 && plan->every / 4 < CHUNK_SECONDS ? plan->every / 4
                                                                        : CHUNK_SECONDS;
    coordinator c = {.comm = comm, .nworkers = (unsigned)size - 1, .live = (unsigned)size - 1,
                     .l = l, .run = run, .plan = plan, .err = err, .stats = stats,
                     .started = pn_now_seconds(), .done_at_start = pn_ledger_done(l)};
    *stats = (pn_mpi_stats){.workers = c.nworkers};
    c.last_save = c.last_progress = c.started;
    c.state = calloc(c.nworkers, sizeof *c.state);
    c.msg = calloc(pn_mpi_done_words(&l->query), sizeof *c.msg);
    pn_status st = c.state && c.msg ? pn_histograms_init(&c.counts, &l->query, err)
                                    : pn_fail(err, PN_ERR_NOMEM, "out of memory for rank 0");
    if (st == PN_OK)
        st = pn_chunk_schedule_init(&c.sched, l, c.nworkers, target, err);
    if (st == PN_OK) {
        double cpu0 = cpu_seconds();
        serve(&c);
        stats->cpu_seconds = cpu_seconds() - cpu0;
        stats->serve_seconds = pn_now_seconds() - c.started;
        st = finish(&c, err);
    } else { /* no schedule: every worker leaves at once */
        for (int rank = 1; rank < size; rank++)
            MPI_Send(&(int){1}, 1, MPI_INT, rank, PN_MPI_STOP, comm);
        stats->released = true;
    }
    if (c.last_result > c.first_chunk && c.first_chunk > 0)
        stats->work_seconds = c.last_result - c.first_chunk;
    pn_chunk_schedule_clear(&c.sched);
    pn_histograms_free(c.counts, c.counts ? l->query.levels.n : 0);
    free(c.msg);
    free(c.state);
    return st;
}
