/* pn_merge.h -- summing the slice files of one question into one answer. */
#ifndef PN_MERGE_H
#define PN_MERGE_H

#include <stdint.h>

#include "pn_histogram.h"
#include "pn_query.h"
#include "pn_status.h"

/* The sum of several slices. */
typedef struct pn_merged {
    pn_query query;    /* the whole question (not sliced) */
    uint64_t keyspace;
    pn_histogram hist;
    char engine[256];  /* "merge of N slices" */
} pn_merged;

/* Reads every file (pn_slice_read_file), checks they share one question, and
 * that the ranges they cover, all of them together, neither overlap nor leave
 * a gap in [0, keyspace); then sums them. PN_ERR_USAGE naming the file and
 * the problem otherwise; PN_ERR_IO when a file cannot be read. */
pn_status pn_merge_files(char *const *files, int count, pn_merged *out, pn_error *err);

/* Frees a merge result; safe on a zeroed one. */
void pn_merged_clear(pn_merged *merged);

#endif
