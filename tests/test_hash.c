/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_hash.c -- the SHA-256 helper over nettle: the FIPS 180-2 digest of "abc", whole and in pieces. */
#include <criterion/criterion.h>

#include "base/pn_hash.h"

/* FIPS 180-2, appendix B.1. */
#define ABC_DIGEST "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

Test(hash, abc_is_the_fips_180_2_digest)
{
    unsigned char d[PN_SHA256_BYTES];
    char hex[PN_SHA256_HEX];
    pn_sha256("abc", 3, d);
    pn_sha256_hex(d, hex);
    cr_assert_str_eq(hex, ABC_DIGEST);

    pn_sha256_ctx s;
    pn_sha256_init(&s);
    pn_sha256_update(&s, "a", 1);
    pn_sha256_update(&s, NULL, 0);
    pn_sha256_update(&s, "bc", 2);
    pn_sha256_final(&s, d);
    pn_sha256_hex(d, hex);
    cr_assert_str_eq(hex, ABC_DIGEST);
}
