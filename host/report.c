/* report.c -- the 2009 text report, JSON and CSV, all drawn from one histogram. */
#include "pn_report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* 100*k/h, the share of the cloud that sleeps when k hosts nap. */
static double savings_percent(uint64_t k, uint64_t hosts)
{
    return 100.0 * (double)k / (double)hosts;
}

/* The 2009 tool prints "<1" for any non-zero probability under 1%. */
static void format_probability(char *buf, size_t len, double pct)
{
    if (pct < 1.0)
        snprintf(buf, len, "<1");
    else
        snprintf(buf, len, "%.1f", pct);
}

/* A price as written on a bill: two decimals ("0.10"), more only when the
 * user gave more ("0.1234"). */
static void format_price(char *buf, size_t len, double price)
{
    snprintf(buf, len, "%.2f", price);
    if (strtod(buf, NULL) != price)
        snprintf(buf, len, "%g", price);
}

static void write_text_cost(FILE *out, const pn_report_input *in, double expected)
{
    pn_cost c = pn_cost_compute(in->cost, in->query->hosts, expected);
    const char *cur = in->cost->currency;
    char price[32];
    format_price(price, sizeof price, in->cost->price);
    fprintf(out, "\nAt [%g] W per host and [%s%s] per kWh, running all [%llu] hosts costs [%s%.2f] per year;\n",
            in->cost->watts, cur, price, (unsigned long long)in->query->hosts, cur,
            c.yearly_cost_no_nap);
    if (in->cost->idle_watts > 0)
        fprintf(out, "with a napping host drawing [%g] W, ", in->cost->idle_watts);
    fprintf(out, "the expected saving is [%s%.2f] per year.\n", cur, c.expected_yearly_saving);
}

/* The 2009 report, line for line: heading, one line per napping-host count
 * that has at least one scenario, the expected value. */
static void write_text(FILE *out, const pn_report_input *in)
{
    const pn_query *q = in->query;
    fprintf(out, "In a cloud with [%llu] hosts, which can handle [%llu] guests-per-host, "
                 "currently running [%llu] guests,\n",
            (unsigned long long)q->hosts, (unsigned long long)q->per_host,
            (unsigned long long)q->guests);
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
        format_probability(prob, sizeof prob, pn_histogram_percent(in->hist, total, k));
        fprintf(out, "[%5s%%] likely that [%llu/%llu] of your hosts would powernap, "
                     "for a [%.0f%%] power savings\n",
                prob, (unsigned long long)k, (unsigned long long)q->hosts,
                savings_percent(k, q->hosts));
    }
    mpz_clear(total);
    double expected = pn_histogram_expected_percent(in->hist);
    fprintf(out, "\nThe overall expected value is [%.1f%%] power savings.\n", expected);
    if (in->cost && in->cost->wanted)
        write_text_cost(out, in, expected);
}

/* A JSON string literal: quotes, backslashes and control characters escaped. */
static void write_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

static void write_json_cost(FILE *out, const pn_report_input *in, double expected)
{
    pn_cost c = pn_cost_compute(in->cost, in->query->hosts, expected);
    fprintf(out, ",\n  \"cost\": {\"watts\": %.17g, \"idle_watts\": %.17g, \"price_per_kwh\": %.17g, "
                 "\"currency\": ",
            in->cost->watts, in->cost->idle_watts, in->cost->price);
    write_json_string(out, in->cost->currency);
    fprintf(out, ", \"yearly_cost_no_nap\": %.17g, \"expected_yearly_saving\": %.17g}",
            c.yearly_cost_no_nap, c.expected_yearly_saving);
}

/* One document: inputs, model, engine, exact integer counts for every k,
 * rows for the non-zero ones, the expected savings and, if asked, the cost.
 * Counts are printed as JSON integers straight from GMP, never rounded. */
static void write_json(FILE *out, const pn_report_input *in)
{
    const pn_query *q = in->query;
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(in->hist, total);
    fprintf(out, "{\n  \"format_version\": %d,\n  \"tool\": \"powernap_calculator\",\n",
            PN_JSON_FORMAT_VERSION);
    fprintf(out, "  \"hosts\": %llu,\n  \"guests_per_host\": %llu,\n  \"guests\": %llu,\n",
            (unsigned long long)q->hosts, (unsigned long long)q->per_host,
            (unsigned long long)q->guests);
    fprintf(out, "  \"model\": \"%s\",\n  \"engine\": ", pn_model_name(q->model));
    write_json_string(out, in->engine ? in->engine : "");
    fprintf(out, ",\n");
    if (in->keyspace)
        fprintf(out, "  \"keyspace\": %llu,\n", (unsigned long long)in->keyspace);
    if (q->sliced)
        fprintf(out, "  \"slice\": {\"skip\": %llu, \"limit\": %llu},\n",
                (unsigned long long)q->skip, (unsigned long long)q->limit);
    gmp_fprintf(out, "  \"scenarios\": %Zd,\n  \"counts\": [", total);
    for (uint64_t k = 0; k <= q->hosts; k++)
        gmp_fprintf(out, "%s%Zd", k ? ", " : "", in->hist->bins[k]);
    fprintf(out, "],\n  \"rows\": [");
    const char *sep = "\n";
    for (uint64_t k = 0; k <= q->hosts; k++) {
        if (mpz_sgn(in->hist->bins[k]) == 0)
            continue;
        gmp_fprintf(out, "%s    {\"napping\": %llu, \"count\": %Zd, \"probability\": %.17g, "
                         "\"savings_percent\": %.17g}",
                    sep, (unsigned long long)k, in->hist->bins[k],
                    pn_histogram_probability(in->hist, total, k), savings_percent(k, q->hosts));
        sep = ",\n";
    }
    double expected = pn_histogram_expected_percent(in->hist);
    fprintf(out, "\n  ],\n  \"expected_savings_percent\": %.17g", expected);
    if (in->cost && in->cost->wanted)
        write_json_cost(out, in, expected);
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
                    savings_percent(k, q->hosts));
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
