/* ratio.c -- correctly rounded conversion of an exact rational to a double. */
#include "base/pn_ratio.h"

#include <math.h>
#include <stdbool.h>

/* Bits in a double's significand, and the exponent of its smallest subnormal. */
#define SIGNIFICAND_BITS 53
#define MIN_SUBNORMAL_EXP (-1074)

/* Sets q = floor(num * 2^shift / den), and returns whether the division left
 * a remainder (shift may be negative). */
static bool scaled_quotient(mpz_t q, const mpz_t num, const mpz_t den, long shift)
{
    mpz_t n, d, r;
    mpz_inits(n, d, r, NULL);
    if (shift >= 0) {
        mpz_mul_2exp(n, num, (mp_bitcnt_t)shift);
        mpz_set(d, den);
    } else {
        mpz_set(n, num);
        mpz_mul_2exp(d, den, (mp_bitcnt_t)-shift);
    }
    mpz_tdiv_qr(q, r, n, d);
    bool inexact = mpz_sgn(r) != 0;
    mpz_clears(n, d, r, NULL);
    return inexact;
}

/* The trick: scale so that the integer quotient q = floor(num*2^s/den) holds
 * at least two bits more than the double keeps. The bits dropped from q, plus
 * whether the division left a remainder (the sticky bit), decide the rounding
 * exactly; no intermediate value is ever rounded twice. */
double pn_ratio_to_double(const mpz_t num, const mpz_t den)
{
    if (mpz_sgn(den) == 0 || mpz_sgn(num) == 0)
        return 0.0;
    long shift = (long)SIGNIFICAND_BITS + 2 - ((long)mpz_sizeinbase(num, 2) -
                                               (long)mpz_sizeinbase(den, 2));
    mpz_t q, kept;
    mpz_inits(q, kept, NULL);
    bool sticky = scaled_quotient(q, num, den, shift);
    long qbits = (long)mpz_sizeinbase(q, 2);
    /* value = q * 2^-shift; keep 53 bits, fewer where the result is subnormal */
    long drop = qbits - SIGNIFICAND_BITS;
    if (drop - shift < MIN_SUBNORMAL_EXP)
        drop = MIN_SUBNORMAL_EXP + shift;
    bool round_up = false;
    if (drop > 0) {
        mpz_tdiv_q_2exp(kept, q, (mp_bitcnt_t)drop);
        bool half = mpz_tstbit(q, (mp_bitcnt_t)(drop - 1));
        bool below_half = mpz_scan1(q, 0) < (mp_bitcnt_t)(drop - 1);
        sticky = sticky || (below_half && mpz_sgn(q) != 0);
        round_up = half && (sticky || mpz_odd_p(kept));
    } else {
        mpz_mul_2exp(kept, q, (mp_bitcnt_t)-drop);
    }
    if (round_up)
        mpz_add_ui(kept, kept, 1);
    /* kept has at most 54 bits, so mpz_get_d converts it exactly. */
    double d = ldexp(mpz_get_d(kept), (int)(drop - shift));
    mpz_clears(q, kept, NULL);
    return d;
}
