/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fleet.c -- reading a --fleet spec (COUNTxCAPACITY[/MEMORY][@WATTS],...) into a query's groups, and describing them. */
#include "question/pn_fleet.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/pn_number.h"

/* Fails naming the group (1-based, with its text) and the problem. */
__attribute__((format(printf, 5, 6)))
static pn_status bad_group(pn_error *err, unsigned index, const char *text, size_t len,
                           const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return pn_fail(err, PN_ERR_USAGE, "--fleet group %u '%.*s': %s", index + 1,
                   (int)(len > 64 ? 64 : len), text, why);
}

/* A COUNT or CAPACITY part of a group: digits, below 2^64, within max. */
static pn_status read_whole(const char *part, size_t len, const char *what, uint64_t max,
                            uint64_t *out, unsigned index, const char *text, size_t text_len,
                            pn_error *err)
{
    bool overflow;
    if (len == 0)
        return bad_group(err, index, text, text_len, "the %s is missing (expected COUNTxCAPACITY[/MEMORY][@WATTS])", what);
    if (!pn_parse_count(part, len, out, &overflow))
        return bad_group(err, index, text, text_len, overflow
                             ? "the %s is too large (it overflows a 64-bit integer)"
                             : "the %s must be a plain non-negative integer",
                         what);
    if (*out > max)
        return bad_group(err, index, text, text_len, "a %s of %llu is too large (at most %llu)",
                         what, (unsigned long long)*out, (unsigned long long)max);
    return PN_OK;
}

/* One group, text[0, len): COUNT x CAPACITY [/ MEMORY] [@ WATTS]. */
static pn_status read_group(const char *text, size_t len, unsigned index, pn_group *out,
                            pn_error *err)
{
    const char *x = memchr(text, 'x', len);
    if (!x)
        return bad_group(err, index, text, len, "expected COUNTxCAPACITY[/MEMORY][@WATTS], e.g. 8x4, 2x16@350 or 6x16/64");
    size_t count_len = (size_t)(x - text);
    const char *cap = x + 1, *at = memchr(cap, '@', len - count_len - 1);
    size_t cap_len = at ? (size_t)(at - cap) : len - count_len - 1;
    const char *slash = memchr(cap, '/', cap_len);
    size_t memory_len = slash ? cap_len - (size_t)(slash + 1 - cap) : 0;
    cap_len = slash ? (size_t)(slash - cap) : cap_len;
    pn_status st = read_whole(text, count_len, "count", PN_MAX_HOSTS, &out->count, index, text,
                              len, err);
    if (st == PN_OK)
        st = read_whole(cap, cap_len, "capacity", PN_MAX_PER_HOST, &out->capacity, index, text,
                        len, err);
    out->memory = 0;
    if (st == PN_OK && slash)
        st = read_whole(slash + 1, memory_len, "memory", PN_MAX_MEMORY, &out->memory, index,
                        text, len, err);
    if (st != PN_OK)
        return st;
    if (out->count == 0)
        return bad_group(err, index, text, len, "a group needs at least 1 host");
    if (slash && out->memory == 0)
        return bad_group(err, index, text, len, "/MEMORY must be at least 1 (leave it out "
                         "when memory is not modelled)");
    out->watts = 0;
    if (!at)
        return PN_OK;
    size_t watts_len = len - (size_t)(at + 1 - text);
    if (!pn_parse_amount(at + 1, watts_len, &out->watts) || out->watts <= 0)
        return bad_group(err, index, text, len,
                         "@WATTS must be a plain positive number such as 350 or 80.5");
    return PN_OK;
}

pn_status pn_fleet_parse(const char *spec, pn_query *q, pn_error *err)
{
    pn_group groups[PN_MAX_GROUPS];
    unsigned n = 0;
    uint64_t hosts = 0;
    for (const char *p = spec;; n++) {
        size_t len = strcspn(p, ",");
        if (n == PN_MAX_GROUPS)
            return pn_fail(err, PN_ERR_USAGE, "--fleet names more than %d kinds of host",
                           PN_MAX_GROUPS);
        pn_status st = read_group(p, len, n, &groups[n], err);
        if (st != PN_OK)
            return st;
        hosts += groups[n].count;
        if (hosts > PN_MAX_HOSTS)
            return pn_fail(err, PN_ERR_USAGE,
                           "--fleet '%.64s' has more than %llu hosts in all", spec,
                           (unsigned long long)PN_MAX_HOSTS);
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    memcpy(q->groups, groups, sizeof groups);
    q->ngroups = n + 1;
    return PN_OK;
}

void pn_fleet_describe(const pn_query *q, char *buf, size_t len)
{
    buf[0] = '\0';
    for (unsigned j = 0; j < q->ngroups; j++) {
        const pn_group *g = &q->groups[j];
        size_t used = strlen(buf);
        int n = g->memory
                    ? snprintf(buf + used, len - used, "%s[%llu] x [%llu] cores / [%llu] memory",
                               j ? ", " : "", (unsigned long long)g->count,
                               (unsigned long long)g->capacity, (unsigned long long)g->memory)
                    : snprintf(buf + used, len - used, "%s[%llu] x [%llu] guests", j ? ", " : "",
                               (unsigned long long)g->count, (unsigned long long)g->capacity);
        if (n > 0 && g->watts > 0 && (size_t)n < len - used)
            snprintf(buf + used + (size_t)n, len - used - (size_t)n, " @ [%g] W", g->watts);
    }
}
