/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_fixture.h -- runs the built powernap_calculator binary, waits for what it does (never for a time), captures what it printed, and checks the bad-input contract. */
#ifndef PN_TEST_CLI_FIXTURE_H
#define PN_TEST_CLI_FIXTURE_H

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

/* What one run of the binary produced. */
typedef struct cli_result {
    int status;   /* exit status, or 128+signal */
    char *out;    /* everything on stdout, NUL-terminated */
    char *err;    /* everything on stderr */
} cli_result;

/* The binary under test: $PN_BINARY, else ../powernap_calculator (the tests
 * run from build/, the binary sits at the repository root). */
static inline const char *cli_binary(void)
{
    const char *b = getenv("PN_BINARY");
    return b && *b ? b : "../powernap_calculator";
}

static inline char *cli_slurp(FILE *f)
{
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = calloc((size_t)n + 1, 1);
    if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)
        buf[0] = '\0';
    return buf;
}

/* A started binary whose output is still being captured: stderr in a
 * file, or on a pseudo-terminal (tty >= 0, its master side) whose text so
 * far is `shown`. */
typedef struct cli_process {
    pid_t pid;
    FILE *out, *err;
    int tty;
    char *shown;
    size_t shown_len;
} cli_process;

/* Starts argv[0] (a path) with the NULL-terminated argv, stdout captured
 * and stderr to err_fd, stdin from /dev/null. */
static inline pid_t cli_start(const char *stdout_path, FILE *out, int err_fd, char *const *env,
                              char *const *argv)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; env && env[i]; i++) {
            char kv[512];
            snprintf(kv, sizeof kv, "%s", env[i]);
            char *eq = strchr(kv, '=');
            if (eq) {
                *eq = '\0';
                setenv(kv, eq + 1, 1);
            }
        }
        FILE *in = fopen("/dev/null", "r");
        dup2(fileno(in), 0);
        FILE *o = stdout_path ? fopen(stdout_path, "w") : out;
        dup2(fileno(o), 1);
        dup2(err_fd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Starts argv[0] (a path) with the NULL-terminated argv, stdout and stderr
 * captured, stdin from /dev/null. `stdout_path`, when not NULL, replaces
 * stdout (e.g. "/dev/full"). Extra environment as "K=V" strings in env
 * (NULL-terminated, may be NULL). */
static inline cli_process cli_spawn_argv(const char *stdout_path, char *const *env,
                                         char *const *argv)
{
    cli_process p = {.out = tmpfile(), .err = tmpfile(), .tty = -1};
    p.pid = cli_start(stdout_path, p.out, fileno(p.err), env, argv);
    return p;
}

/* argv[0] and the binary under test's arguments (NULL-terminated) as one
 * argv in `argv` (64 entries). */
static inline void cli_argv(char **argv, char *const *args)
{
    argv[0] = (char *)cli_binary();
    int n = 1;
    while (args[n - 1] && n < 63) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
}

/* Starts the binary under test with a NULL-terminated argument list (after
 * argv[0]); otherwise as cli_spawn_argv. */
static inline cli_process cli_spawn(const char *stdout_path, char *const *env, char *const *args)
{
    char *argv[64];
    cli_argv(argv, args);
    return cli_spawn_argv(stdout_path, env, argv);
}

/* Starts the binary under test like cli_spawn, but with stderr on a
 * pseudo-terminal (200 columns: wide enough that the progress line keeps
 * every field, its counts included; test_terminal.c narrows it), so that
 * it draws its progress line there; the waits below and cli_wait collect
 * what the terminal shows. */
static inline cli_process cli_spawn_tty(char *const *env, char *const *args)
{
    char *argv[64];
    cli_argv(argv, args);
    int slave;
    struct winsize ws = {.ws_row = 24, .ws_col = 200};
    cli_process p = {.out = tmpfile(), .shown = calloc(1, 1)};
    cr_assert_eq(openpty(&p.tty, &slave, NULL, NULL, &ws), 0, "openpty: %s", strerror(errno));
    p.pid = cli_start(NULL, p.out, slave, env, argv);
    close(slave);
    return p;
}

/* Appends what the terminal has to show to p->shown, waiting for it at most
 * timeout_ms (-1: as long as it takes). 1 when something came, 0 when
 * nothing did in time, -1 once the binary has closed the terminal. */
static inline int cli_tty_read(cli_process *p, int timeout_ms)
{
    struct pollfd pfd = {.fd = p->tty, .events = POLLIN};
    int ready = poll(&pfd, 1, timeout_ms);
    if (ready == 0 || (ready < 0 && errno == EINTR))
        return 0;
    char buf[4096];
    ssize_t n = ready > 0 ? read(p->tty, buf, sizeof buf) : -1;
    if (n <= 0)
        return -1; /* EIO: every copy of the other side is closed */
    p->shown = realloc(p->shown, p->shown_len + (size_t)n + 1);
    memcpy(p->shown + p->shown_len, buf, (size_t)n);
    p->shown_len += (size_t)n;
    p->shown[p->shown_len] = '\0';
    return 1;
}

/* Waits for a started binary and collects its exit status and output. */
static inline cli_result cli_wait(cli_process *p)
{
    cli_result r = {0};
    int ws = 0;
    if (p->tty >= 0) {
        while (cli_tty_read(p, -1) >= 0)
            ;
        close(p->tty);
        r.err = p->shown;
    }
    waitpid(p->pid, &ws, 0);
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    r.out = cli_slurp(p->out);
    fclose(p->out);
    if (p->tty < 0) {
        r.err = cli_slurp(p->err);
        fclose(p->err);
    }
    return r;
}

/* Runs the binary to the end: cli_spawn, then cli_wait. */
static inline cli_result cli_run_env(const char *stdout_path, char *const *env, char *const *args)
{
    cli_process p = cli_spawn(stdout_path, env, args);
    return cli_wait(&p);
}

#define cli_run(...) cli_run_env(NULL, NULL, (char *const[]){__VA_ARGS__, NULL})

/* Runs the binary to the end like cli_run, with standard input read from
 * the file in_path (through /bin/sh, which opens it for the binary). */
static inline cli_result cli_run_stdin_argv(const char *in_path, char *const *args)
{
    char env_in[512];
    snprintf(env_in, sizeof env_in, "PN_TEST_STDIN=%s", in_path);
    char *env[] = {env_in, NULL};
    char *argv[64] = {"/bin/sh", "-c", "exec \"$0\" \"$@\" < \"$PN_TEST_STDIN\"",
                      (char *)cli_binary()};
    for (int i = 0; args[i] && i < 59; i++)
        argv[4 + i] = args[i];
    cli_process p = cli_spawn_argv(NULL, env, argv);
    return cli_wait(&p);
}
#define cli_run_stdin(in_path, ...) cli_run_stdin_argv(in_path, (char *const[]){__VA_ARGS__, NULL})

static inline void cli_free(cli_result *r)
{
    free(r->out);
    free(r->err);
}

/* Lines in s (a trailing newline ends the last one). */
static inline int cli_count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The second line of every usage error, as GNU tools write it. */
#define CLI_TRY_HELP "Try 'powernap_calculator --help' for more information.\n"

/* A usage error's shape on stderr (GNU's): "powernap_calculator: what is
 * wrong" on one line, holding `needle` and no synopsis, then CLI_TRY_HELP
 * and nothing else. */
static inline void cli_assert_usage_shape(const char *err, const char *needle)
{
    static const char prefix[] = "powernap_calculator: ";
    cr_assert_eq(cli_count_lines(err), 2, "two lines: %s", err);
    cr_assert_eq(strncmp(err, prefix, sizeof prefix - 1), 0, "named after the program: %s", err);
    const char *second = strchr(err, '\n') + 1;
    cr_assert_str_eq(second, CLI_TRY_HELP, "the hint line: %s", err);
    cr_assert(!strstr(err, "usage:") && !strstr(err, "GUESTS_PER_HOST"), "no synopsis: %s", err);
    const char *found = strstr(err, needle);
    cr_assert(found && found < second, "'%s' should mention '%s' on its first line", err,
              needle);
}

/* Bad input's contract: exit 2, nothing on stdout, the usage error's shape
 * on stderr with the problem (`needle`) on its first line. Frees r. */
static inline void cli_assert_refused(cli_result *r, const char *needle)
{
    cr_assert_eq(r->status, 2, "exit %d for '%s', stderr: %s", r->status, needle, r->err);
    cr_assert_str_empty(r->out, "no report on bad input");
    cli_assert_usage_shape(r->err, needle);
    cli_free(r);
}

/* Runs the binary on args (NULL-terminated) and checks it refuses them as
 * bad input naming `needle`. */
static inline void cli_refused(const char *needle, char *const *args)
{
    cli_result r = cli_run_env(NULL, NULL, args);
    cli_assert_refused(&r, needle);
}
#define CLI_REFUSED(needle, ...) cli_refused(needle, (char *const[]){__VA_ARGS__, NULL})

/* Sleeps s seconds: the pause between two looks while a test waits for
 * something to happen, never a wait for something to have happened. */
static inline void cli_nap(double s)
{
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&t, NULL);
}

/* Whether the started binary has exited; it is not reaped (cli_wait
 * still collects it). */
static inline bool cli_exited(const cli_process *p)
{
    siginfo_t info;
    memset(&info, 0, sizeof info);
    return waitid(P_PID, (id_t)p->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == p->pid;
}

/* Something a running binary is seen to have done (arg says what). */
typedef bool (*cli_event_fn)(cli_process *p, const void *arg);

/* Waits until `seen` says the event happened, looking every 20 ms; false
 * when the binary exited without it, or after `limit` seconds of looking.
 * The limit only ends a hang: a test waits for the event, never for a time,
 * so a busy machine makes it wait longer, not fail. */
static inline bool cli_wait_for(cli_process *p, cli_event_fn seen, const void *arg, double limit)
{
    for (double looked = 0; looked < limit; looked += 0.02) {
        if (seen(p, arg))
            return true;
        if (cli_exited(p))
            return seen(p, arg);
        cli_nap(0.02);
    }
    return seen(p, arg);
}

/* Event: the terminal of a cli_spawn_tty binary has shown the text arg. */
static inline bool cli_event_shown(cli_process *p, const void *arg)
{
    while (cli_tty_read(p, 0) > 0)
        ;
    return strstr(p->shown, arg) != NULL;
}

/* Event: the progress line of a cli_spawn_tty binary ("Calculating... x%
 * (done/total), ...") shows at least *(const unsigned long long *)arg done. */
static inline bool cli_event_counted(cli_process *p, const void *arg)
{
    cli_event_shown(p, "");
    const char *line = NULL;
    for (const char *at = p->shown; (at = strstr(at, "Calculating... ")) != NULL; at++)
        line = at;
    unsigned long long done = 0, total = 0;
    return line && sscanf(line, "Calculating... %*[^(](%llu/%llu)", &done, &total) == 2 &&
           done >= *(const unsigned long long *)arg;
}

/* Event: the stderr of a cli_spawn binary (captured in a file) holds the
 * text arg `count` times or more, arg being {text, &count}. Read with
 * pread, so the binary's own writes keep their offset. */
static inline bool cli_event_err_holds(cli_process *p, const void *arg)
{
    const void *const *what = arg;
    char buf[65536];
    ssize_t n = pread(fileno(p->err), buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    int seen = 0;
    for (const char *at = buf; (at = strstr(at, what[0])) != NULL; at++)
        seen++;
    return seen >= *(const int *)what[1];
}

/* Event: the file whose path is ((const char *const *)arg)[0] holds the
 * text ((const char *const *)arg)[1] (a ledger that has saved work). */
static inline bool cli_event_file_holds(cli_process *p, const void *arg)
{
    (void)p;
    const char *const *what = arg;
    FILE *f = fopen(what[0], "r");
    if (!f)
        return false;
    char *text = cli_slurp(f);
    fclose(f);
    bool holds = text && strstr(text, what[1]);
    free(text);
    return holds;
}

/* Event: the binary's main thread is blocked in the system call whose
 * number is *(const long *)arg (SYS_read: waiting on a pipe nobody writes). */
static inline bool cli_event_in_syscall(cli_process *p, const void *arg)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)p->pid);
    FILE *f = fopen(path, "r");
    long nr = -1;
    if (f) {
        if (fscanf(f, "%ld", &nr) != 1) /* "running" while it runs */
            nr = -1;
        fclose(f);
    }
    return nr == *(const long *)arg;
}

#endif
