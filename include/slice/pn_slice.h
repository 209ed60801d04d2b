/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_slice.h -- a slice file: the counts of one question over the ranges of its keyspace that were covered. */
#ifndef PN_SLICE_H
#define PN_SLICE_H

#include <stddef.h>
#include <stdint.h>

#include "question/pn_histogram.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* The longest run of digits a number in a slice document may have; longer
 * ones are refused as "<key>: integer too long (more than 64 digits)" before
 * anything is allocated for them. Every number a valid slice holds is far
 * shorter: a range's counts and scenarios are below 2^64 (20 digits; an
 * enumerating engine, slots weights included, never counts past that), a
 * ledger adding up to 2^64 ranges stays below 2^128 (39 digits), and the
 * doubles of rows and cost are written with 17 significant digits. */
#define PN_SLICE_MAX_DIGITS 64

/* Scenarios [first, first + count) of a keyspace. */
typedef struct pn_range {
    uint64_t first;
    uint64_t count;
} pn_range;

/* One slice file as read. Today's document, written by `--skip N --limit M
 * --format json`, covers one range (count 0 when the slice was empty); the
 * model allows several, as a checkpoint ledger will write them. */
/* Hex SHA-256 plus its NUL. */
#define PN_SLICE_FINGERPRINT_LEN 65

typedef struct pn_slice {
    /* the question (pn_question_doc.h): a cloud or fleet, its levels (owned
     * here: query.levels's arrays), model; not sliced */
    pn_query query;
    char *load_curve;  /* a load curve's file as its run named it, else NULL */
    uint64_t keyspace; /* (p+1)^h as the document states it */
    size_t nranges;
    pn_range *ranges;  /* in document order, each inside [0, keyspace) */
    /* the raw counts over all the ranges, one histogram per level (with a
     * mixed fleet's napping sums) */
    pn_histogram *hists;
    /* A checkpoint ledger (pn_ledger.h) is a slice with several ranges, the
     * range its run was asked for, and what identifies that run; its
     * checksum has been verified. For a slice, requested is its range. */
    bool is_ledger;
    pn_range requested;
    char tool_version[32];
    char fingerprint[PN_SLICE_FINGERPRINT_LEN];
    char engine[256];  /* "engine": who counted (cut at 255 bytes; "" when absent) */
} pn_slice;

/* Parses one slice document (text, len bytes, need not be NUL-terminated).
 * Its question is read by pn_question_doc.h; a question with levels has
 * "counts" as one array per level, a mixed fleet "napping_sums" as one
 * array per level and group. PN_ERR_USAGE with a message naming the
 * problem and its byte offset for anything malformed, missing, inconsistent
 * (counts length != hosts+1, keyspace != (p+1)^h, counts the ranges cannot
 * hold), a number with more than PN_SLICE_MAX_DIGITS digits in a row, or
 * not a slice.
 * On success out must be freed with pn_slice_clear; on failure it is
 * zeroed (and safe to clear). */
pn_status pn_slice_parse(const char *text, size_t len, pn_slice *out, pn_error *err);

/* Reads and parses the slice file at path. Messages start "slice " and name
 * the file: PN_ERR_USAGE when path names no file or a directory ("slice
 * PATH: No such file or directory", "slice PATH: Is a directory") or a file
 * over PN_JSON_MAX_BYTES, PN_ERR_IO when an existing file cannot be read,
 * or "slice PATH: " and the parse error. */
pn_status pn_slice_read_file(const char *path, pn_slice *out, pn_error *err);

/* Frees a parsed slice; safe on a zeroed one, and twice. */
void pn_slice_clear(pn_slice *slice);

#endif
