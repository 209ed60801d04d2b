/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ledger_lock.c -- one run per ledger, and a ledger never rewritten for nothing, through a symlink, past a name limit or a full disk. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "cli_fixture.h"
#include "count_fixture.h"
#include "slice/pn_ledger.h"

static char dir[64];

static void make_dir(void)
{
    strcpy(dir, "/tmp/pn_lock_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[192];
    snprintf(cmd, sizeof cmd, "chmod -R u+w %s; rm -rf %s", dir, dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(ledger_lock, .init = make_dir, .fini = remove_dir, .timeout = 120);

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char *text = cli_slurp(f);
    fclose(f);
    return text;
}

static void sleep_seconds(double s)
{
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&t, NULL);
}

/* The inode at path, 0 when there is none. */
static ino_t inode_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_ino : 0;
}

/* Waits (never a fixed time: a busy machine may take longer) until the
 * inode at path is neither 0 nor `not`: the run has saved its ledger. */
static void wait_for_save(const char *path, ino_t not)
{
    for (unsigned waited = 0; waited < 2400; waited++) {
        ino_t now = inode_of(path);
        if (now != 0 && now != not)
            return;
        sleep_seconds(0.05);
    }
    cr_assert_fail("no save of %s", path);
}

/* The second run is refused at once with exit 2, one line naming the ledger
 * as in use, and leaves its bytes alone. */
static void refused_as_in_use(const char *ledger, char *const *args)
{
    char *before = read_text(ledger);
    cli_result r = cli_run_env(NULL, NULL, args);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cli_assert_usage_shape(r.err, "in use");
    cr_assert(strstr(r.err, ledger), "%s", r.err);
    cr_assert_str_empty(r.out);
    char *after = read_text(ledger);
    cr_assert_str_eq(before, after, "the refused run changed the ledger");
    free(before);
    free(after);
    cli_free(&r);
}

/* Stops a started run with SIGINT: it saves and leaves with 130. */
static void stop(cli_process *p)
{
    kill(p->pid, SIGINT);
    cli_result r = cli_wait(p);
    cr_assert_eq(r.status, 130, "exit %d: %s", r.status, r.err);
    cli_free(&r);
}

/* While a run holds a ledger (a new one, then a restored one), every other
 * run on it is refused: a --restore of it, a second --restore. The last
 * run then finishes it at the exact answer: no work was counted twice. */
Test(ledger_lock, a_second_run_on_a_ledger_is_refused_while_the_first_holds_it)
{
    char ledger[96];
    snprintf(ledger, sizeof ledger, "%s/run.ledger", dir);
    char *const restore[] = {"--restore", ledger, "-e", "cpu", "-q", NULL};
    cli_process first = cli_spawn(NULL, NULL, (char *const[]){"-h", "14", "-p", "4", "-g", "28",
                                                              "-e", "cpu", "--checkpoint", ledger,
                                                              "-q", NULL});
    wait_for_save(ledger, 0);
    refused_as_in_use(ledger, restore);
    stop(&first);

    ino_t saved = inode_of(ledger);
    cli_process second = cli_spawn(NULL, NULL, restore);
    wait_for_save(ledger, saved); /* its first save: it holds the ledger */
    refused_as_in_use(ledger, restore);
    stop(&second);

    cli_result r = cli_run("--restore", ledger, "-e", "cpu", "-q", "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *got = csv_counts(r.out), *want = exact_counts(14, 4, 28, PN_MODEL_UNIFORM, 0,
                                                        6103515625ULL);
    cr_assert_str_eq(got, want);
    free(got);
    free(want);
    cli_free(&r);
}

/* A finished ledger's --restore reads it and reports: the file keeps its
 * bytes (its "engine" too) and its inode (no rename), and a read-only
 * directory is no obstacle. */
Test(ledger_lock, restoring_a_finished_ledger_leaves_it_as_it_was)
{
    char ledger[96];
    snprintf(ledger, sizeof ledger, "%s/done.ledger", dir);
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "--checkpoint", ledger,
                           "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    char *before = read_text(ledger);
    cr_assert(strstr(before, "\"engine\": \"cpu"), "%s", before);
    ino_t ino = inode_of(ledger);
    chmod(dir, 0500); /* root writes anyway: then the bytes and inode tell */
    for (int i = 0; i < 2; i++) {
        r = cli_run("--restore", ledger, "-q", "-f", "csv");
        cr_assert_eq(r.status, 0, "%s", r.err);
        char *got = csv_counts(r.out), *want = exact_counts(4, 2, 3, PN_MODEL_UNIFORM, 0, 81);
        cr_assert_str_eq(got, want);
        free(got);
        free(want);
        cli_free(&r);
        char *after = read_text(ledger);
        cr_assert_str_eq(after, before, "the finished ledger was rewritten");
        cr_assert_eq(inode_of(ledger), ino, "the finished ledger was replaced");
        free(after);
    }
    chmod(dir, 0700);
    free(before);
}

/* A ledger of 6/3/7 with the first 1000 of its 4096 scenarios done, with
 * their exact counts, as a stopped run leaves it; its size in *bytes. */
static void partial_ledger(const char *path, long *bytes)
{
    pn_query q = resolved((pn_query){.hosts = 6, .per_host = 3, .guests = 7});
    pn_ledger l;
    pn_histogram part;
    pn_error err;
    cr_assert_eq(pn_ledger_init(&l, &q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_histogram_init(&part, 6, &err), PN_OK);
    cr_assert_eq(pn_exact_range_count(&q, 0, 1000, &part, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_ledger_add(&l, (pn_range){0, 1000}, &part, &err), PN_OK, "%s", err.msg);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(pn_ledger_write(f, &l, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(fclose(f), 0);
    pn_histogram_clear(&part);
    pn_ledger_clear(&l);
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    *bytes = (long)sb.st_size;
}

/* --restore through a symlink continues the file the link names: the link
 * stays a link, the real file ends up finished. */
Test(ledger_lock, a_restore_through_a_symlink_updates_the_real_file)
{
    char real[96], link_path[96];
    long bytes;
    snprintf(real, sizeof real, "%s/real.ledger", dir);
    snprintf(link_path, sizeof link_path, "%s/link.ledger", dir);
    partial_ledger(real, &bytes);
    cr_assert_eq(symlink("real.ledger", link_path), 0);
    cli_result r = cli_run("--restore", link_path, "-e", "cpu", "-q", "-f", "csv");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *got = csv_counts(r.out), *want = exact_counts(6, 3, 7, PN_MODEL_UNIFORM, 0, 4096);
    cr_assert_str_eq(got, want);
    free(got);
    free(want);
    cli_free(&r);
    struct stat sb;
    cr_assert_eq(lstat(link_path, &sb), 0);
    cr_assert(S_ISLNK(sb.st_mode), "the symlink was replaced by a file");
    char *text = read_text(real);
    cr_assert(strstr(text, "\"ranges\": [[0, 4096]]"), "the real file is not finished: %s", text);
    free(text);
}

/* A ledger name so long that its temporary name ("NAME.tmp.XXXXXX") would
 * pass the file system's limit is refused before any work, exit 2 naming
 * the path, not a failed save naming a temporary file. */
Test(ledger_lock, a_temporary_name_too_long_is_refused_naming_the_path)
{
    char ledger[400];
    int n = snprintf(ledger, sizeof ledger, "%s/", dir);
    memset(ledger + n, 'a', 250);
    ledger[n + 250] = '\0';
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "--checkpoint", ledger);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, ledger) && strstr(r.err, "too long"), "%s", r.err);
    cr_assert_null(strstr(r.err, ".tmp."), "names the path, not a temporary: %s", r.err);
    cr_assert_eq(inode_of(ledger), 0, "nothing written");
    cli_free(&r);
}

/* A save that fails mid-run (the disk full: here a file-size limit just
 * above the ledger as it was, so the final save, which adds the engine's
 * name and the counts, cannot be written) says how much of the run the
 * file still holds and how to go on, and the file still holds it. */
Test(ledger_lock, a_full_disk_during_a_save_says_what_the_ledger_holds_and_how_to_continue)
{
    char ledger[96];
    long bytes;
    snprintf(ledger, sizeof ledger, "%s/part.ledger", dir);
    partial_ledger(ledger, &bytes);
    char *before = read_text(ledger);
    struct rlimit old, small;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = (struct rlimit){.rlim_cur = (rlim_t)bytes, .rlim_max = old.rlim_max};
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    cli_process p = cli_spawn(NULL, NULL, (char *const[]){"--restore", ledger, "-e", "cpu", "-q",
                                                          NULL});
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    cli_result r = cli_wait(&p);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "1000 of 4096 scenarios"), "how much is saved: %s", r.err);
    char hint[160];
    snprintf(hint, sizeof hint, "continue with --restore %s", ledger);
    cr_assert(strstr(r.err, hint), "how to go on: %s", r.err);
    char *after = read_text(ledger);
    cr_assert_str_eq(after, before, "the file holds its last save");
    free(after);
    free(before);
    cli_free(&r);
}

/* --checkpoint-every has a floor of 1 s: shorter intervals spent the run
 * on saves (chunks shrink to a quarter of the interval). */
Test(ledger_lock, a_checkpoint_interval_below_one_second_is_refused)
{
    char ledger[96];
    snprintf(ledger, sizeof ledger, "%s/every.ledger", dir);
    const char *too_short[] = {"0.001", "0.5", "0.999"};
    for (int i = 0; i < 3; i++) {
        cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "--checkpoint",
                               ledger, "--checkpoint-every", (char *)too_short[i]);
        cr_assert_eq(r.status, 2, "'%s': exit %d: %s", too_short[i], r.status, r.err);
        cr_assert(strstr(r.err, "--checkpoint-every") && strstr(r.err, "at least 1"), "%s",
                  r.err);
        cr_assert_eq(inode_of(ledger), 0, "nothing written");
        cli_free(&r);
    }
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "--checkpoint", ledger,
                           "--checkpoint-every", "1", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
}
