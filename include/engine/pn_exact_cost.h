/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_exact_cost.h -- the shape of the exact engine's sums and what running them will cost, known before a term is computed. */
#ifndef PN_EXACT_COST_H
#define PN_EXACT_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "question/pn_levels.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* Busy-host counts whose N(m) can be non-zero: every busy host holds at
 * least one guest and all of them hold g, so ceil(g/p) <= m <= min(h, g).
 * Only meaningful for g >= 1 (which needs p >= 1). */
typedef struct pn_exact_shape {
    uint64_t m_lo, m_hi;
} pn_exact_shape;

/* What the exact engine will do for a query, estimated from closed forms
 * (lgamma for the sizes of binomials), without computing a term. */
typedef struct pn_exact_cost {
    uint64_t terms;  /* big-number terms of the sum, plus one per bin */
    double words;    /* 64-bit words those terms touch, summed: the unit of progress */
    double max_bits; /* the largest operand, in bits */
    double seconds;  /* estimated run time on a machine like this one */
    double bytes;    /* estimated peak memory of the big numbers */
} pn_exact_cost;

/* Runs past these are refused unless --force: an interactive tool that
 * silently works for days, or until the kernel kills it, helps nobody. */
#define PN_EXACT_MAX_SECONDS 3600.0

pn_exact_shape pn_exact_shape_of(const pn_query *q);

/* The m range [*lo, *hi] of row j of the uniform sum (terms C(m,j) and
 * C(g-jp-1, m-1) both non-zero, m inside the shape). False when the row is
 * empty; every later row is then empty too. Requires g, p >= 1. */
bool pn_exact_uniform_row(const pn_query *q, const pn_exact_shape *s, uint64_t j,
                          uint64_t *lo, uint64_t *hi);

/* The cost of answering every level of q exactly (q resolved; g = 0 costs
 * nothing), the cheaper way: one level of a homogeneous cloud by its closed
 * form; a mixed fleet by generating functions truncated at its largest
 * level; several levels of a homogeneous cloud by whichever is cheaper, the
 * generating functions once or the closed form once per level (then
 * *per_level is true). per_level may be NULL. */
void pn_exact_cost_estimate(const pn_query *q, pn_exact_cost *out, bool *per_level);

/* PN_OK when the run fits PN_EXACT_MAX_SECONDS and the memory this machine
 * allows (physical memory, or RLIMIT_AS when lower), or when force is set;
 * otherwise PN_ERR_USAGE giving the estimate and the way out (--force). */
pn_status pn_exact_cost_check(const pn_exact_cost *c, bool force, pn_error *err);

/* "about 3.2 GB" style text for a byte count. */
void pn_format_bytes(double bytes, char *buf, size_t len);

#endif
