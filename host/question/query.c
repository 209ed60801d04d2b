/* SPDX-License-Identifier: GPL-3.0-or-later */
/* query.c -- validating a query (a homogeneous cloud or a mixed fleet) and sizing its keyspace. */
#include "question/pn_query.h"

#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* One group of a fleet: at least one host, a capacity within bounds. The
 * host total is checked by the caller, which adds the counts up. */
static pn_status validate_group(const pn_group *gr, unsigned index, pn_error *err)
{
    if (gr->count == 0)
        return pn_fail(err, PN_ERR_USAGE, "--fleet group %u has no hosts (a count of 0)",
                       index + 1);
    if (gr->count > PN_MAX_HOSTS)
        return pn_fail(err, PN_ERR_USAGE, "--fleet group %u has %llu hosts, too many (at most %llu)",
                       index + 1, (unsigned long long)gr->count, (unsigned long long)PN_MAX_HOSTS);
    if (gr->capacity > PN_MAX_PER_HOST)
        return pn_fail(err, PN_ERR_USAGE,
                       "--fleet group %u: a capacity of %llu guests is too large (at most %llu)",
                       index + 1, (unsigned long long)gr->capacity,
                       (unsigned long long)PN_MAX_PER_HOST);
    if (!(gr->watts >= 0) || !isfinite(gr->watts))
        return pn_fail(err, PN_ERR_USAGE, "--fleet group %u: watts must be a positive number",
                       index + 1);
    return PN_OK;
}

/* A fleet's groups: each valid, at most PN_MAX_HOSTS hosts in all, and
 * watts on all of them or none. */
static pn_status validate_fleet(const pn_query *q, pn_error *err)
{
    if (q->ngroups > PN_MAX_GROUPS)
        return pn_fail(err, PN_ERR_USAGE, "--fleet names %u kinds of host, at most %d",
                       q->ngroups, PN_MAX_GROUPS);
    uint64_t hosts = 0;
    unsigned with_watts = 0;
    for (unsigned j = 0; j < q->ngroups; j++) {
        pn_status st = validate_group(&q->groups[j], j, err);
        if (st != PN_OK)
            return st;
        if (q->groups[j].memory > 0)
            return pn_fail(err, PN_ERR_USAGE,
                           "--fleet group %u gives memory (/MEMORY), which only a replay "
                           "(--trace) models; these engines count guests per host", j + 1);
        hosts += q->groups[j].count; /* each <= 10^6, at most 16 of them */
        with_watts += q->groups[j].watts > 0;
    }
    if (hosts > PN_MAX_HOSTS)
        return pn_fail(err, PN_ERR_USAGE, "the fleet has %llu hosts, too many (at most %llu)",
                       (unsigned long long)hosts, (unsigned long long)PN_MAX_HOSTS);
    for (unsigned j = 0; with_watts > 0 && j < q->ngroups; j++)
        if (q->groups[j].watts == 0)
            return pn_fail(err, PN_ERR_USAGE,
                           "--fleet group %u has no @WATTS while others do: give every group "
                           "its watts, or --watts for those without",
                           j + 1);
    return PN_OK;
}

/* Sets hosts, per_host and weighted from a validated fleet's groups. */
static void adopt_fleet(pn_query *q)
{
    q->hosts = 0;
    q->per_host = 0;
    q->weighted = true;
    for (unsigned j = 0; j < q->ngroups; j++) {
        q->hosts += q->groups[j].count;
        if (q->groups[j].capacity > q->per_host)
            q->per_host = q->groups[j].capacity;
        q->weighted = q->weighted && q->groups[j].watts > 0;
    }
}

/* The one place that treats -h/-p as a fleet: q's groups as (count,
 * capacity) pairs, a fleet's own or the one group h x p of a cloud asked as
 * -h/-p and not resolved yet. Returns how many. */
static unsigned groups_of(const pn_query *q, pn_group *out)
{
    if (q->ngroups == 0) {
        out[0] = (pn_group){.count = q->hosts, .capacity = q->per_host};
        return 1;
    }
    for (unsigned j = 0; j < q->ngroups; j++)
        out[j] = q->groups[j];
    return q->ngroups;
}

uint64_t pn_query_capacity(const pn_query *q)
{
    pn_group g[PN_MAX_GROUPS];
    unsigned n = groups_of(q, g);
    uint64_t total = 0;
    for (unsigned j = 0; j < n; j++)
        total += g[j].count * g[j].capacity; /* <= 10^12 */
    return total;
}

double pn_query_fleet_watts(const pn_query *q)
{
    double total = 0;
    for (unsigned j = 0; q->weighted && j < q->ngroups; j++)
        total += (double)q->groups[j].count * q->groups[j].watts;
    return total;
}

/* The largest guest count q asks about: its last level when it has a list,
 * else guests. */
static uint64_t most_guests(const pn_query *q)
{
    return q->levels.listed && q->levels.n > 0 ? pn_levels_at(&q->levels, q->levels.n - 1)
                                               : q->guests;
}

pn_status pn_query_validate(const pn_query *q, pn_error *err)
{
    uint64_t guests = most_guests(q);
    if (q->ngroups > 0) {
        pn_status st = validate_fleet(q, err);
        if (st != PN_OK)
            return st;
        pn_query fleet = *q;
        adopt_fleet(&fleet);
        uint64_t capacity = pn_query_capacity(&fleet);
        if (guests > capacity)
            return pn_fail(err, PN_ERR_USAGE,
                           "%llu guests do not fit on the fleet's %llu hosts (at most %llu)",
                           (unsigned long long)guests, (unsigned long long)fleet.hosts,
                           (unsigned long long)capacity);
        return PN_OK;
    }

    if (q->hosts == 0)
        return pn_fail(err, PN_ERR_USAGE, "a cloud needs at least 1 host (got --hosts 0)");
    if (q->hosts > PN_MAX_HOSTS)
        return pn_fail(err, PN_ERR_USAGE, "--hosts %llu is too large (at most %llu)",
                       (unsigned long long)q->hosts, (unsigned long long)PN_MAX_HOSTS);
    if (q->per_host > PN_MAX_PER_HOST)
        return pn_fail(err, PN_ERR_USAGE, "--guests-per-host %llu is too large (at most %llu)",
                       (unsigned long long)q->per_host, (unsigned long long)PN_MAX_PER_HOST);
    /* h and p are both <= 10^6, so h*p cannot overflow 64 bits. */
    uint64_t capacity = q->hosts * q->per_host;
    if (guests > capacity)
        return pn_fail(err, PN_ERR_USAGE,
                       "%llu guests do not fit on %llu hosts of %llu guests each (at most %llu)",
                       (unsigned long long)guests, (unsigned long long)q->hosts,
                       (unsigned long long)q->per_host, (unsigned long long)capacity);
    return PN_OK;
}

/* prod (c_j+1)^(n_j) when it fits in 64 bits; false otherwise. */
static bool keyspace_u64(const pn_query *q, uint64_t *out)
{
    pn_group g[PN_MAX_GROUPS];
    unsigned n = groups_of(q, g);
    uint64_t size = 1;
    for (unsigned j = 0; j < n; j++)
        for (uint64_t i = 0; i < g[j].count && g[j].capacity > 0; i++)
            if (__builtin_mul_overflow(size, g[j].capacity + 1, &size))
                return false;
    *out = size;
    return true;
}

void pn_query_keyspace_mpz(const pn_query *q, mpz_t out)
{
    pn_group g[PN_MAX_GROUPS];
    unsigned n = groups_of(q, g);
    mpz_t power;
    mpz_init(power);
    mpz_set_ui(out, 1);
    for (unsigned j = 0; j < n; j++) {
        mpz_ui_pow_ui(power, (unsigned long)g[j].capacity + 1, (unsigned long)g[j].count);
        mpz_mul(out, out, power);
    }
    mpz_clear(power);
}

void pn_query_keyspace_text(const pn_query *q, char *buf, size_t len)
{
    pn_group g[PN_MAX_GROUPS];
    unsigned n = groups_of(q, g);
    char powers[PN_MAX_GROUPS * 48] = "";
    double digits = 0; /* log10 of the true size, so the magnitude survives a double */
    for (unsigned j = 0; j < n; j++) {
        size_t used = strlen(powers);
        snprintf(powers + used, sizeof powers - used, "%s%llu^%llu", j ? " * " : "",
                 (unsigned long long)g[j].capacity + 1, (unsigned long long)g[j].count);
        digits += (double)g[j].count * log10((double)g[j].capacity + 1.0);
    }
    uint64_t size;
    if (keyspace_u64(q, &size)) {
        snprintf(buf, len, "%s = %llu", powers, (unsigned long long)size);
        return;
    }
    double mantissa = pow(10.0, digits - floor(digits));
    snprintf(buf, len, "%s (about %.1fe%.0f)", powers, mantissa, floor(digits));
}

pn_status pn_query_check_keyspace(const pn_query *q, pn_error *err)
{
    if (q->keyspace_fits)
        return PN_OK;
    char text[96];
    pn_query_keyspace_text(q, text, sizeof text);
    return pn_fail(err, PN_ERR_USAGE,
                   "the keyspace %s scenarios is 2^64 or more, too large to enumerate; "
                   "use --engine exact", text);
}

/* Bits of C(h*p, g): the slots model weights a scenario by prod C(p, x_i) and
 * all weights add up to C(h*p, g), so that one number bounds every count and
 * bin. */
static size_t slots_total_bits(const pn_query *q, uint64_t guests)
{
    mpz_t total;
    mpz_init(total);
    mpz_bin_uiui(total, (unsigned long)pn_query_capacity(q), (unsigned long)guests);
    size_t bits = mpz_sizeinbase(total, 2);
    mpz_clear(total);
    return bits;
}

pn_status pn_query_check_weights(const pn_query *q, pn_error *err)
{
    if (q->weights_fit)
        return PN_OK;
    return pn_fail(err, PN_ERR_USAGE,
                   "the slots model's total weight C(%llu, %llu) needs %zu bits, more than "
                   "64-bit counters hold; use --engine exact",
                   (unsigned long long)pn_query_capacity(q), (unsigned long long)q->guests,
                   q->weight_bits);
}

/* The slice lies inside the keyspace: --skip at most the keyspace, and
 * --limit at most what is left after it (or, when limit_to_end, all of it). */
static pn_status resolve_slice(pn_query *q, pn_error *err)
{
    pn_status st = pn_query_check_keyspace(q, err);
    if (st != PN_OK)
        return st;
    if (q->skip > q->keyspace)
        return pn_fail(err, PN_ERR_USAGE, "--skip %llu is past the keyspace of %llu scenarios",
                       (unsigned long long)q->skip, (unsigned long long)q->keyspace);
    if (q->limit_to_end)
        q->limit = q->keyspace - q->skip;
    if (q->limit > q->keyspace - q->skip)
        return pn_fail(err, PN_ERR_USAGE,
                       "the slice --skip %llu --limit %llu runs past the keyspace of %llu scenarios",
                       (unsigned long long)q->skip, (unsigned long long)q->limit,
                       (unsigned long long)q->keyspace);
    q->first = q->skip;
    q->count = q->limit;
    return PN_OK;
}

pn_status pn_query_resolve(pn_query *q, pn_error *err)
{
    q->resolved = false;
    pn_status st = pn_query_validate(q, err);
    if (st != PN_OK)
        return st;
    if (!q->levels.listed)
        q->levels = pn_levels_one(q->guests);
    q->guests = most_guests(q);
    if (q->ngroups == 0)
        q->ngroups = groups_of(q, q->groups);
    adopt_fleet(q);
    q->per_host_bases = q->ngroups >= 2;
    q->keyspace_fits = keyspace_u64(q, &q->keyspace);
    if (!q->keyspace_fits)
        q->keyspace = 0;
    /* C(h*p, g) is only worth computing (and only cheap) when the keyspace
     * can be enumerated at all. */
    bool slots = q->model == PN_MODEL_SLOTS;
    q->weight_bits = slots && q->keyspace_fits ? slots_total_bits(q, q->guests) : 0;
    q->weights_fit = q->keyspace_fits && q->weight_bits <= 64;
    q->first = 0;
    q->count = q->keyspace;
    if (q->sliced && (st = resolve_slice(q, err)) != PN_OK)
        return st;
    q->resolved = true;
    return PN_OK;
}

pn_status pn_query_slice(const pn_query *q, uint64_t first, uint64_t count, pn_query *out,
                         pn_error *err)
{
    *out = *q;
    out->sliced = true;
    out->limit_to_end = false;
    out->skip = first;
    out->limit = count;
    return pn_query_resolve(out, err);
}

pn_query pn_query_level(const pn_query *q, size_t i)
{
    pn_query one = *q;
    one.guests = pn_levels_at(&q->levels, i);
    one.levels = pn_levels_one(one.guests);
    bool slots = q->model == PN_MODEL_SLOTS;
    one.weight_bits = slots && q->keyspace_fits ? slots_total_bits(q, one.guests) : 0;
    one.weights_fit = q->keyspace_fits && one.weight_bits <= 64;
    return one;
}

pn_status pn_query_check_resolved(const pn_query *q, pn_error *err)
{
    return q->resolved ? PN_OK
                       : pn_fail(err, PN_ERR_USAGE, "internal error: the query was not resolved");
}

pn_status pn_query_enumeration_range(const pn_query *q, uint64_t *first,
                                     uint64_t *count, pn_error *err)
{
    pn_status st = pn_query_check_resolved(q, err);
    if (st == PN_OK)
        st = pn_query_check_keyspace(q, err);
    if (st == PN_OK)
        st = pn_query_check_weights(q, err);
    if (st != PN_OK)
        return st;
    *first = q->first;
    *count = q->count;
    return PN_OK;
}

const char *pn_model_name(pn_model model)
{
    switch (model) {
    case PN_MODEL_UNIFORM: return "uniform";
    case PN_MODEL_SLOTS: return "slots";
    }
    return "unknown";
}

bool pn_model_parse(const char *text, pn_model *out)
{
    if (strcmp(text, "uniform") == 0) {
        *out = PN_MODEL_UNIFORM;
        return true;
    }
    if (strcmp(text, "slots") == 0) {
        *out = PN_MODEL_SLOTS;
        return true;
    }
    return false;
}
