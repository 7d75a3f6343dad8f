/* Deterministic pseudo-random tensors and the dims-only quantisation rules. */
#include <math.h>

#include "partition_internal.h"

/* splitmix64 (Steele, Lea, Flood 2014; the seeding generator of xoshiro):
 * a bijective 64-bit mixer, so counter inputs give independent-looking
 * outputs and any element is computed on its own. */
uint64_t wl_splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static uint64_t stream_key(uint64_t seed, uint32_t layer, uint32_t tensor)
{
    return wl_splitmix64(wl_splitmix64(seed) ^ ((uint64_t)layer << 32 | tensor));
}

int8_t wl_rand_i8(uint64_t seed, uint32_t layer, uint32_t tensor, uint64_t index)
{
    return (int8_t)(uint8_t)(wl_splitmix64(stream_key(seed, layer, tensor) + index) >> 56);
}

void wl_fill_slice_i8(int8_t *dst, uint64_t seed, uint32_t layer, uint32_t tensor,
                      uint64_t full_cols, uint32_t r0, uint32_t c0, uint32_t rows, uint32_t cols)
{
    uint64_t key = stream_key(seed, layer, tensor);
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t c = 0; c < cols; c++) {
            uint64_t idx = (uint64_t)(r0 + r) * full_cols + c0 + c;
            dst[(size_t)r * cols + c] = (int8_t)(uint8_t)(wl_splitmix64(key + idx) >> 56);
        }
}

uint32_t wl_token(uint64_t seed, uint64_t pos, uint64_t vocab)
{
    /* modulo bias below 2^-39 for any vocab the dims allow (< 2^25) */
    return (uint32_t)(wl_splitmix64(stream_key(seed, 0, T_TOKEN) + pos) % vocab);
}

requant_params wl_q_scale(double scale)
{
    requant_params q = {1, 1, 0};
    if (!(scale > 0)) return q;
    int e;
    double m = frexp(scale, &e); /* scale = m * 2^e, m in [0.5, 1) */
    int32_t shift = 15 - e;
    int32_t mult = (int32_t)lround(m * 32768.0);
    /* keep the shift in the kernels' supported 0..62 by trading mantissa bits */
    while (shift < 0) { mult <<= 1; shift++; }
    while (shift > 62) { mult >>= 1; shift--; }
    if (mult < 1) mult = 1;
    q.mult = mult;
    q.shift = shift;
    return q;
}

/* Target rms of an int8 activation after requantisation: 16 = 1.0 in the
 * kernels' activation format (K_ACT_IN_FRAC 4), leaving 8x headroom before
 * saturation (engineering choice, not fitted). */
#define WL_TARGET_RMS 16.0

requant_params wl_q_dot(uint64_t k, double rms_a, double rms_b)
{
    double rms_sum = sqrt((double)k) * rms_a * rms_b;
    return wl_q_scale(WL_TARGET_RMS / rms_sum);
}
