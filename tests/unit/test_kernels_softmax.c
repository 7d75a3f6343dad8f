/* Integer exp and softmax against double precision.
 * Error bounds, from the algorithm rather than from the code's output:
 *  - I-BERT's polynomial is within 0.0031 (relative) of exp on (-ln2, 0]
 *    (computed by sampling the published formula), plus fixed-point rounding;
 *  - a probability is quantised to 1/255 (0.5/255 rounding), the per-row
 *    reciprocal is floored (< 1/255 more), and a relative exp error e moves a
 *    probability by at most 2e. So |p - p_ref| <= 1.5/255 + 2 * 0.0035. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "kernels.h"

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void test_iexp_vs_exp(void)
{
    const int fracs[] = {8, 12, 15}, outs[] = {16, 20, 30};
    for (int fi = 0; fi < 3; fi++)
        for (int oi = 0; oi < 3; oi++) {
            int f = fracs[fi], o = outs[oi];
            double worst = 0;
            for (int32_t x = 0; x >= -(20 << f); x -= 1 + (1 << f) / 97) {
                double want = exp((double)x / (1 << f));
                double got = (double)k_iexp(x, f, o) / (double)(1ull << o);
                double err = fabs(got - want) - 0.0031 * want;
                if (err > worst) worst = err;
            }
            /* beyond the polynomial: a few LSB of input and output rounding */
            CU_ASSERT(worst <= 2.0 / (1 << f) + 2.0 / (double)(1ull << o));
        }
    CU_ASSERT_EQUAL(k_iexp(-(1 << 30), 12, 20), 0);
    CU_ASSERT(k_iexp(5, 12, 20) == k_iexp(0, 12, 20)); /* positive inputs clamp to 0 */
}

#define BOUND (1.5 / 255 + 2 * 0.0035)

/* max |p - softmax_double| over a block; masked entries must be exactly 0. */
static double softmax_err(const int32_t *sc, const uint8_t *p, uint32_t rows, uint32_t cols,
                          requant_params q, bool causal, uint32_t q0, int *mask_bad)
{
    double worst = 0, scale = (double)q.mult / ldexp(1.0, q.shift + K_SOFTMAX_FRAC);
    for (uint32_t r = 0; r < rows; r++) {
        uint32_t vis = causal && q0 + r + 1 < cols ? q0 + r + 1 : cols;
        double mx = -INFINITY, sum = 0;
        for (uint32_t j = 0; j < vis; j++) mx = fmax(mx, sc[r * cols + j] * scale);
        for (uint32_t j = 0; j < vis; j++) sum += exp(sc[r * cols + j] * scale - mx);
        for (uint32_t j = 0; j < vis; j++) {
            double want = exp(sc[r * cols + j] * scale - mx) / sum;
            worst = fmax(worst, fabs(p[r * cols + j] / 255.0 - want));
        }
        for (uint32_t j = vis; j < cols; j++) *mask_bad += p[r * cols + j] != 0;
    }
    return worst;
}

static void test_softmax_random_vs_double(void)
{
    enum { R = 16, C = 77 };
    static int32_t sc[R * C];
    static uint8_t p[R * C];
    uint64_t s = 9;
    const requant_params scales[] = {{1, 0, 0}, {3, 4, 0}, {1 << 20, 20, 0}, {1, 6, 0}};
    for (int si = 0; si < 4; si++)
        for (int causal = 0; causal < 2; causal++) {
            for (int i = 0; i < R * C; i++) sc[i] = (int32_t)(rng_next(&s) % 40001) - 20000;
            int mask_bad = 0;
            k_softmax_i32_u8(sc, p, R, C, scales[si], causal, 5);
            CU_ASSERT(softmax_err(sc, p, R, C, scales[si], causal, 5, &mask_bad) <= BOUND);
            CU_ASSERT_EQUAL(mask_bad, 0);
        }
}

static void test_softmax_uniform_row(void)
{
    enum { C = 10 };
    int32_t sc[C];
    uint8_t p[C];
    for (int i = 0; i < C; i++) sc[i] = 1234;
    k_softmax_i32_u8(sc, p, 1, C, (requant_params){1, 0, 0}, false, 0);
    for (int i = 0; i < C; i++) {
        CU_ASSERT_EQUAL(p[i], p[0]);
        CU_ASSERT(fabs(p[i] - 255.0 / C) <= 1.0);
    }
}

static void test_softmax_causal_edges(void)
{
    enum { R = 4, C = 6 };
    int32_t sc[R * C];
    uint8_t p[R * C];
    for (int i = 0; i < R * C; i++) sc[i] = 100 * (i % 7);
    op_work w = k_softmax_i32_u8(sc, p, R, C, (requant_params){1, 0, 0}, true, 0);
    CU_ASSERT_EQUAL(p[0], 255); /* query 0 sees key 0 only */
    for (int j = 1; j < C; j++) CU_ASSERT_EQUAL(p[j], 0);
    for (int r = 0; r < R; r++)
        for (int j = r + 1; j < C; j++) CU_ASSERT_EQUAL(p[r * C + j], 0);
    /* visible elements: 1 + 2 + 3 + 4; one exp each, one division per row */
    CU_ASSERT_EQUAL(w.special_ops, 10 + R);
    /* a query far past the block sees every key */
    k_softmax_i32_u8(sc, p, R, C, (requant_params){1, 0, 0}, true, 100);
    for (int r = 0; r < R; r++) {
        int sum = 0;
        for (int j = 0; j < C; j++) sum += p[r * C + j];
        CU_ASSERT(abs(sum - 255) <= C);
        CU_ASSERT(p[r * C + C - 1] > 0);
    }
}

static void test_softmax_dominant_and_extreme(void)
{
    int32_t sc[4] = {INT32_MIN, INT32_MAX, INT32_MIN, 0};
    uint8_t p[4];
    k_softmax_i32_u8(sc, p, 1, 4, (requant_params){1, 0, 0}, false, 0);
    CU_ASSERT_EQUAL(p[1], 255);
    CU_ASSERT_EQUAL(p[0] + p[2] + p[3], 0);
    /* the largest multiplier: logits saturate instead of overflowing */
    k_softmax_i32_u8(sc, p, 1, 4, (requant_params){INT32_MAX, -20, 0}, false, 0);
    CU_ASSERT_EQUAL(p[1], 255);
}

static void test_softmax_row_blocks_match(void)
{
    /* What the partitioner relies on: a block of rows starting at q0 gives the
     * same bits as each row alone at its absolute position. */
    enum { R = 8, C = 20 };
    int32_t sc[R * C];
    uint8_t whole[R * C], one[C];
    uint64_t s = 77;
    for (int i = 0; i < R * C; i++) sc[i] = (int32_t)(rng_next(&s) % 5001) - 2500;
    requant_params q = {5, 3, 0};
    k_softmax_i32_u8(sc, whole, R, C, q, true, 7);
    for (uint32_t r = 0; r < R; r++) {
        k_softmax_i32_u8(sc + r * C, one, 1, C, q, true, 7 + r);
        CU_ASSERT_EQUAL(memcmp(one, whole + r * C, C), 0);
    }
}

static int register_tests(void)
{
    ADD_SUITE("kernels.softmax", TEST(test_iexp_vs_exp), TEST(test_softmax_random_vs_double),
              TEST(test_softmax_uniform_row), TEST(test_softmax_causal_edges),
              TEST(test_softmax_dominant_and_extreme), TEST(test_softmax_row_blocks_match));
    return 0;
}

CUNIT_MAIN(register_tests)
