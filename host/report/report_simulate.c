/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_simulate.c -- a scheduler simulation's report, text (the 2009 lines with their confidence half-widths), JSON or CSV. */
#include "report/pn_report_simulate.h"
#include "report/pn_cost_format.h"
#include "report/pn_report_format.h"
#include "slice/pn_json.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* " (±x)" for a half-width in percentage points, or "" when it is unknown. */
static void ci_suffix(char *buf, size_t len, double ci, const char *format)
{
    buf[0] = '\0';
    if (!isnan(ci)) {
        snprintf(buf, len, " (\u00b1");
        snprintf(buf + strlen(buf), len - strlen(buf), format, ci);
        snprintf(buf + strlen(buf), len - strlen(buf), ")");
    }
}

/* The heading: the cloud, the load and the policy. */
static void write_text_heading(FILE *out, const pn_sim_query *q)
{
    if (q->has_guests)
        pn_report_text_cloud(out, q->hosts, q->per_host, q->guests);
    else
        fprintf(out, "In a cloud with [%llu] hosts, which can handle [%llu] guests-per-host,\n",
                (unsigned long long)q->hosts, (unsigned long long)q->per_host);
    fprintf(out, "with guests coming and going at an offered load of [%g] and placed [%s],\n",
            q->load, pn_policy_name(q->policy));
    fprintf(out, "you may expect the following%s (simulated; 95%% confidence half-widths in "
                 "percentage points):\n\n", q->has_guests ? "" : " over time");
}

/* Time at the guests, the all-time figures and the wake-ups. */
static void write_text_dynamics(FILE *out, const pn_sim_query *q, const pn_sim_summary *s)
{
    char ci[48];
    fputc('\n', out);
    if (q->has_guests) {
        ci_suffix(ci, sizeof ci, 100 * s->time_at_guests.ci95, "%.2f");
        fprintf(out, "The cloud held exactly [%llu] guests [%.1f%%] of the time%s; over all "
                     "loads,\n", (unsigned long long)q->guests, 100 * s->time_at_guests.value, ci);
        ci_suffix(ci, sizeof ci, s->all_expected.ci95, "%.2f");
        fprintf(out, "the expected value is [%.1f%%] power savings%s.\n", s->all_expected.value,
                ci);
    }
    ci_suffix(ci, sizeof ci, s->wakeups_per_host.ci95, "%.4f");
    fprintf(out, "A host wakes from its nap [%.4f] times per mean guest lifetime%s.\n",
            s->wakeups_per_host.value, ci);
    fprintf(out, "Simulated: [%llu] trajectories of [%llu] ticks ([%.0f] mean lifetimes) after "
                 "[%llu] ticks of burn-in, seed [%llu].\n",
            (unsigned long long)q->trajectories, (unsigned long long)q->ticks,
            (double)q->ticks / q->rate, (unsigned long long)q->burn_in,
            (unsigned long long)q->seed);
}

static void write_text(FILE *out, const pn_sim_report_input *in)
{
    const pn_sim_query *q = in->query;
    const pn_sim_summary *s = in->summary;
    char ci[48];
    write_text_heading(out, q);
    for (uint64_t k = 0; k <= q->hosts; k++) {
        if (s->counts[k] == 0)
            continue;
        ci_suffix(ci, sizeof ci, 100 * s->probability[k].ci95, "%.2f");
        pn_report_text_row(out, 100 * s->probability[k].value, k, q->hosts, ci);
    }
    ci_suffix(ci, sizeof ci, s->expected.ci95, "%.2f");
    pn_report_text_expected(out, s->expected.value, ci);
    write_text_dynamics(out, q, s);
    if (in->cost && in->cost->wanted) {
        pn_cost c = pn_cost_compute(in->cost, q->hosts, s->expected.value);
        pn_cost_write_text(out, &c, q->hosts, NULL);
    }
}

/* `[c0, c1, ...]` */
static void write_counts(FILE *out, const uint64_t *counts, uint64_t hosts)
{
    fputc('[', out);
    for (uint64_t k = 0; k <= hosts; k++)
        fprintf(out, "%s%llu", k ? ", " : "", (unsigned long long)counts[k]);
    fputc(']', out);
}

/* A row for every k: napping_hosts ("napping" repeats it until the next
 * format_version), its count, probability with probability_ci95 in the same
 * units ("ci95" repeats it until the next format_version) and savings. */
static void write_json_rows(FILE *out, const pn_sim_summary *s)
{
    const char *sep = "\n";
    pn_report_json_key(out, "  ", PN_KEY_ROWS);
    fputc('[', out);
    for (uint64_t k = 0; k <= s->hosts; k++) {
        fprintf(out, "%s    {", sep);
        pn_report_json_key(out, "", PN_KEY_NAPPING_HOSTS);
        fprintf(out, "%llu", (unsigned long long)k);
        pn_report_json_key(out, ", ", PN_KEY_NAPPING);
        fprintf(out, "%llu", (unsigned long long)k);
        pn_report_json_key(out, ", ", PN_KEY_COUNT);
        fprintf(out, "%llu", (unsigned long long)s->counts[k]);
        pn_report_json_double_member(out, ", ", PN_KEY_PROBABILITY, s->probability[k].value);
        pn_report_json_double_member(out, ", ", PN_KEY_PROBABILITY_CI95, s->probability[k].ci95);
        pn_report_json_double_member(out, ", ", PN_KEY_CI95, s->probability[k].ci95);
        pn_report_json_double_member(out, ", ", PN_KEY_SAVINGS_PERCENT,
                                     pn_report_savings_percent(k, s->hosts));
        fputc('}', out);
        sep = ",\n";
    }
    fprintf(out, "\n  ],\n");
}

/* `"all_loads": {"observations": N, "counts": [...], "expected_savings_percent": e,
 * "expected_savings_ci95": x, "ci95": x},`, "ci95" kept until the next format_version. */
static void write_json_all_loads(FILE *out, const pn_sim_summary *s)
{
    pn_report_json_key(out, "  ", PN_KEY_ALL_LOADS);
    fputc('{', out);
    pn_report_json_key(out, "", PN_KEY_OBSERVATIONS);
    fprintf(out, "%llu", (unsigned long long)s->observed);
    pn_report_json_key(out, ", ", PN_KEY_COUNTS);
    write_counts(out, s->all_counts, s->hosts);
    pn_report_json_double_member(out, ", ", PN_KEY_EXPECTED_SAVINGS_PERCENT,
                                 s->all_expected.value);
    pn_report_json_double_member(out, ", ", PN_KEY_EXPECTED_SAVINGS_CI95, s->all_expected.ci95);
    pn_report_json_double_member(out, ", ", PN_KEY_CI95, s->all_expected.ci95);
    fprintf(out, "},\n");
}

/* The question and how it was simulated. */
static void write_json_question(FILE *out, const pn_sim_report_input *in)
{
    const pn_sim_query *q = in->query;
    pn_report_json_key(out, "  ", PN_KEY_FORMAT_VERSION);
    fprintf(out, "%d,\n", PN_JSON_FORMAT_VERSION);
    pn_report_json_string_member(out, PN_KEY_TOOL, PN_JSON_TOOL);
    pn_report_json_u64_member(out, PN_KEY_HOSTS, q->hosts);
    pn_report_json_u64_member(out, PN_KEY_GUESTS_PER_HOST, q->per_host);
    if (q->has_guests)
        pn_report_json_u64_member(out, PN_KEY_GUESTS, q->guests);
    pn_report_json_string_member(out, PN_KEY_POLICY, pn_policy_name(q->policy));
    pn_report_json_double_member(out, "  ", PN_KEY_LOAD, q->load);
    fprintf(out, ",\n");
    pn_report_json_string_member(out, PN_KEY_ENGINE, in->engine ? in->engine : "");
    pn_report_json_u64_member(out, PN_KEY_TRAJECTORIES, q->trajectories);
    pn_report_json_u64_member(out, PN_KEY_TICKS, q->ticks);
    pn_report_json_u64_member(out, PN_KEY_BURN_IN, q->burn_in);
    pn_report_json_u64_member(out, PN_KEY_SEED, q->seed);
}

static void write_json(FILE *out, const pn_sim_report_input *in)
{
    const pn_sim_summary *s = in->summary;
    fprintf(out, "{\n");
    write_json_question(out, in);
    pn_report_json_u64_member(out, PN_KEY_OBSERVATIONS, s->reported);
    pn_report_json_key(out, "  ", PN_KEY_COUNTS);
    write_counts(out, s->counts, s->hosts);
    fprintf(out, ",\n");
    write_json_rows(out, s);
    pn_report_json_double_member(out, "  ", PN_KEY_EXPECTED_SAVINGS_PERCENT, s->expected.value);
    pn_report_json_double_member(out, ",\n  ", PN_KEY_EXPECTED_SAVINGS_CI95, s->expected.ci95);
    if (in->query->has_guests)
        pn_report_json_double_member(out, ",\n  ", PN_KEY_TIME_AT_GUESTS,
                                     s->time_at_guests.value);
    fprintf(out, ",\n");
    write_json_all_loads(out, s);
    pn_report_json_double_member(out, "  ", PN_KEY_WAKEUPS_PER_HOST, s->wakeups_per_host.value);
    pn_report_json_double_member(out, ",\n  ", PN_KEY_WAKEUPS_PER_HOST_CI95,
                                 s->wakeups_per_host.ci95);
    if (in->cost && in->cost->wanted) {
        pn_cost c = pn_cost_compute(in->cost, s->hosts, s->expected.value);
        pn_cost_write_json(out, ",\n  ", &c);
    }
    fprintf(out, "\n}\n");
}

/* ",v", or "," alone for an unknown value. */
static void csv_number(FILE *out, double v)
{
    fputc(',', out);
    if (!isnan(v))
        pn_json_write_number(out, v);
}

/* A header, then one row per napping-host count k = 0..h; an unknown
 * half-width is an empty field; probability_ci95 repeats ci95 (JSON's name);
 * the cost, the same on every row, last. */
static void write_csv(FILE *out, const pn_sim_report_input *in)
{
    const pn_sim_summary *s = in->summary;
    bool cost = in->cost && in->cost->wanted;
    pn_cost c = cost ? pn_cost_compute(in->cost, s->hosts, s->expected.value) : (pn_cost){0};
    fprintf(out, "napping_hosts,hosts,count,probability,ci95,savings_percent,probability_ci95%s\n",
            cost ? PN_COST_CSV_HEADER : "");
    for (uint64_t k = 0; k <= s->hosts; k++) {
        fprintf(out, "%llu,%llu,%llu", (unsigned long long)k, (unsigned long long)s->hosts,
                (unsigned long long)s->counts[k]);
        csv_number(out, s->probability[k].value);
        csv_number(out, s->probability[k].ci95);
        csv_number(out, pn_report_savings_percent(k, s->hosts));
        csv_number(out, s->probability[k].ci95);
        if (cost)
            pn_cost_write_csv(out, &c);
        fputc('\n', out);
    }
}

pn_status pn_sim_report_write(FILE *out, pn_format format, const pn_sim_report_input *in,
                              pn_error *err)
{
    switch (format) {
    case PN_FORMAT_TEXT: write_text(out, in); break;
    case PN_FORMAT_JSON: write_json(out, in); break;
    case PN_FORMAT_CSV: write_csv(out, in); break;
    }
    if (fflush(out) != 0 || ferror(out))
        return pn_fail(err, PN_ERR_IO, "writing the report failed: %s", strerror(errno));
    return PN_OK;
}
