/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_parse.h -- private to cli*.c: the option table's types, the parser's state and the value parsers they share. */
#ifndef PN_CLI_PARSE_H
#define PN_CLI_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/pn_cli.h"

/* Every option the tool takes. `arg` says whether it needs a value. */
typedef enum option_id {
    OPT_HOSTS, OPT_PER_HOST, OPT_GUESTS, OPT_ENGINE, OPT_MODEL, OPT_DEVICE,
    OPT_LIST_DEVICES, OPT_FORMAT, OPT_QUIET, OPT_VERIFY, OPT_WATTS, OPT_IDLE_WATTS,
    OPT_PRICE, OPT_CURRENCY, OPT_KEYSPACE, OPT_SKIP, OPT_LIMIT, OPT_HELP, OPT_VERSION,
    OPT_FORCE, OPT_CHECKPOINT, OPT_CHECKPOINT_EVERY, OPT_RESTORE, OPT_ESTIMATE,
    OPT_SIMULATE, OPT_LOAD, OPT_TRAJECTORIES, OPT_TICKS, OPT_BURN_IN, OPT_SEED,
    OPT_FLEET, OPT_LOAD_CURVE, OPT_PLOT, /* fleets, load curves, plots (cli_fleet.c) */
    OPT_STATUS_EVERY,
    OPT_TRACE, OPT_WINDOW, OPT_EVERY /* trace replays (cli_replay.c) */
} option_id;

typedef struct option_spec {
    option_id id;
    char short_name; /* 0 when none */
    const char *long_name;
    int arg;
} option_spec;

/* What the parser remembers while it walks argv. */
typedef struct parse_state {
    bool merge; /* argv[1] was "merge" */
    bool have_hosts, have_per_host, have_guests, have_skip, have_limit, have_model, have_every;
    const char *sim_option; /* the last simulation-only option given, for messages */
    bool have_fleet; /* --fleet, --load-curve or --plot (cli_fleet.c) */
    const char *replay_option; /* the last replay-only option given (cli_replay.c) */
} parse_state;

/* A plain non-negative decimal number ("80", "0.10", ".5"); false otherwise. */
bool pn_cli_parse_amount(const char *text, double *out);

/* "--name 'value': expected" as a usage error. */
pn_status pn_cli_bad_value(pn_error *err, const option_spec *o, const char *value,
                           const char *expected);

/* Like pn_cli_bad_value for an option that takes one of a few words
 * (names, NULL-terminated), adding "; did you mean 'WORD'?" when one of
 * them is close to value (by edit distance). */
pn_status pn_cli_bad_choice(pn_error *err, const option_spec *o, const char *value,
                            const char *expected, const char *const *names);

/* The edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours, ASCII case ignored) between a[0, alen) and the string b;
 * strings past 63 bytes count as their first 63 plus the rest's length. */
size_t pn_cli_distance(const char *a, size_t alen, const char *b);

/* Whether a word typed as text[0, len) at distance d from a known one was
 * probably meant as that one: d at most a quarter of len and at most 2, so
 * a short word ("gpu") is not taken for another ("cpu") it only resembles. */
bool pn_cli_close(size_t d, size_t len);

/* Whether text starts with a UTF-8 byte order mark (EF BB BF), the
 * invisible character an editor or a copy from a web page can leave. */
bool pn_cli_has_bom(const char *text);

/* A plain non-negative 64-bit integer into *field (and *seen = true when
 * seen is not NULL); a usage error naming the option otherwise. */
pn_status pn_cli_set_count(const option_spec *o, const char *value, uint64_t *field, bool *seen,
                           pn_error *err);

/* The options only a simulation takes (cli_simulate.c). */
pn_status pn_cli_apply_simulation(const option_spec *o, const char *value, pn_options *opts,
                                  parse_state *st, pn_error *err);

/* --simulate: what it cannot combine with, then its question resolved (cli_simulate.c). */
pn_status pn_cli_check_simulation(pn_options *opts, const parse_state *st, pn_error *err);

/* A fleet's groups without @WATTS take --watts when some group has its own;
 * the cost lines then use the groups' watts, so --price alone is enough
 * (cli_fleet.c). */
pn_status pn_cli_fleet_cost(pn_options *opts, pn_error *err);

/* --trace, --window, --every (cli_replay.c). */
pn_status pn_cli_apply_replay(const option_spec *o, const char *value, pn_options *opts,
                              parse_state *st, pn_error *err);

/* --trace: what a replay cannot combine with, its fleet checked (cli_replay.c). */
pn_status pn_cli_check_replay(pn_options *opts, const parse_state *st, pn_error *err);

/* --checkpoint, --checkpoint-every, --restore: what goes with what (cli_restore.c). */
pn_status pn_cli_check_long_run(pn_options *opts, const parse_state *st, pn_error *err);

#endif
