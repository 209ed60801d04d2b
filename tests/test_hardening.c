/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_hardening.c -- the defects a hostile user found (issue 10), each through the real binary. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_fixture.h"

/* r is bad input's refusal naming `what` (cli_assert_refused); frees r. */
static void refused(cli_result r, const char *what)
{
    cli_assert_refused(&r, what);
}

Test(hardening, a_cost_past_the_largest_double_is_refused)
{
    /* 10^305 W, written out: plain numbers only, no exponent */
    char watts[310] = "1";
    memset(watts + 1, '0', 305);
    refused(cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "exact", "-f", "json", "--watts",
                    watts, "--price", "1000"), "too large");
    /* the largest cloud's cost still fits at ordinary figures */
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "exact", "-f", "json",
                           "--watts", "300", "--price", "0.25", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "inf") == NULL && strstr(r.out, "nan") == NULL);
    cli_free(&r);
}

Test(hardening, a_currency_with_control_bytes_or_bad_utf8_is_refused)
{
    char *bad[] = {"\x01$", "E\x1b[31m", "\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80",
                         "a\x7f", "\xc2\x85"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        refused(cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "exact", "--watts", "80",
                        "--price", "0.1", "--currency", bad[i]), "--currency");
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "exact", "--watts", "80",
                           "--price", "0.1", "--currency", "\xe2\x82\xac", "-q");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\xe2\x82\xac") != NULL, "%s", r.out);
    cli_free(&r);
}

Test(hardening, a_value_with_a_newline_keeps_the_error_on_one_line)
{
    refused(cli_run("-h", "4\n", "-p", "2", "-g", "3"), "\\n");
    refused(cli_run("-h", "4", "-p", "2", "-g", "3", "--model", "slots\nfake: line"), "\\n");
}

/* --verify of a slice: the exact side counts the slice's range (a digit DP)
 * instead of refusing after the enumeration. */
Test(hardening, verify_checks_a_slice_against_its_exact_counts)
{
    const char *engines[] = {"cpu", "opencl"};
    for (int e = 0; e < 2; e++) {
        cli_result r = cli_run("-h", "6", "-p", "3", "-g", "7", "-m", "slots", "--skip", "100",
                               "--limit", "2000", "--verify", "-e", (char *)engines[e]);
        cr_assert_eq(r.status, 0, "%s: %s", engines[e], r.err);
        cr_assert(strstr(r.err, "agree on every bin of the slice") != NULL, "%s", r.err);
        cli_free(&r);
    }
}

/* The exact engine estimates its cost first: 10^6 hosts of 2 with 10^6
 * guests would take weeks and far more memory than this machine has. */
Test(hardening, the_exact_engine_refuses_a_run_it_cannot_finish)
{
    refused(cli_run("-h", "1000000", "-p", "2", "-g", "1000000", "-e", "exact"), "--force");
    refused(cli_run("-h", "1000000", "-p", "2", "-g", "1000000"), "--force");
    refused(cli_run("-h", "1000000", "-p", "1000000", "-g", "500000000000", "-e", "exact"),
            "more than 10 years");
}

/* With --force and too little memory, GMP's failed allocation is exit 1 with
 * a message, not abort()'s 134. The address-space limit cannot coexist with
 * AddressSanitizer's shadow memory, so the sanitizer build skips this. */
Test(hardening, an_allocation_failure_in_gmp_is_exit_1)
{
    if (getenv("ASAN_OPTIONS"))
        cr_skip_test("RLIMIT_AS and AddressSanitizer do not mix");
    char errpath[] = "/tmp/pn_oom_XXXXXX";
    int fd = mkstemp(errpath);
    cr_assert(fd >= 0);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {.rlim_cur = 400u << 20, .rlim_max = 400u << 20};
        setrlimit(RLIMIT_AS, &rl);
        dup2(fd, 2);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        execl(cli_binary(), cli_binary(), "-h", "1000000", "-p", "2", "-g", "1000000", "-e",
              "exact", "--force", (char *)NULL);
        _exit(127);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    FILE *f = fdopen(fd, "r");
    rewind(f);
    char *err = cli_slurp(f);
    fclose(f);
    unlink(errpath);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d, stderr: %s", status, err);
    cr_assert(strstr(err, "out of memory") != NULL, "%s", err);
    free(err);
}
