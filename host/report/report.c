/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.c -- the 2009 text report (plus the packing bound), JSON and CSV, all drawn from one histogram. */
#include "report/pn_report.h"
#include "report/pn_report_format.h"

#include "report/pn_consolidation.h"
#include "report/pn_cost_format.h"
#include "question/pn_fleet.h"
#include "report/pn_savings.h"
#include "slice/pn_json.h"
#include "slice/pn_question_doc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


/* The yearly figures: a homogeneous cloud's from --watts per host, a
 * weighted mixed fleet's from its groups' watts; a load curve's level's for
 * its share of the year. */
pn_cost pn_report_cost(const pn_report_input *in, double expected)
{
    const pn_query *q = in->query;
    pn_cost c;
    if (!(q->per_host_bases && q->weighted))
        c = pn_cost_compute(in->cost, q->hosts, expected);
    else
        c = pn_cost_compute_fleet(in->cost, pn_query_fleet_watts(q),
                                  pn_savings_napping_watts(q, in->hist, 0),
                                  pn_savings_napping_hosts(in->hist, PN_SAVINGS_ALL_GROUPS));
    if (!in->curve || !in->hours)
        return c;
    return pn_cost_share(c, in->curve->total_hours > 0 ? *in->hours / in->curve->total_hours : 0);
}

void pn_report_heading(FILE *out, const pn_query *q, const char *load)
{
    if (q->per_host_bases) {
        char groups[PN_MAX_GROUPS * 64];
        pn_fleet_describe(q, groups, sizeof groups);
        fprintf(out, "In a cloud with [%llu] hosts (%s), %s,\n", (unsigned long long)q->hosts,
                groups, load);
    } else
        fprintf(out, "In a cloud with [%llu] hosts, which can handle [%llu] guests-per-host, %s,\n",
                (unsigned long long)q->hosts, (unsigned long long)q->per_host, load);
}

/* "With perfect consolidation, [k/H] of your hosts would powernap, for a
 * [x%] power savings." for `guests` guests (pn_consolidation_of). */
static void consolidation_line(FILE *out, const pn_query *q, uint64_t guests)
{
    pn_consolidation c = pn_consolidation_of(q, guests);
    fprintf(out, "With perfect consolidation, [%llu/%llu] of your hosts would powernap, "
                 "for a [%.1f%%] power savings.\n",
            (unsigned long long)c.napping, (unsigned long long)q->hosts, c.savings_percent);
}

/* The 2009 report, line for line: heading, one line per napping-host count
 * that has at least one scenario, the expected value. */
static void write_text(FILE *out, const pn_report_input *in)
{
    const pn_query *q = in->query;
    char load[64];
    snprintf(load, sizeof load, "currently running [%llu] guests", (unsigned long long)q->guests);
    pn_report_heading(out, q, load);
    if (q->model == PN_MODEL_SLOTS)
        fprintf(out, "if every set of [%llu] occupied guest slots is equally likely, "
                     "you may expect the following:\n\n",
                (unsigned long long)q->guests);
    else
        fprintf(out, "you may expect the following:\n\n");
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(in->hist, total);
    for (uint64_t k = 0; k <= q->hosts; k++) {
        if (mpz_sgn(in->hist->bins[k]) == 0)
            continue;
        char prob[16];
        pn_report_format_probability(prob, sizeof prob, pn_histogram_percent(in->hist, total, k));
        fprintf(out, "[%5s%%] likely that [%llu/%llu] of your hosts would powernap, "
                     "for a [%.0f%%] power savings\n",
                prob, (unsigned long long)k, (unsigned long long)q->hosts,
                pn_savings_row_percent(q, in->hist, k));
    }
    mpz_clear(total);
    double expected = pn_savings_expected_percent(q, in->hist);
    fprintf(out, "\nThe overall expected value is [%.1f%%] power savings.\n", expected);
    if (q->sliced)
        fprintf(out, "This is a slice of [%llu] of [%llu] scenarios (indices [%llu, %llu)), "
                     "not the whole answer: merge every slice for that.\n",
                (unsigned long long)q->count, (unsigned long long)q->keyspace,
                (unsigned long long)q->first, (unsigned long long)(q->first + q->count));
    consolidation_line(out, q, q->guests);
    if (in->cost && in->cost->wanted) {
        pn_cost c = pn_report_cost(in, expected);
        pn_cost_write_text(out, &c, q->hosts, NULL);
    }
}


/* A mixed fleet's slice: `"napping_sums": [...]`, one array per group, as a
 * ledger writes them, so merge can add the slices' sums up exactly. */
static void write_json_napping_sums(FILE *out, const pn_query *q, const pn_histogram *hist)
{
    pn_report_json_key(out, "  ", PN_KEY_NAPPING_SUMS);
    fputc('[', out);
    for (unsigned j = 0; j < hist->groups; j++) {
        fprintf(out, "%s\n    [", j ? "," : "");
        for (uint64_t k = 0; k <= q->hosts; k++)
            gmp_fprintf(out, "%s%Zd", k ? ", " : "", pn_histogram_napping(hist, j, k));
        fputc(']', out);
    }
    fprintf(out, "\n  ],\n");
}

/* `"slice": {"skip": N, "limit": M},` for a sliced query. */
static void write_json_slice(FILE *out, const pn_query *q)
{
    pn_report_json_key(out, "  ", PN_KEY_SLICE);
    pn_question_doc_write_range(out, q->skip, q->limit);
    fprintf(out, ",\n");
}

/* The row of napping-host count k, after sep: its count, probability and
 * savings; "napping" repeats "napping_hosts" until the next format_version. */
static void write_json_row(FILE *out, const char *sep, const pn_report_input *in,
                           const mpz_t total, uint64_t k)
{
    fprintf(out, "%s    {", sep);
    pn_report_json_key(out, "", PN_KEY_NAPPING_HOSTS);
    fprintf(out, "%llu", (unsigned long long)k);
    pn_report_json_key(out, ", ", PN_KEY_NAPPING);
    fprintf(out, "%llu", (unsigned long long)k);
    pn_report_json_key(out, ", ", PN_KEY_COUNT);
    pn_report_json_count(out, in->hist->bins[k]);
    pn_report_json_double_member(out, ", ", PN_KEY_PROBABILITY,
                        pn_histogram_probability(in->hist, total, k));
    pn_report_json_double_member(out, ", ", PN_KEY_SAVINGS_PERCENT,
                        pn_savings_row_percent(in->query, in->hist, k));
    fputc('}', out);
}

/* What the report adds to group j of a mixed fleet's "fleet": its expected
 * napping hosts, when the histogram has the groups' napping sums. */
static void write_json_group_extra(FILE *out, unsigned j, void *ctx)
{
    const pn_report_input *in = ctx;
    if (in->hist->groups == in->query->ngroups)
        pn_report_json_double_member(out, ", ", PN_KEY_EXPECTED_NAPPING_HOSTS,
                                     pn_savings_napping_hosts(in->hist, j));
}

/* One document: inputs, model, engine, exact integer counts and a row for
 * every k, the expected savings and, if asked, the cost.
 * Counts are printed straight from GMP, never rounded: JSON integers, or
 * past PN_JSON_COUNT_DIGITS digits strings (pn_report_json_count), so
 * Python's json reads every document.
 * Every key is spelled in pn_json_key, which the slice reader shares. */
static void write_json(FILE *out, const pn_report_input *in)
{
    const pn_query *q = in->query;
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(in->hist, total);
    fprintf(out, "{\n");
    pn_report_json_key(out, "  ", PN_KEY_FORMAT_VERSION);
    fprintf(out, "%d,\n", PN_JSON_FORMAT_VERSION);
    pn_report_json_string_member(out, PN_KEY_TOOL, PN_JSON_TOOL);
    pn_question_doc_write(out, q, &(pn_question_doc_style){
                                      .level_hours = in->hours, .ctx = (void *)in,
                                      .group_extra = write_json_group_extra});
    pn_report_json_string_member(out, PN_KEY_ENGINE, in->engine ? in->engine : "");
    if (in->keyspace)
        pn_report_json_u64_member(out, PN_KEY_KEYSPACE, in->keyspace);
    if (q->sliced)
        write_json_slice(out, q);
    pn_report_json_key(out, "  ", PN_KEY_SCENARIOS);
    pn_report_json_count(out, total);
    fprintf(out, ",\n");
    pn_report_json_key(out, "  ", PN_KEY_COUNTS);
    fputc('[', out);
    for (uint64_t k = 0; k <= q->hosts; k++) {
        fputs(k ? ", " : "", out);
        pn_report_json_count(out, in->hist->bins[k]);
    }
    fprintf(out, "],\n");
    if (q->sliced && q->per_host_bases) /* merge needs a fleet's sums to add slices up */
        write_json_napping_sums(out, q, in->hist);
    pn_report_json_key(out, "  ", PN_KEY_ROWS);
    fputc('[', out);
    const char *sep = "\n";
    for (uint64_t k = 0; k <= q->hosts; k++) {
        write_json_row(out, sep, in, total, k);
        sep = ",\n";
    }
    double expected = pn_savings_expected_percent(q, in->hist);
    pn_consolidation packed = pn_consolidation_of(q, q->guests);
    fprintf(out, "\n  ],\n");
    pn_report_json_double_member(out, "  ", PN_KEY_EXPECTED_SAVINGS_PERCENT, expected);
    pn_report_json_key(out, ",\n  ", PN_KEY_CONSOLIDATION_NAPPING_HOSTS);
    fprintf(out, "%llu", (unsigned long long)packed.napping);
    pn_report_json_double_member(out, ",\n  ", PN_KEY_CONSOLIDATION_SAVINGS_PERCENT,
                        packed.savings_percent);
    if (in->cost && in->cost->wanted) {
        pn_cost c = pn_report_cost(in, expected);
        pn_cost_write_json(out, ",\n  ", &c);
    }
    fprintf(out, "\n}\n");
    mpz_clear(total);
}

/* A header, then one row per napping-host count k = 0..h, zero rows included
 * so the table has the same shape for every answer; the guests first (as a
 * sweep's rows), the packing bound and the cost, the same on every row, last. */
static void write_csv(FILE *out, const pn_report_input *in)
{
    const pn_query *q = in->query;
    bool cost = in->cost && in->cost->wanted;
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(in->hist, total);
    pn_consolidation packed = pn_consolidation_of(q, q->guests);
    pn_cost c = cost ? pn_report_cost(in, pn_savings_expected_percent(q, in->hist)) : (pn_cost){0};
    fprintf(out, "guests,napping_hosts,hosts,count,probability,savings_percent,"
                 "consolidation_napping_hosts,consolidation_savings_percent%s\n",
            cost ? PN_COST_CSV_HEADER : "");
    for (uint64_t k = 0; k <= q->hosts; k++) {
        gmp_fprintf(out, "%llu,%llu,%llu,%Zd,", (unsigned long long)q->guests,
                    (unsigned long long)k, (unsigned long long)q->hosts, in->hist->bins[k]);
        pn_json_write_number(out, pn_histogram_probability(in->hist, total, k));
        fputc(',', out);
        pn_json_write_number(out, pn_savings_row_percent(q, in->hist, k));
        fprintf(out, ",%llu,", (unsigned long long)packed.napping);
        pn_json_write_number(out, packed.savings_percent);
        if (cost)
            pn_cost_write_csv(out, &c);
        fputc('\n', out);
    }
    mpz_clear(total);
}

pn_status pn_report_write(FILE *out, pn_format format, const pn_report_input *in, pn_error *err)
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

bool pn_format_parse(const char *text, pn_format *out)
{
    static const struct { const char *name; pn_format format; } names[] = {
        {"text", PN_FORMAT_TEXT}, {"json", PN_FORMAT_JSON}, {"csv", PN_FORMAT_CSV}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(text, names[i].name) == 0) {
            *out = names[i].format;
            return true;
        }
    return false;
}
