/* Host throughput of the integer kernels: how fast the simulator itself can
 * execute a simulated op. Prints GMAC/s for the TinyLlama decode GEMV and a
 * prompt-mode GEMM, and ns/element for the other kernels. Figures depend on
 * the host; nothing here is a simulated result. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernels.h"

#define MIN_SECONDS 0.3

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fill(void *p, size_t n, uint32_t seed)
{
    uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        b[i] = (uint8_t)(seed >> 24);
    }
}

/* Repeats stmt until MIN_SECONDS have passed; sets out to seconds per call. */
#define TIME_IT(out, stmt)                                              \
    do {                                                                \
        long reps_ = 0;                                                 \
        double t0_ = now_s(), dt_;                                      \
        do {                                                            \
            stmt;                                                       \
            reps_++;                                                    \
        } while ((dt_ = now_s() - t0_) < MIN_SECONDS);                  \
        (out) = dt_ / (double)reps_;                                    \
    } while (0)

static int bench_gemm(const char *what, uint32_t m, uint32_t n, uint32_t k, bool tb)
{
    int8_t *a = malloc((size_t)m * k), *b = malloc((size_t)k * n);
    int32_t *c = malloc(sizeof *c * (size_t)m * n);
    if (!a || !b || !c) return -1;
    fill(a, (size_t)m * k, 1);
    fill(b, (size_t)k * n, 2);
    double t;
    TIME_IT(t, k_gemm_i8(a, k, b, tb ? k : n, tb, c, n, m, n, k, false));
    printf("gemm  %-28s %4ux%-4u x %4ux%-4u %s  %7.2f GMAC/s\n", what, m, k, k, n,
           tb ? "B^T" : "B  ", (double)m * n * k / t * 1e-9);
    free(a);
    free(b);
    free(c);
    return 0;
}

static void per_elem(const char *what, double t, size_t n)
{
    printf("%-40s %10zu elems  %7.2f ns/elem\n", what, n, t / (double)n * 1e9);
}

int main(void)
{
    if (bench_gemm("GEMV (TinyLlama decode)", 1, 512, 512, false) ||
        bench_gemm("GEMV (TinyLlama decode)", 1, 512, 512, true) ||
        bench_gemm("GEMM (prompt, FFN up)", 128, 1376, 512, false) ||
        bench_gemm("GEMM (prompt, FFN up)", 128, 1376, 512, true))
        return 1;

    enum { S = 128, E = 512, F = 1376 };
    int32_t *scores = malloc(sizeof *scores * S * S);
    uint8_t *probs = malloc(S * S);
    int8_t *x = malloc((size_t)S * F), *y = malloc((size_t)S * F), *g = malloc(E);
    int32_t *beta = calloc(E, sizeof *beta);
    if (!scores || !probs || !x || !y || !g || !beta) return 1;
    fill(scores, sizeof *scores * S * S, 3);
    for (int i = 0; i < S * S; i++) scores[i] %= 30000;
    fill(x, (size_t)S * F, 4);
    fill(g, E, 5);
    requant_params sm = {1, 4, 0}, q = {1, 10, 0};

    double t;
    TIME_IT(t, k_softmax_i32_u8(scores, probs, S, S, sm, true, 0));
    per_elem("softmax 128x128 (causal)", t, S * S);
    TIME_IT(t, k_softmax_i32_u8(scores, probs, S, S, sm, false, 0));
    per_elem("softmax 128x128 (full)", t, S * S);
    TIME_IT(t, k_rmsnorm(x, g, y, S, E, q));
    per_elem("rmsnorm 128x512", t, (size_t)S * E);
    TIME_IT(t, k_layernorm(x, g, beta, y, S, E, q));
    per_elem("layernorm 128x512", t, (size_t)S * E);
    TIME_IT(t, k_silu(x, y, (size_t)S * F, q));
    per_elem("silu 128x1376", t, (size_t)S * F);
    TIME_IT(t, k_gelu(x, y, (size_t)S * F, q));
    per_elem("gelu 128x1376", t, (size_t)S * F);
    TIME_IT(t, k_silu(x, y, 256, q));
    per_elem("silu 1x256 (direct, no table)", t, 256);
    TIME_IT(t, k_rope(x, S, 8, 64, 0));
    per_elem("rope 128x(8 heads x 64)", t, (size_t)S * E);

    free(scores);
    free(probs);
    free(x);
    free(y);
    free(g);
    free(beta);
    return 0;
}
