/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_question_doc.c -- the question's one writer and reader: homogeneous questions written as always, fleets, sweeps and load curves read back whole, bad ones refused. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "question/pn_fleet.h"
#include "question/pn_levels.h"
#include "slice/pn_question_doc.h"

/* The text of q as the MPI broadcast sends it (q resolved here). */
static char *text_of(pn_query *q)
{
    pn_error err;
    cr_assert_eq(pn_query_resolve(q, &err), PN_OK, "%s", err.msg);
    char *text;
    size_t len;
    cr_assert_eq(pn_question_doc_text(q, &text, &len, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(strlen(text), len);
    return text;
}

/* q written and read back: every field that states the question is equal,
 * doubles to the bit. */
static void round_trip(pn_query *q)
{
    char *text = text_of(q);
    pn_query back;
    pn_error err;
    cr_assert_eq(pn_question_doc_parse(text, strlen(text), &back, &err), PN_OK, "%s\n%s",
                 err.msg, text);
    cr_assert(back.resolved);
    cr_assert_eq(back.hosts, q->hosts);
    cr_assert_eq(back.per_host, q->per_host);
    cr_assert_eq(back.guests, q->guests);
    cr_assert_eq(back.model, q->model);
    cr_assert_eq(back.per_host_bases, q->per_host_bases);
    cr_assert_eq(back.ngroups, q->ngroups);
    for (unsigned j = 0; j < q->ngroups; j++) {
        cr_assert_eq(back.groups[j].count, q->groups[j].count);
        cr_assert_eq(back.groups[j].capacity, q->groups[j].capacity);
        cr_assert(back.groups[j].watts == q->groups[j].watts, "%s", text);
    }
    cr_assert_eq(back.levels.listed, q->levels.listed);
    cr_assert_eq(back.levels.n, q->levels.n);
    for (size_t i = 0; i < q->levels.n; i++)
        cr_assert_eq(pn_levels_at(&back.levels, i), pn_levels_at(&q->levels, i));
    cr_assert_eq(back.keyspace, q->keyspace);
    pn_levels_clear(&back.levels);
    free(text);
}

Test(question_doc, a_homogeneous_question_is_written_as_it_always_was)
{
    pn_query q = {.hosts = 10, .per_host = 4, .guests = 20};
    char *text = text_of(&q);
    cr_assert_str_eq(text, "{\n  \"hosts\": 10,\n  \"guests_per_host\": 4,\n  \"guests\": 20,\n"
                           "  \"model\": \"uniform\"\n}\n");
    free(text);
    round_trip(&q);
}

Test(question_doc, fleets_and_sweeps_read_back_whole)
{
    pn_error err;
    pn_query fleet = {.guests = 20, .model = PN_MODEL_SLOTS};
    cr_assert_eq(pn_fleet_parse("8x4@0.1,2x16@350.25,1x3@0.001", &fleet, &err), PN_OK, "%s",
                 err.msg);
    char *text = text_of(&fleet);
    cr_assert(strstr(text, "\"fleet\": [{\"count\": 8, \"capacity\": 4, \"watts\": "
                           "0.1}, "), "%s", text);
    cr_assert_null(strstr(text, "guests_per_host"), "%s", text);
    free(text);
    round_trip(&fleet);

    pn_query sweep = {.hosts = 6, .per_host = 3};
    cr_assert_eq(pn_levels_range(&sweep.levels, 4, 9, &err), PN_OK);
    text = text_of(&sweep);
    cr_assert(strstr(text, "\"guests\": 9,\n  \"levels\": [4, 5, 6, 7, 8, 9],\n"), "%s", text);
    free(text);
    round_trip(&sweep);
    pn_levels_clear(&sweep.levels);
}

/* A fleet of one group with its watts (--fleet 10x4@80) is written as a
 * fleet, so a ledger or a slice keeps the watts a restore's cost needs;
 * without watts it is written as -h/-p is. */
Test(question_doc, a_one_group_fleet_keeps_its_watts)
{
    pn_error err;
    pn_query fleet = {.guests = 20};
    cr_assert_eq(pn_fleet_parse("10x4@80", &fleet, &err), PN_OK, "%s", err.msg);
    char *text = text_of(&fleet);
    cr_assert_str_eq(text, "{\n  \"hosts\": 10,\n  \"fleet\": [{\"count\": 10, \"capacity\": 4, "
                           "\"watts\": 80}],\n  \"guests\": 20,\n  \"model\": \"uniform\"\n}\n");
    free(text);
    round_trip(&fleet);

    pn_query plain = {.guests = 20};
    cr_assert_eq(pn_fleet_parse("10x4", &plain, &err), PN_OK, "%s", err.msg);
    text = text_of(&plain);
    cr_assert(strstr(text, "\"guests_per_host\": 4,") && !strstr(text, "fleet"), "%s", text);
    free(text);
}

/* A load curve's hours go into the ledger's and the slice's question, with
 * the curve's file, and come back to the bit. */
Test(question_doc, a_load_curve_keeps_its_hours_and_file)
{
    pn_error err;
    pn_query q = {.hosts = 10, .per_host = 4};
    cr_assert_eq(pn_levels_add(&q.levels, 12, 0.1, &err), PN_OK);
    cr_assert_eq(pn_levels_add(&q.levels, 5, 8.0 / 3.0, &err), PN_OK);
    cr_assert_eq(pn_levels_add(&q.levels, 12, 0.2, &err), PN_OK);
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "{\n");
    pn_question_doc_write(f, &q, &(pn_question_doc_style){.load_curve = "day \"1\".csv",
                                                           .last = true});
    fprintf(f, "}\n");
    fclose(f);
    cr_assert(strstr(text, "\"load_curve\": {\"path\": \"day \\\"1\\\".csv\", \"total_hours\": "),
              "%s", text);
    pn_query back;
    cr_assert_eq(pn_question_doc_parse(text, len, &back, &err), PN_OK, "%s", err.msg);
    cr_assert_not_null(back.levels.hours);
    cr_assert_eq(back.levels.n, 2);
    cr_assert(back.levels.hours[0] == q.levels.hours[0] &&
              back.levels.hours[1] == q.levels.hours[1], "%s", text);
    cr_assert(back.levels.total_hours == q.levels.total_hours, "%s", text);
    pn_levels_clear(&back.levels);
    pn_levels_clear(&q.levels);
    free(text);
}

/* The text with the first `from` replaced by `to` is refused, naming `why`. */
static void refused(const char *text, const char *from, const char *to, const char *why)
{
    const char *at = strstr(text, from);
    cr_assert_not_null(at, "'%s' not in %s", from, text);
    char *bad = malloc(strlen(text) + strlen(to) + 1);
    sprintf(bad, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    pn_query back;
    pn_error err = {{0}};
    cr_assert_eq(pn_question_doc_parse(bad, strlen(bad), &back, &err), PN_ERR_USAGE, "%s", bad);
    cr_assert(strstr(err.msg, why), "'%s' lacks '%s'", err.msg, why);
    free(bad);
}

Test(question_doc, what_no_run_asks_is_refused)
{
    pn_error err;
    pn_query sweep = {.hosts = 6, .per_host = 3};
    cr_assert_eq(pn_levels_range(&sweep.levels, 4, 9, &err), PN_OK);
    char *text = text_of(&sweep);
    refused(text, "[4, 5,", "[5, 4,", "levels must ascend");
    refused(text, "[4, 5,", "[4, 4,", "levels must ascend");
    refused(text, "\"guests\": 9", "\"guests\": 8", "not the largest of levels");
    refused(text, "\"levels\": [4, 5, 6, 7, 8, 9]", "\"levels\": []", "levels is empty");
    refused(text, "\"guests\": 9,\n  \"levels\": [4, 5, 6, 7, 8, 9]",
            "\"guests\": 19,\n  \"levels\": [4, 5, 6, 7, 8, 19]", "do not fit");
    refused(text, "\"guests_per_host\": 3,", "", "missing key \"guests_per_host\"");
    refused(text, "\"guests_per_host\": 3,", "\"guests_per_host\": 3, \"fleet\": [{\"count\": 6, "
            "\"capacity\": 3}],", "not both");
    refused(text, "\"levels\": [4, 5, 6, 7, 8, 9],", "\"levels\": [4, 5, 6, 7, 8, 9], "
            "\"load_curve\": {\"path\": \"c\", \"total_hours\": 1, \"hours\": [1]},",
            "one entry of hours per level");
    refused(text, "\"levels\": [4", "\"levels\": [-4", "every entry of levels must be");
    free(text);
    pn_levels_clear(&sweep.levels);

    pn_query fleet = {.guests = 5};
    cr_assert_eq(pn_fleet_parse("3x2@80,2x3@90", &fleet, &err), PN_OK, "%s", err.msg);
    text = text_of(&fleet);
    refused(text, "\"hosts\": 5", "\"hosts\": 6", "not the fleet's 5");
    refused(text, "\"count\": 3, ", "", "needs count and capacity");
    refused(text, "\"watts\": 80", "\"watts\": -80", "fleet.watts must be a non-negative number");
    refused(text, "\"watts\": 80", "\"watts\": 1e999", "fleet.watts is too large");
    refused(text, ", \"watts\": 90", "", "has no @WATTS while others do");
    free(text);
}
