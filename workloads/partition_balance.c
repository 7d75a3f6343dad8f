/* balance: capacity (the tensor partitioner): how much of the work each
 * chip of a heterogeneous system takes, from what its node states
 * (workload_params.capacity: a speed and the bytes it holds on chip).
 *
 * The measure of work is bytes held: a chip's weights and KV cache. One
 * token through a slice costs one MAC per weight and per cached K/V
 * element, so in autoregressive mode bytes held are MACs; in prompt mode
 * the projections still are, S times over. Each chip's target share of
 * them (wl_capacity_shares) follows its speed, capped at what its memory
 * holds when the whole model fits the chips' memories together (the excess
 * goes to the chips with room, in proportion to their speed); when it
 * does not fit anyway, shares follow speed alone. Then the items of a
 * split (K/V groups, FFN columns, heads...) go one at a time to the chip
 * whose load would be the smallest fraction of its share
 * (wl_fill_by_share), which for identical items on chips of different
 * speeds is the split with the earliest finish. On identical chips every
 * share is equal and this is the equal split, item for item: the first
 * chips one more of items split on their own (wl_split), and the llama
 * partition's `balanced` FFN columns when they fill up what the heads
 * left. */
#include <math.h>
#include <string.h>

#include "partition_internal.h"

void wl_capacity_shares(const chip_capacity *caps, uint32_t n, double total_bytes, double *share)
{
    if (!caps) {
        for (uint32_t c = 0; c < n; c++) share[c] = 1.0 / n;
        return;
    }
    double speed = 0, hold = 0;
    for (uint32_t c = 0; c < n; c++) {
        speed += caps[c].speed;
        hold += (double)caps[c].hold_bytes;
    }
    for (uint32_t c = 0; c < n; c++) share[c] = -1;   /* not fixed yet */
    /* water-filling: chips whose speed share exceeds what they hold are
     * fixed at their memory, the rest shares what is left by speed */
    double left = 1, free_speed = speed;
    bool fits = total_bytes > 0 && hold >= total_bytes;
    for (bool again = fits; again;) {
        again = false;
        for (uint32_t c = 0; c < n; c++) {
            if (share[c] >= 0) continue;
            double cap = (double)caps[c].hold_bytes / total_bytes;
            if (left * caps[c].speed / free_speed > cap) {
                share[c] = cap;
                left -= cap;
                free_speed -= caps[c].speed;
                again = true;
            }
        }
        if (free_speed <= 0) break;
    }
    for (uint32_t c = 0; c < n; c++)
        if (share[c] < 0) share[c] = free_speed > 0 ? left * caps[c].speed / free_speed : 0;
}

void wl_fill_by_share(uint32_t n, const double *share, double *load, double item, uint64_t count,
                      uint32_t min_each, uint32_t *counts)
{
    memset(counts, 0, n * sizeof *counts);
    uint64_t given = 0;
    for (uint32_t c = 0; c < n && given < count; c++)
        for (uint32_t k = 0; k < min_each && given < count; k++, given++) {
            counts[c]++;
            load[c] += item;
        }
    for (; given < count; given++) {
        uint32_t best = 0;
        double best_key = INFINITY, best_load = INFINITY;
        for (uint32_t c = 0; c < n; c++) {
            double key = share[c] > 0 ? (load[c] + item) / share[c] : INFINITY;
            /* no share anywhere (every memory full): the least loaded */
            if (key < best_key || (isinf(best_key) && isinf(key) && load[c] < best_load)) {
                best = c;
                best_key = key;
                best_load = load[c];
            }
        }
        counts[best]++;
        load[best] += item;
    }
}

void wl_ranges(const uint32_t *counts, uint32_t n, uint32_t *lo, uint32_t *hi, size_t stride)
{
    uint32_t at = 0;
    for (uint32_t c = 0; c < n; c++) {
        uint32_t *l = (uint32_t *)(void *)((char *)lo + c * stride);
        uint32_t *h = (uint32_t *)(void *)((char *)hi + c * stride);
        *l = at;
        *h = at += counts[c];
    }
}
