/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_levels.c -- many guest counts in one report: a sweep's lines and table, a load curve's time-weighted savings. */
#include "report/pn_report_levels.h"

#include <errno.h>
#include <string.h>

#include "report/pn_consolidation.h"
#include "report/pn_cost_format.h"
#include "report/pn_report_format.h"
#include "slice/pn_json.h"
#include "slice/pn_json_keys.h"
#include "report/pn_savings.h"

pn_report_input pn_report_levels_input(const pn_levels_report *in, size_t i, pn_query *q)
{
    *q = *in->query;
    q->guests = pn_levels_at(in->levels, i);
    q->levels = pn_levels_one(q->guests);
    pn_report_input one = {.query = q, .hist = &in->hists[i], .engine = in->engine,
                           .cost = in->cost,
                           .hours = in->levels->hours ? &in->levels->hours[i] : NULL,
                           .curve = in->levels->hours ? in->levels : NULL};
    return one;
}

/* The share of the curve's time (a sweep: equal shares) spent at level i. */
static double time_share(const pn_levels *lv, size_t i)
{
    if (!lv->hours)
        return 1.0 / (double)lv->n;
    return lv->total_hours > 0 ? lv->hours[i] / lv->total_hours : 0;
}

double pn_report_levels_overall(const pn_levels_report *in)
{
    double sum = 0;
    for (size_t i = 0; i < in->levels->n; i++)
        sum += time_share(in->levels, i) *
               pn_savings_expected_percent(in->query, &in->hists[i]);
    return sum;
}

static bool cost_wanted(const pn_levels_report *in)
{
    return in->cost && in->cost->wanted;
}

/* "At [g] guests, the expected value is [x%] power savings; perfect
 * consolidation naps [k/H] hosts, for [y%]" and, with a cost, the yearly saving. */
static void write_level_line(FILE *out, const pn_levels_report *in, size_t i)
{
    pn_query q;
    pn_report_input one = pn_report_levels_input(in, i, &q);
    double expected = pn_savings_expected_percent(&q, one.hist);
    pn_consolidation packed = pn_consolidation_of(&q, q.guests);
    if (in->levels->hours)
        fprintf(out, "[%5.1f%%] of the time, at", 100.0 * time_share(in->levels, i));
    else
        fprintf(out, "At");
    fprintf(out, " [%llu] guests, the expected value is [%.1f%%] power savings; perfect "
                 "consolidation naps [%llu/%llu] hosts, for [%.1f%%]",
            (unsigned long long)q.guests, expected, (unsigned long long)packed.napping,
            (unsigned long long)q.hosts, packed.savings_percent);
    if (cost_wanted(in) && !in->levels->hours)
        fprintf(out, "; saving [%s%.2f] per year", in->cost->currency,
                pn_report_cost(&one, expected).expected_yearly_saving);
    fprintf(out, ".\n");
}

/* A load curve's cost: the sum of its levels' costs, each for its share of
 * the year, so every format's levels add up to this. */
static pn_cost curve_cost(const pn_levels_report *in)
{
    pn_cost sum = {0};
    for (size_t i = 0; i < in->levels->n; i++) {
        pn_query q;
        pn_report_input one = pn_report_levels_input(in, i, &q);
        pn_cost c = pn_report_cost(&one, pn_savings_expected_percent(&q, one.hist));
        if (i == 0)
            sum = pn_cost_share(c, 0);
        pn_cost_add(&sum, &c);
    }
    return sum;
}

/* A load curve's closing lines: the weighted expected value, and with a
 * cost the yearly bill and the kWh and money the curve's napping saves. */
static void write_curve_summary(FILE *out, const pn_levels_report *in)
{
    fprintf(out, "\nThe overall expected value is [%.1f%%] power savings.\n",
            pn_report_levels_overall(in));
    if (!cost_wanted(in))
        return;
    pn_cost c = curve_cost(in);
    pn_cost_write_text(out, &c, in->query->hosts, "over the load curve");
}

static void write_text(FILE *out, const pn_levels_report *in)
{
    const pn_levels *lv = in->levels;
    char load[PN_MAX_GROUPS + PN_REPORT_PLAIN_LEN + 512];
    char hours[PN_REPORT_PLAIN_LEN];
    pn_report_format_plain(hours, sizeof hours, lv->total_hours);
    if (in->load_curve && strcmp(in->load_curve, "-") == 0) /* --load-curve - */
        snprintf(load, sizeof load, "over the [%s] hours of the load curve from standard input",
                 hours);
    else if (in->load_curve)
        snprintf(load, sizeof load, "over the [%s] hours of the load curve [%s]", hours,
                 in->load_curve);
    else
        snprintf(load, sizeof load, "running from [%llu] to [%llu] guests",
                 (unsigned long long)pn_levels_at(lv, 0), (unsigned long long)pn_levels_at(lv, lv->n - 1));
    pn_report_heading(out, in->query, load);
    if (in->query->model == PN_MODEL_SLOTS)
        fprintf(out, "if every set of occupied guest slots is equally likely, ");
    fprintf(out, "you may expect the following:\n\n");
    for (size_t i = 0; i < lv->n; i++)
        write_level_line(out, in, i);
    if (in->load_curve)
        write_curve_summary(out, in);
}

/* ",v" for each of the numbers. */
static void csv_numbers(FILE *out, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputc(',', out);
        pn_json_write_number(out, v[i]);
    }
}

/* One row per level; a load curve's rows have their hours, and their costs
 * are for their share of the year, so the rows add up to the curve's cost. */
static void write_csv(FILE *out, const pn_levels_report *in)
{
    fprintf(out, "guests,expected_savings_percent,consolidation_savings_percent,"
                 "consolidation_napping_hosts,expected_napping_hosts,hosts%s%s\n",
            in->levels->hours ? ",hours" : "", cost_wanted(in) ? PN_COST_CSV_HEADER : "");
    for (size_t i = 0; i < in->levels->n; i++) {
        pn_query q;
        pn_report_input one = pn_report_levels_input(in, i, &q);
        double expected = pn_savings_expected_percent(&q, one.hist);
        pn_consolidation packed = pn_consolidation_of(&q, q.guests);
        fprintf(out, "%llu", (unsigned long long)q.guests);
        csv_numbers(out, (double[]){expected, packed.savings_percent}, 2);
        fprintf(out, ",%llu", (unsigned long long)packed.napping);
        csv_numbers(out, (double[]){pn_savings_napping_hosts(one.hist, PN_SAVINGS_ALL_GROUPS)}, 1);
        fprintf(out, ",%llu", (unsigned long long)q.hosts);
        if (in->levels->hours)
            csv_numbers(out, &in->levels->hours[i], 1);
        if (cost_wanted(in)) {
            pn_cost c = pn_report_cost(&one, expected);
            pn_cost_write_csv(out, &c);
        }
        fputc('\n', out);
    }
}

/* Each level's document, comma-separated, into an array. */
static pn_status write_json_levels(FILE *out, const pn_levels_report *in, pn_error *err)
{
    pn_status st = PN_OK;
    fprintf(out, "[\n");
    for (size_t i = 0; st == PN_OK && i < in->levels->n; i++) {
        pn_query q;
        pn_report_input one = pn_report_levels_input(in, i, &q);
        if (i)
            fprintf(out, ",\n");
        st = pn_report_write(out, PN_FORMAT_JSON, &one, err);
    }
    fprintf(out, "]");
    return st;
}

/* A sweep's or a load curve's object: its format_version and tool; a load
 * curve's path, hours, time-weighted savings and cost (the sum of its
 * levels'); then every level's document under "levels". */
static pn_status write_json_object(FILE *out, const pn_levels_report *in, pn_error *err)
{
    fprintf(out, "{\n");
    pn_report_json_key(out, "  ", PN_KEY_FORMAT_VERSION);
    fprintf(out, "%d,\n", PN_JSON_FORMAT_VERSION);
    pn_report_json_string_member(out, PN_KEY_TOOL, PN_JSON_TOOL);
    if (in->load_curve) {
        pn_report_json_string_member(out, PN_KEY_LOAD_CURVE, in->load_curve);
        pn_report_json_double_member(out, "  ", PN_KEY_HOURS, in->levels->total_hours);
        pn_report_json_double_member(out, ",\n  ", PN_KEY_EXPECTED_SAVINGS_PERCENT,
                                     pn_report_levels_overall(in));
        if (cost_wanted(in)) {
            pn_cost c = curve_cost(in);
            pn_cost_write_json(out, ",\n  ", &c);
        }
        fprintf(out, ",\n");
    }
    pn_report_json_key(out, "  ", PN_KEY_LEVELS);
    pn_status st = write_json_levels(out, in, err);
    fprintf(out, "\n}\n");
    return st;
}

pn_status pn_report_levels_write(FILE *out, pn_format format, const pn_levels_report *in,
                                 pn_error *err)
{
    pn_status st = PN_OK;
    switch (format) {
    case PN_FORMAT_TEXT: write_text(out, in); break;
    case PN_FORMAT_CSV: write_csv(out, in); break;
    case PN_FORMAT_JSON:
        st = write_json_object(out, in, err);
        break;
    }
    if (st == PN_OK && (fflush(out) != 0 || ferror(out)))
        return pn_fail(err, PN_ERR_IO, "writing the report failed: %s", strerror(errno));
    return st;
}
