/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cli_simulate.c -- --simulate end to end: the report's lines, JSON and CSV, identical counts on every engine and over two devices, bad input refused. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli_fixture.h"

/* A short simulation of the 2009 cloud, with extra arguments. */
#define SIM(...) cli_run("-h", "10", "-p", "4", "-g", "20", "--trajectories", "40", "--ticks", \
                         "3000", "--seed", "5", __VA_ARGS__)

Test(cli_simulate, text_report_keeps_the_2009_lines)
{
    cli_result r = SIM("--simulate", "best-fit", "-q", "--watts", "80", "--price", "0.10");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.err, "");
    cr_assert(strncmp(r.out, "In a cloud with [10] hosts, which can handle [4] guests-per-host, "
                             "currently running [20] guests,\n", 90) == 0, "%s", r.out);
    cr_assert(strstr(r.out, "placed [best-fit]"), "%s", r.out);
    cr_assert(strstr(r.out, "%] likely that [4/10] of your hosts would powernap, for a [40%] "
                            "power savings (\u00b1"), "%s", r.out);
    cr_assert(strstr(r.out, "\nThe overall expected value is ["), "%s", r.out);
    cr_assert(strstr(r.out, "] power savings (\u00b1"), "%s", r.out);
    cr_assert(strstr(r.out, "The cloud held exactly [20] guests ["), "%s", r.out);
    cr_assert(strstr(r.out, "times per mean guest lifetime"), "%s", r.out);
    cr_assert(strstr(r.out, "Simulated: [40] trajectories of [3000] ticks"), "%s", r.out);
    cr_assert(strstr(r.out, "seed [5]"), "%s", r.out);
    cr_assert(strstr(r.out, "the expected saving is [$"), "cost lines: %s", r.out);
    cli_free(&r);
}

Test(cli_simulate, json_fields)
{
    cli_result r = SIM("--simulate", "first-fit", "-q", "-f", "json", "-e", "cpu");
    cr_assert_eq(r.status, 0, "%s", r.err);
    static const char *const keys[] = {
        "\"policy\": \"first-fit\"", "\"load\": 20,", "\"engine\": \"cpu\"",
        "\"trajectories\": 40,", "\"ticks\": 3000,", "\"burn_in\": 600,", "\"seed\": 5,",
        "\"counts\": [", "\"rows\": [", "\"ci95\": ", "\"expected_savings_percent\": ",
        "\"expected_savings_ci95\": ", "\"time_at_guests\": ", "\"all_loads\": {",
        "\"wakeups_per_host\": ", "\"wakeups_per_host_ci95\": ",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert(strstr(r.out, keys[i]), "no %s in %s", keys[i], r.out);
    cli_free(&r);
    r = cli_run("-h", "10", "-p", "4", "--load", "17.5", "--simulate", "random", "-f", "json",
                "-q", "--trajectories", "4", "--ticks", "100");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"load\": 17.5,"), "%s", r.out);
    cr_assert(!strstr(r.out, "\"guests\""), "no guests with --load alone: %s", r.out);
    cr_assert(!strstr(r.out, "time_at_guests"), "%s", r.out);
    cli_free(&r);
}

/* The kernel, the cpu engine and the kernel over two POCL devices (see
 * test_cli.c for why leak detection is off in that child) print the same
 * CSV: the same integer counts. */
Test(cli_simulate, identical_counts_everywhere)
{
    char *two[] = {"POCL_DEVICES=pthread pthread", "ASAN_OPTIONS=detect_leaks=0:exitcode=99", NULL};
    static const char *const policies[] = {"random", "round-robin"};
    for (int i = 0; i < 2; i++) {
        char *pol = (char *)policies[i];
        cli_result cpu = SIM("--simulate", pol, "-e", "cpu", "-f", "csv", "-q");
        cli_result cl = SIM("--simulate", pol, "-e", "opencl", "-f", "csv", "-q");
        cli_result split = cli_run_env(NULL, two, (char *const[]){
            "-h", "10", "-p", "4", "-g", "20", "--trajectories", "40", "--ticks", "3000", "--seed",
            "5", "--simulate", pol, "-d", "all", "-f", "json", "-q", NULL});
        cli_result split_csv = cli_run_env(NULL, two, (char *const[]){
            "-h", "10", "-p", "4", "-g", "20", "--trajectories", "40", "--ticks", "3000", "--seed",
            "5", "--simulate", pol, "-d", "all", "-f", "csv", "-q", NULL});
        cr_assert_eq(cpu.status, 0, "%s", cpu.err);
        cr_assert_eq(cl.status, 0, "%s", cl.err);
        cr_assert_eq(split.status, 0, "%s", split.err);
        cr_assert(strstr(split.out, " + "), "two devices ran: %s", split.out);
        cr_assert_str_eq(cpu.out, cl.out);
        cr_assert_str_eq(cpu.out, split_csv.out);
        cli_free(&cpu);
        cli_free(&cl);
        cli_free(&split);
        cli_free(&split_csv);
    }
}

/* Bad input about -h 10 -p 4: cli_refused's contract. */
#define REFUSED(needle, ...) \
    cli_refused(needle, (char *const[]){"-h", "10", "-p", "4", __VA_ARGS__, NULL})

Test(cli_simulate, bad_input_exits_2)
{
    REFUSED("expected random, first-fit", "-g", "20", "--simulate", "greedy");
    REFUSED("above 0", "-g", "20", "--simulate", "random", "--load", "0");
    REFUSED("above 0", "-g", "20", "--simulate", "random", "--load", "0.000");
    REFUSED("'-1'", "-g", "20", "--simulate", "random", "--load", "-1");
    REFUSED("'abc'", "-g", "20", "--simulate", "random", "--load", "abc");
    REFUSED("'1e3'", "-g", "20", "--simulate", "random", "--load", "1e3");
    REFUSED("'nan'", "-g", "20", "--simulate", "random", "--load", "nan");
    REFUSED("--ticks must be at least 1", "-g", "20", "--simulate", "random", "--ticks", "0");
    REFUSED("--trajectories must be at least 1", "-g", "20", "--simulate", "random",
            "--trajectories", "0");
    REFUSED("overflows a 64-bit", "-g", "20", "--simulate", "random", "--seed",
            "18446744073709551616");
    REFUSED("--skip/--limit", "-g", "20", "--simulate", "random", "--skip", "5");
    REFUSED("--skip/--limit", "-g", "20", "--simulate", "random", "--limit", "5");
    REFUSED("--engine exact does not simulate", "-g", "20", "--simulate", "random", "-e",
            "exact");
    REFUSED("needs --simulate", "-g", "20", "--load", "20");
    REFUSED("needs --simulate", "-g", "20", "--seed", "1");
    REFUSED("needs --guests (-g), --load", "--simulate", "random");
    REFUSED("offers no load", "-g", "0", "--simulate", "first-fit");
    REFUSED("--model", "-g", "20", "--simulate", "random", "-m", "slots");
    REFUSED("--verify", "-g", "20", "--simulate", "random", "--verify");
    REFUSED("1 to 1024 hosts", "-g", "20", "--simulate", "random", "-h", "2000");
    CLI_REFUSED("'--simulate' means nothing to merge", "merge", "a.json", "--simulate", "random");
    CLI_REFUSED("'--seed' means nothing to merge", "merge", "a.json", "--seed", "3");
}

/* The largest seed is taken; a run never seen at g is an error, not a report. */
Test(cli_simulate, edge_values)
{
    cli_result r = SIM("--simulate", "worst-fit", "-q", "--seed", "18446744073709551615",
                       "-e", "cpu");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "seed [18446744073709551615]"), "%s", r.out);
    cli_free(&r);
    r = cli_run("-h", "10", "-p", "4", "-g", "40", "--load", "1", "--simulate", "random",
                "--trajectories", "2", "--ticks", "10", "-e", "cpu");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "never held exactly 40 guests"), "%s", r.err);
    cli_free(&r);
}

/* -e cpu uses no device: a one-line note, the CSV unchanged but for the
 * cost columns a simulation's CSV now carries (4 hosts * 100 W: 400 W,
 * 3504 kWh, 350.40 a year at 0.1), with the kWh its text now shows too. */
Test(cli_simulate, options_that_do_nothing_say_so)
{
    cli_result plain = cli_run("-h", "4", "-p", "2", "-g", "3", "--simulate", "first-fit",
                               "--trajectories", "4", "--ticks", "100", "-e", "cpu", "-f", "csv");
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "--simulate", "first-fit",
                           "--trajectories", "4", "--ticks", "100", "-e", "cpu", "-f", "csv",
                           "--watts", "100", "--price", "0.1", "-d", "0:0");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(cli_count_lines(r.err), 1, "one note: %s", r.err);
    cr_assert(strstr(r.err, "--device"), "%s", r.err);
    cr_assert(strstr(r.out, ",expected_yearly_saving\n"), "%s", r.out);
    cr_assert(strstr(r.out, ",100,400,0,0.1,$,1,3504,"), "%s", r.out);
    cr_assert_eq(cli_count_lines(r.out), cli_count_lines(plain.out));
    cli_free(&r);
    r = cli_run("-h", "4", "-p", "2", "-g", "3", "--simulate", "first-fit", "--trajectories",
                "4", "--ticks", "100", "-e", "cpu", "--watts", "100", "--price", "0.1");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "costs [$350.40] per year ([3504] kWh);"), "%s", r.out);
    cr_assert(strstr(r.out, "] kWh).\n"), "%s", r.out);
    cli_free(&r);
    cli_free(&plain);
}
