/* slice_read.c -- reading a slice or ledger document's members into a doc, each checked for its type. */
#include "slice_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when the decoded key (len bytes) is the name of key id k. */
static bool is_key(const char *key, size_t len, pn_json_key_id k)
{
    return len == strlen(pn_json_key[k]) && memcmp(key, pn_json_key[k], len) == 0;
}

/* Reads a string that must be one of our short names into buf (SHORT_STRING
 * bytes); a longer one, or one holding NUL, leaves buf empty, matching nothing. */
static pn_status read_name(pn_json *j, const char *field, char *buf)
{
    size_t len;
    pn_status st = pn_json_read_string(j, field, buf, SHORT_STRING, &len);
    if (st == PN_OK && (len >= SHORT_STRING || strlen(buf) != len))
        buf[0] = '\0';
    return st;
}

/* "tool": when present it must name us. */
static pn_status read_tool(pn_json *j)
{
    char name[SHORT_STRING];
    size_t at = pn_json_offset(j);
    const char *field = pn_json_key[PN_KEY_TOOL];
    pn_status st = read_name(j, field, name);
    if (st == PN_OK && strcmp(name, PN_JSON_TOOL) != 0)
        return pn_json_fail_at(pn_json_error(j), at, "%s is not \"%s\"", field, PN_JSON_TOOL);
    return st;
}

/* "model": "uniform" or "slots". */
static pn_status read_model(pn_json *j, pn_model *out)
{
    char name[SHORT_STRING];
    size_t at = pn_json_offset(j);
    pn_status st = read_name(j, pn_json_key[PN_KEY_MODEL], name);
    if (st == PN_OK && !pn_model_parse(name, out))
        return pn_json_fail_at(pn_json_error(j), at, "model must be \"uniform\" or \"slots\"");
    return st;
}

/* A member of "slice": skip and limit; anything else is skipped. */
static pn_status slice_member(pn_json *j, void *ctx, const char *key, size_t len)
{
    doc *d = ctx;
    bool is_skip = is_key(key, len, PN_KEY_SKIP);
    if (!is_skip && !is_key(key, len, PN_KEY_LIMIT))
        return pn_json_skip(j);
    char what[64];
    snprintf(what, sizeof what, "%s.%s", pn_json_key[PN_KEY_SLICE], key);
    *(is_skip ? &d->has_skip : &d->has_limit) = true;
    return pn_json_read_u64(j, what, is_skip ? &d->range.first : &d->range.count);
}

/* One element of "ranges": [first, count]. */
static pn_status range_part(pn_json *j, void *ctx, size_t index)
{
    pn_range *r = ctx;
    if (index > 1)
        return pn_json_fail(j, "every entry of ledger.ranges must be [first, count]");
    return pn_json_read_u64(j, "ledger.ranges", index == 0 ? &r->first : &r->count);
}

/* One element of "ranges", appended to d->ranges. */
static pn_status range_element(pn_json *j, void *ctx, size_t index)
{
    doc *d = ctx;
    (void)index;
    if (d->nranges == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        pn_range *grown = realloc(d->ranges, cap * sizeof *grown);
        if (!grown)
            return pn_fail(pn_json_error(j), PN_ERR_NOMEM, "out of memory for %zu ranges", cap);
        d->ranges = grown;
        d->cap = cap;
    }
    pn_range *r = &d->ranges[d->nranges];
    *r = (pn_range){.first = 0, .count = UINT64_MAX};
    pn_status st = pn_json_read_array(j, "every entry of ledger.ranges", range_part, r);
    if (st == PN_OK && r->count == UINT64_MAX)
        return pn_json_fail(j, "every entry of ledger.ranges must be [first, count]");
    d->nranges++;
    return st;
}

/* A string of the ledger into buf (cap bytes), refusing a longer one. */
static pn_status read_ledger_text(pn_json *j, const char *what, char *buf, size_t cap)
{
    size_t len;
    pn_status st = pn_json_read_string(j, what, buf, cap, &len);
    if (st == PN_OK && (len >= cap || strlen(buf) != len))
        return pn_json_fail(j, "%s is too long", what);
    return st;
}

/* A member of "ledger". */
static pn_status ledger_member(pn_json *j, void *ctx, const char *key, size_t len)
{
    doc *d = ctx;
    if (is_key(key, len, PN_KEY_TOOL_VERSION))
        return read_ledger_text(j, "ledger.tool_version", d->tool_version, sizeof d->tool_version);
    if (is_key(key, len, PN_KEY_FINGERPRINT))
        return read_ledger_text(j, "ledger.fingerprint", d->fingerprint, sizeof d->fingerprint);
    if (is_key(key, len, PN_KEY_REQUESTED)) {
        d->has_requested = true;
        d->has_skip = d->has_limit = false;
        return pn_json_read_object(j, "ledger.requested", slice_member, d);
    }
    if (is_key(key, len, PN_KEY_RANGES))
        return pn_json_read_array(j, "ledger.ranges", range_element, d);
    return pn_json_skip(j);
}

/* One element of "counts": appended as a new GMP integer. The list may not
 * outgrow the largest histogram a valid query can have. */
static pn_status count_element(pn_json *j, void *ctx, size_t index)
{
    count_list *list = &((doc *)ctx)->counts;
    if (index > PN_MAX_HOSTS)
        return pn_json_fail(j, "%s has more than %llu entries", pn_json_key[PN_KEY_COUNTS],
                            PN_MAX_HOSTS + 1);
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        mpz_t *grown = realloc(list->item, cap * sizeof *grown);
        if (!grown)
            return pn_fail(pn_json_error(j), PN_ERR_NOMEM, "out of memory for %zu counts", cap);
        list->item = grown;
        list->cap = cap;
    }
    mpz_init(list->item[list->n++]);
    return pn_json_read_mpz(j, "every entry of counts", list->item[list->n - 1]);
}

/* Reads the value of the known top-level key k into d, checking its type. */
static pn_status read_known(pn_json *j, doc *d, pn_json_key_id k)
{
    const char *name = pn_json_key[k];
    switch (k) {
    case PN_KEY_FORMAT_VERSION: return pn_json_read_u64(j, name, &d->format_version);
    case PN_KEY_TOOL: return read_tool(j);
    case PN_KEY_HOSTS: return pn_json_read_u64(j, name, &d->hosts);
    case PN_KEY_GUESTS_PER_HOST: return pn_json_read_u64(j, name, &d->per_host);
    case PN_KEY_GUESTS: return pn_json_read_u64(j, name, &d->guests);
    case PN_KEY_MODEL: return read_model(j, &d->model);
    case PN_KEY_ENGINE: /* kept for a ledger's next save; a long one is cut */
        return pn_json_read_string(j, name, d->engine, sizeof d->engine, &(size_t){0});
    case PN_KEY_KEYSPACE: return pn_json_read_u64(j, name, &d->keyspace);
    case PN_KEY_SLICE: return pn_json_read_object(j, name, slice_member, d);
    case PN_KEY_SCENARIOS: return pn_json_read_mpz(j, name, d->scenarios);
    case PN_KEY_COUNTS: return pn_json_read_array(j, name, count_element, d);
    case PN_KEY_ROWS: return pn_json_skip_kind(j, PN_JSON_ARRAY, name);
    case PN_KEY_EXPECTED_SAVINGS_PERCENT: return pn_json_skip_kind(j, PN_JSON_NUMBER, name);
    case PN_KEY_COST: return pn_json_skip_kind(j, PN_JSON_OBJECT, name);
    case PN_KEY_LEDGER: return pn_json_read_object(j, name, ledger_member, d);
    case PN_KEY_CHECKSUM: return read_ledger_text(j, name, d->checksum, sizeof d->checksum);
    default: return pn_json_skip(j); /* not a top-level key: never asked */
    }
}

/* A top-level member: known keys are read (the reader refuses any key
 * twice), unknown ones skipped. */
pn_status pn_slice_doc_member(pn_json *j, void *ctx, const char *key, size_t len)
{
    doc *d = ctx;
    for (int k = 0; k < TOP_KEYS; k++) {
        if (!is_key(key, len, (pn_json_key_id)k))
            continue;
        d->seen |= BIT(k);
        d->at[k] = pn_json_offset(j);
        return read_known(j, d, (pn_json_key_id)k);
    }
    return pn_json_skip(j);
}
