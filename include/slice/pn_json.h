/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_json.h -- a strict, bounded JSON reader that hands each member and element to a callback. */
#ifndef PN_JSON_H
#define PN_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gmp.h>

#include "base/pn_status.h"

/* We keep our own reader on purpose: json-c saturates integers above
 * 2^64-1, jansson has no unsigned 64-bit integer (signed 64-bit only),
 * cJSON stores every number as a double, and yajl hands integers over as
 * signed 64-bit or doubles; none of them refuses a duplicate key or bounds
 * the nesting depth. Here an integer is read exactly, into a uint64_t or,
 * of any length, into a GMP mpz_t, straight from its digits.
 *
 * Strict: RFC 8259 and nothing more (no comments, no trailing commas, no
 * byte order mark, no NaN), every escape checked, raw control characters in
 * strings refused, and a key repeated within one object refused. Bounded: a
 * document over PN_JSON_MAX_BYTES, or containers nested deeper than
 * PN_JSON_MAX_DEPTH, are refused, so no input exhausts memory or the stack.
 *
 * Callback style: pn_json_read_document() calls a pn_json_member_fn for each
 * member of the top-level object; that callback reads the value with one
 * pn_json_read_* or pn_json_skip* call (nested objects and arrays through
 * their own callbacks). Every refusal is PN_ERR_USAGE with a message ending
 * "at byte N", N the offset in the text, except PN_ERR_NOMEM. The reader
 * knows no schema: callers name the field in type errors ("hosts must be a
 * non-negative integer"). */

/* Containers nested deeper than this are refused; the top-level object is level 1. */
#define PN_JSON_MAX_DEPTH 32
/* Documents larger than this are refused before reading. */
#define PN_JSON_MAX_BYTES ((size_t)256 << 20)

/* The reader's state, only ever seen through a pointer in a callback. */
typedef struct pn_json pn_json;

/* What the next value is, from its first byte. */
typedef enum pn_json_kind {
    PN_JSON_NONE = 0, /* the end of the text, or a byte no value starts with */
    PN_JSON_OBJECT,
    PN_JSON_ARRAY,
    PN_JSON_STRING,
    PN_JSON_NUMBER,
    PN_JSON_BOOL,
    PN_JSON_NULL
} pn_json_kind;

/* Called for each member of an object, in document order, with the reader at
 * its value, which the callback must consume (read or skip). key is the
 * decoded name (UTF-8, key_len bytes, NUL-terminated, may itself hold NUL),
 * valid until the object ends. Returning anything but PN_OK stops reading. */
typedef pn_status (*pn_json_member_fn)(pn_json *j, void *ctx, const char *key, size_t key_len);

/* Called for each element of an array, index counting from 0; it must
 * consume the element. */
typedef pn_status (*pn_json_element_fn)(pn_json *j, void *ctx, size_t index);

/* Bounds a caller sets on one document, beyond the reader's own
 * (PN_JSON_MAX_BYTES, PN_JSON_MAX_DEPTH), from what its schema can hold. */
typedef struct pn_json_limits {
    /* The longest run of digits a number may have (its integer part, its
     * fraction, its exponent). A longer one is refused at its first digit
     * past the bound, reading no further and allocating nothing, as
     * "<place>: integer too long (more than N digits)", place naming the
     * value ("counts[3]", "rows[0].count"); so a 100 MB digit string is
     * turned down in microseconds. 0: no bound but the document's size. */
    size_t max_digits;
} pn_json_limits;

/* Reads text (len bytes, need not be NUL-terminated), which must be one JSON
 * object with nothing but whitespace around it, calling member for each of
 * its members. limits may be NULL (no bounds but the reader's own). Refuses
 * anything malformed, too large, too deep or past a limit, with the first
 * problem's message in err. */
pn_status pn_json_read_document(const char *text, size_t len, const pn_json_limits *limits,
                                pn_json_member_fn member, void *ctx, pn_error *err);

/* The kind of the next value (skipping whitespace); reads nothing. */
pn_json_kind pn_json_peek(pn_json *j);

/* The byte offset of the next value (skipping whitespace), for messages
 * about it that are given later (pn_json_fail_at). */
size_t pn_json_offset(pn_json *j);

/* Reads an object, calling member for each member; any other value is
 * refused as "<what> must be an object". */
pn_status pn_json_read_object(pn_json *j, const char *what, pn_json_member_fn member,
                              void *ctx);

/* Reads an array, calling element for each element; any other value is
 * refused as "<what> must be an array". */
pn_status pn_json_read_array(pn_json *j, const char *what, pn_json_element_fn element,
                             void *ctx);

/* Reads a non-negative integer below 2^64 into *out, exactly. Any other
 * value (a string, a fraction, an exponent, a minus sign) is refused as
 * "<what> must be a non-negative integer"; 2^64 and above as "<what> does
 * not fit in 64 bits". A malformed number is a syntax error. */
pn_status pn_json_read_u64(pn_json *j, const char *what, uint64_t *out);

/* Reads a non-negative integer of any length (up to the document's
 * max_digits) into out (initialised by the caller), exactly; refuses other
 * values as pn_json_read_u64 does. */
pn_status pn_json_read_mpz(pn_json *j, const char *what, mpz_t out);

/* Reads a non-negative number (an integer, a fraction, an exponent) into
 * *out, the double nearest to it (strtod: we never call setlocale, so '.'
 * is the point), as %.17g wrote it back exactly. Any other value (a string,
 * a minus sign) is refused as "<what> must be a non-negative number"; one
 * past the largest double as "<what> is too large". */
pn_status pn_json_read_double(pn_json *j, const char *what, double *out);

/* Reads a string, decoded to UTF-8 (a lone surrogate escape becomes its
 * three-byte form), into buf of cap >= 1 bytes, cut at cap-1 bytes and
 * NUL-terminated; *len gets the whole decoded length, so *len < cap means
 * it all fit (it may still hold NUL bytes). Other values are refused as
 * "<what> must be a string". */
pn_status pn_json_read_string(pn_json *j, const char *what, char *buf, size_t cap,
                              size_t *len);

/* Writes s as a JSON string literal: quotes, backslashes and control bytes
 * escaped (\u00XX), each byte that is not well-formed UTF-8 as \ufffd,
 * other characters as they are. The one string writer of every document we
 * write (the report's, the question's). */
void pn_json_write_string(FILE *out, const char *s);

/* Room for any number pn_json_format_number writes, its NUL included. */
#define PN_JSON_NUMBER_LEN 32

/* v as the shortest of %.15g, %.16g and %.17g that strtod reads back to v
 * exactly (0.1, not 0.10000000000000001), into buf (PN_JSON_NUMBER_LEN
 * bytes); "null" for a NaN or an infinity, which JSON cannot hold. The one
 * number writer of every JSON and CSV document. */
void pn_json_format_number(char *buf, size_t len, double v);

/* pn_json_format_number's text of v, written to out. */
void pn_json_write_number(FILE *out, double v);

/* Checks and discards the next value, whatever it is. */
pn_status pn_json_skip(pn_json *j);

/* Checks and discards the next value, which must be of `kind` (not NONE):
 * otherwise it is refused as "<what> must be a string" (an object, an array,
 * a number, a boolean, null). */
pn_status pn_json_skip_kind(pn_json *j, pn_json_kind kind, const char *what);

/* Refuses the document at the next value: err gets the printf-style message
 * and " at byte N"; returns PN_ERR_USAGE. For use inside a callback. */
pn_status pn_json_fail(pn_json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same for any offset (from pn_json_offset), usable after reading. */
pn_status pn_json_fail_at(pn_error *err, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The error buffer the reader fills, for a callback's own PN_ERR_NOMEM. */
pn_error *pn_json_error(pn_json *j);

#endif
