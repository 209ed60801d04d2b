/* SPDX-License-Identifier: GPL-3.0-or-later */
/* count_fixture.h -- a CSV report's counts column and the exact counts of a keyspace range, as one comparable string. */
#ifndef PN_TEST_COUNT_FIXTURE_H
#define PN_TEST_COUNT_FIXTURE_H

#include <criterion/criterion.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pn_exact_range.h"
#include "query_fixture.h"

/* The counts column (third) of a CSV report, "c0,c1,...,". */
static inline char *csv_counts(const char *csv)
{
    char *out = calloc(strlen(csv) + 1, 1);
    for (const char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line, '\n')) {
        line++;
        const char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        const char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
        cr_assert(c3, "not CSV: %s", csv);
        strncat(out, c2 + 1, (size_t)(c3 - c2));
    }
    return out;
}

/* The exact counts of [first, first + count) of h/p/g, as csv_counts writes them. */
static inline char *exact_counts(uint64_t h, uint64_t p, uint64_t g, pn_model m, uint64_t first,
                          uint64_t count)
{
    pn_query q = resolved((pn_query){.hosts = h, .per_host = p, .guests = g, .model = m});
    pn_histogram hist;
    pn_error err;
    cr_assert_eq(pn_histogram_init(&hist, h, &err), PN_OK);
    cr_assert_eq(pn_exact_range_count(&q, first, count, &hist, &err), PN_OK, "%s", err.msg);
    char *out = calloc(64 * (h + 1), 1);
    for (uint64_t k = 0; k <= h; k++)
        gmp_sprintf(out + strlen(out), "%Zd,", hist.bins[k]);
    pn_histogram_clear(&hist);
    return out;
}

/* The counts column of the CSV report csv is the exact count of
 * [first, first + count) of h/p/g in model m. */
static inline void assert_csv_counts_exact(const char *csv, uint64_t h, uint64_t p, uint64_t g,
                                           pn_model m, uint64_t first, uint64_t count)
{
    char *got = csv_counts(csv), *want = exact_counts(h, p, g, m, first, count);
    cr_assert_str_eq(got, want, "%llu/%llu/%llu %s [%llu, +%llu)", (unsigned long long)h,
                     (unsigned long long)p, (unsigned long long)g, pn_model_name(m),
                     (unsigned long long)first, (unsigned long long)count);
    free(got);
    free(want);
}

#endif
