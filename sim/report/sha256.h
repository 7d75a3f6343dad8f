/* SHA-256 (FIPS 180-4, same algorithm as FIPS 180-2): the hash of the
 * provenance stamps. A 64-bit hash is not enough where a stamp decides
 * whether a published figure came from a given configuration; SHA-256 has
 * no practical collisions. */
#ifndef MCUSIM_SHA256_H
#define MCUSIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64   /* lower-case hex digits of a digest */

/* A value type on purpose: hashing needs no resources to release. */
typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t total;          /* bytes hashed so far */
    uint8_t block[64];
    size_t used;             /* bytes waiting in block */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, uint8_t digest[32]);

/* The digest of data[0..len) as 64 lower-case hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

#endif
