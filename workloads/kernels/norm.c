/* Integer normalisations, one row of `cols` values at a time.
 *
 * gamma is int8 Q(K_GAMMA_FRAC); the normalised value times gamma is formed
 * as int32 Q(K_NORM_FRAC), beta (int32, same format) is added, and q
 * requantises the sum to the output int8.
 *
 * RMSNorm: ss = sum x^2 (int64); mean square in Q24 = (ss << 24) / cols;
 *   rms = isqrt (Q12); inv = round(2^44 / rms) (Q32 of 1/rms, one division
 *   per row); y = x * gamma * inv >> 24. A zero row uses rms = 2^-12 (the
 *   epsilon) and gives 0. The input scale cancels out of x / rms.
 * LayerNorm: S = sum x, Q = sum x^2, D = cols Q - S^2 (exact, = cols^2 var),
 *   (x - mean) / std = (cols x - S) / sqrt(D); sqrt(D) gets R fraction bits
 *   with D << 2R < 2^62. Zero variance (D = 0) gives y = beta exactly.
 * NoNorm (MobileBERT): y = x * gamma + beta with beta in the scale of
 *   x * gamma (input scale * 2^-K_GAMMA_FRAC); no statistics. */
#include "kernels_internal.h"

#define RMS_MS_FRAC 24
#define RMS_FRAC 12
#define INV_FRAC 32
#define NORM_SHIFT (INV_FRAC + K_GAMMA_FRAC - K_NORM_FRAC)

static void rms_row(const int8_t *x, const int8_t *g, int8_t *y, uint32_t cols,
                    requant_params q)
{
    int64_t ss = 0;
    for (uint32_t j = 0; j < cols; j++) ss += (int32_t)x[j] * x[j];
    uint32_t rms = k_isqrt64(((uint64_t)ss << RMS_MS_FRAC) / cols);
    if (rms == 0) rms = 1;
    int64_t inv = k__div_round((int64_t)1 << (INV_FRAC + RMS_FRAC), rms);
    for (uint32_t j = 0; j < cols; j++) {
        int64_t v = k__round_shift((int64_t)x[j] * g[j] * inv, NORM_SHIFT);
        y[j] = k_requant1(k__sat32(v), q);
    }
}

static int bit_length(uint64_t v)
{
    int n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

static void layer_row(const int8_t *x, const int8_t *g, const int32_t *beta, int8_t *y,
                      uint32_t cols, requant_params q)
{
    int64_t s = 0, sq = 0;
    for (uint32_t j = 0; j < cols; j++) {
        s += x[j];
        sq += (int32_t)x[j] * x[j];
    }
    uint64_t d = (uint64_t)((int64_t)cols * sq - s * s);
    int64_t inv = 0;
    if (d > 0) {
        int r = (62 - bit_length(d)) / 2;
        if (r > 16) r = 16;
        uint32_t sd = k_isqrt64(d << (2 * r));
        inv = k__div_round((int64_t)1 << (INV_FRAC + r), sd);
    }
    for (uint32_t j = 0; j < cols; j++) {
        int64_t num = (int64_t)cols * x[j] - s;
        int64_t v = k__round_shift(num * g[j] * inv, NORM_SHIFT) + beta[j];
        y[j] = k_requant1(k__sat32(v), q);
    }
}

op_work k_rmsnorm(const int8_t *in, const int8_t *gamma, int8_t *out, uint32_t rows,
                  uint32_t cols, requant_params q)
{
    for (uint32_t r = 0; cols > 0 && r < rows; r++)
        rms_row(in + (size_t)r * cols, gamma, out + (size_t)r * cols, cols, q);
    uint64_t n = (uint64_t)rows * cols;
    /* x^2 accumulate (MAC); scale multiply + requant; sqrt + division per row */
    return k__work(n, 2 * n, 2 * (uint64_t)rows, n + cols, n);
}

op_work k_layernorm(const int8_t *in, const int8_t *gamma, const int32_t *beta, int8_t *out,
                    uint32_t rows, uint32_t cols, requant_params q)
{
    for (uint32_t r = 0; cols > 0 && r < rows; r++)
        layer_row(in + (size_t)r * cols, gamma, beta, out + (size_t)r * cols, cols, q);
    uint64_t n = (uint64_t)rows * cols;
    /* x^2 accumulate (MAC); sum, centre, scale multiply, beta add + requant;
     * sqrt + division per row */
    return k__work(n, 4 * n, 2 * (uint64_t)rows, n + cols + 4ull * cols, n);
}

op_work k_nonorm(const int8_t *in, const int8_t *gamma, const int32_t *beta, int8_t *out,
                 uint32_t rows, uint32_t cols, requant_params q)
{
    for (uint32_t r = 0; r < rows; r++) {
        const int8_t *x = in + (size_t)r * cols;
        int8_t *y = out + (size_t)r * cols;
        for (uint32_t j = 0; j < cols; j++)
            y[j] = k_requant1(k__sat32((int64_t)x[j] * gamma[j] + beta[j]), q);
    }
    uint64_t n = (uint64_t)rows * cols;
    /* gamma MAC with beta; requant */
    return k__work(n, n, 0, n + cols + 4ull * cols, n);
}
