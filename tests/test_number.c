/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_number.c -- plain decimal numbers: counts up to 2^64 - 1 and amounts with at most one point, read from exactly len bytes. */
#include <criterion/criterion.h>
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "base/pn_number.h"

/* pn_parse_count of the C string text (its whole length). */
static bool count_of(const char *text, uint64_t *out, bool *overflow)
{
    return pn_parse_count(text, strlen(text), out, overflow);
}

/* Insists text is refused as a count, and says whether it was for overflow. */
static void count_refused(const char *text, size_t len, bool overflow_expected)
{
    uint64_t v = 0;
    bool overflow = !overflow_expected;
    cr_assert_not(pn_parse_count(text, len, &v, &overflow), "'%.*s' accepted as %llu", (int)len,
                  text, (unsigned long long)v);
    cr_assert_eq(overflow, overflow_expected, "'%.*s': overflow %d", (int)len, text, overflow);
}

/* 2^32 = 4294967296, so 2^64 = 4294967296^2 = 18446744073709551616 (by
 * hand: 4294967296 * 4294967296); the largest count is one less. */
Test(number, counts_reach_2_to_the_64_minus_1_and_no_further)
{
    uint64_t v = 0;
    bool overflow = true;
    cr_assert(count_of("18446744073709551615", &v, &overflow));
    cr_assert_eq(v, UINT64_MAX);
    cr_assert_not(overflow);
    count_refused("18446744073709551616", 20, true);
    count_refused("18446744073709551620", 20, true);
    count_refused("99999999999999999999", 20, true);
    count_refused("184467440737095516150", 21, true); /* ten times the largest */
    cr_assert(count_of("18446744073709551614", &v, &overflow));
    cr_assert_eq(v, UINT64_MAX - 1);
}

Test(number, counts_are_digits_only)
{
    uint64_t v = 7;
    bool overflow = true;
    cr_assert(count_of("0", &v, &overflow));
    cr_assert_eq(v, 0);
    cr_assert_not(overflow);
    /* leading zeros are digits too, however many */
    cr_assert(count_of("000000000000000000000000000000042", &v, &overflow));
    cr_assert_eq(v, 42);
    cr_assert_not(overflow);
    static const char *const bad[] = {"", "-1", "+1", " 1", "1 ", "1e3", "1.0", "1.", ".5",
                                      "0x10", "1_000", "\xd9\xa3"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        count_refused(bad[i], strlen(bad[i]), false);
}

/* Exactly len bytes count: what follows them is never read, a NUL among
 * them is not a digit, and no bytes are no number. */
Test(number, counts_read_exactly_len_bytes)
{
    uint64_t v = 0;
    bool overflow = true;
    cr_assert(pn_parse_count("12345", 2, &v, &overflow));
    cr_assert_eq(v, 12);
    cr_assert(pn_parse_count("7x", 1, &v, &overflow));
    cr_assert_eq(v, 7);
    /* 21 digits in the buffer, 20 of them asked for: 2^64 - 1 */
    cr_assert(pn_parse_count("184467440737095516159", 20, &v, &overflow));
    cr_assert_eq(v, UINT64_MAX);
    count_refused("12\0" "3", 4, false);
    count_refused("\0" "1", 2, false);
    count_refused("5", 0, false);
}

/* Insists text (len bytes) is refused as an amount. */
static void amount_refused(const char *text, size_t len)
{
    double v = -1;
    cr_assert_not(pn_parse_amount(text, len, &v), "'%.*s' accepted as %g", (int)len, text, v);
}

/* Insists text (its whole length) reads as want, exactly: the C compiler
 * turned the same decimal into want, a second conversion to compare with. */
static void amount_is(const char *text, double want)
{
    double v = -1;
    cr_assert(pn_parse_amount(text, strlen(text), &v), "'%s' refused", text);
    cr_assert_eq(v, want, "'%s' read as %.17g, want %.17g", text, v, want);
}

Test(number, amounts_with_at_most_one_point)
{
    amount_is("80", 80.0);
    amount_is("0.10", 0.1);
    amount_is("0", 0.0);
    amount_is(".5", 0.5); /* digits after the point suffice */
    amount_is("5.", 5.0); /* and digits before it */
    amount_is("00.500", 0.5);
    amount_is("1234567.125", 1234567.125);
    static const char *const bad[] = {"",    ".",    "1e3", "1E3",  "-1",  "+1",   " 1",
                                      "1 ",  "inf",  "nan", "1.2.3", "..5", "0x10", "1,5",
                                      "5..", "-.5",  "\xd9\xa1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        amount_refused(bad[i], strlen(bad[i]));
}

/* 10^400 is past the largest double (about 1.8 * 10^308): not a finite
 * number, refused; 10^308 still is one. Long texts (past the 64 bytes read
 * on the stack) read as exactly as short ones. */
Test(number, amounts_past_the_largest_double_are_refused)
{
    char big[402];
    big[0] = '1';
    memset(big + 1, '0', 400);
    big[401] = '\0';
    amount_refused(big, 401);
    big[309] = '\0'; /* "1" and 308 zeros */
    amount_is(big, 1e308);
    cr_assert_lt(1e308, DBL_MAX);
    char tiny[120] = "0.";
    memset(tiny + 2, '0', 100);
    strcpy(tiny + 102, "1"); /* 10^-101, 103 bytes */
    amount_is(tiny, 1e-101);
    char sixty_four[65];
    memset(sixty_four, '0', 63);
    sixty_four[63] = '7';
    sixty_four[64] = '\0';
    amount_is(sixty_four, 7.0);
    sixty_four[62] = '.'; /* "000...0.7", 64 bytes */
    amount_is(sixty_four, 0.7);
}

Test(number, amounts_read_exactly_len_bytes)
{
    double v = 0;
    cr_assert(pn_parse_amount("2599", 2, &v));
    cr_assert_eq(v, 25.0);
    cr_assert(pn_parse_amount("0.125e9", 5, &v));
    cr_assert_eq(v, 0.125);
    char long_one[80];
    memset(long_one, '0', 70);
    memcpy(long_one + 70, "3e99999", 8); /* 71 bytes asked for: "000...03" */
    cr_assert(pn_parse_amount(long_one, 71, &v));
    cr_assert_eq(v, 3.0);
    amount_refused("8\0" "0", 3);
    amount_refused("\0", 1);
    amount_refused("5", 0);
}
