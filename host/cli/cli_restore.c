/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_restore.c -- --restore against the question options typed beside it: agreeing ones pass, others are refused. */
#include "cli/pn_cli.h"
#include "cli_parse.h"
#include "slice/pn_checkpoint.h"

#include <stdio.h>
#include <string.h>

/* One conflict: the option was typed and says something else than the ledger. */
static pn_status conflict(const char *option, uint64_t typed, uint64_t ledger, const char *path,
                          pn_error *err)
{
    return pn_fail(err, PN_ERR_USAGE, "%s %llu conflicts with the ledger %s, whose run has %llu; "
                                      "leave it out to continue that run",
                   option, (unsigned long long)typed, path, (unsigned long long)ledger);
}

/* The guest counts q asks, as they would be typed: "-g 20", "-g 20:30", or
 * the load curve's file. */
static void describe_levels(const pn_query *q, const char *load_curve, char *buf, size_t len)
{
    const pn_levels *lv = &q->levels;
    if (load_curve && lv->hours)
        snprintf(buf, len, "--load-curve %s", load_curve);
    else if (lv->listed)
        snprintf(buf, len, "-g %llu:%llu", (unsigned long long)pn_levels_at(lv, 0),
                 (unsigned long long)pn_levels_at(lv, lv->n - 1));
    else
        snprintf(buf, len, "-g %llu", (unsigned long long)q->guests);
}

/* The guest counts typed beside --restore (-g G, -g all|FROM:TO,
 * --load-curve FILE) are the ledger's: the same count, the same range
 * (-g all: 0 to the ledger's capacity), the same curve file. */
static bool same_levels(const pn_options *opts, const pn_query *ledger, const char *load_curve)
{
    const pn_levels *lv = &ledger->levels;
    if (opts->load_curve)
        return lv->hours && load_curve && strcmp(opts->load_curve, load_curve) == 0;
    if (!opts->sweep)
        return !lv->listed && opts->query.guests == ledger->guests;
    uint64_t from = opts->sweep_all ? 0 : opts->sweep_from;
    uint64_t to = opts->sweep_all ? pn_query_capacity(ledger) : opts->sweep_to;
    return lv->listed && !lv->hours && pn_levels_at(lv, 0) == from &&
           pn_levels_at(lv, lv->n - 1) == to && lv->n - 1 == to - from;
}

/* The --fleet typed beside --restore is the ledger's fleet: the same groups
 * in the same order, and the same watts where the spec gave them. */
static bool same_fleet(const pn_query *typed, const pn_query *ledger)
{
    if (typed->ngroups != ledger->ngroups)
        return false;
    for (unsigned j = 0; j < typed->ngroups; j++) {
        const pn_group *a = &typed->groups[j], *b = &ledger->groups[j];
        if (a->count != b->count || a->capacity != b->capacity ||
            (a->watts > 0 && a->watts != b->watts))
            return false;
    }
    return true;
}

/* --restore: PN_ERR_USAGE naming the first question option the user typed
 * (opts->given) that differs from the ledger's resolved question (its
 * fleet, its guest count, sweep range or load curve file load_curve, which
 * may be NULL, its range and model). */
static pn_status check_restore(const pn_options *opts, const pn_query *ledger,
                               const char *load_curve, pn_error *err)
{
    const pn_query *q = &opts->query;
    const char *path = opts->restore;
    char typed[96], has[4200];
    if ((opts->given & PN_GIVEN_HOSTS) && q->hosts != ledger->hosts)
        return conflict("--hosts", q->hosts, ledger->hosts, path, err);
    if ((opts->given & PN_GIVEN_PER_HOST) && q->per_host != ledger->per_host)
        return conflict("--guests-per-host", q->per_host, ledger->per_host, path, err);
    if ((opts->given & PN_GIVEN_FLEET) && !same_fleet(q, ledger))
        return pn_fail(err, PN_ERR_USAGE, "--fleet conflicts with the ledger %s, whose run has "
                                          "another fleet; leave it out to continue that run",
                       path);
    if ((opts->given & (PN_GIVEN_GUESTS | PN_GIVEN_LOAD_CURVE)) &&
        !same_levels(opts, ledger, load_curve)) {
        if (opts->load_curve)
            snprintf(typed, sizeof typed, "--load-curve %.80s", opts->load_curve);
        else if (opts->sweep_all)
            snprintf(typed, sizeof typed, "-g all");
        else if (opts->sweep)
            snprintf(typed, sizeof typed, "-g %llu:%llu", (unsigned long long)opts->sweep_from,
                     (unsigned long long)opts->sweep_to);
        else
            snprintf(typed, sizeof typed, "-g %llu", (unsigned long long)q->guests);
        describe_levels(ledger, load_curve, has, sizeof has);
        return pn_fail(err, PN_ERR_USAGE, "%s conflicts with the ledger %s, whose run has %s; "
                                          "leave it out to continue that run", typed, path, has);
    }
    if ((opts->given & PN_GIVEN_SKIP) && q->skip != ledger->first)
        return conflict("--skip", q->skip, ledger->first, path, err);
    if ((opts->given & PN_GIVEN_LIMIT) && q->limit != ledger->count)
        return conflict("--limit", q->limit, ledger->count, path, err);
    if ((opts->given & PN_GIVEN_MODEL) && q->model != ledger->model)
        return pn_fail(err, PN_ERR_USAGE, "--model %s conflicts with the ledger %s, whose run "
                                          "has the %s model; leave it out to continue that run",
                       pn_model_name(q->model), path, pn_model_name(ledger->model));
    return PN_OK;
}

pn_status pn_cli_adopt_ledger(pn_options *opts, const pn_query *ledger, const char *load_curve,
                              pn_error *err)
{
    pn_status st = check_restore(opts, ledger, load_curve, err);
    if (st != PN_OK)
        return st;
    opts->query = *ledger;
    opts->fleet = ledger->per_host_bases || ledger->weighted; /* a fleet of one with @WATTS too */
    opts->load_curve = ledger->levels.hours ? load_curve : NULL;
    opts->sweep = ledger->levels.listed && !opts->load_curve;
    opts->sweep_all = false;
    opts->sweep_from = pn_levels_at(&ledger->levels, 0);
    opts->sweep_to = ledger->guests;
    if (opts->fleet && (st = pn_cli_fleet_cost(opts, err)) != PN_OK)
        return st;
    return pn_cost_validate(&opts->cost, err);
}

/* --checkpoint, --checkpoint-every and --restore: what goes with what. With
 * --restore the question comes from the ledger; the options that state it
 * are remembered in opts->given so main() can refuse those that conflict. */
pn_status pn_cli_check_long_run(pn_options *opts, const parse_state *st, pn_error *err)
{
    if (!opts->checkpoint && !opts->restore) {
        if (st->have_every)
            return pn_fail(err, PN_ERR_USAGE, "--checkpoint-every needs --checkpoint FILE");
        return PN_OK;
    }
    const char *which = opts->restore ? "--restore" : "--checkpoint";
    if (opts->simulate)
        return pn_fail(err, PN_ERR_USAGE, "%s keeps the ledger of an enumeration; --simulate "
                                          "does not enumerate", which);
    if (opts->checkpoint && opts->restore)
        return pn_fail(err, PN_ERR_USAGE, "--restore keeps its ledger up to date itself; "
                                          "--checkpoint names a new one: give one of them");
    if (opts->action != PN_ACTION_REPORT || opts->verify)
        return pn_fail(err, PN_ERR_USAGE, "%s goes with a run that answers a question, not "
                                          "with --keyspace or --verify", which);
    if (opts->engine == PN_ENGINE_EXACT)
        return pn_fail(err, PN_ERR_USAGE, "%s keeps the ledger of an enumeration; --engine "
                                          "exact does not enumerate", which);
    if (!opts->checkpoint_every)
        opts->checkpoint_every = PN_CHECKPOINT_EVERY;
    opts->given = (st->have_hosts ? PN_GIVEN_HOSTS : 0) |
                  (st->have_per_host ? PN_GIVEN_PER_HOST : 0) |
                  (st->have_guests ? PN_GIVEN_GUESTS : 0) | (st->have_model ? PN_GIVEN_MODEL : 0) |
                  (st->have_skip ? PN_GIVEN_SKIP : 0) | (st->have_limit ? PN_GIVEN_LIMIT : 0) |
                  (opts->fleet ? PN_GIVEN_FLEET : 0) | (opts->load_curve ? PN_GIVEN_LOAD_CURVE : 0);
    return PN_OK; /* --restore's cost is checked with the ledger's fleet (pn_cli_adopt_ledger) */
}

