/* Real integer kernels. Portable C11, deterministic bit for bit on any host.
 * Each kernel returns the work it did (op_work) so the cost model prices
 * exactly what was computed. Signed int32 accumulation never overflows for
 * the shapes used (|sum| <= 128*128*K); the int32 reduction wraps modulo 2^32
 * (done in uint32) so partial sums add identically in any order. */
#ifndef MCUSIM_KERNELS_H
#define MCUSIM_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../core/program.h"

/* Fixed-point formats of the kernels (additive to the original contract).
 *   K_SOFTMAX_FRAC      softmax logit fraction bits after in_scale rescale
 *   K_SOFTMAX_EXP_BITS  fraction bits of the softmax's integer exp
 *   K_ACT_IN_FRAC       GELU/SiLU input: real x = int8 / 2^K_ACT_IN_FRAC
 *   K_ACT_OUT_FRAC      GELU/SiLU result before the op's requant: int32
 *                       Q(K_ACT_OUT_FRAC); q maps it to the output int8
 *                       (e.g. mult 1, shift 10 gives the input's scale)
 *   K_GAMMA_FRAC        norm gamma: real gamma = int8 / 2^K_GAMMA_FRAC
 *   K_NORM_FRAC         RMSNorm/LayerNorm: normalised value times gamma,
 *                       int32 Q(K_NORM_FRAC); beta is added in that format;
 *                       q maps the sum to the output int8
 *   K_ROPE_FRAC         RoPE cos/sin table format (int16 Q14) */
#define K_SOFTMAX_FRAC 12
#define K_SOFTMAX_EXP_BITS 20
#define K_ACT_IN_FRAC 4
#define K_ACT_OUT_FRAC 14
#define K_GAMMA_FRAC 6
#define K_NORM_FRAC 14
#define K_ROPE_FRAC 14

/* C[m×n] (+)= A[m×k] · B, B stored k×n (row-major) or n×k when trans_b.
 * lda/ldb/ldc are row strides in elements, so slices of larger matrices
 * can be used in place. */
op_work k_gemm_i8(const int8_t *a, size_t lda, const int8_t *b, size_t ldb, bool trans_b,
                  int32_t *c, size_t ldc, uint32_t m, uint32_t n, uint32_t k, bool accumulate);

/* sat8(round(x * mult / 2^shift) + zero_point): int64 product, round to
 * nearest with halves away from zero, shift <= 0 an exact left shift. */
int8_t k_requant1(int32_t x, requant_params q);
op_work k_requant(const int32_t *in, int8_t *out, size_t count, requant_params q);

/* Row-wise integer softmax (I-BERT style exp: shift + second-order
 * polynomial). Input int32 scores are first rescaled by `in_scale` to a
 * fixed-point logit with the kernel's fractional bits; output u8 with 255 ~ 1.0.
 * With `causal`, row r of a block starting at absolute query position q0
 * sees keys 0 .. q0 + r only (later keys get probability 0).
 * in_scale: logit Q(K_SOFTMAX_FRAC) = round(score * mult / 2^shift), not
 * saturated to int8; its zero_point is ignored. */
op_work k_softmax_i32_u8(const int32_t *scores, uint8_t *probs, uint32_t rows, uint32_t cols,
                         requant_params in_scale, bool causal, uint32_t q0);

/* Integer exp of a non-positive fixed-point value with `frac_bits` fraction
 * bits; result in Q(out_bits). Exposed for tests. */
uint32_t k_iexp(int32_t x, int frac_bits, int out_bits);

/* Integer square root (floor) of a 64-bit value, Newton iteration. */
uint32_t k_isqrt64(uint64_t x);

/* Norms over rows of `cols` int8 (or int32 when in32 != NULL) values.
 * gamma int8 with a fixed scale, beta int32 (LayerNorm/NoNorm), out int8. */
op_work k_rmsnorm(const int8_t *in, const int8_t *gamma, int8_t *out, uint32_t rows,
                  uint32_t cols, requant_params q);
op_work k_layernorm(const int8_t *in, const int8_t *gamma, const int32_t *beta, int8_t *out,
                    uint32_t rows, uint32_t cols, requant_params q);
op_work k_nonorm(const int8_t *in, const int8_t *gamma, const int32_t *beta, int8_t *out,
                 uint32_t rows, uint32_t cols, requant_params q);

/* Elementwise activations on int8 with a fixed input scale; out int8. */
op_work k_gelu(const int8_t *in, int8_t *out, size_t count, requant_params q);
op_work k_silu(const int8_t *in, int8_t *out, size_t count, requant_params q);
op_work k_relu(const int8_t *in, int8_t *out, size_t count);

/* Rotary embedding in place on rows of heads×head_dim int8, positions pos0.. */
op_work k_rope(int8_t *x, uint32_t rows, uint32_t heads, uint32_t head_dim, uint32_t pos0);
/* The rotation RoPE applies to pair `pair` (elements 2*pair, 2*pair+1 of a
 * head) at position `pos`: Q14 cos and sin from integer arithmetic only.
 * Exposed for tests (additive). */
void k_rope_sincos(uint32_t pos, uint32_t pair, uint32_t head_dim, int16_t *cos_q14,
                   int16_t *sin_q14);

/* out = sat8(requant(a, qa) + requant(b, qb)) — residual add; each rescale
 * is unsaturated (int64) and adds its own zero point, one saturation at the end */
op_work k_add_i8(const int8_t *a, const int8_t *b, int8_t *out, size_t count,
                 requant_params qa, requant_params qb);
/* out = requant(a * b) — gating multiply */
op_work k_mul_i8(const int8_t *a, const int8_t *b, int8_t *out, size_t count, requant_params q);

/* out[i] = in[i] sign-extended — an int8 row into an int32 partial sum */
op_work k_widen_i8_i32(const int8_t *in, int32_t *out, size_t count);

/* dst[i] += src[i] modulo 2^32 — the all-reduce step */
op_work k_reduce_add_i32(int32_t *dst, const int32_t *src, size_t count);

#endif
