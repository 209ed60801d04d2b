/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_flavors.c -- the --flavors mix (CORES[/MEMORY]:PROBABILITY items) parsed into the sizes a synthetic trace draws from. */
#include "replay/pn_trace_sources.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/pn_number.h"

/* How far the probabilities may sum from 1: decimals like 0.1 are not exact
 * in binary, and three or four of them add up to 1 only within rounding. */
#define SUM_TOLERANCE 1e-9

/* A bad item, named by its 1-based index and its text. */
__attribute__((format(printf, 5, 6)))
static pn_status bad_item(pn_error *err, size_t index, const char *item, size_t len,
                          const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return pn_fail(err, PN_ERR_USAGE, "--flavors item %zu '%.*s': %s", index + 1,
                   (int)(len > 64 ? 64 : len), item, why);
}

/* One item, text[0, len), into flavor i of f; *memory says whether it gave
 * a memory size. */
static pn_status parse_item(const char *text, size_t len, size_t i, pn_flavors *f, bool *memory,
                            pn_error *err)
{
    const char *colon = memchr(text, ':', len);
    if (!colon)
        return bad_item(err, i, text, len, "expected CORES:PROBABILITY or "
                                           "CORES/MEMORY:PROBABILITY, e.g. 2:0.3 or 2/8:0.3");
    size_t size_len = (size_t)(colon - text), prob_len = len - size_len - 1;
    const char *slash = memchr(text, '/', size_len);
    size_t cores_len = slash ? (size_t)(slash - text) : size_len;
    *memory = slash != NULL;
    if (!pn_parse_amount(text, cores_len, &f->cores[i]) || !(f->cores[i] > 0))
        return bad_item(err, i, text, len, "the cores '%.*s' are not a plain positive number",
                        (int)cores_len, text);
    f->memory[i] = 0;
    if (slash && !pn_parse_amount(slash + 1, size_len - cores_len - 1, &f->memory[i]))
        return bad_item(err, i, text, len, "the memory '%.*s' is not a plain non-negative number",
                        (int)(size_len - cores_len - 1), slash + 1);
    if (!pn_parse_amount(colon + 1, prob_len, &f->probability[i]) || f->probability[i] > 1)
        return bad_item(err, i, text, len, "the probability '%.*s' is not a plain number from 0 "
                                           "to 1", (int)prob_len, colon + 1);
    return PN_OK;
}

pn_status pn_flavors_parse(const char *text, pn_flavors *flavors, pn_error *err)
{
    size_t len = strlen(text);
    if (len == 0)
        return pn_fail(err, PN_ERR_USAGE, "--flavors is empty: give CORES:PROBABILITY items, "
                                          "e.g. 1:0.5,2:0.3,4:0.2");
    pn_flavors f = {0};
    double sum = 0;
    for (size_t pos = 0; pos <= len; f.n++) {
        const char *item = text + pos, *comma = memchr(item, ',', len - pos);
        size_t item_len = comma ? (size_t)(comma - item) : len - pos;
        if (f.n == PN_FLAVORS_MAX)
            return pn_fail(err, PN_ERR_USAGE, "--flavors names more than %d flavors",
                           PN_FLAVORS_MAX);
        bool memory = false;
        pn_status st = parse_item(item, item_len, f.n, &f, &memory, err);
        if (st != PN_OK)
            return st;
        if (f.n > 0 && memory != f.has_memory)
            return bad_item(err, f.n, item, item_len, "memory is given on some items only: give "
                            "CORES/MEMORY on every item or on none");
        f.has_memory = memory;
        sum += f.probability[f.n];
        pos += item_len + 1;
    }
    if (!(fabs(sum - 1) <= SUM_TOLERANCE))
        return pn_fail(err, PN_ERR_USAGE, "--flavors '%.*s': the probabilities add up to %.12g, "
                       "not 1", (int)(len > 64 ? 64 : len), text, sum);
    *flavors = f;
    return PN_OK;
}
