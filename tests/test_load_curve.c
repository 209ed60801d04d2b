/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_load_curve.c -- load curves (hours at each guest count): a curve worked by hand, and every bad curve named by file, line and column. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_fixture.h"
#include "question/pn_load_curve.h"

/* A load curve worked by hand on 4 hosts x 2. At 2 guests: 4 scenarios put
 * both on one host (3 empty), 6 spread them (2 empty): 2.4 of 4 hosts nap
 * on average, 60%. At 5 guests: 4 scenarios use every host (2+1+1+1), 12
 * leave one empty (4 choices x 3 placements of 2+2+1): 0.75 hosts, 18.75%.
 * 16 hours at 2 and 8 at 5: (2*60 + 18.75)/3 = 46.25%. At 80 W and $0.10:
 * 4 * 0.08 kW * 8760 h * $0.10 = $280.32 a year; 46.25% of it, $129.65,
 * is 1296.48 kWh. */
Test(load_curve, load_curve_worked_by_hand)
{
    char path[] = "/tmp/pn-curve-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "hours,guests\r\n8,2\r\n\r\n8,5\r\n8,2\r\n");
    fclose(f);
    cli_result r = cli_run("-h", "4", "-p", "2", "--load-curve", path, "--watts", "80",
                           "--price", "0.10", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "[ 66.7%] of the time, at [2] guests, the expected value is [60.0%]"),
              "%s", r.out);
    cr_assert(strstr(r.out, "[ 33.3%] of the time, at [5] guests, the expected value is [18.8%]"),
              "%s", r.out);
    cr_assert(strstr(r.out, "The overall expected value is [46.2%] power savings.\n"), "%s", r.out);
    cr_assert(strstr(r.out, "costs [$280.32] per year ([2803] kWh)"), "%s", r.out);
    cr_assert(strstr(r.out, "the expected saving over the load curve is [$129.65] per year "
                            "([1296] kWh)."), "%s", r.out);
    cli_free(&r);
    pn_query q = {.hosts = 4, .per_host = 2};
    pn_levels lv;
    pn_error err;
    cr_assert_eq(pn_load_curve_read(path, &q, &lv, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(lv.n, 2);
    cr_assert_eq(lv.rows, 3);
    cr_assert_float_eq(lv.hours[0], 16.0, 0);
    cr_assert_float_eq(lv.total_hours, 24.0, 0);
    pn_levels_clear(&lv);
    unlink(path);
}

/* A curve of `len` bytes at text is refused (exit 2) with a message
 * naming path:line:column. */
static void bad_curve_bytes(const char *text, size_t len, const char *where, const char *why)
{
    char path[] = "/tmp/pn-curve-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(write(fd, text, len) == (ssize_t)len);
    close(fd);
    cli_result r = cli_run("-h", "4", "-p", "2", "--load-curve", path, "-q");
    char want[128];
    snprintf(want, sizeof want, "%s:%s: ", path, where);
    cr_assert_eq(r.status, 2, "%s: %s", text, r.err);
    cr_assert(strstr(r.err, want), "'%s' should name %s", r.err, want);
    cr_assert(strstr(r.err, why), "'%s' should say %s", r.err, why);
    cr_assert_str_eq(r.out, "");
    cli_free(&r);
    unlink(path);
}

/* A curve with the text `text`, refused as bad_curve_bytes. */
static void bad_curve(const char *text, const char *where, const char *why)
{
    bad_curve_bytes(text, strlen(text), where, why);
}

Test(load_curve, bad_curves_name_file_line_and_column)
{
    bad_curve("", "1:1", "empty");
    bad_curve("8,2\n", "1:1", "header");
    bad_curve("hours,guests\n", "1:1", "no rows");
    bad_curve("hours,guests\n-1,2\n", "2:1", "negative");
    bad_curve("hours,guests\n8,2\nabc,2\n", "3:1", "not a plain non-negative number");
    bad_curve("hours,guests\n8,9\n", "2:3", "do not fit");
    bad_curve("hours,guests\n8,x\n", "2:3", "not a plain non-negative integer");
    bad_curve("hours,guests\n8\n", "2:2", "two fields");
    bad_curve("hours,guests\n8,2,1\n", "2:4", "two fields");
    bad_curve("hours,guests\n0,2\n", "2:1", "add up to 0");
}

/* A file holding `text`, at path (a mkstemp pattern, filled in). */
static void curve_file(char *path, const char *text)
{
    int fd = mkstemp(path);
    cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
}

/* Spreadsheets write a UTF-8 byte order mark first: it is read past, and
 * the curve answers as without it (the 4 x 2 curve worked by hand above). */
Test(load_curve, a_byte_order_mark_at_the_start_is_accepted)
{
    char path[] = "/tmp/pn-curve-XXXXXX";
    curve_file(path, "\xef\xbb\xbfhours,guests\r\n16,2\r\n8,5\r\n");
    cli_result r = cli_run("-h", "4", "-p", "2", "--load-curve", path, "-q", "-e", "cpu");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "The overall expected value is [46.2%] power savings.\n"), "%s", r.out);
    cli_free(&r);
    pn_query q = {.hosts = 4, .per_host = 2};
    pn_levels lv;
    pn_error err;
    cr_assert_eq(pn_load_curve_read(path, &q, &lv, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(lv.rows, 2);
    cr_assert_float_eq(lv.total_hours, 24.0, 0);
    pn_levels_clear(&lv);
    unlink(path);
}

/* A NUL byte (a binary or UTF-16 file) and a byte order mark past the
 * start (two files joined) are named where they are, not misread as a bad
 * number or a wrong header. */
Test(load_curve, a_nul_byte_or_a_late_byte_order_mark_is_named)
{
    bad_curve_bytes("hours,guests\n8,\0" "2\n", 17, "2:3", "a NUL byte");
    bad_curve_bytes("h\0o\0u\0r\0s\0", 10, "1:2", "a NUL byte");
    bad_curve("hours,guests\n8,2\n\xef\xbb\xbfhours,guests\n8,3\n", "3:1",
              "byte order mark (BOM) past the start");
}

/* A file that cannot be read (missing, a directory) is bad input, exit 2,
 * naming the option and the path; it was exit 1, a runtime failure. */
Test(load_curve, an_unreadable_curve_is_bad_input_naming_option_and_path)
{
    CLI_REFUSED("--load-curve: cannot open /nonexistent-pn/day.csv: No such file or directory",
                "-h", "4", "-p", "2", "--load-curve", "/nonexistent-pn/day.csv");
    CLI_REFUSED("--load-curve: cannot read /tmp: Is a directory",
                "-h", "4", "-p", "2", "--load-curve", "/tmp");
}

/* "--load-curve -" reads the curve from standard input, with the answer
 * the same curve in a file gives; its messages name "(standard input)", and
 * so does its report (not "[-]"). */
Test(load_curve, a_dash_reads_standard_input)
{
    char path[] = "/tmp/pn-curve-XXXXXX";
    curve_file(path, "hours,guests\n16,2\n8,5\n");
    cli_result r = cli_run_stdin(path, "-h", "4", "-p", "2", "--load-curve", "-", "-q", "-e",
                                 "cpu");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "The overall expected value is [46.2%] power savings.\n"), "%s", r.out);
    cr_assert(strstr(r.out, "over the [24] hours of the load curve from standard input,\n"),
              "%s", r.out);
    cr_assert_null(strstr(r.out, "[-]"), "%s", r.out);
    cli_free(&r);
    unlink(path);
    char bad[] = "/tmp/pn-curve-XXXXXX";
    curve_file(bad, "hours,guests\n16,9\n");
    r = cli_run_stdin(bad, "-h", "4", "-p", "2", "--load-curve", "-", "-q");
    cli_assert_refused(&r, "--load-curve: (standard input):2:4: 9 guests do not fit");
    unlink(bad);
}

/* The hand-worked curve's cost is the same in every format: the text's
 * $129.65 and 1296 kWh (4 * 0.08 kW * 8760 h = 2803.2 kWh, $280.32; 46.25 %
 * of it: 1296.48 kWh, $129.648) are JSON's cost object, and the levels'
 * costs (JSON's and the CSV rows', each for its share of the year: 2/3 at
 * 60 %, 1/3 at 18.75 %) add up to it. They used to be "all year at this
 * load" figures (1681.92 + 525.6 kWh) that added up to nothing shown. */
Test(load_curve, the_cost_is_the_same_in_every_format)
{
    char path[] = "/tmp/pn-curve-XXXXXX";
    curve_file(path, "hours,guests\n16,2\n8,5\n");
    cli_result json = cli_run("-h", "4", "-p", "2", "--load-curve", path, "--watts", "80",
                              "--price", "0.10", "-q", "-e", "cpu", "-f", "json");
    cli_result csv = cli_run("-h", "4", "-p", "2", "--load-curve", path, "--watts", "80",
                             "--price", "0.10", "-q", "-e", "cpu", "-f", "csv");
    unlink(path);
    cr_assert_eq(json.status, 0, "%s", json.err);
    cr_assert_eq(csv.status, 0, "%s", csv.err);
    double kwh[3], money[3], share[3];
    const char *at = json.out;
    for (int i = 0; i < 3; i++) { /* the curve's cost, then each level's */
        at = strstr(at, "\"year_share\": ");
        cr_assert_not_null(at, "%s", json.out);
        cr_assert_eq(sscanf(at, "\"year_share\": %lf, \"yearly_kwh_no_nap\": %*f, "
                                "\"yearly_cost_no_nap\": %*f, \"expected_yearly_kwh\": %lf, "
                                "\"expected_yearly_saving\": %lf}",
                            &share[i], &kwh[i], &money[i]), 3, "%s", at);
        at++;
    }
    cr_assert_float_eq(share[0], 1.0, 1e-12);
    cr_assert_float_eq(kwh[0], 1296.48, 1e-9);
    cr_assert_float_eq(money[0], 129.648, 1e-9);
    cr_assert_float_eq(share[1], 2.0 / 3.0, 1e-12);
    cr_assert_float_eq(kwh[1], 2803.2 * 0.6 * 2 / 3, 1e-9);
    cr_assert_float_eq(kwh[1] + kwh[2], kwh[0], 1e-9);
    cr_assert_float_eq(money[1] + money[2], money[0], 1e-9);
    double csv_kwh = 0, csv_money = 0;
    int rows = 0;
    for (const char *line = strchr(csv.out, '\n'); line && line[1]; line = strchr(line, '\n')) {
        line++;
        const char *end = strchr(line, '\n'), *last = end;
        while (*--last != ',') {}
        const char *before = last;
        while (*--before != ',') {}
        csv_kwh += strtod(before + 1, NULL);
        csv_money += strtod(last + 1, NULL);
        rows++;
    }
    cr_assert_eq(rows, 2, "%s", csv.out);
    cr_assert(strstr(csv.out, ",expected_yearly_kwh,expected_yearly_saving\n"), "%s", csv.out);
    cr_assert_float_eq(csv_kwh, 1296.48, 1e-9);
    cr_assert_float_eq(csv_money, 129.648, 1e-9);
    cli_free(&json);
    cli_free(&csv);
}
