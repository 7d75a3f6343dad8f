/* Requantisation, element-wise ops, the int8->int32 widening, the int32
 * reduction and the integer square root, each against an independent
 * wide-integer reference. */
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

/* round(x * mult / 2^shift) half away from zero via truncating division and
 * the remainder, not the add-half-then-shift the kernels use. */
static int64_t ref_rescale(int64_t x, requant_params q)
{
    int64_t p = x * q.mult;
    if (q.shift <= 0) return p * ((int64_t)1 << -q.shift) + q.zero_point;
    int64_t d = (int64_t)1 << q.shift;
    int64_t t = p / d, rem = p % d;
    if (rem < 0) rem = -rem;
    if (2 * rem >= d) t += p < 0 ? -1 : 1;
    return t + q.zero_point;
}

static int8_t ref_sat8(int64_t v)
{
    return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
}

static void test_requant_random_vs_reference(void)
{
    uint64_t s = 7;
    for (int i = 0; i < 200000; i++) {
        requant_params q = {(int32_t)(rng_next(&s) >> 33), (int32_t)(rng_next(&s) % 40) + 1,
                            (int32_t)(rng_next(&s) % 21) - 10};
        int32_t x = (int32_t)rng_next(&s);
        if (k_requant1(x, q) != ref_sat8(ref_rescale(x, q))) {
            CU_FAIL("requant mismatch");
            return;
        }
    }
    /* small shifts and a negative shift exercise both rounding branches */
    for (int32_t x = -3000; x <= 3000; x++)
        for (int32_t sh = -2; sh <= 8; sh++) {
            requant_params q = {3, sh, 0};
            CU_ASSERT_EQUAL_FATAL(k_requant1(x, q), ref_sat8(ref_rescale(x, q)));
        }
}

static void test_requant_rounding_and_saturation(void)
{
    requant_params half = {1, 1, 0};
    CU_ASSERT_EQUAL(k_requant1(1, half), 1);    /* 0.5 -> 1 */
    CU_ASSERT_EQUAL(k_requant1(-1, half), -1);  /* -0.5 -> -1 (away from zero) */
    CU_ASSERT_EQUAL(k_requant1(3, half), 2);    /* 1.5 -> 2 */
    CU_ASSERT_EQUAL(k_requant1(-3, half), -2);
    requant_params id = {1, 0, 0};
    CU_ASSERT_EQUAL(k_requant1(127, id), 127);
    CU_ASSERT_EQUAL(k_requant1(128, id), 127);
    CU_ASSERT_EQUAL(k_requant1(-128, id), -128);
    CU_ASSERT_EQUAL(k_requant1(-129, id), -128);
    CU_ASSERT_EQUAL(k_requant1(INT32_MAX, id), 127);
    CU_ASSERT_EQUAL(k_requant1(INT32_MIN, id), -128);
    requant_params big = {INT32_MAX, 1, 0};
    CU_ASSERT_EQUAL(k_requant1(INT32_MIN, big), -128); /* int64 product, no overflow */
    requant_params zp = {1, 0, 100};
    CU_ASSERT_EQUAL(k_requant1(27, zp), 127);
    CU_ASSERT_EQUAL(k_requant1(28, zp), 127);

    int32_t in[5] = {-1000, -3, 0, 5, 1000};
    int8_t out[5];
    requant_params q = {1, 2, 0};
    op_work w = k_requant(in, out, 5, q);
    for (int i = 0; i < 5; i++) CU_ASSERT_EQUAL(out[i], ref_sat8(ref_rescale(in[i], q)));
    CU_ASSERT_EQUAL(w.bytes_read, 5 * sizeof(int32_t));
    CU_ASSERT_EQUAL(w.bytes_written, 5);
}

static void test_add_mul_vs_reference(void)
{
    enum { N = 4096 };
    int8_t a[N], b[N], o[N];
    uint64_t s = 11;
    for (int i = 0; i < N; i++) {
        a[i] = (int8_t)rng_next(&s);
        b[i] = (int8_t)rng_next(&s);
    }
    requant_params qa = {3, 2, 0}, qb = {5, 3, 1};
    k_add_i8(a, b, o, N, qa, qb);
    int saturated = 0;
    for (int i = 0; i < N; i++) {
        int64_t v = ref_rescale(a[i], qa) + ref_rescale(b[i], qb);
        CU_ASSERT_EQUAL_FATAL(o[i], ref_sat8(v));
        saturated += v > 127 || v < -128;
    }
    CU_ASSERT(saturated > 0); /* the shape reaches both rails */
    requant_params qm = {1, 7, 0};
    k_mul_i8(a, b, o, N, qm);
    for (int i = 0; i < N; i++) CU_ASSERT_EQUAL_FATAL(o[i], ref_sat8(ref_rescale(a[i] * b[i], qm)));
    int8_t ext_a[2] = {-128, -128}, ext_b[2] = {-128, 127}, ext_o[2];
    requant_params one = {1, 0, 0};
    k_mul_i8(ext_a, ext_b, ext_o, 2, one);
    CU_ASSERT_EQUAL(ext_o[0], 127);
    CU_ASSERT_EQUAL(ext_o[1], -128);
}

static void test_relu(void)
{
    int8_t in[256], out[256];
    for (int i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
    k_relu(in, out, 256);
    for (int i = 0; i < 256; i++) CU_ASSERT_EQUAL(out[i], in[i] > 0 ? in[i] : 0);
}

static void test_reduce_wraps_and_commutes(void)
{
    enum { N = 1000, P = 7 };
    int32_t part[P][N];
    uint64_t s = 3;
    for (int p = 0; p < P; p++)
        for (int i = 0; i < N; i++) part[p][i] = (int32_t)rng_next(&s); /* full range: wraps */
    int32_t fwd[N], rev[N], tree[N], tmp[N];
    memcpy(fwd, part[0], sizeof fwd);
    for (int p = 1; p < P; p++) k_reduce_add_i32(fwd, part[p], N);
    memcpy(rev, part[P - 1], sizeof rev);
    for (int p = P - 2; p >= 0; p--) k_reduce_add_i32(rev, part[p], N);
    /* a fan-in-2 tree: (0+1) + ((2+3) + (4+5+6)) */
    memcpy(tree, part[0], sizeof tree);
    k_reduce_add_i32(tree, part[1], N);
    memcpy(tmp, part[4], sizeof tmp);
    k_reduce_add_i32(tmp, part[5], N);
    k_reduce_add_i32(tmp, part[6], N);
    k_reduce_add_i32(tmp, part[2], N);
    k_reduce_add_i32(tmp, part[3], N);
    k_reduce_add_i32(tree, tmp, N);
    for (int i = 0; i < N; i++) {
        int64_t sum = 0;
        for (int p = 0; p < P; p++) sum += part[p][i];
        int32_t want = (int32_t)(uint32_t)((uint64_t)sum & 0xffffffffu);
        CU_ASSERT_EQUAL_FATAL(fwd[i], want);
        CU_ASSERT_EQUAL_FATAL(rev[i], want);
        CU_ASSERT_EQUAL_FATAL(tree[i], want);
    }
}

/* Every int8 value keeps its value as int32 (sign included), the work is one
 * element op per value, and the identity requant takes it back exactly: the
 * embedding lookup's round trip through an int32 reduction. */
static void test_widen(void)
{
    int8_t in[256], back[256];
    int32_t out[256];
    for (int i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
    memset(out, 0x5a, sizeof out);
    op_work w = k_widen_i8_i32(in, out, 256);
    for (int i = 0; i < 256; i++) CU_ASSERT_EQUAL_FATAL(out[i], i - 128);
    CU_ASSERT_EQUAL(w.macs, 0);
    CU_ASSERT_EQUAL(w.elem_ops, 256);
    CU_ASSERT_EQUAL(w.bytes_read, sizeof in);
    CU_ASSERT_EQUAL(w.bytes_written, sizeof out);
    k_requant(out, back, 256, (requant_params){1, 0, 0});
    CU_ASSERT(memcmp(in, back, sizeof in) == 0);
    k_widen_i8_i32(in, out, 0); /* an empty row touches nothing */
    CU_ASSERT_EQUAL(out[0], -128);
}

/* floor sqrt: r^2 <= x < (r+1)^2, checked without overflow. */
static int is_floor_sqrt(uint64_t x, uint32_t r)
{
    uint64_t r2 = (uint64_t)r * r;
    if (r2 > x) return 0;
    uint64_t next = (uint64_t)r + 1;
    return next > 0xffffffffull || next * next > x;
}

static void test_isqrt(void)
{
    for (uint64_t x = 0; x < 70000; x++) CU_ASSERT_FATAL(is_floor_sqrt(x, k_isqrt64(x)));
    uint64_t s = 5;
    for (int i = 0; i < 100000; i++) {
        uint64_t x = rng_next(&s) >> (rng_next(&s) % 64);
        CU_ASSERT_FATAL(is_floor_sqrt(x, k_isqrt64(x)));
    }
    for (uint64_t r = 1; r < 0xffffffffull; r = r * 3 + 1) {
        CU_ASSERT_EQUAL_FATAL(k_isqrt64(r * r), r);
        CU_ASSERT_EQUAL_FATAL(k_isqrt64(r * r - 1), r - 1);
    }
    CU_ASSERT_EQUAL(k_isqrt64(UINT64_MAX), 0xffffffffu);
}

static int register_tests(void)
{
    ADD_SUITE("kernels.scalar", TEST(test_requant_random_vs_reference),
              TEST(test_requant_rounding_and_saturation), TEST(test_add_mul_vs_reference),
              TEST(test_relu), TEST(test_reduce_wraps_and_commutes), TEST(test_widen),
              TEST(test_isqrt));
    return 0;
}

CUNIT_MAIN(register_tests)
