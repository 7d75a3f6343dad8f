/* Elementwise binary ops. Residual add rescales each input to the common
 * output scale (each rescale adds its own zero point; set one of them to 0
 * for a plain sum) and saturates once, so no precision is lost between the
 * two rescales. */
#include "kernels_internal.h"

op_work k_add_i8(const int8_t *a, const int8_t *b, int8_t *out, size_t count,
                 requant_params qa, requant_params qb)
{
    for (size_t i = 0; i < count; i++) out[i] = k__sat8(k__rescale(a[i], qa) + k__rescale(b[i], qb));
    /* two rescales and one saturating add per element */
    return k__work(0, 3 * (uint64_t)count, 0, 2 * (uint64_t)count, count);
}

op_work k_mul_i8(const int8_t *a, const int8_t *b, int8_t *out, size_t count, requant_params q)
{
    for (size_t i = 0; i < count; i++) out[i] = k__sat8(k__rescale((int32_t)a[i] * b[i], q));
    /* one int8 multiply and one requant per element */
    return k__work(count, count, 0, 2 * (uint64_t)count, count);
}
