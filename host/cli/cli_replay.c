/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_replay.c -- the options of a trace replay (--trace, --window, --every) and what a replay cannot be combined with. */
#include "cli_parse.h"

#include <string.h>

#include "replay/pn_trace_csv.h"

/* --window FROM:TO: two plain non-negative numbers of seconds, FROM < TO. */
static pn_status set_window(const option_spec *o, const char *value, pn_options *opts,
                            pn_error *err)
{
    const char *colon = strchr(value, ':');
    char from[64];
    size_t len = colon ? (size_t)(colon - value) : 0;
    if (!colon || len >= sizeof from)
        return pn_cli_bad_value(err, o, value, "expected FROM:TO, two numbers of seconds such "
                                               "as 0:86400");
    memcpy(from, value, len);
    from[len] = '\0';
    if (!pn_cli_parse_amount(from, &opts->window_from) ||
        !pn_cli_parse_amount(colon + 1, &opts->window_to))
        return pn_cli_bad_value(err, o, value, "expected FROM:TO, two plain non-negative "
                                               "numbers of seconds such as 0:86400");
    if (!(opts->window_from < opts->window_to) || opts->window_to > PN_TRACE_MAX_TIME)
        return pn_cli_bad_value(err, o, value, "FROM must be below TO, and TO at most 1e12");
    opts->has_window = true;
    return PN_OK;
}

pn_status pn_cli_apply_replay(const option_spec *o, const char *value, pn_options *opts,
                              parse_state *st, pn_error *err)
{
    switch (o->id) {
    case OPT_TRACE:
        if (value[0] == '\0')
            return pn_cli_bad_value(err, o, value, "expected a file name");
        opts->trace = value;
        return PN_OK;
    case OPT_WINDOW:
        st->replay_option = o->long_name;
        return set_window(o, value, opts, err);
    case OPT_EVERY:
        st->replay_option = o->long_name;
        if (!pn_cli_parse_amount(value, &opts->every) || !(opts->every > 0))
            return pn_cli_bad_value(err, o, value, "expected a number of seconds above 0 such "
                                                   "as 3600");
        return PN_OK;
    default: break;
    }
    return pn_fail(err, PN_ERR_USAGE, "internal: --%s is not a replay option", o->long_name);
}

/* The options a replay has no use for, refused naming each. */
static pn_status refuse_unused(const pn_options *opts, const parse_state *st, pn_error *err)
{
    static const char *const WHY = "--trace replays recorded arrivals and departures";
    if (st->sim_option && strcmp(st->sim_option, "seed") != 0)
        return pn_fail(err, PN_ERR_USAGE, "%s; --%s is for the Monte Carlo simulation "
                       "(--simulate without --trace)", WHY, st->sim_option);
    if (st->have_guests || opts->load_curve)
        return pn_fail(err, PN_ERR_USAGE, "%s; the trace gives the guests, not %s", WHY,
                       opts->load_curve ? "--load-curve" : "-g");
    if (st->have_model || st->have_skip || st->have_limit || opts->verify ||
        opts->engine == PN_ENGINE_EXACT)
        return pn_fail(err, PN_ERR_USAGE, "%s; --model, --skip, --limit, --verify and "
                       "--engine exact belong to the snapshot engines", WHY);
    if (opts->action == PN_ACTION_ESTIMATE || opts->action == PN_ACTION_KEYSPACE)
        return pn_fail(err, PN_ERR_USAGE, "%s; --estimate and --keyspace belong to the "
                       "snapshot engines", WHY);
    if (opts->checkpoint || opts->plot)
        return pn_fail(err, PN_ERR_USAGE, "%s; %s is not available for a replay", WHY,
                       opts->plot ? "--plot" : "--checkpoint");
    return PN_OK;
}

pn_status pn_cli_check_replay(pn_options *opts, const parse_state *st, pn_error *err)
{
    if (!opts->trace)
        return pn_fail(err, PN_ERR_USAGE, "--%s is a replay option; it needs --trace FILE",
                       st->replay_option);
    if (!opts->simulate)
        return pn_fail(err, PN_ERR_USAGE, "--trace needs --simulate POLICY (random, first-fit, "
                       "best-fit, worst-fit, round-robin) or --simulate all");
    pn_status s = refuse_unused(opts, st, err);
    if (s != PN_OK)
        return s;
    if (opts->every > 0 && opts->simulate_all)
        return pn_fail(err, PN_ERR_USAGE, "--every writes one policy's time series; choose one "
                       "policy instead of --simulate all");
    if (opts->every > 0 && opts->format == PN_FORMAT_JSON)
        return pn_fail(err, PN_ERR_USAGE, "--every writes its time series as CSV, not JSON");
    pn_query *q = &opts->query;
    if (!opts->fleet) {
        if (q->hosts == 0 || q->hosts > PN_MAX_HOSTS || q->per_host == 0 ||
            q->per_host > PN_MAX_PER_HOST)
            return pn_fail(err, PN_ERR_USAGE, "a replay needs -h 1..%llu hosts of -p 1..%llu "
                           "cores", (unsigned long long)PN_MAX_HOSTS,
                           (unsigned long long)PN_MAX_PER_HOST);
    }
    s = pn_cli_check_fleet(opts, st->have_hosts || st->have_per_host, false, false, err);
    if (s != PN_OK)
        return s;
    opts->action = PN_ACTION_REPLAY;
    /* The time series' energy needs watts, not a price. */
    if (opts->every > 0 && !opts->cost.has_price) {
        if (opts->cost.idle_watts > opts->cost.watts && opts->cost.has_watts)
            return pn_fail(err, PN_ERR_USAGE, "--idle-watts must not exceed --watts");
        return PN_OK;
    }
    return pn_cost_validate(&opts->cost, err);
}
