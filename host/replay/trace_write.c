/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_write.c -- a trace saved as the generic CSV (start,end,cores[,memory]), each number the shortest text that reads back to the same double. */
#include "replay/pn_trace_sources.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pn_trace_format_double(double x, char *buf, size_t len)
{
    /* 17 significant digits always read back; 15 often do and read better */
    static const char *const formats[] = {"%.15g", "%.16g", "%.17g"};
    int n = 0;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        n = snprintf(buf, len, formats[i], x);
        if (strtod(buf, NULL) == x) /* we never call setlocale: '.' is the point */
            break;
    }
    return n;
}

/* PN_ERR_USAGE unless every number of the trace is finite. */
static pn_status check_finite(const pn_trace *trace, pn_error *err)
{
    for (size_t i = 0; i < trace->count; i++) {
        const pn_trace_vm *vm = &trace->vms[i];
        if (!isfinite(vm->start) || !isfinite(vm->end) || !isfinite(vm->cores) ||
            !isfinite(vm->memory))
            return pn_fail(err, PN_ERR_USAGE, "VM %zu of the trace holds a number that is not "
                                              "finite; a CSV cannot carry it", i + 1);
    }
    return PN_OK;
}

/* The rows into f; false when a write fails. */
static bool write_rows(const pn_trace *trace, FILE *f)
{
    bool ok = fputs(trace->has_memory ? "start,end,cores,memory\n" : "start,end,cores\n", f) >= 0;
    for (size_t i = 0; ok && i < trace->count; i++) {
        const pn_trace_vm *vm = &trace->vms[i];
        char start[32], end[32], cores[32], memory[32];
        pn_trace_format_double(vm->start, start, sizeof start);
        pn_trace_format_double(vm->end, end, sizeof end);
        pn_trace_format_double(vm->cores, cores, sizeof cores);
        if (trace->has_memory) {
            pn_trace_format_double(vm->memory, memory, sizeof memory);
            ok = fprintf(f, "%s,%s,%s,%s\n", start, end, cores, memory) > 0;
        } else {
            ok = fprintf(f, "%s,%s,%s\n", start, end, cores) > 0;
        }
    }
    return ok;
}

pn_status pn_trace_write_csv(const pn_trace *trace, const char *path, pn_error *err)
{
    pn_status st = check_finite(trace, err);
    if (st != PN_OK)
        return st;
    bool piped = strcmp(path, "-") == 0;
    const char *name = piped ? "(standard output)" : path;
    FILE *f = piped ? stdout : fopen(path, "w");
    if (!f)
        return pn_fail(err, PN_ERR_IO, "cannot write the trace '%s': %s", path, strerror(errno));
    struct stat st_buf;
    /* only a regular file is removed after a failure: never /dev/full */
    bool regular = !piped && fstat(fileno(f), &st_buf) == 0 && S_ISREG(st_buf.st_mode);
    bool ok = write_rows(trace, f);
    int saved = ok ? 0 : errno;
    if ((piped ? fflush(f) : fclose(f)) != 0) {
        saved = saved ? saved : errno;
        ok = false;
    }
    if (ok)
        return PN_OK;
    if (regular)
        unlink(path); /* half a trace would replay as a different one */
    return pn_fail(err, PN_ERR_IO, "cannot write the trace '%s': %s", name,
                   saved ? strerror(saved) : "a write failed");
}
