/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_levels.h -- the guest counts one run answers: a single g, a range (-g all, -g FROM:TO) or a load curve's levels. */
#ifndef PN_LEVELS_H
#define PN_LEVELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pn_status.h"

/* Most guest counts one run answers: past this a sweep's report (and its
 * histograms) would not fit anyone's screen or memory. */
#define PN_MAX_LEVELS 100001ULL

/* Distinct guest counts in ascending order; for a load curve, the hours the
 * curve spends at each (summed over its rows). Every question is such a list:
 * -g G is the one level G, held in `single` (no allocation, so a query that
 * carries it can be copied and dropped freely); read a level with
 * pn_levels_at whatever its kind. */
typedef struct pn_levels {
    size_t n;
    uint64_t *guests;    /* n counts; NULL for the one level in `single` */
    uint64_t single;
    bool listed;         /* asked as a list (-g all, -g FROM:TO, --load-curve):
                          * the sweep's report, even for one level */
    double *hours;       /* NULL unless a load curve */
    double total_hours;  /* sum of hours */
    unsigned rows;       /* a load curve's rows */
} pn_levels;

/* The i-th guest count of lv (i < lv->n). */
static inline uint64_t pn_levels_at(const pn_levels *lv, size_t i)
{
    return lv->guests ? lv->guests[i] : lv->single;
}

/* The one level g of a question asked with -g G. */
static inline pn_levels pn_levels_one(uint64_t g)
{
    return (pn_levels){.n = 1, .single = g};
}

/* The levels from..to (from <= to), listed. PN_ERR_USAGE when from > to or the range
 * holds more than PN_MAX_LEVELS counts, PN_ERR_NOMEM when memory runs out. */
pn_status pn_levels_range(pn_levels *lv, uint64_t from, uint64_t to, pn_error *err);

/* Adds `hours` at guest count g, keeping the levels sorted and distinct
 * (a load curve's rows, one by one). */
pn_status pn_levels_add(pn_levels *lv, uint64_t g, double hours, pn_error *err);

/* A copy of src into dst with arrays of its own (none for the one level of
 * -g G), so dst outlives whoever built src; free it with pn_levels_clear.
 * PN_ERR_NOMEM when memory runs out (dst is then zeroed). */
pn_status pn_levels_copy(pn_levels *dst, const pn_levels *src, pn_error *err);

/* Frees the arrays; safe on a zeroed or cleared pn_levels. */
void pn_levels_clear(pn_levels *lv);

#endif
