/* merge.c -- reading slice files, checking they tile one keyspace exactly, and summing them. */
#include "pn_merge.h"
#include "pn_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* No slice report.c writes comes near this; it stops a wrong file (a disk
 * image, /dev/zero) from eating memory. */
#define MAX_SLICE_BYTES ((size_t)256 << 20)

/* One parsed file, remembered with its name for messages. */
typedef struct entry {
    const char *file;
    pn_slice slice;
} entry;

/* Reads and parses one file into e; a parse error is prefixed with the file name. */
static pn_status load_entry(const char *path, entry *e, pn_error *err)
{
    char *text = NULL;
    size_t len = 0;
    e->file = path;
    pn_error why;
    pn_status st = pn_read_file(path, MAX_SLICE_BYTES, &text, &len, &why);
    if (st != PN_OK)
        return pn_fail(err, st, "slice %s", why.msg);
    st = pn_slice_parse(text, len, &e->slice, &why);
    free(text);
    if (st != PN_OK)
        return pn_fail(err, st, "slice %s: %s", path, why.msg);
    return PN_OK;
}

/* True when two slices ask the same question (their keyspaces then agree too). */
static bool same_question(const pn_query *a, const pn_query *b)
{
    return a->hosts == b->hosts && a->per_host == b->per_host && a->guests == b->guests &&
           a->model == b->model;
}

/* Refuses any slice whose question differs from the first file's. */
static pn_status check_questions(const entry *e, int count, pn_error *err)
{
    const pn_query *first = &e[0].slice.query;
    for (int i = 1; i < count; i++) {
        const pn_query *q = &e[i].slice.query;
        if (!same_question(first, q))
            return pn_fail(err, PN_ERR_USAGE,
                           "slice %s belongs to other parameters: -h %llu -p %llu -g %llu "
                           "--model %s, but %s has -h %llu -p %llu -g %llu --model %s",
                           e[i].file, (unsigned long long)q->hosts,
                           (unsigned long long)q->per_host, (unsigned long long)q->guests,
                           pn_model_name(q->model), e[0].file,
                           (unsigned long long)first->hosts,
                           (unsigned long long)first->per_host,
                           (unsigned long long)first->guests, pn_model_name(first->model));
    }
    return PN_OK;
}

/* qsort order: by skip, then by limit, so the walk below sees ranges in order. */
static int by_skip(const void *a, const void *b)
{
    const pn_query *x = &((const entry *)a)->slice.query, *y = &((const entry *)b)->slice.query;
    if (x->skip != y->skip)
        return x->skip < y->skip ? -1 : 1;
    return (x->limit > y->limit) - (x->limit < y->limit);
}

/* Walks the slices in skip order (empty ones cover nothing and are passed
 * over) and refuses the first overlap or gap in [0, keyspace). */
static pn_status check_tiling(const entry *e, int count, uint64_t keyspace, pn_error *err)
{
    uint64_t next = 0; /* first scenario no slice so far has covered */
    const entry *prev = NULL;
    for (int i = 0; i < count; i++) {
        const pn_query *q = &e[i].slice.query;
        if (q->limit == 0)
            continue;
        if (q->skip > next)
            return pn_fail(err, PN_ERR_USAGE, "scenarios %llu..%llu are in no slice",
                           (unsigned long long)next, (unsigned long long)(q->skip - 1));
        if (q->skip < next)
            return pn_fail(err, PN_ERR_USAGE, "slices %s and %s overlap at scenario %llu",
                           prev->file, e[i].file, (unsigned long long)q->skip);
        next = q->skip + q->limit;
        prev = &e[i];
    }
    if (next < keyspace)
        return pn_fail(err, PN_ERR_USAGE, "scenarios %llu..%llu are in no slice",
                       (unsigned long long)next, (unsigned long long)(keyspace - 1));
    return PN_OK;
}

/* Sums the slices into out, which takes the whole (unsliced) question. */
static pn_status sum_into(const entry *e, int count, pn_merged *out, pn_error *err)
{
    pn_status st = pn_histogram_init(&out->hist, e[0].slice.query.hosts, err);
    if (st != PN_OK)
        return st;
    for (int i = 0; i < count; i++)
        pn_histogram_add(&out->hist, &e[i].slice.hist);
    out->query = e[0].slice.query;
    out->query.sliced = false;
    out->query.skip = out->query.limit = 0;
    out->keyspace = e[0].slice.keyspace;
    snprintf(out->engine, sizeof out->engine, "merge of %d slice%s", count,
             count == 1 ? "" : "s");
    return PN_OK;
}

pn_status pn_merge_files(char *const *files, int count, pn_merged *out, pn_error *err)
{
    memset(out, 0, sizeof *out);
    if (count <= 0)
        return pn_fail(err, PN_ERR_USAGE, "merge needs at least one slice file");
    entry *e = calloc((size_t)count, sizeof *e);
    if (!e)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for %d slices", count);
    pn_status st = PN_OK;
    for (int i = 0; i < count && st == PN_OK; i++)
        st = load_entry(files[i], &e[i], err);
    if (st == PN_OK)
        st = check_questions(e, count, err);
    if (st == PN_OK) {
        qsort(e, (size_t)count, sizeof *e, by_skip);
        st = check_tiling(e, count, e[0].slice.keyspace, err);
    }
    if (st == PN_OK)
        st = sum_into(e, count, out, err);
    for (int i = 0; i < count; i++)
        pn_slice_clear(&e[i].slice);
    free(e);
    if (st != PN_OK)
        pn_merged_clear(out);
    return st;
}

void pn_merged_clear(pn_merged *merged)
{
    pn_histogram_clear(&merged->hist);
}
