/* Integer activations on int8 with the fixed input scale 2^-K_ACT_IN_FRAC.
 *
 * GELU (I-BERT): erf(u) ~ sign(u) [a (min(|u|, -b) + b)^2 + 1], a = -0.2888,
 *   b = -1.769, u = x / sqrt(2); GELU(x) = x (1 + erf(u)) / 2. All in Q14
 *   with the constants rounded to Q14: 1/sqrt2 = 11585, |b| = 28983,
 *   |a| = 4732.
 * SiLU: x * sigmoid(x), sigmoid from the I-BERT integer exp of -|x| (Q20):
 *   sigmoid(|x|) = 2^40 / (2^20 + e), sigmoid(-|x|) = 1 - sigmoid(|x|).
 * Both produce int32 Q(K_ACT_OUT_FRAC) which the op's q requantises to int8.
 * An int8 input has 256 values, so long vectors go through a 256-entry table
 * of the same function: bit-identical to the direct path, and faster. */
#include "kernels_internal.h"

#define Q14_ONE (1 << 14)
#define GELU_INV_SQRT2 11585
#define GELU_B 28983
#define GELU_A (-4732)
#define ACT_SHIFT (K_ACT_OUT_FRAC - K_ACT_IN_FRAC)
#define SIG_BITS 20

_Static_assert(K_ACT_OUT_FRAC == 14, "GELU constants are Q14");

static int32_t gelu_q14(int8_t x)
{
    int64_t xv = (int64_t)x * (1 << ACT_SHIFT);
    int64_t u = k__round_shift(xv * GELU_INV_SQRT2, 14);
    int64_t au = u < 0 ? -u : u;
    int64_t t = (au < GELU_B ? au : GELU_B) - GELU_B;
    int64_t l = k__round_shift(GELU_A * t * t, 28) + Q14_ONE;
    int64_t erf = u < 0 ? -l : l;
    return (int32_t)k__round_shift(xv * (Q14_ONE + erf), 15);
}

static int32_t silu_q14(int8_t x, const k__iexp_consts *c)
{
    int64_t xv = (int64_t)x * (1 << ACT_SHIFT);
    int64_t e = k__iexp(xv < 0 ? xv : -xv, c);
    int64_t one = (int64_t)1 << SIG_BITS;
    int64_t sig_pos = k__div_round(one << SIG_BITS, one + e);
    int64_t sig = xv < 0 ? one - sig_pos : sig_pos;
    return (int32_t)k__round_shift(xv * sig, SIG_BITS);
}

typedef enum { ACT_FN_GELU, ACT_FN_SILU } act_fn;

static int8_t act_eval(act_fn f, int8_t x, requant_params q, const k__iexp_consts *c)
{
    int32_t v = f == ACT_FN_GELU ? gelu_q14(x) : silu_q14(x, c);
    return k_requant1(v, q);
}

static void act_apply(act_fn f, const int8_t *in, int8_t *out, size_t count, requant_params q)
{
    k__iexp_consts c = k__iexp_prepare(K_ACT_OUT_FRAC, SIG_BITS);
    if (count <= 256) {
        for (size_t i = 0; i < count; i++) out[i] = act_eval(f, in[i], q, &c);
        return;
    }
    int8_t lut[256];
    for (int v = -128; v < 128; v++) lut[(uint8_t)v] = act_eval(f, (int8_t)v, q, &c);
    for (size_t i = 0; i < count; i++) out[i] = lut[(uint8_t)in[i]];
}

/* Work is priced per element as the MCU computes it (no table):
 * GELU: scale, abs, min, subtract, square, multiply, add, multiply, requant.
 * SiLU: scale, multiply, requant + one exp and one division. */
op_work k_gelu(const int8_t *in, int8_t *out, size_t count, requant_params q)
{
    act_apply(ACT_FN_GELU, in, out, count, q);
    return k__work(0, 9 * (uint64_t)count, 0, count, count);
}

op_work k_silu(const int8_t *in, int8_t *out, size_t count, requant_params q)
{
    act_apply(ACT_FN_SILU, in, out, count, q);
    return k__work(0, 3 * (uint64_t)count, 2 * (uint64_t)count, count, count);
}

op_work k_relu(const int8_t *in, int8_t *out, size_t count)
{
    for (size_t i = 0; i < count; i++) out[i] = in[i] > 0 ? in[i] : 0;
    return k__work(0, count, 0, count, count);
}
