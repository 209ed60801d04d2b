/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cli.c -- the built binary end to end: reports, exit statuses, stderr lines, fallbacks. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli_fixture.h"
#include "seed_reports.h"

/* A good run: exit 0, the seed's report on stdout. */
static void assert_report(cli_result *r, const char *want)
{
    cr_assert_eq(r->status, 0, "exit %d, stderr: %s", r->status, r->err);
    cr_assert_str_eq(r->out, want);
}

Test(cli, seed_examples_on_every_engine)
{
    const char *engines[] = {"cpu", "opencl", "exact", "auto"};
    for (size_t i = 0; i < 4; i++) {
        char *e = (char *)engines[i];
        cli_result r = cli_run("-h", "10", "-p", "4", "-g", "20", "--engine", e);
        assert_report(&r, SEED_10_4_20);
        cli_free(&r);
        r = cli_run("-h", "8", "-p", "2", "-g", "4", "-e", e);
        assert_report(&r, SEED_8_2_4);
        cli_free(&r);
        r = cli_run("--hosts", "4", "--guests-per-host", "2", "--guests", "3", "-e", e);
        assert_report(&r, SEED_4_2_3);
        cli_free(&r);
    }
}

/* The default run answers and, with --quiet, says nothing on stderr. */
Test(cli, default_engine_and_quiet)
{
    cli_result r = cli_run("-h", "10", "-p", "4", "-g", "20");
    assert_report(&r, SEED_10_4_20);
    cr_assert(strstr(r.err, "engine"), "auto says which engine answered: %s", r.err);
    cli_free(&r);
    r = cli_run("-h", "10", "-p", "4", "-g", "20", "-q");
    assert_report(&r, SEED_10_4_20);
    cr_assert_str_eq(r.err, "");
    cli_free(&r);
}

/* Bad input: exit 2, nothing on stdout, one line on stderr that names the
 * problem (mentions `needle`), then GNU's line pointing to --help. */
static void assert_usage_error(const char *needle, char *const *args)
{
    cli_result r = cli_run_env(NULL, NULL, args);
    cli_assert_refused(&r, needle);
}
#define USAGE_ERROR(needle, ...) assert_usage_error(needle, (char *const[]){__VA_ARGS__, NULL})

Test(cli, bad_input_exits_2)
{
    USAGE_ERROR("--guests", "-h", "10", "-p", "4");
    USAGE_ERROR("--hosts", "-p", "4", "-g", "1");
    USAGE_ERROR("'2x'", "-h", "2x", "-p", "4", "-g", "1");
    USAGE_ERROR("'1e3'", "-h", "10", "-p", "4", "-g", "1e3");
    USAGE_ERROR("'4.5'", "-h", "10", "-p", "4.5", "-g", "1");
    USAGE_ERROR("''", "-h", "10", "-p", "", "-g", "1");
    USAGE_ERROR("at least 1 host", "-h", "0", "-p", "4", "-g", "0");
    USAGE_ERROR("do not fit", "-h", "10", "-p", "4", "-g", "41");
    USAGE_ERROR("overflow", "-h", "10", "-p", "4", "-g", "184467440737095516160");
    USAGE_ERROR("2^64", "-h", "40", "-p", "4", "-g", "80", "-e", "cpu");
    USAGE_ERROR("2^64", "-h", "40", "-p", "4", "-g", "80", "-e", "opencl");
    USAGE_ERROR("unknown option", "-h", "10", "-p", "4", "-g", "20", "--bogus");
    USAGE_ERROR("unexpected argument", "-h", "10", "-p", "4", "-g", "20", "stray");
    USAGE_ERROR("'warp'", "-h", "10", "-p", "4", "-g", "20", "--engine", "warp");
    USAGE_ERROR("platform", "-h", "4", "-p", "2", "-g", "3", "-e", "opencl", "-d", "7:0");
    USAGE_ERROR("platform #7", "-h", "4", "-p", "2", "-g", "3", "-e", "opencl", "-d", "7:all");
    USAGE_ERROR("bits", "-h", "27", "-p", "4", "-g", "54", "-m", "slots", "-e", "cpu");
}

/* Every usage error has GNU's shape, whatever the command: the problem on
 * one line, then "Try 'powernap_calculator --help' for more information.";
 * no -h/-p/-g synopsis, which was wrong for merge, --fleet and --restore. */
Test(cli, usage_errors_have_the_gnu_shape)
{
    static const char exact[] = "powernap_calculator: merge needs at least one slice file\n"
                                CLI_TRY_HELP;
    cli_result r = cli_run("merge");
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, exact);
    cli_free(&r);
    USAGE_ERROR("merge takes its question from the slice files", "merge", "a.json", "-h", "3");
    USAGE_ERROR("--fleet", "--fleet", "2x", "-g", "1");
    USAGE_ERROR("missing --guests", "--fleet", "2x4");
    USAGE_ERROR("/nonexistent-pn/ledger", "--restore", "/nonexistent-pn/ledger");
}

/* With no OpenCL platform, a slice past the keyspace is refused before an
 * engine is chosen: the usage error alone, no fallback warning before it. */
Test(cli, a_bad_slice_is_refused_before_an_engine_falls_back)
{
    char *env[] = {"OCL_ICD_VENDORS=/nonexistent", NULL};
    cli_result r = cli_run_env(NULL, env, (char *const[]){"-h", "4", "-p", "2", "-g", "3", "--skip", "40", "--limit", "50", NULL});
    cr_assert_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
    cr_assert_str_eq(r.out, "");
    cli_assert_usage_shape(r.err, "runs past the keyspace");
    cli_free(&r);
}

/* merge of a path that names no file, or a directory, is bad input like any
 * other unusable slice: exit 2, one line naming the path. */
Test(cli, merge_of_a_missing_file_or_a_directory_is_bad_input)
{
    USAGE_ERROR("slice /nonexistent-pn/a.json: No such file or directory", "merge", "/nonexistent-pn/a.json");
    USAGE_ERROR("slice /tmp: Is a directory", "merge", "/tmp");
    USAGE_ERROR("slice /tmp/: Is a directory", "merge", "--", "/tmp/");
}

/* Writes the slice [skip, skip+limit) of -h 4 -p 2 -g 3 (JSON) into a new
 * file at path (a mkstemp pattern); limit NULL: to the end. */
static void slice_file(char *path, char *skip, char *limit)
{
    close(mkstemp(path));
    char *args[20] = {"-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "-q", "-f", "json",
                      "--skip", skip};
    if (limit) {
        args[13] = "--limit";
        args[14] = limit;
    }
    cli_result r = cli_run_env(path, NULL, args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
}

/* "merge FILE... -" and "merge -" read a slice from standard input; the
 * sum is the unsliced answer. 3 guests on 4 hosts of 2: 16 count vectors,
 * 12 with a 2 (two hosts empty) and 4 of three 1s (one empty). '-' twice
 * is refused: standard input holds one slice. */
Test(cli, merge_reads_a_slice_from_standard_input)
{
    char first[] = "/tmp/pn-slice-XXXXXX", rest[] = "/tmp/pn-slice-XXXXXX";
    char whole[] = "/tmp/pn-slice-XXXXXX";
    slice_file(first, "0", "40");
    slice_file(rest, "40", NULL);
    slice_file(whole, "0", NULL);
    cli_result r = cli_run_stdin(rest, "merge", first, "-");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "[ 25.0%] likely that [1/4] of your hosts would powernap"), "%s", r.out);
    cr_assert(strstr(r.out, "[ 75.0%] likely that [2/4] of your hosts would powernap"), "%s", r.out);
    cli_free(&r);
    r = cli_run_stdin(whole, "merge", "-", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "[ 75.0%] likely that [2/4] of your hosts would powernap"), "%s", r.out);
    cli_free(&r);
    r = cli_run_stdin(first, "merge", first, "-");
    cli_assert_refused(&r, "slices /tmp/pn-slice-");
    r = cli_run_stdin(first, "merge", "-");
    cli_assert_refused(&r, "scenarios 40..80 are in no slice");
    CLI_REFUSED("merge reads standard input ('-') once", "merge", "-", first, "-");
    unlink(first);
    unlink(rest);
    unlink(whole);
}

/* --checkpoint into a directory that does not exist, or into a path
 * under a file, is bad input naming the directory, before the work; it
 * was exit 1 naming a temporary file after it. */
Test(cli, a_checkpoint_into_a_missing_directory_names_it)
{
    CLI_REFUSED("--checkpoint /nonexistent-pn/runs/a.ledger: the directory /nonexistent-pn/runs "
                "does not exist", "-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "--checkpoint",
                "/nonexistent-pn/runs/a.ledger");
    CLI_REFUSED("--checkpoint nonexistent-pn/a.ledger: the directory nonexistent-pn does not "
                "exist", "-h", "4", "-p", "2", "-g", "3", "--checkpoint", "nonexistent-pn/a.ledger");
    CLI_REFUSED("--checkpoint /dev/null/a.ledger: /dev/null is not a directory",
                "-h", "4", "-p", "2", "-g", "3", "--checkpoint", "/dev/null/a.ledger");
}

/* Options that mean nothing to merge are refused, naming them, before any
 * file is read (--list-devices once listed devices and exited 0). */
Test(cli, merge_refuses_options_it_has_no_use_for)
{
    USAGE_ERROR("'--list-devices' means nothing to merge", "merge", "a.json", "--list-devices");
    USAGE_ERROR("'--verify' means nothing to merge", "merge", "--verify", "a.json");
    USAGE_ERROR("not from option '--model'", "merge", "a.json", "-m", "slots");
}

/* The forms every GNU tool takes answer the same question; a bad one is a usage error. */
Test(cli, gnu_option_forms)
{
    cli_result r = cli_run("-qh", "10", "-p4", "--guests=20", "-ecpu");
    assert_report(&r, SEED_10_4_20);
    cr_assert_str_eq(r.err, "");
    cli_free(&r);
    r = cli_run("--host", "8", "--guests-p", "2", "--guests", "4", "-qe", "exact", "--");
    assert_report(&r, SEED_8_2_4);
    cli_free(&r);
    USAGE_ERROR("'--guest' is ambiguous", "-h", "10", "-p", "4", "--guest", "20");
    USAGE_ERROR("unknown option '-x' in '-qx'", "-qx", "-h", "10", "-p", "4", "-g", "20");
    USAGE_ERROR("unexpected argument 'extra'", "-h", "10", "-p", "4", "-g", "20", "--", "extra");
}

Test(cli, help_and_version)
{
    cli_result r = cli_run("--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "Usage: powernap_calculator -h HOSTS"), "%s", r.out);
    cr_assert_str_eq(r.err, "");
    for (const char *line = r.out; *line;) { /* fits an 80-column terminal */
        size_t len = strcspn(line, "\n");
        cr_assert_leq(len, 80, "%zu columns: %.*s", len, (int)len, line);
        line += len + (line[len] == '\n');
    }
    cr_assert(strstr(r.out, "merge SLICE.json|-"), "merge reads standard input: %s", r.out);
    cr_assert(strstr(r.out, "(- reads it from standard input)"), "--load-curve -: %s", r.out);
    cli_free(&r);
    r = cli_run("--version");
    cr_assert_eq(r.status, 0);
    char want[64];
    snprintf(want, sizeof want, "powernap_calculator %s\n", PN_VERSION); /* from ../VERSION */
    cr_assert(strncmp(r.out, want, strlen(want)) == 0, "first line '%s'", r.out);
    cli_free(&r);
}

/* (p+1)^h exactly: 5^10 = 9765625; 17^1000 has floor(1000 log10 17) + 1 = 1231
 * digits and, since 7^4 ends in 1, its last digit is 1. */
Test(cli, keyspace)
{
    cli_result r = cli_run("--keyspace", "-h", "10", "-p", "4");
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, "9765625\n");
    cli_free(&r);
    r = cli_run("--keyspace", "-h", "1000", "-p", "16");
    cr_assert_eq(r.status, 0);
    cr_assert_eq(strlen(r.out), 1231 + 1);
    cr_assert_eq(r.out[1230], '1', "last digit");
    cli_free(&r);
}

/* The blog's own question under the slots model: 5.3%, not 19.0%. */
Test(cli, slots_model_answers_the_blog_question)
{
    cli_result r = cli_run("-h", "10", "-p", "4", "-g", "20", "--model", "slots", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "The overall expected value is [5.3%] power savings."), "%s", r.out);
    cli_free(&r);
}

Test(cli, energy_cost_of_the_seed)
{
    cli_result r = cli_run("-h", "8", "-p", "2", "-g", "4", "--watts", "80", "--price", "0.10", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strncmp(r.out, SEED_8_2_4, strlen(SEED_8_2_4)) == 0);
    cr_assert(strstr(r.out, "[$560.64] per year"), "%s", r.out);
    cr_assert(strstr(r.out, "[$339.33] per year"), "%s", r.out);
    cli_free(&r);
}

Test(cli, verify_agrees)
{
    cli_result r = cli_run("-h", "9", "-p", "3", "-g", "13", "--verify", "-m", "slots");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "agree"), "%s", r.err);
    cli_free(&r);
    r = cli_run("-h", "9", "-p", "3", "-g", "13", "--verify", "-e", "cpu");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "cpu and exact agree"), "%s", r.err);
    cli_free(&r);
}

Test(cli, a_full_disk_is_a_runtime_failure)
{
    cli_result r = cli_run_env("/dev/full", NULL, (char *const[]){"-h", "4", "-p", "2", "-g", "3", "-e", "cpu", NULL});
    cr_assert_eq(r.status, 1, "exit %d", r.status);
    cr_assert(strstr(r.err, "No space left on device"), "%s", r.err);
    cli_free(&r);
}

/* With no OpenCL platform (ocl-icd reads vendors from an empty directory),
 * the default engine falls back with a warning; --engine opencl fails. */
Test(cli, no_opencl_platform)
{
    char *env[] = {"OCL_ICD_VENDORS=/nonexistent-pn-vendors/", NULL};
    cli_result r = cli_run_env(NULL, env, (char *const[]){"-h", "10", "-p", "4", "-g", "20", NULL});
    assert_report(&r, SEED_10_4_20);
    cr_assert(strstr(r.err, "warning"), "%s", r.err);
    cr_assert(strstr(r.err, "cpu"), "%s", r.err);
    cli_free(&r);
    r = cli_run_env(NULL, env, (char *const[]){"-h", "10", "-p", "4", "-g", "20", "-e", "opencl", NULL});
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    cr_assert(strstr(r.err, "OpenCL"), "%s", r.err);
    cli_free(&r);
}

Test(cli, list_devices)
{
    cli_result r = cli_run("--list-devices");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "Platform #0"), "%s", r.out);
    cr_assert(strstr(r.out, "Device #0"), "%s", r.out);
    cli_free(&r);
}

Test(cli, csv_and_json_on_stdout)
{
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-f", "csv", "-q");
    cr_assert_eq(r.status, 0);
    const char *header = "guests,napping_hosts,hosts,count,probability,savings_percent,"
                         "consolidation_napping_hosts,consolidation_savings_percent\n";
    cr_assert(strncmp(r.out, header, strlen(header)) == 0, "%s", r.out);
    cr_assert_eq(cli_count_lines(r.out), 1 + 5);
    cli_free(&r);
    r = cli_run("-h", "4", "-p", "2", "-g", "3", "-f", "json", "-q", "-e", "exact");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "\"counts\": [0, 4, 12, 0, 0]"), "%s", r.out);
    cr_assert(strstr(r.out, "\"engine\": \"exact\""), "%s", r.out);
    cli_free(&r);
}

/* Writes a run's stdout to path; asserts it succeeded. */
static void run_to_file(const char *path, char *const *args)
{
    cli_result r = cli_run_env(path, NULL, args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
}

/* Three slices run separately and merged give the unsliced report; a
 * missing one is a gap, refused with exit 2. */
Test(cli, slices_merge_into_the_full_report)
{
    char a[] = "/tmp/pn-slice-a-XXXXXX", b[] = "/tmp/pn-slice-b-XXXXXX", c[] = "/tmp/pn-slice-c-XXXXXX";
    close(mkstemp(a));
    close(mkstemp(b));
    close(mkstemp(c));
    /* 5^10 = 9765625 scenarios cut at 1000000 and 4000000 */
    run_to_file(a, (char *const[]){"-h", "10", "-p", "4", "-g", "20", "-f", "json", "-q", "--skip", "0", "--limit", "1000000", NULL});
    run_to_file(b, (char *const[]){"-h", "10", "-p", "4", "-g", "20", "-f", "json", "-q", "-e", "cpu", "--skip", "1000000", "--limit", "3000000", NULL});
    run_to_file(c, (char *const[]){"-h", "10", "-p", "4", "-g", "20", "-f", "json", "-q", "--skip", "4000000", NULL});
    cli_result r = cli_run("merge", c, a, b);
    assert_report(&r, SEED_10_4_20);
    cli_free(&r);
    r = cli_run("merge", a, c);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "1000000..3999999"), "%s", r.err);
    cr_assert_str_eq(r.out, "");
    cli_free(&r);
    r = cli_run("merge", a, a, b, c);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "overlap"), "%s", r.err);
    cli_free(&r);
    unlink(a);
    unlink(b);
    unlink(c);
}

/* POCL can present two devices (POCL_DEVICES="pthread pthread"), so the
 * keyspace really is split: the counts must equal the exact engine's.
 * Under `make sanitize`, LeakSanitizer's exit-time tracer crashes (SIGSEGV in
 * its StopTheWorld thread) whenever two POCL pthread devices exist, whatever
 * our code does; so this one child runs with leak detection off, while
 * AddressSanitizer and UBSan still check it. Ignored by normal builds. */
Test(cli, device_all_splits_over_two_devices)
{
    char *two[] = {"POCL_DEVICES=pthread pthread", "ASAN_OPTIONS=detect_leaks=0:exitcode=99", NULL};
    cli_result list = cli_run_env(NULL, two, (char *const[]){"--list-devices", NULL});
    cr_assert_eq(list.status, 0, "%s", list.err);
    cr_assert(strstr(list.out, "Device #1"), "two devices expected: %s", list.out);
    cli_free(&list);
    cli_result split = cli_run_env(NULL, two, (char *const[]){"-h", "14", "-p", "4", "-g", "27", "-m", "slots", "-e", "opencl", "-d", "all", "-f", "csv", "-q", NULL});
    cli_result exact = cli_run("-h", "14", "-p", "4", "-g", "27", "-m", "slots", "-e", "exact", "-f", "csv", "-q");
    cr_assert_eq(split.status, 0, "%s", split.err);
    cr_assert_eq(exact.status, 0, "%s", exact.err);
    cr_assert_str_eq(split.out, exact.out);
    cli_free(&split);
    cli_free(&exact);
}

/* --device with an engine that uses no OpenCL device: the answer as without
 * it (exit 0, the same report), and one note on stderr naming --device and
 * the engine; nothing under -q; no note where the device is used. */
Test(cli, device_with_cpu_or_exact_says_it_is_ignored)
{
    static const char *const engines[] = {"cpu", "exact"};
    for (int i = 0; i < 2; i++) {
        char *e = (char *)engines[i];
        cli_result plain = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", e);
        cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", e, "-d", "0:0");
        cr_assert_eq(r.status, 0, "%s: %s", e, r.err);
        cr_assert_str_eq(r.out, plain.out, "%s: the same answer", e);
        cr_assert_eq(cli_count_lines(r.err), 1, "%s: one note: %s", e, r.err);
        cr_assert(strstr(r.err, "--device") && strstr(r.err, e) && strstr(r.err, "ignored"),
                  "%s: %s", e, r.err);
        cli_free(&r);
        r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", e, "-d", "0:0", "-q");
        cr_assert_eq(r.status, 0);
        cr_assert_str_empty(r.err, "%s -q: %s", e, r.err);
        cli_free(&r);
        cli_free(&plain);
    }
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "opencl", "-d", "0:0");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(!strstr(r.err, "ignored"), "opencl uses the device: %s", r.err);
    cli_free(&r);
}

/* Every CSV report carries the cost when asked (one guest count's used to
 * drop it silently): the same columns as a sweep's, no note on stderr; the
 * expected saving the same figure as the JSON's. 4 hosts * 100 W at 0.1 a
 * kWh: 350.40 a year. */
Test(cli, every_csv_carries_the_cost)
{
    char *const runs[][16] = {
        {"-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "-f", "csv", "--watts", "100", "--price",
         "0.1", NULL},
        {"-h", "4", "-p", "2", "-g", "all", "-e", "cpu", "-f", "csv", "--watts", "100",
         "--price", "0.1", NULL},
    };
    for (int i = 0; i < 2; i++) {
        cli_result r = cli_run_env(NULL, NULL, runs[i]);
        cr_assert_eq(r.status, 0, "%d: %s", i, r.err);
        cr_assert_str_empty(r.err, "case %d: %s", i, r.err);
        cr_assert(strstr(r.out, ",watts,total_watts,idle_watts,price_per_kwh,currency,year_share,"
                                "yearly_kwh_no_nap,yearly_cost_no_nap,expected_yearly_kwh,"
                                "expected_yearly_saving\n"), "%d: %s", i, r.out);
        cr_assert(strstr(r.out, ",100,400,0,0.1,$,1,3504,"), "%d: %s", i, r.out);
        cli_free(&r);
    }
}

/* A weighted fleet's cost names the whole fleet's power: total_watts is
 * 2 * 100 + 50 = 250 W (JSON used to say "watts": 100, one group's), its
 * per-host watts null (CSV: empty); 250 W * 8760 h = 2190 kWh, 219 a year
 * at 0.1 (report_format/watts_in_plain_decimal checks the text's watts). */
Test(cli, a_fleet_cost_is_the_whole_fleet)
{
    cli_result r = cli_run("--fleet", "2x2@100,1x3@50", "-g", "3", "--price", "0.1", "-e",
                           "cpu", "-q", "-f", "json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"cost\": {\"watts\": null, \"total_watts\": 250, \"idle_watts\": 0, "
                            "\"price_per_kwh\": 0.1, \"currency\": \"$\", \"year_share\": 1, "
                            "\"yearly_kwh_no_nap\": 2190, \"yearly_cost_no_nap\": 219, "), "%s", r.out);
    cli_free(&r);
    r = cli_run("--fleet", "2x2@100,1x3@50", "-g", "3", "--price", "0.1", "-e", "cpu", "-q",
                "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, ",,250,0,0.1,$,1,2190,219,"), "%s", r.out);
    cli_free(&r);
}

/* merge writes the same reports: a single count's CSV from a whole slice
 * (h=4, p=2, g=3: keyspace 3^4 = 81) carries the cost like its JSON. */
Test(cli, merge_csv_carries_the_cost)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/pn-merge-cost-%d.json", (int)getpid());
    cli_result s = cli_run_env(path, NULL, (char *const[]){"-h", "4", "-p", "2", "-g", "3",
                                                           "-e", "cpu", "--skip", "0",
                                                           "--limit", "81", "-f", "json", NULL});
    cr_assert_eq(s.status, 0, "%s", s.err);
    cli_free(&s);
    cli_result csv = cli_run("merge", path, "-f", "csv", "--watts", "100", "--price", "0.1");
    cli_result json = cli_run("merge", path, "-f", "json", "--watts", "100", "--price", "0.1");
    remove(path);
    cr_assert_eq(csv.status, 0, "%s", csv.err);
    cr_assert_str_empty(csv.err, "%s", csv.err);
    cr_assert(strstr(csv.out, ",100,400,0,0.1,$,1,3504,"), "%s", csv.out);
    cr_assert_eq(json.status, 0, "%s", json.err);
    cr_assert_str_empty(json.err, "%s", json.err);
    cr_assert(strstr(json.out, "\"yearly_cost_no_nap\": 350.4"), "%s", json.out);
    cli_free(&csv);
    cli_free(&json);
}
