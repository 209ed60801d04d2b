/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_cli.h -- the command line, parsed into options without printing or exiting. */
#ifndef PN_CLI_H
#define PN_CLI_H

#include <stdbool.h>

#include "report/pn_cost.h"
#include "engine/pn_engine.h"
#include "question/pn_query.h"
#include "report/pn_report.h"
#include "simulate/pn_simulate.h"
#include "base/pn_status.h"

typedef enum pn_action {
    PN_ACTION_REPORT = 0,  /* answer the question (the default) */
    PN_ACTION_HELP,
    PN_ACTION_VERSION,
    PN_ACTION_LIST_DEVICES,
    PN_ACTION_KEYSPACE,    /* print (p+1)^h and stop */
    PN_ACTION_ESTIMATE,    /* --estimate: each engine's time, auto's pick */
    PN_ACTION_MERGE,       /* `merge a.json b.json ...` */
    PN_ACTION_SIMULATE,    /* --simulate POLICY: the scheduler simulation */
    PN_ACTION_REPLAY       /* --trace FILE --simulate POLICY|all: a trace replayed */
} pn_action;

/* Bits of pn_options.given. */
enum {
    PN_GIVEN_HOSTS = 1, PN_GIVEN_PER_HOST = 2, PN_GIVEN_GUESTS = 4, PN_GIVEN_MODEL = 8,
    PN_GIVEN_SKIP = 16, PN_GIVEN_LIMIT = 32, PN_GIVEN_FLEET = 64, PN_GIVEN_LOAD_CURVE = 128
};

typedef struct pn_options {
    pn_action action;
    pn_query query;
    pn_engine_kind engine;
    pn_device_choice device;
    bool device_given; /* -d/--device typed: a note when the engine uses no device */
    pn_format format;
    bool quiet;
    double status_every; /* --status-every S: a status line every S s when stderr is no terminal */
    bool verify;
    bool force;   /* --force: run the exact engine past its time and memory limits */
    /* long runs: --checkpoint FILE (a new ledger), --restore FILE (continue
     * one), seconds between saves; pointers into argv */
    const char *checkpoint;
    const char *restore;
    double checkpoint_every;
    unsigned given; /* PN_GIVEN_* bits: the question options typed, for --restore */
    bool simulate;         /* --simulate given (the action becomes PN_ACTION_SIMULATE) */
    pn_cost_input cost;
    /* --simulate: the simulation's question, resolved (hosts, per_host and
     * guests copied from query) */
    pn_sim_query sim;
    /* --fleet, -g all|FROM:TO, --load-curve, --plot (cli_fleet.c) */
    bool fleet;               /* --fleet given: the query's groups are set */
    bool sweep;               /* -g all or -g FROM:TO: every count in [sweep_from, sweep_to] */
    bool sweep_all;           /* -g all: sweep_to is the cloud's capacity */
    uint64_t sweep_from, sweep_to;
    const char *load_curve;   /* --load-curve FILE, a pointer into argv */
    const char *plot;         /* --plot FILE.png|FILE.svg, a pointer into argv */
    /* --trace FILE --simulate POLICY|all (cli_replay.c) */
    const char *trace;        /* the trace, a pointer into argv */
    bool simulate_all;        /* --simulate all: every policy side by side */
    bool has_window;          /* --window FROM:TO */
    double window_from, window_to;
    double every;             /* --every SECONDS: the time series' step (0: none) */
    /* merge: the slice files (pointers into argv, array owned by opts) */
    int merge_count;
    char **merge_files;
} pn_options;

/* Parses argv into opts with glibc's getopt_long: bundled letters (-qh 10),
 * attached values (-h10, --hosts=10), unique abbreviations of long names
 * (--host), "--" ending the options; argv[1] == "merge" makes every operand a
 * slice file, before or after "--", and takes only the options a merge has
 * use for (-f, -q, the cost options, --help, --version): any other (the
 * question, -e, -d, --verify, --keyspace, --list-devices) is refused, naming
 * it. A repeated option: the last one counts.
 * Returns PN_OK, or PN_ERR_USAGE with a one-line message naming the problem
 * (unknown or ambiguous option, missing or malformed value, stray argument,
 * impossible combination). Never prints, never exits, never reorders argv,
 * keeps no state between calls (getopt is reset each time), so it can be
 * called (and fuzzed) any number of times; not thread-safe (getopt's globals). */
pn_status pn_cli_parse(int argc, char **argv, pn_options *opts, pn_error *err);

/* Frees what pn_cli_parse allocated (the merge file list); safe to call
 * after any pn_cli_parse, successful or not. */
void pn_cli_free(pn_options *opts);

/* --restore: once the ledger is read, checks the question options typed
 * beside it (the same checks as a restore), then makes opts ask the ledger's
 * question (opts->query, borrowing the ledger's levels; opts->load_curve,
 * borrowing load_curve) and checks the cost options against it, a weighted
 * fleet's watts taking the place of --watts as when the run began. */
pn_status pn_cli_adopt_ledger(pn_options *opts, const pn_query *ledger, const char *load_curve,
                              pn_error *err);

/* -g's value: a count N, "all" or "FROM:TO" (cli_fleet.c). */
pn_status pn_cli_set_guests(const char *value, pn_options *opts, pn_error *err);

/* --plot's value: a path ending in .png or .svg (cli_fleet.c). */
pn_status pn_cli_set_plot(const char *value, pn_options *opts, pn_error *err);

/* The checks fleets, sweeps and load curves need once every option is
 * seen, before the query is resolved: --fleet excludes -h/-p, a sweep or a
 * load curve excludes --skip/--limit, a load curve excludes -g; a fleet's
 * groups without @WATTS take --watts when others have theirs; the cost
 * takes a weighted fleet's watts (cli_fleet.c). */
pn_status pn_cli_check_fleet(pn_options *opts, bool have_hosts_or_per_host, bool sliced,
                             bool have_guests, pn_error *err);

/* After the query is resolved: -g all becomes 0..capacity (cli_fleet.c). */
pn_status pn_cli_finish_levels(pn_options *opts, pn_error *err);

/* The --help text. */
const char *pn_cli_help(void);

/* Parses a plain non-negative decimal integer that fits in 64 bits: digits
 * only, no sign, space, exponent or fraction. False otherwise. */
bool pn_parse_u64(const char *text, unsigned long long *out);

#endif
