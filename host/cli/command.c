/* SPDX-License-Identifier: GPL-3.0-or-later */
/* command.c -- the command's front end, shared by both mains: answers parsed options, writes the report on stdout and messages on stderr, and picks the exit status. */
#include "cli/pn_command.h"
#include "cli/pn_command_replay.h"

#include <errno.h>
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slice/pn_checkpoint.h"
#include "engine/pn_forecast.h"
#include "question/pn_load_curve.h"
#include "slice/pn_merge.h"
#include "report/pn_plot.h"
#include "report/pn_report_levels.h"
#include "opencl/pn_opencl_device.h"
#include "report/pn_report_simulate.h"
#include "simulate/pn_simulate_stats.h"
#include "cli/pn_idle_options.h"
#include "cli/pn_terminal.h"

#ifndef PN_VERSION
#define PN_VERSION "unknown"
#endif

static const char PROGRAM[] = "powernap_calculator";

/* Writes msg with every control byte escaped (\n, \t, \xNN), so a value
 * the user typed with a newline in it cannot split the one-line error. */
static void write_escaped(FILE *out, const char *msg)
{
    for (const unsigned char *c = (const unsigned char *)msg; *c; c++) {
        if (*c == '\n')
            fputs("\\n", out);
        else if (*c == '\t')
            fputs("\\t", out);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(out, "\\x%02x", *c);
        else
            fputc(*c, out);
    }
}

/* Bad input, as GNU tools say it: one line naming the problem, then one
 * pointing to --help (a synopsis here would be the wrong one for merge,
 * --fleet or --restore, and would bury the problem); exit 2. */
static int usage_error(const char *msg)
{
    fprintf(stderr, "%s: ", PROGRAM);
    write_escaped(stderr, msg);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", PROGRAM);
    return 2;
}

int pn_command_fail(pn_status st, const char *msg)
{
    if (st == PN_ERR_USAGE)
        return usage_error(msg);
    fprintf(stderr, "%s: %s\n", PROGRAM, msg);
    return pn_status_exit_code(st);
}

/* Prints stdout text and checks the write reached its destination. */
static int print_stdout(const char *text)
{
    if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
        perror("powernap_calculator: writing to standard output failed");
        return 1;
    }
    return 0;
}

static int show_version(void)
{
    return print_stdout(
        "powernap_calculator " PN_VERSION "\n"
        "A C and OpenCL rewrite of the 2009 powernap_calculator by Dustin Kirkland.\n"
        "Copyright (C) 2026 the powernap_calculator authors.\n"
        "The 2009 original is Copyright (C) 2009 Canonical Ltd.\n"
        "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
        "This is free software: you are free to change and redistribute it.\n"
        "There is NO WARRANTY, to the extent permitted by law.\n");
}

static int list_devices(void)
{
    char *text = NULL;
    pn_error err;
    pn_status st = pn_cl_list_devices(&text, &err);
    if (st != PN_OK)
        return pn_command_fail(st, err.msg);
    int rc = print_stdout(text);
    free(text);
    return rc;
}

/* --keyspace: (p+1)^h exactly, however large. */
static int show_keyspace(const pn_query *q)
{
    mpz_t keyspace;
    mpz_init(keyspace);
    pn_query_keyspace_mpz(q, keyspace);
    char *text = mpz_get_str(NULL, 10, keyspace);
    int rc = print_stdout(text);
    if (rc == 0)
        rc = print_stdout("\n");
    free(text);
    mpz_clear(keyspace);
    return rc;
}

/* Writes each line of notes to stderr, prefixed with the program name,
 * unless quiet. */
static void print_notes(const char *notes, bool quiet)
{
    if (quiet)
        return;
    for (const char *line = notes; *line;) {
        size_t len = strcspn(line, "\n");
        fprintf(stderr, "%s: %.*s\n", PROGRAM, (int)len, line);
        line += len + (line[len] == '\n');
    }
}

/* --checkpoint PATH: the directory it goes in exists and is one, checked
 * before the work, so a mistyped directory is bad input naming it (the
 * first save would otherwise fail on its temporary file, after the work). */
static pn_status check_checkpoint_dir(const char *path, pn_error *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    size_t len = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
    if (len >= sizeof dir)
        return pn_fail(err, PN_ERR_USAGE, "--checkpoint %s: the directory's name is too long",
                       path);
    memcpy(dir, len ? path : ".", len ? len : 2);
    dir[len ? len : 1] = '\0';
    struct stat sb;
    if (stat(dir, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR))
        return pn_fail(err, PN_ERR_USAGE, "--checkpoint %s: the directory %s does not exist", path,
                       dir);
    if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return pn_fail(err, PN_ERR_USAGE, "--checkpoint %s: %s is not a directory", path, dir);
    if (access(dir, W_OK | X_OK) != 0 && errno == EACCES)
        return pn_fail(err, PN_ERR_USAGE, "--checkpoint %s: the directory %s is not writable",
                       path, dir);
    return PN_OK;
}

pn_status pn_command_open_ledger(pn_options *opts, const pn_query *q, pn_ledger_lock *lock,
                                 pn_ledger *l, pn_error *err)
{
    memset(l, 0, sizeof *l);
    *lock = PN_LEDGER_LOCK_NONE;
    const char *path = opts->restore ? opts->restore : opts->checkpoint;
    pn_status st = opts->checkpoint && !opts->restore ? check_checkpoint_dir(opts->checkpoint, err)
                                                      : PN_OK;
    if (st == PN_OK && path)
        st = pn_ledger_lock_take(path, !opts->restore, lock, err);
    if (st == PN_OK && opts->restore) { /* read under the lock */
        st = pn_ledger_load(opts->restore, l, err);
        if (st == PN_OK)
            st = pn_cli_adopt_ledger(opts, &l->query, l->load_curve, err);
    } else if (st == PN_OK) {
        st = pn_ledger_init(l, q, err);
        if (st == PN_OK && opts->load_curve)
            st = pn_ledger_set_load_curve(l, opts->load_curve, err);
    }
    lock->on_disk = pn_ledger_done(l);
    return st;
}

void pn_command_take_answer(pn_ledger *l, pn_query *q, pn_histogram **hists, char **load_curve)
{
    *q = l->query;
    if (q->first == 0 && q->count == q->keyspace) /* the whole question: not a slice */
        q->sliced = false;
    *hists = l->hists;
    *load_curve = l->load_curve;
    l->hists = NULL;
    l->load_curve = NULL;
    l->query.levels = (pn_levels){0};
}

/* What a chunked run leaves its caller: the ledger's question, levels and
 * curve's name (owned here once the run is done), for the report. */
typedef struct taken {
    pn_query query;
    char *load_curve;
} taken;

/* --checkpoint / --restore: the run in chunks into its ledger (from the file
 * for --restore, whose question then replaces opts's). On success the
 * ledger's question, counts (one histogram per level) and curve's name
 * move into *out and *hists; a run stopped early has its ledger saved. */
static pn_status long_run(pn_options *opts, const pn_query *q, pn_run *run, taken *out,
                          pn_histogram **hists, pn_error *err)
{
    const char *load_curve = opts->load_curve;
    pn_ledger ledger;
    pn_ledger_lock lock = PN_LEDGER_LOCK_NONE;
    pn_status st = pn_command_open_ledger(opts, q, &lock, &ledger, err);
    pn_checkpoint_plan plan = {.path = opts->restore ? opts->restore : opts->checkpoint,
                               .every = opts->checkpoint_every,
                               .must_be_new = opts->checkpoint != NULL, .lock = &lock};
    if (st == PN_OK)
        st = pn_checkpoint_run(opts->engine, &ledger, run, &plan, err);
    if (st == PN_OK) {
        pn_command_take_answer(&ledger, &out->query, hists, &out->load_curve);
        opts->load_curve = opts->load_curve ? out->load_curve : NULL;
    } else { /* opts no longer borrows from the ledger, which goes now */
        opts->query = *q;
        opts->load_curve = load_curve;
    }
    pn_ledger_clear(&ledger);
    pn_ledger_lock_release(&lock);
    return st;
}

/* The exit of a run that drew a chart: a failed chart after a written
 * report (checked before the work, the disk can still fill) costs the
 * chart alone, its message on stderr and exit 1, never the report. */
static int finish_with_plot(pn_status st, const pn_error *err, pn_status plotted,
                            const pn_error *plot_err)
{
    if (st != PN_OK)
        return pn_command_fail(st, err->msg);
    return plotted == PN_OK ? 0 : pn_command_fail(PN_ERR_IO, plot_err->msg);
}

/* The plot and the report of a question asked as a list of levels (the
 * sweep's page), after the notes; exit status as pn_command_finish. */
static int finish_listed(const pn_options *opts, pn_status st, const pn_query *q,
                         const pn_histogram *hists, const pn_run *run, const pn_error *err)
{
    print_notes(run->notes, opts->quiet || st == PN_ERR_USAGE);
    pn_levels_report in = {.query = q, .levels = &q->levels, .hists = hists,
                           .engine = run->engine_used, .cost = &opts->cost,
                           .load_curve = opts->load_curve};
    pn_error report_err, plot_err;
    pn_status plotted = st == PN_OK && opts->plot ? pn_plot_levels(opts->plot, &in, &plot_err)
                                                  : PN_OK;
    if (st == PN_OK &&
        (st = pn_report_levels_write(stdout, opts->format, &in, &report_err)) != PN_OK)
        err = &report_err;
    return finish_with_plot(st, err, plotted, &plot_err);
}

int pn_command_finish(const pn_options *opts, pn_status st, const pn_query *q,
                      const pn_histogram *hist, const pn_run *run, const pn_error *err)
{
    if (q->levels.listed)
        return finish_listed(opts, st, q, hist, run, err);
    /* a refusal is one line on stderr: the notes of a run that never ran
     * (auto's choice, a fallback) would only bury it */
    print_notes(run->notes, opts->quiet || st == PN_ERR_USAGE);
    /* a slice's JSON carries the keyspace, so merge can check coverage */
    uint64_t keyspace = q->sliced ? q->keyspace : 0;
    pn_report_input in = {.query = q, .hist = hist, .engine = run->engine_used,
                          .cost = &opts->cost, .keyspace = keyspace};
    pn_error report_err, plot_err;
    pn_status plotted = st == PN_OK && opts->plot ? pn_plot_single(opts->plot, &in, &plot_err)
                                                  : PN_OK;
    if (st == PN_OK && (st = pn_report_write(stdout, opts->format, &in, &report_err)) != PN_OK)
        err = &report_err;
    return finish_with_plot(st, err, plotted, &plot_err);
}

/* The levels a sweep (-g all, -g FROM:TO) or a load curve asks about, into
 * lv; an empty lv for -g G, whose one level the query already holds. */
static pn_status listed_levels(const pn_options *opts, pn_levels *lv, pn_error *err)
{
    *lv = (pn_levels){0};
    if (opts->load_curve) { /* its messages name the path: the option too */
        pn_status st = pn_load_curve_read(opts->load_curve, &opts->query, lv, err);
        if (st == PN_ERR_USAGE) {
            pn_error why = *err;
            pn_fail(err, st, "--load-curve: %s", why.msg);
        }
        return st;
    }
    if (opts->sweep)
        return pn_levels_range(lv, opts->sweep_from, opts->sweep_to, err);
    return PN_OK;
}

pn_status pn_command_question(const pn_options *opts, pn_query *q, pn_levels *lv, pn_error *err)
{
    *q = opts->query;
    pn_status st = listed_levels(opts, lv, err);
    if (st == PN_OK && lv->listed) {
        q->levels = *lv;
        st = pn_query_resolve(q, err);
    }
    return st;
}

/* Answers the question: its levels (one for -g G, many for a sweep or a
 * load curve), an engine (or --verify) pass into one histogram per level,
 * or, with --checkpoint or --restore, the same in chunks into a ledger;
 * then the report; only the report tells one level from a list. */
static int answer(const pn_options *given)
{
    static volatile sig_atomic_t stop_requested;
    pn_options copy = *given, *opts = &copy; /* --restore makes it the ledger's question */
    pn_progress_line line;
    pn_histogram *hists = NULL;
    pn_levels lv = {0};
    taken ledger = {0};
    pn_error err;
    pn_run run = {.device = opts->device, .force = opts->force};
    pn_query q = opts->query;
    pn_status st = opts->restore ? PN_OK : pn_command_question(opts, &q, &lv, &err);
    if (st == PN_OK)
        pn_note_idle_device(opts, stderr);
    pn_progress_line_init(&line, stderr, opts->quiet);
    line.status_every = opts->status_every;
    pn_progress_line_offer_checkpoint(&line, !opts->checkpoint && !opts->restore &&
                                                 !opts->verify && opts->engine != PN_ENGINE_EXACT);
    pn_install_stop_handlers(&stop_requested);
    run.progress = (pn_progress){.update = pn_progress_line_update, .ctx = &line,
                                 .cancel = &stop_requested};
    if (st == PN_OK && (opts->checkpoint || opts->restore)) {
        if ((st = long_run(opts, &q, &run, &ledger, &hists, &err)) == PN_OK)
            q = ledger.query;
    } else if (st == PN_OK && (st = pn_histograms_init(&hists, &q, &err)) == PN_OK) {
        st = opts->verify ? pn_engine_verify(opts->engine, &q, &run, hists, &err)
                          : pn_engine_run(opts->engine, &q, &run, hists, &err);
    }
    pn_progress_line_finish(&line);
    int rc = pn_command_finish(opts, st, &q, hists, &run, &err);
    if (st == PN_ERR_INTERRUPTED) /* auto may have been counting exactly */
        pn_progress_line_note_resumable(&line, opts->engine != PN_ENGINE_AUTO);
    pn_histograms_free(hists, hists ? q.levels.n : 0);
    pn_levels_clear(&lv);
    pn_levels_clear(&ledger.query.levels);
    free(ledger.load_curve);
    return rc;
}

/* --simulate: the engine into per-batch counts, their summary, the report. */
static int simulate(const pn_options *opts)
{
    static volatile sig_atomic_t stop_requested;
    pn_progress_line line;
    pn_sim_result result = {0};
    pn_sim_summary summary = {0};
    pn_error err;
    pn_run run = {.device = opts->device};
    pn_progress_line_init(&line, stderr, opts->quiet);
    line.status_every = opts->status_every;
    pn_install_stop_handlers(&stop_requested);
    run.progress = (pn_progress){.update = pn_progress_line_update, .ctx = &line,
                                 .cancel = &stop_requested};
    pn_note_idle_device(opts, stderr);
    pn_status st = pn_sim_result_init(&result, &opts->sim, &err);
    if (st == PN_OK)
        st = pn_sim_run(opts->engine, &opts->sim, &run, &result, &err);
    pn_progress_line_finish(&line);
    print_notes(run.notes, opts->quiet);
    if (st == PN_OK)
        st = pn_sim_summarize(&opts->sim, &result, &summary, &err);
    pn_sim_report_input in = {.query = &opts->sim, .summary = &summary,
                              .engine = run.engine_used, .cost = &opts->cost};
    if (st == PN_OK)
        st = pn_sim_report_write(stdout, opts->format, &in, &err);
    pn_sim_summary_clear(&summary);
    pn_sim_result_clear(&result);
    return st == PN_OK ? 0 : pn_command_fail(st, err.msg);
}

/* --estimate: short measured runs of each engine, then the forecast. */
static int estimate(const pn_options *opts)
{
    static volatile sig_atomic_t stop_requested;
    pn_install_stop_handlers(&stop_requested);
    pn_run run = {.device = opts->device, .progress = {.cancel = &stop_requested}};
    pn_forecast f;
    pn_error err;
    pn_status st = pn_forecast_make(&opts->query, &run, &f, &err);
    if (st == PN_OK)
        st = pn_forecast_write(stdout, &f, &err);
    return st == PN_OK ? 0 : pn_command_fail(st, err.msg);
}

/* Merges slice files into one report; Ctrl-C and SIGTERM stop it between
 * files (or cut short a read blocked on a slow one) with exit 130. */
static int merge(const pn_options *opts)
{
    static volatile sig_atomic_t stop_requested;
    pn_progress_line line;
    pn_error err;
    pn_merged merged = {0};
    pn_progress_line_init(&line, stderr, opts->quiet);
    line.status_every = opts->status_every;
    pn_install_stop_handlers(&stop_requested);
    pn_progress progress = {.update = pn_progress_line_update, .ctx = &line,
                            .cancel = &stop_requested};
    pn_status st = pn_merge_files(opts->merge_files, opts->merge_count, &progress, &merged, &err);
    pn_progress_line_finish(&line);
    pn_report_input in = {.query = &merged.query, .hist = merged.hists, .engine = merged.engine,
                          .cost = &opts->cost, .keyspace = merged.keyspace};
    pn_levels_report levels = {.query = &merged.query, .levels = &merged.query.levels,
                               .hists = merged.hists, .engine = merged.engine,
                               .cost = &opts->cost, .load_curve = merged.load_curve};
    if (st == PN_OK)
        st = merged.query.levels.listed
                 ? pn_report_levels_write(stdout, opts->format, &levels, &err)
                 : pn_report_write(stdout, opts->format, &in, &err);
    pn_merged_clear(&merged);
    return st == PN_OK ? 0 : pn_command_fail(st, err.msg);
}

int pn_command_run(const pn_options *opts)
{
    pn_error err;
    switch (opts->action) {
    case PN_ACTION_HELP: return print_stdout(pn_cli_help());
    case PN_ACTION_VERSION: return show_version();
    case PN_ACTION_LIST_DEVICES: return list_devices();
    case PN_ACTION_KEYSPACE: return show_keyspace(&opts->query);
    case PN_ACTION_MERGE: return merge(opts);
    case PN_ACTION_ESTIMATE: return estimate(opts);
    case PN_ACTION_REPORT:
        if (opts->plot && pn_plot_check_path(opts->plot, &err) != PN_OK) /* before the work */
            return pn_command_fail(PN_ERR_USAGE, err.msg);
        return answer(opts);
    case PN_ACTION_SIMULATE: return simulate(opts);
    case PN_ACTION_REPLAY: {
        pn_status st = pn_command_replay(opts, &err);
        return st == PN_OK ? 0 : pn_command_fail(st, err.msg);
    }
    }
    return 1;
}

/* GMP's allocation functions: GMP cannot be told that memory ran out (its
 * functions return nothing), so a failed allocation ends the process here,
 * with a message and exit 1, instead of GMP's abort() (exit 134). */
static void gmp_out_of_memory(size_t bytes)
{
    char msg[160];
    int n = snprintf(msg, sizeof msg,
                     "%s: out of memory: GMP could not allocate %zu bytes (try a smaller "
                     "question, or raise ulimit -v)\n", PROGRAM, bytes);
    fflush(stdout);
    ssize_t ignored = write(STDERR_FILENO, msg, (size_t)n);
    (void)ignored;
    _exit(1);
}

static void *gmp_alloc(size_t bytes)
{
    void *p = malloc(bytes);
    if (!p)
        gmp_out_of_memory(bytes);
    return p;
}

static void *gmp_realloc(void *old, size_t old_bytes, size_t bytes)
{
    (void)old_bytes;
    void *p = realloc(old, bytes);
    if (!p)
        gmp_out_of_memory(bytes);
    return p;
}

static void gmp_free(void *p, size_t bytes)
{
    (void)bytes;
    free(p);
}

void pn_command_setup(void)
{
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}
