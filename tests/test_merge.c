/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_merge.c -- slice files merged: random splits sum to the unsliced answer; overlaps, gaps, strangers, forgeries and unreadable files refused by name; a stop between files. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/pn_engine.h"
#include "slice/pn_merge.h"
#include "engine_fixture.h"
#include "file_fixture.h"
#include "query_fixture.h"
#include "random_fixture.h"
#include "report_fixture.h"

/* A scratch directory of slice files, removed by files_remove. */
typedef struct files {
    char dir[64];
    char *path[32];
    int count;
} files;

static void files_init(files *f)
{
    memset(f, 0, sizeof *f);
    temp_dir_make(f->dir, sizeof f->dir, "merge");
}

/* Writes the JSON of slice [skip, skip+limit) of q0 (computed by the cpu
 * engine) to a new file; returns its path. */
static const char *files_add_slice(files *f, pn_query q0, uint64_t skip, uint64_t limit)
{
    cr_assert(f->count < 32);
    pn_query q = sliced(q0, skip, limit);
    pn_histogram hist = {0};
    engine_ok(pn_engine_cpu_run, &q, &hist);
    char *path = malloc(sizeof f->dir + 32), *text = json_report(&q, &hist, NULL, NULL);
    sprintf(path, "%s/slice%02d.json", f->dir, f->count);
    write_text(path, text);
    free(text);
    pn_histogram_clear(&hist);
    f->path[f->count++] = path;
    return path;
}

/* Writes `text` to a new file; returns its path. */
static const char *files_add_text(files *f, const char *text)
{
    char *path = malloc(sizeof f->dir + 32);
    sprintf(path, "%s/text%02d.json", f->dir, f->count);
    write_text(path, text);
    f->path[f->count++] = path;
    return path;
}

/* Removes the directory and every file in it, and frees the paths. */
static void files_remove(files *f)
{
    for (int i = 0; i < f->count; i++)
        free(f->path[i]);
    remove_tree(f->dir);
}

/* Merges f's files and expects failure with `status` and `needle` in the message. */
static void merge_refused(files *f, pn_status status, const char *needle)
{
    pn_merged merged;
    pn_error err = {{0}};
    pn_status st = pn_merge_files(f->path, f->count, NULL, &merged, &err);
    cr_assert_eq(st, status, "got %s: %s", pn_status_name(st), err.msg);
    cr_assert(strstr(err.msg, needle), "message \"%s\" lacks \"%s\"", err.msg, needle);
    cr_assert_null(merged.hists);
    pn_merged_clear(&merged);
}

/* Splits q's keyspace at `cuts` random points (some repeated, giving empty
 * slices), writes the slices in a shuffled order, merges them and compares
 * with the cpu engine's unsliced answer. */
static void check_random_split(pn_query q, int cuts, uint64_t *state)
{
    cr_assert(q.resolved && q.keyspace_fits);
    uint64_t keyspace = q.keyspace;
    uint64_t at[34] = {0};
    for (int i = 1; i <= cuts; i++)
        at[i] = next_random(state) % (keyspace + 1);
    at[cuts + 1] = keyspace;
    for (int i = 1; i <= cuts + 1; i++) /* insertion sort */
        for (int j = i; j > 0 && at[j - 1] > at[j]; j--) {
            uint64_t t = at[j];
            at[j] = at[j - 1];
            at[j - 1] = t;
        }
    int order[33];
    for (int i = 0; i <= cuts; i++)
        order[i] = i;
    for (int i = cuts; i > 0; i--) {
        int j = (int)(next_random(state) % (uint64_t)(i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    files f;
    files_init(&f);
    for (int i = 0; i <= cuts; i++)
        files_add_slice(&f, q, at[order[i]], at[order[i] + 1] - at[order[i]]);
    pn_merged merged;
    pn_error err = {{0}};
    pn_status st = pn_merge_files(f.path, f.count, NULL, &merged, &err);
    cr_assert_eq(st, PN_OK, "%s: %s", pn_status_name(st), err.msg);
    pn_histogram whole = {0};
    engine_ok(pn_engine_cpu_run, &q, &whole);
    cr_assert(pn_histogram_equal(&merged.hists[0], &whole), "merge of %d slices differs", cuts + 1);
    cr_assert_eq(merged.query.hosts, q.hosts);
    cr_assert_eq(merged.query.per_host, q.per_host);
    cr_assert_eq(merged.query.guests, q.guests);
    cr_assert_eq(merged.query.model, q.model);
    cr_assert(!merged.query.sliced);
    cr_assert_eq(merged.keyspace, keyspace);
    char engine[64];
    snprintf(engine, sizeof engine, "merge of %d slice%s", cuts + 1, cuts ? "s" : "");
    cr_assert_str_eq(merged.engine, engine);
    pn_histogram_clear(&whole);
    pn_merged_clear(&merged);
    files_remove(&f);
}

Test(merge, random_splits_sum_to_the_unsliced_answer)
{
    uint64_t state = 12345;
    pn_model models[] = {PN_MODEL_UNIFORM, PN_MODEL_SLOTS};
    for (int m = 0; m < 2; m++) {
        check_random_split(query(6, 3, 7, models[m]), 0, &state);
        check_random_split(query(6, 3, 7, models[m]), 1, &state);
        for (int round = 0; round < 4; round++)
            check_random_split(query(6, 3, 7, models[m]),
                               1 + (int)(next_random(&state) % 30), &state);
        check_random_split(query(5, 2, 4, models[m]), 12, &state);
        check_random_split(query(1, 0, 0, models[m]), 3, &state);
    }
}

Test(merge, refuses_overlaps)
{
    pn_query q = query(6, 3, 7, PN_MODEL_UNIFORM);
    files f;
    files_init(&f);
    const char *a = files_add_slice(&f, q, 0, 2000);
    files_add_slice(&f, q, 2500, 1596);
    const char *b = files_add_slice(&f, q, 1500, 1000);
    char needle[256];
    snprintf(needle, sizeof needle, "slices %s and %s overlap at scenario 1500", a, b);
    merge_refused(&f, PN_ERR_USAGE, needle);
    files_remove(&f);
    /* the same file twice */
    files_init(&f);
    a = files_add_slice(&f, q, 0, 4096);
    f.path[f.count++] = strdup(a);
    merge_refused(&f, PN_ERR_USAGE, "overlap at scenario 0");
    f.count--;
    free(f.path[f.count]);
    files_remove(&f);
}

Test(merge, refuses_gaps_before_between_and_after)
{
    pn_query q = query(6, 3, 7, PN_MODEL_SLOTS);
    struct { uint64_t skip[2], limit[2]; const char *needle; } cases[] = {
        {{100, 2000}, {1900, 2096}, "scenarios 0..99 are in no slice"},
        {{0, 2001}, {2000, 2095}, "scenarios 2000..2000 are in no slice"},
        {{0, 2000}, {2000, 2000}, "scenarios 4000..4095 are in no slice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        files f;
        files_init(&f);
        files_add_slice(&f, q, cases[i].skip[1], cases[i].limit[1]);
        files_add_slice(&f, q, cases[i].skip[0], cases[i].limit[0]);
        merge_refused(&f, PN_ERR_USAGE, cases[i].needle);
        files_remove(&f);
    }
    files f;
    files_init(&f);
    files_add_slice(&f, q, 0, 0);
    merge_refused(&f, PN_ERR_USAGE, "scenarios 0..4095 are in no slice");
    files_remove(&f);
}

Test(merge, refuses_slices_of_other_parameters)
{
    pn_query others[] = {query(6, 3, 6, PN_MODEL_UNIFORM), query(6, 3, 7, PN_MODEL_SLOTS),
                         query(7, 3, 7, PN_MODEL_UNIFORM), query(6, 4, 7, PN_MODEL_UNIFORM)};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        files f;
        files_init(&f);
        files_add_slice(&f, query(6, 3, 7, PN_MODEL_UNIFORM), 0, 2000);
        const char *odd = files_add_slice(&f, others[i], 2000, 96);
        char needle[256];
        snprintf(needle, sizeof needle, "slice %s belongs to other parameters", odd);
        merge_refused(&f, PN_ERR_USAGE, needle);
        files_remove(&f);
    }
}

Test(merge, refuses_unreadable_and_malformed_files)
{
    files f;
    files_init(&f);
    files_add_slice(&f, query(6, 3, 7, PN_MODEL_UNIFORM), 0, 4096);
    char *missing = malloc(sizeof f.dir + 32);
    sprintf(missing, "%s/missing.json", f.dir);
    f.path[f.count++] = missing;
    merge_refused(&f, PN_ERR_USAGE, missing); /* a mistyped name is bad input */
    merge_refused(&f, PN_ERR_USAGE, "No such file or directory");
    f.count--;
    f.path[f.count++] = strdup(f.dir); /* a directory */
    merge_refused(&f, PN_ERR_USAGE, f.dir);
    merge_refused(&f, PN_ERR_USAGE, "Is a directory");
    free(f.path[--f.count]);
    free(missing);
    const char *bad = files_add_text(&f, "{\"format_version\": 1}");
    char needle[256];
    snprintf(needle, sizeof needle, "slice %s: missing key", bad);
    merge_refused(&f, PN_ERR_USAGE, needle);
    files_remove(&f);

    pn_merged merged;
    pn_error err;
    cr_assert_eq(pn_merge_files(NULL, 0, NULL, &merged, &err), PN_ERR_USAGE);
    pn_merged_clear(&merged);
}

/* The forgery: 4/2/3 over [0,40) holds counts [0,4,8,0,0]; edited
 * to [0,5,8,0,0] (and scenarios to match) it stays within every bound, yet
 * the exact count of the range gives it away, naming the file. */
Test(merge, refuses_forged_counts_naming_the_slice)
{
    files f;
    files_init(&f);
    pn_query q = query(4, 2, 3, PN_MODEL_UNIFORM);
    const char *forged = files_add_slice(&f, q, 0, 40);
    files_add_slice(&f, q, 40, 41);
    edit_file(forged, "\"counts\": [0, 4, 8, 0, 0]", "\"counts\": [0, 5, 8, 0, 0]");
    edit_file(forged, "\"scenarios\": 12", "\"scenarios\": 13");
    merge_refused(&f, PN_ERR_USAGE, forged);
    merge_refused(&f, PN_ERR_USAGE, "counts[1] is not what scenarios [0, 40) hold");
    /* a count moved between bins keeps the total and every bound */
    edit_file(forged, "\"counts\": [0, 5, 8, 0, 0]", "\"counts\": [0, 3, 9, 0, 0]");
    edit_file(forged, "\"scenarios\": 13", "\"scenarios\": 12");
    merge_refused(&f, PN_ERR_USAGE, "counts[1] is not what");
    files_remove(&f);
}

/* What a merge's progress callback saw; it asks for a stop after `stop_at` files. */
typedef struct merge_watch {
    volatile sig_atomic_t cancel;
    uint64_t done, total, calls, stop_at;
} merge_watch;

static void watch_merge(void *ctx, const pn_progress_report *r)
{
    merge_watch *w = ctx;
    cr_assert_str_eq(r->unit, "slice files");
    w->done = r->done;
    w->total = r->total;
    w->calls++;
    if (w->done == w->stop_at)
        w->cancel = 1;
}

/* A stop asked for before the first file, or between two, ends the merge
 * there: PN_ERR_INTERRUPTED saying how many files were read, nothing summed. */
Test(merge, stops_when_asked_between_files)
{
    pn_query q = query(6, 3, 7, PN_MODEL_UNIFORM);
    files f;
    files_init(&f);
    files_add_slice(&f, q, 0, 1000);
    files_add_slice(&f, q, 1000, 1000);
    files_add_slice(&f, q, 2000, 2096);
    merge_watch w = {.cancel = 1};
    pn_progress progress = {.update = watch_merge, .ctx = &w, .cancel = &w.cancel};
    pn_merged merged;
    pn_error err = {{0}};
    cr_assert_eq(pn_merge_files(f.path, f.count, &progress, &merged, &err), PN_ERR_INTERRUPTED);
    cr_assert_str_eq(err.msg, "merge interrupted after reading 0 of 3 slice files");
    cr_assert_null(merged.hists);
    cr_assert_eq(w.calls, 0);
    w = (merge_watch){.stop_at = 2};
    cr_assert_eq(pn_merge_files(f.path, f.count, &progress, &merged, &err), PN_ERR_INTERRUPTED);
    cr_assert_str_eq(err.msg, "merge interrupted after reading 2 of 3 slice files");
    cr_assert_null(merged.hists);
    cr_assert_eq(w.calls, 2);
    w = (merge_watch){.stop_at = 0};
    cr_assert_eq(pn_merge_files(f.path, f.count, &progress, &merged, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(w.calls, 3);
    cr_assert_eq(w.done, 3);
    cr_assert_eq(w.total, 3);
    pn_merged_clear(&merged);
    files_remove(&f);
}
