/* slice.c -- the slice file: a `--skip --limit --format json` report read back into its question, covered ranges and counts, and checked. */
#include "slice/pn_slice.h"
#include "slice_doc.h"
#include "engine/pn_exact_range.h"
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


/* Fails pointing at the value of top-level key k. */
__attribute__((format(printf, 3, 4)))
static pn_status fail_key(const doc *d, pn_json_key_id k, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pn_json_fail_at(d->err, d->at[k], "%s", what);
}

/* Every required key is there, slice has skip and limit, the version is ours. */
static pn_status check_present(const doc *d)
{
    for (int k = 0; k < TOP_KEYS; k++)
        if ((REQUIRED_KEYS & BIT(k)) && !(d->seen & BIT(k)))
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
    if (d->format_version != PN_JSON_FORMAT_VERSION)
        return fail_key(d, PN_KEY_FORMAT_VERSION, "format_version %llu is not %d",
                        (unsigned long long)d->format_version, PN_JSON_FORMAT_VERSION);
    return PN_OK;
}

/* The question is one the tool accepts and the keyspace is its (p+1)^h:
 * the one place that asks pn_query about a document. *q comes back resolved
 * (the whole question, not sliced). */
static pn_status check_query(const doc *d, pn_query *q)
{
    *q = (pn_query){.hosts = d->hosts, .per_host = d->per_host, .guests = d->guests,
                    .model = d->model};
    pn_error why;
    if (pn_query_resolve(q, &why) != PN_OK)
        return fail_key(d, PN_KEY_HOSTS, "%s", why.msg);
    if (pn_query_check_keyspace(q, &why) != PN_OK)
        return fail_key(d, PN_KEY_KEYSPACE, "%s", why.msg);
    if (d->keyspace != q->keyspace)
        return fail_key(d, PN_KEY_KEYSPACE, "keyspace %llu is not (p+1)^h = %llu",
                        (unsigned long long)d->keyspace, (unsigned long long)q->keyspace);
    return PN_OK;
}

/* The range (a ledger's requested range) lies inside the keyspace, a
 * ledger's ranges lie in order inside it without overlapping, and there is
 * one count per napping-host number. */
static pn_status check_shape(const doc *d, bool ledger)
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
    if (d->counts.n != d->hosts + 1)
        return fail_key(d, PN_KEY_COUNTS, "counts has %zu entries, hosts+1 is %llu",
                        d->counts.n, (unsigned long long)(d->hosts + 1));
    return PN_OK;
}

/* Scenarios the document covers: its ranges added up. */
static uint64_t covered(const doc *d)
{
    uint64_t n = 0;
    for (size_t i = 0; i < d->nranges; i++)
        n += d->ranges[i].count;
    return n;
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

/* The counts are possible: k napping hosts leave m = h-k hosts with 1..p
 * guests each, so bins with m > g or m*p < g are empty; all counts together
 * are at most the scenarios covered (uniform: one each) or, for slots, at
 * most the total weight C(h*p, g), which an enumerating engine keeps below
 * 2^64; and "scenarios", when present, is their sum. */
static pn_status check_counts(const doc *d, const pn_query *q, mpz_t sum)
{
    mpz_set_ui(sum, 0);
    for (uint64_t k = 0; k <= d->hosts; k++) {
        uint64_t m = d->hosts - k;
        if (mpz_sgn(d->counts.item[k]) != 0 && (m > d->guests || m * d->per_host < d->guests))
            return fail_key(d, PN_KEY_COUNTS, "counts[%llu] is not 0, yet no scenario has %llu "
                            "napping hosts", (unsigned long long)k, (unsigned long long)k);
        mpz_add(sum, sum, d->counts.item[k]);
    }
    uint64_t scenarios = covered(d);
    bool too_many = mpz_cmp_ui(sum, (unsigned long)scenarios) > 0;
    if (d->model == PN_MODEL_SLOTS) {
        if (!q->weights_fit)
            return fail_key(d, PN_KEY_GUESTS, "the slots model's total weight is 2^64 or more, "
                            "which no enumerating engine slices");
        mpz_t total;
        mpz_init(total);
        mpz_bin_uiui(total, (unsigned long)(d->hosts * d->per_host), (unsigned long)d->guests);
        too_many = mpz_cmp(sum, total) > 0 || (scenarios == 0 && mpz_sgn(sum) != 0);
        mpz_clear(total);
    }
    if (too_many)
        return fail_key(d, PN_KEY_COUNTS, "counts add up to more than the slice can hold");
    if ((d->seen & BIT(PN_KEY_SCENARIOS)) && mpz_cmp(sum, d->scenarios) != 0)
        return fail_key(d, PN_KEY_SCENARIOS, "scenarios is not the sum of counts");
    return PN_OK;
}

/* The counts are exactly those of the range: the exact engine counts every
 * range without enumerating it (pn_exact_range_count), so a count edited by
 * hand, or a slice run with another question, cannot pass. */
static pn_status check_counts_exact(const doc *d, const pn_query *q)
{
    pn_histogram want;
    pn_status st = pn_histogram_init(&want, q->hosts, d->err);
    for (size_t i = 0; st == PN_OK && i < d->nranges; i++)
        st = pn_exact_range_count(q, d->ranges[i].first, d->ranges[i].count, &want, d->err);
    for (uint64_t k = 0; st == PN_OK && k <= q->hosts; k++) {
        if (mpz_cmp(want.bins[k], d->counts.item[k]) == 0)
            continue;
        if (d->seen & BIT(PN_KEY_LEDGER))
            st = fail_key(d, PN_KEY_COUNTS, "counts[%llu] is not what the ledger's %zu ranges "
                          "hold (the exact count differs): they could not belong to its ranges",
                          (unsigned long long)k, d->nranges);
        else
            st = fail_key(d, PN_KEY_COUNTS, "counts[%llu] is not what scenarios [%llu, %llu) "
                          "hold (the exact count differs): forged or from another run",
                          (unsigned long long)k, (unsigned long long)d->range.first,
                          (unsigned long long)(d->range.first + d->range.count));
    }
    pn_histogram_clear(&want);
    return st;
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
        st = check_shape(d, ledger);
    if (st == PN_OK) {
        mpz_t sum;
        mpz_init(sum);
        st = check_counts(d, &q, sum);
        mpz_clear(sum);
    }
    if (st == PN_OK)
        st = check_counts_exact(d, &q);
    if (st == PN_OK)
        st = pn_histogram_init(&out->hist, d->hosts, d->err);
    if (st != PN_OK)
        return st;
    for (uint64_t k = 0; k <= d->hosts; k++)
        mpz_swap(out->hist.bins[k], d->counts.item[k]);
    out->query = q;
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
    for (size_t i = 0; i < d->counts.n; i++)
        mpz_clear(d->counts.item[i]);
    free(d->counts.item);
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
    pn_histogram_clear(&slice->hist);
    free(slice->ranges);
    slice->ranges = NULL;
    slice->nranges = 0;
}
