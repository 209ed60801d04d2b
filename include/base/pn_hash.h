/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_hash.h -- SHA-256 checksums of files we wrote, through nettle (nettle-dev). */
#ifndef PN_HASH_H
#define PN_HASH_H

#include <stddef.h>

#include <nettle/sha2.h>

#define PN_SHA256_BYTES SHA256_DIGEST_SIZE

/* A digest in progress: nettle's context. Treat as opaque. */
typedef struct sha256_ctx pn_sha256_ctx;

/* Starts a digest. */
void pn_sha256_init(pn_sha256_ctx *s);

/* Adds len bytes of data (len may be 0; data may then be NULL). Any
 * splitting of a message into updates gives the same digest. */
void pn_sha256_update(pn_sha256_ctx *s, const void *data, size_t len);

/* Finishes and writes the 32-byte digest; s must be initialised again
 * before another use. */
void pn_sha256_final(pn_sha256_ctx *s, unsigned char out[PN_SHA256_BYTES]);

/* The digest of one buffer: init, update, final. */
void pn_sha256(const void *data, size_t len, unsigned char out[PN_SHA256_BYTES]);

/* Hex digits of a digest plus the NUL. */
#define PN_SHA256_HEX (2 * PN_SHA256_BYTES + 1)

/* The digest as 64 lower-case hex digits, NUL-terminated. */
void pn_sha256_hex(const unsigned char digest[PN_SHA256_BYTES], char out[PN_SHA256_HEX]);

#endif
