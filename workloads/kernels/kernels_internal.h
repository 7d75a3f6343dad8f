/* Shared fixed-point helpers of the kernels (not part of the public API). */
#ifndef MCUSIM_KERNELS_INTERNAL_H
#define MCUSIM_KERNELS_INTERNAL_H

#include <stdint.h>

#include "kernels.h"

/* p / 2^shift rounded half away from zero, the rounding every kernel uses so
 * positive and negative values round symmetrically. A non-positive shift is
 * an exact left shift, saturated to the int64 range. */
static inline int64_t k__round_shift(int64_t p, int32_t shift)
{
    if (shift > 0) {
        if (shift > 62) return 0;
        int64_t half = (int64_t)1 << (shift - 1);
        return p >= 0 ? (p + half) >> shift : -((-p + half) >> shift);
    }
    int32_t s = shift < -62 ? 62 : -shift;
    if (p > (INT64_MAX >> s)) return INT64_MAX;
    if (p < -(INT64_MAX >> s)) return -INT64_MAX;
    return (int64_t)((uint64_t)p << s);
}

/* round(x * mult / 2^shift) + zero_point, unsaturated (int64). */
static inline int64_t k__rescale(int64_t x, requant_params q)
{
    return k__round_shift(x * (int64_t)q.mult, q.shift) + q.zero_point;
}

static inline int8_t k__sat8(int64_t v)
{
    return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
}

static inline int32_t k__sat32(int64_t v)
{
    return (int32_t)(v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : v);
}

/* Rounded division of a signed numerator by a positive denominator
 * (half away from zero). */
static inline int64_t k__div_round(int64_t num, int64_t den)
{
    return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

static inline op_work k__work(uint64_t macs, uint64_t elem, uint64_t special, uint64_t rd,
                              uint64_t wr)
{
    op_work w = {macs, elem, special, rd, wr};
    return w;
}

/* I-BERT exp with its constants rounded once per call site (iexp.c). */
typedef struct k__iexp_consts {
    int frac_bits, out_bits;
    int64_t ln2, b, a, c;
} k__iexp_consts;
k__iexp_consts k__iexp_prepare(int frac_bits, int out_bits);
/* x <= 0 in Q(frac_bits), any int64 magnitude; result Q(out_bits). */
uint32_t k__iexp(int64_t x, const k__iexp_consts *c);

#endif
