/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json_lex.c -- the JSON reader's lexical layer: whitespace, strings with their escapes decoded, numbers read exactly. */
#include "slice/pn_json_lex.h"
#include "slice/pn_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Formats the message and " at byte offset" into err; returns PN_ERR_USAGE. */
static pn_status vfail_at(pn_error *err, size_t offset, const char *fmt, va_list ap)
{
    char what[256];
    vsnprintf(what, sizeof what, fmt, ap);
    return pn_fail(err, PN_ERR_USAGE, "%s at byte %zu", what, offset);
}

pn_status pn_json_fail_at(pn_error *err, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pn_status st = vfail_at(err, offset, fmt, ap);
    va_end(ap);
    return st;
}

pn_status pn_json_lex_fail(pn_json_cursor *in, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pn_status st = vfail_at(in->err, in->pos, fmt, ap);
    va_end(ap);
    return st;
}

void pn_json_lex_skip_ws(pn_json_cursor *in)
{
    while (in->pos < in->len) {
        char c = in->text[in->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        in->pos++;
    }
}

int pn_json_lex_peek(pn_json_cursor *in)
{
    pn_json_lex_skip_ws(in);
    return in->pos < in->len ? (unsigned char)in->text[in->pos] : -1;
}

pn_status pn_json_lex_expect(pn_json_cursor *in, char c)
{
    if (pn_json_lex_peek(in) != (unsigned char)c)
        return pn_json_lex_fail(in, "expected '%c'", c);
    in->pos++;
    return PN_OK;
}

/* ---- strings ---- */

/* Appends byte c to s. */
static void put(pn_json_sink *s, unsigned c)
{
    if (s->buf && s->n + 1 < s->cap)
        s->buf[s->n] = (char)c;
    s->n++;
}

/* Code point v as UTF-8; a lone surrogate gets the same three-byte form. */
static void put_utf8(pn_json_sink *s, unsigned v)
{
    if (v < 0x80) {
        put(s, v);
    } else if (v < 0x800) {
        put(s, 0xc0 | v >> 6);
        put(s, 0x80 | (v & 0x3f));
    } else if (v < 0x10000) {
        put(s, 0xe0 | v >> 12);
        put(s, 0x80 | (v >> 6 & 0x3f));
        put(s, 0x80 | (v & 0x3f));
    } else {
        put(s, 0xf0 | v >> 18);
        put(s, 0x80 | (v >> 12 & 0x3f));
        put(s, 0x80 | (v >> 6 & 0x3f));
        put(s, 0x80 | (v & 0x3f));
    }
}

/* Reads the four hex digits of a \u escape into *out; false (nothing
 * consumed) if they are not there. */
static bool read_hex4(pn_json_cursor *in, unsigned *out)
{
    if (in->len - in->pos < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = in->text[in->pos + (size_t)i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v * 16 + d;
    }
    in->pos += 4;
    *out = v;
    return true;
}

/* After a high surrogate hi, consumes a following \u low surrogate if there
 * is one and returns the pair's code point; otherwise hi, nothing consumed. */
static unsigned pair_surrogate(pn_json_cursor *in, unsigned hi)
{
    if (hi < 0xd800 || hi > 0xdbff || in->len - in->pos < 6 || in->text[in->pos] != '\\' ||
        in->text[in->pos + 1] != 'u')
        return hi;
    size_t at = in->pos;
    unsigned lo;
    in->pos += 2;
    if (read_hex4(in, &lo) && lo >= 0xdc00 && lo <= 0xdfff)
        return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
    in->pos = at;
    return hi;
}

/* Decodes one escape after a backslash into s. */
static pn_status read_escape(pn_json_cursor *in, pn_json_sink *s)
{
    static const char FROM[] = "\"\\/bfnrt", TO[] = "\"\\/\b\f\n\r\t";
    if (in->pos >= in->len)
        return pn_json_lex_fail(in, "unterminated string");
    char e = in->text[in->pos];
    const char *hit = e ? strchr(FROM, e) : NULL;
    if (hit) {
        in->pos++;
        put(s, (unsigned char)TO[hit - FROM]);
        return PN_OK;
    }
    if (e != 'u')
        return pn_json_lex_fail(in, "invalid escape in a string");
    in->pos++;
    unsigned v;
    if (!read_hex4(in, &v))
        return pn_json_lex_fail(in, "invalid \\u escape in a string");
    put_utf8(s, pair_surrogate(in, v));
    return PN_OK;
}

/* Reads a string literal starting at its opening quote into s, checking
 * every escape and refusing raw control characters. Other bytes pass as they are. */
pn_status pn_json_lex_string(pn_json_cursor *in, pn_json_sink *s)
{
    in->pos++; /* the opening quote */
    for (;;) {
        if (in->pos >= in->len)
            return pn_json_lex_fail(in, "unterminated string");
        unsigned char c = (unsigned char)in->text[in->pos];
        if (c == '"')
            break;
        if (c < 0x20)
            return pn_json_lex_fail(in, "control character in a string");
        in->pos++;
        if (c != '\\') {
            put(s, c);
            continue;
        }
        pn_status st = read_escape(in, s);
        if (st != PN_OK)
            return st;
    }
    in->pos++; /* the closing quote */
    if (s->buf)
        s->buf[s->n < s->cap ? s->n : s->cap - 1] = '\0';
    return PN_OK;
}

/* ---- numbers ---- */

/* True when the byte at `at` is a decimal digit (false past the end). */
static bool is_digit(const pn_json_cursor *in, size_t at)
{
    return at < in->len && in->text[at] >= '0' && in->text[at] <= '9';
}

/* Consumes a run of decimal digits into *n. One longer than in->max_digits
 * (when set) is refused at its first digit past the bound, so a huge digit
 * string costs no more than the bound to turn down; `part` ("integer",
 * "fraction", "exponent") says which run it was. */
static pn_status read_digits(pn_json_cursor *in, const char *part, size_t *n)
{
    size_t start = in->pos;
    size_t room = in->len - in->pos;
    size_t stop = in->max_digits && in->max_digits < room ? in->pos + in->max_digits : in->len;
    while (in->pos < stop && is_digit(in, in->pos))
        in->pos++;
    *n = in->pos - start;
    if (in->pos < stop || !is_digit(in, in->pos))
        return PN_OK;
    char name[160] = "a number";
    if (in->name)
        in->name(in, name, sizeof name);
    return pn_json_lex_fail(in, "%s: %s too long (more than %zu digits)", name, part,
                            in->max_digits);
}

/* Scans a number by JSON's grammar -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * starting at in->pos. *start and *end bound its integer digits; *plain is
 * true for a non-negative integer with no fraction or exponent. */
pn_status pn_json_lex_number(pn_json_cursor *in, size_t *start, size_t *end, bool *plain)
{
    bool negative = in->pos < in->len && in->text[in->pos] == '-';
    in->pos += negative;
    *start = in->pos;
    size_t digits;
    pn_status st = read_digits(in, "integer", &digits);
    *end = in->pos;
    if (st != PN_OK)
        return st;
    if (digits == 0)
        return pn_json_lex_fail(in, "expected a digit");
    if (digits > 1 && in->text[*start] == '0')
        return pn_json_lex_fail(in, "leading zero in a number");
    bool fraction = in->pos < in->len && in->text[in->pos] == '.';
    if (fraction) {
        in->pos++;
        if ((st = read_digits(in, "fraction", &digits)) != PN_OK)
            return st;
        if (digits == 0)
            return pn_json_lex_fail(in, "expected a digit after '.'");
    }
    bool exponent = in->pos < in->len && (in->text[in->pos] == 'e' || in->text[in->pos] == 'E');
    if (exponent) {
        in->pos++;
        if (in->pos < in->len && (in->text[in->pos] == '+' || in->text[in->pos] == '-'))
            in->pos++;
        if ((st = read_digits(in, "exponent", &digits)) != PN_OK)
            return st;
        if (digits == 0)
            return pn_json_lex_fail(in, "expected a digit in an exponent");
    }
    *plain = !negative && !fraction && !exponent;
    return PN_OK;
}

/* Scans a non-negative integer literal, leaving its digits in [*start, *end).
 * Any other value is a type error naming `what`. */
static pn_status scan_unsigned(pn_json_cursor *in, const char *what, size_t *start, size_t *end)
{
    int c = pn_json_lex_peek(in);
    if (c != '-' && (c < '0' || c > '9'))
        return pn_json_lex_fail(in, "%s must be a non-negative integer", what);
    size_t at = in->pos;
    bool plain;
    pn_status st = pn_json_lex_number(in, start, end, &plain);
    if (st == PN_OK && !plain) {
        in->pos = at;
        return pn_json_lex_fail(in, "%s must be a non-negative integer", what);
    }
    return st;
}

pn_status pn_json_lex_u64(pn_json_cursor *in, const char *what, uint64_t *out)
{
    size_t start, end;
    pn_status st = scan_unsigned(in, what, &start, &end);
    if (st != PN_OK)
        return st;
    uint64_t v = 0;
    for (size_t i = start; i < end; i++) {
        unsigned d = (unsigned)(in->text[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            in->pos = start;
            return pn_json_lex_fail(in, "%s does not fit in 64 bits", what);
        }
        v = v * 10 + d;
    }
    *out = v;
    return PN_OK;
}

pn_status pn_json_lex_mpz(pn_json_cursor *in, const char *what, mpz_t out)
{
    size_t start, end;
    pn_status st = scan_unsigned(in, what, &start, &end);
    if (st != PN_OK)
        return st;
    size_t n = end - start;
    char small[64];
    char *digits = n < sizeof small ? small : malloc(n + 1);
    if (!digits)
        return pn_fail(in->err, PN_ERR_NOMEM, "out of memory for a %zu-digit integer", n);
    memcpy(digits, in->text + start, n);
    digits[n] = '\0';
    int bad = mpz_set_str(out, digits, 10);
    if (digits != small)
        free(digits);
    if (bad) { /* cannot happen: the span holds only digits */
        in->pos = start;
        return pn_json_lex_fail(in, "%s is not a number", what);
    }
    return PN_OK;
}

pn_status pn_json_lex_double(pn_json_cursor *in, const char *what, double *out)
{
    int c = pn_json_lex_peek(in);
    if (c < '0' || c > '9')
        return pn_json_lex_fail(in, "%s must be a non-negative number", what);
    size_t at = in->pos, start, end;
    bool plain;
    pn_status st = pn_json_lex_number(in, &start, &end, &plain);
    if (st != PN_OK)
        return st;
    size_t n = in->pos - at;
    char *text = malloc(n + 1);
    if (!text)
        return pn_fail(in->err, PN_ERR_NOMEM, "out of memory for a %zu-byte number", n);
    memcpy(text, in->text + at, n);
    text[n] = '\0';
    *out = strtod(text, NULL); /* the span is JSON's grammar, which strtod reads whole */
    free(text);
    if (!isfinite(*out)) {
        in->pos = at;
        return pn_json_lex_fail(in, "%s is too large", what);
    }
    return PN_OK;
}

/* ---- literals ---- */

/* Consumes the literal `word` (true, false, null) or fails. */
pn_status pn_json_lex_literal(pn_json_cursor *in, const char *word)
{
    size_t n = strlen(word);
    if (in->len - in->pos < n || memcmp(in->text + in->pos, word, n) != 0)
        return pn_json_lex_fail(in, "expected a JSON value");
    in->pos += n;
    return PN_OK;
}

