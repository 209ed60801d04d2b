/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_report_format.h -- the pieces every report is written from: the 2009 line, the cost lines, JSON members. */
#ifndef PN_REPORT_FORMAT_H
#define PN_REPORT_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gmp.h>

#include "report/pn_cost.h"
#include "slice/pn_json_keys.h"

/* 100*k/h, the share of the cloud that sleeps when k hosts nap. */
double pn_report_savings_percent(uint64_t k, uint64_t hosts);

/* The 2009 report's first line: "In a cloud with [h] hosts, which can
 * handle [p] guests-per-host, currently running [g] guests,". */
void pn_report_text_cloud(FILE *out, uint64_t hosts, uint64_t per_host, uint64_t guests);

/* The 2009 tool's probability: "<1" for any value under 1%, else "%.1f". */
void pn_report_format_probability(char *buf, size_t len, double pct);

/* A price as written on a bill: two decimals ("0.10"), more only when the
 * user gave more ("0.1234"). */
void pn_report_format_price(char *buf, size_t len, double price);

/* Room for any number pn_report_format_plain writes (DBL_MAX has 309 digits). */
#define PN_REPORT_PLAIN_LEN 352

/* v in plain decimal notation, never an exponent ("4100000", "1234567.5",
 * "0.25"), as watts, hours and prices are shown: the fewest decimals, at
 * most 17, that strtod reads back to v. */
void pn_report_format_plain(char *buf, size_t len, double v);

/* One 2009 line for k of `hosts` hosts napping with probability pct (in
 * percent): "[ 27.5%] likely that [1/10] of your hosts would powernap, for a
 * [10%] power savings", then `suffix` (may be NULL) and a newline. The
 * probability is padded to five characters, "<1" below 1%. */
void pn_report_text_row(FILE *out, double pct, uint64_t k, uint64_t hosts, const char *suffix);

/* A blank line, then "The overall expected value is [19.0%] power savings."
 * with `suffix` (may be NULL) before the period. */
void pn_report_text_expected(FILE *out, double expected_percent, const char *suffix);

/* A JSON string literal: quotes, backslashes and control characters
 * escaped, and every byte that is not part of valid UTF-8 (a file name may
 * hold any bytes) written as \ufffd, the replacement character, so the
 * document stays valid UTF-8 for every parser. */
void pn_report_json_string(FILE *out, const char *s);

/* Counts of more than this many decimal digits are written as JSON strings:
 * Python's json refuses integers past 4300 digits by default. */
#define PN_JSON_COUNT_DIGITS 4000

/* A count as PN_JSON_COUNT_DIGITS allows: a JSON integer, exact, or past
 * that many digits a JSON string of its decimal digits. */
void pn_report_json_count(FILE *out, const mpz_t count);

/* `"name": ` for key k, after lead (a newline and indentation, ", " or nothing). */
void pn_report_json_key(FILE *out, const char *lead, pn_json_key_id k);

/* A top-level integer member and its line end: `  "name": v,`. */
void pn_report_json_u64_member(FILE *out, pn_json_key_id k, uint64_t v);

/* A top-level string member and its line end: `  "name": "s",`. */
void pn_report_json_string_member(FILE *out, pn_json_key_id k, const char *s);

/* A member holding a double, as the shortest text that reads back to it
 * (pn_json_format_number): `"name": v` after lead; a NaN (an unknown value)
 * is written as null. */
void pn_report_json_double_member(FILE *out, const char *lead, pn_json_key_id k, double v);

#endif
