/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_ratio.h -- the correctly rounded double of an exact rational, for every number a report prints. */
#ifndef PN_RATIO_H
#define PN_RATIO_H

#include <gmp.h>

/* num/den rounded to the nearest double, ties to even, subnormals included
 * (num >= 0, den > 0; 0.0 when den is 0). GMP's mpq_get_d truncates, which
 * makes a value lying on a .x5 boundary print one digit low. */
double pn_ratio_to_double(const mpz_t num, const mpz_t den);

#endif
