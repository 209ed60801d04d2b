/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_report_format.c -- the report's pieces one by one: the 2009 lines against the post's, probabilities, prices, the cost paragraph, JSON strings and members read back. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/pn_cost_format.h"
#include "report/pn_report_format.h"
#include "slice/pn_json.h"
#include "report_fixture.h"
#include "seed_reports.h"

/* Line `n` (0-based) of text, with its newline, malloc'd. */
static char *line_of(const char *text, int n)
{
    for (; n > 0 && text; n--) {
        text = strchr(text, '\n');
        text = text ? text + 1 : NULL;
    }
    cr_assert_not_null(text);
    const char *end = strchr(text, '\n');
    return strndup(text, end ? (size_t)(end - text) + 1 : strlen(text));
}

/* Insists what a piece wrote (captured in c) is `want`; frees it. */
static void wrote(capture *c, const char *want)
{
    char *text = capture_end(c);
    cr_assert_str_eq(text, want);
    free(text);
}

Test(report_format, savings_percent_is_the_share_of_hosts)
{
    cr_assert_eq(pn_report_savings_percent(0, 4), 0.0);
    cr_assert_eq(pn_report_savings_percent(1, 10), 10.0);
    cr_assert_eq(pn_report_savings_percent(5, 8), 62.5);
    cr_assert_eq(pn_report_savings_percent(4, 4), 100.0);
    cr_assert_eq(pn_report_savings_percent(1, 3), 100.0 / 3.0);
}

/* The post's own first line and rows, from the seed's counts: of the
 * 856945 ways to place 20 guests on 10 hosts of 4, 44803 leave none
 * napping (5.2 %), 236070 one (27.5 %), 252 five (under 1 %); of the 266
 * on 8 hosts of 2 with 4 guests, 168 leave five napping (63.2 %), whose
 * 62.5 % savings the post prints as 62. */
Test(report_format, the_2009_lines_are_the_posts)
{
    capture c;
    pn_report_text_cloud(capture_start(&c), 10, 4, 20);
    char *want = line_of(SEED_10_4_20, 0);
    wrote(&c, want);
    free(want);
    static const struct { unsigned long count; uint64_t k; int line; } rows[] = {
        {44803, 0, 3}, {236070, 1, 4}, {252, 5, 8},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        pn_report_text_row(capture_start(&c), 100.0 * (double)rows[i].count / 856945.0,
                           rows[i].k, 10, NULL);
        want = line_of(SEED_10_4_20, rows[i].line);
        wrote(&c, want);
        free(want);
    }
    pn_report_text_row(capture_start(&c), 100.0 * 168.0 / 266.0, 5, 8, NULL);
    want = line_of(SEED_8_2_4, 4);
    wrote(&c, want);
    free(want);
    /* "\nThe overall expected value is [19.0%] power savings.\n" */
    pn_report_text_expected(capture_start(&c), 19.0, NULL);
    char *blank_and_expected = strstr(SEED_10_4_20, "\n\nThe overall");
    want = strndup(blank_and_expected + 1, strcspn(blank_and_expected + 2, "\n") + 2);
    wrote(&c, want);
    free(want);
}

/* A simulation's rows and expected value carry a half-width: the suffix
 * goes after "power savings", before the newline or the period. */
Test(report_format, suffixes_go_before_the_line_end)
{
    capture c;
    pn_report_text_row(capture_start(&c), 50.0, 2, 4, " (\u00b11.5%)");
    wrote(&c, "[ 50.0%] likely that [2/4] of your hosts would powernap, for a [50%] power "
              "savings (\u00b11.5%)\n");
    pn_report_text_expected(capture_start(&c), 43.75, " (\u00b10.2%)");
    wrote(&c, "\nThe overall expected value is [43.8%] power savings (\u00b10.2%).\n");
}

/* Under 1 % reads "<1" (the 2009 tool's way), from 1 % on one decimal. */
Test(report_format, probabilities_under_one_percent_read_less_than_1)
{
    static const struct { double pct; const char *want; } cases[] = {
        {0.0, "<1"}, {0.004, "<1"}, {0.999, "<1"}, {1.0, "1.0"}, {1.04, "1.0"},
        {27.547, "27.5"}, {42.49, "42.5"}, {99.97, "100.0"}, {100.0, "100.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[16];
        pn_report_format_probability(buf, sizeof buf, cases[i].pct);
        cr_assert_str_eq(buf, cases[i].want, "%g", cases[i].pct);
    }
}

/* Two decimals, as on a bill; more only when the price has more. */
Test(report_format, prices_as_on_a_bill)
{
    static const struct { double price; const char *want; } cases[] = {
        {0.1, "0.10"}, {0.10, "0.10"}, {1, "1.00"}, {12.5, "12.50"}, {0.25, "0.25"},
        {0.1234, "0.1234"}, {0.125, "0.125"}, {0.005, "0.005"}, {1234.5, "1234.50"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[32];
        pn_report_format_price(buf, sizeof buf, cases[i].price);
        cr_assert_str_eq(buf, cases[i].want, "%.17g", cases[i].price);
    }
}

/* The seed's bill: 8 * 0.08 kW * 8760 h = 5606.4 kWh, * 0.10 = 560.64 a
 * year; 60.5 % (exactly 115/190) of it expected saved: 3393.3 kWh, 339.33;
 * with napping hosts that still draw 20 of their 80 W, three quarters of
 * that: 2545.0 kWh, 254.50. */
Test(report_format, the_cost_paragraph)
{
    pn_cost_input cost = {.wanted = true, .has_watts = true, .has_price = true, .watts = 80,
                          .price = 0.10, .currency = "$"};
    capture c;
    pn_cost bill = pn_cost_compute(&cost, 8, 100.0 * 115.0 / 190.0);
    pn_cost_write_text(capture_start(&c), &bill, 8, NULL);
    wrote(&c, "\nAt [80] W per host and [$0.10] per kWh, running all [8] hosts costs "
              "[$560.64] per year ([5606] kWh);\nthe expected saving is [$339.33] per year "
              "([3393] kWh).\n");
    cost.idle_watts = 20;
    strcpy(cost.currency, "\xe2\x82\xac");
    bill = pn_cost_compute(&cost, 8, 100.0 * 115.0 / 190.0);
    pn_cost_write_text(capture_start(&c), &bill, 8, "over the load curve");
    wrote(&c, "\nAt [80] W per host and [\xe2\x82\xac" "0.10] per kWh, running all [8] hosts "
              "costs [\xe2\x82\xac" "560.64] per year ([5606] kWh);\nwith a napping host drawing "
              "[20] W, the expected saving over the load curve is [\xe2\x82\xac" "254.50] per "
              "year ([2545] kWh).\n");
}

/* Watts in plain decimal, never an exponent (%g wrote [4.1e+06] and
 * [1.23457e+06]): a fleet's 4.1 MW, a host's 1234567.5 W, an idle 0.25 W. */
Test(report_format, watts_in_plain_decimal)
{
    pn_cost_input cost = {.wanted = true, .has_watts = true, .has_price = true,
                          .watts = 1234567.5, .idle_watts = 0.25, .price = 0.10,
                          .currency = "$"};
    pn_cost one = pn_cost_compute(&cost, 1, 0);
    capture c;
    pn_cost_write_text(capture_start(&c), &one, 1, NULL);
    char *text = capture_end(&c);
    cr_assert(strstr(text, "At [1234567.5] W per host"), "%s", text);
    cr_assert(strstr(text, "drawing [0.25] W"), "%s", text);
    cr_assert_null(strstr(text, "e+"), "%s", text);
    free(text);
    pn_cost fleet = pn_cost_compute_fleet(&cost, 4.1e6, 0, 0);
    pn_cost_write_text(capture_start(&c), &fleet, 1000, NULL);
    text = capture_end(&c);
    cr_assert(strstr(text, "At the fleet's [4100000] W"), "%s", text);
    free(text);
    static const struct { double v; const char *want; } plain[] = {
        {4.1e6, "4100000"}, {1234567.5, "1234567.5"}, {0.1, "0.1"}, {1e-5, "0.00001"},
        {1e20, "100000000000000000000"}, {80, "80"},
    };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        char buf[PN_REPORT_PLAIN_LEN];
        pn_report_format_plain(buf, sizeof buf, plain[i].v);
        cr_assert_str_eq(buf, plain[i].want);
    }
}

/* What a JSON document's member "s" held, read back by the project's
 * strict reader (which checks every other member's syntax as it skips it). */
typedef struct read_back {
    char s[64];
    size_t s_len;
} read_back;

static pn_status read_member(pn_json *j, void *ctx, const char *key, size_t len)
{
    read_back *rb = ctx;
    if (len == 1 && key[0] == 's')
        return pn_json_read_string(j, "s", rb->s, sizeof rb->s, &rb->s_len);
    return pn_json_skip(j);
}

/* Quotes and backslashes are escaped, control characters too, other bytes
 * (UTF-8 included) pass as they are; the strict reader gets back every byte. */
Test(report_format, json_strings_read_back_byte_for_byte)
{
    capture c;
    pn_report_json_string(capture_start(&c), "cpu \"test\" \\ \xc3\xa9");
    wrote(&c, "\"cpu \\\"test\\\" \\\\ \xc3\xa9\"");
    const char raw[] = "tab\there\nnl\x01\x1f end \"q\" \\";
    pn_report_json_string(capture_start(&c), raw);
    char *text = capture_end(&c);
    for (const char *p = text; *p; p++)
        cr_assert((unsigned char)*p >= 0x20, "a raw control byte in %s", text);
    size_t n = strlen(text) + 16;
    char *doc = malloc(n);
    snprintf(doc, n, "{\"s\": %s}", text);
    read_back rb = {0};
    pn_error err = {{0}};
    cr_assert_eq(pn_json_read_document(doc, strlen(doc), NULL, read_member, &rb, &err), PN_OK,
                 "%s: %s", err.msg, doc);
    cr_assert_eq(rb.s_len, strlen(raw));
    cr_assert_str_eq(rb.s, raw);
    free(doc);
    free(text);
}

/* Bytes that are not UTF-8 (a --load-curve path may hold any) become
 * \ufffd, one per byte, so the document is valid UTF-8: a lone 0xff, a
 * surrogate's encoding, an overlong '/', a truncated sequence; valid UTF-8
 * around them passes as it is. */
Test(report_format, json_strings_escape_bytes_that_are_not_utf8)
{
    capture c;
    pn_report_json_string(capture_start(&c),
                          "a\xff\xc3\xa9\xed\xa0\x80\xc0\xaf\xf0\x9f\x98\x80\xe2\x82");
    wrote(&c, "\"a\\ufffd\xc3\xa9\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\xf0\x9f\x98\x80"
              "\\ufffd\\ufffd\"");
}

Test(report_format, json_keys_and_members)
{
    capture c;
    pn_report_json_key(capture_start(&c), ",\n  ", PN_KEY_EXPECTED_SAVINGS_PERCENT);
    wrote(&c, ",\n  \"expected_savings_percent\": ");
    pn_report_json_u64_member(capture_start(&c), PN_KEY_KEYSPACE, UINT64_MAX);
    wrote(&c, "  \"keyspace\": 18446744073709551615,\n");
    pn_report_json_string_member(capture_start(&c), PN_KEY_MODEL, "slots");
    wrote(&c, "  \"model\": \"slots\",\n");
    pn_report_json_double_member(capture_start(&c), ", ", PN_KEY_PROBABILITY, 0.75);
    wrote(&c, ", \"probability\": 0.75");
    pn_report_json_double_member(capture_start(&c), "", PN_KEY_CI95, NAN);
    wrote(&c, "\"ci95\": null");
}

/* "Every digit that tells it apart": each double comes back exactly from
 * its text (strtod, a second conversion), the hard ones included. */
Test(report_format, json_doubles_come_back_exactly)
{
    const double values[] = {0.1, 1.0 / 3.0, 43.75, 100.0 * 115.0 / 190.0, 1e300,
                             4.9406564584124654e-324, 2.2250738585072014e-308, -0.0, 0.0};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        capture c;
        pn_report_json_double_member(capture_start(&c), "", PN_KEY_WATTS, values[i]);
        char *text = capture_end(&c);
        const char *number = text + strlen("\"watts\": ");
        cr_assert(strncmp(text, "\"watts\": ", strlen("\"watts\": ")) == 0, "%s", text);
        double back = strtod(number, NULL);
        cr_assert(back == values[i] && signbit(back) == signbit(values[i]),
                  "%.17g written as %s", values[i], number);
        free(text);
    }
}

/* The cost object: `,\n  "cost": {...}` with the inputs and the seed's
 * bill (560.64, 339.33 as in the_cost_paragraph), strict JSON once put
 * after a first member. */
Test(report_format, json_cost_object)
{
    pn_cost_input cost = {.wanted = true, .has_watts = true, .has_price = true, .watts = 80,
                          .price = 0.10, .currency = "$"};
    capture c;
    pn_cost bill = pn_cost_compute(&cost, 8, 100.0 * 115.0 / 190.0);
    pn_cost_write_json(capture_start(&c), ",\n  ", &bill);
    char *text = capture_end(&c);
    const char *head = ",\n  \"cost\": {\"watts\": 80, \"total_watts\": 640, \"idle_watts\": 0, "
                       "\"price_per_kwh\": 0.1, \"currency\": \"$\", \"year_share\": 1, "
                       "\"yearly_kwh_no_nap\": ";
    cr_assert(strncmp(text, head, strlen(head)) == 0, "%s", text);
    double kwh = 0, yearly = 0, saved_kwh = 0, saving = 0;
    const char *at = strstr(text, "\"yearly_kwh_no_nap\": ");
    cr_assert_eq(sscanf(at, "\"yearly_kwh_no_nap\": %lf, \"yearly_cost_no_nap\": %lf, "
                            "\"expected_yearly_kwh\": %lf, \"expected_yearly_saving\": %lf}",
                        &kwh, &yearly, &saved_kwh, &saving), 4, "%s", text);
    cr_assert_float_eq(kwh, 5606.4, 1e-9);
    cr_assert_float_eq(yearly, 560.64, 1e-9);
    cr_assert_float_eq(saved_kwh, 5606.4 * 115.0 / 190.0, 1e-9);
    cr_assert_float_eq(saving, 560.64 * 115.0 / 190.0, 1e-9);
    size_t n = strlen(text) + 16;
    char *doc = malloc(n);
    snprintf(doc, n, "{\"a\": 1%s}", text);
    read_back rb = {0};
    pn_error err = {{0}};
    cr_assert_eq(pn_json_read_document(doc, strlen(doc), NULL, read_member, &rb, &err), PN_OK,
                 "%s: %s", err.msg, doc);
    free(doc);
    free(text);
}
