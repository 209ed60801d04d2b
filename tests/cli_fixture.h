/* cli_fixture.h -- runs the built powernap_calculator binary, captures what it printed, and checks the bad-input contract. */
#ifndef PN_TEST_CLI_FIXTURE_H
#define PN_TEST_CLI_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A started binary whose output is still being captured. */
typedef struct cli_process {
    pid_t pid;
    FILE *out, *err;
} cli_process;

/* Starts argv[0] (a path) with the NULL-terminated argv, stdout and stderr
 * captured, stdin from /dev/null. `stdout_path`, when not NULL, replaces
 * stdout (e.g. "/dev/full"). Extra environment as "K=V" strings in env
 * (NULL-terminated, may be NULL). */
static inline cli_process cli_spawn_argv(const char *stdout_path, char *const *env,
                                         char *const *argv)
{
    cli_process p = {.out = tmpfile(), .err = tmpfile()};
    fflush(NULL);
    p.pid = fork();
    if (p.pid == 0) {
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
        FILE *o = stdout_path ? fopen(stdout_path, "w") : p.out;
        dup2(fileno(o), 1);
        dup2(fileno(p.err), 2);
        execv(argv[0], argv);
        _exit(127);
    }
    return p;
}

/* Starts the binary under test with a NULL-terminated argument list (after
 * argv[0]); otherwise as cli_spawn_argv. */
static inline cli_process cli_spawn(const char *stdout_path, char *const *env, char *const *args)
{
    char *argv[64] = {(char *)cli_binary()};
    int n = 1;
    while (args[n - 1] && n < 63) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    return cli_spawn_argv(stdout_path, env, argv);
}

/* Waits for a started binary and collects its exit status and output. */
static inline cli_result cli_wait(cli_process *p)
{
    cli_result r = {0};
    int ws = 0;
    waitpid(p->pid, &ws, 0);
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    r.out = cli_slurp(p->out);
    r.err = cli_slurp(p->err);
    fclose(p->out);
    fclose(p->err);
    return r;
}

/* Runs the binary to the end: cli_spawn, then cli_wait. */
static inline cli_result cli_run_env(const char *stdout_path, char *const *env, char *const *args)
{
    cli_process p = cli_spawn(stdout_path, env, args);
    return cli_wait(&p);
}

#define cli_run(...) cli_run_env(NULL, NULL, (char *const[]){__VA_ARGS__, NULL})

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

/* Bad input's contract: exit 2, nothing on stdout, one line on stderr
 * that names the problem (holds `needle`). Frees r. */
static inline void cli_assert_refused(cli_result *r, const char *needle)
{
    cr_assert_eq(r->status, 2, "exit %d for '%s', stderr: %s", r->status, needle, r->err);
    cr_assert_str_empty(r->out, "no report on bad input");
    cr_assert_eq(cli_count_lines(r->err), 1, "one line: %s", r->err);
    cr_assert(strstr(r->err, needle), "'%s' should mention '%s'", r->err, needle);
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

#endif
