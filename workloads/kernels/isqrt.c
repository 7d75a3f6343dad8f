/* Floor square root of a 64-bit integer by Newton iteration from an upper
 * starting point, so the iterates decrease monotonically to the floor. */
#include "kernels_internal.h"

uint32_t k_isqrt64(uint64_t x)
{
    if (x < 2) return (uint32_t)x;
    int bits = 64 - __builtin_clzll(x);
    /* 2^ceil(bits/2) >= sqrt(x): a start above the root. */
    uint64_t r = (uint64_t)1 << ((bits + 1) / 2);
    for (;;) {
        uint64_t next = (r + x / r) / 2;
        if (next >= r) break;
        r = next;
    }
    return (uint32_t)r;
}
