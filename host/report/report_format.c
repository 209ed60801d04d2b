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

void pn_report_format_plain(char *buf, size_t len, double v)
{
    for (int decimals = 0; decimals <= 17; decimals++) {
        snprintf(buf, len, "%.*f", decimals, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void pn_report_format_price(char *buf, size_t len, double price)
{
    snprintf(buf, len, "%.2f", price);
    if (strtod(buf, NULL) != price)
        pn_report_format_plain(buf, len, price);
}

void pn_report_json_string(FILE *out, const char *s)
{
    pn_json_write_string(out, s);
}

/* True when count has more than PN_JSON_COUNT_DIGITS decimal digits. */
static bool count_too_long(const mpz_t largest)
{
    if (mpz_sizeinbase(largest, 10) <= PN_JSON_COUNT_DIGITS)
        return false;
    char *digits = mpz_get_str(NULL, 10, largest);
    size_t n = strlen(digits) - (digits[0] == '-');
    void (*release)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &release);
    release(digits, strlen(digits) + 1);
    return n > PN_JSON_COUNT_DIGITS;
}

void pn_report_json_count(FILE *out, const mpz_t count)
{
    bool text = count_too_long(count);
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
    pn_json_write_number(out, v);
}
