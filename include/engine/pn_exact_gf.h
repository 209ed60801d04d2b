/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_exact_gf.h -- a fleet's exact counts from its generating function prod_j (1 + w Q_j(z))^(n_j), with GMP. */
#ifndef PN_EXACT_GF_H
#define PN_EXACT_GF_H

#include <stdint.h>

#include "engine/pn_engine.h"

/* Adds into hists[i] the exact counts of level lv->guests[i] (and, for a
 * mixed fleet, each group's napping sums), for a resolved, unsliced q of one
 * group or several. A host of capacity c is 1 (empty) or w Q(z) (busy):
 * Q = z + ... + z^c (uniform) or sum_x C(c,x) z^x (slots), so the
 * coefficient of w^b z^g in F = prod_j (1 + w Q_j)^(n_j) is bins[hosts - b]
 * at g guests, and group j's napping sums are those of
 * n_j (1 + w Q_j)^(n_j - 1) prod_{i != j} (1 + w Q_i)^(n_i). Polynomials are
 * truncated past the largest level, in busy hosts as in guests (so their
 * size follows min(hosts, g), not the hosts), and multiplied as one big
 * integer each (Kronecker substitution), so GMP's fast multiplication does
 * the convolutions. Reads the cancel flag
 * between multiplications (PN_ERR_INTERRUPTED). */
pn_status pn_exact_gf_count(const pn_query *q, const pn_levels *lv, pn_run *run,
                            pn_histogram *hists, pn_error *err);

/* Bits every coefficient (counts and napping sums) of a count truncated at
 * dcap guests fits in: log2 of (hosts+1) times the scenarios of up to
 * 2 dcap guests (or of all of them, when fewer), rounded up, plus a margin;
 * computed in doubles, so sizing a huge question costs nothing, and small
 * for a small dcap however many hosts there are. */
uint64_t pn_exact_gf_coefficient_bits(const pn_query *q, uint64_t dcap);

#endif
