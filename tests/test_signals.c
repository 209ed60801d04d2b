/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_signals.c -- Ctrl-C and SIGTERM during a long run or a merge: the run stops itself, exit 130, no report. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli_fixture.h"
#include "file_fixture.h"

/* Starts the binary with args and extra environment env (NULL-terminated
 * "K=V" strings, may be NULL), its stderr on a terminal so that it draws
 * its progress line; once that line shows `after` scenarios done or more
 * (the engine is counting, its stop handlers installed and its kernels
 * built), sends sig and collects what the run left. The line is the event
 * waited for, never a fixed time: a busy machine only makes the wait
 * longer. */
static cli_result signal_run_env(char *const *env, int sig, unsigned long long after,
                                 char *const *args)
{
    cli_process p = cli_spawn_tty(env, args);
    bool counting = cli_wait_for(&p, cli_event_counted, &after, 100);
    kill(p.pid, sig);
    cli_result r = cli_wait(&p);
    cr_assert(counting, "the progress line never showed %llu done (exit %d): %s", after,
              r.status, r.err);
    return r;
}

static cli_result signal_run(int sig, char *const *args)
{
    return signal_run_env(NULL, sig, 0, args);
}

/* The contract: exit 130, nothing on stdout (no report as if complete), a
 * line saying it was interrupted. How soon it stops is a timing, which
 * make bench (section 8) measures; the product's grace timer ends any run
 * 0.9 s after the signal, so no test here can hang on it. Frees r. */
static void assert_stopped(cli_result *r, const char *what)
{
    cr_assert_eq(r->status, 130, "%s: exit %d, stderr: %s", what, r->status, r->err);
    cr_assert_str_eq(r->out, "", "%s: no report after an interrupt", what);
    cr_assert(strstr(r->err, "interrupted"), "%s: %s", what, r->err);
    cli_free(r);
}

/* 5^17 = 7.6e11 scenarios: minutes on any engine that enumerates here. */
Test(signals, sigint_stops_the_cpu_engine, .timeout = 120)
{
    cli_result r = signal_run(SIGINT, (char *const[]){"-h", "17", "-p", "4", "-g", "34", "-e", "cpu", NULL});
    assert_stopped(&r, "cpu");
}

Test(signals, sigterm_stops_the_opencl_engine, .timeout = 120)
{
    cli_result r = signal_run(SIGTERM, (char *const[]){"-h", "24", "-p", "4", "-g", "48", "-e", "opencl", NULL});
    assert_stopped(&r, "opencl");
}

/* The exact engine's line shows a share, not its internal counts; it
 * enumerates nothing, so no ledger is suggested. */
Test(signals, sigint_stops_the_exact_engine, .timeout = 120)
{
    cli_process p = cli_spawn_tty(NULL, (char *const[]){"-h", "40000", "-p", "4", "-g", "80000",
                                                        "-e", "exact", NULL});
    bool counting = cli_wait_for(&p, cli_event_shown, "Calculating... ", 100);
    kill(p.pid, SIGINT);
    cli_result r = cli_wait(&p);
    cr_assert(counting, "no progress line (exit %d): %s", r.status, r.err);
    cr_assert_null(strstr(r.err, "--checkpoint"), "%s", r.err);
    assert_stopped(&r, "exact");
}

/* The progress counts in the message are real: "after N of M", N past 0
 * since the progress line showed counted work. */
Test(signals, says_how_far_it_got, .timeout = 120)
{
    cli_result r = signal_run(SIGINT, (char *const[]){"-h", "17", "-p", "4", "-g", "34", "-e", "cpu", NULL});
    unsigned long long done = 0, total = 0;
    const char *at = strstr(r.err, "after ");
    cr_assert_not_null(at, "%s", r.err);
    cr_assert_eq(sscanf(at, "after %llu of %llu", &done, &total), 2, "%s", r.err);
    cr_assert_eq(total, 762939453125ULL, "5^17");
    cr_assert(done > 0 && done < total, "%llu of %llu", done, total);
    assert_stopped(&r, "cpu");
}

/* stderr into a file (a log), --status-every 0.2: whole status lines, no
 * carriage return or escape sequence; stopped by Ctrl-C without
 * --checkpoint, the run ends with the hint that one would have made it
 * resumable. The wait is for two status lines, never a time. */
Test(signals, a_log_gets_status_lines_and_the_checkpoint_hint, .timeout = 120)
{
    cli_process p = cli_spawn(NULL, NULL, (char *const[]){"-h", "17", "-p", "4", "-g", "34",
                                                         "-e", "cpu", "--status-every", "0.2",
                                                         NULL});
    int two = 2;
    const void *status[] = {"powernap_calculator: progress: ", &two};
    bool logged = cli_wait_for(&p, cli_event_err_holds, status, 100);
    kill(p.pid, SIGINT);
    cli_result r = cli_wait(&p);
    cr_assert(logged, "no status lines (exit %d): %s", r.status, r.err);
    cr_assert_null(strpbrk(r.err, "\r\033"), "a log gets no terminal control: %s", r.err);
    unsigned long long done = 0, total = 0;
    cr_assert_eq(sscanf(r.err, "powernap_calculator: progress: %*[0-9.]%% (%llu/%llu), ", &done,
                        &total), 2, "%s", r.err);
    cr_assert_eq(total, 762939453125ULL, "5^17");
    cr_assert(strstr(r.err, " scenarios/s, elapsed "), "%s", r.err);
    cr_assert(strstr(r.err, "\npowernap_calculator: note: --checkpoint FILE would have made this "
                            "run resumable"), "%s", r.err);
    assert_stopped(&r, "cpu, logged");
}

/* A whole slice of h=2, p=1, g=1 (keyspace 4): both scenarios nap one host. */
static const char WHOLE_SLICE[] =
    "{\"format_version\": 1, \"tool\": \"powernap_calculator\", \"hosts\": 2, "
    "\"guests_per_host\": 1, \"guests\": 1, \"model\": \"uniform\", \"engine\": \"cpu\", "
    "\"keyspace\": 4, \"slice\": {\"skip\": 0, \"limit\": 4}, \"scenarios\": 2, "
    "\"counts\": [0, 2, 0]}";

/* Opens the FIFO at path to write, waiting (up to 100 s) for a reader:
 * once it succeeds, merge has opened the FIFO, so its stop handlers are
 * installed. */
static int open_writer_when_read(const char *path)
{
    int fd = -1;
    for (double looked = 0; looked < 100; looked += 0.01) {
        fd = open(path, O_WRONLY | O_NONBLOCK);
        if (fd >= 0 || errno != ENXIO)
            break;
        cli_nap(0.01);
    }
    return fd;
}

/* `merge a.json FIFO`, the FIFO open but never written: merge blocks reading
 * it, and sig must still stop it the normal way (not by the grace timer):
 * exit 130, no report, one line saying how far the merge got. */
static void merge_stops_on_a_blocked_read(int sig)
{
    char dir[64], slice[96], fifo[96];
    temp_dir_make(dir, sizeof dir, "merge-signal");
    snprintf(slice, sizeof slice, "%s/a.json", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    write_text(slice, WHOLE_SLICE);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cli_process p = cli_spawn(NULL, NULL, (char *const[]){"merge", slice, fifo, NULL});
    int writer = open_writer_when_read(fifo);
    const long read_call = SYS_read;
    bool reading = writer >= 0 && cli_wait_for(&p, cli_event_in_syscall, &read_call, 100);
    kill(p.pid, sig);
    cli_result r = cli_wait(&p);
    if (writer >= 0)
        close(writer);
    remove_tree(dir);
    cr_assert(writer >= 0, "merge never opened the FIFO: %s", r.err);
    cr_assert(reading, "merge never blocked reading the FIFO: %s", r.err);
    cr_assert_eq(r.status, 130, "exit %d, stderr: %s", r.status, r.err);
    cr_assert(strstr(r.err, "merge interrupted after reading 1 of 2 slice files"), "%s", r.err);
    cr_assert(!strstr(r.err, "could not be stopped sooner"), "the grace timer, not merge: %s",
              r.err);
    cr_assert_eq(cli_count_lines(r.err), 1, "%s", r.err);
    assert_stopped(&r, "merge");
}

Test(signals, sigterm_stops_a_merge_blocked_on_a_fifo, .timeout = 120)
{
    merge_stops_on_a_blocked_read(SIGTERM);
}

Test(signals, sigint_stops_a_merge_blocked_on_a_fifo, .timeout = 120)
{
    merge_stops_on_a_blocked_read(SIGINT);
}

/* POCL's basic device runs a kernel inside clFlush. Timed from after the
 * flush, every chunk looked instant, so chunks grew 4x per launch until one
 * took seconds and a Ctrl-C waited for it (issue 10). The signal goes once
 * 10^11 scenarios are done: a growing chunk in flight then holds about
 * three times that, seconds here, while a chunk timed truly stays a tenth
 * of a second of work, on a busy machine too. The engine itself must stop:
 * its "interrupted after" line, not the grace timer's. The seconds from the
 * signal to the exit are make bench's to measure (section 8). */
Test(signals, sigint_stops_opencl_on_a_device_that_runs_in_flush, .timeout = 120)
{
    char *const env[] = {"POCL_DEVICES=basic", NULL};
    cli_result r = signal_run_env(env, SIGINT, 100000000000ULL,
                                  (char *const[]){"-h", "20", "-p", "4", "-g", "40", "-e",
                                                  "opencl", NULL});
    cr_assert(strstr(r.err, "interrupted after "), "the engine did not stop by itself: %s",
              r.err);
    assert_stopped(&r, "opencl on POCL's basic device");
}

/* What a terminal shows of the line of err that holds needle: the text
 * after that line's last carriage return, less an erase-line sequence
 * (the progress line is drawn as "\r\033[K..."); NULL when no line holds
 * needle. Written into buf. */
static const char *shown_line(const char *err, const char *needle, char *buf, size_t len)
{
    const char *hit = strstr(err, needle);
    if (!hit)
        return NULL;
    const char *start = hit;
    while (start > err && start[-1] != '\n')
        start--;
    const char *end = strchr(hit, '\n');
    size_t n = end ? (size_t)(end - start) : strlen(start);
    if (n > 0 && start[n - 1] == '\r') /* a terminal's "\r\n" */
        n--;
    const char *cr = NULL;
    for (size_t i = 0; i < n; i++)
        if (start[i] == '\r')
            cr = start + i;
    if (cr) {
        n -= (size_t)(cr + 1 - start);
        start = cr + 1;
    }
    if (n >= 3 && strncmp(start, "\033[K", 3) == 0) {
        start += 3;
        n -= 3;
    }
    snprintf(buf, len, "%.*s", (int)n, start);
    return buf;
}

/* Ctrl-C during a simulation once its progress line is drawn: whichever
 * way the run ends (the engine stopping by itself, or the grace timer cut
 * short a step in progress), the note is on a line of its own, the
 * progress line erased first, and it says how far the work got as a
 * share and as "N of M" ticks, N past 0 (the line had shown counted work)
 * and M the trajectories' ticks: 4096 x (2000 + 10^6). */
static void simulate_interrupt_says_how_far(char *engine)
{
    cli_result r = signal_run_env(NULL, SIGINT, 1,
                                  (char *const[]){"-h", "1000", "-p", "16", "-g", "8000",
                                                  "--simulate", "first-fit", "--ticks",
                                                  "1000000", "--burn-in", "2000",
                                                  "--trajectories", "4096", "-e", engine, NULL});
    char line[512];
    cr_assert_not_null(shown_line(r.err, "interrupted", line, sizeof line), "%s", r.err);
    cr_assert_eq(strncmp(line, "powernap_calculator: interrupted after ", 39), 0,
                 "%s: not on a clean line: [%s]", engine, line);
    unsigned percent = 0;
    unsigned long long done = 0, total = 0;
    cr_assert_eq(sscanf(line + 39, "%u%% of the work (%llu of %llu ticks", &percent, &done,
                        &total), 3, "%s: [%s]", engine, line);
    cr_assert_eq(total, 4096ULL * (2000 + 1000000), "[%s]", line);
    cr_assert(done > 0 && done < total, "%llu of %llu", done, total);
    cr_assert_eq(percent, (unsigned)(100 * done / total), "[%s]", line);
    assert_stopped(&r, engine);
}

Test(signals, sigint_during_an_opencl_simulation_says_how_far_on_its_own_line, .timeout = 120)
{
    simulate_interrupt_says_how_far("opencl");
}

Test(signals, sigint_during_a_cpu_simulation_says_how_far_on_its_own_line, .timeout = 120)
{
    simulate_interrupt_says_how_far("cpu");
}
