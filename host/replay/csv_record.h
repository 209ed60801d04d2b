/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_record.h -- private to replay/: an RFC 4180 record splitter over a stream, one bounded record at a time. */
#ifndef PN_CSV_RECORD_H
#define PN_CSV_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/pn_status.h"

/* One field of the record just read: its text (quotes removed, "" made one
 * quote) is buf[off, off + len); it starts at byte `column` (1-based) of
 * line `line`. */
typedef struct csv_field {
    size_t off, len;
    uint64_t line;
    size_t column;
} csv_field;

typedef struct csv_reader {
    FILE *in;
    const char *name;     /* the file as messages name it */
    size_t max_record;    /* most raw bytes one record may take */
    char *buf;            /* max_record + 1 bytes: the record's field texts */
    csv_field *fields;
    size_t nfields, fields_cap;
    uint64_t line;        /* the line the next record starts on */
    uint64_t record_line; /* the line the record just read started on */
    size_t end_column;    /* the byte just past the record's last field */
    unsigned char pushed[3]; /* bytes read ahead (the BOM check), replayed first */
    unsigned npushed, next_pushed;
} csv_reader;

/* Prepares r to read `in`, skipping a UTF-8 byte order mark at its start.
 * PN_ERR_NOMEM when the buffers cannot be allocated. */
pn_status pn_csv_open(csv_reader *r, FILE *in, const char *name, size_t max_record,
                      pn_error *err);

/* Frees r's buffers (not the stream). */
void pn_csv_close(csv_reader *r);

/* Reads the next record into r->fields, skipping blank lines; *got is false
 * at the end of the stream. PN_ERR_USAGE naming name:line:column for a NUL
 * byte, a quote inside an unquoted field, text after a closing quote, an
 * unterminated quote or a record past max_record bytes; PN_ERR_IO when the
 * stream fails; PN_ERR_NOMEM. */
pn_status pn_csv_next(csv_reader *r, bool *got, pn_error *err);

#endif
