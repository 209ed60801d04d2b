/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_forecast.c -- --estimate: every engine's forecast printed, measured rates that are real, auto's pick matching what auto does. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli_fixture.h"

/* The engine auto names in its note, "opencl", "cpu" or "exact". */
static const char *auto_engine(char *const *args)
{
    cli_result r = cli_run_env(NULL, NULL, args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *kind = strstr(r.err, "engine: exact") ? "exact"
                       : strstr(r.err, "engine: opencl") ? "opencl" : "cpu";
    cli_free(&r);
    return kind;
}

Test(forecast, an_enumerable_question_gets_every_engine_and_autos_pick)
{
    cli_result r = cli_run("-h", "12", "-p", "4", "-g", "24", "--estimate");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "keyspace: 5^12 = 244140625 scenarios"), "%s", r.out);
    cr_assert(strstr(r.out, "  opencl: "), "%s", r.out);
    cr_assert(strstr(r.out, "  cpu:    "), "%s", r.out);
    cr_assert(strstr(r.out, "  exact:  about"), "%s", r.out);
    const char *picked = strstr(r.out, "auto would choose: ");
    cr_assert_not_null(picked, "%s", r.out);
    const char *ran = auto_engine((char *const[]){"-h", "12", "-p", "4", "-g", "24", NULL});
    cr_assert(strncmp(picked + strlen("auto would choose: "), ran, strlen(ran)) == 0,
              "--estimate says %s, auto ran %s", picked, ran);
    cr_assert_str_empty(r.err);
    cli_free(&r);
}

Test(forecast, a_keyspace_past_2_to_the_64_says_why_and_picks_exact)
{
    cli_result r = cli_run("-h", "100", "-p", "4", "-g", "200", "--estimate");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "enumeration: impossible (the keyspace 5^100"), "%s", r.out);
    cr_assert(strstr(r.out, "auto would choose: exact"), "%s", r.out);
    cli_free(&r);
    r = cli_run("-h", "1000000", "-p", "2", "-g", "1000000", "--estimate");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "refused without --force"), "%s", r.out);
    cli_free(&r);
}

/* A mixed fleet's samples are slices of its mixed-radix keyspace, measured
 * with its napping sums as the engines count them. */
Test(estimate, a_mixed_fleet_is_measured_like_a_cloud)
{
    cli_result r = cli_run("--fleet", "8x4,2x16", "-g", "20", "--estimate");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "keyspace: 5^8 * 17^2 = 112890625 scenarios"), "%s", r.out);
    cr_assert(strstr(r.out, "  cpu:    "), "%s", r.out);
    cr_assert(strstr(r.out, "auto would choose: "), "%s", r.out);
    cli_free(&r);
}

/* Two POCL devices: each measured alone, the split printed per device. */
Test(forecast, device_all_prints_the_split)
{
    char *two[] = {"POCL_DEVICES=pthread pthread", "ASAN_OPTIONS=detect_leaks=0:exitcode=99", NULL};
    cli_result r = cli_run_env(NULL, two, (char *const[]){"-h", "12", "-p", "4", "-g", "24",
                                                          "-d", "all", "--estimate", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "opencl, 2 devices together"), "%s", r.out);
    cr_assert(strstr(r.out, "device #0: ") && strstr(r.out, "device #1: "), "%s", r.out);
    cli_free(&r);
}
