/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_azure_packing.c -- the Azure packing trace 2020 (SQLite: tables vm and vmType) read into a trace for one machine type. */
#include "replay/pn_trace_sources.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "trace_source_open.h"

static const char SQLITE_MAGIC[16] = "SQLite format 3"; /* and its '\0' */

/* One VM type's size on the chosen machine. */
typedef struct vm_type {
    int64_t id;
    double core;
    double memory;
} vm_type;

/* The types of the chosen machine, sorted by id for bsearch. */
typedef struct type_table {
    vm_type *rows;
    size_t n;
} type_table;

/* The reading in progress: where, with what, and the latest time seen. */
typedef struct packing {
    const char *path;
    sqlite3 *db;
    type_table types;
    double last; /* the largest time in the vm table, seconds */
} packing;

bool pn_trace_file_is_sqlite(const char *path)
{
    FILE *f;
    pn_error ignored;
    if (pn_trace_source_open(path, &f, &ignored) != PN_OK)
        return false;
    char head[sizeof SQLITE_MAGIC];
    bool yes = fread(head, 1, sizeof head, f) == sizeof head &&
               memcmp(head, SQLITE_MAGIC, sizeof head) == 0;
    fclose(f);
    return yes;
}

/* An SQLite failure as our status: memory and I/O are the system's; anything
 * else (not a database, damaged, a missing table) is the file the user
 * named. */
static pn_status sqlite_failed(const packing *p, int rc, const char *doing, pn_error *err)
{
    const char *why = p->db ? sqlite3_errmsg(p->db) : sqlite3_errstr(rc);
    int primary = rc & 0xff;
    pn_status st = primary == SQLITE_NOMEM ? PN_ERR_NOMEM
                   : primary == SQLITE_IOERR ? PN_ERR_IO
                                             : PN_ERR_USAGE;
    return pn_fail(err, st, "%s: %s: %s (is it the Azure packing trace 2020, undamaged?)", p->path,
                   doing, why);
}

/* PN_ERR_USAGE unless the database has a table called name. */
static pn_status require_table(const packing *p, const char *name, pn_error *err)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(p->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                       "name = ?1", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return sqlite_failed(p, rc, "reading its list of tables", err);
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc == SQLITE_ROW)
        return PN_OK;
    if (rc != SQLITE_DONE)
        return sqlite_failed(p, rc, "reading its list of tables", err);
    return pn_fail(err, PN_ERR_USAGE, "%s: no table '%s' (the Azure packing trace 2020 has tables "
                                      "vm and vmType)", p->path, name);
}

/* Column i of the current row as a finite number: false for NULL, text,
 * a blob, or an infinity. */
static bool column_number(sqlite3_stmt *q, int i, double *out)
{
    int type = sqlite3_column_type(q, i);
    if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
        return false;
    *out = sqlite3_column_double(q, i);
    return isfinite(*out);
}

static int type_order(const void *a, const void *b)
{
    int64_t x = ((const vm_type *)a)->id, y = ((const vm_type *)b)->id;
    return (x > y) - (x < y);
}

/* One vmType row (vmTypeId, core, memory) appended to the table. */
static pn_status add_type(packing *p, sqlite3_stmt *q, size_t *capacity, pn_error *err)
{
    if (sqlite3_column_type(q, 0) != SQLITE_INTEGER)
        return pn_fail(err, PN_ERR_USAGE, "%s: table vmType: a vmTypeId that is not an integer",
                       p->path);
    vm_type t = {.id = sqlite3_column_int64(q, 0)};
    if (!column_number(q, 1, &t.core) || !(t.core > 0) || !column_number(q, 2, &t.memory) ||
        !(t.memory >= 0))
        return pn_fail(err, PN_ERR_USAGE, "%s: table vmType: vmTypeId %lld: core must be a "
                                          "positive number and memory a non-negative one",
                       p->path, (long long)t.id);
    if (p->types.n == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 64;
        vm_type *rows = realloc(p->types.rows, grown * sizeof *rows);
        if (!rows)
            return pn_fail(err, PN_ERR_NOMEM, "out of memory reading %s's VM types", p->path);
        p->types.rows = rows;
        *capacity = grown;
    }
    p->types.rows[p->types.n++] = t;
    return PN_OK;
}

/* Every VM type's size on machine_id, sorted; two rows for one type are
 * refused (which one would a VM take?). */
static pn_status load_types(packing *p, int64_t machine_id, pn_error *err)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(p->db, "SELECT vmTypeId, core, memory FROM vmType WHERE "
                                       "machineId = ?1", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return sqlite_failed(p, rc, "table vmType", err);
    sqlite3_bind_int64(q, 1, machine_id);
    size_t capacity = 0;
    pn_status st = PN_OK;
    while (st == PN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = add_type(p, q, &capacity, err);
    sqlite3_finalize(q);
    if (st != PN_OK)
        return st;
    if (rc != SQLITE_DONE)
        return sqlite_failed(p, rc, "table vmType", err);
    if (p->types.n > 1) /* qsort is undefined on a NULL array, even an empty one */
        qsort(p->types.rows, p->types.n, sizeof *p->types.rows, type_order);
    for (size_t i = 1; i < p->types.n; i++)
        if (p->types.rows[i].id == p->types.rows[i - 1].id)
            return pn_fail(err, PN_ERR_USAGE, "%s: table vmType: vmTypeId %lld has two rows for "
                                              "machineId %lld", p->path,
                           (long long)p->types.rows[i].id, (long long)machine_id);
    return PN_OK;
}

/* A bad VM row, named by its vmId. */
__attribute__((format(printf, 4, 5)))
static pn_status bad_vm(pn_error *err, const packing *p, int64_t vm_id, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return pn_fail(err, PN_ERR_USAGE, "%s: table vm: vmId %lld: %s", p->path, (long long)vm_id,
                   why);
}

/* One row of SELECT vmId, vmTypeId, starttime, endtime: appended to the
 * trace (a NULL endtime as NAN, filled in once the last time is known), or
 * counted as skipped when its type has no size on this machine. */
static pn_status add_vm(packing *p, sqlite3_stmt *q, pn_trace *trace, pn_error *err)
{
    if (sqlite3_column_type(q, 0) != SQLITE_INTEGER || sqlite3_column_int64(q, 0) < 0)
        return pn_fail(err, PN_ERR_USAGE, "%s: table vm: a vmId that is not a non-negative "
                                          "integer", p->path);
    int64_t id = sqlite3_column_int64(q, 0);
    double start, end = NAN;
    if (!column_number(q, 2, &start) || !isfinite(start *= PN_TRACE_SECONDS_PER_DAY))
        return bad_vm(err, p, id, "starttime is not a finite number of days");
    bool running = sqlite3_column_type(q, 3) == SQLITE_NULL;
    if (!running && (!column_number(q, 3, &end) || !isfinite(end *= PN_TRACE_SECONDS_PER_DAY)))
        return bad_vm(err, p, id, "endtime is neither NULL nor a finite number of days");
    if (!running && !(end > start))
        return bad_vm(err, p, id, "endtime %.17g is not after starttime %.17g (days)",
                      sqlite3_column_double(q, 3), sqlite3_column_double(q, 2));
    p->last = fmax(p->last, running ? start : end);
    if (sqlite3_column_type(q, 1) != SQLITE_INTEGER)
        return bad_vm(err, p, id, "vmTypeId is not an integer");
    vm_type key = {.id = sqlite3_column_int64(q, 1)};
    const vm_type *t = p->types.n ? bsearch(&key, p->types.rows, p->types.n, sizeof key,
                                            type_order)
                                  : NULL;
    if (!t) {
        trace->skipped++;
        return PN_OK;
    }
    pn_trace_vm vm = {.start = start, .end = end, .cores = t->core, .memory = t->memory,
                      .origin = (uint64_t)id};
    return pn_trace_append(trace, &vm, err);
}

/* Every VM in the order starttime, vmId; then the running ones end at the
 * last time. */
static pn_status load_vms(packing *p, pn_trace *trace, pn_error *err)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(p->db, "SELECT vmId, vmTypeId, starttime, endtime FROM vm "
                                       "ORDER BY starttime, vmId", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return sqlite_failed(p, rc, "table vm", err);
    p->last = -INFINITY;
    pn_status st = PN_OK;
    while (st == PN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = add_vm(p, q, trace, err);
    sqlite3_finalize(q);
    if (st != PN_OK)
        return st;
    if (rc != SQLITE_DONE)
        return sqlite_failed(p, rc, "table vm", err);
    for (size_t i = 0; i < trace->count; i++) {
        pn_trace_vm *vm = &trace->vms[i];
        if (isnan(vm->end)) {
            vm->end = p->last;
            if (!(vm->end > vm->start))
                return bad_vm(err, p, (int64_t)vm->origin, "endtime is NULL (still running) but "
                              "it starts at the trace's last time, so it never runs");
        }
    }
    return PN_OK;
}

/* PN_ERR_USAGE unless path is a regular file that starts as SQLite does. */
static pn_status check_header(const char *path, pn_error *err)
{
    FILE *f;
    pn_status st = pn_trace_source_open(path, &f, err);
    if (st != PN_OK)
        return st;
    char head[sizeof SQLITE_MAGIC];
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    if (got != sizeof head || memcmp(head, SQLITE_MAGIC, sizeof head) != 0)
        return pn_fail(err, PN_ERR_USAGE, "%s: not an SQLite database (no \"SQLite format 3\" "
                                          "header), so not the Azure packing trace 2020", path);
    return PN_OK;
}

pn_status pn_trace_read_azure_packing(const char *path, int64_t machine_id, pn_trace *trace,
                                      pn_error *err)
{
    packing p = {.path = path};
    trace->has_memory = true;
    trace->skipped = 0;
    pn_status st = check_header(path, err);
    if (st == PN_OK) {
        int rc = sqlite3_open_v2(path, &p.db, SQLITE_OPEN_READONLY, NULL);
        if (rc != SQLITE_OK)
            st = sqlite_failed(&p, rc, "opening it", err);
    }
    if (st == PN_OK)
        st = require_table(&p, "vm", err);
    if (st == PN_OK)
        st = require_table(&p, "vmType", err);
    if (st == PN_OK)
        st = load_types(&p, machine_id, err);
    if (st == PN_OK)
        st = load_vms(&p, trace, err);
    sqlite3_close(p.db); /* a NULL handle is a harmless no-op */
    free(p.types.rows);
    if (st != PN_OK)
        pn_trace_free(trace);
    return st;
}
