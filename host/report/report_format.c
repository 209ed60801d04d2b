/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_format.c -- the pieces every report is written from: the 2009 line, the cost lines, JSON members; shared by report.c and report_simulate.c. */
#include "report/pn_report_format.h"
#include "slice/pn_json.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>

double pn_report_savings_percent(uint64_t k, uint64_t hosts)
{
    return 100.0 * (double)k / (double)hosts;
}

void pn_report_text_cloud(FILE *out, uint64_t hosts, uint64_t per_host, uint64_t guests)
{
    fprintf(out, "In a cloud with [%llu] hosts, which can handle [%llu] guests-per-host, "
                 "currently running [%llu] guests,\n",
            (unsigned long long)hosts, (unsigned long long)per_host, (unsigned long long)guests);
}

void pn_report_format_probability(char *buf, size_t len, double pct)
{
    if (pct < 1.0)
        snprintf(buf, len, "<1");
    else
        snprintf(buf, len, "%.1f", pct);
}

void pn_report_text_row(FILE *out, double pct, uint64_t k, uint64_t hosts, const char *suffix)
{
    char prob[16];
    pn_report_format_probability(prob, sizeof prob, pct);
    fprintf(out, "[%5s%%] likely that [%llu/%llu] of your hosts would powernap, "
                 "for a [%.0f%%] power savings%s\n",
            prob, (unsigned long long)k, (unsigned long long)hosts,
            pn_report_savings_percent(k, hosts), suffix ? suffix : "");
}

void pn_report_text_expected(FILE *out, double expected_percent, const char *suffix)
{
    fprintf(out, "\nThe overall expected value is [%.1f%%] power savings%s.\n", expected_percent,
            suffix ? suffix : "");
}

void pn_report_format_price(char *buf, size_t len, double price)
{
    snprintf(buf, len, "%.2f", price);
    if (strtod(buf, NULL) != price)
        snprintf(buf, len, "%g", price);
}

void pn_report_text_cost(FILE *out, const pn_cost_input *cost, uint64_t hosts,
                         double expected_percent)
{
    pn_cost c = pn_cost_compute(cost, hosts, expected_percent);
    const char *cur = cost->currency;
    char price[32];
    pn_report_format_price(price, sizeof price, cost->price);
    fprintf(out, "\nAt [%g] W per host and [%s%s] per kWh, running all [%llu] hosts costs "
                 "[%s%.2f] per year;\n",
            cost->watts, cur, price, (unsigned long long)hosts, cur, c.yearly_cost_no_nap);
    if (cost->idle_watts > 0)
        fprintf(out, "with a napping host drawing [%g] W, ", cost->idle_watts);
    fprintf(out, "the expected saving is [%s%.2f] per year.\n", cur, c.expected_yearly_saving);
}

void pn_report_json_string(FILE *out, const char *s)
{
    pn_json_write_string(out, s);
}

int pn_report_json_format_version(const mpz_t largest)
{
    if (mpz_sizeinbase(largest, 10) <= PN_JSON_COUNT_DIGITS)
        return PN_JSON_FORMAT_VERSION;
    char *digits = mpz_get_str(NULL, 10, largest);
    size_t n = strlen(digits) - (digits[0] == '-');
    void (*release)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &release);
    release(digits, strlen(digits) + 1);
    return n > PN_JSON_COUNT_DIGITS ? PN_JSON_FORMAT_VERSION_LONG_COUNTS : PN_JSON_FORMAT_VERSION;
}

void pn_report_json_count(FILE *out, const mpz_t count)
{
    bool text = pn_report_json_format_version(count) != PN_JSON_FORMAT_VERSION;
    gmp_fprintf(out, text ? "\"%Zd\"" : "%Zd", count);
}

void pn_report_json_key(FILE *out, const char *lead, pn_json_key_id k)
{
    fprintf(out, "%s\"%s\": ", lead, pn_json_key[k]);
}

void pn_report_json_u64_member(FILE *out, pn_json_key_id k, uint64_t v)
{
    pn_report_json_key(out, "  ", k);
    fprintf(out, "%llu,\n", (unsigned long long)v);
}

void pn_report_json_string_member(FILE *out, pn_json_key_id k, const char *s)
{
    pn_report_json_key(out, "  ", k);
    pn_report_json_string(out, s);
    fprintf(out, ",\n");
}

void pn_report_json_double_member(FILE *out, const char *lead, pn_json_key_id k, double v)
{
    pn_report_json_key(out, lead, k);
    if (isnan(v))
        fprintf(out, "null");
    else
        fprintf(out, "%.17g", v);
}

void pn_report_json_cost(FILE *out, const pn_cost_input *cost, uint64_t hosts,
                         double expected_percent)
{
    pn_cost c = pn_cost_compute(cost, hosts, expected_percent);
    pn_report_json_key(out, ",\n  ", PN_KEY_COST);
    fputc('{', out);
    pn_report_json_double_member(out, "", PN_KEY_WATTS, cost->watts);
    pn_report_json_double_member(out, ", ", PN_KEY_IDLE_WATTS, cost->idle_watts);
    pn_report_json_double_member(out, ", ", PN_KEY_PRICE_PER_KWH, cost->price);
    pn_report_json_key(out, ", ", PN_KEY_CURRENCY);
    pn_report_json_string(out, cost->currency);
    pn_report_json_double_member(out, ", ", PN_KEY_YEARLY_COST_NO_NAP, c.yearly_cost_no_nap);
    pn_report_json_double_member(out, ", ", PN_KEY_EXPECTED_YEARLY_SAVING,
                                 c.expected_yearly_saving);
    fputc('}', out);
}
