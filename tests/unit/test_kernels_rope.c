/* Integer RoPE against double cos/sin. The table is computed with integer
 * arithmetic only; bound vs libm: 1 Q14 LSB (0.5 rounding + angle error
 * ~1e-6 rad at pos 4096). The rotated int8 values: 1 LSB vs the double
 * rotation of the same inputs (0.5 rounding + |x| * 2 * 2^-14 from the
 * table). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "kernels.h"

static void test_sincos_vs_libm(void)
{
    const uint32_t dims[] = {8, 64, 128};
    for (int d = 0; d < 3; d++)
        for (uint32_t pos = 0; pos <= 4096; pos += (pos < 64 ? 1 : 61))
            for (uint32_t i = 0; i < dims[d] / 2; i++) {
                int16_t c, s;
                k_rope_sincos(pos, i, dims[d], &c, &s);
                double th = pos * pow(10000.0, -2.0 * i / dims[d]);
                CU_ASSERT_FATAL(fabs(c - cos(th) * 16384) <= 1.0);
                CU_ASSERT_FATAL(fabs(s - sin(th) * 16384) <= 1.0);
            }
    int16_t c, s;
    k_rope_sincos(0, 3, 64, &c, &s);
    CU_ASSERT_EQUAL(c, 16384);
    CU_ASSERT_EQUAL(s, 0);
}

static void test_rope_vs_double_and_identity(void)
{
    enum { ROWS = 5, H = 3, D = 16 };
    int8_t x[ROWS * H * D], orig[ROWS * H * D];
    for (int i = 0; i < ROWS * H * D; i++) orig[i] = (int8_t)(i * 53 + 7);
    memcpy(x, orig, sizeof x);
    op_work w = k_rope(x, ROWS, H, D, 0);
    CU_ASSERT_EQUAL(memcmp(x, orig, H * D), 0); /* position 0 is the identity */
    for (int r = 0; r < ROWS; r++)
        for (int h = 0; h < H; h++)
            for (int i = 0; i < D / 2; i++) {
                int o = r * H * D + h * D + 2 * i;
                double th = r * pow(10000.0, -2.0 * i / D);
                double x0 = orig[o], x1 = orig[o + 1];
                double y0 = x0 * cos(th) - x1 * sin(th), y1 = x0 * sin(th) + x1 * cos(th);
                y0 = fmax(-128, fmin(127, y0));
                y1 = fmax(-128, fmin(127, y1));
                CU_ASSERT(fabs(x[o] - y0) <= 1.0);
                CU_ASSERT(fabs(x[o + 1] - y1) <= 1.0);
            }
    CU_ASSERT_EQUAL(w.macs, 2ull * ROWS * H * D);
}

static void test_rope_block_offset_matches_rows(void)
{
    /* A block at pos0 equals each row rotated alone at pos0 + r: what a
     * chip computing a slice of the sequence relies on. */
    enum { ROWS = 7, H = 2, D = 32, L = H * D };
    int8_t block[ROWS * L], row[L];
    for (int i = 0; i < ROWS * L; i++) block[i] = (int8_t)(i * 31 - 5);
    int8_t orig[ROWS * L];
    memcpy(orig, block, sizeof block);
    k_rope(block, ROWS, H, D, 1000);
    for (int r = 0; r < ROWS; r++) {
        memcpy(row, orig + r * L, L);
        k_rope(row, 1, H, D, 1000 + r);
        CU_ASSERT_EQUAL(memcmp(row, block + r * L, L), 0);
    }
}

static int register_tests(void)
{
    ADD_SUITE("kernels.rope", TEST(test_sincos_vs_libm), TEST(test_rope_vs_double_and_identity),
              TEST(test_rope_block_offset_matches_rows));
    return 0;
}

CUNIT_MAIN(register_tests)
