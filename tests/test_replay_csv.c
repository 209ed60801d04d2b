/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_replay_csv.c -- the generic CSV trace reader: RFC 4180 quoting, line ends, a BOM, open VMs, and every bad file named by file:line:column. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "question/pn_fleet.h"
#include "replay/pn_trace_csv.h"

/* Writes len bytes of text to a fresh temporary file, its path into path. */
static void write_temp(char *path, const char *text, size_t len)
{
    strcpy(path, "/tmp/pn-trace-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
}

/* Reads text as a trace file: its status, the trace and the message. */
static pn_status read_text(const char *text, pn_trace *trace, pn_error *err, char *path)
{
    write_temp(path, text, strlen(text));
    pn_trace_init(trace);
    pn_status st = pn_trace_read_csv(path, trace, err);
    unlink(path);
    return st;
}

/* Asserts text is refused as bad input with the message "PATH:where: ...why...". */
static void assert_refused(const char *text, const char *where, const char *why)
{
    char path[64], prefix[128];
    pn_trace trace;
    pn_error err = {{0}};
    pn_status st = read_text(text, &trace, &err, path);
    cr_assert_eq(st, PN_ERR_USAGE, "%s: %s", text, err.msg);
    snprintf(prefix, sizeof prefix, "%s:%s: ", path, where);
    cr_assert(strncmp(err.msg, prefix, strlen(prefix)) == 0, "expected '%s' in: %s", prefix,
              err.msg);
    cr_assert(strstr(err.msg, why), "expected '%s' in: %s", why, err.msg);
    cr_assert_eq(trace.count, 0);
    cr_assert_null(trace.vms);
}

/* Quoted fields with commas, "" and line breaks; CRLF; a BOM; columns in
 * any order and case; extra columns ignored; decimals; an empty end. */
Test(replay_csv, rfc4180_and_open_vms)
{
    const char *text = "\xEF\xBB\xBFid, Cores ,\"name, quoted\",END,start,Memory\r\n"
                       "\"a\"\"1\",2,\"x,\r\ny\",10.5,0.25,4\r\n"
                       "b,0.5,plain,,3,1.5\r\n"
                       "\r\n"
                       "c,1e0,\"\",12,11,0\n"
                       "d,4,z,,12,2"; /* no line end at the end */
    char path[64];
    pn_trace t;
    pn_error err;
    cr_assert_eq(read_text(text, &t, &err, path), PN_OK, "%s", err.msg);
    cr_assert(t.has_memory);
    cr_assert_eq(t.count, 4);
    /* The largest time in the file is 12: the open VMs end then. */
    const pn_trace_vm want[4] = {{0.25, 10.5, 2, 4, 2}, {3, 12, 0.5, 1.5, 4},
                                 {11, 12, 1, 0, 6}, {12, 12, 4, 2, 7}};
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(t.vms[i].start, want[i].start, "vm %d", i);
        cr_assert_eq(t.vms[i].end, want[i].end, "vm %d", i);
        cr_assert_eq(t.vms[i].cores, want[i].cores, "vm %d", i);
        cr_assert_eq(t.vms[i].memory, want[i].memory, "vm %d", i);
        cr_assert_eq(t.vms[i].origin, want[i].origin, "vm %d origin %llu", i,
                     (unsigned long long)t.vms[i].origin);
    }
    pn_trace_free(&t);
}

/* Without a memory column memory is 0 and has_memory false; a lone CR ends a line. */
Test(replay_csv, no_memory_column_and_cr_lines)
{
    char path[64];
    pn_trace t;
    pn_error err;
    cr_assert_eq(read_text("start,end,cores\r0,1,1\r2,3,2\r", &t, &err, path), PN_OK, "%s",
                 err.msg);
    cr_assert_not(t.has_memory);
    cr_assert_eq(t.count, 2);
    cr_assert_eq(t.vms[1].start, 2);
    cr_assert_eq(t.vms[1].cores, 2);
    cr_assert_eq(t.vms[1].memory, 0);
    cr_assert_eq(t.vms[1].origin, 3);
    pn_trace_free(&t);
}

Test(replay_csv, bad_numbers_named_by_line_and_column)
{
    assert_refused("start,end,cores\n0,1,nan\n", "2:5", "cores 'nan' is not a plain");
    assert_refused("start,end,cores\n0,inf,1\n", "2:3", "end 'inf' is not a plain");
    assert_refused("start,end,cores\n0,1e999,1\n", "2:3", "end '1e999' is not a plain");
    assert_refused("start,end,cores\n0,1e308,1\n", "2:3", "end '1e308' is too large");
    assert_refused("start,end,cores\n0,1,1e300\n", "2:5", "cores '1e300' is too large");
    assert_refused("start,end,cores\n0,1,0x10\n", "2:5", "is not a plain");
    assert_refused("start,end,cores\n0,1,1\n-1,1,1\n", "3:1", "start '-1' must not be negative");
    assert_refused("start,end,cores\n0,1,0\n", "2:5", "cores '0' must be above 0");
    assert_refused("start,end,cores\n0,1,-2\n", "2:5", "cores '-2' must be above 0");
    assert_refused("start,end,cores,memory\n0,1,1,-0.5\n", "2:7", "memory '-0.5' must not be");
    assert_refused("start,end,cores,memory\n0,1,1,\n", "2:7", "memory '' is empty");
    assert_refused("start,end,cores\n5,5,1\n", "2:3", "end '5' is not after the start");
    assert_refused("start,end,cores\n5,4.5,1\n", "2:3", "end '4.5' is not after the start");
    assert_refused("start,end,cores\n,4.5,1\n", "2:1", "start '' is empty");
    assert_refused("start,end,cores\n0,1, \n", "2:5", "is not a plain");
}

Test(replay_csv, bad_structure_named_by_line_and_column)
{
    assert_refused("start,end,cores\n0,1\n", "2:4", "the row has no 'cores'");
    assert_refused("start,end\n0,1\n", "1", "no 'cores' column");
    assert_refused("start,end,cores,start\n0,1,1,0\n", "1:17", "names 'start' twice");
    assert_refused("start,end,cores\n0,1,\"1\n", "2:5", "quoted field is never closed");
    assert_refused("start,end,cores\n0,1,\"1\"x\n", "2:8", "text after a closing quote");
    assert_refused("start,end,cores\n0,1,1\"\n", "2:6", "double quote inside");
}

Test(replay_csv, empty_and_header_only)
{
    char path[64];
    pn_trace t;
    pn_error err;
    cr_assert_eq(read_text("", &t, &err, path), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "is empty"), "%s", err.msg);
    cr_assert_eq(read_text("start,end,cores\n\n", &t, &err, path), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "a header but no VMs"), "%s", err.msg);
}

/* A NUL byte, a directory, /dev/zero and a line past the bound are refused. */
Test(replay_csv, hostile_files)
{
    char path[64];
    pn_trace t;
    pn_error err;
    write_temp(path, "start,end,cores\n0,1\0,1\n", 23);
    pn_trace_init(&t);
    cr_assert_eq(pn_trace_read_csv(path, &t, &err), PN_ERR_USAGE);
    unlink(path);
    char want[96];
    snprintf(want, sizeof want, "%s:2:4: a NUL byte", path);
    cr_assert(strstr(err.msg, want), "%s", err.msg);

    cr_assert_eq(pn_trace_read_csv("/tmp", &t, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "/tmp is a directory"), "%s", err.msg);
    cr_assert_eq(pn_trace_read_csv("/dev/zero", &t, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "/dev/zero:1:1: a NUL byte"), "%s", err.msg);
    cr_assert_eq(pn_trace_read_csv("/nonexistent/trace.csv", &t, &err), PN_ERR_IO);

    static char big[PN_TRACE_CSV_MAX_RECORD + 100];
    memset(big, 'a', sizeof big - 1);
    memcpy(big, "start,end,cores\n", 16);
    cr_assert_eq(read_text(big, &t, &err, path), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, ":2: a record longer than 65536 bytes"), "%s", err.msg);
}

/* Writes a small trace into the FIFO at arg, then closes it. */
static void *feed_fifo(void *arg)
{
    FILE *f = fopen(arg, "w");
    if (f) {
        fputs("start,end,cores\n0,2,1\n1,3,2\n", f);
        fclose(f);
    }
    return NULL;
}

/* A FIFO reads as a stream. */
Test(replay_csv, fifo_is_a_stream)
{
    char dir[] = "/tmp/pn-fifo-XXXXXX", path[96];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/trace", dir);
    cr_assert_eq(mkfifo(path, 0600), 0);
    pthread_t writer;
    pthread_create(&writer, NULL, feed_fifo, path);
    pn_trace t;
    pn_error err;
    pn_trace_init(&t);
    pn_status st = pn_trace_read_csv(path, &t, &err);
    pthread_join(writer, NULL);
    unlink(path);
    rmdir(dir);
    cr_assert_eq(st, PN_OK, "%s", err.msg);
    cr_assert_eq(t.count, 2);
    cr_assert_eq(t.vms[1].cores, 2);
    pn_trace_free(&t);
}

/* --fleet COUNTxCORES/MEMORY: memory parsed, 0 when absent, bad memory named. */
Test(replay_csv, fleet_memory)
{
    pn_query q = {0};
    pn_error err;
    cr_assert_eq(pn_fleet_parse("6x16/64,4x32@300,1x8/2@90.5", &q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(q.ngroups, 3);
    cr_assert_eq(q.groups[0].capacity, 16);
    cr_assert_eq(q.groups[0].memory, 64);
    cr_assert_eq(q.groups[1].memory, 0);
    cr_assert_eq(q.groups[1].watts, 300);
    cr_assert_eq(q.groups[2].memory, 2);
    cr_assert_eq(q.groups[2].watts, 90.5);
    cr_assert_eq(pn_fleet_parse("6x16/0", &q, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "/MEMORY must be at least 1"), "%s", err.msg);
    cr_assert_eq(pn_fleet_parse("6x16/", &q, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "the memory is missing"), "%s", err.msg);
    cr_assert_eq(pn_fleet_parse("6x16/1.5", &q, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "the memory must be a plain"), "%s", err.msg);
    cr_assert_eq(pn_fleet_parse("6x16/2000000000", &q, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "too large"), "%s", err.msg);
    /* The snapshot engines refuse memory: only a replay models it. */
    cr_assert_eq(pn_fleet_parse("2x4/8", &q, &err), PN_OK);
    q.guests = 1;
    cr_assert_eq(pn_query_validate(&q, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "only a replay (--trace) models"), "%s", err.msg);
}
