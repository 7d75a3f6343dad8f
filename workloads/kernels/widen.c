/* int8 -> int32 sign extension: how an int8 table row (the token embedding)
 * enters an int32 partial sum that a reduction can add exactly. */
#include "kernels_internal.h"

op_work k_widen_i8_i32(const int8_t *in, int32_t *out, size_t count)
{
    for (size_t i = 0; i < count; i++) out[i] = in[i];
    /* one load-extend-store per element */
    return k__work(0, count, 0, count, 4 * (uint64_t)count);
}
