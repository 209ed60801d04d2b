/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.c -- the command line: options in, a pn_options out, a usage message on any mistake. */
#include "cli/pn_cli.h"
#include "cli_parse.h"
#include "slice/pn_checkpoint.h"
#include "question/pn_fleet.h"
#include "cli/pn_terminal.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const option_spec OPTIONS[] = {
    {OPT_HOSTS, 'h', "hosts", 1},
    {OPT_PER_HOST, 'p', "guests-per-host", 1},
    {OPT_GUESTS, 'g', "guests", 1},
    {OPT_ENGINE, 'e', "engine", 1},
    {OPT_MODEL, 'm', "model", 1},
    {OPT_DEVICE, 'd', "device", 1},
    {OPT_LIST_DEVICES, 0, "list-devices", 0},
    {OPT_FORMAT, 'f', "format", 1},
    {OPT_QUIET, 'q', "quiet", 0},
    {OPT_VERIFY, 0, "verify", 0},
    {OPT_FORCE, 0, "force", 0},
    {OPT_CHECKPOINT, 0, "checkpoint", 1},
    {OPT_CHECKPOINT_EVERY, 0, "checkpoint-every", 1},
    {OPT_RESTORE, 0, "restore", 1},
    {OPT_ESTIMATE, 0, "estimate", 0},
    {OPT_WATTS, 0, "watts", 1},
    {OPT_IDLE_WATTS, 0, "idle-watts", 1},
    {OPT_PRICE, 0, "price", 1},
    {OPT_CURRENCY, 0, "currency", 1},
    {OPT_KEYSPACE, 0, "keyspace", 0},
    {OPT_SKIP, 0, "skip", 1},
    {OPT_LIMIT, 0, "limit", 1},
    {OPT_HELP, 0, "help", 0},
    {OPT_VERSION, 'V', "version", 0},
    {OPT_SIMULATE, 0, "simulate", 1},
    {OPT_LOAD, 0, "load", 1},
    {OPT_TRAJECTORIES, 0, "trajectories", 1},
    {OPT_TICKS, 0, "ticks", 1},
    {OPT_BURN_IN, 0, "burn-in", 1},
    {OPT_SEED, 0, "seed", 1},
    /* fleets, load curves, plots (cli_fleet.c) */
    {OPT_FLEET, 0, "fleet", 1},
    {OPT_LOAD_CURVE, 0, "load-curve", 1},
    {OPT_PLOT, 0, "plot", 1},
    {OPT_STATUS_EVERY, 0, "status-every", 1},
    /* trace replays (cli_replay.c) */
    {OPT_TRACE, 0, "trace", 1},
    {OPT_WINDOW, 0, "window", 1},
    {OPT_EVERY, 0, "every", 1},
};
#define OPTION_COUNT (sizeof OPTIONS / sizeof OPTIONS[0])

/* "P:D" with two plain integers, "all" (every device of platform 0) or
 * "P:all" (every device of platform P). */
static bool parse_device(const char *text, pn_device_choice *out)
{
    if (strcmp(text, "all") == 0) {
        out->all = true;
        out->chosen = false;
        out->platform = 0;
        return true;
    }
    const char *colon = strchr(text, ':');
    if (!colon || colon == text)
        return false;
    char platform[32];
    size_t len = (size_t)(colon - text);
    if (len >= sizeof platform)
        return false;
    memcpy(platform, text, len);
    platform[len] = '\0';
    unsigned long long p, d = 0;
    bool all = strcmp(colon + 1, "all") == 0;
    if (!pn_parse_u64(platform, &p) || p > 0xffff ||
        (!all && (!pn_parse_u64(colon + 1, &d) || d > 0xffff)))
        return false;
    out->chosen = !all;
    out->all = all;
    out->platform = (unsigned)p;
    out->device = (unsigned)d;
    return true;
}

static pn_status set_amount(const option_spec *o, const char *value, double *field, pn_error *err)
{
    if (!pn_cli_parse_amount(value, field))
        return pn_cli_bad_value(err, o, value, "expected a plain non-negative number such as 80 or 0.10");
    return PN_OK;
}

/* Applies one option and its value (NULL for flags) to opts. */
static pn_status apply_option(const option_spec *o, const char *value, pn_options *opts,
                              parse_state *st, pn_error *err)
{
    pn_query *q = &opts->query;
    switch (o->id) {
    case OPT_HOSTS: return pn_cli_set_count(o, value, &q->hosts, &st->have_hosts, err);
    case OPT_PER_HOST: return pn_cli_set_count(o, value, &q->per_host, &st->have_per_host, err);
    case OPT_GUESTS: st->have_guests = true; return pn_cli_set_guests(value, opts, err);
    case OPT_SKIP: return pn_cli_set_count(o, value, &q->skip, &st->have_skip, err);
    case OPT_LIMIT: return pn_cli_set_count(o, value, &q->limit, &st->have_limit, err);
    case OPT_ENGINE:
        return pn_engine_parse(value, &opts->engine)
                   ? PN_OK : pn_cli_bad_choice(err, o, value, "expected auto, opencl, cpu or exact",
                                               (const char *const[]){"auto", "opencl", "cpu",
                                                                     "exact", NULL});
    case OPT_MODEL:
        st->have_model = true;
        return pn_model_parse(value, &q->model)
                   ? PN_OK : pn_cli_bad_choice(err, o, value, "expected uniform or slots",
                                               (const char *const[]){"uniform", "slots", NULL});
    case OPT_FORMAT:
        return pn_format_parse(value, &opts->format)
                   ? PN_OK : pn_cli_bad_choice(err, o, value, "expected text, json or csv",
                                               (const char *const[]){"text", "json", "csv", NULL});
    case OPT_DEVICE:
        opts->device_given = true;
        return parse_device(value, &opts->device)
                   ? PN_OK : pn_cli_bad_value(err, o, value, "expected P:D (e.g. 0:0), all or P:all");
    case OPT_WATTS:
        opts->cost.wanted = opts->cost.has_watts = true;
        return set_amount(o, value, &opts->cost.watts, err);
    case OPT_IDLE_WATTS:
        opts->cost.wanted = true;
        return set_amount(o, value, &opts->cost.idle_watts, err);
    case OPT_PRICE:
        opts->cost.wanted = opts->cost.has_price = true;
        return set_amount(o, value, &opts->cost.price, err);
    case OPT_CURRENCY:
        if (strlen(value) >= sizeof opts->cost.currency)
            return pn_cli_bad_value(err, o, value, "at most 15 bytes");
        opts->cost.wanted = true;
        strcpy(opts->cost.currency, value);
        return PN_OK;
    case OPT_LIST_DEVICES: opts->action = PN_ACTION_LIST_DEVICES; return PN_OK;
    case OPT_KEYSPACE: opts->action = PN_ACTION_KEYSPACE; return PN_OK;
    case OPT_ESTIMATE: opts->action = PN_ACTION_ESTIMATE; return PN_OK;
    case OPT_HELP: opts->action = PN_ACTION_HELP; return PN_OK;
    case OPT_VERSION: opts->action = PN_ACTION_VERSION; return PN_OK;
    case OPT_QUIET: opts->quiet = true; return PN_OK;
    case OPT_VERIFY: opts->verify = true; return PN_OK;
    case OPT_FORCE: opts->force = true; return PN_OK;
    case OPT_CHECKPOINT: opts->checkpoint = value; return PN_OK;
    case OPT_RESTORE: opts->restore = value; return PN_OK;
    case OPT_CHECKPOINT_EVERY:
        if (!pn_cli_parse_amount(value, &opts->checkpoint_every) ||
            opts->checkpoint_every < PN_CHECKPOINT_EVERY_MIN)
            return pn_cli_bad_value(err, o, value, "expected a number of seconds, at least 1 "
                                                   "(more saves slow the run), such as 60");
        st->have_every = true;
        return PN_OK;
    case OPT_STATUS_EVERY:
        if (!pn_cli_parse_amount(value, &opts->status_every))
            return pn_cli_bad_value(err, o, value, "expected a number of seconds such as 60 (0: "
                                                   "no status lines)");
        return PN_OK;
    case OPT_SIMULATE: case OPT_LOAD: case OPT_TRAJECTORIES: case OPT_TICKS: case OPT_BURN_IN:
    case OPT_SEED:
        return pn_cli_apply_simulation(o, value, opts, st, err);
    /* fleets, load curves, plots (cli_fleet.c) */
    case OPT_FLEET:
        opts->fleet = st->have_fleet = true;
        return pn_fleet_parse(value, q, err);
    case OPT_LOAD_CURVE: opts->load_curve = value; st->have_fleet = true; return PN_OK;
    case OPT_PLOT: st->have_fleet = true; return pn_cli_set_plot(value, opts, err);
    case OPT_TRACE: case OPT_WINDOW: case OPT_EVERY:
        return pn_cli_apply_replay(o, value, opts, st, err);
    }
    return pn_fail(err, PN_ERR_USAGE, "internal: unhandled option --%s", o->long_name);
}

/* getopt_long's value for an option: its short letter, or 256 + its id for
 * long-only ones, so every option has one value that no letter can take. */
static int option_val(const option_spec *o)
{
    return o->short_name ? o->short_name : 256 + (int)o->id;
}

static const option_spec *find_val(int val)
{
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (option_val(&OPTIONS[i]) == val)
            return &OPTIONS[i];
    return NULL;
}

/* Fills getopt_long's tables from OPTIONS. The short string starts with '-'
 * (operands come back in order as value 1, so nothing is permuted and merge
 * files mix with options) and ':' (a missing value returns ':', not '?'). */
static void getopt_tables(struct option *longs, char *shorts)
{
    *shorts++ = '-';
    *shorts++ = ':';
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const option_spec *o = &OPTIONS[i];
        longs[i] = (struct option){o->long_name, o->arg ? required_argument : no_argument,
                                   NULL, option_val(o)};
        if (o->short_name) {
            *shorts++ = o->short_name;
            if (o->arg)
                *shorts++ = ':';
        }
    }
    longs[OPTION_COUNT] = (struct option){NULL, 0, NULL, 0};
    *shorts = '\0';
}

/* The option whose long name is closest to name[0, len), when close enough
 * to be the one meant (pn_cli_close); NULL otherwise. */
static const option_spec *nearest_option(const char *name, size_t len)
{
    const option_spec *found = NULL;
    size_t best = (size_t)-1;
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        size_t d = pn_cli_distance(name, len, OPTIONS[i].long_name);
        if (d < best) {
            best = d;
            found = &OPTIONS[i];
        }
    }
    return found && pn_cli_close(best, len) ? found : NULL;
}

/* An argv element that starts a new element with one dash and then spells
 * a long option ("-help", "-fleet=2x4"): getopt would read it as letters
 * (-h 'elp'), never what was meant, so it is refused pointing to '--'. */
static pn_status single_dash_long(const char *arg, pn_error *err)
{
    if (arg[0] != '-' || arg[1] == '-' || arg[1] == '\0' || arg[2] == '\0')
        return PN_OK;
    size_t len = strcspn(arg + 1, "=");
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (strlen(OPTIONS[i].long_name) == len && strncmp(OPTIONS[i].long_name, arg + 1, len) == 0)
            return pn_fail(err, PN_ERR_USAGE, "unknown option '%.*s'; did you mean '--%s'?",
                           (int)len + 1, arg, OPTIONS[i].long_name);
    return PN_OK;
}

/* getopt_long refused the long option `arg` ("--name" or "--name=value"),
 * unknown or an ambiguous abbreviation: says which, listing the candidates. */
static pn_status bad_long(const char *arg, pn_error *err)
{
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    char list[256] = "";
    int matches = 0;
    for (size_t i = 0; len > 0 && i < OPTION_COUNT; i++) {
        if (strncmp(OPTIONS[i].long_name, name, len) != 0)
            continue;
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s--%s", matches++ ? ", " : "",
                 OPTIONS[i].long_name);
    }
    if (matches > 1)
        return pn_fail(err, PN_ERR_USAGE, "option '%.*s' is ambiguous (%s)", (int)(len + 2), arg,
                       list);
    const option_spec *near = nearest_option(name, len);
    if (near)
        return pn_fail(err, PN_ERR_USAGE, "unknown option '%.*s'; did you mean '--%s'?",
                       (int)(len + 2), arg, near->long_name);
    return pn_fail(err, PN_ERR_USAGE, "unknown option '%.*s'", (int)(len + 2), arg);
}

/* getopt_long returned '?' on argv element `arg`, with optopt `opt`: an
 * unknown or ambiguous long option (0), a flag given a value (its value), or
 * an unknown letter, named alone or, inside a bundle, with the bundle. */
static pn_status bad_option(const char *arg, int opt, pn_error *err)
{
    const option_spec *o = find_val(opt);
    if (opt == 0)
        return bad_long(arg, err);
    if (o)
        return pn_fail(err, PN_ERR_USAGE, "option '--%s' takes no value", o->long_name);
    if (strlen(arg) == 2)
        return pn_fail(err, PN_ERR_USAGE, "unknown option '-%c'", (char)opt);
    return pn_fail(err, PN_ERR_USAGE, "unknown option '-%c' in '%s'", (char)opt, arg);
}

/* Whether merge, which reads its question and counts from the slice files
 * and neither enumerates nor picks a device, has any use for option id. No
 * default: -Wswitch makes whoever adds an option decide. */
static bool merge_takes(option_id id)
{
    switch (id) {
    case OPT_FORMAT: case OPT_QUIET: case OPT_WATTS: case OPT_IDLE_WATTS: case OPT_PRICE:
    case OPT_CURRENCY: case OPT_HELP: case OPT_VERSION: case OPT_STATUS_EVERY:
        return true;
    case OPT_HOSTS: case OPT_PER_HOST: case OPT_GUESTS: case OPT_MODEL: case OPT_SKIP:
    case OPT_LIMIT: case OPT_ENGINE: case OPT_DEVICE: case OPT_LIST_DEVICES: case OPT_VERIFY:
    case OPT_KEYSPACE: case OPT_FORCE: case OPT_CHECKPOINT: case OPT_CHECKPOINT_EVERY:
    case OPT_RESTORE: case OPT_ESTIMATE: case OPT_SIMULATE: case OPT_LOAD:
    case OPT_TRAJECTORIES: case OPT_TICKS: case OPT_BURN_IN: case OPT_SEED: case OPT_FLEET:
    case OPT_LOAD_CURVE: case OPT_PLOT: case OPT_TRACE: case OPT_WINDOW: case OPT_EVERY:
        return false;
    }
    return false;
}

/* Refuses option o, which means nothing to merge, naming it. */
static pn_status refuse_for_merge(const option_spec *o, pn_error *err)
{
    bool question = o->id == OPT_HOSTS || o->id == OPT_PER_HOST || o->id == OPT_GUESTS ||
                    o->id == OPT_MODEL || o->id == OPT_SKIP || o->id == OPT_LIMIT;
    if (question)
        return pn_fail(err, PN_ERR_USAGE,
                       "merge takes its question from the slice files, not from option '--%s'",
                       o->long_name);
    return pn_fail(err, PN_ERR_USAGE,
                   "option '--%s' means nothing to merge, which only sums slice files",
                   o->long_name);
}

/* A value refused with status s: when it starts with a UTF-8 byte order
 * mark, which no terminal shows, the message says so instead (the value
 * printed without it), as the real cause; else s and err as they were.
 * option is NULL for an operand. */
static pn_status bom_named(pn_status s, const char *option, const char *value, pn_error *err)
{
    if (!value || !pn_cli_has_bom(value))
        return s;
    return pn_fail(err, PN_ERR_USAGE, "%s%s '%s' starts with an invisible UTF-8 byte order mark "
                   "(BOM, bytes EF BB BF); remove it", option ? "--" : "",
                   option ? option : "argument", value + 3);
}

/* An argument that is not an option: a slice file for merge, else refused. */
static pn_status operand(char *arg, pn_options *opts, pn_error *err)
{
    if (opts->action != PN_ACTION_MERGE)
        return bom_named(pn_fail(err, PN_ERR_USAGE, "unexpected argument '%s'", arg), NULL, arg,
                         err);
    for (int i = 0; strcmp(arg, "-") == 0 && i < opts->merge_count; i++)
        if (strcmp(opts->merge_files[i], "-") == 0)
            return pn_fail(err, PN_ERR_USAGE, "merge reads standard input ('-') once; "
                                              "it is named twice");
    opts->merge_files[opts->merge_count++] = arg;
    return PN_OK;
}

/* Walks argv (argv[0] the program, never read) with getopt_long, applying
 * each option in order and stopping at the first problem. getopt's globals
 * are reset first (optind = 0 reinitialises glibc fully) and it never prints. */
static pn_status walk(int argc, char **argv, pn_options *opts, parse_state *st, pn_error *err)
{
    struct option longs[OPTION_COUNT + 1];
    char shorts[2 + 2 * OPTION_COUNT + 1];
    getopt_tables(longs, shorts);
    opterr = 0;
    optind = 0;
    pn_status s = PN_OK;
    int inside = -1; /* the element getopt stopped inside of (a bundle), else -1 */
    while (s == PN_OK) {
        int at = optind > 0 ? optind : 1;
        char *arg = argv[at]; /* the element getopt reads next */
        if (at != inside && at < argc && (s = single_dash_long(arg, err)) != PN_OK)
            break;
        int c = getopt_long(argc, argv, shorts, longs, NULL);
        const option_spec *o = find_val(c == ':' ? optopt : c);
        inside = optind == at ? at : -1;
        if (c == -1)
            break;
        if (c == 1)
            s = operand(optarg, opts, err);
        else if (c == '?')
            s = bad_option(arg, optopt, err);
        else if (c == ':' && o)
            s = pn_fail(err, PN_ERR_USAGE, "option '--%s' needs a value", o->long_name);
        else if (o && st->merge && !merge_takes(o->id))
            s = refuse_for_merge(o, err);
        else if (o && (s = apply_option(o, optarg, opts, st, err)) != PN_OK)
            s = o->arg ? bom_named(s, o->long_name, optarg, err) : s;
        else if (!o)
            s = pn_fail(err, PN_ERR_USAGE, "internal: getopt_long returned %d", c);
    }
    for (int i = optind; s == PN_OK && i < argc; i++) /* what follows "--" */
        s = operand(argv[i], opts, err);
    return s;
}

/* The checks that need every option seen: what is missing, what does not fit. */
static pn_status check_complete(pn_options *opts, const parse_state *st, pn_error *err)
{
    pn_query *q = &opts->query;
    if (opts->action == PN_ACTION_MERGE) { /* walk refused the options merge has no use for */
        if (opts->merge_count == 0)
            return pn_fail(err, PN_ERR_USAGE, "merge needs at least one slice file");
        return pn_cost_validate(&opts->cost, err);
    }
    if (opts->action == PN_ACTION_HELP || opts->action == PN_ACTION_VERSION ||
        opts->action == PN_ACTION_LIST_DEVICES)
        return PN_OK;
    pn_status s = pn_cli_check_long_run(opts, st, err);
    if (s != PN_OK || opts->restore)
        return s;
    if (!st->have_hosts && !opts->fleet)
        return pn_fail(err, PN_ERR_USAGE, "missing --hosts (-h): how many hosts the cloud has");
    if (!st->have_per_host && !opts->fleet)
        return pn_fail(err, PN_ERR_USAGE,
                       "missing --guests-per-host (-p): how many guests a host runs at most");
    if (opts->trace || st->replay_option)
        return pn_cli_check_replay(opts, st, err);
    if (opts->simulate)
        return pn_cli_check_simulation(opts, st, err);
    if (st->sim_option)
        return pn_fail(err, PN_ERR_USAGE, "--%s is a simulation option; it needs --simulate POLICY",
                       st->sim_option);
    if (opts->action == PN_ACTION_ESTIMATE && (opts->sweep || opts->load_curve))
        return pn_fail(err, PN_ERR_USAGE, "--estimate times one question; -g all|FROM:TO and "
                                          "--load-curve ask many");
    if (opts->action == PN_ACTION_KEYSPACE) { /* --guests is optional here */
        s = pn_cli_check_fleet(opts, st->have_hosts || st->have_per_host, false, false, err);
        return s != PN_OK ? s : pn_query_validate(q, err);
    }
    if (!st->have_guests && !opts->load_curve)
        return pn_fail(err, PN_ERR_USAGE, "missing --guests (-g): how many guests are running");
    q->sliced = st->have_skip || st->have_limit;
    q->limit_to_end = q->sliced && !st->have_limit;
    s = pn_cli_check_fleet(opts, st->have_hosts || st->have_per_host, q->sliced,
                           st->have_guests, err);
    if (s == PN_OK)
        s = pn_query_resolve(q, err);
    if (s == PN_OK && opts->sweep_all && (s = pn_cli_finish_levels(opts, err)) == PN_OK)
        s = pn_query_resolve(q, err);
    if (s != PN_OK)
        return s;
    if (q->sliced && opts->engine == PN_ENGINE_EXACT)
        return pn_fail(err, PN_ERR_USAGE,
                       "--skip/--limit slice the enumeration; --engine exact does not enumerate");
    return pn_cost_validate(&opts->cost, err);
}

static void set_defaults(pn_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->action = PN_ACTION_REPORT;
    opts->engine = PN_ENGINE_AUTO;
    opts->format = PN_FORMAT_TEXT;
    opts->query.model = PN_MODEL_UNIFORM;
    opts->sim.seed = PN_SIM_DEFAULT_SEED;
    strcpy(opts->cost.currency, "$");
    opts->status_every = PN_STATUS_EVERY_DEFAULT;
}

void pn_cli_free(pn_options *opts)
{
    free(opts->merge_files);
    opts->merge_files = NULL;
}

pn_status pn_cli_parse(int argc, char **argv, pn_options *opts, pn_error *err)
{
    set_defaults(opts);
    bool merge = argc > 1 && strcmp(argv[1], "merge") == 0;
    parse_state st = {.merge = merge};
    if (merge) {
        opts->action = PN_ACTION_MERGE;
        opts->merge_files = calloc((size_t)argc, sizeof *opts->merge_files);
        if (!opts->merge_files)
            return pn_fail(err, PN_ERR_NOMEM, "out of memory for the merge file list");
    }
    /* getopt reads a copy, without "merge", so the caller's argv stays as it was. */
    char **args = calloc((size_t)(argc > 1 ? argc : 1) + 1, sizeof *args);
    if (!args)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a copy of the arguments");
    int count = 0;
    args[count++] = argc > 0 && argv[0] ? argv[0] : (char *)"powernap_calculator";
    for (int i = merge ? 2 : 1; i < argc; i++)
        args[count++] = argv[i];
    pn_status s = walk(count, args, opts, &st, err);
    free(args);
    return s != PN_OK ? s : check_complete(opts, &st, err);
}
