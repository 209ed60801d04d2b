/* SPDX-License-Identifier: GPL-3.0-or-later */
/* levels.c -- the sorted, distinct guest counts a sweep or a load curve asks about. */
#include "question/pn_levels.h"

#include <stdlib.h>
#include <string.h>

pn_status pn_levels_range(pn_levels *lv, uint64_t from, uint64_t to, pn_error *err)
{
    memset(lv, 0, sizeof *lv);
    if (from > to)
        return pn_fail(err, PN_ERR_USAGE, "-g %llu:%llu runs backwards (FROM must be at most TO)",
                       (unsigned long long)from, (unsigned long long)to);
    if (to - from >= PN_MAX_LEVELS)
        return pn_fail(err, PN_ERR_USAGE,
                       "-g %llu:%llu would answer %llu guest counts, more than %llu at once",
                       (unsigned long long)from, (unsigned long long)to,
                       (unsigned long long)(to - from) + 1, PN_MAX_LEVELS);
    lv->guests = malloc((size_t)(to - from + 1) * sizeof *lv->guests);
    if (!lv->guests)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for %llu guest counts",
                       (unsigned long long)(to - from + 1));
    for (uint64_t g = from; g <= to; g++)
        lv->guests[lv->n++] = g;
    lv->listed = true;
    return PN_OK;
}

pn_status pn_levels_copy(pn_levels *dst, const pn_levels *src, pn_error *err)
{
    *dst = *src;
    dst->guests = NULL;
    dst->hours = NULL;
    if (src->guests && !(dst->guests = malloc(src->n * sizeof *dst->guests)))
        goto nomem;
    if (src->hours && !(dst->hours = malloc(src->n * sizeof *dst->hours)))
        goto nomem;
    if (src->guests)
        memcpy(dst->guests, src->guests, src->n * sizeof *dst->guests);
    if (src->hours)
        memcpy(dst->hours, src->hours, src->n * sizeof *dst->hours);
    return PN_OK;
nomem:
    pn_levels_clear(dst);
    return pn_fail(err, PN_ERR_NOMEM, "out of memory for %zu guest counts", src->n);
}

/* The index of g in lv, or lv->n when absent. */
static size_t find_level(const pn_levels *lv, uint64_t g)
{
    size_t lo = 0, hi = lv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pn_levels_at(lv, mid) < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lv->n && pn_levels_at(lv, lo) == g ? lo : lv->n;
}

pn_status pn_levels_add(pn_levels *lv, uint64_t g, double hours, pn_error *err)
{
    lv->listed = true;
    lv->rows++;
    lv->total_hours += hours;
    size_t at = find_level(lv, g);
    if (at < lv->n) {
        lv->hours[at] += hours;
        return PN_OK;
    }
    if (lv->n >= PN_MAX_LEVELS)
        return pn_fail(err, PN_ERR_USAGE, "more than %llu distinct guest counts", PN_MAX_LEVELS);
    uint64_t *guests = realloc(lv->guests, (lv->n + 1) * sizeof *guests);
    if (guests)
        lv->guests = guests;
    double *h = guests ? realloc(lv->hours, (lv->n + 1) * sizeof *h) : NULL;
    if (!h)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for %zu guest counts", lv->n + 1);
    lv->hours = h;
    size_t pos = 0;
    while (pos < lv->n && lv->guests[pos] < g)
        pos++;
    memmove(lv->guests + pos + 1, lv->guests + pos, (lv->n - pos) * sizeof *lv->guests);
    memmove(lv->hours + pos + 1, lv->hours + pos, (lv->n - pos) * sizeof *lv->hours);
    lv->guests[pos] = g;
    lv->hours[pos] = hours;
    lv->n++;
    return PN_OK;
}

void pn_levels_clear(pn_levels *lv)
{
    free(lv->guests);
    free(lv->hours);
    memset(lv, 0, sizeof *lv);
}
