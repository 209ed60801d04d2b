/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_trace_sources.c -- the Azure packing and VM table readers checked field by field against hand-made files, every bad input refused by name, and the CSV writer read back bit for bit. */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_fixture.h"
#include "replay/pn_trace_sources.h"

/* ---- the Azure packing trace (SQLite) ---- */

static const char SCHEMA[] =
    "CREATE TABLE vm(vmId INTEGER, tenantId INTEGER, vmTypeId INTEGER, priority INTEGER, "
    "starttime REAL, endtime REAL);"
    "CREATE TABLE vmType(id INTEGER, vmTypeId INTEGER, machineId INTEGER, core REAL, "
    "memory REAL, hdd REAL, ssd REAL, nic REAL);";

/* Types 10 and 11 fit machine 7; type 12 only machine 8, and 10 also 8. */
static const char TYPES[] =
    "INSERT INTO vmType VALUES (1, 10, 7, 0.25, 0.125, 0, 0, 0), (2, 10, 8, 0.5, 0.5, 0, 0, 0),"
    " (3, 11, 7, 0.5, 0.375, 0, 0, 0), (4, 12, 8, 1, 1, 0, 0, 0);";

/* Five VMs out of order: vmId 9 (type 12) has no size on machine 7, its end
 * (2 days) is still the table's last time; vmId 3 runs to it. */
static const char VMS[] =
    "INSERT INTO vm VALUES (5, 1, 10, 0, 0.5, 1.0), (3, 1, 11, 0, 0.5, NULL),"
    " (9, 2, 12, 1, 0.25, 2.0), (1, 2, 10, 0, -0.25, 0.75), (2, 3, 11, 0, 1.5, 1.75);";

/* A fresh SQLite file dir/name holding the statements sql. */
static void make_db(char *path, size_t len, const char *dir, const char *name, const char *sql)
{
    snprintf(path, len, "%s/%s", dir, name);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK, "%s", path);
    char *why = NULL;
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &why), SQLITE_OK, "%s", why);
    cr_assert_eq(sqlite3_close(db), SQLITE_OK);
}

/* The ordinary test database: SCHEMA, TYPES, VMS, then `more`. */
static void make_packing(char *path, size_t len, const char *dir, const char *more)
{
    char sql[4096];
    snprintf(sql, sizeof sql, "%s%s%s%s", SCHEMA, TYPES, VMS, more);
    make_db(path, len, dir, "packing.db", sql);
}

static void expect_vm(const pn_trace *t, size_t i, double start, double end, double cores,
                      double memory, uint64_t origin)
{
    const pn_trace_vm *vm = &t->vms[i];
    cr_expect_eq(vm->start, start, "vm %zu start %.17g", i, vm->start);
    cr_expect_eq(vm->end, end, "vm %zu end %.17g", i, vm->end);
    cr_expect_eq(vm->cores, cores, "vm %zu cores %.17g", i, vm->cores);
    cr_expect_eq(vm->memory, memory, "vm %zu memory %.17g", i, vm->memory);
    cr_expect_eq(vm->origin, origin, "vm %zu origin %llu", i, (unsigned long long)vm->origin);
}

/* By hand, machine 7: starttime order, ties by vmId (1, 3, 5, 2); days
 * times 86400 (-0.25 d = -21600 s, 0.5 d = 43200 s, ...); vmId 3's NULL
 * end is vmId 9's 2 days = 172800 s, although vmId 9 itself is skipped. */
Test(trace_sources, packing_fields_by_hand)
{
    char dir[64], path[128];
    temp_dir_make(dir, sizeof dir, "packing");
    make_packing(path, sizeof path, dir, "");
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    cr_assert_eq(pn_trace_read_azure_packing(path, 7, &t, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(t.count, 4);
    cr_expect_eq(t.skipped, 1);
    cr_expect(t.has_memory);
    expect_vm(&t, 0, -21600, 64800, 0.25, 0.125, 1);
    expect_vm(&t, 1, 43200, 172800, 0.5, 0.375, 3);
    expect_vm(&t, 2, 43200, 86400, 0.25, 0.125, 5);
    expect_vm(&t, 3, 129600, 151200, 0.5, 0.375, 2);
    pn_trace_free(&t);
    /* machine 8: type 11 has no size there (vmIds 3 and 2 skipped) */
    cr_assert_eq(pn_trace_read_azure_packing(path, 8, &t, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(t.count, 3);
    cr_expect_eq(t.skipped, 2);
    expect_vm(&t, 0, -21600, 64800, 0.5, 0.5, 1);
    expect_vm(&t, 1, 21600, 172800, 1, 1, 9);
    expect_vm(&t, 2, 43200, 86400, 0.5, 0.5, 5);
    pn_trace_free(&t);
    cr_expect(pn_trace_file_is_sqlite(path));
    char csv[128];
    snprintf(csv, sizeof csv, "%s/trace.csv", dir);
    write_text(csv, "start,end,cores\n0,1,1\n");
    cr_expect_not(pn_trace_file_is_sqlite(csv));
    cr_expect_not(pn_trace_file_is_sqlite(dir));
    cr_expect_not(pn_trace_file_is_sqlite("/nonexistent/packing.db"));
    remove_tree(dir);
}

/* The packing reader refuses path (made by the caller) with PN_ERR_USAGE
 * and a message holding `why`, and leaves the trace empty. */
static void packing_refused(const char *path, const char *why)
{
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    pn_status st = pn_trace_read_azure_packing(path, 7, &t, &err);
    cr_expect_eq(st, PN_ERR_USAGE, "%s: %s %s", path, pn_status_name(st), err.msg);
    cr_expect(strstr(err.msg, why), "'%s' should say '%s'", err.msg, why);
    cr_expect_eq(t.count, 0);
    cr_expect_null(t.vms);
    pn_trace_free(&t);
}

/* A database with statements sql (each test its own) refused with why. */
static void packing_sql_refused(const char *sql, const char *why)
{
    char dir[64], path[128];
    temp_dir_make(dir, sizeof dir, "packing");
    make_db(path, sizeof path, dir, "bad.db", sql);
    packing_refused(path, why);
    remove_tree(dir);
}

Test(trace_sources, packing_bad_rows_named_by_vm_id)
{
    char sql[4096];
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, TYPES, "INSERT INTO vm VALUES (4, 1, 10, 0, 1.0, 1.0);");
    packing_sql_refused(sql, "vmId 4: endtime 1 is not after starttime 1");
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, TYPES, "INSERT INTO vm VALUES (4, 1, 10, 0, 1.0, 0.5);");
    packing_sql_refused(sql, "vmId 4: endtime");
    /* SQLite stores a NaN as NULL: a NULL start */
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, TYPES, "INSERT INTO vm VALUES (6, 1, 10, 0, NULL, 1);");
    packing_sql_refused(sql, "vmId 6: starttime is not a finite number");
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, TYPES, "INSERT INTO vm VALUES (6, 1, 10, 0, 'soon', 1);");
    packing_sql_refused(sql, "vmId 6: starttime is not a finite number");
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, TYPES, "INSERT INTO vm VALUES (6, 1, 10, 0, 0, 9e999);");
    packing_sql_refused(sql, "vmId 6: endtime is neither NULL nor a finite number");
    /* 1e300 days is finite, but not in seconds */
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, TYPES, "INSERT INTO vm VALUES (6, 1, 10, 0, 0, 1e305);");
    packing_sql_refused(sql, "vmId 6: endtime is neither NULL nor a finite number");
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, TYPES, "INSERT INTO vm VALUES (-6, 1, 10, 0, 0, 1);");
    packing_sql_refused(sql, "a vmId that is not a non-negative integer");
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, TYPES,
             "INSERT INTO vm VALUES (6, 1, 10, 0, 0, 1), (8, 1, 10, 0, 1, NULL);");
    packing_sql_refused(sql, "vmId 8: endtime is NULL (still running) but it starts at the "
                             "trace's last time");
    snprintf(sql, sizeof sql, "%s%s%s%s", SCHEMA, TYPES, VMS,
             "INSERT INTO vmType VALUES (5, 11, 7, 0.5, 0.5, 0, 0, 0);");
    packing_sql_refused(sql, "vmTypeId 11 has two rows for machineId 7");
    snprintf(sql, sizeof sql, "%s%s%s", SCHEMA, VMS,
             "INSERT INTO vmType VALUES (5, 11, 7, 0, 0.5, 0, 0, 0);");
    packing_sql_refused(sql, "vmTypeId 11: core must be a positive number");
}

Test(trace_sources, packing_missing_tables_and_columns_named)
{
    char sql[4096];
    snprintf(sql, sizeof sql, "CREATE TABLE vm(vmId, tenantId, vmTypeId, priority, starttime, "
                              "endtime);");
    packing_sql_refused(sql, "no table 'vmType'");
    packing_sql_refused("CREATE TABLE other(x);", "no table 'vm'");
    snprintf(sql, sizeof sql, "%s%s", "CREATE TABLE vm(vmId, tenantId, vmTypeId, priority, "
             "starttime, endtime); CREATE TABLE vmType(id, vmTypeId, core, memory);", "");
    packing_sql_refused(sql, "no such column: machineId");
    snprintf(sql, sizeof sql, "%s%s", "CREATE TABLE vm(vmId, vmTypeId, starttime); CREATE TABLE "
             "vmType(id, vmTypeId, machineId, core, memory);", "");
    packing_sql_refused(sql, "no such column: endtime");
}

/* Not SQLite, a missing file, a directory, a FIFO, a file cut short at
 * several lengths: each refused with PN_ERR_USAGE, never a crash. */
Test(trace_sources, packing_hostile_files_refused)
{
    char dir[64], path[128], other[160];
    temp_dir_make(dir, sizeof dir, "packing");
    packing_refused(dir, "is a directory");
    snprintf(other, sizeof other, "%s/missing.db", dir);
    packing_refused(other, "No such file or directory");
    snprintf(other, sizeof other, "%s/trace.csv", dir);
    write_text(other, "start,end,cores\n0,1,1\n");
    packing_refused(other, "not an SQLite database");
    snprintf(other, sizeof other, "%s/fifo", dir);
    cr_assert_eq(mkfifo(other, 0600), 0);
    packing_refused(other, "is a FIFO");
    packing_refused("/dev/zero", "is a device");
    /* a database of many pages, then cut at a few lengths */
    char *sql = malloc(1 << 20);
    size_t n = (size_t)snprintf(sql, 1 << 20, "%s%sINSERT INTO vm VALUES (0, 0, 10, 0, 0, 1)",
                                SCHEMA, TYPES);
    for (int i = 1; i < 3000; i++)
        n += (size_t)snprintf(sql + n, (1 << 20) - n, ", (%d, 0, 10, 0, %d, %d)", i, i, i + 1);
    snprintf(sql + n, (1 << 20) - n, ";");
    make_db(path, sizeof path, dir, "big.db", sql);
    free(sql);
    size_t len;
    unsigned char *whole = read_bytes(path, &len);
    cr_assert_gt(len, 8192, "%zu bytes: not several pages", len);
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    cr_assert_eq(pn_trace_read_azure_packing(path, 7, &t, &err), PN_OK, "%s", err.msg);
    cr_expect_eq(t.count, 3000);
    pn_trace_free(&t);
    const size_t cuts[] = {10, 100, 1000, 4096, len / 2, len - 1000};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        FILE *f = fopen(path, "wb");
        cr_assert_eq(fwrite(whole, 1, cuts[i], f), cuts[i]);
        fclose(f);
        pn_status st = pn_trace_read_azure_packing(path, 7, &t, &err);
        cr_expect_eq(st, PN_ERR_USAGE, "cut at %zu: %s %s", cuts[i], pn_status_name(st), err.msg);
        cr_expect_eq(t.count, 0);
        pn_trace_free(&t);
    }
    free(whole);
    remove_tree(dir);
}

/* ---- the Azure VM table (CSV) ---- */

/* dir/name holding text (len bytes) */
static void make_file(char *path, size_t size, const char *dir, const char *name,
                      const char *text, size_t len)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

/* By hand: line 1 a 2017-style row (hashed ids with + / =), line 2 blank,
 * line 3 a quoted id holding commas, the open buckets (30 cores, 70 GB) and
 * a CRLF, line 4 still running (ends at the table's last time, line 1's
 * 2591700 s) with a decimal memory bucket. */
Test(trace_sources, vmtable_fields_by_hand)
{
    static const char TABLE[] =
        "x2Vq+/a=,sub1,dep1,0,2591700,99.5,10.2,80.1,Interactive,2,4\n"
        "\n"
        "\"id,with,\"\"commas\"\"\",sub2,dep2,300,600,1,1,1,Delay-insensitive,>24,>64\r\n"
        "id3,sub3,dep3,1200.5,,5,5,5,Unknown,1,0.75";
    char dir[64], path[128];
    temp_dir_make(dir, sizeof dir, "vmtable");
    make_file(path, sizeof path, dir, "vmtable.csv", TABLE, strlen(TABLE));
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    cr_assert_eq(pn_trace_read_azure_vmtable(path, &t, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(t.count, 3);
    cr_expect(t.has_memory);
    cr_expect_eq(t.skipped, 0);
    expect_vm(&t, 0, 0, 2591700, 2, 4, 1);
    expect_vm(&t, 1, 300, 600, 30, 70, 3);
    expect_vm(&t, 2, 1200.5, 2591700, 1, 0.75, 4);
    pn_trace_free(&t);
    remove_tree(dir);
}

/* A table of len bytes refused with PN_ERR_USAGE "PATH:where: ...why...". */
static void vmtable_refused(const char *text, size_t len, const char *where, const char *why)
{
    char dir[64], path[128];
    temp_dir_make(dir, sizeof dir, "vmtable");
    make_file(path, sizeof path, dir, "vmtable.csv", text, len);
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    pn_status st = pn_trace_read_azure_vmtable(path, &t, &err);
    char want[192];
    snprintf(want, sizeof want, "%s:%s: ", path, where);
    cr_expect_eq(st, PN_ERR_USAGE, "%s: %s", pn_status_name(st), err.msg);
    cr_expect(strstr(err.msg, want), "'%s' should name '%s'", err.msg, want);
    cr_expect(strstr(err.msg, why), "'%s' should say '%s'", err.msg, why);
    cr_expect_eq(t.count, 0);
    pn_trace_free(&t);
    remove_tree(dir);
}

#define GOOD "a,b,c,0,10,1,1,1,Unknown,2,4\n"
#define REFUSED(text, where, why) vmtable_refused(text, sizeof text - 1, where, why)

Test(trace_sources, vmtable_bad_rows_named_by_line_and_column)
{
    REFUSED("a,b,c,0,10,1,1,1,Unknown,2\n", "1:27", "10 columns, expected 11");
    REFUSED(GOOD "a,b,c,0,10,1,1,1,Unknown,2,4,9\n", "2:30", "more than 11 columns");
    REFUSED(GOOD "a,b,c,0,10,1,1,1,Unknown,2,4,\n", "2:30", "more than 11 columns");
    REFUSED("a,b,c,NaN,10,1,1,1,Unknown,2,4\n", "1:7", "created 'NaN' is not a plain");
    REFUSED("a,b,c,-5,10,1,1,1,Unknown,2,4\n", "1:7", "created '-5' is negative");
    REFUSED("a,b,c,1e308,1e309,1,1,1,Unknown,2,4\n", "1:7", "created '1e308' is not a plain");
    REFUSED(GOOD "a,b,c,0,inf,1,1,1,Unknown,2,4\n", "2:9", "deleted 'inf' is not a plain");
    REFUSED(GOOD GOOD "a,b,c,10,10,1,1,1,Unknown,2,4\n", "3:10", "deleted 10 is not after "
                                                             "created 10");
    REFUSED("a,b,c,10,5,1,1,1,Unknown,2,4\n", "1:10", "deleted 5 is not after created 10");
    REFUSED("a,b,c,0,10,1,1,1,Unknown,0,4\n", "1:26", "a VM of 0 cores");
    REFUSED("a,b,c,0,10,1,1,1,Unknown,>32,4\n", "1:26", "the core count '>32' is not");
    REFUSED("a,b,c,0,10,1,1,1,Unknown,2,>128\n", "1:28", "the memory '>128' is not");
    REFUSED("a,b,c,0,10,1,1,1,Unknown,2,\n", "1:28", "the memory '' is not");
    REFUSED("\"a,b,c,0,10,1,1,1,Unknown,2,4\n", "1:1", "no closing quote");
    REFUSED("\"a\"x,b,c,0,10,1,1,1,Unknown,2,4\n", "1:4", "after a quoted field");
    REFUSED("a,b,c,0\0,10,1,1,1,Unknown,2,4\n", "1:8", "a NUL byte");
    REFUSED("vmid,subscriptionid,deploymentid,vmcreated,vmdeleted,maxcpu,avgcpu,p95maxcpu,"
            "vmcategory,vmcorecountbucket,vmmemorybucket\n", "1:34", "no header line");
    /* the last time is 10: a running VM created then never runs */
    REFUSED(GOOD "a,b,c,10,,1,1,1,Unknown,2,4\n", "2:1", "deleted is empty (still running)");
}

/* A line far longer than any row, /dev/zero's endless NULs, an empty file, a
 * directory, a FIFO, a missing file: refused, never a crash or a hang. */
Test(trace_sources, vmtable_hostile_files_refused)
{
    size_t len = 100000;
    char *long_line = malloc(len);
    memset(long_line, 'x', len);
    vmtable_refused(long_line, len, "1:1", "a line longer than 65536 bytes");
    free(long_line);
    char dir[64], path[128];
    temp_dir_make(dir, sizeof dir, "vmtable");
    make_file(path, sizeof path, dir, "empty.csv", "\n\r\n", 3);
    const char *names[] = {path, dir, "/dev/zero", "/nonexistent/vmtable.csv", NULL};
    const char *whys[] = {"no VMs", "is a directory", "is a device", "No such file"};
    char fifo[128];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    names[4] = fifo;
    for (int i = 0; i < 5; i++) {
        pn_trace t;
        pn_trace_init(&t);
        pn_error err;
        pn_status st = pn_trace_read_azure_vmtable(names[i], &t, &err);
        const char *why = i < 4 ? whys[i] : "is a FIFO";
        cr_expect_eq(st, PN_ERR_USAGE, "%s: %s %s", names[i], pn_status_name(st), err.msg);
        cr_expect(strstr(err.msg, why), "'%s' should say '%s'", err.msg, why);
        cr_expect_eq(t.count, 0);
        pn_trace_free(&t);
    }
    remove_tree(dir);
}
