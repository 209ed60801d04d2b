/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ratio.c -- correctly rounded conversion of an exact rational to a double, through MPFR. */
#include "base/pn_ratio.h"

#include <mpfr.h>

/* A double's significand bits, and its exponent range in MPFR's convention
 * (significand in [1/2, 1)): the smallest subnormal is 2^-1074 = 0.5 * 2^-1073,
 * the largest finite value just under 2^1024. */
#define DOUBLE_BITS 53
#define DOUBLE_EMIN (-1073)
#define DOUBLE_EMAX 1024

/* MPFR rounds num/den once, to nearest with ties to even, into 53 bits.
 * A 53-bit MPFR number still has far more exponent range than a double, so
 * the range is narrowed to the double's for the conversion (and restored
 * after, since it is MPFR's global state): mpfr_check_range then turns a
 * value outside it into infinity or zero, and mpfr_subnormalize rounds a
 * value in the subnormal range to the bits a subnormal keeps, using the
 * first rounding's direction so that nothing is rounded twice. The result
 * is then exactly a double, and mpfr_get_d returns it unchanged. */
double pn_ratio_to_double(const mpz_t num, const mpz_t den)
{
    if (mpz_sgn(den) == 0 || mpz_sgn(num) == 0)
        return 0.0;
    mpq_t q; /* num/den as they are: mpfr_set_q needs no canonical form */
    mpq_init(q);
    mpz_set(mpq_numref(q), num);
    mpz_set(mpq_denref(q), den);
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_set_emin(DOUBLE_EMIN);
    mpfr_set_emax(DOUBLE_EMAX);
    mpfr_t x;
    mpfr_init2(x, DOUBLE_BITS);
    int inexact = mpfr_set_q(x, q, MPFR_RNDN);
    inexact = mpfr_check_range(x, inexact, MPFR_RNDN);
    mpfr_subnormalize(x, inexact, MPFR_RNDN);
    double d = mpfr_get_d(x, MPFR_RNDN);
    mpfr_clear(x);
    mpq_clear(q);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    return d;
}
