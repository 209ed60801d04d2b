/* test_levels.c -- every load level at once (-g all, -g FROM:TO) against one run per level, and load curves worked by hand. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_fixture.h"
#include "engine/pn_engine.h"
#include "question/pn_fleet.h"
#include "slice/pn_json.h"
#include "question/pn_load_curve.h"

/* Each level of a sweep by `engine` must equal a single run at that level. */
static void sweep_equals_single_runs(pn_query q, pn_engine_kind engine)
{
    pn_error err;
    q.guests = 0;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    uint64_t cap = pn_query_capacity(&q);
    pn_levels lv;
    cr_assert_eq(pn_levels_range(&lv, 0, cap, &err), PN_OK);
    pn_histogram *sweep = calloc(lv.n, sizeof *sweep);
    for (size_t i = 0; i < lv.n; i++)
        pn_histogram_init_query(&sweep[i], &q, &err);
    pn_run run = {0};
    cr_assert_eq(pn_engine_run_levels(engine, &q, &lv, &run, sweep, &err), PN_OK, "%s", err.msg);
    for (uint64_t g = 0; g <= cap; g++) {
        pn_query one = q;
        one.guests = g;
        cr_assert_eq(pn_query_resolve(&one, &err), PN_OK);
        pn_histogram single;
        pn_histogram_init_query(&single, &one, &err);
        pn_run r1 = {0};
        cr_assert_eq(pn_engine_run(engine, &one, &r1, &single, &err), PN_OK, "%s", err.msg);
        cr_assert(pn_histogram_equal(&single, &sweep[g]), "%s sweep differs at g = %llu",
                  pn_engine_name(engine), (unsigned long long)g);
        pn_histogram_clear(&single);
        pn_histogram_clear(&sweep[g]);
    }
    free(sweep);
    pn_levels_clear(&lv);
}

Test(levels, equals_one_run_per_guest_count)
{
    for (int m = 0; m < 2; m++) {
        sweep_equals_single_runs((pn_query){.hosts = 6, .per_host = 3, .model = m}, PN_ENGINE_CPU);
        sweep_equals_single_runs((pn_query){.hosts = 6, .per_host = 3, .model = m}, PN_ENGINE_EXACT);
        pn_query f = {.model = m};
        pn_error err;
        cr_assert_eq(pn_fleet_parse("3x2,2x4", &f, &err), PN_OK);
        sweep_equals_single_runs(f, PN_ENGINE_CPU);
        sweep_equals_single_runs(f, PN_ENGINE_EXACT);
    }
}

/* The CLI's sweep: a line per g; the CSV's columns; -g FROM:TO's CSV rows
 * agree with the single runs' expected values (43.75 at 4/2/3). */
Test(levels, command_line_forms)
{
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "all", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(cli_count_lines(r.out), 3 + 9, "%s", r.out);
    cr_assert(strstr(r.out, "At [3] guests, the expected value is [43.8%] power savings; "
                            "perfect consolidation naps [2/4] hosts, for [50.0%].\n"), "%s", r.out);
    cli_free(&r);
    r = cli_run("-h", "4", "-p", "2", "-g", "2:3", "-q", "-f", "csv", "-e", "cpu");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "guests,expected_savings_percent,consolidation_savings_percent,"
                            "consolidation_napping_hosts,expected_napping_hosts,hosts\n"
                            "2,60,75,3,2.3999999999999999,4\n"
                            "3,43.75,50,2,1.75,4\n");
    cli_free(&r);
    r = cli_run("-h", "4", "-p", "2", "-g", "3:3", "-q", "-f", "json", "-e", "exact");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(r.out[0] == '[', "%s", r.out);
    cr_assert(strstr(r.out, "\"counts\": [0, 4, 12, 0, 0]"), "%s", r.out);
    cli_free(&r);
}

/* A load curve worked by hand on 4 hosts x 2. At 2 guests: 4 scenarios put
 * both on one host (3 empty), 6 spread them (2 empty): 2.4 of 4 hosts nap
 * on average, 60%. At 5 guests: 4 scenarios use every host (2+1+1+1), 12
 * leave one empty (4 choices x 3 placements of 2+2+1): 0.75 hosts, 18.75%.
 * 16 hours at 2 and 8 at 5: (2*60 + 18.75)/3 = 46.25%. At 80 W and $0.10:
 * 4 * 0.08 kW * 8760 h * $0.10 = $280.32 a year; 46.25% of it, $129.65,
 * is 1296.48 kWh. */
Test(levels, load_curve_worked_by_hand)
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

Test(levels, bad_curves_name_file_line_and_column)
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

static void refused(const char *needle, char *const *args)
{
    cli_result r = cli_run_env(NULL, NULL, args);
    cr_assert_eq(r.status, 2, "exit %d for %s: %s", r.status, needle, r.err);
    cr_assert(strstr(r.err, needle), "'%s' should mention '%s'", r.err, needle);
    cr_assert_eq(cli_count_lines(r.err), 1, "%s", r.err);
    cli_free(&r);
}
#define REFUSED(needle, ...) refused(needle, (char *const[]){__VA_ARGS__, NULL})

Test(levels, bad_ranges_are_refused)
{
    REFUSED("'5:3' runs backwards", "-h", "4", "-p", "2", "-g", "5:3");
    REFUSED("--skip/--limit", "-h", "4", "-p", "2", "-g", "all", "--skip", "3");
    REFUSED("do not fit", "-h", "4", "-p", "2", "-g", "0:9");
    REFUSED("expected FROM:TO", "-h", "4", "-p", "2", "-g", "1:");
    REFUSED("cannot be combined with -g", "-h", "4", "-p", "2", "-g", "1", "--load-curve", "x");
    REFUSED("more than 100001", "-h", "1000", "-p", "1000", "-g", "all");
}

Test(levels, verify_checks_every_level)
{
    cli_result r = cli_run("--fleet", "2x2,1x3", "-g", "all", "--verify");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "agree on every bin of 8 guest counts"), "%s", r.err);
    cli_free(&r);
}

/* Skips every member: the strict reader then checks the whole document. */
static pn_status skip_member(pn_json *j, void *ctx, const char *key, size_t len)
{
    (void)ctx;
    (void)key;
    (void)len;
    return pn_json_skip(j);
}

/* The sweep's array and the load curve's object are strict JSON (the
 * array checked as the value of a wrapping object). */
Test(levels, json_is_strict_json)
{
    pn_error err;
    cli_result r = cli_run("--fleet", "2x2@50,1x3@70", "-g", "all", "-q", "-f", "json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    size_t len = strlen(r.out) + 16;
    char *doc = malloc(len);
    snprintf(doc, len, "{\"a\": %s}", r.out);
    cr_assert_eq(pn_json_read_document(doc, strlen(doc), NULL, skip_member, NULL, &err), PN_OK,
                 "%s", err.msg);
    free(doc);
    cli_free(&r);
    char path[] = "/tmp/pn-curve-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(write(fd, "hours,guests\n2,1\n3,4\n", 21) == 21);
    close(fd);
    r = cli_run("-h", "4", "-p", "2", "--load-curve", path, "-q", "-f", "json", "--watts", "9",
                "--price", "1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(pn_json_read_document(r.out, strlen(r.out), NULL, skip_member, NULL, &err), PN_OK,
                 "%s", err.msg);
    cr_assert(strstr(r.out, "\"hours\": 5,"), "%s", r.out);
    cli_free(&r);
    unlink(path);
}
