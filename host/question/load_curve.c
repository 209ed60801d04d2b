/* SPDX-License-Identifier: GPL-3.0-or-later */
/* load_curve.c -- reading a load curve (hours,guests CSV rows) into the guest levels it visits and the hours at each. */
#include "question/pn_load_curve.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pn_file.h"
#include "base/pn_number.h"

static const char HEADER[] = "hours,guests";
static const char BOM[] = "\xef\xbb\xbf"; /* UTF-8's byte order mark, U+FEFF */

/* Where in the file a problem is: the path, the line and the 1-based column. */
typedef struct place {
    const char *path;
    unsigned line;
} place;

__attribute__((format(printf, 4, 5)))
static pn_status bad_curve(pn_error *err, const place *at, size_t column, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return pn_fail(err, PN_ERR_USAGE, "%s:%u:%zu: %s", at->path, at->line, column, why);
}

/* One row, text[0, len): HOURS,GUESTS, added to lv. */
static pn_status read_row(const char *text, size_t len, const place *at, uint64_t capacity,
                          pn_levels *lv, pn_error *err)
{
    const char *comma = memchr(text, ',', len);
    if (!comma)
        return bad_curve(err, at, len + 1, "expected two fields, hours,guests");
    size_t hours_len = (size_t)(comma - text), guests_at = hours_len + 1;
    size_t guests_len = len - guests_at;
    double hours;
    if (hours_len > 0 && text[0] == '-')
        return bad_curve(err, at, 1, "hours '%.*s' are negative", (int)hours_len, text);
    if (!pn_parse_amount(text, hours_len, &hours))
        return bad_curve(err, at, 1, "hours '%.*s' are not a plain non-negative number",
                         (int)(hours_len > 32 ? 32 : hours_len), text);
    const char *extra = memchr(comma + 1, ',', guests_len);
    if (extra)
        return bad_curve(err, at, (size_t)(extra - text) + 1, "expected two fields, hours,guests");
    uint64_t guests;
    bool overflow;
    if (!pn_parse_count(comma + 1, guests_len, &guests, &overflow))
        return bad_curve(err, at, guests_at + 1, "guests '%.*s' are not a plain non-negative integer",
                         (int)(guests_len > 32 ? 32 : guests_len), comma + 1);
    if (guests > capacity)
        return bad_curve(err, at, guests_at + 1,
                         "%llu guests do not fit in the cloud (at most %llu)",
                         (unsigned long long)guests, (unsigned long long)capacity);
    return pn_levels_add(lv, guests, hours, err);
}

/* What no row or header holds, named as the real cause before a field
 * would be misread around it: a NUL byte (which also ends the text a
 * message quotes), or a byte order mark past the file's start (two files
 * joined, each with its mark). */
static pn_status check_bytes(const char *line, size_t len, const place *at, pn_error *err)
{
    const char *nul = memchr(line, '\0', len);
    if (nul)
        return bad_curve(err, at, (size_t)(nul - line) + 1,
                         "a NUL byte (is this a text file? a UTF-16 export?)");
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(line + i, BOM, 3) == 0)
            return bad_curve(err, at, i + 1, "a UTF-8 byte order mark (BOM) past the start of "
                                             "the file (two files joined?)");
    return PN_OK;
}

/* Walks the lines of data: the header first, then the rows. A byte order
 * mark at the very start, which spreadsheets write, is skipped. */
static pn_status read_lines(char *data, size_t size, const char *path, uint64_t capacity,
                            pn_levels *lv, pn_error *err)
{
    place at = {.path = path, .line = 0};
    bool header = false;
    size_t start = size >= 3 && memcmp(data, BOM, 3) == 0 ? 3 : 0;
    for (size_t pos = start; pos < size;) {
        char *end = memchr(data + pos, '\n', size - pos);
        size_t len = end ? (size_t)(end - (data + pos)) : size - pos;
        const char *line = data + pos;
        pos += len + 1;
        at.line++;
        if (len > 0 && line[len - 1] == '\r')
            len--;
        if (len == 0)
            continue;
        pn_status st = check_bytes(line, len, &at, err);
        if (st != PN_OK)
            return st;
        if (!header && (len != strlen(HEADER) || memcmp(line, HEADER, len) != 0))
            st = bad_curve(err, &at, 1, "expected the header line '%s'", HEADER);
        else if (header)
            st = read_row(line, len, &at, capacity, lv, err);
        header = true;
        if (st != PN_OK)
            return st;
    }
    at.line = at.line ? at.line : 1;
    if (!header)
        return bad_curve(err, &at, 1, "the load curve is empty (expected the header '%s')", HEADER);
    if (lv->rows == 0)
        return bad_curve(err, &at, 1, "no rows after the header");
    if (!(lv->total_hours > 0))
        return bad_curve(err, &at, 1, "the rows' hours add up to 0");
    return PN_OK;
}

pn_status pn_load_curve_read(const char *path, const pn_query *q, pn_levels *lv, pn_error *err)
{
    char *data = NULL;
    size_t size = 0;
    memset(lv, 0, sizeof *lv);
    bool piped = strcmp(path, "-") == 0;
    const char *name = piped ? "(standard input)" : path;
    pn_status st = pn_read_file(piped ? "/dev/stdin" : path, PN_LOAD_CURVE_MAX_BYTES, &data, &size,
                                err);
    if (st == PN_ERR_IO) /* missing, a directory, unreadable: the user named a wrong file */
        st = PN_ERR_USAGE;
    if (st == PN_OK)
        st = read_lines(data, size, name, pn_query_capacity(q), lv, err);
    free(data);
    if (st != PN_OK)
        pn_levels_clear(lv);
    return st;
}
