/* SPDX-License-Identifier: GPL-3.0-or-later */
/* merge.c -- checking that slice files tile one keyspace exactly, and summing them. */
#include "slice/pn_merge.h"
#include "base/pn_duration.h"
#include "base/pn_file.h"
#include "slice/pn_json.h"
#include "slice/pn_slice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One file read, remembered with its name for messages. */
typedef struct entry {
    const char *file;
    pn_slice slice;
} entry;

/* One covered range, and the entry whose file covers it. */
typedef struct piece {
    pn_range range;
    const entry *from;
} piece;

/* True when two slices ask the same cloud, guests and model (their
 * keyspaces then agree too). */
static bool same_cloud(const pn_query *a, const pn_query *b)
{
    return a->hosts == b->hosts && a->per_host == b->per_host && a->guests == b->guests &&
           a->model == b->model;
}

/* True when two slices of the same cloud also have the same fleet (groups,
 * watts) and the same levels (and a load curve's hours). */
static bool same_question(const pn_query *a, const pn_query *b)
{
    const pn_levels *x = &a->levels, *y = &b->levels;
    if (a->ngroups != b->ngroups || x->listed != y->listed || x->n != y->n ||
        !x->hours != !y->hours || (x->hours && x->total_hours != y->total_hours))
        return false;
    for (unsigned j = 0; j < a->ngroups; j++)
        if (a->groups[j].count != b->groups[j].count ||
            a->groups[j].capacity != b->groups[j].capacity ||
            a->groups[j].watts != b->groups[j].watts)
            return false;
    for (size_t i = 0; i < x->n; i++)
        if (pn_levels_at(x, i) != pn_levels_at(y, i) || (x->hours && x->hours[i] != y->hours[i]))
            return false;
    return true;
}

/* Refuses any slice whose question differs from the first file's. */
static pn_status check_questions(const entry *e, int count, pn_error *err)
{
    const pn_query *first = &e[0].slice.query;
    for (int i = 1; i < count; i++) {
        const pn_query *q = &e[i].slice.query;
        if (!same_cloud(first, q))
            return pn_fail(err, PN_ERR_USAGE,
                           "slice %s belongs to other parameters: -h %llu -p %llu -g %llu "
                           "--model %s, but %s has -h %llu -p %llu -g %llu --model %s",
                           e[i].file, (unsigned long long)q->hosts,
                           (unsigned long long)q->per_host, (unsigned long long)q->guests,
                           pn_model_name(q->model), e[0].file,
                           (unsigned long long)first->hosts,
                           (unsigned long long)first->per_host,
                           (unsigned long long)first->guests, pn_model_name(first->model));
        if (!same_question(first, q))
            return pn_fail(err, PN_ERR_USAGE, "slice %s belongs to other parameters: its fleet "
                                              "or its guest levels are not those of %s",
                           e[i].file, e[0].file);
    }
    return PN_OK;
}

/* qsort order: by first scenario, then by count, then by file, so the walk
 * below sees ranges in order and names files the same way every time. */
static int by_first(const void *a, const void *b)
{
    const piece *x = a, *y = b;
    if (x->range.first != y->range.first)
        return x->range.first < y->range.first ? -1 : 1;
    if (x->range.count != y->range.count)
        return x->range.count < y->range.count ? -1 : 1;
    return (x->from > y->from) - (x->from < y->from);
}

/* Every range of every file as one array *out of *n pieces, sorted by_first. */
static pn_status collect_pieces(const entry *e, int count, piece **out, size_t *n,
                                pn_error *err)
{
    size_t total = 0;
    for (int i = 0; i < count; i++)
        total += e[i].slice.nranges;
    piece *p = calloc(total ? total : 1, sizeof *p);
    if (!p)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for %zu ranges", total);
    size_t at = 0;
    for (int i = 0; i < count; i++)
        for (size_t r = 0; r < e[i].slice.nranges; r++)
            p[at++] = (piece){.range = e[i].slice.ranges[r], .from = &e[i]};
    qsort(p, total, sizeof *p, by_first);
    *out = p;
    *n = total;
    return PN_OK;
}

/* Walks the ranges in order (empty ones cover nothing and are passed over)
 * and refuses the first overlap or gap in [0, keyspace). */
static pn_status check_tiling(const piece *p, size_t n, uint64_t keyspace, pn_error *err)
{
    uint64_t next = 0; /* first scenario no range so far has covered */
    const entry *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const pn_range *r = &p[i].range;
        if (r->count == 0)
            continue;
        if (r->first > next)
            return pn_fail(err, PN_ERR_USAGE, "scenarios %llu..%llu are in no slice",
                           (unsigned long long)next, (unsigned long long)(r->first - 1));
        if (r->first < next)
            return pn_fail(err, PN_ERR_USAGE, "slices %s and %s overlap at scenario %llu",
                           prev->file, p[i].from->file, (unsigned long long)r->first);
        next = r->first + r->count;
        prev = p[i].from;
    }
    if (next < keyspace)
        return pn_fail(err, PN_ERR_USAGE, "scenarios %llu..%llu are in no slice",
                       (unsigned long long)next, (unsigned long long)(keyspace - 1));
    return PN_OK;
}

/* Checks that the files' ranges tile the keyspace of the first. */
static pn_status check_coverage(const entry *e, int count, pn_error *err)
{
    piece *p = NULL;
    size_t n = 0;
    pn_status st = collect_pieces(e, count, &p, &n, err);
    if (st == PN_OK)
        st = check_tiling(p, n, e[0].slice.keyspace, err);
    free(p);
    return st;
}

/* Sums the slices into out, one histogram per level, which takes the whole
 * (unsliced) question with a copy of its levels. */
static pn_status sum_into(const entry *e, int count, pn_merged *out, pn_error *err)
{
    const pn_slice *first = &e[0].slice;
    out->query = first->query;
    out->query.levels = (pn_levels){0};
    pn_status st = pn_levels_copy(&out->query.levels, &first->query.levels, err);
    if (st == PN_OK)
        st = pn_histograms_init(&out->hists, &out->query, err);
    if (st == PN_OK && first->load_curve && !(out->load_curve = strdup(first->load_curve)))
        st = pn_fail(err, PN_ERR_NOMEM, "out of memory for a path");
    if (st != PN_OK)
        return st;
    for (int i = 0; i < count; i++)
        for (size_t level = 0; level < out->query.levels.n; level++)
            pn_histogram_add(&out->hists[level], &e[i].slice.hists[level]);
    out->query.sliced = false;
    out->query.skip = out->query.limit = 0;
    out->keyspace = first->keyspace;
    snprintf(out->engine, sizeof out->engine, "merge of %d slice%s", count,
             count == 1 ? "" : "s");
    return PN_OK;
}

/* True when a stop was asked for through progress (which may be NULL). */
static bool stop_requested(const pn_progress *progress)
{
    return progress && progress->cancel && *progress->cancel;
}

static pn_status interrupted(int done, int count, pn_error *err)
{
    return pn_fail(err, PN_ERR_INTERRUPTED, "merge interrupted after reading %d of %d slice file%s",
                   done, count, count == 1 ? "" : "s");
}

/* Hands progress->update, when there is one, how many files are read. */
static void report(const pn_progress *progress, int done, int count, double started)
{
    if (!progress || !progress->update)
        return;
    double seconds = pn_now_seconds() - started;
    pn_progress_report r = {.unit = "slice files", .done = (uint64_t)done,
                            .total = (uint64_t)count, .rate = seconds > 0 ? done / seconds : 0};
    progress->update(progress->ctx, &r);
}

/* How messages name the slice that "-" reads from standard input. */
static const char STDIN_NAME[] = "(standard input)";

/* Reads one slice: file "-" is standard input (a pipe from a shell loop or
 * from ssh), refused as bad input like a file when it cannot be read or is
 * not a slice; any other name through pn_slice_read_file. */
static pn_status read_slice(const char *file, pn_slice *slice, pn_error *err)
{
    if (strcmp(file, "-") != 0)
        return pn_slice_read_file(file, slice, err);
    char *text = NULL;
    size_t len = 0;
    pn_error why;
    memset(slice, 0, sizeof *slice);
    pn_status st = pn_read_file("/dev/stdin", PN_JSON_MAX_BYTES, &text, &len, &why);
    if (st == PN_OK)
        st = pn_slice_parse(text, len, slice, &why);
    free(text);
    if (st == PN_ERR_IO)
        st = PN_ERR_USAGE;
    return st == PN_OK ? PN_OK : pn_fail(err, st, "slice %s: %s", STDIN_NAME, why.msg);
}

/* Reads every file into e, looking for a stop request before each file and
 * after a failed one: a signal cuts short an open or read blocked on a slow
 * file (a FIFO, a network mount), which then fails with EINTR, and the stop,
 * not that failure, is what happened. */
static pn_status read_all(char *const *files, int count, entry *e, const pn_progress *progress,
                          pn_error *err)
{
    double started = pn_now_seconds();
    for (int i = 0; i < count; i++) {
        if (stop_requested(progress))
            return interrupted(i, count, err);
        e[i].file = strcmp(files[i], "-") == 0 ? STDIN_NAME : files[i];
        pn_status st = read_slice(files[i], &e[i].slice, err);
        if (st != PN_OK)
            return stop_requested(progress) ? interrupted(i, count, err) : st;
        report(progress, i + 1, count, started);
    }
    return stop_requested(progress) ? interrupted(count, count, err) : PN_OK;
}

pn_status pn_merge_files(char *const *files, int count, const pn_progress *progress,
                         pn_merged *out, pn_error *err)
{
    memset(out, 0, sizeof *out);
    if (count <= 0)
        return pn_fail(err, PN_ERR_USAGE, "merge needs at least one slice file");
    entry *e = calloc((size_t)count, sizeof *e);
    if (!e)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for %d slices", count);
    pn_status st = read_all(files, count, e, progress, err);
    if (st == PN_OK)
        st = check_questions(e, count, err);
    if (st == PN_OK)
        st = check_coverage(e, count, err);
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
    pn_histograms_free(merged->hists, merged->hists ? merged->query.levels.n : 0);
    merged->hists = NULL;
    pn_levels_clear(&merged->query.levels);
    free(merged->load_curve);
    merged->load_curve = NULL;
}
