/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress_text.c -- the text of a progress report, its fields dropped least important first until it fits the width. */
#include "cli/pn_progress_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/pn_duration.h"

/* The fields of a line, in the order they are dropped when it is too wide
 * (the first goes first); the share is never dropped. */
enum field { DEVICES, COUNTS, RATE, ELAPSED, LABEL, ETA, FIELDS };

/* The text of each field, empty when the report has none. */
typedef struct parts {
    char text[FIELDS][256];
    char share[16];
} parts;

/* A rate people read: one decimal below 10 ("0.4", "3.2"), whole numbers to
 * 999, then k, M, G, T... prefixes ("1.50 G"). */
static void format_rate(double per_second, char *buf, size_t len)
{
    if (per_second < 10)
        snprintf(buf, len, "%.1f", per_second < 0 ? 0.0 : per_second);
    else
        pn_format_rate(per_second, buf, len);
}

/* " [#0 1.10 G/s, #1 3.40 G/s]" when an engine reports two devices or more. */
static void format_devices(const pn_progress_report *r, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    if (r->devices < 2)
        return;
    for (unsigned d = 0; d < r->devices && d < PN_PROGRESS_MAX_DEVICES && used < len; d++) {
        char rate[32];
        format_rate(r->device_rate[d], rate, sizeof rate);
        used += (size_t)snprintf(buf + used, len - used, "%s#%u %s/s", d ? ", " : " [",
                                 d + r->device_base, rate);
    }
    if (used < len)
        snprintf(buf + used, len - used, "]");
}

/* Every field of r as text. */
static void make_parts(const pn_progress_report *r, double elapsed, const char *label,
                       parts *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->share, sizeof p->share, "%.1f%%", 100.0 * (double)r->done / (double)r->total);
    if (label && *label)
        snprintf(p->text[LABEL], sizeof p->text[LABEL], "%s ", label);
    if (!r->internal) {
        char rate[32];
        format_rate(r->rate, rate, sizeof rate);
        snprintf(p->text[COUNTS], sizeof p->text[COUNTS], " (%llu/%llu)",
                 (unsigned long long)r->done, (unsigned long long)r->total);
        snprintf(p->text[RATE], sizeof p->text[RATE], ", %s %s/s", rate,
                 r->unit ? r->unit : "scenarios");
    }
    char took[64];
    pn_format_duration(elapsed, took, sizeof took);
    snprintf(p->text[ELAPSED], sizeof p->text[ELAPSED], ", elapsed %s", took);
    if (r->rate > 0 && r->done > 0) {
        char left[64];
        pn_format_duration((double)(r->total - r->done) / r->rate, left, sizeof left);
        snprintf(p->text[ETA], sizeof p->text[ETA], ", ETA %s", left);
    }
    format_devices(r, p->text[DEVICES], sizeof p->text[DEVICES]);
}

/* The line's length with the fields in `kept`. */
static size_t width_of(const parts *p, const bool *kept)
{
    size_t n = strlen(p->share);
    for (int f = 0; f < FIELDS; f++)
        n += kept[f] ? strlen(p->text[f]) : 0;
    return n;
}

size_t pn_progress_format(const pn_progress_report *r, double elapsed, const char *label,
                          size_t width, char *buf, size_t len)
{
    parts p;
    make_parts(r, elapsed, label, &p);
    bool kept[FIELDS];
    for (int f = 0; f < FIELDS; f++)
        kept[f] = true;
    for (int f = 0; f < FIELDS && width_of(&p, kept) > width; f++)
        kept[f] = false;
    /* in reading order: label, share, counts, rate, elapsed, ETA, devices */
    static const enum field after[] = {COUNTS, RATE, ELAPSED, ETA, DEVICES};
    size_t used = (size_t)snprintf(buf, len, "%s%s", kept[LABEL] ? p.text[LABEL] : "", p.share);
    for (size_t i = 0; i < sizeof after / sizeof after[0] && used < len; i++)
        if (kept[after[i]])
            used += (size_t)snprintf(buf + used, len - used, "%s", p.text[after[i]]);
    if (used >= len)
        used = len - 1;
    if (used > width) /* even the share alone is too wide */
        used = width;
    buf[used] = '\0';
    return used;
}
