/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_progress_text.h -- the text of one progress report for a given width: the least important fields go first, so the line never wraps. */
#ifndef PN_PROGRESS_TEXT_H
#define PN_PROGRESS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/pn_progress.h"

/* No width limit: the whole text (a status line in a log). */
#define PN_PROGRESS_ANY_WIDTH SIZE_MAX

/* Writes report r, `elapsed` seconds into the run, as one line of at most
 * `width` characters into buf (len bytes, at least 2), e.g.
 *
 *   Calculating... 12.5% (123/987), 1.50 G scenarios/s, elapsed 42 s, ETA 7 min [#0 ...]
 *
 * label first ("Calculating..."; NULL or "" for none), then the share, the
 * counts, the rate (k, M, G, T prefixes), the time since the start, the
 * time left (none while nothing is done yet) and each device's rate when
 * there are two or more. When the whole does not fit in width, fields are
 * left out, the least important first: the device rates, the counts, the
 * rate, the elapsed time, the label, the ETA; the share stays, cut short
 * only when width is below its own length. A report in an engine's
 * internal units (r->internal) has no counts and no rate. r->total must
 * be above 0. Returns the length written. */
size_t pn_progress_format(const pn_progress_report *r, double elapsed, const char *label,
                          size_t width, char *buf, size_t len);

#endif
