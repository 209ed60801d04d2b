/* SPDX-License-Identifier: GPL-3.0-or-later */
/* command_replay.c -- the command's trace replay: where a trace is loaded, each policy replayed, the report written. */
#include "cli/pn_command_replay.h"

#include <stdio.h>

#include "replay/pn_replay.h"
#include "replay/pn_trace_csv.h"
#include "report/pn_report_replay.h"

/* The one place a trace is loaded, from opts into an empty trace: the
 * generic CSV reader (--trace FILE). Other sources (the Azure readers,
 * generated arrivals) plug in here, chosen from opts. */
static pn_status load_trace(const pn_options *opts, pn_trace *trace, pn_error *err)
{
    return pn_trace_read_csv(opts->trace, trace, err);
}

/* What the user should know about how the trace meets the fleet. */
static void note_trace(const pn_options *opts, const pn_trace *trace)
{
    if (opts->quiet)
        return;
    bool fleet_memory = false;
    for (unsigned j = 0; j < opts->query.ngroups; j++)
        fleet_memory = fleet_memory || opts->query.groups[j].memory > 0;
    if (trace->has_memory && !fleet_memory)
        fprintf(stderr, "powernap_calculator: note: the trace gives memory but the fleet does "
                        "not (--fleet COUNTxCORES/MEMORY): only cores are placed\n");
    if (trace->skipped > 0)
        fprintf(stderr, "powernap_calculator: note: %llu VMs of the trace were skipped\n",
                (unsigned long long)trace->skipped);
}

pn_status pn_command_replay(const pn_options *opts, pn_error *err)
{
    /* --simulate all: the policies in the order of the table. */
    static const pn_policy ALL[PN_POLICIES] = {PN_POLICY_FIRST_FIT, PN_POLICY_BEST_FIT,
                                               PN_POLICY_WORST_FIT, PN_POLICY_ROUND_ROBIN,
                                               PN_POLICY_RANDOM};
    pn_trace trace;
    pn_replay_result results[PN_POLICIES] = {{0}};
    size_t count = opts->simulate_all ? PN_POLICIES : 1;
    pn_trace_init(&trace);
    pn_status st = load_trace(opts, &trace, err);
    if (st == PN_OK)
        note_trace(opts, &trace);
    for (size_t i = 0; st == PN_OK && i < count; i++) {
        pn_replay_options o = {.policy = opts->simulate_all ? ALL[i] : opts->sim.policy,
                               .seed = opts->sim.seed, .has_window = opts->has_window,
                               .from = opts->window_from, .to = opts->window_to,
                               .every = opts->every};
        st = pn_replay_run(&trace, &opts->query, &o, &results[i], err);
    }
    pn_replay_report_input in = {.fleet = &opts->query, .trace = opts->trace,
                                 .results = results, .count = count,
                                 .all = opts->simulate_all, .cost = &opts->cost};
    if (st == PN_OK && opts->every > 0)
        st = pn_replay_series_write(stdout, &results[0], &opts->cost, err);
    else if (st == PN_OK)
        st = pn_replay_report_write(stdout, opts->format, &in, err);
    for (size_t i = 0; i < count; i++)
        pn_replay_result_clear(&results[i]);
    pn_trace_free(&trace);
    return st;
}
