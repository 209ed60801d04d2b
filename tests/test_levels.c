/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_levels.c -- every load level at once (-g all, -g FROM:TO) against one run per level, the sweep's report forms, bad ranges. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_fixture.h"
#include "engine/pn_engine.h"
#include "engine_fixture.h"
#include "query_fixture.h"
#include "slice/pn_json.h"

Test(levels, equals_one_run_per_guest_count)
{
    for (int m = 0; m < 2; m++) {
        pn_query cloud = {.hosts = 6, .per_host = 3, .model = m};
        sweep_equals_single_runs(cloud, PN_ENGINE_CPU, PN_ENGINE_CPU);
        sweep_equals_single_runs(cloud, PN_ENGINE_EXACT, PN_ENGINE_EXACT);
        sweep_equals_single_runs(fleet("3x2,2x4", 0, m), PN_ENGINE_CPU, PN_ENGINE_CPU);
        sweep_equals_single_runs(fleet("3x2,2x4", 0, m), PN_ENGINE_EXACT, PN_ENGINE_EXACT);
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
                            "2,60,75,3,2.4,4\n"
                            "3,43.75,50,2,1.75,4\n");
    cli_free(&r);
    r = cli_run("-h", "4", "-p", "2", "-g", "3:3", "-q", "-f", "json", "-e", "exact");
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* a sweep is an object with its format_version and tool, not a bare array */
    const char *head = "{\n  \"format_version\": 3,\n  \"tool\": \"powernap_calculator "
                       PN_VERSION "\",\n  \"levels\": [\n{";
    cr_assert(strncmp(r.out, head, strlen(head)) == 0, "%s", r.out);
    cr_assert(strstr(r.out, "\"counts\": [0, 4, 12, 0, 0]"), "%s", r.out);
    cli_free(&r);
}

Test(levels, bad_ranges_are_refused)
{
    CLI_REFUSED("'5:3' runs backwards", "-h", "4", "-p", "2", "-g", "5:3");
    CLI_REFUSED("--skip/--limit", "-h", "4", "-p", "2", "-g", "all", "--skip", "3");
    CLI_REFUSED("do not fit", "-h", "4", "-p", "2", "-g", "0:9");
    CLI_REFUSED("expected FROM:TO", "-h", "4", "-p", "2", "-g", "1:");
    CLI_REFUSED("cannot be combined with -g", "-h", "4", "-p", "2", "-g", "1", "--load-curve", "x");
    CLI_REFUSED("more than 100001", "-h", "1000", "-p", "1000", "-g", "all");
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
