/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_json.c -- the generic JSON reader: exact integers, decoded strings, repeated keys, depth and size bounds. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slice/pn_json.h"
#include "file_fixture.h"

/* What one document's top-level members held, as read by `record`. */
typedef struct seen {
    uint64_t u64;  /* the member "u" */
    mpz_t big;     /* the member "z" */
    char str[16];  /* the member "s" */
    size_t str_len;
    pn_json_kind kinds[8]; /* the kind of each member, in order */
    size_t n;
} seen;

/* Reads "u" as a u64, "z" as an mpz, "s" as a string into 16 bytes, and
 * skips anything else, noting each member's kind. */
static pn_status record(pn_json *j, void *ctx, const char *key, size_t len)
{
    seen *s = ctx;
    if (s->n < 8)
        s->kinds[s->n++] = pn_json_peek(j);
    if (len == 1 && key[0] == 'u')
        return pn_json_read_u64(j, "u", &s->u64);
    if (len == 1 && key[0] == 'z')
        return pn_json_read_mpz(j, "z", s->big);
    if (len == 1 && key[0] == 's')
        return pn_json_read_string(j, "s", s->str, sizeof s->str, &s->str_len);
    return pn_json_skip(j);
}

/* Reads text (a C string) with `record` into a fresh s; returns the status. */
static pn_status read_into(const char *text, seen *s, pn_error *err)
{
    memset(s, 0, sizeof *s);
    mpz_init(s->big);
    err->msg[0] = '\0';
    return pn_json_read_document(text, strlen(text), NULL, record, s, err);
}

/* Insists text is refused with exactly `message`. */
static void json_refused(const char *text, const char *message)
{
    seen s;
    pn_error err;
    pn_status st = read_into(text, &s, &err);
    cr_assert_eq(st, PN_ERR_USAGE, "accepted: %s", text);
    cr_assert_str_eq(err.msg, message);
    mpz_clear(s.big);
}

Test(json, integers_are_exact_to_the_last_digit)
{
    seen s;
    pn_error err;
    cr_assert_eq(read_into("{\"u\": 18446744073709551615, \"z\": "
                           "123456789012345678901234567890123456789012345678901234567890123456789}",
                           &s, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(s.u64, UINT64_MAX);
    mpz_t want;
    mpz_init_set_str(want, "123456789012345678901234567890123456789012345678901234567890123456789", 10);
    cr_assert_eq(mpz_cmp(s.big, want), 0);
    mpz_clears(want, s.big, NULL);
    json_refused("{\"u\": 18446744073709551616}", "u does not fit in 64 bits at byte 6");
    json_refused("{\"u\": 1.0}", "u must be a non-negative integer at byte 6");
    json_refused("{\"z\": -1}", "z must be a non-negative integer at byte 6");
    json_refused("{\"z\": 1e3}", "z must be a non-negative integer at byte 6");
    json_refused("{\"z\": 01}", "leading zero in a number at byte 8");
}

Test(json, strings_are_decoded_to_utf8)
{
    seen s;
    pn_error err;
    cr_assert_eq(read_into("{\"s\": \"a\\u00e9\\uD83D\\uDE00\\n\\u0000\\\"z\"}", &s, &err), PN_OK,
                 "%s", err.msg);
    cr_assert_eq(s.str_len, 11);
    cr_assert_eq(memcmp(s.str, "a\xc3\xa9\xf0\x9f\x98\x80\n\0\"z", 11), 0);
    cr_assert_eq(s.str[11], '\0');
    mpz_clear(s.big);
    /* a lone surrogate keeps its three-byte form; too long a string is cut, its length kept */
    cr_assert_eq(read_into("{\"s\": \"\\uDC00x\"}", &s, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(s.str_len, 4);
    cr_assert_eq(memcmp(s.str, "\xed\xb0\x80x", 5), 0);
    mpz_clear(s.big);
    cr_assert_eq(read_into("{\"s\": \"0123456789abcdefXYZ\"}", &s, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(s.str_len, 19);
    cr_assert_str_eq(s.str, "0123456789abcde");
    mpz_clear(s.big);
    json_refused("{\"s\": \"\\uD83D\\u00\"}", "invalid \\u escape in a string at byte 15");
    json_refused("{\"s\": \"a\\qb\"}", "invalid escape in a string at byte 9");
    json_refused("{\"s\": 5}", "s must be a string at byte 6");
}

Test(json, repeated_keys_are_refused_at_any_depth)
{
    json_refused("{\"a\": 1, \"a\": 2}", "duplicate key \"a\" at byte 14");
    json_refused("{\"a\": 1, \"\\u0061\": 2}", "duplicate key \"a\" at byte 19");
    json_refused("{\"x\": [{\"b\": 1}, {\"b\": 1, \"b\": 2}]}", "duplicate key \"x[1].b\" at byte 31");
    json_refused("{\"x\": {\"y\\n\\\"\": {}, \"y\\n\\\"\": 2}}", "duplicate key \"x.y??\" at byte 29");
    json_refused("{\"\xc3\xa9\": 1, \"\\u00e9\": 2}", "duplicate key \"??\" at byte 20");
    seen s;
    pn_error err;
    cr_assert_eq(read_into("{\"a\": {\"a\": 1}, \"b\": {\"a\": [{\"a\": 2}, {\"a\": 3}]}, "
                           "\"a\\u0000\": 0, \"A\": 0}", &s, &err), PN_OK, "%s", err.msg);
    mpz_clear(s.big);
}

Test(json, many_keys_stay_distinct)
{
    size_t n = 20000, cap = n * 24 + 64;
    char *text = malloc(cap);
    size_t used = 0;
    text[used++] = '{';
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, cap - used, "%s\"k%zu\": %zu", i ? ", " : "", i, i);
    snprintf(text + used, cap - used, "}");
    seen s;
    pn_error err;
    cr_assert_eq(read_into(text, &s, &err), PN_OK, "%s", err.msg);
    mpz_clear(s.big);
    snprintf(text + used, cap - used, ", \"k12345\": 0}");
    size_t at = used + strlen(", \"k12345\": ");
    char message[64];
    snprintf(message, sizeof message, "duplicate key \"k12345\" at byte %zu", at);
    json_refused(text, message);
    free(text);
}

/* A document whose member "d" holds `levels` nested arrays. */
static char *nested(int levels)
{
    char *arrays = nested_arrays(levels), *text = malloc((size_t)levels * 2 + 16);
    sprintf(text, "{\"d\": %s}", arrays);
    free(arrays);
    return text;
}

Test(json, depth_and_size_are_bounded)
{
    seen s;
    pn_error err;
    char *ok = nested(PN_JSON_MAX_DEPTH - 1);
    cr_assert_eq(read_into(ok, &s, &err), PN_OK, "%s", err.msg);
    mpz_clear(s.big);
    free(ok);
    char *deep = nested(PN_JSON_MAX_DEPTH);
    json_refused(deep, "nesting deeper than 32 levels at byte 37");
    free(deep);
    /* refused from its length alone: not a byte is read */
    const char tiny[] = "{}";
    cr_assert_eq(pn_json_read_document(tiny, PN_JSON_MAX_BYTES + 1, NULL, record, &s, &err),
                 PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "larger than 268435456 bytes"), "%s", err.msg);
}

Test(json, kinds_and_document_shape)
{
    seen s;
    pn_error err;
    cr_assert_eq(read_into(" {\"a\": {}, \"b\": [], \"s\": \"\", \"u\": 0, \"t\": true, "
                           "\"f\": false, \"n\": null} \r\n\t", &s, &err), PN_OK, "%s", err.msg);
    pn_json_kind want[] = {PN_JSON_OBJECT, PN_JSON_ARRAY, PN_JSON_STRING, PN_JSON_NUMBER,
                           PN_JSON_BOOL, PN_JSON_BOOL, PN_JSON_NULL};
    cr_assert_eq(s.n, 7);
    for (size_t i = 0; i < s.n; i++)
        cr_assert_eq(s.kinds[i], want[i], "member %zu", i);
    mpz_clear(s.big);
    json_refused("[1]", "expected a JSON object at byte 0");
    json_refused("{} {}", "unexpected data after the document at byte 3");
    json_refused("{\"a\": 1,}", "expected a key string at byte 8");
    json_refused("{\"a\": [1 2]}", "expected ',' or ']' at byte 9");
}

/* Reads text with `record` under a max_digits bound; returns the status. */
static pn_status read_bounded(const char *text, size_t max_digits, pn_error *err)
{
    seen s;
    memset(&s, 0, sizeof s);
    mpz_init(s.big);
    err->msg[0] = '\0';
    pn_json_limits limits = {.max_digits = max_digits};
    pn_status st = pn_json_read_document(text, strlen(text), &limits, record, &s, err);
    mpz_clear(s.big);
    return st;
}

/* Insists text is refused under a bound of 5 digits with exactly `message`. */
static void refused_past_5_digits(const char *text, const char *message)
{
    pn_error err;
    cr_assert_eq(read_bounded(text, 5, &err), PN_ERR_USAGE, "accepted: %s", text);
    cr_assert_str_eq(err.msg, message);
}

/* max_digits bounds every run of digits of every number, read or skipped,
 * and the refusal names the value and points at the first digit too many. */
Test(json, digit_runs_are_bounded_when_the_caller_asks)
{
    pn_error err;
    const char *ok = "{\"u\": 12345, \"z\": 99999, \"a\": [-12345.12345e+12345]}";
    cr_assert_eq(read_bounded(ok, 5, &err), PN_OK, "%s", err.msg);
    refused_past_5_digits("{\"u\": 123456}", "u: integer too long (more than 5 digits) at byte 11");
    refused_past_5_digits("{\"z\": 1234567890}",
                          "z: integer too long (more than 5 digits) at byte 11");
    refused_past_5_digits("{\"a\": [1, {\"b\": -123456}]}",
                          "a[1].b: integer too long (more than 5 digits) at byte 22");
    refused_past_5_digits("{\"a\": 1.000001}",
                          "a: fraction too long (more than 5 digits) at byte 13");
    refused_past_5_digits("{\"a\": 1E-000001}",
                          "a: exponent too long (more than 5 digits) at byte 14");
    /* without a bound (NULL limits, or 0) any length is read exactly */
    cr_assert_eq(read_bounded("{\"z\": 1234567890123456789012345678901234567890}", 0, &err),
                 PN_OK, "%s", err.msg);
}

/* Numbers are the shortest of %.15g, %.16g, %.17g that read back exactly:
 * 0.1 (not 0.10000000000000001), 2.4 (not 2.3999999999999999), 1/3 at 16
 * digits, 0.1 + 0.2 at 17 (its 16 digits, 0.3000000000000000, read back as
 * 0.3, another double), and every one reads back to the same double. */
Test(json, numbers_are_the_shortest_that_read_back)
{
    static const struct { double v; const char *want; } cases[] = {
        {0.1, "0.1"}, {2.4, "2.4"}, {100.0 * 115.0 / 190.0, "60.526315789473685"},
        {1.0 / 3.0, "0.3333333333333333"}, {0.1 + 0.2, "0.30000000000000004"}, {0, "0"},
        {1e300, "1e+300"}, {4100000, "4100000"}, {-2.5, "-2.5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[PN_JSON_NUMBER_LEN];
        pn_json_format_number(buf, sizeof buf, cases[i].v);
        cr_assert_str_eq(buf, cases[i].want);
        cr_assert(strtod(buf, NULL) == cases[i].v, "%s", buf);
    }
    char buf[PN_JSON_NUMBER_LEN];
    pn_json_format_number(buf, sizeof buf, NAN);
    cr_assert_str_eq(buf, "null");
}
