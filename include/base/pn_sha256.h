/* pn_sha256.h -- SHA-256 (FIPS 180-4), self-contained, for checksums of files we wrote. */
#ifndef PN_SHA256_H
#define PN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PN_SHA256_BYTES 32

/* A digest in progress: the chaining state, the message length so far and
 * the block not yet compressed. Treat as opaque. */
typedef struct pn_sha256_ctx {
    uint32_t state[8];
    uint64_t bytes;             /* message length so far */
    unsigned char block[64];    /* the partial block */
    size_t used;                /* bytes of block in use */
} pn_sha256_ctx;

/* Starts a digest (the FIPS 180-4 initial hash value). */
void pn_sha256_init(pn_sha256_ctx *s);

/* Adds len bytes of data (len may be 0; data may then be NULL). Any
 * splitting of a message into updates gives the same digest. */
void pn_sha256_update(pn_sha256_ctx *s, const void *data, size_t len);

/* Pads, finishes and writes the 32-byte digest; s must be initialised
 * again before another use. */
void pn_sha256_final(pn_sha256_ctx *s, unsigned char out[PN_SHA256_BYTES]);

/* The digest of one buffer: init, update, final. */
void pn_sha256(const void *data, size_t len, unsigned char out[PN_SHA256_BYTES]);

/* Hex digits of a digest plus the NUL. */
#define PN_SHA256_HEX (2 * PN_SHA256_BYTES + 1)

/* The digest as 64 lower-case hex digits, NUL-terminated. */
void pn_sha256_hex(const unsigned char digest[PN_SHA256_BYTES], char out[PN_SHA256_HEX]);

#endif
