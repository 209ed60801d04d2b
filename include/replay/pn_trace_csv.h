/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_trace_csv.h -- the generic CSV trace: a header naming start,end,cores[,memory] columns, one VM a row. */
#ifndef PN_TRACE_CSV_H
#define PN_TRACE_CSV_H

#include <stdio.h>

#include "replay/pn_trace.h"
#include "base/pn_status.h"

/* Longest record (a line, or several when a quoted field holds line breaks)
 * the reader takes: a file with no line end (/dev/zero, a binary) is refused
 * after this many bytes instead of filling memory. */
#define PN_TRACE_CSV_MAX_RECORD 65536

/* Largest time (seconds, about 31,700 years) and size a trace may give: past
 * them a value is taken for garbage (1e308) rather than replayed with times
 * too coarse to order. */
#define PN_TRACE_MAX_TIME 1e12
#define PN_TRACE_MAX_SIZE 1e9

/* Reads the CSV trace at path ("-" is standard input) into trace (which
 * must be empty, pn_trace_init), streaming: memory grows with the VMs, not
 * the file. The format is RFC 4180: fields separated by commas, a field in
 * double quotes may hold commas, line breaks and "" for one quote; records
 * end with LF, CRLF or a lone CR; a UTF-8 byte order mark before the header
 * is skipped; blank lines are skipped. The first record is the header: its
 * names (case-insensitive, spaces around them ignored) must include start,
 * end and cores, may include memory, and any other column is ignored.
 * Every later record is one VM, kept in file order with origin = its line:
 * start >= 0 and cores > 0 (and memory >= 0) plain decimal numbers (a sign,
 * digits, a point, an exponent; no inf, nan or hex), at most
 * PN_TRACE_MAX_TIME and PN_TRACE_MAX_SIZE; end > start, or empty for a VM
 * still running at the end of the trace: its end becomes the largest time
 * in the file (equal to its start when it arrives last, a VM that is placed
 * and never runs). trace->has_memory is true when the header names memory.
 * PN_ERR_USAGE naming path:line:column (column = the byte where the field
 * starts, 1-based) and the column's name for a bad record, a NUL byte, a
 * record past PN_TRACE_CSV_MAX_RECORD, an unterminated quote, a missing
 * field, a directory, an empty file or a header without VMs; PN_ERR_IO when
 * the file cannot be opened or read; PN_ERR_NOMEM. trace is emptied on any
 * failure. */
pn_status pn_trace_read_csv(const char *path, pn_trace *trace, pn_error *err);

/* Like pn_trace_read_csv from an open stream, named `name` in messages. */
pn_status pn_trace_read_csv_stream(FILE *in, const char *name, pn_trace *trace, pn_error *err);

#endif
