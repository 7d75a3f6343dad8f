/* Row-wise integer softmax with the I-BERT exponential.
 *
 * Fixed-point formats:
 *   logit  z = round(score * in_scale.mult / 2^in_scale.shift), int64, read as
 *          Q(K_SOFTMAX_FRAC) (real logit = z / 2^K_SOFTMAX_FRAC);
 *          in_scale.zero_point is ignored (softmax is shift invariant).
 *   exp    e = iexp(z - max) in Q(K_SOFTMAX_EXP_BITS), >= 0
 *   sum    uint64 of the row's visible e
 *   prob   u8 ~ e * 255 / sum computed as (e * r + 2^31) >> 32 with the
 *          per-row reciprocal r = floor(255 * 2^32 / sum): one division per
 *          row, as a microcontroller would do it.
 * Masked keys (causal, key > q0 + row) get 0 and take no part in max or sum.
 * The exps of a row are kept in a scratch row for the normalising pass; if
 * that allocation fails they are recomputed (same bits, slower). */
#include <stdlib.h>

#include "kernels_internal.h"

/* Clamped to +-2^61 so that z - max cannot overflow for any in_scale. */
static int64_t logit(int32_t s, requant_params in_scale)
{
    int64_t z = k__round_shift((int64_t)s * in_scale.mult, in_scale.shift);
    const int64_t lim = (int64_t)1 << 61;
    return z > lim ? lim : z < -lim ? -lim : z;
}

static uint32_t row_exp(int32_t s, int64_t max, requant_params in_scale,
                        const k__iexp_consts *c)
{
    return k__iexp(logit(s, in_scale) - max, c);
}

static void softmax_row(const int32_t *s, uint8_t *p, uint32_t visible, uint32_t cols,
                        requant_params in_scale, const k__iexp_consts *c, uint32_t *scratch)
{
    int64_t max = INT64_MIN;
    for (uint32_t j = 0; j < visible; j++) {
        int64_t z = logit(s[j], in_scale);
        if (z > max) max = z;
    }
    uint64_t sum = 0;
    for (uint32_t j = 0; j < visible; j++) {
        uint32_t e = row_exp(s[j], max, in_scale, c);
        if (scratch) scratch[j] = e;
        sum += e;
    }
    uint64_t recip = ((uint64_t)255 << 32) / sum; /* sum >= exp(0) > 0 */
    for (uint32_t j = 0; j < visible; j++) {
        uint64_t e = scratch ? scratch[j] : row_exp(s[j], max, in_scale, c);
        uint64_t v = (e * recip + ((uint64_t)1 << 31)) >> 32;
        p[j] = (uint8_t)(v > 255 ? 255 : v);
    }
    for (uint32_t j = visible; j < cols; j++) p[j] = 0;
}

op_work k_softmax_i32_u8(const int32_t *scores, uint8_t *probs, uint32_t rows, uint32_t cols,
                         requant_params in_scale, bool causal, uint32_t q0)
{
    k__iexp_consts c = k__iexp_prepare(K_SOFTMAX_FRAC, K_SOFTMAX_EXP_BITS);
    uint32_t *scratch = cols > 0 ? malloc(sizeof *scratch * cols) : NULL;
    uint64_t seen = 0;
    for (uint32_t r = 0; r < rows && cols > 0; r++) {
        uint64_t last = causal ? (uint64_t)q0 + r : (uint64_t)cols - 1;
        uint32_t visible = last + 1 < cols ? (uint32_t)(last + 1) : cols;
        softmax_row(scores + (size_t)r * cols, probs + (size_t)r * cols, visible, cols,
                    in_scale, &c, scratch);
        seen += visible;
    }
    free(scratch);
    /* Per visible element: rescale, max compare, subtract, normalise multiply
     * (4 element ops) and one exp; one reciprocal division per row. */
    return k__work(0, 4 * seen, seen + rows, 4 * seen, (uint64_t)rows * cols);
}
