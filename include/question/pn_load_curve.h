/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_load_curve.h -- a load curve file (CSV: hours,guests) read into guest levels with their hours. */
#ifndef PN_LOAD_CURVE_H
#define PN_LOAD_CURVE_H

#include "question/pn_levels.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* Most bytes a load curve may hold (a year of minutes fits). */
#define PN_LOAD_CURVE_MAX_BYTES (16u << 20)

/* Reads `path` ("-": standard input, named "(standard input)" in
 * messages): a header line "hours,guests", then one row per stretch of
 * time, "HOURS,GUESTS" (HOURS a plain non-negative number, GUESTS a plain
 * integer within q's capacity); CRLF line ends, blank lines and a UTF-8
 * byte order mark at the start are allowed. Fills lv (zeroed on entry)
 * with the distinct guest counts and the hours at each. PN_ERR_USAGE
 * "PATH:LINE:COLUMN: what is wrong" for a bad curve (no header, a bad or
 * negative number, guests beyond capacity, no rows, an empty file, hours
 * adding up to 0, a NUL byte, a byte order mark past the start), and
 * PN_ERR_USAGE naming the path and the system's reason when it cannot be
 * opened or read (missing, a directory, unreadable): a wrong file named. */
pn_status pn_load_curve_read(const char *path, const pn_query *q, pn_levels *lv, pn_error *err);

#endif
