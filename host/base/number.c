/* SPDX-License-Identifier: GPL-3.0-or-later */
/* number.c -- plain decimal numbers from a bounded piece of text (fleet specs, load curves). */
#include "base/pn_number.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Numbers up to this length are copied on the stack. */
#define AMOUNT_MAX 64

/* Digits in text[from, len). */
static size_t digits_at(const char *text, size_t from, size_t len)
{
    size_t n = 0;
    while (from + n < len && text[from + n] >= '0' && text[from + n] <= '9')
        n++;
    return n;
}

bool pn_parse_amount(const char *text, size_t len, double *out)
{
    size_t int_digits = digits_at(text, 0, len), frac_digits = 0, at = int_digits;
    if (at < len && text[at] == '.') {
        frac_digits = digits_at(text, at + 1, len);
        at += 1 + frac_digits;
    }
    if (at != len || int_digits + frac_digits == 0)
        return false;
    /* strtod needs a terminated copy; a long one (a hundred zeros after the
     * point is still a number) goes to the heap */
    char small[AMOUNT_MAX], *copy = len < AMOUNT_MAX ? small : malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, text, len);
    copy[len] = '\0';
    errno = 0;
    double v = strtod(copy, NULL); /* we never call setlocale: '.' is the point */
    bool ok = errno == 0 && isfinite(v);
    if (copy != small)
        free(copy);
    if (!ok)
        return false;
    *out = v;
    return true;
}

bool pn_parse_count(const char *text, size_t len, uint64_t *out, bool *overflow)
{
    *overflow = false;
    if (len == 0 || digits_at(text, 0, len) != len)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++)
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, (uint64_t)(text[i] - '0'), &v)) {
            *overflow = true;
            return false;
        }
    *out = v;
    return true;
}
