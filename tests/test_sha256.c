/* test_sha256.c -- SHA-256 against the FIPS 180 test vectors, whole and fed in uneven pieces. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "base/pn_sha256.h"

/* The digest as 64 lowercase hex digits. */
static void hex(const unsigned char d[PN_SHA256_BYTES], char out[2 * PN_SHA256_BYTES + 1])
{
    for (int i = 0; i < PN_SHA256_BYTES; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check_digest(const char *msg, const char *want)
{
    unsigned char d[PN_SHA256_BYTES];
    char got[2 * PN_SHA256_BYTES + 1];
    pn_sha256(msg, strlen(msg), d);
    hex(d, got);
    cr_assert_str_eq(got, want, "SHA-256(\"%s\")", msg);
}

Test(sha256, abc)
{
    check_digest("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(sha256, empty)
{
    check_digest("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* 448 bits: the padding needs a second block. */
Test(sha256, two_blocks_448_bits)
{
    check_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, two_blocks_896_bits)
{
    check_digest("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
          "klmnopqrlmnopqrsmnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in pieces of 1 to 130 bytes so every split of a
 * block is crossed. */
Test(sha256, million_a_in_pieces)
{
    static char a[130];
    memset(a, 'a', sizeof a);
    pn_sha256_ctx s;
    pn_sha256_init(&s);
    size_t left = 1000000, piece = 1;
    while (left > 0) {
        size_t n = piece < left ? piece : left;
        pn_sha256_update(&s, a, n);
        left -= n;
        piece = piece % sizeof a + 1;
    }
    unsigned char d[PN_SHA256_BYTES];
    char got[2 * PN_SHA256_BYTES + 1];
    pn_sha256_final(&s, d);
    hex(d, got);
    cr_assert_str_eq(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
