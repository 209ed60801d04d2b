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
    cr_assert(strstr(r.out, "costs [$280.32] per year"), "%s", r.out);
    cr_assert(strstr(r.out, "the expected saving is [1296] kWh, [$129.65] per year."), "%s", r.out);
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

/* A curve with `text` is refused (exit 2) with a message naming path:line:column. */
static void bad_curve(const char *text, const char *where, const char *why)
{
    char path[] = "/tmp/pn-curve-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
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
