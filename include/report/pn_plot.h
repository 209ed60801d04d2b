/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_plot.h -- drawing a report as an 800x500 chart, PNG or SVG by the file's extension, with cairo. */
#ifndef PN_PLOT_H
#define PN_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "report/pn_plot_data.h"
#include "base/pn_status.h"

#define PN_PLOT_WIDTH 800
#define PN_PLOT_HEIGHT 500

/* Before any work: whether the chart writer could write path, found by
 * creating (and removing) its temporary file beside it. PN_ERR_USAGE naming
 * --plot and path when path is a directory, its directory is missing or
 * cannot be written. An existing file is no obstacle: the chart replaces it. */
pn_status pn_plot_check_path(const char *path, pn_error *err);

/* The tick values of an axis from lo to hi, 1, 2 or 5 times a power of ten
 * apart (about 8 of them), into out (at most max), returning how many. With
 * whole (a bar chart's napping hosts), only whole numbers from 0 up: the
 * step is at least 1, so 1 host gives the ticks 0 and 1, never 0.5 or -0.5. */
size_t pn_plot_ticks(double lo, double hi, bool whole, double *out, size_t max);

/* pn_plot_data_single, then the chart writer. */
pn_status pn_plot_single(const char *path, const pn_report_input *in, pn_error *err);

/* pn_plot_data_levels, then the chart writer. */
pn_status pn_plot_levels(const char *path, const pn_levels_report *in, pn_error *err);

#endif
