/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_number.h -- plain decimal numbers as the tool's inputs spell them: digits, at most one point, nothing else. */
#ifndef PN_NUMBER_H
#define PN_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses exactly `len` bytes of text as a plain non-negative decimal number
 * ("80", "0.10", ".5"): digits with at most one point, so "1e3", "-1",
 * "inf", "nan" and "" are refused. False also when the value is not a
 * finite double. Never reads past len; no locale is involved. */
bool pn_parse_amount(const char *text, size_t len, double *out);

/* Parses exactly `len` bytes as a plain non-negative decimal integer below
 * 2^64. *overflow says whether it was all digits but too large. */
bool pn_parse_count(const char *text, size_t len, uint64_t *out, bool *overflow);

#endif
