/* SPDX-License-Identifier: GPL-3.0-or-later */
/* duration.c -- the monotonic clock, and human-readable durations and rates for notes and progress lines. */
#include "base/pn_duration.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#define MINUTE 60.0
#define HOUR (60.0 * MINUTE)
#define DAY (24.0 * HOUR)
#define YEAR (365.0 * DAY)

double pn_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void pn_format_duration(double seconds, char *buf, size_t len)
{
    if (!isfinite(seconds) || seconds > 10 * YEAR)
        snprintf(buf, len, "more than 10 years");
    else if (seconds < 10)
        snprintf(buf, len, "%.1f s", seconds < 0 ? 0.0 : seconds);
    else if (seconds < 2 * MINUTE)
        snprintf(buf, len, "%.0f s", seconds);
    else if (seconds < 2 * HOUR)
        snprintf(buf, len, "%.0f min", seconds / MINUTE);
    else if (seconds < 2 * DAY)
        snprintf(buf, len, "%.1f hours", seconds / HOUR);
    else if (seconds < YEAR)
        snprintf(buf, len, "%.1f days", seconds / DAY);
    else
        snprintf(buf, len, "%.1f years", seconds / YEAR);
}

void pn_format_rate(double per_second, char *buf, size_t len)
{
    static const char *const PREFIX[] = {"", "k", "M", "G", "T", "P", "E"};
    size_t i = 0;
    while (per_second >= 1000.0 && i + 1 < sizeof PREFIX / sizeof PREFIX[0]) {
        per_second /= 1000.0;
        i++;
    }
    snprintf(buf, len, i ? "%.2f %s" : "%.0f%s", per_second, PREFIX[i]);
}
