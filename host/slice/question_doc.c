/* SPDX-License-Identifier: GPL-3.0-or-later */
/* question_doc.c -- the whole question written into a JSON document and read back: cloud or fleet, guests, levels with a load curve's hours, model. */
#include "slice/pn_question_doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

/* `"fleet": [{"count": N, "capacity": C, "watts": W}, ...],` and what the
 * style adds to each group. */
static void write_fleet(FILE *out, const pn_query *q, const pn_question_doc_style *style)
{
    fprintf(out, "  \"%s\": [", pn_json_key[PN_KEY_FLEET]);
    for (unsigned j = 0; j < q->ngroups; j++) {
        fprintf(out, "%s{\"%s\": %llu, \"%s\": %llu", j ? ", " : "", pn_json_key[PN_KEY_COUNT],
                (unsigned long long)q->groups[j].count, pn_json_key[PN_KEY_CAPACITY],
                (unsigned long long)q->groups[j].capacity);
        if (q->weighted) {
            fprintf(out, ", \"%s\": ", pn_json_key[PN_KEY_WATTS]);
            pn_json_write_number(out, q->groups[j].watts);
        }
        if (style->group_extra)
            style->group_extra(out, j, style->ctx);
        fputc('}', out);
    }
    fprintf(out, "],\n");
}

/* `"levels": [...],` and, for a load curve, `"load_curve": {...},`. */
static void write_levels(FILE *out, const pn_query *q, const pn_question_doc_style *style)
{
    const pn_levels *lv = &q->levels;
    fprintf(out, "  \"%s\": [", pn_json_key[PN_KEY_LEVELS]);
    for (size_t i = 0; i < lv->n; i++)
        fprintf(out, "%s%llu", i ? ", " : "", (unsigned long long)pn_levels_at(lv, i));
    fprintf(out, "],\n");
    if (!lv->hours || !style->load_curve)
        return;
    fprintf(out, "  \"%s\": {\"%s\": ", pn_json_key[PN_KEY_LOAD_CURVE], pn_json_key[PN_KEY_PATH]);
    pn_json_write_string(out, style->load_curve);
    fprintf(out, ", \"%s\": ", pn_json_key[PN_KEY_TOTAL_HOURS]);
    pn_json_write_number(out, lv->total_hours);
    fprintf(out, ", \"%s\": [", pn_json_key[PN_KEY_HOURS]);
    for (size_t i = 0; i < lv->n; i++) {
        fputs(i ? ", " : "", out);
        pn_json_write_number(out, lv->hours[i]);
    }
    fprintf(out, "]},\n");
}

void pn_question_doc_write(FILE *out, const pn_query *q, const pn_question_doc_style *style)
{
    static const pn_question_doc_style plain;
    if (!style)
        style = &plain;
    fprintf(out, "  \"%s\": %llu,\n", pn_json_key[PN_KEY_HOSTS], (unsigned long long)q->hosts);
    if (q->per_host_bases || q->weighted) /* one group's @WATTS too: a restore's cost needs them */
        write_fleet(out, q, style);
    else
        fprintf(out, "  \"%s\": %llu,\n", pn_json_key[PN_KEY_GUESTS_PER_HOST],
                (unsigned long long)q->per_host);
    fprintf(out, "  \"%s\": %llu,\n", pn_json_key[PN_KEY_GUESTS], (unsigned long long)q->guests);
    if (q->levels.listed)
        write_levels(out, q, style);
    if (style->level_hours) {
        fprintf(out, "  \"%s\": ", pn_json_key[PN_KEY_HOURS]);
        pn_json_write_number(out, *style->level_hours);
        fprintf(out, ",\n");
    }
    fprintf(out, "  \"%s\": \"%s\"%s\n", pn_json_key[PN_KEY_MODEL], pn_model_name(q->model),
            style->last ? "" : ",");
}

void pn_question_doc_write_range(FILE *out, uint64_t first, uint64_t count)
{
    fprintf(out, "{\"%s\": %llu, \"%s\": %llu}", pn_json_key[PN_KEY_SKIP],
            (unsigned long long)first, pn_json_key[PN_KEY_LIMIT], (unsigned long long)count);
}

/* ---- reading ---- */

/* True for the keys a question is written with (hosts, guests_per_host,
 * fleet, guests, levels, load_curve, model). */
static bool is_question_key(pn_json_key_id k)
{
    return k == PN_KEY_HOSTS || k == PN_KEY_GUESTS_PER_HOST || k == PN_KEY_FLEET ||
           k == PN_KEY_GUESTS || k == PN_KEY_LEVELS || k == PN_KEY_LOAD_CURVE ||
           k == PN_KEY_MODEL;
}

/* True when the decoded key (len bytes) is the name of key id k. */
static bool is_key(const char *key, size_t len, pn_json_key_id k)
{
    return len == strlen(pn_json_key[k]) && memcmp(key, pn_json_key[k], len) == 0;
}

/* "model": "uniform" or "slots" (a longer string, or one holding NUL, is neither). */
static pn_status read_model(pn_json *j, pn_model *out)
{
    char name[32];
    size_t at = pn_json_offset(j), len;
    pn_status st = pn_json_read_string(j, pn_json_key[PN_KEY_MODEL], name, sizeof name, &len);
    if (st == PN_OK && (len >= sizeof name || strlen(name) != len || !pn_model_parse(name, out)))
        return pn_json_fail_at(pn_json_error(j), at, "model must be \"uniform\" or \"slots\"");
    return st;
}

/* One group of "fleet" as read: which of its members were there. */
typedef struct group_read {
    pn_group *group;
    bool count, capacity;
} group_read;

static pn_status group_member(pn_json *j, void *ctx, const char *key, size_t len)
{
    group_read *g = ctx;
    if (is_key(key, len, PN_KEY_COUNT)) {
        g->count = true;
        return pn_json_read_u64(j, "fleet.count", &g->group->count);
    }
    if (is_key(key, len, PN_KEY_CAPACITY)) {
        g->capacity = true;
        return pn_json_read_u64(j, "fleet.capacity", &g->group->capacity);
    }
    if (is_key(key, len, PN_KEY_WATTS))
        return pn_json_read_double(j, "fleet.watts", &g->group->watts);
    return pn_json_skip(j); /* the report's expected_napping_hosts */
}

static pn_status group_element(pn_json *j, void *ctx, size_t index)
{
    pn_question_doc *qd = ctx;
    if (index >= PN_MAX_GROUPS)
        return pn_json_fail(j, "fleet has more than %d groups", PN_MAX_GROUPS);
    group_read g = {.group = &qd->groups[index]};
    *g.group = (pn_group){0};
    pn_status st = pn_json_read_object(j, "every entry of fleet", group_member, &g);
    if (st == PN_OK && !(g.count && g.capacity))
        return pn_json_fail(j, "every entry of fleet needs count and capacity");
    qd->ngroups = (unsigned)index + 1;
    return st;
}

/* Room for one more level (and its hours). */
static pn_status grow_levels(pn_json *j, pn_question_doc *qd, size_t index, const char *what)
{
    if (index >= PN_MAX_LEVELS)
        return pn_json_fail(j, "%s has more than %llu entries", what, PN_MAX_LEVELS);
    if (index < qd->levels_cap)
        return PN_OK;
    size_t cap = qd->levels_cap ? qd->levels_cap * 2 : 16;
    uint64_t *guests = realloc(qd->levels.guests, cap * sizeof *guests);
    if (guests)
        qd->levels.guests = guests;
    double *hours = guests ? realloc(qd->levels.hours, cap * sizeof *hours) : NULL;
    if (!hours)
        return pn_fail(pn_json_error(j), PN_ERR_NOMEM, "out of memory for %zu levels", cap);
    qd->levels.hours = hours;
    qd->levels_cap = cap;
    return PN_OK;
}

static pn_status level_element(pn_json *j, void *ctx, size_t index)
{
    pn_question_doc *qd = ctx;
    pn_status st = grow_levels(j, qd, index, "levels");
    if (st == PN_OK)
        st = pn_json_read_u64(j, "every entry of levels", &qd->levels.guests[index]);
    qd->levels.n += st == PN_OK;
    return st;
}

static pn_status hours_element(pn_json *j, void *ctx, size_t index)
{
    pn_question_doc *qd = ctx;
    pn_status st = grow_levels(j, qd, index, "load_curve.hours");
    if (st == PN_OK)
        st = pn_json_read_double(j, "every entry of load_curve.hours", &qd->levels.hours[index]);
    qd->nhours += st == PN_OK;
    return st;
}

/* A member of "load_curve": its path, total hours and hours per level. */
static pn_status curve_member(pn_json *j, void *ctx, const char *key, size_t len)
{
    pn_question_doc *qd = ctx;
    if (is_key(key, len, PN_KEY_PATH)) {
        char path[4096];
        size_t n;
        pn_status st = pn_json_read_string(j, "load_curve.path", path, sizeof path, &n);
        if (st == PN_OK && (n >= sizeof path || strlen(path) != n))
            return pn_json_fail(j, "load_curve.path is too long");
        if (st == PN_OK && !(qd->load_curve = strdup(path)))
            return pn_fail(pn_json_error(j), PN_ERR_NOMEM, "out of memory for a path");
        return st;
    }
    if (is_key(key, len, PN_KEY_TOTAL_HOURS)) {
        qd->has_total_hours = true;
        return pn_json_read_double(j, "load_curve.total_hours", &qd->levels.total_hours);
    }
    if (is_key(key, len, PN_KEY_HOURS))
        return pn_json_read_array(j, "load_curve.hours", hours_element, qd);
    return pn_json_skip(j);
}

pn_status pn_question_doc_read(pn_json *j, pn_question_doc *qd, pn_json_key_id k)
{
    const char *name = pn_json_key[k];
    qd->seen |= 1u << k;
    switch (k) {
    case PN_KEY_HOSTS: return pn_json_read_u64(j, name, &qd->hosts);
    case PN_KEY_GUESTS_PER_HOST: return pn_json_read_u64(j, name, &qd->per_host);
    case PN_KEY_GUESTS: return pn_json_read_u64(j, name, &qd->guests);
    case PN_KEY_MODEL: return read_model(j, &qd->model);
    case PN_KEY_FLEET: return pn_json_read_array(j, name, group_element, qd);
    case PN_KEY_LEVELS: return pn_json_read_array(j, name, level_element, qd);
    case PN_KEY_LOAD_CURVE: return pn_json_read_object(j, name, curve_member, qd);
    default: return pn_json_skip(j);
    }
}

static bool saw(const pn_question_doc *qd, pn_json_key_id k)
{
    return qd->seen & (1u << k);
}

/* The checks the resolver cannot make: ascending levels, guests their
 * largest, a curve's hours one per level. */
static pn_status check_levels(const pn_question_doc *qd, pn_json_key_id *where, pn_error *err)
{
    const pn_levels *lv = &qd->levels;
    *where = PN_KEY_LEVELS;
    if (saw(qd, PN_KEY_LOAD_CURVE) && !saw(qd, PN_KEY_LEVELS))
        return pn_fail(err, PN_ERR_USAGE, "load_curve needs levels");
    if (!saw(qd, PN_KEY_LEVELS))
        return PN_OK;
    if (lv->n == 0)
        return pn_fail(err, PN_ERR_USAGE, "levels is empty");
    for (size_t i = 1; i < lv->n; i++)
        if (lv->guests[i] <= lv->guests[i - 1])
            return pn_fail(err, PN_ERR_USAGE, "levels must ascend, each once (levels[%zu] is "
                                              "%llu)", i, (unsigned long long)lv->guests[i]);
    if (qd->guests != lv->guests[lv->n - 1]) {
        *where = PN_KEY_GUESTS;
        return pn_fail(err, PN_ERR_USAGE, "guests %llu is not the largest of levels, %llu",
                       (unsigned long long)qd->guests, (unsigned long long)lv->guests[lv->n - 1]);
    }
    *where = PN_KEY_LOAD_CURVE;
    if (saw(qd, PN_KEY_LOAD_CURVE) &&
        (qd->nhours != lv->n || !qd->has_total_hours || !qd->load_curve))
        return pn_fail(err, PN_ERR_USAGE, "load_curve needs a path, total_hours and one entry "
                                          "of hours per level");
    if (saw(qd, PN_KEY_LOAD_CURVE) && !(qd->levels.total_hours > 0))
        return pn_fail(err, PN_ERR_USAGE, "load_curve.total_hours must be above 0");
    return PN_OK;
}

/* Every key a question needs, and only one of guests_per_host and fleet. */
static pn_status check_keys(const pn_question_doc *qd, pn_json_key_id *where, pn_error *err)
{
    static const pn_json_key_id needed[] = {PN_KEY_HOSTS, PN_KEY_GUESTS_PER_HOST, PN_KEY_GUESTS,
                                            PN_KEY_MODEL};
    bool fleet = saw(qd, PN_KEY_FLEET);
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++)
        if (!saw(qd, needed[i]) && !(fleet && needed[i] == PN_KEY_GUESTS_PER_HOST)) {
            *where = needed[i];
            return pn_fail(err, PN_ERR_USAGE, "missing key \"%s\"", pn_json_key[needed[i]]);
        }
    *where = PN_KEY_FLEET;
    if (fleet && saw(qd, PN_KEY_GUESTS_PER_HOST))
        return pn_fail(err, PN_ERR_USAGE, "a question has guests_per_host or fleet, not both");
    if (fleet && qd->ngroups == 0)
        return pn_fail(err, PN_ERR_USAGE, "fleet is empty");
    return PN_OK;
}

pn_status pn_question_doc_query(const pn_question_doc *qd, pn_query *q, pn_json_key_id *where,
                                pn_error *err)
{
    pn_status st = check_keys(qd, where, err);
    if (st == PN_OK)
        st = check_levels(qd, where, err);
    if (st != PN_OK)
        return st;
    *q = (pn_query){.hosts = qd->hosts, .per_host = qd->per_host, .guests = qd->guests,
                    .model = qd->model, .ngroups = qd->ngroups};
    memcpy(q->groups, qd->groups, sizeof q->groups);
    if (saw(qd, PN_KEY_LEVELS)) {
        q->levels = qd->levels;
        q->levels.listed = true;
        q->levels.rows = (unsigned)q->levels.n;
        if (!saw(qd, PN_KEY_LOAD_CURVE)) { /* a sweep: the arrays' room for hours is unused */
            q->levels.hours = NULL;
            q->levels.total_hours = 0;
        }
    }
    *where = PN_KEY_HOSTS;
    st = pn_query_resolve(q, err);
    if (st == PN_OK && q->hosts != qd->hosts)
        st = pn_fail(err, PN_ERR_USAGE, "hosts %llu is not the fleet's %llu",
                     (unsigned long long)qd->hosts, (unsigned long long)q->hosts);
    return st;
}

void pn_question_doc_take(pn_question_doc *qd, pn_query *q, char **load_curve)
{
    if (q->levels.listed) { /* q's levels are qd's arrays (pn_question_doc_query) */
        if (!q->levels.hours)
            free(qd->levels.hours);
        qd->levels = (pn_levels){0};
        qd->levels_cap = qd->nhours = 0;
    }
    *load_curve = qd->load_curve;
    qd->load_curve = NULL;
}

void pn_question_doc_clear(pn_question_doc *qd)
{
    free(qd->levels.guests);
    free(qd->levels.hours);
    free(qd->load_curve);
    *qd = (pn_question_doc){0};
}

/* ---- the question alone ---- */

pn_status pn_question_doc_text(const pn_query *q, char **text, size_t *len, pn_error *err)
{
    *text = NULL;
    FILE *mem = open_memstream(text, len);
    if (!mem)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the question");
    fprintf(mem, "{\n");
    pn_question_doc_write(mem, q, &(pn_question_doc_style){.last = true});
    fprintf(mem, "}\n");
    if (fclose(mem) != 0) {
        free(*text);
        *text = NULL;
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the question");
    }
    return PN_OK;
}

/* A member of the question's own object: its keys read, others skipped. */
static pn_status question_member(pn_json *j, void *ctx, const char *key, size_t len)
{
    for (int k = 0; k < PN_JSON_KEYS; k++)
        if (is_question_key((pn_json_key_id)k) && is_key(key, len, (pn_json_key_id)k))
            return pn_question_doc_read(j, ctx, (pn_json_key_id)k);
    return pn_json_skip(j);
}

pn_status pn_question_doc_parse(const char *text, size_t len, pn_query *q, pn_error *err)
{
    pn_question_doc qd = {0};
    pn_json_key_id where;
    *q = (pn_query){0};
    pn_status st = pn_json_read_document(text, len, NULL, question_member, &qd, err);
    if (st == PN_OK)
        st = pn_question_doc_query(&qd, q, &where, err);
    if (st == PN_OK) {
        char *curve;
        pn_question_doc_take(&qd, q, &curve);
        free(curve);
    }
    pn_question_doc_clear(&qd);
    return st;
}
