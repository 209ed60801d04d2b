/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_simulate.c -- the options of --simulate and what a simulation cannot be combined with. */
#include "cli_parse.h"

#include <string.h>

#include "simulate/pn_simulate.h"

/* --load: a plain number above 0. */
static pn_status set_load(const option_spec *o, const char *value, pn_sim_query *sim,
                          pn_error *err)
{
    if (!pn_cli_parse_amount(value, &sim->load))
        return pn_cli_bad_value(err, o, value, "expected a plain number above 0 such as 20 or 17.5");
    if (!(sim->load > 0))
        return pn_cli_bad_value(err, o, value, "the offered load must be above 0");
    sim->has_load = true;
    return PN_OK;
}

/* The options only a simulation takes (--simulate itself included). */
pn_status pn_cli_apply_simulation(const option_spec *o, const char *value, pn_options *opts,
                                  parse_state *st, pn_error *err)
{
    pn_sim_query *sim = &opts->sim;
    if (o->id != OPT_SIMULATE)
        st->sim_option = o->long_name;
    switch (o->id) {
    case OPT_SIMULATE:
        opts->simulate = true;
        opts->simulate_all = strcmp(value, "all") == 0; /* a replay's every policy */
        if (opts->simulate_all)
            return PN_OK;
        return pn_policy_parse(value, &sim->policy)
                   ? PN_OK : pn_cli_bad_choice(err, o, value, "expected random, first-fit, "
                                               "best-fit, worst-fit or round-robin",
                                               (const char *const[]){"random", "first-fit",
                                                   "best-fit", "worst-fit", "round-robin", "all", NULL});
    case OPT_LOAD: return set_load(o, value, sim, err);
    case OPT_TRAJECTORIES:
        return pn_cli_set_count(o, value, &sim->trajectories, &sim->has_trajectories, err);
    case OPT_TICKS: return pn_cli_set_count(o, value, &sim->ticks, &sim->has_ticks, err);
    case OPT_BURN_IN: return pn_cli_set_count(o, value, &sim->burn_in, &sim->has_burn_in, err);
    case OPT_SEED: return pn_cli_set_count(o, value, &sim->seed, NULL, err);
    default: break;
    }
    return pn_fail(err, PN_ERR_USAGE, "internal: --%s is not a simulation option", o->long_name);
}

/* --simulate: what it cannot combine with, then the simulation's question
 * (the cloud from -h/-p/-g) resolved. */
pn_status pn_cli_check_simulation(pn_options *opts, const parse_state *st, pn_error *err)
{
    static const char *const WHY = "--simulate places guests over time";
    if (opts->simulate_all)
        return pn_fail(err, PN_ERR_USAGE, "--simulate all compares the policies on a trace; "
                       "give --trace FILE (or one policy to simulate)");
    if (opts->action == PN_ACTION_ESTIMATE)
        return pn_fail(err, PN_ERR_USAGE, "%s; --estimate times the enumerating engines", WHY);
    if (opts->fleet || opts->sweep || opts->load_curve || opts->plot)
        return pn_fail(err, PN_ERR_USAGE, "%s on -h hosts of -p guests; --fleet, -g all|FROM:TO, "
                       "--load-curve and --plot are not simulated yet", WHY);
    if (opts->action == PN_ACTION_KEYSPACE)
        return pn_fail(err, PN_ERR_USAGE, "%s; --keyspace counts scenarios of the snapshot models",
                       WHY);
    if (st->have_skip || st->have_limit)
        return pn_fail(err, PN_ERR_USAGE, "%s and enumerates nothing; --skip/--limit slice an "
                       "enumeration", WHY);
    if (opts->engine == PN_ENGINE_EXACT)
        return pn_fail(err, PN_ERR_USAGE, "%s; --engine exact does not simulate (use opencl or "
                       "cpu)", WHY);
    if (opts->verify)
        return pn_fail(err, PN_ERR_USAGE, "%s; --verify checks an enumeration against the exact "
                       "engine (compare -e opencl with -e cpu instead)", WHY);
    if (st->have_model)
        return pn_fail(err, PN_ERR_USAGE, "%s; --model chooses a snapshot model it does not use",
                       WHY);
    pn_sim_query *sim = &opts->sim;
    sim->hosts = opts->query.hosts;
    sim->per_host = opts->query.per_host;
    sim->has_guests = st->have_guests;
    sim->guests = opts->query.guests;
    pn_status s = pn_sim_query_resolve(sim, err);
    if (s != PN_OK)
        return s;
    opts->action = PN_ACTION_SIMULATE;
    return pn_cost_validate(&opts->cost, err);
}

