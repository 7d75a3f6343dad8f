/* GEMM against a naive int64 triple loop: exact equality is the bound. */
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

static void fill_i8(int8_t *p, size_t n, uint64_t *s)
{
    for (size_t i = 0; i < n; i++) p[i] = (int8_t)(rng_next(s) & 0xff);
}

/* Reference: C = (accumulate ? C0 : 0) + A*B, every product in int64. */
static void ref_gemm(const int8_t *a, size_t lda, const int8_t *b, size_t ldb, bool tb,
                     const int32_t *c0, int64_t *c, size_t ldc, uint32_t m, uint32_t n,
                     uint32_t k, bool acc)
{
    for (uint32_t i = 0; i < m; i++)
        for (uint32_t j = 0; j < n; j++) {
            int64_t s = acc ? c0[i * ldc + j] : 0;
            for (uint32_t p = 0; p < k; p++)
                s += (int64_t)a[i * lda + p] * (tb ? b[j * ldb + p] : b[p * ldb + j]);
            c[i * ldc + j] = s;
        }
}

/* Runs one shape with padded strides; returns the number of mismatches.
 * Entries of C outside the m x n window must stay untouched. */
static int check_shape(uint32_t m, uint32_t n, uint32_t k, bool tb, bool acc, uint32_t pad,
                       uint64_t seed)
{
    size_t lda = k + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
    size_t brows = tb ? n : k;
    int8_t *a = malloc(m * lda + 1), *b = malloc(brows * ldb + 1);
    int32_t *c = malloc(sizeof *c * (m * ldc + 1)), *c0 = malloc(sizeof *c0 * (m * ldc + 1));
    int64_t *r = malloc(sizeof *r * (m * ldc + 1));
    uint64_t s = seed;
    fill_i8(a, m * lda, &s);
    fill_i8(b, brows * ldb, &s);
    for (size_t i = 0; i < m * ldc; i++) c0[i] = c[i] = (int32_t)(rng_next(&s) % 2000001) - 1000000;
    ref_gemm(a, lda, b, ldb, tb, c0, r, ldc, m, n, k, acc);
    op_work w = k_gemm_i8(a, lda, b, ldb, tb, c, ldc, m, n, k, acc);
    int bad = 0;
    for (uint32_t i = 0; i < m; i++)
        for (uint32_t j = 0; j < ldc; j++) {
            int64_t want = j < n ? r[i * ldc + j] : c0[i * ldc + j];
            bad += c[i * ldc + j] != want;
        }
    bad += w.macs != (uint64_t)m * n * k;
    free(a);
    free(b);
    free(c);
    free(c0);
    free(r);
    return bad;
}

static void test_shapes_all_paths(void)
{
    /* m <= 4 with plain B takes the row-streaming path, larger m packs B;
     * n not a multiple of 4 or of the 64-column panel exercises the tails. */
    const uint32_t shapes[][3] = {{1, 1, 1},  {1, 7, 1},    {3, 5, 9},   {4, 64, 33},
                                  {5, 65, 17}, {17, 130, 31}, {8, 4, 128}, {1, 200, 300},
                                  {33, 1, 7},  {2, 3, 513}};
    uint64_t seed = 1;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        for (int tb = 0; tb < 2; tb++)
            for (int acc = 0; acc < 2; acc++)
                for (uint32_t pad = 0; pad < 6; pad += 5)
                    CU_ASSERT_EQUAL(check_shape(shapes[i][0], shapes[i][1], shapes[i][2], tb, acc,
                                                pad, seed++),
                                    0);
}

static void test_extreme_values(void)
{
    /* -128 * -128 summed over k is the largest magnitude the contract allows. */
    enum { M = 6, N = 70, K = 512 };
    static int8_t a[M * K], b[K * N];
    static int32_t c[M * N];
    for (int tb = 0; tb < 2; tb++) {
        for (size_t i = 0; i < M * K; i++) a[i] = -128;
        for (size_t i = 0; i < K * N; i++) b[i] = (i % 2) ? -128 : 127;
        k_gemm_i8(a, K, b, tb ? K : N, tb, c, N, M, N, K, false);
        for (uint32_t j = 0; j < N; j++) {
            int64_t want = 0;
            for (uint32_t p = 0; p < K; p++)
                want += -128 * (int64_t)(tb ? b[j * K + p] : b[p * N + j]);
            CU_ASSERT_EQUAL(c[j], want);
            CU_ASSERT_EQUAL(c[(M - 1) * N + j], want);
        }
    }
}

static void test_k_split_accumulates_to_whole(void)
{
    /* The tensor-parallel invariant: splitting K into chunks and accumulating
     * gives exactly the unsplit product. */
    enum { M = 9, N = 37, K = 100 };
    static int8_t a[M * K], b[K * N];
    static int32_t whole[M * N], split[M * N];
    uint64_t s = 42;
    fill_i8(a, sizeof a, &s);
    fill_i8(b, sizeof b, &s);
    k_gemm_i8(a, K, b, N, false, whole, N, M, N, K, false);
    const uint32_t cuts[] = {0, 13, 50, 51, 100};
    for (int i = 0; i < 4; i++)
        k_gemm_i8(a + cuts[i], K, b + (size_t)cuts[i] * N, N, false, split, N, M, N,
                  cuts[i + 1] - cuts[i], i > 0);
    CU_ASSERT_EQUAL(memcmp(whole, split, sizeof whole), 0);
}

static int register_tests(void)
{
    ADD_SUITE("kernels.gemm", TEST(test_shapes_all_paths), TEST(test_extreme_values),
              TEST(test_k_split_accumulates_to_whole));
    return 0;
}

CUNIT_MAIN(register_tests)
