/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_csv.c -- the generic CSV trace: the header's columns found, each row checked and appended as one VM. */
#include "replay/pn_trace_csv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csv_record.h"

/* The columns the reader looks for, in this order. */
enum { COL_START, COL_END, COL_CORES, COL_MEMORY, COLS };
static const char *const COLUMN_NAMES[COLS] = {"start", "end", "cores", "memory"};

/* Where each column is in a record: a field index, or -1 when absent. */
typedef struct csv_columns {
    long at[COLS];
} csv_columns;

/* Whether field f's text, spaces around it ignored, is name (any case). */
static bool field_is(const csv_reader *r, const csv_field *f, const char *name)
{
    const char *s = r->buf + f->off;
    size_t len = f->len;
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return len == strlen(name) && strncasecmp(s, name, len) == 0;
}

/* Finds the columns in the header record; start, end and cores must be
 * there, each column at most once. */
static pn_status read_header(const csv_reader *r, csv_columns *cols, pn_error *err)
{
    for (int c = 0; c < COLS; c++) {
        cols->at[c] = -1;
        for (size_t i = 0; i < r->nfields; i++) {
            if (!field_is(r, &r->fields[i], COLUMN_NAMES[c]))
                continue;
            if (cols->at[c] >= 0)
                return pn_fail(err, PN_ERR_USAGE, "%s:%llu:%zu: the header names '%s' twice",
                               r->name, (unsigned long long)r->fields[i].line,
                               r->fields[i].column, COLUMN_NAMES[c]);
            cols->at[c] = (long)i;
        }
        if (cols->at[c] < 0 && c != COL_MEMORY)
            return pn_fail(err, PN_ERR_USAGE, "%s:%llu: the header has no '%s' column (a trace "
                           "needs start,end,cores, memory optional)", r->name,
                           (unsigned long long)r->record_line, COLUMN_NAMES[c]);
    }
    return PN_OK;
}

/* Parses field text s (NUL-terminated, spaces around it allowed) as a plain
 * decimal number: sign, digits, point, exponent; nothing else. */
static bool parse_decimal(const char *s, size_t len, double *out)
{
    char text[64];
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof text || strspn(s, "0123456789+-.eE") < len ||
        strcspn(s, "0123456789") >= len)
        return false;
    memcpy(text, s, len);
    text[len] = '\0';
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return end == text + len && errno != ERANGE && isfinite(*out);
}

/* Fails naming the record's column c (its field f) and why. */
static pn_status bad_field(const csv_reader *r, const csv_field *f, int c, const char *why,
                           pn_error *err)
{
    char shown[40];
    size_t len = f->len < 32 ? f->len : 32;
    memcpy(shown, r->buf + f->off, len);
    shown[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)shown[i] < 0x20 || shown[i] == 0x7f)
            shown[i] = '?';
    return pn_fail(err, PN_ERR_USAGE, "%s:%llu:%zu: %s '%s%s' %s", r->name,
                   (unsigned long long)f->line, f->column, COLUMN_NAMES[c], shown,
                   f->len > 32 ? "..." : "", why);
}

/* Column c of the current record as a number in [lowest, highest]
 * (above lowest when strictly); an empty field is *empty (when empty is
 * not NULL) or an error. */
static pn_status read_value(const csv_reader *r, const csv_columns *cols, int c, double lowest,
                            bool strictly, double highest, double *out, bool *empty,
                            pn_error *err)
{
    if ((size_t)cols->at[c] >= r->nfields)
        return pn_fail(err, PN_ERR_USAGE, "%s:%llu:%zu: the row has no '%s' (it has %zu "
                       "fields; the header names column %ld)", r->name,
                       (unsigned long long)r->record_line, r->end_column, COLUMN_NAMES[c],
                       r->nfields, cols->at[c] + 1);
    const csv_field *f = &r->fields[cols->at[c]];
    if (empty)
        *empty = f->len == 0;
    if (f->len == 0 && empty)
        return PN_OK;
    if (f->len == 0)
        return bad_field(r, f, c, "is empty", err);
    if (!parse_decimal(r->buf + f->off, f->len, out))
        return bad_field(r, f, c, "is not a plain finite decimal number", err);
    if (*out < lowest || (strictly && *out == lowest))
        return bad_field(r, f, c, strictly ? "must be above 0" : "must not be negative", err);
    if (*out > highest)
        return bad_field(r, f, c, highest == PN_TRACE_MAX_TIME
                                      ? "is too large (at most 1e12 seconds)"
                                      : "is too large (at most 1e9)", err);
    return PN_OK;
}

/* One data record into vm; *open when its end is empty. */
static pn_status read_vm(const csv_reader *r, const csv_columns *cols, pn_trace_vm *vm,
                         bool *open, pn_error *err)
{
    *vm = (pn_trace_vm){.origin = r->record_line};
    pn_status st = read_value(r, cols, COL_START, 0, false, PN_TRACE_MAX_TIME, &vm->start, NULL,
                              err);
    if (st == PN_OK)
        st = read_value(r, cols, COL_END, 0, false, PN_TRACE_MAX_TIME, &vm->end, open, err);
    if (st == PN_OK)
        st = read_value(r, cols, COL_CORES, 0, true, PN_TRACE_MAX_SIZE, &vm->cores, NULL, err);
    if (st == PN_OK && cols->at[COL_MEMORY] >= 0)
        st = read_value(r, cols, COL_MEMORY, 0, false, PN_TRACE_MAX_SIZE, &vm->memory, NULL,
                        err);
    if (st == PN_OK && !*open && !(vm->end > vm->start))
        return bad_field(r, &r->fields[cols->at[COL_END]], COL_END,
                         "is not after the start (a VM must run for some time)", err);
    return st;
}

/* Reads the header, then every VM; open VMs get end = NAN, and *largest is
 * the largest time seen. */
static pn_status read_all(csv_reader *r, pn_trace *trace, double *largest, pn_error *err)
{
    bool got;
    csv_columns cols;
    pn_status st = pn_csv_next(r, &got, err);
    if (st != PN_OK)
        return st;
    if (!got)
        return pn_fail(err, PN_ERR_USAGE, "%s is empty (a trace starts with a header line such "
                       "as start,end,cores)", r->name);
    if ((st = read_header(r, &cols, err)) != PN_OK)
        return st;
    trace->has_memory = cols.at[COL_MEMORY] >= 0;
    while ((st = pn_csv_next(r, &got, err)) == PN_OK && got) {
        pn_trace_vm vm;
        bool open;
        if ((st = read_vm(r, &cols, &vm, &open, err)) != PN_OK)
            return st;
        *largest = fmax(*largest, open ? vm.start : vm.end);
        if (open)
            vm.end = NAN;
        if ((st = pn_trace_append(trace, &vm, err)) != PN_OK)
            return st;
    }
    if (st == PN_OK && trace->count == 0)
        return pn_fail(err, PN_ERR_USAGE, "%s has a header but no VMs", r->name);
    return st;
}

pn_status pn_trace_read_csv_stream(FILE *in, const char *name, pn_trace *trace, pn_error *err)
{
    csv_reader r;
    double largest = 0;
    pn_status st = pn_csv_open(&r, in, name, PN_TRACE_CSV_MAX_RECORD, err);
    if (st != PN_OK)
        return st;
    st = read_all(&r, trace, &largest, err);
    pn_csv_close(&r);
    if (st != PN_OK) {
        pn_trace_free(trace);
        return st;
    }
    for (size_t i = 0; i < trace->count; i++)
        if (isnan(trace->vms[i].end))
            trace->vms[i].end = largest;
    return PN_OK;
}

pn_status pn_trace_read_csv(const char *path, pn_trace *trace, pn_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(path, "r");
    if (!in)
        return pn_fail(err, PN_ERR_IO, "cannot open the trace %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(in), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        if (!is_stdin)
            fclose(in);
        return pn_fail(err, PN_ERR_USAGE, "the trace %s is a directory, not a CSV file", path);
    }
    pn_status st = pn_trace_read_csv_stream(in, is_stdin ? "standard input" : path, trace, err);
    if (!is_stdin)
        fclose(in);
    return st;
}
