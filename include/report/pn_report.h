/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_report.h -- formatting a histogram as the 2009 text report, JSON or CSV. */
#ifndef PN_REPORT_H
#define PN_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "report/pn_cost.h"
#include "question/pn_histogram.h"
#include "slice/pn_json_keys.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

typedef enum pn_format { PN_FORMAT_TEXT = 0, PN_FORMAT_JSON, PN_FORMAT_CSV } pn_format;

/* Everything a report shows. The report never asks which engine ran beyond
 * the label it prints in JSON. */
typedef struct pn_report_input {
    const pn_query *query;
    const pn_histogram *hist;
    const char *engine;       /* run->engine_used */
    const pn_cost_input *cost; /* may be NULL or not wanted */
    uint64_t keyspace;        /* (p+1)^h when known (enumerating), else 0 */
    const double *hours;      /* a load curve's hours at this level, else NULL */
    const pn_levels *curve;   /* a load curve, when this is one of its levels: the
                               * cost is for hours/curve->total_hours of a year */
} pn_report_input;

/* Writes the report in `format` to out and flushes it. PN_ERR_IO when the
 * write fails (a full disk, a closed pipe), naming the error. */
pn_status pn_report_write(FILE *out, pn_format format, const pn_report_input *in,
                          pn_error *err);

/* The cost of in at `expected` percent savings: per host from --watts, or
 * from a weighted mixed fleet's groups; a load curve's level's for its
 * share of the year (in->curve). */
pn_cost pn_report_cost(const pn_report_input *in, double expected);

/* The text report's first line: "In a cloud with [h] hosts, which can
 * handle [p] guests-per-host, LOAD,", or a mixed fleet's groups instead. */
void pn_report_heading(FILE *out, const pn_query *q, const char *load);

/* s as a JSON string literal: quotes, backslashes and control bytes escaped. */
void pn_report_json_string(FILE *out, const char *s);

/* Parses "text", "json", "csv"; false otherwise. */
bool pn_format_parse(const char *text, pn_format *out);

#endif
