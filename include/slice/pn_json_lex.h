/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_json_lex.h -- the JSON reader's lexical layer: a cursor over the text, and its whitespace, strings, numbers and literals. */
#ifndef PN_JSON_LEX_H
#define PN_JSON_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "base/pn_status.h"

/* Only json.c builds on this; everyone else reads JSON through pn_json.h.
 * Every function here checks pos < len before each byte it reads, and every
 * refusal is PN_ERR_USAGE with " at byte N" (pn_json_fail_at), except
 * PN_ERR_NOMEM. */

/* Where we are in the text. */
typedef struct pn_json_cursor {
    const char *text;
    size_t len, pos;
    pn_error *err;
    size_t max_digits; /* the longest run of digits a number may have; 0: no bound */
    /* Writes the name of the value being read ("counts[3]") into buf (cap
     * bytes), for a refusal that must say which value; NULL: "a number". */
    void (*name)(const struct pn_json_cursor *in, char *buf, size_t cap);
} pn_json_cursor;

/* Where a decoded string goes: the bytes that fit into buf (cap bytes with
 * the NUL; buf may be NULL to only check the string), while n counts all. */
typedef struct pn_json_sink {
    char *buf;
    size_t cap, n;
} pn_json_sink;

/* Refuses the text at in->pos with the printf-style message; PN_ERR_USAGE. */
pn_status pn_json_lex_fail(pn_json_cursor *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Skips JSON whitespace (space, tab, CR, LF) and nothing else. */
void pn_json_lex_skip_ws(pn_json_cursor *in);

/* The next byte after whitespace (not consumed), or -1 at the end of the text. */
int pn_json_lex_peek(pn_json_cursor *in);

/* Consumes the byte ch after whitespace, or refuses saying it was expected. */
pn_status pn_json_lex_expect(pn_json_cursor *in, char ch);

/* Reads the string literal whose opening quote is at in->pos into s,
 * decoding escapes to UTF-8 (a surrogate pair to one code point, a lone
 * surrogate to its three-byte form) and refusing a bad escape or a raw
 * control character; other bytes pass as they are. s->buf, when there is
 * one, ends NUL-terminated, cut at s->cap - 1 bytes. */
pn_status pn_json_lex_string(pn_json_cursor *in, pn_json_sink *s);

/* Scans the number at in->pos by JSON's grammar
 * -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; *start and *end bound its
 * integer digits, *plain says it is a non-negative integer (no sign,
 * fraction or exponent). A run of more than in->max_digits digits (when
 * set) is refused at its first digit past the bound, reading no further, as
 * "<name>: integer too long (more than N digits)" (fraction, exponent). */
pn_status pn_json_lex_number(pn_json_cursor *in, size_t *start, size_t *end, bool *plain);

/* A non-negative integer below 2^64, after whitespace, exactly; see pn_json_read_u64. */
pn_status pn_json_lex_u64(pn_json_cursor *in, const char *what, uint64_t *out);

/* A non-negative integer of any length, after whitespace; see pn_json_read_mpz. */
pn_status pn_json_lex_mpz(pn_json_cursor *in, const char *what, mpz_t out);

/* A non-negative number as a double, after whitespace; see pn_json_read_double. */
pn_status pn_json_lex_double(pn_json_cursor *in, const char *what, double *out);

/* Consumes the literal `word` (true, false, null) at in->pos, or refuses. */
pn_status pn_json_lex_literal(pn_json_cursor *in, const char *word);

#endif
