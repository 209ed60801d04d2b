/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_replay.c -- a trace replay's report: text in the 2009 style, the policies side by side, JSON, CSV, and the --every time series. */
#include "report/pn_report_replay.h"
#include "report/pn_report_format.h"

#include <errno.h>
#include <string.h>

#include "question/pn_fleet.h"

/* Whether the cost lines are wanted. */
static bool cost_wanted(const pn_cost_input *cost)
{
    return cost && cost->wanted && cost->has_price;
}

/* The yearly figures of result r. */
static pn_cost replay_cost(const pn_replay_result *r, const pn_cost_input *cost)
{
    if (r->weighted)
        return pn_cost_compute_fleet(cost, r->fleet_watts, r->expected_napping_watts,
                                     r->expected_napping_hosts);
    return pn_cost_compute(cost, r->hosts, r->expected_savings_percent);
}

static void write_heading(FILE *out, const pn_replay_report_input *in)
{
    const pn_replay_result *r = &in->results[0];
    if (in->fleet->ngroups > 0) {
        char groups[PN_MAX_GROUPS * 96];
        pn_fleet_describe(in->fleet, groups, sizeof groups);
        fprintf(out, "In a cloud with [%llu] hosts (%s),\n", (unsigned long long)r->hosts,
                groups);
    } else
        fprintf(out, "In a cloud with [%llu] hosts of [%llu] cores each,\n",
                (unsigned long long)r->hosts, (unsigned long long)in->fleet->per_host);
    fprintf(out, "replaying the [%llu] VMs of [%s] from [%g] s to [%g] s",
            (unsigned long long)r->vms, in->trace, r->from, r->to);
    if (in->all)
        fprintf(out, " under every policy:\n\n");
    else
        fprintf(out, " placed [%s],\nyou may expect the following (share of the time):\n\n",
                pn_policy_name(r->policy));
}

static void write_text_one(FILE *out, const pn_replay_result *r, const pn_cost_input *cost)
{
    char prob[16];
    for (uint64_t k = 0; k <= r->hosts; k++) {
        if (r->fraction[k] <= 0)
            continue;
        pn_report_format_probability(prob, sizeof prob, 100 * r->fraction[k]);
        fprintf(out, "[%5s%%] of the time [%llu/%llu] of your hosts would powernap, for a "
                     "[%.0f%%] power savings\n", prob, (unsigned long long)k,
                (unsigned long long)r->hosts, 100.0 * (double)k / (double)r->hosts);
    }
    pn_report_text_expected(out, r->expected_savings_percent,
                            r->weighted ? " (of the fleet's watts)" : NULL);
    if (cost_wanted(cost)) {
        pn_cost c = replay_cost(r, cost);
        char price[32];
        pn_report_format_price(price, sizeof price, cost->price);
        fprintf(out, "\nAt [%g] W %s and [%s%s] per kWh, running all [%llu] hosts costs "
                     "[%s%.2f] per year;\n", r->weighted ? r->fleet_watts : cost->watts,
                r->weighted ? "in all" : "per host", cost->currency, price,
                (unsigned long long)r->hosts, cost->currency, c.yearly_cost_no_nap);
        if (cost->idle_watts > 0)
            fprintf(out, "with a napping host drawing [%g] W, ", cost->idle_watts);
        fprintf(out, "the expected saving is [%s%.2f] per year.\n", cost->currency,
                c.expected_yearly_saving);
    }
    fprintf(out, "\nRejected: [%llu] of [%llu] VMs found no host with room.\n",
            (unsigned long long)r->rejected, (unsigned long long)r->vms);
    fprintf(out, "Wake-ups: [%llu] arrivals were placed on a napping host.\n",
            (unsigned long long)r->wakeups);
    fprintf(out, "Peak: at most [%llu] of [%llu] hosts were awake at once.\n",
            (unsigned long long)r->peak_awake, (unsigned long long)r->hosts);
}

static void write_text_table(FILE *out, const pn_replay_report_input *in)
{
    bool cost = cost_wanted(in->cost);
    fprintf(out, "%-12s %9s %14s %9s %9s %11s%s\n", "policy", "savings", "napping hosts",
            "rejected", "wake-ups", "peak awake", cost ? "  saving/year" : "");
    for (size_t i = 0; i < in->count; i++) {
        const pn_replay_result *r = &in->results[i];
        fprintf(out, "%-12s %8.1f%% %14.2f %9llu %9llu %11llu", pn_policy_name(r->policy),
                r->expected_savings_percent, r->expected_napping_hosts,
                (unsigned long long)r->rejected, (unsigned long long)r->wakeups,
                (unsigned long long)r->peak_awake);
        if (cost)
            fprintf(out, "  %s%.2f", in->cost->currency,
                    replay_cost(r, in->cost).expected_yearly_saving);
        fputc('\n', out);
    }
}

/* One policy's members, each line after `indent`. */
static void write_json_members(FILE *out, const pn_replay_result *r, const pn_cost_input *cost,
                               const char *indent)
{
    fprintf(out, "%s\"policy\": \"%s\",\n", indent, pn_policy_name(r->policy));
    fprintf(out, "%s\"hosts\": %llu,\n%s\"vms\": %llu,\n", indent,
            (unsigned long long)r->hosts, indent, (unsigned long long)r->vms);
    fprintf(out, "%s\"rejected\": %llu,\n%s\"wakeups\": %llu,\n", indent,
            (unsigned long long)r->rejected, indent, (unsigned long long)r->wakeups);
    fprintf(out, "%s\"peak_awake_hosts\": %llu,\n", indent, (unsigned long long)r->peak_awake);
    fprintf(out, "%s\"window\": [%.17g, %.17g],\n%s\"napping_time_fraction\": [", indent,
            r->from, r->to, indent);
    for (uint64_t k = 0; k <= r->hosts; k++)
        fprintf(out, "%s%.17g", k ? ", " : "", r->fraction[k]);
    fprintf(out, "],\n%s\"expected_napping_hosts\": %.17g,\n", indent,
            r->expected_napping_hosts);
    fprintf(out, "%s\"expected_savings_percent\": %.17g", indent, r->expected_savings_percent);
    if (cost_wanted(cost)) {
        pn_cost c = replay_cost(r, cost);
        fprintf(out, ",\n%s\"cost\": {\"watts\": %.17g, \"idle_watts\": %.17g, "
                     "\"price_per_kwh\": %.17g, \"currency\": ", indent,
                r->weighted ? r->fleet_watts : cost->watts, cost->idle_watts, cost->price);
        pn_report_json_string(out, cost->currency);
        fprintf(out, ", \"yearly_cost_no_nap\": %.17g, \"expected_yearly_saving\": %.17g}",
                c.yearly_cost_no_nap, c.expected_yearly_saving);
    }
}

static void write_json(FILE *out, const pn_replay_report_input *in)
{
    fprintf(out, "{\n  \"format_version\": 1,\n  \"tool\": \"powernap_calculator\",\n"
                 "  \"trace\": ");
    pn_report_json_string(out, in->trace);
    fprintf(out, ",\n");
    if (!in->all) {
        write_json_members(out, &in->results[0], in->cost, "  ");
        fprintf(out, "\n}\n");
        return;
    }
    fprintf(out, "  \"policies\": [\n");
    for (size_t i = 0; i < in->count; i++) {
        fprintf(out, "    {\n");
        write_json_members(out, &in->results[i], in->cost, "      ");
        fprintf(out, "\n    }%s\n", i + 1 < in->count ? "," : "");
    }
    fprintf(out, "  ]\n}\n");
}

static void write_csv(FILE *out, const pn_replay_report_input *in)
{
    fprintf(out, "policy,hosts,vms,rejected,wakeups,peak_awake_hosts,from,to,"
                 "expected_napping_hosts,expected_savings_percent\n");
    for (size_t i = 0; i < in->count; i++) {
        const pn_replay_result *r = &in->results[i];
        fprintf(out, "%s,%llu,%llu,%llu,%llu,%llu,%.17g,%.17g,%.17g,%.17g\n",
                pn_policy_name(r->policy), (unsigned long long)r->hosts,
                (unsigned long long)r->vms, (unsigned long long)r->rejected,
                (unsigned long long)r->wakeups, (unsigned long long)r->peak_awake, r->from,
                r->to, r->expected_napping_hosts, r->expected_savings_percent);
    }
}

/* Flushes out; PN_ERR_IO naming the error when any write failed. */
static pn_status flushed(FILE *out, pn_error *err)
{
    if (fflush(out) != 0 || ferror(out))
        return pn_fail(err, PN_ERR_IO, "writing the report: %s", strerror(errno));
    return PN_OK;
}

pn_status pn_replay_report_write(FILE *out, pn_format format, const pn_replay_report_input *in,
                                 pn_error *err)
{
    if (format == PN_FORMAT_JSON) {
        write_json(out, in);
    } else if (format == PN_FORMAT_CSV) {
        write_csv(out, in);
    } else {
        write_heading(out, in);
        if (in->all)
            write_text_table(out, in);
        else
            write_text_one(out, &in->results[0], in->cost);
    }
    return flushed(out, err);
}

pn_status pn_replay_series_write(FILE *out, const pn_replay_result *r, const pn_cost_input *cost,
                                 pn_error *err)
{
    bool energy = r->weighted || (cost && cost->has_watts);
    double idle = cost ? cost->idle_watts : 0;
    fprintf(out, "from,to,mean_guests,mean_awake_hosts,mean_napping_hosts%s\n",
            energy ? ",energy_kwh" : "");
    for (size_t j = 0; j < r->nbins; j++) {
        const pn_replay_bin *b = &r->bins[j];
        double d = b->to - b->from, napping = b->napping_seconds / d;
        fprintf(out, "%.17g,%.17g,%.17g,%.17g,%.17g", b->from, b->to, b->guest_seconds / d,
                (double)r->hosts - napping, napping);
        if (energy) {
            /* Awake hosts at their watts, napping ones at the idle watts. */
            double awake_ws = r->weighted ? r->fleet_watts * d - b->napping_watt_seconds
                                          : cost->watts * ((double)r->hosts * d -
                                                           b->napping_seconds);
            fprintf(out, ",%.17g", (awake_ws + idle * b->napping_seconds) / 3.6e6);
        }
        fputc('\n', out);
    }
    return flushed(out, err);
}
