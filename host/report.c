/* report.c -- the 2009 text report, JSON and CSV, all drawn from one histogram. */
#include "pn_report.h"
#include "pn_report_format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The 2009 report, line for line: heading, one line per napping-host count
 * that has at least one scenario, the expected value. */
static void write_text(FILE *out, const pn_report_input *in)
{
    const pn_query *q = in->query;
    pn_report_text_cloud(out, q->hosts, q->per_host, q->guests);
    if (q->model == PN_MODEL_SLOTS)
        fprintf(out, "if every set of [%llu] occupied guest slots is equally likely, "
                     "you may expect the following:\n\n",
                (unsigned long long)q->guests);
    else
        fprintf(out, "you may expect the following:\n\n");
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(in->hist, total);
    for (uint64_t k = 0; k <= q->hosts; k++)
        if (mpz_sgn(in->hist->bins[k]) != 0)
            pn_report_text_row(out, pn_histogram_percent(in->hist, total, k), k, q->hosts, NULL);
    mpz_clear(total);
    double expected = pn_histogram_expected_percent(in->hist);
    pn_report_text_expected(out, expected, NULL);
    if (in->cost && in->cost->wanted)
        pn_report_text_cost(out, in->cost, q->hosts, expected);
}

/* `"slice": {"skip": N, "limit": M},` for a sliced query. */
static void write_json_slice(FILE *out, const pn_query *q)
{
    pn_report_json_key(out, "  ", PN_KEY_SLICE);
    fputc('{', out);
    pn_report_json_key(out, "", PN_KEY_SKIP);
    fprintf(out, "%llu", (unsigned long long)q->skip);
    pn_report_json_key(out, ", ", PN_KEY_LIMIT);
    fprintf(out, "%llu},\n", (unsigned long long)q->limit);
}

/* The row of napping-host count k, after sep: its count, probability and savings. */
static void write_json_row(FILE *out, const char *sep, const pn_report_input *in,
                           const mpz_t total, uint64_t k)
{
    fprintf(out, "%s    {", sep);
    pn_report_json_key(out, "", PN_KEY_NAPPING);
    fprintf(out, "%llu", (unsigned long long)k);
    pn_report_json_key(out, ", ", PN_KEY_COUNT);
    gmp_fprintf(out, "%Zd", in->hist->bins[k]);
    pn_report_json_double_member(out, ", ", PN_KEY_PROBABILITY,
                        pn_histogram_probability(in->hist, total, k));
    pn_report_json_double_member(out, ", ", PN_KEY_SAVINGS_PERCENT,
                                 pn_report_savings_percent(k, in->query->hosts));
    fputc('}', out);
}

/* One document: inputs, model, engine, exact integer counts for every k,
 * rows for the non-zero ones, the expected savings and, if asked, the cost.
 * Counts are printed as JSON integers straight from GMP, never rounded.
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
    pn_report_json_u64_member(out, PN_KEY_HOSTS, q->hosts);
    pn_report_json_u64_member(out, PN_KEY_GUESTS_PER_HOST, q->per_host);
    pn_report_json_u64_member(out, PN_KEY_GUESTS, q->guests);
    pn_report_json_string_member(out, PN_KEY_MODEL, pn_model_name(q->model));
    pn_report_json_string_member(out, PN_KEY_ENGINE, in->engine ? in->engine : "");
    if (in->keyspace)
        pn_report_json_u64_member(out, PN_KEY_KEYSPACE, in->keyspace);
    if (q->sliced)
        write_json_slice(out, q);
    pn_report_json_key(out, "  ", PN_KEY_SCENARIOS);
    gmp_fprintf(out, "%Zd,\n", total);
    pn_report_json_key(out, "  ", PN_KEY_COUNTS);
    fputc('[', out);
    for (uint64_t k = 0; k <= q->hosts; k++)
        gmp_fprintf(out, "%s%Zd", k ? ", " : "", in->hist->bins[k]);
    fprintf(out, "],\n");
    pn_report_json_key(out, "  ", PN_KEY_ROWS);
    fputc('[', out);
    const char *sep = "\n";
    for (uint64_t k = 0; k <= q->hosts; k++) {
        if (mpz_sgn(in->hist->bins[k]) == 0)
            continue;
        write_json_row(out, sep, in, total, k);
        sep = ",\n";
    }
    double expected = pn_histogram_expected_percent(in->hist);
    fprintf(out, "\n  ],\n");
    pn_report_json_double_member(out, "  ", PN_KEY_EXPECTED_SAVINGS_PERCENT, expected);
    if (in->cost && in->cost->wanted)
        pn_report_json_cost(out, in->cost, q->hosts, expected);
    fprintf(out, "\n}\n");
    mpz_clear(total);
}

/* A header, then one row per napping-host count k = 0..h, zero rows included
 * so the table has the same shape for every answer. */
static void write_csv(FILE *out, const pn_report_input *in)
{
    const pn_query *q = in->query;
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(in->hist, total);
    fprintf(out, "napping_hosts,hosts,count,probability,savings_percent\n");
    for (uint64_t k = 0; k <= q->hosts; k++)
        gmp_fprintf(out, "%llu,%llu,%Zd,%.17g,%.17g\n", (unsigned long long)k,
                    (unsigned long long)q->hosts, in->hist->bins[k],
                    pn_histogram_probability(in->hist, total, k),
                    pn_report_savings_percent(k, q->hosts));
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
