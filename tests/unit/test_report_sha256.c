/* SHA-256 against the FIPS 180-2 test vectors (appendix B: one block, two
 * blocks, one million 'a'), the empty message, and byte-at-a-time updates
 * around the padding boundaries equal to the one-shot digest. */
#include <stdlib.h>
#include <string.h>

#include "../../sim/report/sha256.h"
#include "cunit_main.h"

static void hex_of(const char *msg, char out[SHA256_HEX_LEN + 1])
{
    sha256_hex(msg, strlen(msg), out);
}

static void test_fips_one_block(void)
{
    char h[SHA256_HEX_LEN + 1];
    hex_of("abc", h);
    CU_ASSERT_STRING_EQUAL(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_fips_two_blocks(void)
{
    char h[SHA256_HEX_LEN + 1];
    hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", h);
    CU_ASSERT_STRING_EQUAL(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_fips_million_a(void)
{
    sha256_ctx c;
    sha256_init(&c);
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    for (int i = 0; i < 1000; i++) sha256_update(&c, chunk, sizeof chunk);
    uint8_t d[32];
    sha256_final(&c, d);
    static const uint8_t want[32] = {0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7,
                                     0xe2, 0x84, 0xd7, 0x3e, 0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97,
                                     0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0};
    CU_ASSERT_EQUAL(memcmp(d, want, 32), 0);
}

static void test_empty_message(void)
{
    char h[SHA256_HEX_LEN + 1];
    hex_of("", h);
    CU_ASSERT_STRING_EQUAL(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* Lengths that put the 0x80 byte and the length field on every side of a
 * block boundary; one byte at a time must give the one-shot digest. */
static void test_incremental_equals_one_shot(void)
{
    static const size_t lens[] = {1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000};
    unsigned char buf[1000];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 131u + 7u);
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        char one[SHA256_HEX_LEN + 1], inc[SHA256_HEX_LEN + 1];
        sha256_hex(buf, lens[k], one);
        sha256_ctx c;
        sha256_init(&c);
        for (size_t i = 0; i < lens[k]; i++) sha256_update(&c, buf + i, 1);
        uint8_t d[32];
        sha256_final(&c, d);
        for (int i = 0; i < 32; i++) snprintf(inc + 2 * i, 3, "%02x", d[i]);
        CU_ASSERT_STRING_EQUAL(one, inc);
    }
    /* and one changed byte changes the digest */
    char a[SHA256_HEX_LEN + 1], b[SHA256_HEX_LEN + 1];
    sha256_hex(buf, 100, a);
    buf[50] ^= 1;
    sha256_hex(buf, 100, b);
    CU_ASSERT_STRING_NOT_EQUAL(a, b);
}

static int register_tests(void)
{
    ADD_SUITE("sha256", TEST(test_fips_one_block), TEST(test_fips_two_blocks),
              TEST(test_fips_million_a), TEST(test_empty_message),
              TEST(test_incremental_equals_one_shot));
    return 0;
}

CUNIT_MAIN(register_tests)
