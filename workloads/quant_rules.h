/* Requantisation rules of the partitioned models, from dims only: a scale is
 * never derived from the data of a slice, so every chip count quantises the
 * same way and N-chip outputs stay bit-identical to 1 chip.
 * Activation format: real x = int8 / 2^K_ACT_IN_FRAC (rms ~ 1.0 = 16). */
#ifndef MCUSIM_QUANT_RULES_H
#define MCUSIM_QUANT_RULES_H

#include <math.h>

#include "kernels/kernels.h"
#include "partition_internal.h"

#define WLQ_ACT_RMS ((double)(1 << K_ACT_IN_FRAC))
/* rms of a uniform int8 weight: sqrt((256^2 - 1) / 12) */
#define WLQ_W_RMS 73.9

static inline requant_params wlq_identity(void)
{
    requant_params q = {1, 0, 0};
    return q;
}
/* x(K) · W(K×n) back to activation scale */
static inline requant_params wlq_proj(uint64_t k)
{
    return wl_q_dot(k, WLQ_ACT_RMS, WLQ_W_RMS);
}
/* scores q·k -> softmax logit Q(K_SOFTMAX_FRAC) of q·k / sqrt(P) in real units */
static inline requant_params wlq_softmax(uint64_t head_dim)
{
    return wl_q_scale((double)(1 << K_SOFTMAX_FRAC) /
                      (WLQ_ACT_RMS * WLQ_ACT_RMS * sqrt((double)head_dim)));
}
/* probs (u8 halved to 0..127 ~ 1.0 by exec) · V: a weighted mean times 127 */
static inline requant_params wlq_ctx(void)
{
    return wl_q_scale(1.0 / 127.0);
}
/* activation result Q(K_ACT_OUT_FRAC) -> activation scale */
static inline requant_params wlq_act(void)
{
    return wl_q_scale(WLQ_ACT_RMS / (double)(1 << K_ACT_OUT_FRAC));
}
/* product of two activations -> activation scale */
static inline requant_params wlq_mul(void)
{
    return wl_q_scale(1.0 / WLQ_ACT_RMS);
}
/* normalised value · gamma, Q(K_NORM_FRAC) -> activation scale */
static inline requant_params wlq_norm(void)
{
    return wl_q_scale(WLQ_ACT_RMS / (double)(1 << K_NORM_FRAC));
}

/* NoNorm y = x·gamma + beta, with x·gamma in Q(K_GAMMA_FRAC) -> activation scale */
static inline requant_params wlq_nonorm(void)
{
    return wl_q_scale(1.0 / (double)(1 << K_GAMMA_FRAC));
}
/* NoNorm does not normalise: each residual add scales both unit-rms terms by
 * 1/sqrt(2) so the stream keeps unit rms through the 7 adds of a block
 * (engineering choice, from dims only) */
static inline requant_params wlq_residual_half(void)
{
    return wl_q_scale(sqrt(0.5));
}
/* Linear bias in accumulator units: int8 draw times 4*sqrt(k), i.e. a
 * quarter of the rms of the k-term dot product it is added to */
static inline int32_t wlq_bias_mult(uint64_t k)
{
    return (int32_t)lround(4.0 * sqrt((double)k));
}
/* NoNorm beta in Q(K_GAMMA_FRAC) activation units: int8 draw times 4, rms ~0.3 */
static inline int32_t wlq_beta_mult(void)
{
    return (1 << K_GAMMA_FRAC) / 16;
}

#endif
