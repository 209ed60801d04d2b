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

pn_status pn_query_keyspace(const pn_query *q, uint64_t *out, pn_error *err)
{
    if (keyspace_u64(q, out))
        return PN_OK;
    char text[96];
    pn_query_keyspace_text(q, text, sizeof text);
    return pn_fail(err, PN_ERR_USAGE,
                   "the keyspace %s scenarios is 2^64 or more, too large to enumerate; "
                   "use --engine exact", text);
}

/* The slots model weights a scenario by prod C(p, x_i); all weights add up to
 * C(h*p, g), so checking that one number fits bounds every count and bin. */
static pn_status check_slots_total_fits(const pn_query *q, pn_error *err)
{
    mpz_t total;
    mpz_init(total);
    mpz_bin_uiui(total, (unsigned long)(q->hosts * q->per_host), (unsigned long)q->guests);
    size_t bits = mpz_sizeinbase(total, 2);
    mpz_clear(total);
    if (bits > 64)
        return pn_fail(err, PN_ERR_USAGE,
                       "the slots model's total weight C(%llu, %llu) needs %zu bits, more than "
                       "64-bit counters hold; use --engine exact",
                       (unsigned long long)(q->hosts * q->per_host),
                       (unsigned long long)q->guests, bits);
    return PN_OK;
}

pn_status pn_query_enumeration_range(const pn_query *q, uint64_t *first,
                                     uint64_t *count, pn_error *err)
{
    uint64_t keyspace = 0;
    pn_status st = pn_query_validate(q, err);
    if (st == PN_OK)
        st = pn_query_keyspace(q, &keyspace, err);
    if (st == PN_OK && q->model == PN_MODEL_SLOTS)
        st = check_slots_total_fits(q, err);
    if (st != PN_OK)
        return st;
    if (!q->sliced) {
        *first = 0;
        *count = keyspace;
        return PN_OK;
    }
    if (q->skip > keyspace || q->limit > keyspace - q->skip)
        return pn_fail(err, PN_ERR_USAGE,
                       "the slice --skip %llu --limit %llu runs past the keyspace of %llu scenarios",
                       (unsigned long long)q->skip, (unsigned long long)q->limit,
                       (unsigned long long)keyspace);
    *first = q->skip;
    *count = q->limit;
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
