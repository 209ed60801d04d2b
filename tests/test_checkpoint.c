/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_checkpoint.c -- checkpoint ledgers: stopped runs restored to the exact answer, and every bad ledger refused untouched. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "cli_fixture.h"
#include "count_fixture.h"
#include "engine/pn_engine.h"
#include "engine/pn_exact_range.h"
#include "slice/pn_ledger.h"
#include "slice/pn_slice.h"
#include "base/pn_hash.h"
#include "file_fixture.h"
#include "query_fixture.h"

static char dir[64];

static void make_dir(void)
{
    temp_dir_make(dir, sizeof dir, "ckpt");
}

static void remove_dir(void)
{
    remove_tree(dir);
}

TestSuite(checkpoint, .init = make_dir, .fini = remove_dir, .timeout = 120);

/* dir/name into buf. */
static const char *path_in(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
    return buf;
}

/* A ledger's text once it has saved some finished work. */
#define SAVED_WORK "\"ranges\": [["

/* Starts a checkpointed run, waits until its ledger holds some work (never
 * a fixed time: a busy machine may need longer to build the kernel), stops
 * it with sig, checks it stopped as promised and left a ledger with that
 * work in it; then restores it to the end and returns the whole CSV report. */
static char *stop_and_restore_csv(char *const *args, const char *ledger, int sig,
                                  const char *engine)
{
    cli_process p = cli_spawn(NULL, NULL, args);
    const char *const saved[] = {ledger, SAVED_WORK};
    cli_wait_for(&p, cli_event_file_holds, saved, 120);
    kill(p.pid, sig);
    cli_result r = cli_wait(&p);
    cr_assert_eq(r.status, sig == SIGKILL ? 128 + SIGKILL : 130, "exit %d: %s", r.status, r.err);
    cr_assert_str_empty(r.out, "no report after a stop");
    if (sig != SIGKILL)
        cr_assert(strstr(r.err, "--restore"), "%s", r.err);
    cr_assert_null(strstr(r.err, "would have made"), "it has a ledger: %s", r.err);
    cli_free(&r);
    char *text = read_text(ledger);
    cr_assert(strstr(text, SAVED_WORK) != NULL, "nothing saved before the stop: %s", text);
    free(text);
    r = cli_run("--restore", (char *)ledger, "-e", (char *)engine, "-q", "-f", "csv");
    cr_assert_eq(r.status, 0, "restore: %s", r.err);
    free(r.err);
    return r.out;
}

Test(checkpoint, cpu_run_stopped_by_sigint_restores_to_the_exact_answer)
{
    char ledger[96];
    path_in(ledger, sizeof ledger, "cpu.ledger");
    char *csv = stop_and_restore_csv(
        (char *const[]){"-h", "13", "-p", "4", "-g", "26", "-e", "cpu", "--checkpoint", ledger,
                        "--checkpoint-every", "1", "-q", NULL},
        ledger, SIGINT, "cpu");
    assert_csv_counts_exact(csv, 13, 4, 26, PN_MODEL_UNIFORM, 0, 1220703125);
    free(csv);
}

/* kill -9 gives no chance to save: the ledger holds what the last save
 * held, at most one interval old, and the restore (on another engine)
 * still lands on the exact answer of the slice. */
Test(checkpoint, opencl_slice_killed_restores_to_the_exact_answer)
{
    char ledger[96];
    path_in(ledger, sizeof ledger, "cl.ledger");
    char *csv = stop_and_restore_csv(
        (char *const[]){"-h", "16", "-p", "4", "-g", "32", "-m", "slots", "-e", "opencl",
                        "--skip", "1000000007", "--limit", "40000000000", "--checkpoint",
                        ledger, "--checkpoint-every", "1", "-q", NULL},
        ledger, SIGKILL, "auto");
    assert_csv_counts_exact(csv, 16, 4, 32, PN_MODEL_SLOTS, 1000000007, 40000000000);
    free(csv);
}

/* The whole CSV report of an uninterrupted run of args (NULL-terminated),
 * on the exact engine: what a restored run must print, byte for byte. */
static char *uninterrupted_csv(char *const *args)
{
    char *argv[32];
    int n = 0;
    while (args[n] && n < 24) {
        argv[n] = args[n];
        n++;
    }
    char *const tail[] = {"-e", "exact", "-q", "-f", "csv", NULL};
    for (int i = 0; i < 6; i++)
        argv[n++] = tail[i];
    cli_result r = cli_run_env(NULL, NULL, argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    free(r.err);
    return r.out;
}

/* A fleet and a sweep (every level in each chunk) stopped by Ctrl-C and
 * restored print what one uninterrupted run prints: every count, napping
 * sum and level went through the ledger's document and back. */
static void stopped_question_restores(char *const *question, const char *name)
{
    char ledger[96];
    path_in(ledger, sizeof ledger, name);
    char *args[32];
    int n = 0;
    while (question[n] && n < 20) {
        args[n] = question[n];
        n++;
    }
    char *const run[] = {"-e", "cpu", "--checkpoint", ledger, "--checkpoint-every", "1", "-q",
                         NULL};
    for (int i = 0; run[i]; i++)
        args[n++] = run[i];
    args[n] = NULL;
    char *got = stop_and_restore_csv(args, ledger, SIGINT, "cpu");
    char *want = uninterrupted_csv(question);
    cr_assert_str_eq(got, want, "%s", name);
    free(got);
    free(want);
}

Test(checkpoint, fleet_stopped_by_sigint_restores_to_the_uninterrupted_report)
{
    stopped_question_restores((char *const[]){"--fleet", "10x4,2x16", "-g", "20", NULL},
                              "fleet.ledger");
}

Test(checkpoint, sweep_stopped_by_sigint_restores_to_the_uninterrupted_report)
{
    stopped_question_restores((char *const[]){"-h", "13", "-p", "4", "-g", "20:30", NULL},
                              "sweep.ledger");
}

/* A finished ledger for the refusals below: 4/2/3 over [0, 81). */
static void finished_ledger(const char *ledger)
{
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "--checkpoint",
                           (char *)ledger, "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
}

/* The run is refused with exit 2 and one line holding `what`, and the
 * ledger's bytes are as they were. */
static void refused_untouched(const char *ledger, const char *what, char *const *args)
{
    char *before = read_text(ledger);
    cli_result r = cli_run_env(NULL, NULL, args);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cli_assert_usage_shape(r.err, what);
    char *after = read_text(ledger);
    cr_assert_str_eq(before, after, "the ledger changed");
    free(before);
    free(after);
    cli_free(&r);
}

Test(checkpoint, refuses_to_overwrite_and_conflicting_parameters)
{
    char ledger[96];
    path_in(ledger, sizeof ledger, "done.ledger");
    finished_ledger(ledger);
    refused_untouched(ledger, "--restore",
                      (char *const[]){"-h", "4", "-p", "2", "-g", "3", "--checkpoint", ledger, NULL});
    refused_untouched(ledger, "conflicts",
                      (char *const[]){"--restore", ledger, "-h", "5", NULL});
    refused_untouched(ledger, "conflicts",
                      (char *const[]){"--restore", ledger, "-m", "slots", NULL});
    refused_untouched(ledger, "conflicts",
                      (char *const[]){"--restore", ledger, "--skip", "3", NULL});
    /* the same values are no conflict */
    cli_result r = cli_run("--restore", ledger, "-h", "4", "-g", "3", "-q", "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "1,4,4,") && strstr(r.out, "2,4,12,"), "%s", r.out);
    cli_free(&r);
}

/* Replaces the first `from` by `to` in the file, and with fix_checksum
 * recomputes the checksum, as a forger who read pn_ledger_write would. */
static void edit_ledger(const char *ledger, const char *from, const char *to, bool fix_checksum)
{
    char *text = read_text(ledger), *out = text_replaced(text, from, to);
    if (fix_checksum) {
        char *line = strstr(out, "  \"checksum\": \"sha256:");
        cr_assert_not_null(line);
        unsigned char d[PN_SHA256_BYTES];
        pn_sha256(out, (size_t)(line - out), d);
        char hex[PN_SHA256_HEX];
        pn_sha256_hex(d, hex);
        memcpy(line + strlen("  \"checksum\": \"sha256:"), hex, 2 * PN_SHA256_BYTES);
    }
    write_text(ledger, out);
    free(out);
    free(text);
}

Test(checkpoint, refuses_damaged_forged_and_foreign_ledgers_untouched)
{
    char ledger[96];
    path_in(ledger, sizeof ledger, "bad.ledger");
    char *const restore[] = {"--restore", ledger, NULL};

    finished_ledger(ledger);
    edit_ledger(ledger, "[0, 4, 12, 0, 0]", "[0, 5, 12, 0, 0]", false);
    refused_untouched(ledger, "checksum", restore);

    finished_ledger(ledger + 0 * unlink(ledger));
    edit_ledger(ledger, "[0, 4, 12, 0, 0]", "[0, 5, 11, 0, 0]", true);
    refused_untouched(ledger, "could not belong to its ranges", restore);

    unlink(ledger);
    finished_ledger(ledger);
    edit_ledger(ledger, "\"tool_version\": \"", "\"tool_version\": \"0.", true);
    refused_untouched(ledger, "written by powernap_calculator 0.", restore);

    unlink(ledger);
    finished_ledger(ledger);
    char *text = read_text(ledger);
    char *fp = strstr(text, "\"fingerprint\": \"") + strlen("\"fingerprint\": \"");
    char was[2] = {fp[0], 0}, now[2] = {fp[0] == 'a' ? 'b' : 'a', 0};
    char from[40], to[40];
    snprintf(from, sizeof from, "\"fingerprint\": \"%s", was);
    snprintf(to, sizeof to, "\"fingerprint\": \"%s", now);
    free(text);
    edit_ledger(ledger, from, to, true);
    refused_untouched(ledger, "fingerprint", restore);

    /* cut short anywhere */
    unlink(ledger);
    finished_ledger(ledger);
    char *whole = read_text(ledger);
    for (size_t cut = 0; cut + 1 < strlen(whole); cut += 37) {
        char *part = strndup(whole, cut);
        write_text(ledger, part);
        refused_untouched(ledger, "ledger", restore);
        free(part);
    }
    free(whole);
}

/* A weighted fleet swept over every load: the fleet and guests typed beside
 * --restore pass when they are the ledger's and are refused when not; its
 * cost takes the groups' watts, as the run's did; a napping sum or a count
 * edited (checksum and all) is refused, the ledger untouched. */
Test(checkpoint, fleet_and_sweep_ledgers_refuse_conflicts_and_forgeries)
{
    char ledger[96];
    path_in(ledger, sizeof ledger, "fleet.ledger");
    cli_result r = cli_run("--fleet", "3x2@80,2x4@120", "-g", "all", "-e", "cpu", "--checkpoint",
                           ledger, "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    refused_untouched(ledger, "-g 3 conflicts",
                      (char *const[]){"--restore", ledger, "-g", "3", NULL});
    refused_untouched(ledger, "-g 0:13 conflicts",
                      (char *const[]){"--restore", ledger, "-g", "0:13", NULL});
    refused_untouched(ledger, "--fleet conflicts",
                      (char *const[]){"--restore", ledger, "--fleet", "3x2,2x5", NULL});
    refused_untouched(ledger, "--fleet conflicts",
                      (char *const[]){"--restore", ledger, "--fleet", "3x2@80,2x4@100", NULL});
    r = cli_run("--restore", ledger, "--fleet", "3x2,2x4", "-g", "all", "--price", "0.1", "-q",
                "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *want = uninterrupted_csv((char *const[]){"--fleet", "3x2@80,2x4@120", "-g", "all",
                                                   "--price", "0.1", NULL});
    cr_assert_str_eq(r.out, want);
    free(want);
    cli_free(&r);

    char *const restore[] = {"--restore", ledger, NULL};
    char *whole = read_text(ledger);
    pn_slice s;
    pn_error err;
    cr_assert_eq(pn_slice_parse(whole, strlen(whole), &s, &err), PN_OK, "%s", err.msg);
    cr_assert(s.is_ledger && s.query.per_host_bases && s.query.levels.n == 15);
    pn_slice_clear(&s);
    for (size_t cut = 0; cut < strlen(whole); cut += 3) /* cut short anywhere: refused */
        cr_assert_eq(pn_slice_parse(whole, cut, &s, &err), PN_ERR_USAGE, "cut at %zu", cut);
    edit_ledger(ledger, "[0, 0, 0, 0, 0, 3],", "[0, 0, 0, 0, 0, 2],", true);
    refused_untouched(ledger, "do not add up", restore);
    write_text(ledger, whole);
    edit_ledger(ledger, "[0, 0, 0, 0, 0, 3],\n    [0, 0, 0, 0, 0, 2]",
                "[0, 0, 0, 0, 0, 2],\n    [0, 0, 0, 0, 0, 3]", true);
    refused_untouched(ledger, "more than group 2's hosts can nap", restore);
    free(whole);

    path_in(ledger, sizeof ledger, "sweep.ledger");
    r = cli_run("-h", "4", "-p", "2", "-g", "2:3", "-e", "cpu", "--checkpoint", ledger, "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    edit_ledger(ledger, "[0, 0, 6, 4, 0]", "[0, 0, 7, 3, 0]", true);
    refused_untouched(ledger, "counts[0][2] is not what the ledger's 1 ranges hold", restore);
}

/* A load curve's ledger keeps the curve's file and hours: --restore prints
 * what the run printed (the hours, the weighted savings, the yearly cost)
 * without the file, which may have changed since. */
Test(checkpoint, a_load_curve_ledger_restores_its_hours_and_file)
{
    char ledger[96], curve[96];
    path_in(ledger, sizeof ledger, "curve.ledger");
    path_in(curve, sizeof curve, "day.csv");
    write_text(curve, "hours,guests\n8,5\n0.1,12\n10,20\n6,12\n");
    char *const question[] = {"-h", "10", "-p", "4", "--load-curve", curve, "--price", "0.1",
                              "--watts", "150", NULL};
    char *want = uninterrupted_csv(question);
    cli_result r = cli_run("-h", "10", "-p", "4", "--load-curve", curve, "-e", "cpu",
                           "--checkpoint", ledger, "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    write_text(curve, "hours,guests\n1,1\n");
    r = cli_run("--restore", ledger, "--price", "0.1", "--watts", "150", "-q", "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, want);
    cli_free(&r);
    free(want);
    refused_untouched(ledger, "whose run has --load-curve",
                      (char *const[]){"--restore", ledger, "-g", "12", NULL});
}

/* A one-group fleet's @WATTS stay in its ledger and its slices: a restore
 * costs the run as the run itself does (10 hosts x 80 W x 8760
 * h x $0.10/kWh = $700.80 a year), with no --watts typed again; a slice
 * states them as a mixed fleet's do. */
Test(checkpoint, a_one_group_fleet_keeps_its_watts_in_ledgers_and_slices)
{
    char ledger[96], slice[96];
    path_in(ledger, sizeof ledger, "watts.ledger");
    path_in(slice, sizeof slice, "watts.json");
    cli_result direct = cli_run("--fleet", "10x4@80", "-g", "20", "-e", "cpu", "--price", "0.1",
                                "-q");
    cr_assert_eq(direct.status, 0, "%s", direct.err);
    cr_assert(strstr(direct.out, "costs [$700.80] per year"), "%s", direct.out);
    cli_result r = cli_run("--fleet", "10x4@80", "-g", "20", "-e", "cpu", "--checkpoint", ledger,
                           "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    r = cli_run("--restore", ledger, "--price", "0.1", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, direct.out);
    cli_free(&r);
    r = cli_run_env(slice, NULL, (char *const[]){"--fleet", "10x4@80", "-g", "20", "-e", "cpu",
                                                 "--skip", "0", "-f", "json", "-q", NULL});
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    char *text = read_text(slice);
    cr_assert(strstr(text, "\"fleet\": [{\"count\": 10, \"capacity\": 4, \"watts\": 80}]"), "%s",
              text);
    free(text);
    cli_free(&direct);
}

Test(checkpoint, refuses_bad_options_and_files_writing_nothing)
{
    char ledger[96], cmd[160];
    path_in(ledger, sizeof ledger, "never.ledger");
    const char *bad_every[] = {"0", "-1", "x", "1e3", ""};
    for (size_t i = 0; i < sizeof bad_every / sizeof *bad_every; i++) {
        cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "--checkpoint", ledger,
                               "--checkpoint-every", (char *)bad_every[i]);
        cr_assert_eq(r.status, 2, "'%s': %s", bad_every[i], r.err);
        cli_assert_usage_shape(r.err, "--checkpoint-every");
        cli_free(&r);
    }
    const char *bad_file[] = {"/nonexistent/ledger", "/tmp", "/dev/zero"};
    for (size_t i = 0; i < 3; i++) {
        cli_result r = cli_run("--restore", (char *)bad_file[i]);
        cr_assert_eq(r.status, 2, "'%s': %s", bad_file[i], r.err);
        cli_assert_usage_shape(r.err, bad_file[i]);
        cli_free(&r);
    }
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "exact", "--checkpoint", ledger);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cli_free(&r);
    snprintf(cmd, sizeof cmd, "test ! -e %s", ledger);
    cr_assert_eq(system(cmd), 0, "a refused run wrote %s", ledger);
}

/* A ledger is a slice with several ranges: merge takes ledgers and slices
 * together, and names what is missing. */
Test(checkpoint, merge_takes_ledgers_and_slices_together)
{
    char ledger[96], slice[96];
    path_in(ledger, sizeof ledger, "part.ledger");
    path_in(slice, sizeof slice, "rest.json");
    cli_result r = cli_run("-h", "6", "-p", "3", "-g", "7", "-e", "cpu", "--skip", "0", "--limit",
                           "1000", "--checkpoint", ledger, "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    r = cli_run("merge", ledger);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "1000"), "the gap is named: %s", r.err);
    cli_free(&r);
    r = cli_run("-h", "6", "-p", "3", "-g", "7", "-e", "cpu", "--skip", "1000", "-f", "json", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    write_text(slice, r.out);
    cli_free(&r);
    r = cli_run("merge", ledger, slice, "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    assert_csv_counts_exact(r.out, 6, 3, 7, PN_MODEL_UNIFORM, 0, 4096);
    cli_free(&r);
}

/* A ledger of format_version 1 (written before version 3: "tool" without
 * the version) still restores: its text turned back into version 1 and its
 * checksum (sha256 of everything before the checksum line) made again. */
Test(checkpoint, a_version_1_ledger_still_restores)
{
    char dir[64], ledger[96];
    temp_dir_make(dir, sizeof dir, "v1");
    snprintf(ledger, sizeof ledger, "%s/v1.ledger", dir);
    cli_result r = cli_run("-h", "6", "-p", "3", "-g", "7", "-e", "cpu", "--checkpoint", ledger,
                           "-q", "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    edit_file(ledger, "\"format_version\": 3,", "\"format_version\": 1,");
    edit_file(ledger, "\"tool\": \"powernap_calculator " PN_VERSION "\"",
              "\"tool\": \"powernap_calculator\"");
    char *text = read_text(ledger);
    char *line = strstr(text, "  \"checksum\": \"sha256:");
    cr_assert_not_null(line, "%s", text);
    unsigned char d[PN_SHA256_BYTES];
    char hex[PN_SHA256_HEX];
    pn_sha256(text, (size_t)(line - text), d);
    pn_sha256_hex(d, hex);
    memcpy(line + strlen("  \"checksum\": \"sha256:"), hex, PN_SHA256_HEX - 1);
    write_text(ledger, text);
    free(text);
    r = cli_run("--restore", ledger, "-e", "cpu", "-q", "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    assert_csv_counts_exact(r.out, 6, 3, 7, PN_MODEL_UNIFORM, 0, 4096);
    cli_free(&r);
    r = cli_run("--restore", ledger, "-e", "cpu", "-q", "-f", "json");
    cr_assert(strstr(r.out, "\"engine\": \"cpu\""), "a finished ledger names its engine: %s",
              r.out);
    cli_free(&r);
    remove_tree(dir);
}
