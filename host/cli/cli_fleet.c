/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_fleet.c -- the command line's fleet, guest-range, load-curve and plot options, and how they combine. */
#include "cli/pn_cli.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/pn_number.h"

pn_status pn_cli_set_guests(const char *value, pn_options *opts, pn_error *err)
{
    uint64_t from, to;
    bool overflow_a = false, overflow_b = false;
    const char *colon = strchr(value, ':');
    opts->sweep = opts->sweep_all = false;
    if (strcmp(value, "all") == 0) {
        opts->sweep = opts->sweep_all = true;
        return PN_OK;
    }
    if (!colon) {
        if (pn_parse_count(value, strlen(value), &opts->query.guests, &overflow_a))
            return PN_OK;
        return pn_fail(err, PN_ERR_USAGE, "--guests '%s': %s", value,
                       overflow_a ? "too large (it overflows a 64-bit integer)"
                                  : "expected a plain non-negative integer, all, or FROM:TO");
    }
    if (!pn_parse_count(value, (size_t)(colon - value), &from, &overflow_a) ||
        !pn_parse_count(colon + 1, strlen(colon + 1), &to, &overflow_b))
        return pn_fail(err, PN_ERR_USAGE, "--guests '%s': %s", value,
                       overflow_a || overflow_b ? "too large (it overflows a 64-bit integer)"
                                                : "expected FROM:TO, two plain integers");
    if (from > to)
        return pn_fail(err, PN_ERR_USAGE, "--guests '%s' runs backwards: FROM must be at most TO",
                       value);
    opts->sweep = true;
    opts->sweep_from = from;
    opts->sweep_to = to;
    return PN_OK;
}

pn_status pn_cli_set_plot(const char *value, pn_options *opts, pn_error *err)
{
    const char *dot = strrchr(value, '.');
    const char *slash = strrchr(value, '/');
    if (!dot || (slash && dot < slash) || dot == value || (slash && dot == slash + 1) ||
        (strcasecmp(dot, ".png") != 0 && strcasecmp(dot, ".svg") != 0))
        return pn_fail(err, PN_ERR_USAGE,
                       "--plot '%s': the format comes from the extension, .png or .svg", value);
    opts->plot = value;
    return PN_OK;
}

pn_status pn_cli_fleet_cost(pn_options *opts, pn_error *err)
{
    pn_query *q = &opts->query;
    unsigned with = 0;
    double least = 0, most = 0;
    for (unsigned j = 0; j < q->ngroups; j++)
        with += q->groups[j].watts > 0;
    for (unsigned j = 0; with > 0 && j < q->ngroups; j++) {
        pn_group *g = &q->groups[j];
        if (g->watts == 0 && !opts->cost.has_watts)
            return pn_fail(err, PN_ERR_USAGE,
                           "--fleet group %u (%llux%llu) has no @WATTS while others do: give it "
                           "its own, or --watts for the groups without",
                           j + 1, (unsigned long long)g->count, (unsigned long long)g->capacity);
        if (g->watts == 0)
            g->watts = opts->cost.watts;
        least = j == 0 || g->watts < least ? g->watts : least;
        most = g->watts > most ? g->watts : most;
    }
    if (with == 0)
        return PN_OK;
    if (!opts->cost.has_price) /* --watts alone only gave the groups without @WATTS theirs */
        opts->cost.wanted = false;
    if (opts->cost.idle_watts > least)
        return pn_fail(err, PN_ERR_USAGE,
                       "--idle-watts %g is more than the fleet's least %g W: a napping host "
                       "would cost more", opts->cost.idle_watts, least);
    if (opts->cost.wanted) { /* pn_cost_validate's checks, against the hungriest group */
        opts->cost.has_watts = true;
        opts->cost.watts = q->ngroups == 1 ? q->groups[0].watts : most;
    }
    return PN_OK;
}

pn_status pn_cli_check_fleet(pn_options *opts, bool have_hosts_or_per_host, bool sliced,
                             bool have_guests, pn_error *err)
{
    if (opts->fleet && have_hosts_or_per_host)
        return pn_fail(err, PN_ERR_USAGE,
                       "--fleet describes every host; it cannot be combined with -h/-p");
    if (opts->load_curve && have_guests)
        return pn_fail(err, PN_ERR_USAGE,
                       "--load-curve gives the guest counts; it cannot be combined with -g");
    if ((opts->sweep || opts->load_curve) && sliced)
        return pn_fail(err, PN_ERR_USAGE, "%s answers several guest counts; --skip/--limit "
                                          "slice one count's enumeration",
                       opts->sweep ? "-g all or FROM:TO" : "--load-curve");
    if (opts->sweep && !opts->sweep_all)
        opts->query.guests = opts->sweep_to; /* so resolving checks it fits */
    if (opts->sweep_all || opts->load_curve)
        opts->query.guests = 0;
    return opts->fleet ? pn_cli_fleet_cost(opts, err) : PN_OK;
}

pn_status pn_cli_finish_levels(pn_options *opts, pn_error *err)
{
    (void)err;
    if (opts->sweep_all) {
        opts->sweep_from = 0;
        opts->sweep_to = pn_query_capacity(&opts->query);
        opts->query.guests = opts->sweep_to;
    }
    return PN_OK;
}
