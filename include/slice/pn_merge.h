/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_merge.h -- summing the slice files of one question into one answer. */
#ifndef PN_MERGE_H
#define PN_MERGE_H

#include <stdint.h>

#include "question/pn_histogram.h"
#include "base/pn_progress.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* The sum of several slices. */
typedef struct pn_merged {
    pn_query query;      /* the whole question (not sliced); its levels' arrays are owned here */
    char *load_curve;    /* a load curve's file, as the first slice names it, else NULL */
    uint64_t keyspace;
    pn_histogram *hists; /* one per level */
    char engine[256];    /* "merge of N slices" */
} pn_merged;

/* Reads every file (pn_slice_read_file; "-" reads standard input, named
 * "(standard input)" in messages, so give it once), checks they share one question, and
 * that the ranges they cover, all of them together, neither overlap nor leave
 * a gap in [0, keyspace); then sums them. PN_ERR_USAGE naming the file and
 * the problem otherwise (a path that names no file, or a directory, among
 * them); PN_ERR_IO when an existing file cannot be read. progress may be
 * NULL; when its cancel flag is set (before a file is read, or while one
 * is, which a signal then cuts short), PN_ERR_INTERRUPTED, "merge
 * interrupted after reading N of M slice files"; its update, when set, is
 * told after each file how many of the files are read ("slice files"). */
pn_status pn_merge_files(char *const *files, int count, const pn_progress *progress,
                         pn_merged *out, pn_error *err);

/* Frees a merge result; safe on a zeroed one. */
void pn_merged_clear(pn_merged *merged);

#endif
