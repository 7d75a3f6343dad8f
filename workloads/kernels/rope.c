/* Integer rotary position embedding (llama2.c convention: adjacent pairs
 * (2i, 2i+1) of each head rotate by pos * 10000^(-2i / head_dim)).
 *
 * cos/sin are computed with integer arithmetic only (Q30 in int64): the
 * frequency by range reduction and a Taylor series of exp, the angle reduced
 * to [-pi/4, pi/4] around the nearest quadrant, then Taylor series of sin and
 * cos. No libm, so the Q14 table is bit-identical on every host. The
 * constants are round(c * 2^30). Angle error grows with pos (about 1e-6 rad
 * at pos 4096), far below the Q14 step of 6e-5. */
#include "kernels_internal.h"

#define Q30 30
#define ONE_Q30 ((int64_t)1 << Q30)
#define HALF_PI_Q30 1686629713LL
#define LN2_Q30 744261118LL
#define LN_10000_Q30 9889527671LL

static int64_t mul_q30(int64_t a, int64_t b)
{
    return k__round_shift(a * b, Q30);
}

/* exp(e) for e <= 0 in Q30. */
static int64_t exp_q30(int64_t e)
{
    int64_t q = -e / LN2_Q30;
    int64_t r = e + q * LN2_Q30; /* (-ln2, 0] */
    int64_t term = ONE_Q30, sum = ONE_Q30;
    for (int n = 1; n <= 14; n++) {
        term = k__div_round(mul_q30(term, r), n);
        sum += term;
    }
    return q > 62 ? 0 : k__round_shift(sum, (int32_t)q);
}

static void sincos_q30(int64_t theta, int64_t *c, int64_t *s)
{
    int64_t k = (theta + HALF_PI_Q30 / 2) / HALF_PI_Q30; /* theta >= 0 */
    int64_t r = theta - k * HALF_PI_Q30;                /* [-pi/4, pi/4] */
    int64_t r2 = mul_q30(r, r);
    int64_t st = r, sv = r, ct = ONE_Q30, cv = ONE_Q30;
    for (int n = 1; n <= 7; n++) {
        st = -k__div_round(mul_q30(st, r2), (2 * n) * (2 * n + 1));
        ct = -k__div_round(mul_q30(ct, r2), (2 * n - 1) * (2 * n));
        sv += st;
        cv += ct;
    }
    switch (k & 3) {
    case 0: *c = cv; *s = sv; break;
    case 1: *c = -sv; *s = cv; break;
    case 2: *c = -cv; *s = -sv; break;
    default: *c = sv; *s = -cv; break;
    }
}

static int16_t to_q14(int64_t v)
{
    int64_t r = k__round_shift(v, Q30 - K_ROPE_FRAC);
    int64_t one = (int64_t)1 << K_ROPE_FRAC;
    return (int16_t)(r > one ? one : r < -one ? -one : r);
}

static int64_t omega_q30(uint32_t pair, uint32_t head_dim)
{
    return exp_q30(-k__div_round(LN_10000_Q30 * 2 * (int64_t)pair, head_dim));
}

void k_rope_sincos(uint32_t pos, uint32_t pair, uint32_t head_dim, int16_t *cos_q14,
                   int16_t *sin_q14)
{
    int64_t c, s;
    sincos_q30((int64_t)pos * omega_q30(pair, head_dim), &c, &s);
    *cos_q14 = to_q14(c);
    *sin_q14 = to_q14(s);
}

op_work k_rope(int8_t *x, uint32_t rows, uint32_t heads, uint32_t head_dim, uint32_t pos0)
{
    size_t row_len = (size_t)heads * head_dim;
    for (uint32_t i = 0; i < head_dim / 2; i++) {
        int64_t w = omega_q30(i, head_dim);
        for (uint32_t r = 0; r < rows; r++) {
            int64_t c64, s64;
            sincos_q30((int64_t)(pos0 + (uint64_t)r) * w, &c64, &s64);
            int32_t c = to_q14(c64), s = to_q14(s64);
            int8_t *row = x + r * row_len + 2 * i;
            for (uint32_t h = 0; h < heads; h++) {
                int8_t *v = row + (size_t)h * head_dim;
                int32_t x0 = v[0], x1 = v[1];
                v[0] = k__sat8(k__round_shift((int64_t)x0 * c - (int64_t)x1 * s, K_ROPE_FRAC));
                v[1] = k__sat8(k__round_shift((int64_t)x0 * s + (int64_t)x1 * c, K_ROPE_FRAC));
            }
        }
    }
    uint64_t n = (uint64_t)rows * row_len;
    /* 2 MACs per value, round + saturate per value, one sin/cos pair per
     * (row, frequency) shared by all heads */
    return k__work(2 * n, n, (uint64_t)rows * (head_dim / 2), n, n);
}
