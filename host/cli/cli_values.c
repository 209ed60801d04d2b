/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_values.c -- the option values every cli*.c file parses the same way, on number.c's one grammar. */
#include "cli/pn_cli.h"
#include "cli_parse.h"

#include <string.h>

#include "base/pn_number.h"

static const char *nearest_word(const char *text, const char *const *names);

bool pn_parse_u64(const char *text, unsigned long long *out)
{
    uint64_t v;
    bool overflow;
    if (!text || !pn_parse_count(text, strlen(text), &v, &overflow))
        return false;
    *out = v;
    return true;
}

bool pn_cli_parse_amount(const char *text, double *out)
{
    return pn_parse_amount(text, strlen(text), out);
}

pn_status pn_cli_bad_value(pn_error *err, const option_spec *o, const char *value,
                           const char *expected)
{
    return pn_fail(err, PN_ERR_USAGE, "--%s '%s': %s", o->long_name, value, expected);
}

pn_status pn_cli_bad_choice(pn_error *err, const option_spec *o, const char *value,
                            const char *expected, const char *const *names)
{
    const char *near = nearest_word(value, names);
    if (!near)
        return pn_cli_bad_value(err, o, value, expected);
    return pn_fail(err, PN_ERR_USAGE, "--%s '%s': %s; did you mean '%s'?", o->long_name, value,
                   expected, near);
}

static char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Optimal string alignment distance over three rows of the matrix; the
 * words compared are option names and values, far shorter than MAX. */
size_t pn_cli_distance(const char *a, size_t alen, const char *b)
{
    enum { MAX = 63 };
    size_t blen = strlen(b), extra = 0;
    if (alen > MAX) {
        extra += alen - MAX;
        alen = MAX;
    }
    if (blen > MAX) {
        extra += blen - MAX;
        blen = MAX;
    }
    size_t rows[3][MAX + 1]; /* rows i-2, i-1 and i, taken in turn */
    for (size_t j = 0; j <= blen; j++)
        rows[0][j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t *cur = rows[i % 3], *up = rows[(i - 1) % 3], *up2 = rows[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t cost = fold(a[i - 1]) != fold(b[j - 1]);
            size_t best = up[j - 1] + cost;
            if (up[j] + 1 < best)
                best = up[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && up2[j - 2] + 1 < best)
                best = up2[j - 2] + 1;
            cur[j] = best;
        }
    }
    return rows[alen % 3][blen] + extra;
}

bool pn_cli_close(size_t d, size_t len)
{
    return d <= (len / 4 < 2 ? len / 4 : 2);
}

/* The name of names (NULL-terminated) closest to text, when pn_cli_close;
 * NULL otherwise (the first of equally close ones). */
static const char *nearest_word(const char *text, const char *const *names)
{
    size_t len = strlen(text), best = (size_t)-1;
    const char *found = NULL;
    for (size_t i = 0; names[i]; i++) {
        size_t d = pn_cli_distance(text, len, names[i]);
        if (d < best) {
            best = d;
            found = names[i];
        }
    }
    return found && pn_cli_close(best, len) ? found : NULL;
}

bool pn_cli_has_bom(const char *text)
{
    return strncmp(text, "\xef\xbb\xbf", 3) == 0;
}

pn_status pn_cli_set_count(const option_spec *o, const char *value, uint64_t *field, bool *seen,
                           pn_error *err)
{
    uint64_t v;
    bool overflow;
    if (!pn_parse_count(value, strlen(value), &v, &overflow))
        return pn_cli_bad_value(err, o, value, overflow ? "too large (it overflows a 64-bit integer)"
                                                        : "expected a plain non-negative integer");
    *field = v;
    if (seen)
        *seen = true;
    return PN_OK;
}
