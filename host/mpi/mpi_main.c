/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpi_main.c -- the powernap_calculator-mpi command: rank 0 answers alone or coordinates, every other rank enumerates the chunks it is given. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli/pn_command.h"
#include "mpi/pn_mpi.h"
#include "opencl/pn_opencl_rank_device.h"
#include "slice/pn_question_doc.h"
#include "cli/pn_terminal.h"
#include "report/pn_plot.h"

/* What rank 0 tells every other rank after reading the options. */
enum mode { ALONE = 0, DISTRIBUTE = 1 };

/* The broadcast: the mode and the length of the question's text, then (to
 * distribute) that text, pn_question_doc_text's: the whole question, fleet
 * and levels included (a restored run's question is in a ledger only rank 0
 * may be able to read). */
#define PLAN_WORDS 2

/* A run the ranks share: an answer by enumeration, with more than one rank.
 * Everything else (help, --keyspace, merge, --verify, the exact engine) is
 * rank 0's alone, as in powernap_calculator. */
static bool distributable(const pn_options *opts, int size)
{
    return size > 1 && opts->action == PN_ACTION_REPORT && !opts->verify &&
           opts->engine != PN_ENGINE_EXACT;
}

/* auto with a question no engine can enumerate (a keyspace, or the slots
 * weights of one of its levels, past 64 bits) is the exact engine's, on
 * rank 0. */
static bool exact_is_the_answer(const pn_options *opts, const pn_query *q)
{
    if (opts->engine != PN_ENGINE_AUTO || opts->checkpoint || opts->restore)
        return false;
    for (size_t i = 0; i < q->levels.n; i++) {
        pn_error ignored;
        uint64_t first, count;
        pn_query one = pn_query_level(q, i);
        if (pn_query_enumeration_range(&one, &first, &count, &ignored) != PN_OK)
            return true;
    }
    return false;
}

/* Rank 0 before the broadcast: the question (a restored run's from its
 * ledger, which opts then asks), whether the ranks share it (*shared), and
 * for a shared run its ledger, locked and first saved (so a refused
 * --checkpoint costs no rank anything), and the question's text for the
 * workers. *lv holds a sweep's or a load curve's levels (free them with
 * pn_levels_clear). A restored ledger with nothing left to do is not
 * shared: rank 0 reports it alone, without rewriting it, so it lets the
 * ledger go again here. */
static pn_status prepare(pn_options *opts, pn_levels *lv, pn_ledger *l,
                         const pn_checkpoint_plan *plan, bool *shared, char **text, size_t *len,
                         pn_error *err)
{
    pn_query q = opts->query;
    pn_status st = opts->restore ? PN_OK : pn_command_question(opts, &q, lv, err);
    if (st != PN_OK || exact_is_the_answer(opts, &q)) {
        *shared = false;
        return st;
    }
    st = pn_command_open_ledger(opts, &q, plan->lock, l, err);
    pn_range gap;
    if (st == PN_OK && !plan->must_be_new && !pn_ledger_next_gap(l, 0, &gap)) {
        *shared = false;
        pn_ledger_clear(l);
        pn_ledger_lock_release(plan->lock);
        return PN_OK;
    }
    if (st == PN_OK && plan->path)
        st = pn_ledger_save(plan->path, l, plan->must_be_new, plan->lock, err);
    if (st == PN_OK)
        st = pn_question_doc_text(&l->query, text, len, err);
    return st;
}

/* PN_MPI_STATS=1: what rank 0 spent per chunk, on stderr after the report. */
static void print_stats(const pn_mpi_stats *s)
{
    const char *want = getenv("PN_MPI_STATS");
    if (!want || strcmp(want, "1") != 0)
        return;
    double chunks = s->chunks ? (double)s->chunks : 1;
    double busy = s->serve_seconds > 0 ? 100 * s->cpu_seconds / s->serve_seconds : 0;
    fprintf(stderr, "mpi stats: %u worker ranks, %llu chunks, rank 0 handled each in %.1f us; "
                    "rank 0 used %.2f%% of a core while serving (%.3f s cpu in %.3f s); "
                    "%llu scenarios in %.3f s (%.4g scenarios/s)\n",
            s->workers, (unsigned long long)s->chunks, 1e6 * s->handling_seconds / chunks, busy,
            s->cpu_seconds, s->serve_seconds, (unsigned long long)s->scenarios, s->work_seconds,
            s->work_seconds > 0 ? (double)s->scenarios / s->work_seconds : 0.0);
}

/* Where rank 0 draws progress: stderr when it is a terminal (as
 * powernap_calculator does); under mpirun, whose ranks write stderr into a
 * pipe, the terminal mpirun runs in (/dev/tty) when there is one. NULL:
 * stderr, which pn_progress_line_init then judges. */
static FILE *progress_stream(bool quiet)
{
    if (quiet || isatty(STDERR_FILENO))
        return NULL;
    return fopen("/dev/tty", "w");
}

/* Rank 0 of a distributed run: coordinates, then reports. *finalize is
 * false when the workers were told to leave without MPI_Finalize. */
static int coordinate(const pn_options *opts, pn_ledger *l, const pn_checkpoint_plan *plan,
                      bool *finalize)
{
    static volatile sig_atomic_t stop_requested;
    pn_progress_line line;
    pn_error err;
    pn_mpi_stats stats;
    pn_run run = {.device = opts->device, .force = opts->force};
    FILE *tty = progress_stream(opts->quiet);
    pn_progress_line_init(&line, tty ? tty : stderr, opts->quiet);
    line.status_every = opts->status_every;
    pn_install_stop_handlers(&stop_requested);
    run.progress = (pn_progress){.update = pn_progress_line_update, .ctx = &line,
                                 .cancel = &stop_requested};
    pn_status st = pn_mpi_coordinate(MPI_COMM_WORLD, l, &run, plan, &stats, &err);
    pn_progress_line_finish(&line);
    if (tty)
        fclose(tty);
    pn_query q = l->query;
    pn_histogram *hists = NULL;
    char *load_curve = NULL;
    if (st == PN_OK)
        pn_command_take_answer(l, &q, &hists, &load_curve);
    int rc = pn_command_finish(opts, st, &q, hists, &run, &err);
    pn_histograms_free(hists, hists ? q.levels.n : 0);
    if (st == PN_OK)
        pn_levels_clear(&q.levels);
    free(load_curve);
    if (st == PN_OK)
        print_stats(&stats);
    *finalize = !stats.released;
    return rc;
}

/* Rank 0: decides who answers, tells the others, and answers. *finalize
 * is false when the workers were told to leave without MPI_Finalize. */
static int lead(const pn_options *given, pn_status parsed, const pn_error *parse_err, int size,
                bool *finalize)
{
    pn_options copy = *given, *opts = &copy; /* --restore makes it the ledger's question */
    uint64_t plan_words[PLAN_WORDS] = {ALONE, 0};
    pn_ledger l = {0};
    pn_ledger_lock lock = PN_LEDGER_LOCK_NONE;
    pn_levels lv = {0};
    char *text = NULL;
    size_t len = 0;
    pn_error err;
    pn_checkpoint_plan plan = {.path = opts->restore ? opts->restore : opts->checkpoint,
                               .every = opts->checkpoint_every,
                               .must_be_new = opts->checkpoint != NULL, .lock = &lock};
    pn_status st = parsed;
    bool shared = st == PN_OK && distributable(opts, size);
    if (shared && opts->plot) /* before the ledger's first save, as pn_command_run does */
        st = pn_plot_check_path(opts->plot, &err);
    if (shared && st == PN_OK &&
        (st = prepare(opts, &lv, &l, &plan, &shared, &text, &len, &err)) == PN_OK && shared) {
        plan_words[0] = DISTRIBUTE;
        plan_words[1] = len;
    }
    MPI_Bcast(plan_words, PLAN_WORDS, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (plan_words[0] == DISTRIBUTE)
        MPI_Bcast(text, (int)len, MPI_CHAR, 0, MPI_COMM_WORLD);
    int rc;
    if (parsed != PN_OK)
        rc = pn_command_fail(parsed, parse_err->msg);
    else if (st != PN_OK)
        rc = pn_command_fail(st, err.msg);
    else if (!shared)
        rc = pn_command_run(given);
    else {
        MPI_Comm none;
        MPI_Comm_split(MPI_COMM_WORLD, MPI_UNDEFINED, 0, &none);
        rc = coordinate(opts, &l, &plan, finalize);
    }
    pn_ledger_clear(&l);
    pn_ledger_lock_release(&lock);
    pn_levels_clear(&lv);
    free(text);
    return rc;
}

/* A worker's place among the workers of its node (MPI_COMM_TYPE_SHARED),
 * which picks its device. Collective with rank 0's MPI_UNDEFINED split. */
static unsigned node_local_index(void)
{
    MPI_Comm workers, node;
    int local = 0;
    MPI_Comm_split(MPI_COMM_WORLD, 1, 0, &workers);
    MPI_Comm_split_type(workers, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Comm_rank(node, &local);
    MPI_Comm_free(&node);
    MPI_Comm_free(&workers);
    return (unsigned)local;
}

/* A worker's SIGINT/SIGTERM handler: the flag its engine watches, and a
 * grace timer. Unlike the command's (pn_install_stop_handlers) it stays
 * silent, since rank 0 speaks for the job, and a second signal, which the
 * launcher sends as it tears the job down, leaves quietly with 130. */
static volatile sig_atomic_t worker_stop;

static void worker_leave(int sig)
{
    (void)sig;
    _exit(130);
}

static void worker_on_signal(int sig)
{
    if (worker_stop)
        worker_leave(sig);
    worker_stop = 1;
    struct itimerval grace = {.it_value = {.tv_sec = 1}};
    setitimer(ITIMER_REAL, &grace, NULL);
}

static void worker_install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = worker_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = worker_leave;
    sigaction(SIGALRM, &sa, NULL);
}

/* A worker rank: its device, unless --device chose one or the cpu engine
 * needs none (auto with no OpenCL falls back to cpu when it opens). */
static int follow(const pn_options *opts, bool *finalize)
{
    uint64_t plan_words[PLAN_WORDS];
    MPI_Bcast(plan_words, PLAN_WORDS, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (plan_words[0] != DISTRIBUTE)
        return 0;
    size_t len = (size_t)plan_words[1];
    char *text = malloc(len + 1);
    if (!text) /* the broadcast cannot be received: the job cannot go on */
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Bcast(text, (int)len, MPI_CHAR, 0, MPI_COMM_WORLD);
    unsigned local = node_local_index();
    worker_install_handlers();
    pn_run run = {.device = opts->device, .force = opts->force,
                  .progress = {.cancel = &worker_stop}};
    pn_error err;
    if (!opts->device.chosen && !opts->device.all && opts->engine != PN_ENGINE_CPU)
        (void)pn_cl_rank_device(local, &run.device, &err); /* none: the engine says so */
    pn_query question = {0};
    int exit_status = 0;
    /* a question that does not read back fails in the worker's first chunk,
     * which tells rank 0 */
    (void)pn_question_doc_parse(text, len, &question, &err);
    free(text);
    (void)pn_mpi_work(MPI_COMM_WORLD, &question, opts->engine, &run, &exit_status, &err);
    pn_levels_clear(&question.levels);
    *finalize = exit_status == 0;
    return exit_status; /* rank 0 reports what went wrong */
}

int main(int argc, char **argv)
{
    pn_command_setup();
    MPI_Init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    pn_options opts;
    pn_error err;
    pn_status parsed = pn_cli_parse(argc, argv, &opts, &err);
    bool finalize = true;
    int rc = rank == 0 ? lead(&opts, parsed, &err, size, &finalize) : follow(&opts, &finalize);
    pn_cli_free(&opts);
    fflush(stdout);
    fflush(stderr);
    if (finalize)
        MPI_Finalize();
    return rc;
}
