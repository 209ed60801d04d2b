/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_fixture.h -- what a report, or one piece of one, writes, captured as a string. */
#ifndef PN_TEST_REPORT_FIXTURE_H
#define PN_TEST_REPORT_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/pn_report.h"

/* A stream whose bytes end up in a string. */
typedef struct capture {
    FILE *f;
    char *text;
    size_t len;
} capture;

/* Starts capturing: write to the returned stream, then call capture_end. */
static inline FILE *capture_start(capture *c)
{
    *c = (capture){0};
    c->f = open_memstream(&c->text, &c->len);
    cr_assert_not_null(c->f);
    return c->f;
}

/* Everything written since capture_start, NUL-terminated; the caller frees it. */
static inline char *capture_end(capture *c)
{
    cr_assert_eq(fclose(c->f), 0);
    return c->text;
}

/* The report of in, in format, as pn_report_write writes it; the caller frees it. */
static inline char *report_text(const pn_report_input *in, pn_format format)
{
    capture c;
    pn_error err = {{0}};
    pn_status st = pn_report_write(capture_start(&c), format, in, &err);
    char *text = capture_end(&c);
    cr_assert_eq(st, PN_OK, "%s", err.msg);
    return text;
}

/* The JSON report of hist, the counts of q (resolved, a slice or the whole
 * keyspace), with `cost` (may be NULL), as `--format json` writes it: a
 * slice file. *len (when len is not NULL) gets its length; the caller
 * frees it. The engine's label holds a quote, which the writer escapes. */
static inline char *json_report(const pn_query *q, const pn_histogram *hist,
                                const pn_cost_input *cost, size_t *len)
{
    cr_assert(q->resolved && q->keyspace_fits);
    pn_report_input in = {.query = q, .hist = hist, .engine = "cpu \"test\"", .cost = cost,
                          .keyspace = q->keyspace};
    char *text = report_text(&in, PN_FORMAT_JSON);
    if (len)
        *len = strlen(text);
    return text;
}

#endif
