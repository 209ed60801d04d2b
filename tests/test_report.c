/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_report.c -- the report formats, checked against the seed's printed reports and hand-computed figures. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pn_engine.h"
#include "report/pn_report.h"
#include "engine_fixture.h"
#include "query_fixture.h"
#include "report_fixture.h"
#include "seed_reports.h"

/* Writes the report of (query, bins) in format to a string the caller frees. */
static char *render(const pn_query *q, const unsigned long *bins, pn_format format,
                    const pn_cost_input *cost)
{
    pn_histogram hist;
    pn_error err;
    pn_histogram_init(&hist, q->hosts, &err);
    for (uint64_t k = 0; k <= q->hosts; k++)
        mpz_set_ui(hist.bins[k], bins[k]);
    pn_report_input in = {.query = q, .hist = &hist, .engine = "test", .cost = cost};
    char *text = report_text(&in, format);
    pn_histogram_clear(&hist);
    return text;
}

Test(report, seed_4_2_3_text)
{
    pn_query q = {.hosts = 4, .per_host = 2, .guests = 3};
    char *text = render(&q, (unsigned long[]){0, 4, 12, 0, 0}, PN_FORMAT_TEXT, NULL);
    cr_assert_str_eq(text, SEED_4_2_3);
    free(text);
}

Test(report, seed_8_2_4_text)
{
    pn_query q = {.hosts = 8, .per_host = 2, .guests = 4};
    char *text = render(&q, (unsigned long[]){0, 0, 0, 0, 70, 168, 28, 0, 0}, PN_FORMAT_TEXT, NULL);
    cr_assert_str_eq(text, SEED_8_2_4);
    free(text);
}

/* The seed's 10/4/20 from the cpu engine's histogram: the report lines must
 * be the ones the post printed. */
Test(report, seed_10_4_20_text_from_cpu_engine)
{
    pn_query q = query(10, 4, 20, PN_MODEL_UNIFORM);
    pn_histogram hist;
    engine_ok(pn_engine_cpu_run, &q, &hist);
    pn_report_input in = {.query = &q, .hist = &hist, .engine = "cpu"};
    char *text = report_text(&in, PN_FORMAT_TEXT);
    cr_assert_str_eq(text, SEED_10_4_20);
    free(text);
    pn_histogram_clear(&hist);
}

/* A slice's text says it is one (issue 18: --skip 0 --limit 100 printed
 * "expected value [0.0%]" as if it were the whole answer). */
Test(report, a_slice_says_it_is_a_slice)
{
    pn_query q = sliced(query(10, 4, 20, PN_MODEL_UNIFORM), 0, 100);
    pn_histogram hist;
    engine_ok(pn_engine_cpu_run, &q, &hist);
    pn_report_input in = {.query = &q, .hist = &hist, .engine = "cpu"};
    char *text = report_text(&in, PN_FORMAT_TEXT);
    cr_assert(strstr(text, "This is a slice of [100] of [9765625] scenarios (indices [0, 100))"),
              "%s", text);
    free(text);
    pn_histogram_clear(&hist);
}

/* The seed's bill: 8 * 0.08 kW * 24 h * 365 d * $0.10 = $560.64 a year, of
 * which 60.5% (exactly 115/190) is expected to be saved: $339.33. */
Test(report, seed_energy_cost)
{
    pn_query q = {.hosts = 8, .per_host = 2, .guests = 4};
    pn_cost_input cost = {.wanted = true, .has_watts = true, .has_price = true, .watts = 80,
                          .price = 0.10, .currency = "$"};
    pn_cost c = pn_cost_compute(&cost, 8, 100.0 * 115.0 / 190.0);
    cr_assert_float_eq(c.yearly_cost_no_nap, 560.64, 1e-9);
    cr_assert_float_eq(c.expected_yearly_saving, 560.64 * 115.0 / 190.0, 1e-9);
    char *text = render(&q, (unsigned long[]){0, 0, 0, 0, 70, 168, 28, 0, 0}, PN_FORMAT_TEXT, &cost);
    cr_assert(strncmp(text, SEED_8_2_4, strlen(SEED_8_2_4)) == 0, "the 2009 report comes first");
    cr_assert(strstr(text, "[$560.64] per year"), "%s", text);
    cr_assert(strstr(text, "[$339.33] per year"), "%s", text);
    free(text);
    /* A napping host that still draws 20 W saves 60 W, three quarters. */
    cost.idle_watts = 20;
    c = pn_cost_compute(&cost, 8, 100.0 * 115.0 / 190.0);
    cr_assert_float_eq(c.expected_yearly_saving, 0.75 * 560.64 * 115.0 / 190.0, 1e-9);
}

Test(report, csv_has_a_header_and_a_row_per_count)
{
    pn_query q = {.hosts = 4, .per_host = 2, .guests = 3};
    char *text = render(&q, (unsigned long[]){0, 4, 12, 0, 0}, PN_FORMAT_CSV, NULL);
    cr_assert_str_eq(text, "guests,napping_hosts,hosts,count,probability,savings_percent,"
                           "consolidation_napping_hosts,consolidation_savings_percent\n"
                           "3,0,4,0,0,0,2,50\n"
                           "3,1,4,4,0.25,25,2,50\n"
                           "3,2,4,12,0.75,50,2,50\n"
                           "3,3,4,0,0,75,2,50\n"
                           "3,4,4,0,0,100,2,50\n");
    free(text);
}

/* With a cost, every row of the CSV carries it (it used to be dropped
 * silently): 4 hosts * 100 W = 400 W, 3504 kWh, 350.40 a year at 0.10;
 * 43.75 % of it expected saved: 1533 kWh, 153.30. */
Test(report, csv_carries_the_cost)
{
    pn_query q = {.hosts = 4, .per_host = 2, .guests = 3};
    pn_cost_input cost = {.wanted = true, .has_watts = true, .has_price = true, .watts = 100,
                          .price = 0.1, .currency = "EUR, net"};
    char *text = render(&q, (unsigned long[]){0, 4, 12, 0, 0}, PN_FORMAT_CSV, &cost);
    const char *header = "guests,napping_hosts,hosts,count,probability,savings_percent,"
                         "consolidation_napping_hosts,consolidation_savings_percent,watts,"
                         "total_watts,idle_watts,price_per_kwh,currency,year_share,"
                         "yearly_kwh_no_nap,yearly_cost_no_nap,expected_yearly_kwh,"
                         "expected_yearly_saving\n";
    cr_assert(strncmp(text, header, strlen(header)) == 0, "%s", text);
    const char *row = strstr(text, "\n3,2,4,12,0.75,50,2,50,");
    cr_assert_not_null(row, "%s", text);
    double kwh, bill, saved_kwh, saving;
    cr_assert_eq(sscanf(row, "\n3,2,4,12,0.75,50,2,50,100,400,0,0.1,\"EUR, net\",1,%lf,%lf,%lf,%lf",
                        &kwh, &bill, &saved_kwh, &saving), 4, "%s", text);
    cr_assert_float_eq(kwh, 3504, 1e-9);
    cr_assert_float_eq(bill, 350.4, 1e-9);
    cr_assert_float_eq(saved_kwh, 3504 * 0.4375, 1e-9);
    cr_assert_float_eq(saving, 350.4 * 0.4375, 1e-9);
    free(text);
}

Test(report, json_carries_exact_counts)
{
    pn_query q = {.hosts = 4, .per_host = 2, .guests = 3};
    char *text = render(&q, (unsigned long[]){0, 4, 12, 0, 0}, PN_FORMAT_JSON, NULL);
    cr_assert(strstr(text, "\"format_version\": 3"), "%s", text);
    cr_assert(strstr(text, "\"tool\": \"powernap_calculator " PN_VERSION "\""), "%s", text);
    cr_assert(strstr(text, "\"counts\": [0, 4, 12, 0, 0]"), "%s", text);
    /* a row for every k, zero ones too, each with napping_hosts */
    cr_assert(strstr(text, "{\"napping_hosts\": 0, \"napping\": 0, \"count\": 0, "
                           "\"probability\": 0, \"savings_percent\": 0}"), "%s", text);
    cr_assert(strstr(text, "{\"napping_hosts\": 4, \"napping\": 4, \"count\": 0, "
                           "\"probability\": 0, \"savings_percent\": 100}"), "%s", text);
    cr_assert(strstr(text, "\"scenarios\": 16"), "%s", text);
    cr_assert(strstr(text, "\"expected_savings_percent\": 43.75"), "%s", text);
    cr_assert(strstr(text, "\"model\": \"uniform\""), "%s", text);
    free(text);
}

/* Counts beyond 64 bits print in full: 3^50 = 717897987691852588770249. */
Test(report, json_counts_are_never_rounded)
{
    pn_query q = {.hosts = 1, .per_host = 1, .guests = 1};
    pn_histogram hist;
    pn_error err;
    pn_histogram_init(&hist, 1, &err);
    mpz_ui_pow_ui(hist.bins[0], 3, 50);
    pn_report_input in = {.query = &q, .hist = &hist, .engine = "test"};
    char *text = report_text(&in, PN_FORMAT_JSON);
    cr_assert(strstr(text, "\"counts\": [717897987691852588770249, 0]"), "%s", text);
    free(text);
    pn_histogram_clear(&hist);
}

/* The longest run of digits outside a string in a JSON text: what a parser
 * must turn into an integer (Python refuses more than 4300 digits). */
static size_t longest_bare_number(const char *text)
{
    size_t longest = 0, run = 0;
    bool quoted = false;
    for (const char *p = text; *p; p++) {
        if (quoted && *p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        run = !quoted && *p >= '0' && *p <= '9' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    return longest;
}

/* Counts of more than 4000 digits are strings of their digits (the
 * document's format_version 3 allows them); a count of exactly 4000 digits stays a
 * number (-h 5000 -p 16 -g 40000 -e exact has counts of 6150 digits). */
Test(report, json_counts_past_4000_digits_are_strings)
{
    pn_query q = {.hosts = 2, .per_host = 1, .guests = 1};
    pn_histogram hist;
    pn_error err;
    pn_histogram_init(&hist, 2, &err);
    mpz_ui_pow_ui(hist.bins[0], 10, 4000); /* 4001 digits */
    mpz_ui_pow_ui(hist.bins[1], 10, 3999); /* 4000 digits */
    mpz_set_ui(hist.bins[2], 7);
    pn_report_input in = {.query = &q, .hist = &hist, .engine = "test"};
    char *text = report_text(&in, PN_FORMAT_JSON);
    cr_assert(strstr(text, "\"format_version\": 3,"), "%.200s", text);
    cr_assert_eq(longest_bare_number(text), 4000);
    char *counts = strstr(text, "\"counts\": [\"1");
    cr_assert_not_null(counts);
    counts += strlen("\"counts\": [\"");
    cr_assert_eq(strspn(counts, "0123456789"), 4001);
    cr_assert(strncmp(counts + 4001, "\", 1", 4) == 0, "%.20s", counts + 4001);
    cr_assert_eq(strspn(counts + 4004, "0123456789"), 4000);
    cr_assert(strncmp(counts + 4004 + 4000, ", 7]", 4) == 0);
    char *scenarios = strstr(text, "\"scenarios\": \"1");
    cr_assert_not_null(scenarios);
    cr_assert_eq(strspn(scenarios + strlen("\"scenarios\": \""), "0123456789"), 4001);
    char *row = strstr(text, "\"count\": \"1");
    cr_assert_not_null(row);
    free(text);
    pn_histogram_clear(&hist);
}

Test(report, a_failed_write_is_an_io_error)
{
    pn_query q = {.hosts = 4, .per_host = 2, .guests = 3};
    pn_histogram hist;
    pn_error err;
    pn_histogram_init(&hist, 4, &err);
    mpz_set_ui(hist.bins[1], 4);
    FILE *full = fopen("/dev/full", "w");
    cr_assert_not_null(full);
    pn_report_input in = {.query = &q, .hist = &hist, .engine = "test"};
    cr_assert_eq(pn_report_write(full, PN_FORMAT_TEXT, &in, &err), PN_ERR_IO);
    cr_assert(strstr(err.msg, "No space left"), "%s", err.msg);
    fclose(full);
    pn_histogram_clear(&hist);
}
