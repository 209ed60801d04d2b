/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_exact_gf.h -- a fleet's exact counts from its generating function prod_j (y + Q_j(z))^(n_j), with GMP. */
#ifndef PN_EXACT_GF_H
#define PN_EXACT_GF_H

#include <stdint.h>

#include "engine/pn_engine.h"

/* Adds into hists[i] the exact counts of level lv->guests[i] (and, for a
 * mixed fleet, each group's napping sums), for a resolved, unsliced q of one
 * group or several. A host of capacity c is y (empty) or Q(z) (busy):
 * Q = z + ... + z^c (uniform) or sum_x C(c,x) z^x (slots), so the
 * coefficient of y^k z^g in F = prod_j (y + Q_j)^(n_j) is bins[k] at g
 * guests, and group j's napping sums are those of n_j y (y + Q_j)^(n_j - 1)
 * prod_{i != j} (y + Q_i)^(n_i). Polynomials are truncated past the largest
 * level and multiplied as one big integer each (Kronecker substitution),
 * so GMP's fast multiplication does the convolutions. Reads the cancel flag
 * between multiplications (PN_ERR_INTERRUPTED). */
pn_status pn_exact_gf_count(const pn_query *q, const pn_levels *lv, pn_run *run,
                            pn_histogram *hists, pn_error *err);

/* Bits every coefficient (counts and napping sums) fits in: log2 of
 * (hosts+1) * F(1,1), rounded up, plus a margin; computed in doubles, so
 * sizing a huge question costs nothing. */
uint64_t pn_exact_gf_coefficient_bits(const pn_query *q);

#endif
