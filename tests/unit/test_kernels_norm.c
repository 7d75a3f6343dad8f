/* RMSNorm, LayerNorm and NoNorm against double precision.
 * gamma real = g / 2^K_GAMMA_FRAC; the kernels form n * gamma (+ beta) in
 * Q(K_NORM_FRAC) and requantise with q. Reference: the same quantities in
 * double, requantised with round-half-away and saturation. Bound: 1 output
 * LSB (0.5 rounding plus the Q12 rms / Q32 reciprocal errors, each far below
 * 0.5 LSB for the q used here). NoNorm is exact integer arithmetic. */
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

/* v (real, already in Q(K_NORM_FRAC) units) -> int8 as the op's q would. */
static double ref_out(double v, requant_params q)
{
    double r = v * q.mult / ldexp(1.0, q.shift);
    r = (r < 0 ? -floor(-r + 0.5) : floor(r + 0.5)) + q.zero_point;
    return r > 127 ? 127 : r < -128 ? -128 : r;
}

enum { R = 6, C = 96 };

static void make_rows(int8_t *x, int8_t *g, int32_t *beta, uint64_t seed, int amp)
{
    uint64_t s = seed;
    for (int i = 0; i < R * C; i++) x[i] = (int8_t)((int)(rng_next(&s) % (2 * amp + 1)) - amp);
    for (int j = 0; j < C; j++) {
        g[j] = (int8_t)rng_next(&s);
        beta[j] = (int32_t)(rng_next(&s) % 40001) - 20000;
    }
}

static void test_rmsnorm_vs_double(void)
{
    int8_t x[R * C], g[C], y[R * C];
    int32_t beta[C];
    const int amps[] = {1, 5, 127};
    const requant_params qs[] = {{1, 10, 0}, {3, 12, -4}, {1, 8, 0}};
    for (int a = 0; a < 3; a++)
        for (int qi = 0; qi < 3; qi++) {
            make_rows(x, g, beta, 100 + a, amps[a]);
            k_rmsnorm(x, g, y, R, C, qs[qi]);
            for (int r = 0; r < R; r++) {
                double ss = 0;
                for (int j = 0; j < C; j++) ss += (double)x[r * C + j] * x[r * C + j];
                double rms = sqrt(ss / C);
                for (int j = 0; j < C; j++) {
                    double n = rms > 0 ? x[r * C + j] / rms : 0;
                    double v = n * g[j] / (1 << K_GAMMA_FRAC) * (1 << K_NORM_FRAC);
                    CU_ASSERT(fabs(y[r * C + j] - ref_out(v, qs[qi])) <= 1.0);
                }
            }
        }
}

static void test_layernorm_vs_double(void)
{
    int8_t x[R * C], g[C], y[R * C];
    int32_t beta[C];
    const int amps[] = {1, 5, 127};
    const requant_params qs[] = {{1, 10, 0}, {3, 12, -4}, {1, 8, 0}};
    for (int a = 0; a < 3; a++)
        for (int qi = 0; qi < 3; qi++) {
            make_rows(x, g, beta, 200 + a, amps[a]);
            for (int j = 0; j < R * C; j += 5) x[j] = (int8_t)(x[j] / 2 + 40); /* offset mean */
            k_layernorm(x, g, beta, y, R, C, qs[qi]);
            for (int r = 0; r < R; r++) {
                double mean = 0, var = 0;
                for (int j = 0; j < C; j++) mean += x[r * C + j];
                mean /= C;
                for (int j = 0; j < C; j++) var += pow(x[r * C + j] - mean, 2);
                double sd = sqrt(var / C);
                for (int j = 0; j < C; j++) {
                    double n = sd > 0 ? (x[r * C + j] - mean) / sd : 0;
                    double v = n * g[j] / (1 << K_GAMMA_FRAC) * (1 << K_NORM_FRAC) + beta[j];
                    CU_ASSERT(fabs(y[r * C + j] - ref_out(v, qs[qi])) <= 1.0);
                }
            }
        }
}

static void test_zero_variance_and_zero_rows(void)
{
    int8_t x[R * C], g[C], y[R * C];
    int32_t beta[C];
    make_rows(x, g, beta, 3, 10);
    requant_params q = {1, 10, 3};
    memset(x, 0, sizeof x);
    k_rmsnorm(x, g, y, R, C, q);
    for (int i = 0; i < R * C; i++) CU_ASSERT_EQUAL(y[i], 3); /* 0 + zero point */
    memset(x, -7, sizeof x);                                    /* constant row */
    k_layernorm(x, g, beta, y, R, C, q);
    for (int i = 0; i < R * C; i++) CU_ASSERT_EQUAL(y[i], k_requant1(beta[i % C], q));
}

static void test_norm_saturates(void)
{
    int8_t x[C], g[C], y[C];
    int32_t beta[C];
    for (int j = 0; j < C; j++) {
        x[j] = (int8_t)(j % 2 ? 100 : -100);
        g[j] = 127;
        beta[j] = 0;
    }
    requant_params q = {1, 4, 0}; /* |n gamma| ~ 2 in Q10: far beyond int8 */
    k_rmsnorm(x, g, y, 1, C, q);
    for (int j = 0; j < C; j++) CU_ASSERT_EQUAL(y[j], j % 2 ? 127 : -128);
    k_layernorm(x, g, beta, y, 1, C, q);
    for (int j = 0; j < C; j++) CU_ASSERT_EQUAL(y[j], j % 2 ? 127 : -128);
}

static void test_nonorm_exact(void)
{
    int8_t x[R * C], g[C], y[R * C];
    int32_t beta[C];
    make_rows(x, g, beta, 9, 127);
    requant_params q = {5, 9, 1};
    op_work w = k_nonorm(x, g, beta, y, R, C, q);
    for (int i = 0; i < R * C; i++) {
        double v = (double)x[i] * g[i % C] + beta[i % C];
        CU_ASSERT_EQUAL(y[i], ref_out(v, q));
    }
    CU_ASSERT_EQUAL(w.bytes_written, (uint64_t)R * C);
}

static int register_tests(void)
{
    ADD_SUITE("kernels.norm", TEST(test_rmsnorm_vs_double), TEST(test_layernorm_vs_double),
              TEST(test_zero_variance_and_zero_rows), TEST(test_norm_saturates),
              TEST(test_nonorm_exact));
    return 0;
}

CUNIT_MAIN(register_tests)
