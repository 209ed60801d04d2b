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

/* Field `col` (0 first) of the CSV line at line, as a pointer and length. */
static inline const char *csv_field(const char *line, size_t col, size_t *len)
{
    for (; col > 0 && line; col--) {
        line = strpbrk(line, ",\n");
        line = line && *line == ',' ? line + 1 : NULL;
    }
    cr_assert(line, "not that many fields");
    *len = strcspn(line, ",\n");
    return line;
}

/* The "count" column (named by the header) of a CSV report, "c0,c1,...,". */
static inline char *csv_counts(const char *csv)
{
    size_t col = 0, len;
    while (!(strncmp(csv_field(csv, col, &len), "count", 5) == 0 && len == 5))
        col++;
    char *out = calloc(strlen(csv) + 1, 1);
    for (const char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line, '\n')) {
        line++;
        const char *field = csv_field(line, col, &len);
        strncat(out, field, len);
        strcat(out, ",");
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
