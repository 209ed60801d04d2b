/* SPDX-License-Identifier: GPL-3.0-or-later */
/* slice_doc.h -- private to slice*.c: a slice or ledger document as read, before it is checked. */
#ifndef PN_SLICE_DOC_H
#define PN_SLICE_DOC_H

#include <gmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "slice/pn_json.h"
#include "slice/pn_json_keys.h"
#include "slice/pn_question_doc.h"
#include "slice/pn_slice.h"

/* The top-level keys are the first ids of pn_json_key_id, one bit each in doc.seen. */
#define TOP_KEYS (PN_KEY_CHECKSUM + 1)
#define BIT(k) (1u << (k))
/* guests_per_host, or a mixed fleet's "fleet" instead */
#define REQUIRED_KEYS                                                                   \
    (BIT(PN_KEY_FORMAT_VERSION) | BIT(PN_KEY_HOSTS) | BIT(PN_KEY_GUESTS_PER_HOST) |     \
     BIT(PN_KEY_GUESTS) | BIT(PN_KEY_MODEL) | BIT(PN_KEY_KEYSPACE) | BIT(PN_KEY_COUNTS))
/* A slice names its one range in "slice"; a ledger its ranges in "ledger". */
#define RANGE_KEYS (BIT(PN_KEY_SLICE) | BIT(PN_KEY_LEDGER))

/* The short strings we compare (tool) are decoded into buffers this big;
 * anything longer cannot be a name we know. */
#define SHORT_STRING 32

/* An array of counts as read, before we know how many hosts there are:
 * flat ("counts": [c0, c1, ...], one row) or of rows ("counts": [[...],
 * [...]], one per level; "napping_sums": one per level and group). */
typedef struct count_rows {
    mpz_t *item;  /* every count, in document order */
    size_t n, cap;
    size_t *len;  /* each row's length */
    size_t rows, rows_cap;
    bool nested;  /* an array of arrays */
} count_rows;

/* Everything the document said, plus the byte offset of each top-level value
 * so a later consistency check can point at it. */
typedef struct doc {
    pn_error *err;
    unsigned seen;
    size_t at[TOP_KEYS];
    uint64_t format_version, keyspace;
    pn_question_doc question; /* hosts, guests_per_host or fleet, guests, levels, model */
    bool has_skip, has_limit;
    pn_range range; /* the one range of "slice": {skip, limit}; a ledger's "requested" */
    /* a ledger's */
    char tool_version[SHORT_STRING], fingerprint[PN_SLICE_FINGERPRINT_LEN];
    bool has_requested;
    size_t nranges, cap;
    pn_range *ranges;
    char checksum[80];
    char engine[256];
    mpz_t scenarios;            /* one level's */
    count_rows level_scenarios; /* a list of levels': one each */
    bool scenarios_listed;
    count_rows counts, napping;
} doc;

/* The member callback for the document's top-level object: known keys are
 * read into the doc (ctx), each at most once, unknown ones skipped. */
pn_status pn_slice_doc_member(pn_json *j, void *ctx, const char *key, size_t len);

/* Frees a count_rows; safe on a zeroed one. */
void pn_slice_doc_rows_clear(count_rows *r);

/* The counts of the resolved q the document holds (shapes checked) are
 * possible, add up as "scenarios" says, and, for a mixed fleet, agree with
 * the napping sums; then they are exactly those of the ranges
 * (pn_exact_range_count). slice_check.c. */
pn_status pn_slice_doc_check_counts(const doc *d, const pn_query *q);

/* Fails pointing at the value of top-level key k. */
__attribute__((format(printf, 3, 4)))
static inline pn_status fail_key(const doc *d, pn_json_key_id k, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pn_json_fail_at(d->err, d->at[k], "%s", what);
}

#endif
