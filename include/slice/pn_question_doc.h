/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_question_doc.h -- the whole question in JSON, one writer and one reader: a cloud or a fleet with its watts, the guests, a sweep's or a load curve's levels and hours, the model; shared by the report, slice and ledger documents and the MPI broadcast. */
#ifndef PN_QUESTION_DOC_H
#define PN_QUESTION_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "question/pn_query.h"
#include "slice/pn_json.h"
#include "slice/pn_json_keys.h"
#include "base/pn_status.h"

/* The members written for a question, each on its own line after two
 * spaces, as every document of ours has them:
 *
 *   "hosts": H,
 *   "guests_per_host": P,            one group without watts (-h/-p, or
 *                                    --fleet NxC)
 *   "fleet": [{"count": N, "capacity": C, "watts": W}, ...],
 *                                    two groups or more, or one with its
 *                                    watts (--fleet NxC@W), instead;
 *                                    "watts" only when every group has them
 *   "guests": G,                     the largest level
 *   "levels": [G0, G1, ...],         only a sweep's or a load curve's
 *   "load_curve": {"path": F, "total_hours": T, "hours": [T0, T1, ...]},
 *                                    only a load curve's
 *   "model": "uniform"
 *
 * so a homogeneous question of one level reads as it always has, and a
 * document says only what its question has. Doubles are written %.17g and
 * read back to the same bits. */

/* How a document wants its question written. Zero: the question alone, a
 * comma after "model" (more members follow). */
typedef struct pn_question_doc_style {
    const char *load_curve;    /* the curve's file, for a question whose levels have hours */
    const double *level_hours; /* the report of one level of a curve: "hours": x after guests */
    /* the report: more members inside group j of "fleet", each written as
     * ", \"key\": value" (the expected napping hosts, drawn from a histogram) */
    void (*group_extra)(FILE *out, unsigned j, void *ctx);
    void *ctx;
    bool last;                 /* "model" closes the object: no comma after it */
} pn_question_doc_style;

/* Writes q's members (q resolved) as above. style may be NULL. */
void pn_question_doc_write(FILE *out, const pn_query *q, const pn_question_doc_style *style);

/* `{"skip": N, "limit": M}`: a slice's range, or a ledger's requested one. */
void pn_question_doc_write_range(FILE *out, uint64_t first, uint64_t count);

/* A question's members as read, before they are checked; zero it first,
 * free it with pn_question_doc_clear. */
typedef struct pn_question_doc {
    unsigned seen;       /* 1 << k for each question key k read */
    uint64_t hosts, per_host, guests;
    pn_model model;
    unsigned ngroups;
    pn_group groups[PN_MAX_GROUPS];
    pn_levels levels;    /* "levels", with "load_curve"'s hours; owned */
    size_t levels_cap, nhours;
    bool has_total_hours;
    char *load_curve;    /* "load_curve"'s path; owned */
} pn_question_doc;

/* Reads the value of question key k into qd, checking its type (messages
 * name the key: "hosts must be a non-negative integer", "model must be
 * \"uniform\" or \"slots\"", "every entry of fleet needs count and
 * capacity"). */
pn_status pn_question_doc_read(pn_json *j, pn_question_doc *qd, pn_json_key_id k);

/* The question qd states, resolved over its whole keyspace into *q, whose
 * levels borrow qd's arrays. PN_ERR_USAGE with the reason, *where set to
 * the key to blame, when a key is missing (hosts, guests, model, and
 * guests_per_host or fleet), both guests_per_host and fleet are given,
 * the levels are not ascending, guests is not the largest level, a load
 * curve's hours do not match its levels, or the resolver refuses it. */
pn_status pn_question_doc_query(const pn_question_doc *qd, pn_query *q, pn_json_key_id *where,
                                pn_error *err);

/* Hands what q (made from qd by pn_question_doc_query) borrows over to
 * whoever keeps q: q->levels then owns its arrays (free them with
 * pn_levels_clear), and *load_curve gets the curve's path (NULL when none;
 * free it). */
void pn_question_doc_take(pn_question_doc *qd, pn_query *q, char **load_curve);

/* Frees what reading allocated; safe on a zeroed or emptied doc. */
void pn_question_doc_clear(pn_question_doc *qd);

/* The question alone as a JSON object ("{", the members, "}"), in a
 * malloc'd *text of *len bytes: what rank 0 broadcasts to the workers. */
pn_status pn_question_doc_text(const pn_query *q, char **text, size_t *len, pn_error *err);

/* Reads such a text back into *q, resolved; q->levels then owns its arrays
 * (free them with pn_levels_clear). PN_ERR_USAGE naming the problem. */
pn_status pn_question_doc_parse(const char *text, size_t len, pn_query *q, pn_error *err);

#endif
