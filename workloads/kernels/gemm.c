/* int8 x int8 -> int32 GEMM / GEMV.
 *
 * Two loop orders, both exact (integer sums do not depend on order):
 *  - dot form: C[i][j] = A_i . Bt_j over k. Both operands are contiguous in k,
 *    so gcc turns the widening multiply-add into pmaddwd/vpdpwssd-class code.
 *    Used directly when B is stored transposed (n x k), and after packing a
 *    panel of B columns into a transposed scratch block otherwise.
 *  - axpy form: C_i += a_ip * B_p, streaming rows of B. Used for few rows of
 *    A with B stored k x n (the GEMV case), where packing B would cost as much
 *    as the product itself.
 * Panels of PANEL_N rows of Bt (PANEL_N * k bytes) stay in L1/L2 while every
 * row of A passes over them.
 * On x86-64 with GCC the hot loops are built for AVX-512/AVX2/baseline and
 * picked at load time; integer results are identical on every path. */
#include <stdlib.h>

#include "kernels_internal.h"

/* The kernel runs for every simulated op: keep it vectorised even in -O2 or
 * Debug builds of the rest of the project. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

#define PANEL_N 64
#define AXPY_MAX_M 4

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    !defined(__SANITIZE_ADDRESS__)
#define K_MULTIVERSION __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define K_MULTIVERSION
#endif

static inline __attribute__((always_inline)) void dot4(const int8_t *a, const int8_t *b0,
                                                       const int8_t *b1, const int8_t *b2,
                                                       const int8_t *b3, uint32_t k,
                                                       int32_t out[4])
{
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (uint32_t p = 0; p < k; p++) {
        int32_t av = a[p];
        s0 += av * b0[p];
        s1 += av * b1[p];
        s2 += av * b2[p];
        s3 += av * b3[p];
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
}

static inline __attribute__((always_inline)) int32_t dot1(const int8_t *a, const int8_t *b,
                                                          uint32_t k)
{
    int32_t s = 0;
    for (uint32_t p = 0; p < k; p++) s += (int32_t)a[p] * b[p];
    return s;
}

static inline __attribute__((always_inline)) void store(int32_t *c, int32_t v, bool accumulate)
{
    *c = accumulate ? (int32_t)((uint32_t)*c + (uint32_t)v) : v;
}

/* C[0..m)[j0..j0+nb) from Bt rows bt + j*ldbt (j relative to j0). */
K_MULTIVERSION
static void gemm_dot_panel(const int8_t *a, size_t lda, const int8_t *bt, size_t ldbt,
                           int32_t *c, size_t ldc, uint32_t m, uint32_t nb, uint32_t k,
                           bool accumulate)
{
    for (uint32_t i = 0; i < m; i++) {
        const int8_t *ai = a + (size_t)i * lda;
        int32_t *ci = c + (size_t)i * ldc;
        uint32_t j = 0;
        for (; j + 4 <= nb; j += 4) {
            int32_t s[4];
            const int8_t *b = bt + (size_t)j * ldbt;
            dot4(ai, b, b + ldbt, b + 2 * ldbt, b + 3 * ldbt, k, s);
            for (int t = 0; t < 4; t++) store(&ci[j + t], s[t], accumulate);
        }
        for (; j < nb; j++) store(&ci[j], dot1(ai, bt + (size_t)j * ldbt, k), accumulate);
    }
}

K_MULTIVERSION
static void gemm_axpy(const int8_t *a, size_t lda, const int8_t *b, size_t ldb, int32_t *c,
                      size_t ldc, uint32_t m, uint32_t n, uint32_t k, bool accumulate)
{
    for (uint32_t i = 0; i < m; i++) {
        const int8_t *ai = a + (size_t)i * lda;
        int32_t *ci = c + (size_t)i * ldc;
        if (!accumulate)
            for (uint32_t j = 0; j < n; j++) ci[j] = 0;
        for (uint32_t p = 0; p < k; p++) {
            int16_t av = ai[p];
            const int8_t *bp = b + (size_t)p * ldb;
            /* |a*b| <= 2^14 fits int16: narrow multiply, then widen. */
            for (uint32_t j = 0; j < n; j++)
                ci[j] = (int32_t)((uint32_t)ci[j] + (uint32_t)(int16_t)(av * bp[j]));
        }
    }
}

static void pack_transposed(const int8_t *b, size_t ldb, uint32_t j0, uint32_t nb, uint32_t k,
                            int8_t *bt)
{
    for (uint32_t p = 0; p < k; p++) {
        const int8_t *row = b + (size_t)p * ldb + j0;
        for (uint32_t j = 0; j < nb; j++) bt[(size_t)j * k + p] = row[j];
    }
}

op_work k_gemm_i8(const int8_t *a, size_t lda, const int8_t *b, size_t ldb, bool trans_b,
                  int32_t *c, size_t ldc, uint32_t m, uint32_t n, uint32_t k, bool accumulate)
{
    op_work w = k__work((uint64_t)m * n * k, accumulate ? (uint64_t)m * n : 0, 0,
                        (uint64_t)m * k + (uint64_t)k * n + (accumulate ? 4ull * m * n : 0),
                        4ull * m * n);
    if (m == 0 || n == 0) return w;
    if (trans_b) {
        for (uint32_t j0 = 0; j0 < n; j0 += PANEL_N) {
            uint32_t nb = n - j0 < PANEL_N ? n - j0 : PANEL_N;
            gemm_dot_panel(a, lda, b + (size_t)j0 * ldb, ldb, c + j0, ldc, m, nb, k, accumulate);
        }
        return w;
    }
    int8_t *bt = m > AXPY_MAX_M && k > 0 ? malloc((size_t)PANEL_N * k) : NULL;
    if (!bt) {
        gemm_axpy(a, lda, b, ldb, c, ldc, m, n, k, accumulate);
        return w;
    }
    for (uint32_t j0 = 0; j0 < n; j0 += PANEL_N) {
        uint32_t nb = n - j0 < PANEL_N ? n - j0 : PANEL_N;
        pack_transposed(b, ldb, j0, nb, k, bt);
        gemm_dot_panel(a, lda, bt, k, c + j0, ldc, m, nb, k, accumulate);
    }
    free(bt);
    return w;
}
