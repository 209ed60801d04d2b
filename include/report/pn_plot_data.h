/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_plot_data.h -- the numbers a chart shows, taken from the report's own figures, apart from how they are drawn. */
#ifndef PN_PLOT_DATA_H
#define PN_PLOT_DATA_H

#include <stddef.h>

#include "report/pn_report.h"
#include "report/pn_report_levels.h"
#include "base/pn_status.h"

typedef enum pn_plot_kind {
    PN_PLOT_BARS,  /* one guest count: P(k napping hosts) per k */
    PN_PLOT_CURVE  /* a sweep or load curve: expected savings against guests */
} pn_plot_kind;

/* What a chart shows. Bars: x[i] = k, y[i] = the report's probability of k
 * napping hosts in percent, with markers at the expected napping hosts
 * (labelled with the expected savings) and at the packing bound. Curve:
 * x[i] = guests, y[i] = the expected savings in percent, bound[i] = the
 * packing bound's savings in percent; a load curve also has its overall
 * time-weighted value. */
typedef struct pn_plot_data {
    pn_plot_kind kind;
    char title[384];
    char x_label[64], y_label[64];
    size_t n;
    double *x, *y, *bound; /* n each; bound only for curves */
    double expected_x, expected_percent;      /* bars */
    double bound_x, bound_percent;            /* bars */
    char legend[64];                           /* curves: the expected line's, naming the model */
    bool has_overall;                          /* curves of a load curve */
    double overall_percent;
} pn_plot_data;

/* The bars of a single-g report (only the k that can happen, as the text
 * report lists them). PN_ERR_NOMEM when memory runs out. */
pn_status pn_plot_data_single(const pn_report_input *in, pn_plot_data *out, pn_error *err);

/* The curve of a sweep or load curve report. */
pn_status pn_plot_data_levels(const pn_levels_report *in, pn_plot_data *out, pn_error *err);

/* Frees the arrays; safe on a zeroed or cleared pn_plot_data. */
void pn_plot_data_clear(pn_plot_data *d);

#endif
