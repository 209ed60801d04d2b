/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_azure_vmtable.c -- the Azure public dataset's VM table (vmtable.csv, 2017 and 2019 layouts) streamed into a trace. */
#include "replay/pn_trace_sources.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pn_number.h"
#include "trace_source_open.h"

/* The table's columns: eleven, of which four are read. */
enum { COLUMNS = 11, COL_CREATED = 3, COL_DELETED = 4, COL_CORES = 9, COL_MEMORY = 10 };

/* The longest line accepted (real rows are under 200 bytes), and the read
 * buffer, which always has room for one more such line. */
#define LINE_LIMIT (64u << 10)
#define BUFFER_SIZE (1u << 20)

static const char BOM[] = "\xef\xbb\xbf"; /* UTF-8's byte order mark, U+FEFF */

/* A file read in chunks, handed out one line at a time. */
typedef struct reader {
    FILE *file;
    char *buf;
    size_t start, end; /* the unread bytes are buf[start, end) */
    bool eof;
} reader;

typedef enum { LINE_OK, LINE_EOF, LINE_TOO_LONG, LINE_IO } line_result;

/* The next line of r, without its '\n', into line and len. */
static line_result next_line(reader *r, const char **line, size_t *len)
{
    for (;;) {
        char *at = r->buf + r->start, *nl = memchr(at, '\n', r->end - r->start);
        if (nl || (r->eof && r->end > r->start)) {
            *line = at;
            *len = nl ? (size_t)(nl - at) : r->end - r->start;
            r->start += *len + (nl != NULL);
            return LINE_OK;
        }
        if (r->end - r->start > LINE_LIMIT)
            return LINE_TOO_LONG;
        if (r->eof)
            return LINE_EOF;
        memmove(r->buf, at, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
        size_t got = fread(r->buf + r->end, 1, BUFFER_SIZE - r->end, r->file);
        r->end += got;
        if (got == 0) {
            if (ferror(r->file))
                return LINE_IO;
            r->eof = true;
        }
    }
}

/* Where a row is: the file's name in messages and the line. */
typedef struct place {
    const char *name;
    uint64_t line;
} place;

__attribute__((format(printf, 4, 5)))
static pn_status bad_row(pn_error *err, const place *at, size_t column, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return pn_fail(err, PN_ERR_USAGE, "%s:%llu:%zu: %s", at->name, (unsigned long long)at->line,
                   column, why);
}

/* One field of a row: its text (inside the quotes when quoted) and the
 * 1-based column where it starts. */
typedef struct field {
    const char *text;
    size_t len;
    size_t column;
} field;

/* Splits line into exactly COLUMNS fields. A quoted field runs to its
 * closing quote ("" inside stands for one) and must end there. */
static pn_status split_row(const char *line, size_t len, const place *at, field *out,
                           pn_error *err)
{
    size_t n = 0, pos = 0;
    for (;;) {
        if (n == COLUMNS)
            return bad_row(err, at, pos + 1, "more than %d columns (is this the VM table?)", COLUMNS);
        field f = {.text = line + pos, .column = pos + 1};
        if (pos < len && line[pos] == '"') {
            size_t q = pos + 1;
            while (q < len && !(line[q] == '"' && (q + 1 == len || line[q + 1] != '"')))
                q += line[q] == '"' ? 2 : 1;
            if (q >= len)
                return bad_row(err, at, pos + 1, "a quoted field with no closing quote");
            f.text = line + pos + 1;
            f.len = q - pos - 1;
            pos = q + 1;
            if (pos < len && line[pos] != ',')
                return bad_row(err, at, pos + 1, "a character after a quoted field's closing "
                                                 "quote");
        } else {
            const char *comma = memchr(line + pos, ',', len - pos);
            f.len = comma ? (size_t)(comma - (line + pos)) : len - pos;
            pos += f.len;
        }
        out[n++] = f;
        if (pos >= len)
            break;
        pos++; /* the comma */
    }
    if (n < COLUMNS)
        return bad_row(err, at, len + 1, "%zu columns, expected %d: vm id, subscription, "
                       "deployment, created, deleted, max cpu, avg cpu, p95 cpu, category, "
                       "cores, memory", n, COLUMNS);
    return PN_OK;
}

/* A field as a plain non-negative number, what names it in a message. */
static pn_status number(const field *f, const place *at, const char *what, double *out,
                        pn_error *err)
{
    int shown = (int)(f->len > 32 ? 32 : f->len);
    if (f->len > 0 && f->text[0] == '-')
        return bad_row(err, at, f->column, "%s '%.*s' is negative", what, shown, f->text);
    if (!pn_parse_amount(f->text, f->len, out))
        return bad_row(err, at, f->column, "%s '%.*s' is not a plain non-negative number%s", what,
                       shown, f->text, at->line == 1 ? " (the VM table has no header line)" : "");
    return PN_OK;
}

/* A size bucket: a plain number, or the open bucket open_text as open. */
static pn_status bucket(const field *f, const place *at, const char *what, const char *open_text,
                        double open, double *out, pn_error *err)
{
    if (f->len == strlen(open_text) && memcmp(f->text, open_text, f->len) == 0) {
        *out = open;
        return PN_OK;
    }
    return number(f, at, what, out, err);
}

/* One row, appended to trace; a running VM's end is NAN until the last
 * time is known. */
static pn_status read_row(const char *line, size_t len, const place *at, double *last,
                          pn_trace *trace, pn_error *err)
{
    const char *nul = memchr(line, '\0', len);
    if (nul)
        return bad_row(err, at, (size_t)(nul - line) + 1, "a NUL byte (is this a text file?)");
    field f[COLUMNS];
    pn_trace_vm vm = {.end = NAN, .origin = at->line};
    pn_status st = split_row(line, len, at, f, err);
    if (st == PN_OK)
        st = number(&f[COL_CREATED], at, "created", &vm.start, err);
    if (st == PN_OK && f[COL_DELETED].len > 0)
        st = number(&f[COL_DELETED], at, "deleted", &vm.end, err);
    if (st == PN_OK)
        st = bucket(&f[COL_CORES], at, "the core count", ">24", PN_VMTABLE_OPEN_CORES, &vm.cores,
                    err);
    if (st == PN_OK)
        st = bucket(&f[COL_MEMORY], at, "the memory", ">64", PN_VMTABLE_OPEN_MEMORY_GB,
                    &vm.memory, err);
    if (st != PN_OK)
        return st;
    if (!(vm.cores > 0))
        return bad_row(err, at, f[COL_CORES].column, "a VM of 0 cores");
    if (!isnan(vm.end) && !(vm.end > vm.start))
        return bad_row(err, at, f[COL_DELETED].column, "deleted %.17g is not after created %.17g",
                       vm.end, vm.start);
    *last = fmax(*last, isnan(vm.end) ? vm.start : vm.end);
    return pn_trace_append(trace, &vm, err);
}

/* Every line of r into trace. */
static pn_status read_rows(reader *r, const char *name, pn_trace *trace, pn_error *err)
{
    place at = {.name = name};
    double last = 0;
    const char *line;
    size_t len;
    for (line_result got; (got = next_line(r, &line, &len)) != LINE_EOF;) {
        at.line++;
        if (got == LINE_TOO_LONG)
            return bad_row(err, &at, 1, "a line longer than %u bytes (is this the VM table?)",
                           LINE_LIMIT);
        if (got == LINE_IO)
            return pn_fail(err, PN_ERR_IO, "%s: a read failed after line %llu", name,
                           (unsigned long long)at.line - 1);
        if (at.line == 1 && len >= 3 && memcmp(line, BOM, 3) == 0) {
            line += 3; /* a spreadsheet's byte order mark */
            len -= 3;
        }
        if (len > 0 && line[len - 1] == '\r')
            len--;
        pn_status st = len == 0 ? PN_OK : read_row(line, len, &at, &last, trace, err);
        if (st != PN_OK)
            return st;
    }
    if (trace->count == 0)
        return pn_fail(err, PN_ERR_USAGE, "%s: no VMs (an empty VM table)", name);
    for (size_t i = 0; i < trace->count; i++) {
        pn_trace_vm *vm = &trace->vms[i];
        if (isnan(vm->end) && !((vm->end = last) > vm->start)) {
            at.line = vm->origin;
            return bad_row(err, &at, 1, "deleted is empty (still running) but the VM is created "
                                        "at the table's last time, so it never runs");
        }
    }
    return PN_OK;
}

pn_status pn_trace_read_azure_vmtable(const char *path, pn_trace *trace, pn_error *err)
{
    bool piped = strcmp(path, "-") == 0;
    const char *name = piped ? "(standard input)" : path;
    reader r = {.file = stdin};
    trace->has_memory = true;
    trace->skipped = 0;
    pn_status st = piped ? PN_OK : pn_trace_source_open(path, &r.file, err);
    if (st == PN_OK && !(r.buf = malloc(BUFFER_SIZE)))
        st = pn_fail(err, PN_ERR_NOMEM, "out of memory reading %s", name);
    if (st == PN_OK)
        st = read_rows(&r, name, trace, err);
    free(r.buf);
    if (r.file && !piped)
        fclose(r.file);
    if (st != PN_OK)
        pn_trace_free(trace);
    return st;
}
