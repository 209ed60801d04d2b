/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot.c -- one cairo drawing routine for both chart formats, written through a temporary file and a rename. */
#include "report/pn_plot.h"

#include <cairo.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The frame of the plotting area inside the 800x500 canvas. */
#define PI 3.14159265358979323846
#define LEFT 80.0
#define RIGHT 30.0
#define TOP 60.0
#define BOTTOM 70.0

/* Data ranges and the canvas they map onto. */
typedef struct frame {
    double x0, x1, y0, y1; /* data */
    double left, right, top, bottom; /* canvas */
} frame;

static double to_x(const frame *f, double x)
{
    return f->left + (x - f->x0) / (f->x1 - f->x0) * (f->right - f->left);
}

static double to_y(const frame *f, double y)
{
    return f->bottom - (y - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most ~8 ticks. */
static double tick_step(double span)
{
    double raw = span / 8.0, unit = pow(10.0, floor(log10(raw > 0 ? raw : 1)));
    return raw <= unit ? unit : raw <= 2 * unit ? 2 * unit : raw <= 5 * unit ? 5 * unit : 10 * unit;
}

size_t pn_plot_ticks(double lo, double hi, bool whole, double *out, size_t max)
{
    double step = tick_step(hi - lo);
    if (whole) {
        step = fmax(step, 1.0);
        lo = fmax(lo, 0.0);
    }
    size_t n = 0;
    for (double x = ceil(lo / step) * step; n < max && x <= hi + 1e-9; x += step)
        out[n++] = fabs(x) < 1e-9 ? 0.0 : x;
    return n;
}

/* text centred on x (align 0.5), left of it (1) or right of it (0), baseline y. */
static void text_at(cairo_t *cr, const char *text, double x, double y, double align)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, text, &e);
    cairo_move_to(cr, x - align * e.x_advance, y);
    cairo_show_text(cr, text);
}

/* Title, axes, ticks with numbers, and the axis labels. */
static void draw_axes(cairo_t *cr, const pn_plot_data *d, const frame *f)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 15);
    text_at(cr, d->title, PN_PLOT_WIDTH / 2.0, 30, 0.5);
    cairo_set_font_size(cr, 12);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, f->left, f->top, f->right - f->left, f->bottom - f->top);
    cairo_stroke(cr);
    char num[32];
    double ticks[32];
    size_t n = pn_plot_ticks(f->x0, f->x1, d->kind == PN_PLOT_BARS, ticks, 32);
    for (size_t i = 0; i < n; i++) {
        double x = ticks[i];
        snprintf(num, sizeof num, "%g", x);
        cairo_move_to(cr, to_x(f, x), f->bottom);
        cairo_line_to(cr, to_x(f, x), f->bottom + 5);
        cairo_stroke(cr);
        text_at(cr, num, to_x(f, x), f->bottom + 20, 0.5);
    }
    n = pn_plot_ticks(f->y0, f->y1, false, ticks, 32);
    for (size_t i = 0; i < n; i++) {
        double y = ticks[i];
        snprintf(num, sizeof num, "%g", y);
        cairo_move_to(cr, f->left - 5, to_y(f, y));
        cairo_line_to(cr, f->left, to_y(f, y));
        cairo_stroke(cr);
        text_at(cr, num, f->left - 8, to_y(f, y) + 4, 1);
    }
    cairo_set_font_size(cr, 13);
    text_at(cr, d->x_label, (f->left + f->right) / 2, PN_PLOT_HEIGHT - 22, 0.5);
    cairo_save(cr);
    cairo_translate(cr, 22, (f->top + f->bottom) / 2);
    cairo_rotate(cr, -PI / 2);
    text_at(cr, d->y_label, 0, 0, 0.5);
    cairo_restore(cr);
}

/* A dashed vertical marker at data x, labelled at height label_y, on its
 * right, or on its left when the label would leave the frame. */
static void marker(cairo_t *cr, const frame *f, double x, const char *label, double label_y,
                   double r, double g, double b)
{
    static const double dash[] = {6, 4};
    cairo_set_source_rgb(cr, r, g, b);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, to_x(f, x), f->top);
    cairo_line_to(cr, to_x(f, x), f->bottom);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_text_extents_t e;
    cairo_text_extents(cr, label, &e);
    if (to_x(f, x) + 6 + e.x_advance > f->right)
        text_at(cr, label, to_x(f, x) - 6, label_y, 1);
    else
        text_at(cr, label, to_x(f, x) + 6, label_y, 0);
}

static void draw_bars(cairo_t *cr, const pn_plot_data *d)
{
    frame f = {.x0 = -0.5, .x1 = 0.5, .y0 = 0, .y1 = 10, .left = LEFT,
               .right = PN_PLOT_WIDTH - RIGHT, .top = TOP, .bottom = PN_PLOT_HEIGHT - BOTTOM};
    for (size_t i = 0; i < d->n; i++) {
        f.x0 = fmin(f.x0, d->x[i] - 0.5);
        f.x1 = fmax(f.x1, d->x[i] + 0.5);
        f.y1 = fmax(f.y1, d->y[i] * 1.15);
    }
    f.x0 = fmin(f.x0, d->bound_x - 0.5);
    f.x1 = fmax(f.x1, d->bound_x + 0.5);
    draw_axes(cr, d, &f);
    double width = (to_x(&f, 1) - to_x(&f, 0)) * 0.7;
    cairo_set_source_rgb(cr, 0.27, 0.51, 0.71);
    for (size_t i = 0; i < d->n; i++) {
        cairo_rectangle(cr, to_x(&f, d->x[i]) - width / 2, to_y(&f, d->y[i]), width,
                        to_y(&f, 0) - to_y(&f, d->y[i]));
        cairo_fill(cr);
    }
    char label[96];
    snprintf(label, sizeof label, "expected: %.1f%% savings", d->expected_percent);
    marker(cr, &f, d->expected_x, label, f.top + 18, 0.85, 0.37, 0.0);
    snprintf(label, sizeof label, "perfect consolidation: %g hosts, %.1f%%", d->bound_x,
             d->bound_percent);
    marker(cr, &f, d->bound_x, label, f.top + 36, 0.2, 0.6, 0.2);
}

/* A polyline through (x[i], y[i]) with a dot at each point when few. */
static void polyline(cairo_t *cr, const frame *f, const double *x, const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        (i ? cairo_line_to : cairo_move_to)(cr, to_x(f, x[i]), to_y(f, y[i]));
    cairo_stroke(cr);
    for (size_t i = 0; n <= 60 && i < n; i++) {
        cairo_arc(cr, to_x(f, x[i]), to_y(f, y[i]), 3, 0, 2 * PI);
        cairo_fill(cr);
    }
}

static void draw_curve(cairo_t *cr, const pn_plot_data *d)
{
    frame f = {.x0 = d->x[0], .x1 = d->x[d->n - 1], .y0 = 0, .y1 = 100, .left = LEFT,
               .right = PN_PLOT_WIDTH - RIGHT, .top = TOP, .bottom = PN_PLOT_HEIGHT - BOTTOM};
    if (f.x1 <= f.x0)
        f.x1 = f.x0 + 1;
    draw_axes(cr, d, &f);
    cairo_set_line_width(cr, 2);
    cairo_set_source_rgb(cr, 0.2, 0.6, 0.2);
    polyline(cr, &f, d->x, d->bound, d->n);
    cairo_set_source_rgb(cr, 0.27, 0.51, 0.71);
    polyline(cr, &f, d->x, d->y, d->n);
    cairo_set_font_size(cr, 12);
    double lx = f.right - 250, ly = f.top + 20;
    text_at(cr, d->legend, lx, ly, 0);
    cairo_set_source_rgb(cr, 0.2, 0.6, 0.2);
    text_at(cr, "- perfect consolidation (packing bound)", lx, ly + 18, 0);
    if (d->has_overall) {
        static const double dash[] = {6, 4};
        char label[96];
        snprintf(label, sizeof label, "overall expected value: %.1f%%", d->overall_percent);
        cairo_set_source_rgb(cr, 0.85, 0.37, 0.0);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, f.left, to_y(&f, d->overall_percent));
        cairo_line_to(cr, f.right, to_y(&f, d->overall_percent));
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        text_at(cr, label, lx, ly + 36, 0);
    }
}

/* The one drawing routine: white canvas, then bars or curves. */
static void draw(cairo_t *cr, const pn_plot_data *d)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    if (d->kind == PN_PLOT_BARS)
        draw_bars(cr, d);
    else if (d->n > 0)
        draw_curve(cr, d);
}

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Draws d into the open file f as PNG or SVG; false when cairo fails. */
static bool render(FILE *f, bool svg, const pn_plot_data *d)
{
    cairo_surface_t *s;
    if (svg) {
        s = cairo_svg_surface_create_for_stream(write_stream, f, PN_PLOT_WIDTH, PN_PLOT_HEIGHT);
        cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_USER);
    } else
        s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, PN_PLOT_WIDTH, PN_PLOT_HEIGHT);
    cairo_t *cr = cairo_create(s);
    draw(cr, d);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    if (!svg && ok)
        ok = cairo_surface_write_to_png_stream(s, write_stream, f) == CAIRO_STATUS_SUCCESS;
    cairo_surface_finish(s);
    ok = ok && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return ok;
}

/* The temporary name beside path, "DIR/.pn-plot-XXXXXX", into tmp (cap
 * bytes); false when it does not fit. */
static bool temporary_name(const char *path, char *tmp, size_t cap)
{
    const char *slash = strrchr(path, '/');
    int n = snprintf(tmp, cap, "%.*s.pn-plot-XXXXXX", slash ? (int)(slash - path + 1) : 0, path);
    return n >= 0 && (size_t)n < cap;
}

pn_status pn_plot_check_path(const char *path, pn_error *err)
{
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash == path ? 1 : slash - path) : 1;
    const char *dir = slash ? path : ".";
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return pn_fail(err, PN_ERR_USAGE, "--plot '%s' is a directory; name a .png or .svg "
                                          "file in it", path);
    char tmp[4096];
    if (!temporary_name(path, tmp, sizeof tmp))
        return pn_fail(err, PN_ERR_USAGE, "--plot '%s': the path is too long", path);
    int fd = mkstemp(tmp); /* what write_chart will do, undone: the only sure test */
    if (fd < 0)
        return pn_fail(err, PN_ERR_USAGE, "--plot '%s': cannot write a file in %.*s: %s", path,
                       dir_len, dir, strerror(errno));
    close(fd);
    unlink(tmp);
    return PN_OK;
}

/* Draws d (one routine for both formats) into path: .png or .svg, by its
 * extension, case-insensitively (PN_ERR_USAGE otherwise). The chart is
 * written to a temporary file beside path and renamed over it, so a failed
 * write leaves no partial file; PN_ERR_IO naming path when it cannot be
 * written. */
static pn_status write_chart(const char *path, const pn_plot_data *d, pn_error *err)
{
    const char *dot = strrchr(path, '.');
    bool svg = dot && strcasecmp(dot, ".svg") == 0;
    if (!dot || (!svg && strcasecmp(dot, ".png") != 0))
        return pn_fail(err, PN_ERR_USAGE, "--plot '%s': the format comes from the extension, "
                                          ".png or .svg", path);
    char tmp[4096];
    if (!temporary_name(path, tmp, sizeof tmp))
        return pn_fail(err, PN_ERR_IO, "cannot write the plot '%s': the path is too long", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return pn_fail(err, PN_ERR_IO, "cannot write the plot '%s': %s", path, strerror(errno));
    mode_t mask = umask(0); /* mkstemp made it 0600; a chart is as readable as any new file */
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    FILE *f = fdopen(fd, "wb");
    bool ok = f && render(f, svg, d);
    int saved = errno;
    ok = (f ? fclose(f) == 0 : (close(fd), false)) && ok;
    if (ok && rename(tmp, path) == 0)
        return PN_OK;
    saved = errno ? errno : saved;
    unlink(tmp);
    return pn_fail(err, PN_ERR_IO, "cannot write the plot '%s': %s", path,
                   saved ? strerror(saved) : "drawing failed");
}

pn_status pn_plot_single(const char *path, const pn_report_input *in, pn_error *err)
{
    pn_plot_data d;
    pn_status st = pn_plot_data_single(in, &d, err);
    if (st == PN_OK)
        st = write_chart(path, &d, err);
    pn_plot_data_clear(&d);
    return st;
}

pn_status pn_plot_levels(const char *path, const pn_levels_report *in, pn_error *err)
{
    pn_plot_data d;
    pn_status st = pn_plot_data_levels(in, &d, err);
    if (st == PN_OK)
        st = write_chart(path, &d, err);
    pn_plot_data_clear(&d);
    return st;
}
