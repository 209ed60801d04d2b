/* pn_cli.h -- the command line, parsed into options without printing or exiting. */
#ifndef PN_CLI_H
#define PN_CLI_H

#include <stdbool.h>

#include "pn_cost.h"
#include "pn_engine.h"
#include "pn_query.h"
#include "pn_report.h"
#include "pn_simulate.h"
#include "pn_status.h"

typedef enum pn_action {
    PN_ACTION_REPORT = 0,  /* answer the question (the default) */
    PN_ACTION_HELP,
    PN_ACTION_VERSION,
    PN_ACTION_LIST_DEVICES,
    PN_ACTION_KEYSPACE,    /* print (p+1)^h and stop */
    PN_ACTION_MERGE,       /* `merge a.json b.json ...` */
    PN_ACTION_SIMULATE     /* --simulate POLICY: the scheduler simulation */
} pn_action;

typedef struct pn_options {
    pn_action action;
    pn_query query;
    pn_engine_kind engine;
    pn_device_choice device;
    pn_format format;
    bool quiet;
    bool verify;
    bool simulate;         /* --simulate given (the action becomes PN_ACTION_SIMULATE) */
    pn_cost_input cost;
    /* --simulate: the simulation's question, resolved (hosts, per_host and
     * guests copied from query) */
    pn_sim_query sim;
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

/* The --help text. */
const char *pn_cli_help(void);

/* Parses a plain non-negative decimal integer that fits in 64 bits: digits
 * only, no sign, space, exponent or fraction. False otherwise. */
bool pn_parse_u64(const char *text, unsigned long long *out);

#endif
