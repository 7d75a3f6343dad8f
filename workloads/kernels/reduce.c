/* The all-reduce step. Done in uint32 so the sum wraps modulo 2^32 (defined
 * behaviour) and partial sums add identically in any order or tree shape. */
#include "kernels_internal.h"

op_work k_reduce_add_i32(int32_t *dst, const int32_t *src, size_t count)
{
    for (size_t i = 0; i < count; i++) dst[i] = (int32_t)((uint32_t)dst[i] + (uint32_t)src[i]);
    return k__work(0, count, 0, 8 * (uint64_t)count, 4 * (uint64_t)count);
}
