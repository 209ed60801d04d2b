/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_record.c -- splitting a stream into RFC 4180 records: quoted fields, "" escapes, LF/CRLF/CR line ends, a bound on each record. */
#include "csv_record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The next byte of the stream, after any bytes pushed back; EOF at the end. */
static int next_byte(csv_reader *r)
{
    if (r->next_pushed < r->npushed)
        return r->pushed[r->next_pushed++];
    return getc_unlocked(r->in);
}

pn_status pn_csv_open(csv_reader *r, FILE *in, const char *name, size_t max_record,
                      pn_error *err)
{
    *r = (csv_reader){.in = in, .name = name, .max_record = max_record, .line = 1};
    r->buf = malloc(max_record + 1);
    r->fields_cap = 64;
    r->fields = malloc(r->fields_cap * sizeof *r->fields);
    if (!r->buf || !r->fields) {
        pn_csv_close(r);
        return pn_fail(err, PN_ERR_NOMEM, "out of memory reading %s", name);
    }
    /* A byte order mark is three bytes; anything else read here is replayed. */
    static const unsigned char BOM[3] = {0xEF, 0xBB, 0xBF};
    for (int c; r->npushed < 3 && (c = getc_unlocked(in)) != EOF;) {
        r->pushed[r->npushed++] = (unsigned char)c;
        if (r->pushed[r->npushed - 1] != BOM[r->npushed - 1])
            break;
    }
    if (r->npushed == 3 && memcmp(r->pushed, BOM, 3) == 0)
        r->next_pushed = 3;
    return PN_OK;
}

void pn_csv_close(csv_reader *r)
{
    free(r->buf);
    free(r->fields);
    r->buf = NULL;
    r->fields = NULL;
}

/* Starts a field at the current end of the record text. */
static pn_status begin_field(csv_reader *r, uint64_t line, size_t column, size_t used,
                             pn_error *err)
{
    if (r->nfields == r->fields_cap) {
        csv_field *grown = realloc(r->fields, 2 * r->fields_cap * sizeof *grown);
        if (!grown)
            return pn_fail(err, PN_ERR_NOMEM, "out of memory reading %s", r->name);
        r->fields = grown;
        r->fields_cap *= 2;
    }
    r->fields[r->nfields++] = (csv_field){.off = used, .line = line, .column = column};
    return PN_OK;
}

/* The parser's place inside a field. */
typedef enum { AT_START, IN_PLAIN, IN_QUOTES, AFTER_QUOTE } csv_state;

/* Fails at name:line:column with the message why. */
static pn_status bad_at(const csv_reader *r, uint64_t line, size_t column, const char *why,
                        pn_error *err)
{
    return pn_fail(err, PN_ERR_USAGE, "%s:%llu:%zu: %s", r->name, (unsigned long long)line,
                   column, why);
}

/* After a CR, swallows the LF of a CRLF pair. */
static void swallow_lf(csv_reader *r)
{
    int c = next_byte(r);
    if (c != '\n' && c != EOF) {
        /* At most one byte is ever pushed back here: the BOM bytes are gone. */
        r->pushed[0] = (unsigned char)c;
        r->npushed = 1;
        r->next_pushed = 0;
    }
}

/* Reads one record, blank or not; *got false when the stream ended first. */
static pn_status read_record(csv_reader *r, bool *got, pn_error *err)
{
    size_t used = 0, raw = 0, column = 1;
    uint64_t line = r->line;
    csv_state s = AT_START;
    r->nfields = 0;
    r->record_line = line;
    pn_status st = begin_field(r, line, column, used, err);
    for (int c; st == PN_OK;) {
        c = next_byte(r);
        if (c == EOF) {
            if (ferror(r->in))
                return pn_fail(err, PN_ERR_IO, "reading %s: %s", r->name, strerror(errno));
            if (s == IN_QUOTES)
                return bad_at(r, r->fields[r->nfields - 1].line, r->fields[r->nfields - 1].column,
                              "a quoted field is never closed", err);
            *got = raw > 0;
            break;
        }
        if (++raw > r->max_record)
            return pn_fail(err, PN_ERR_USAGE, "%s:%llu: a record longer than %zu bytes (is this "
                           "a CSV file?)", r->name, (unsigned long long)r->record_line,
                           r->max_record);
        if (c == 0)
            return bad_at(r, line, column, "a NUL byte (is this a CSV file?)", err);
        bool line_end = c == '\n' || c == '\r';
        if (line_end && c == '\r')
            swallow_lf(r);
        if (s == IN_QUOTES) {
            if (c == '"') {
                s = AFTER_QUOTE;
            } else {
                r->buf[used++] = (char)c;
                if (c == '\r')
                    r->buf[used - 1] = '\n';
            }
            column = line_end ? 1 : column + 1;
            line += line_end;
            continue;
        }
        if (line_end) {
            *got = true;
            line++;
            break;
        }
        if (c == ',') {
            r->fields[r->nfields - 1].len = used - r->fields[r->nfields - 1].off;
            st = begin_field(r, line, ++column, used, err);
            s = AT_START;
            continue;
        }
        if (c == '"' && s == AT_START) {
            s = IN_QUOTES;
        } else if (c == '"' && s == AFTER_QUOTE) {
            r->buf[used++] = '"';
            s = IN_QUOTES;
        } else if (c == '"') {
            return bad_at(r, line, column, "a double quote inside an unquoted field (quote the "
                          "whole field and double the quote)", err);
        } else if (s == AFTER_QUOTE) {
            return bad_at(r, line, column, "text after a closing quote (expected a comma or "
                          "the end of the line)", err);
        } else {
            r->buf[used++] = (char)c;
            s = IN_PLAIN;
        }
        column++;
    }
    if (st != PN_OK)
        return st;
    r->fields[r->nfields - 1].len = used - r->fields[r->nfields - 1].off;
    r->buf[used] = '\0';
    r->end_column = column;
    r->line = line;
    return PN_OK;
}

pn_status pn_csv_next(csv_reader *r, bool *got, pn_error *err)
{
    for (;;) {
        *got = false;
        pn_status st = read_record(r, got, err);
        if (st != PN_OK || !*got)
            return st;
        if (r->nfields > 1 || r->fields[0].len > 0)
            return PN_OK;
    }
}
