/* SPDX-License-Identifier: GPL-3.0-or-later */
/* slice.c -- the slice file: a `--skip --limit --format json` report read back into its question, covered ranges and counts, and checked. */
#include "slice/pn_slice.h"
#include "slice_doc.h"
#include "base/pn_file.h"
#include "slice/pn_json.h"
#include "slice/pn_json_keys.h"
#include "base/pn_hash.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Every required key is there, slice has skip and limit, the version is ours. */
static pn_status check_present(const doc *d)
{
    for (int k = 0; k < TOP_KEYS; k++)
        if ((REQUIRED_KEYS & BIT(k)) && !(d->seen & BIT(k)) &&
            !(k == PN_KEY_GUESTS_PER_HOST && (d->seen & BIT(PN_KEY_FLEET))))
            return pn_fail(d->err, PN_ERR_USAGE, "missing key \"%s\" (not a slice document)",
                           pn_json_key[k]);
    unsigned ranges = d->seen & RANGE_KEYS;
    if (ranges == 0)
        return pn_fail(d->err, PN_ERR_USAGE, "missing key \"%s\" (not a slice document)",
                       pn_json_key[PN_KEY_SLICE]);
    if (ranges == RANGE_KEYS)
        return fail_key(d, PN_KEY_LEDGER, "a document is a slice or a ledger, not both");
    bool ledger = ranges == BIT(PN_KEY_LEDGER);
    if (ledger && (!d->has_requested || !d->tool_version[0] || !d->fingerprint[0]))
        return fail_key(d, PN_KEY_LEDGER,
                        "ledger needs tool_version, fingerprint, requested and ranges");
    if (ledger && !(d->seen & BIT(PN_KEY_CHECKSUM)))
        return pn_fail(d->err, PN_ERR_USAGE, "missing key \"%s\" (a ledger ends with one)",
                       pn_json_key[PN_KEY_CHECKSUM]);
    if (!d->has_skip || !d->has_limit)
        return fail_key(d, ledger ? PN_KEY_LEDGER : PN_KEY_SLICE,
                        ledger ? "ledger.requested needs both skip and limit"
                        : "slice needs both skip and limit");
    if (d->format_version != PN_JSON_FORMAT_VERSION &&
        d->format_version != PN_JSON_FORMAT_VERSION_OLD)
        return fail_key(d, PN_KEY_FORMAT_VERSION, "format_version %llu is not %d or %d",
                        (unsigned long long)d->format_version, PN_JSON_FORMAT_VERSION,
                        PN_JSON_FORMAT_VERSION_OLD);
    return PN_OK;
}

/* The question is one the tool accepts and the keyspace is its (p+1)^h (a
 * fleet's prod (c_j+1)^n_j): the one place that asks pn_query about a
 * document. *q comes back resolved (the whole question, not sliced), its
 * levels borrowing the doc's. */
static pn_status check_query(const doc *d, pn_query *q)
{
    pn_error why;
    pn_json_key_id where;
    if (pn_question_doc_query(&d->question, q, &where, &why) != PN_OK)
        return fail_key(d, where, "%s", why.msg);
    if (pn_query_check_keyspace(q, &why) != PN_OK)
        return fail_key(d, PN_KEY_KEYSPACE, "%s", why.msg);
    if (d->keyspace != q->keyspace)
        return fail_key(d, PN_KEY_KEYSPACE, "keyspace %llu is not %s = %llu",
                        (unsigned long long)d->keyspace,
                        q->per_host_bases ? "the fleet's prod (c+1)^n" : "(p+1)^h",
                        (unsigned long long)q->keyspace);
    return PN_OK;
}

/* Each row of r has hosts+1 counts (r names key k); a flat r is one row. */
static pn_status check_widths(const doc *d, pn_json_key_id k, const count_rows *r,
                              const pn_query *q)
{
    for (size_t i = 0; i < r->rows; i++) {
        if (r->len[i] == q->hosts + 1)
            continue;
        if (!r->nested)
            return fail_key(d, k, "%s has %zu entries, hosts+1 is %llu",
                            pn_json_key[k], r->len[i], (unsigned long long)(q->hosts + 1));
        return fail_key(d, k, "%s[%zu] has %zu entries, hosts+1 is %llu",
                        pn_json_key[k], i, r->len[i], (unsigned long long)(q->hosts + 1));
    }
    return PN_OK;
}

/* One row of counts per level (a question of one level: the flat array),
 * a mixed fleet's napping sums one row per level and group (and only a
 * mixed fleet's), "scenarios" one total per level. */
static pn_status check_rows(const doc *d, const pn_query *q)
{
    bool listed = q->levels.listed, fleet = q->per_host_bases;
    size_t levels = q->levels.n, groups = fleet ? q->ngroups : 0;
    if (d->counts.nested != listed || d->counts.rows != (listed ? levels : 1))
        return fail_key(d, PN_KEY_COUNTS, listed ? "counts must hold one array per "
                        "level (%zu)" : "counts must be one array (%zu level)", levels);
    pn_status st = check_widths(d, PN_KEY_COUNTS, &d->counts, q);
    if (st != PN_OK)
        return st;
    if (!fleet && (d->seen & BIT(PN_KEY_NAPPING_SUMS)))
        return fail_key(d, PN_KEY_NAPPING_SUMS, "napping_sums belongs to a mixed fleet");
    if (fleet && !(d->seen & BIT(PN_KEY_NAPPING_SUMS)))
        return pn_fail(d->err, PN_ERR_USAGE, "missing key \"%s\" (a mixed fleet's document "
                       "has one)", pn_json_key[PN_KEY_NAPPING_SUMS]);
    if (fleet && (!d->napping.nested || d->napping.rows != levels * groups))
        return fail_key(d, PN_KEY_NAPPING_SUMS, "napping_sums must hold one array per "
                        "level and group (%zu)", levels * groups);
    if (fleet && (st = check_widths(d, PN_KEY_NAPPING_SUMS, &d->napping, q)) != PN_OK)
        return st;
    if ((d->seen & BIT(PN_KEY_SCENARIOS)) && (d->scenarios_listed != listed ||
        (listed && (d->level_scenarios.nested || d->level_scenarios.n != levels))))
        return fail_key(d, PN_KEY_SCENARIOS, listed ? "scenarios must be one total per "
                        "level (%zu)" : "scenarios must be one number (%zu level)",
                        levels);
    return PN_OK;
}

/* The range (a ledger's requested range) lies inside the keyspace, a
 * ledger's ranges lie in order inside it without overlapping, and the
 * counts have the question's shape. */
static pn_status check_shape(const doc *d, bool ledger, const pn_query *q)
{
    pn_json_key_id where = ledger ? PN_KEY_LEDGER : PN_KEY_SLICE;
    if (d->range.first > d->keyspace || d->range.count > d->keyspace - d->range.first)
        return fail_key(d, where, "%s skip %llu limit %llu runs past the keyspace %llu",
                        ledger ? "ledger.requested" : "slice",
                        (unsigned long long)d->range.first, (unsigned long long)d->range.count,
                        (unsigned long long)d->keyspace);
    uint64_t at = d->range.first, end = d->range.first + d->range.count;
    for (size_t i = 0; ledger && i < d->nranges; i++) {
        const pn_range *r = &d->ranges[i];
        if (r->first < at || r->count > end - r->first)
            return fail_key(d, where, "ledger.ranges[%zu] [%llu, +%llu) overlaps another or "
                            "lies outside the requested range", i,
                            (unsigned long long)r->first, (unsigned long long)r->count);
        at = r->first + r->count;
    }
    return check_rows(d, q);
}

/* A ledger's "checksum" is "sha256:" and the hex digest of every byte
 * before the line that holds it (pn_ledger_write): an edit anywhere, or a
 * file cut short and completed by hand, shows. */
static pn_status check_checksum(const doc *d, const char *text)
{
    size_t line = d->at[PN_KEY_CHECKSUM];
    while (line > 0 && text[line - 1] != '\n')
        line--;
    unsigned char digest[PN_SHA256_BYTES];
    pn_sha256(text, line, digest);
    char hex[PN_SHA256_HEX];
    pn_sha256_hex(digest, hex);
    if (strncmp(d->checksum, "sha256:", 7) != 0 || strcmp(d->checksum + 7, hex) != 0)
        return fail_key(d, PN_KEY_CHECKSUM, "the ledger's checksum does not match its contents "
                        "(the file was changed or damaged)");
    return PN_OK;
}

/* Moves the checked counts (and a mixed fleet's napping sums) into hists,
 * one per level of q. */
static void take_counts(doc *d, const pn_query *q, pn_histogram *hists)
{
    uint64_t width = q->hosts + 1;
    for (size_t i = 0; i < q->levels.n; i++)
        for (uint64_t k = 0; k < width; k++) {
            mpz_swap(hists[i].bins[k], d->counts.item[i * width + k]);
            for (unsigned j = 0; j < hists[i].groups; j++)
                mpz_swap(pn_histogram_napping(&hists[i], j, k),
                         d->napping.item[(i * hists[i].groups + j) * width + k]);
        }
}

/* Runs every check on a fully read document, in the order its messages
 * are promised; on success moves the question, range and counts into out. */
static pn_status finish(doc *d, const char *text, pn_slice *out)
{
    pn_query q;
    pn_status st = check_present(d);
    bool ledger = d->seen & BIT(PN_KEY_LEDGER);
    if (st == PN_OK && ledger)
        st = check_checksum(d, text);
    if (st == PN_OK && !ledger) { /* a slice: its one range is the list */
        free(d->ranges);
        d->ranges = malloc(sizeof *d->ranges);
        if (!d->ranges)
            return pn_fail(d->err, PN_ERR_NOMEM, "out of memory for a slice's range");
        d->ranges[0] = d->range;
        d->nranges = d->cap = 1;
    }
    if (st == PN_OK)
        st = check_query(d, &q);
    if (st == PN_OK)
        st = check_shape(d, ledger, &q);
    if (st == PN_OK)
        st = pn_slice_doc_check_counts(d, &q);
    if (st == PN_OK)
        st = pn_histograms_init(&out->hists, &q, d->err);
    if (st != PN_OK)
        return st;
    take_counts(d, &q, out->hists);
    out->query = q;
    pn_question_doc_take(&d->question, &out->query, &out->load_curve);
    out->keyspace = d->keyspace;
    out->ranges = d->ranges; /* the list moves to out */
    out->nranges = d->nranges;
    d->ranges = NULL;
    d->nranges = d->cap = 0;
    out->is_ledger = ledger;
    out->requested = d->range;
    snprintf(out->tool_version, sizeof out->tool_version, "%s", d->tool_version);
    snprintf(out->fingerprint, sizeof out->fingerprint, "%s", d->fingerprint);
    snprintf(out->engine, sizeof out->engine, "%s", d->engine);
    return PN_OK;
}

/* Frees what reading a document allocated. */
static void doc_clear(doc *d)
{
    pn_slice_doc_rows_clear(&d->counts);
    pn_slice_doc_rows_clear(&d->napping);
    pn_slice_doc_rows_clear(&d->level_scenarios);
    pn_question_doc_clear(&d->question);
    free(d->ranges);
    mpz_clear(d->scenarios);
}

pn_status pn_slice_parse(const char *text, size_t len, pn_slice *out, pn_error *err)
{
    memset(out, 0, sizeof *out);
    doc d = {.err = err};
    mpz_init(d.scenarios);
    pn_json_limits limits = {.max_digits = PN_SLICE_MAX_DIGITS};
    pn_status st = pn_json_read_document(text, len, &limits, pn_slice_doc_member, &d, err);
    if (st == PN_OK)
        st = finish(&d, text, out);
    doc_clear(&d);
    if (st != PN_OK)
        pn_slice_clear(out);
    return st;
}

/* A path that names no file, or names a directory, is a mistyped argument:
 * bad input, not a failing disk. Anything else is left to pn_read_file. */
static pn_status check_path(const char *path, pn_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT || errno == ENOTDIR
                   ? pn_fail(err, PN_ERR_USAGE, "slice %s: %s", path, strerror(errno))
                   : PN_OK;
    if (S_ISDIR(sb.st_mode))
        return pn_fail(err, PN_ERR_USAGE, "slice %s: %s", path, strerror(EISDIR));
    return PN_OK;
}

pn_status pn_slice_read_file(const char *path, pn_slice *out, pn_error *err)
{
    char *text = NULL;
    size_t len = 0;
    pn_error why;
    memset(out, 0, sizeof *out);
    pn_status st = check_path(path, err);
    if (st != PN_OK)
        return st;
    st = pn_read_file(path, PN_JSON_MAX_BYTES, &text, &len, &why);
    if (st != PN_OK)
        return pn_fail(err, st, "slice %s", why.msg);
    st = pn_slice_parse(text, len, out, &why);
    free(text);
    if (st != PN_OK)
        return pn_fail(err, st, "slice %s: %s", path, why.msg);
    return PN_OK;
}

void pn_slice_clear(pn_slice *slice)
{
    pn_histograms_free(slice->hists, slice->hists ? slice->query.levels.n : 0);
    slice->hists = NULL;
    pn_levels_clear(&slice->query.levels);
    free(slice->load_curve);
    slice->load_curve = NULL;
    free(slice->ranges);
    slice->ranges = NULL;
    slice->nranges = 0;
}
