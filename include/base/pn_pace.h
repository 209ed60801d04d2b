/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_pace.h -- the one chunk pacer: how much work to hand a worker next so it takes about the target time. */
#ifndef PN_PACE_H
#define PN_PACE_H

/* What the pacer knows about one worker and the work left, all in the
 * caller's own units (scenarios, kernel units, trajectory windows). */
typedef struct pn_pace {
    double rate;       /* this worker's measured units per second; 0 while unknown */
    double first;      /* units of a chunk handed before any rate is known */
    double target;     /* seconds a chunk should take */
    double last;       /* units of the worker's last chunk; 0 when none */
    double growth;     /* a chunk is at most growth x the last one */
    double left;       /* units not handed out yet */
    double total_rate; /* every worker's rate summed, for sharing the rest by
                        * speed so workers finish together; 0: one worker, no share */
    double tail;       /* seconds: a share is never cut below tail x rate (0: none) */
    double least;      /* the smallest chunk */
} pn_pace;

/* Units of the next chunk: target seconds at the worker's rate (first
 * before one is known), grown at most `growth` times past the last chunk,
 * at most its share of `left` by speed (never below `tail` seconds of its
 * own work), at least `least`. Callers clip it to their own range. */
double pn_pace_units(const pn_pace *p);

#endif
