/* I-BERT integer exponential (Kim et al. 2021) of a non-positive value.
 *
 * x (Q frac_bits) = -ln2 * q + p with p in (-ln2, 0]; exp(p) is the
 * second-order polynomial 0.3585 (p + 1.353)^2 + 0.344, then exp(x) =
 * exp(p) >> q (rounded). The constants are integers in Q40 (round(c * 2^40))
 * rounded once more to the caller's formats: no floating point anywhere, so
 * the kernel is bit-reproducible on every host.
 *
 * Limits: frac_bits in [1, 15], out_bits in [1, 31] keep every product below
 * 2^62 in int64. Result is in Q(out_bits); exp(0) ~ 1.0003 * 2^out_bits. */
#include "kernels_internal.h"

#define CONST_FRAC 40
#define IEXP_A_Q40 394174918558LL  /* 0.3585 */
#define IEXP_B_Q40 1487639232381LL /* 1.353 */
#define IEXP_C_Q40 378231999955LL  /* 0.344 */
#define LN2_Q40 762123384786LL     /* ln 2 */

static int64_t fixed(int64_t v_q40, int frac_bits)
{
    return k__round_shift(v_q40, CONST_FRAC - frac_bits);
}

k__iexp_consts k__iexp_prepare(int frac_bits, int out_bits)
{
    k__iexp_consts c;
    c.frac_bits = frac_bits;
    c.out_bits = out_bits;
    c.ln2 = fixed(LN2_Q40, frac_bits);
    c.b = fixed(IEXP_B_Q40, frac_bits);
    c.a = fixed(IEXP_A_Q40, out_bits);
    c.c = fixed(IEXP_C_Q40, out_bits);
    return c;
}

uint32_t k__iexp(int64_t x, const k__iexp_consts *c)
{
    if (x > 0) x = 0;
    int64_t q = -x / c->ln2;
    if (q >= c->out_bits + 2) return 0;
    int64_t p = x + q * c->ln2; /* (-ln2, 0] */
    int64_t t = p + c->b;       /* > 0 */
    int64_t poly = k__round_shift(c->a * t * t, 2 * c->frac_bits) + c->c;
    return (uint32_t)k__round_shift(poly, (int32_t)q);
}

uint32_t k_iexp(int32_t x, int frac_bits, int out_bits)
{
    k__iexp_consts c = k__iexp_prepare(frac_bits, out_bits);
    return k__iexp(x, &c);
}
