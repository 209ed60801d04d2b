/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* "tool": when present it must name us, alone (format_version 1) or with
 * a version after a space (any version: the format_version says the shape). */
static pn_status read_tool(pn_json *j)
{
    char name[128];
    size_t at = pn_json_offset(j), got;
    const char *field = pn_json_key[PN_KEY_TOOL];
    size_t len = strlen(PN_JSON_TOOL_NAME);
    pn_status st = pn_json_read_string(j, field, name, sizeof name, &got);
    if (st != PN_OK)
        return st;
    bool ours = got < sizeof name && strlen(name) == got &&
                strncmp(name, PN_JSON_TOOL_NAME, len) == 0 &&
                (name[len] == '\0' || (name[len] == ' ' && name[len + 1] != '\0'));
    if (!ours)
        return pn_json_fail_at(pn_json_error(j), at, "%s is not \"%s\" or \"%s VERSION\"",
                               field, PN_JSON_TOOL_NAME, PN_JSON_TOOL_NAME);
    return PN_OK;
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

/* Most rows an array of counts may have: a napping sum per level and group. */
#define MAX_ROWS ((size_t)PN_MAX_LEVELS * PN_MAX_GROUPS)

/* Where row_element appends: the rows, the key for messages, and whether
 * it reads inside one row of an array of rows. */
typedef struct row_reader {
    count_rows *rows;
    const char *what;
    bool inner;
} row_reader;

/* Room for one more row length. */
static pn_status grow_rows(pn_json *j, count_rows *r)
{
    if (r->rows < r->rows_cap)
        return PN_OK;
    size_t cap = r->rows_cap ? r->rows_cap * 2 : 4;
    size_t *grown = realloc(r->len, cap * sizeof *grown);
    if (!grown)
        return pn_fail(pn_json_error(j), PN_ERR_NOMEM, "out of memory for %zu rows", cap);
    r->len = grown;
    r->rows_cap = cap;
    return PN_OK;
}

/* One count, index `index` of its row, appended as a new GMP integer. A
 * row may not outgrow the largest histogram a valid query can have. */
static pn_status append_count(pn_json *j, count_rows *r, const char *what, size_t index)
{
    if (index > PN_MAX_HOSTS)
        return pn_json_fail(j, "%s has more than %llu entries", what, PN_MAX_HOSTS + 1);
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        mpz_t *grown = realloc(r->item, cap * sizeof *grown);
        if (!grown)
            return pn_fail(pn_json_error(j), PN_ERR_NOMEM, "out of memory for %zu counts", cap);
        r->item = grown;
        r->cap = cap;
    }
    char place[64];
    snprintf(place, sizeof place, "every entry of %s", what);
    mpz_init(r->item[r->n++]);
    return pn_json_read_mpz(j, place, r->item[r->n - 1]);
}

/* One element of an array of counts: a count, or (at the top) a row of them. */
static pn_status row_element(pn_json *j, void *ctx, size_t index)
{
    row_reader *rr = ctx;
    count_rows *r = rr->rows;
    bool row = !rr->inner && pn_json_peek(j) == PN_JSON_ARRAY;
    if (!rr->inner && (index > 0 && row != r->nested))
        return pn_json_fail(j, "%s mixes counts with arrays of counts", rr->what);
    if (!row) {
        pn_status st = append_count(j, r, rr->what, index);
        if (st == PN_OK && rr->inner)
            r->len[r->rows - 1]++;
        return st;
    }
    if (index >= MAX_ROWS)
        return pn_json_fail(j, "%s has more than %zu rows", rr->what, MAX_ROWS);
    pn_status st = grow_rows(j, r);
    if (st != PN_OK)
        return st;
    r->nested = true;
    r->len[r->rows++] = 0;
    row_reader inner = {.rows = r, .what = rr->what, .inner = true};
    return pn_json_read_array(j, rr->what, row_element, &inner);
}

/* An array of counts, flat or of rows, into r (a flat one is its one row). */
static pn_status read_rows(pn_json *j, const char *what, count_rows *r)
{
    row_reader rr = {.rows = r, .what = what};
    pn_status st = grow_rows(j, r); /* room for the one row of a flat array */
    if (st == PN_OK)
        st = pn_json_read_array(j, what, row_element, &rr);
    if (st == PN_OK && !r->nested) {
        r->len[0] = r->n;
        r->rows = 1;
    }
    return st;
}

void pn_slice_doc_rows_clear(count_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        mpz_clear(r->item[i]);
    free(r->item);
    free(r->len);
    *r = (count_rows){0};
}

/* "scenarios": one level's total, or a list of levels' totals. */
static pn_status read_scenarios(pn_json *j, doc *d)
{
    const char *name = pn_json_key[PN_KEY_SCENARIOS];
    if (pn_json_peek(j) != PN_JSON_ARRAY)
        return pn_json_read_mpz(j, name, d->scenarios);
    d->scenarios_listed = true;
    return read_rows(j, name, &d->level_scenarios);
}

/* Reads the value of the known top-level key k into d, checking its type. */
static pn_status read_known(pn_json *j, doc *d, pn_json_key_id k)
{
    const char *name = pn_json_key[k];
    switch (k) {
    case PN_KEY_FORMAT_VERSION: return pn_json_read_u64(j, name, &d->format_version);
    case PN_KEY_TOOL: return read_tool(j);
    case PN_KEY_HOSTS: case PN_KEY_GUESTS_PER_HOST: case PN_KEY_FLEET: case PN_KEY_GUESTS:
    case PN_KEY_LEVELS: case PN_KEY_LOAD_CURVE: case PN_KEY_MODEL:
        return pn_question_doc_read(j, &d->question, k);
    case PN_KEY_ENGINE: /* kept for a ledger's next save; a long one is cut */
        return pn_json_read_string(j, name, d->engine, sizeof d->engine, &(size_t){0});
    case PN_KEY_KEYSPACE: return pn_json_read_u64(j, name, &d->keyspace);
    case PN_KEY_SLICE: return pn_json_read_object(j, name, slice_member, d);
    case PN_KEY_SCENARIOS: return read_scenarios(j, d);
    case PN_KEY_COUNTS: return read_rows(j, name, &d->counts);
    case PN_KEY_NAPPING_SUMS: return read_rows(j, name, &d->napping);
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
