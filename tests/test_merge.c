/* test_merge.c -- slice JSON read back exactly, malformed documents refused, and merged slices equal to the unsliced answer. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/pn_engine.h"
#include "slice/pn_merge.h"
#include "slice/pn_slice.h"
#include "report/pn_report.h"
#include "query_fixture.h"

/* A small xorshift generator, so every "random" split is reproducible. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static pn_query query(uint64_t h, uint64_t p, uint64_t g, pn_model model)
{
    return resolved((pn_query){.hosts = h, .per_host = p, .guests = g, .model = model});
}

static pn_query sliced(pn_query q, uint64_t skip, uint64_t limit)
{
    q.sliced = true;
    q.skip = skip;
    q.limit = limit;
    return resolved(q);
}

/* The cpu engine's histogram of q, in a fresh hist the caller clears. */
static void cpu_hist(const pn_query *q, pn_histogram *hist)
{
    pn_run run;
    pn_error err = {{0}};
    memset(&run, 0, sizeof run);
    cr_assert_eq(pn_histogram_init(hist, q->hosts, &err), PN_OK);
    pn_status st = pn_engine_cpu_run(q, &run, hist, &err);
    cr_assert_eq(st, PN_OK, "cpu engine: %s", err.msg);
}

/* Writes the JSON report of q and hist to f, as `--format json` does. */
static void write_report(FILE *f, const pn_query *q, const pn_histogram *hist,
                         const pn_cost_input *cost)
{
    pn_error err = {{0}};
    cr_assert(q->resolved && q->keyspace_fits);
    pn_report_input in = {.query = q, .hist = hist, .engine = "cpu \"test\"", .cost = cost,
                          .keyspace = q->keyspace};
    cr_assert_eq(pn_report_write(f, PN_FORMAT_JSON, &in, &err), PN_OK, "%s", err.msg);
}

/* The JSON report of q and hist as a malloc'd string (*len bytes). */
static char *report_text(const pn_query *q, const pn_histogram *hist,
                         const pn_cost_input *cost, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    cr_assert_not_null(f);
    write_report(f, q, hist, cost);
    fclose(f);
    return text;
}

/* Parses text, insisting it succeeds. */
static void parse_ok(const char *text, size_t len, pn_slice *slice)
{
    pn_error err = {{0}};
    pn_status st = pn_slice_parse(text, len, slice, &err);
    cr_assert_eq(st, PN_OK, "%s: %s\n%.*s", pn_status_name(st), err.msg, (int)len, text);
}

/* Parses text, insisting it fails with PN_ERR_USAGE and a message containing
 * `needle` (when not NULL), and that the output is left safe to clear. */
static void parse_refused(const char *text, size_t len, const char *needle)
{
    pn_error err = {{0}};
    pn_slice slice;
    pn_status st = pn_slice_parse(text, len, &slice, &err);
    cr_assert_eq(st, PN_ERR_USAGE, "accepted or wrong status %s for:\n%.*s",
                 pn_status_name(st), (int)len, text);
    cr_assert_null(slice.hists);
    cr_assert(err.msg[0] != '\0');
    if (needle)
        cr_assert(strstr(err.msg, needle), "message \"%s\" lacks \"%s\"", err.msg, needle);
    pn_slice_clear(&slice);
}

/* Every field of a parsed slice against what was written. */
static void check_slice(const pn_slice *s, const pn_query *q, const pn_histogram *hist)
{
    cr_assert_eq(s->query.hosts, q->hosts);
    cr_assert_eq(s->query.per_host, q->per_host);
    cr_assert_eq(s->query.guests, q->guests);
    cr_assert_eq(s->query.model, q->model);
    cr_assert_eq(s->nranges, 1); /* one document, one slice: {skip, limit} */
    cr_assert_eq(s->ranges[0].first, q->skip);
    cr_assert_eq(s->ranges[0].count, q->limit);
    cr_assert_eq(s->keyspace, q->keyspace);
    cr_assert(pn_histogram_equal(&s->hists[0], hist));
}

/* A valid slice of h=2, p=1, g=1 (keyspace 4): both scenarios have one
 * napping host. Tests below break it one piece at a time. */
static const char MINIMAL[] =
    "{\"format_version\": 1, \"tool\": \"powernap_calculator\", \"hosts\": 2, "
    "\"guests_per_host\": 1, \"guests\": 1, \"model\": \"uniform\", \"engine\": \"cpu\", "
    "\"keyspace\": 4, \"slice\": {\"skip\": 0, \"limit\": 4}, \"scenarios\": 2, "
    "\"counts\": [0, 2, 0], \"rows\": [{\"napping\": 1, \"count\": 2}], "
    "\"expected_savings_percent\": 50}";

/* MINIMAL with the first `from` replaced by `to`; the caller frees it. */
static char *minimal_with(const char *from, const char *to)
{
    const char *at = strstr(MINIMAL, from);
    cr_assert_not_null(at, "\"%s\" not in MINIMAL", from);
    size_t head = (size_t)(at - MINIMAL), tail = strlen(at + strlen(from));
    char *out = malloc(head + strlen(to) + tail + 1);
    cr_assert_not_null(out);
    memcpy(out, MINIMAL, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static void refused_with(const char *from, const char *to, const char *needle)
{
    char *text = minimal_with(from, to);
    parse_refused(text, strlen(text), needle);
    free(text);
}

static void accepted_with(const char *from, const char *to)
{
    char *text = minimal_with(from, to);
    pn_slice slice;
    parse_ok(text, strlen(text), &slice);
    pn_slice_clear(&slice);
    free(text);
}

Test(merge, parses_a_hand_built_histogram)
{
    pn_query q = sliced(query(2, 1, 1, PN_MODEL_UNIFORM), 0, 4);
    pn_histogram hist = {0};
    pn_error err;
    cr_assert_eq(pn_histogram_init(&hist, 2, &err), PN_OK);
    mpz_set_ui(hist.bins[1], 2);
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    write_report(f, &q, &hist, NULL);
    long size = ftell(f);
    rewind(f);
    char *text = malloc((size_t)size);
    cr_assert_eq(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    pn_slice slice;
    parse_ok(text, (size_t)size, &slice);
    check_slice(&slice, &q, &hist);
    pn_slice_clear(&slice);
    pn_slice_clear(&slice); /* twice is safe */
    free(text);
    pn_histogram_clear(&hist);
}

Test(merge, round_trips_cpu_slices_of_both_models_with_cost)
{
    pn_cost_input cost = {.wanted = true, .has_watts = true, .has_price = true,
                          .watts = 300, .idle_watts = 20, .price = 0.12, .currency = "\xe2\x82\xac"};
    pn_model models[] = {PN_MODEL_UNIFORM, PN_MODEL_SLOTS};
    for (int m = 0; m < 2; m++) {
        for (int with_cost = 0; with_cost < 2; with_cost++) {
            pn_query q = sliced(query(6, 3, 7, models[m]), 1000, 1500);
            pn_histogram hist = {0};
            cpu_hist(&q, &hist);
            size_t len;
            char *text = report_text(&q, &hist, with_cost ? &cost : NULL, &len);
            pn_slice slice;
            parse_ok(text, len, &slice);
            check_slice(&slice, &q, &hist);
            pn_slice_clear(&slice);
            free(text);
            pn_histogram_clear(&hist);
        }
    }
}

Test(merge, reads_an_empty_slice_and_one_at_the_very_end)
{
    pn_query qs[] = {sliced(query(6, 3, 7, PN_MODEL_UNIFORM), 4096, 0),
                     sliced(query(6, 3, 7, PN_MODEL_SLOTS), 0, 0),
                     sliced(query(6, 3, 7, PN_MODEL_UNIFORM), 4095, 1)};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        pn_histogram hist = {0};
        cpu_hist(&qs[i], &hist);
        size_t len;
        char *text = report_text(&qs[i], &hist, NULL, &len);
        pn_slice slice;
        parse_ok(text, len, &slice);
        check_slice(&slice, &qs[i], &hist);
        pn_slice_clear(&slice);
        free(text);
        pn_histogram_clear(&hist);
    }
}

Test(merge, reads_the_minimal_document_and_tolerates_what_json_allows)
{
    pn_slice slice;
    parse_ok(MINIMAL, strlen(MINIMAL), &slice);
    cr_assert_eq(mpz_get_ui(slice.hists[0].bins[1]), 2);
    pn_slice_clear(&slice);
    /* not NUL-terminated: only len counts */
    char copy[sizeof MINIMAL + 8];
    memcpy(copy, MINIMAL, sizeof MINIMAL - 1);
    memset(copy + sizeof MINIMAL - 1, 'x', 9);
    parse_ok(copy, sizeof MINIMAL - 1, &slice);
    pn_slice_clear(&slice);
    /* unknown keys of every type, nested, and escapes in keys and strings */
    accepted_with("\"engine\": \"cpu\"",
                  "\"engine\": \"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\xc3\xa9\", "
                  "\"x\": {\"a\": [1, -2.5e+3, 0.0, 1E2, true, false, null, \"s\", {}, []]}, "
                  "\"long key that is longer than any name we know of\": {\"slice\": 9}");
    accepted_with("\"hosts\"", "\"\\u0068osts\"");
    accepted_with("\"scenarios\": 2, ", "");
    accepted_with("\"tool\": \"powernap_calculator\", ", "");
    accepted_with("\"rows\": [{\"napping\": 1, \"count\": 2}], ", "");
    accepted_with("\"limit\": 4}", "\"limit\": 4, \"note\": [1]}");
    accepted_with("\"counts\": [0, 2, 0]", "\"counts\" :\r\n\t[ 0 ,2 , 0 ] ");
    accepted_with("\"expected_savings_percent\": 50", "\"expected_savings_percent\": -0.5e-3");
    accepted_with("\"expected_savings_percent\": 50}", "\"cost\": {\"watts\": 1}}\n\n");
}

Test(merge, refuses_every_truncation)
{
    size_t len;
    pn_query q = sliced(query(6, 3, 7, PN_MODEL_SLOTS), 17, 3000);
    pn_histogram hist = {0};
    cpu_hist(&q, &hist);
    pn_cost_input cost = {.wanted = true, .has_watts = true, .has_price = true,
                          .watts = 300, .price = 0.12, .currency = "$"};
    char *text = report_text(&q, &hist, &cost, &len);
    size_t last = len;
    while (last > 0 && text[last - 1] != '}')
        last--;
    cr_assert(last > 0);
    for (size_t n = 0; n < last; n++) {
        /* a copy of exactly n bytes, so ASan sees any read past the end */
        char *cut = malloc(n ? n : 1);
        memcpy(cut, text, n);
        parse_refused(cut, n, NULL);
        free(cut);
    }
    free(text);
    pn_histogram_clear(&hist);
}

Test(merge, refuses_wrong_types)
{
    refused_with("\"hosts\": 2", "\"hosts\": \"2\"", "hosts must be a non-negative integer");
    refused_with("\"hosts\": 2", "\"hosts\": 2.0", "hosts must be a non-negative integer");
    refused_with("\"hosts\": 2", "\"hosts\": 2e0", "hosts must be a non-negative integer");
    refused_with("\"hosts\": 2", "\"hosts\": -2", "hosts must be a non-negative integer");
    refused_with("\"hosts\": 2", "\"hosts\": null", "hosts must be a non-negative integer");
    refused_with("\"guests\": 1", "\"guests\": [1]", "guests must be");
    refused_with("\"model\": \"uniform\"", "\"model\": 0", "model must be a string");
    refused_with("\"model\": \"uniform\"", "\"model\": \"Uniform\"", "model must be");
    refused_with("\"model\": \"uniform\"", "\"model\": \"uniform\\u0000\"", "model must be");
    refused_with("\"tool\": \"powernap_calculator\"", "\"tool\": \"other\"", "tool");
    refused_with("\"engine\": \"cpu\"", "\"engine\": 1", "engine must be a string");
    refused_with("\"slice\": {\"skip\": 0, \"limit\": 4}", "\"slice\": [0, 4]",
                 "slice must be an object");
    refused_with("\"skip\": 0", "\"skip\": \"0\"", "slice.skip must be");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": {\"0\": 0}", "counts must be an array");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": [0, 2.0, 0]", "counts must be");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": [0, -2, 0]", "counts must be");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": [0, \"2\", 0]", "counts must be");
    refused_with("\"rows\": [", "\"rows\": {\"a\": [", "rows must be an array");
    refused_with("\"expected_savings_percent\": 50", "\"expected_savings_percent\": \"50\"",
                 "must be a number");
    refused_with("\"format_version\": 1", "\"format_version\": 2", "format_version 2");
    refused_with("\"keyspace\": 4", "\"keyspace\": 18446744073709551616", "64 bits");
}

Test(merge, refuses_missing_duplicate_and_inconsistent_fields)
{
    refused_with("\"counts\": [0, 2, 0], ", "", "missing key \"counts\"");
    refused_with("\"format_version\": 1, ", "", "missing key \"format_version\"");
    refused_with("\"keyspace\": 4, ", "", "missing key \"keyspace\"");
    refused_with("\"slice\": {\"skip\": 0, \"limit\": 4}, ", "", "missing key \"slice\"");
    refused_with("\"skip\": 0, ", "", "skip and limit");
    refused_with("\"hosts\": 2", "\"hosts\": 2, \"hosts\": 2", "duplicate key \"hosts\"");
    refused_with("\"limit\": 4", "\"limit\": 4, \"limit\": 4", "duplicate key \"slice.limit\"");
    refused_with("\"limit\": 4", "\"limit\": 4, \"note\": [{\"a\": 1, \"a\": 1}]",
                 "duplicate key \"slice.note[0].a\" at byte 208");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": [0, 2]", "counts has 2 entries");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": [0, 2, 0, 0]", "counts has 4 entries");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": []", "counts has 0 entries");
    refused_with("\"keyspace\": 4", "\"keyspace\": 8", "keyspace 8 is not (p+1)^h = 4");
    refused_with("\"limit\": 4", "\"limit\": 5", "runs past the keyspace");
    refused_with("\"skip\": 0", "\"skip\": 5", "runs past the keyspace");
    refused_with("\"limit\": 4", "\"limit\": 1", "more than the slice can hold");
    refused_with("\"counts\": [0, 2, 0]",
                 "\"counts\": [0, 123456789012345678901234567890123456789012345678901234567890, 0]",
                 "more than the slice can hold");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": [1, 1, 0]", "counts[0] is not 0");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": [0, 1, 1]", "counts[2] is not 0");
    refused_with("\"scenarios\": 2", "\"scenarios\": 3", "scenarios is not the sum");
    refused_with("\"hosts\": 2", "\"hosts\": 0", "at least 1 host");
    refused_with("\"guests\": 1", "\"guests\": 3", "do not fit");
    refused_with("\"hosts\": 2", "\"hosts\": 64", "2^64 or more"); /* 2^64 */
}

Test(merge, refuses_slots_questions_no_engine_enumerates)
{
    /* h=1, p=200, g=100: the keyspace is tiny but C(200, 100) is about 2^196 */
    const char *text =
        "{\"format_version\": 1, \"hosts\": 1, \"guests_per_host\": 200, \"guests\": 100, "
        "\"model\": \"slots\", \"keyspace\": 201, \"slice\": {\"skip\": 0, \"limit\": 201}, "
        "\"counts\": [0, 0]}";
    parse_refused(text, strlen(text), "total weight");
}

Test(merge, refuses_malformed_json)
{
    static const char *const bad[] = {
        "", " ", "[]", "null", "\"x\"", "{", "}", "{}", "{,}", "{\"a\"}", "{\"a\":}",
        "{\"a\" 1}", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{'a':1}", "{\"a\":01}",
        "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":+1}", "{\"a\":tru}",
        "{\"a\":nul}", "{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\u12G4\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}",
        "{\"a\":\"unterminated}", "{\"a\":\"\\", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":NaN}",
        "\xef\xbb\xbf{\"a\":1}", "{\"a\":1}\x00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        parse_refused(bad[i], strlen(bad[i]) + (i == sizeof bad / sizeof bad[0] - 1), NULL);
    char trailing[sizeof MINIMAL + 8];
    snprintf(trailing, sizeof trailing, "%s \n x", MINIMAL);
    parse_refused(trailing, strlen(trailing), "unexpected data after the document at byte");
    refused_with("\"counts\": [0, 2, 0]", "\"counts\": [0, 02, 0]", "leading zero");
}

/* MINIMAL with an unknown key whose value is `levels` nested arrays. */
static char *nested(int levels)
{
    char *value = malloc((size_t)levels * 2 + 1);
    for (int i = 0; i < levels; i++) {
        value[i] = '[';
        value[levels + i] = ']';
    }
    value[2 * levels] = '\0';
    char *key = malloc((size_t)levels * 2 + 32);
    sprintf(key, "\"deep\": %s, \"hosts\"", value);
    char *text = minimal_with("\"hosts\"", key);
    free(key);
    free(value);
    return text;
}

Test(merge, caps_nesting_depth)
{
    /* the top-level object is level 1, so 31 arrays reach level 32 */
    char *ok = nested(31);
    pn_slice slice;
    parse_ok(ok, strlen(ok), &slice);
    pn_slice_clear(&slice);
    free(ok);
    int too_deep[] = {32, 33, 1000, 100000};
    for (size_t i = 0; i < sizeof too_deep / sizeof too_deep[0]; i++) {
        char *text = nested(too_deep[i]);
        parse_refused(text, strlen(text), "nesting deeper than 32 levels");
        free(text);
    }
    refused_with("{\"skip\": 0, \"limit\": 4}", "{\"skip\": 0, \"limit\": 4, \"x\": "
                 "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
                 "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
                 "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":}}}}}}}}}}}}}}}}}}"
                 "}}}}}}}}}}}}}}}}}}}}}", "nesting");
}

/* Parses text and, if it was accepted, frees the result: the point is only
 * that nothing crashes or leaks (run under ASan). */
static void parse_anything(const char *text, size_t len)
{
    pn_error err;
    pn_slice slice;
    pn_status st = pn_slice_parse(text, len, &slice, &err);
    cr_assert(st == PN_OK || st == PN_ERR_USAGE, "%s", pn_status_name(st));
    pn_slice_clear(&slice);
}

Test(merge, survives_garbage_and_mutations)
{
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    char buf[512];
    for (int round = 0; round < 2000; round++) {
        size_t len = next_random(&state) % sizeof buf;
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)next_random(&state);
        char *copy = malloc(len ? len : 1);
        memcpy(copy, buf, len);
        parse_anything(copy, len);
        free(copy);
    }
    static const char alphabet[] = "{}[]\":,0123456789-+.eE \\untrfals";
    size_t n = strlen(MINIMAL);
    for (int round = 0; round < 20000; round++) {
        char *copy = malloc(n);
        memcpy(copy, MINIMAL, n);
        for (int flips = 1 + (int)(next_random(&state) % 3); flips > 0; flips--)
            copy[next_random(&state) % n] = alphabet[next_random(&state) % (sizeof alphabet - 1)];
        parse_anything(copy, n - next_random(&state) % 2);
        free(copy);
    }
}

/* ---- merging files ---- */

/* A scratch directory of slice files, removed by files_remove. */
typedef struct files {
    char dir[64];
    char *path[32];
    int count;
} files;

static void files_init(files *f)
{
    memset(f, 0, sizeof *f);
    strcpy(f->dir, "/tmp/pn_merge_XXXXXX");
    cr_assert_not_null(mkdtemp(f->dir));
}

/* Writes the JSON of slice [skip, skip+limit) of q0 (computed by the cpu
 * engine) to a new file; returns its path. */
static const char *files_add_slice(files *f, pn_query q0, uint64_t skip, uint64_t limit)
{
    cr_assert(f->count < 32);
    pn_query q = sliced(q0, skip, limit);
    pn_histogram hist = {0};
    cpu_hist(&q, &hist);
    char *path = malloc(sizeof f->dir + 32);
    sprintf(path, "%s/slice%02d.json", f->dir, f->count);
    FILE *out = fopen(path, "w");
    cr_assert_not_null(out);
    write_report(out, &q, &hist, NULL);
    cr_assert_eq(fclose(out), 0);
    pn_histogram_clear(&hist);
    f->path[f->count++] = path;
    return path;
}

/* Writes `text` to a new file; returns its path. */
static const char *files_add_text(files *f, const char *text)
{
    char *path = malloc(sizeof f->dir + 32);
    sprintf(path, "%s/text%02d.json", f->dir, f->count);
    FILE *out = fopen(path, "w");
    cr_assert_not_null(out);
    fputs(text, out);
    fclose(out);
    f->path[f->count++] = path;
    return path;
}

static void files_remove(files *f)
{
    for (int i = 0; i < f->count; i++) {
        unlink(f->path[i]);
        free(f->path[i]);
    }
    rmdir(f->dir);
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
    cpu_hist(&q, &whole);
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

/* Replaces the first `from` in the file at path by `to`. */
static void edit_file(const char *path, const char *from, const char *to)
{
    FILE *in = fopen(path, "r");
    cr_assert_not_null(in);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, in);
    fclose(in);
    text[n] = '\0';
    char *at = strstr(text, from);
    cr_assert_not_null(at, "\"%s\" not in %s", from, path);
    char out[8192];
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    FILE *w = fopen(path, "w");
    cr_assert_not_null(w);
    fputs(out, w);
    cr_assert_eq(fclose(w), 0);
}

/* The issue's forgery: 4/2/3 over [0,40) holds counts [0,4,8,0,0]; edited
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

/* Every slice of a slots question with one count nudged by one is refused. */
Test(merge, refuses_every_nudged_count)
{
    pn_query q = sliced(query(5, 2, 4, PN_MODEL_SLOTS), 37, 150);
    pn_histogram hist = {0};
    cpu_hist(&q, &hist);
    for (uint64_t k = 0; k <= 5; k++)
        for (int d = -1; d <= 1; d += 2) {
            if (d < 0 && mpz_sgn(hist.bins[k]) == 0)
                continue;
            if (d > 0)
                mpz_add_ui(hist.bins[k], hist.bins[k], 1);
            else
                mpz_sub_ui(hist.bins[k], hist.bins[k], 1);
            size_t len;
            char *text = report_text(&q, &hist, NULL, &len);
            parse_refused(text, len, NULL);
            free(text);
            if (d > 0)
                mpz_sub_ui(hist.bins[k], hist.bins[k], 1);
            else
                mpz_add_ui(hist.bins[k], hist.bins[k], 1);
        }
    size_t len;
    char *text = report_text(&q, &hist, NULL, &len);
    pn_slice s;
    parse_ok(text, len, &s);
    pn_slice_clear(&s);
    free(text);
    pn_histogram_clear(&hist);
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

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* MINIMAL with the first `from` replaced by `to`, whose '#' becomes a 100 MB
 * string of digits; *len gets the length, *at the offset of its first digit.
 * The caller frees it. */
static char *with_huge_number(const char *from, const char *to, size_t *len, size_t *at)
{
    const size_t digits = (size_t)100 << 20;
    char *marked = minimal_with(from, to);
    const char *hole = strchr(marked, '#');
    size_t head = (size_t)(hole - marked), tail = strlen(hole + 1);
    char *text = malloc(head + digits + tail + 1);
    cr_assert_not_null(text);
    memcpy(text, marked, head);
    memset(text + head, '7', digits);
    memcpy(text + head + digits, hole + 1, tail + 1);
    free(marked);
    *len = head + digits + tail;
    *at = head;
    return text;
}

/* Issue 10, item 8: a count given as a 100 MB digit string took 9.6 s and
 * 489 MB to refuse. It is refused at its 65th digit, naming the key, reading
 * no further: the offset in the message proves where the reader stopped. A
 * read or a skipped value alike. */
Test(merge, a_huge_digit_string_is_refused_at_its_65th_digit, .timeout = 60)
{
    struct { const char *from, *to, *place; } cases[] = {
        {"2, 0]", "#, 0]", "counts[1]"},
        {"\"scenarios\": 2", "\"scenarios\": #", "scenarios"},
        {"\"count\": 2}", "\"count\": #}", "rows[0].count"},
        {"\"keyspace\": 4", "\"keyspace\": 4, \"extra\": #", "extra"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len, at;
        char *text = with_huge_number(cases[i].from, cases[i].to, &len, &at);
        char needle[160];
        snprintf(needle, sizeof needle, "%s: integer too long (more than 64 digits) at byte %zu",
                 cases[i].place, at + 64); /* PN_SLICE_MAX_DIGITS, as documented */
        pn_slice slice;
        pn_error err = {{0}};
        double start = now_seconds();
        pn_status st = pn_slice_parse(text, len, &slice, &err);
        double seconds = now_seconds() - start;
        free(text); /* not printed: 100 MB */
        cr_assert_eq(st, PN_ERR_USAGE, "%s: %s", pn_status_name(st), err.msg);
        cr_assert(strstr(err.msg, needle), "message \"%s\" lacks \"%s\"", err.msg, needle);
        cr_assert_lt(seconds, 2.0, "%s: %.2f s to refuse", cases[i].place, seconds);
        pn_slice_clear(&slice);
    }
}
