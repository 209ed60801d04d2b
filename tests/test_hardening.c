/* test_hardening.c -- the defects a hostile user found (issue 10), each through the real binary. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli_runner.h"

/* Exit 2, one stderr line naming the problem, nothing on stdout. */
static void refused(cli_result r, const char *what)
{
    cr_assert_eq(r.status, 2, "status %d, stderr: %s", r.status, r.err);
    cr_assert_eq(cli_count_lines(r.err), 1, "stderr: %s", r.err);
    cr_assert(strstr(r.err, what) != NULL, "want '%s' in: %s", what, r.err);
    cr_assert_str_empty(r.out);
    cli_free(&r);
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
