/* query.c -- validating a query and sizing its keyspace. */
#include "pn_query.h"

#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

pn_status pn_query_validate(const pn_query *q, pn_error *err)
{
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
    if (q->guests > capacity)
        return pn_fail(err, PN_ERR_USAGE,
                       "%llu guests do not fit on %llu hosts of %llu guests each (at most %llu)",
                       (unsigned long long)q->guests, (unsigned long long)q->hosts,
                       (unsigned long long)q->per_host, (unsigned long long)capacity);
    return PN_OK;
}

/* (p+1)^h when it fits in 64 bits; false otherwise. */
static bool keyspace_u64(const pn_query *q, uint64_t *out)
{
    uint64_t base = q->per_host + 1, size = 1;
    for (uint64_t i = 0; i < q->hosts; i++)
        if (__builtin_mul_overflow(size, base, &size))
            return false;
    *out = size;
    return true;
}

void pn_query_keyspace_text(const pn_query *q, char *buf, size_t len)
{
    uint64_t size;
    unsigned long long base = q->per_host + 1, hosts = q->hosts;
    if (keyspace_u64(q, &size)) {
        snprintf(buf, len, "%llu^%llu = %llu", base, hosts, (unsigned long long)size);
        return;
    }
    /* log10 of the true size, so the magnitude survives where a double would not. */
    double digits = (double)hosts * log10((double)base);
    double mantissa = pow(10.0, digits - floor(digits));
    snprintf(buf, len, "%llu^%llu (about %.1fe%.0f)", base, hosts, mantissa, floor(digits));
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
static size_t slots_total_bits(const pn_query *q)
{
    mpz_t total;
    mpz_init(total);
    mpz_bin_uiui(total, (unsigned long)(q->hosts * q->per_host), (unsigned long)q->guests);
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
                   (unsigned long long)(q->hosts * q->per_host), (unsigned long long)q->guests,
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
    q->keyspace_fits = keyspace_u64(q, &q->keyspace);
    if (!q->keyspace_fits)
        q->keyspace = 0;
    /* C(h*p, g) is only worth computing (and only cheap) when the keyspace
     * can be enumerated at all. */
    bool slots = q->model == PN_MODEL_SLOTS;
    q->weight_bits = slots && q->keyspace_fits ? slots_total_bits(q) : 0;
    q->weights_fit = q->keyspace_fits && q->weight_bits <= 64;
    q->first = 0;
    q->count = q->keyspace;
    if (q->sliced && (st = resolve_slice(q, err)) != PN_OK)
        return st;
    q->resolved = true;
    return PN_OK;
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
