/* Requantisation int32 -> int8: y = sat8(round(x * mult / 2^shift) + zp).
 * The product is formed in int64 so a 32-bit multiplier never overflows. */
#include "kernels_internal.h"

int8_t k_requant1(int32_t x, requant_params q)
{
    return k__sat8(k__rescale(x, q));
}

op_work k_requant(const int32_t *in, int8_t *out, size_t count, requant_params q)
{
    for (size_t i = 0; i < count; i++) out[i] = k__sat8(k__rescale(in[i], q));
    return k__work(0, count, 0, 4 * (uint64_t)count, count);
}
