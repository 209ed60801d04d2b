/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_duration.h -- the clock engines time themselves with, and durations and rates written for people. */
#ifndef PN_DURATION_H
#define PN_DURATION_H

#include <stddef.h>

/* Seconds on the monotonic clock, for measuring intervals. */
double pn_now_seconds(void);

/* Writes e.g. "0.4 s", "12 s", "7 min", "3.5 hours", "2.1 days", "4.2 years"
 * or, past ten years (or for inf/NaN), "more than 10 years" into buf. */
void pn_format_duration(double seconds, char *buf, size_t len);

/* Writes a rate like "5.12 G" / "830 M" / "12.0 k" (SI prefixes) into buf. */
void pn_format_rate(double per_second, char *buf, size_t len);

#endif
