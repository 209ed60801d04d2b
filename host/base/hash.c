/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hash.c -- SHA-256 digests and their hex, a thin layer over nettle's sha256_*. */
#include "base/pn_hash.h"

void pn_sha256_init(pn_sha256_ctx *s)
{
    sha256_init(s);
}

/* An empty update returns at once: nettle would pass data, perhaps NULL, to
 * memcpy, which UBSan rejects even for zero bytes. */
void pn_sha256_update(pn_sha256_ctx *s, const void *data, size_t len)
{
    if (len > 0)
        sha256_update(s, len, data);
}

void pn_sha256_final(pn_sha256_ctx *s, unsigned char out[PN_SHA256_BYTES])
{
    sha256_digest(s, PN_SHA256_BYTES, out);
}

void pn_sha256(const void *data, size_t len, unsigned char out[PN_SHA256_BYTES])
{
    pn_sha256_ctx s;
    pn_sha256_init(&s);
    pn_sha256_update(&s, data, len);
    pn_sha256_final(&s, out);
}

void pn_sha256_hex(const unsigned char digest[PN_SHA256_BYTES], char out[PN_SHA256_HEX])
{
    static const char DIGITS[] = "0123456789abcdef";
    for (int i = 0; i < PN_SHA256_BYTES; i++) {
        out[2 * i] = DIGITS[digest[i] >> 4];
        out[2 * i + 1] = DIGITS[digest[i] & 15];
    }
    out[2 * PN_SHA256_BYTES] = '\0';
}
