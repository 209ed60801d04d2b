/* pn_cli.h -- the command line, parsed into options without printing or exiting. */
#ifndef PN_CLI_H
#define PN_CLI_H

#include <stdbool.h>

#include "pn_cost.h"
#include "pn_engine.h"
#include "pn_query.h"
#include "pn_report.h"
#include "pn_status.h"

typedef enum pn_action {
    PN_ACTION_REPORT = 0,  /* answer the question (the default) */
    PN_ACTION_HELP,
    PN_ACTION_VERSION,
    PN_ACTION_LIST_DEVICES,
    PN_ACTION_KEYSPACE,    /* print (p+1)^h and stop */
    PN_ACTION_MERGE        /* `merge a.json b.json ...` */
} pn_action;

typedef struct pn_options {
    pn_action action;
    pn_query query;
    pn_engine_kind engine;
    pn_device_choice device;
    pn_format format;
    bool quiet;
    bool verify;
    bool force;   /* --force: run the exact engine past its time and memory limits */
    pn_cost_input cost;
    /* --fleet, -g all|FROM:TO, --load-curve, --plot (cli_fleet.c) */
    bool fleet;               /* --fleet given: the query's groups are set */
    bool sweep;               /* -g all or -g FROM:TO: every count in [sweep_from, sweep_to] */
    bool sweep_all;           /* -g all: sweep_to is the cloud's capacity */
    uint64_t sweep_from, sweep_to;
    const char *load_curve;   /* --load-curve FILE, a pointer into argv */
    const char *plot;         /* --plot FILE.png|FILE.svg, a pointer into argv */
    /* merge: the slice files (pointers into argv, array owned by opts) */
    int merge_count;
    char **merge_files;
} pn_options;

/* Parses argv into opts with glibc's getopt_long: bundled letters (-qh 10),
 * attached values (-h10, --hosts=10), unique abbreviations of long names
 * (--host), "--" ending the options; argv[1] == "merge" makes every operand a
 * slice file, before or after "--". A repeated option: the last one counts.
 * Returns PN_OK, or PN_ERR_USAGE with a one-line message naming the problem
 * (unknown or ambiguous option, missing or malformed value, stray argument,
 * impossible combination). Never prints, never exits, never reorders argv,
 * keeps no state between calls (getopt is reset each time), so it can be
 * called (and fuzzed) any number of times; not thread-safe (getopt's globals). */
pn_status pn_cli_parse(int argc, char **argv, pn_options *opts, pn_error *err);

/* Frees what pn_cli_parse allocated (the merge file list); safe to call
 * after any pn_cli_parse, successful or not. */
void pn_cli_free(pn_options *opts);

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
