/* pn_merge.h -- reading the JSON of keyspace slices and summing them into one answer. */
#ifndef PN_MERGE_H
#define PN_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "pn_histogram.h"
#include "pn_query.h"
#include "pn_status.h"

/* One slice as read from a `--skip N --limit M --format json` document. */
typedef struct pn_slice {
    pn_query query;     /* hosts, per_host, guests, model; sliced, skip, limit */
    uint64_t keyspace;  /* (p+1)^h as the document states it */
    pn_histogram hist;  /* the raw counts */
} pn_slice;

/* Parses one slice document (text, len bytes, need not be NUL-terminated).
 * PN_ERR_USAGE with a message naming the problem for anything malformed,
 * missing, inconsistent (counts length != hosts+1, keyspace != (p+1)^h) or
 * not a slice. On success out->hist must be freed with pn_slice_clear. */
pn_status pn_slice_parse(const char *text, size_t len, pn_slice *out, pn_error *err);

/* Frees a parsed slice; safe on a zeroed one. */
void pn_slice_clear(pn_slice *slice);

/* The sum of several slices. */
typedef struct pn_merged {
    pn_query query;    /* the whole question (not sliced) */
    uint64_t keyspace;
    pn_histogram hist;
    char engine[256];  /* "merge of N slices" */
} pn_merged;

/* Reads every file, checks they share one question, and that their ranges
 * neither overlap nor leave a gap, together covering [0, keyspace); then sums
 * them. PN_ERR_USAGE naming the file and the problem otherwise; PN_ERR_IO
 * when a file cannot be read. */
pn_status pn_merge_files(char *const *files, int count, pn_merged *out, pn_error *err);

/* Frees a merge result; safe on a zeroed one. */
void pn_merged_clear(pn_merged *merged);

#endif
