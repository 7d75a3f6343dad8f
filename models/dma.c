/* Cluster DMA (L2 <-> L1): a transfer pays its programming once, then moves
 * at the engine's bytes per cycle. */
#include <math.h>

#include "pulp_internal.h"

uint64_t pulp_dma_cycles(const pulp_params *p, uint64_t bytes)
{
    if (bytes == 0) return 0;
    return (uint64_t)ceil(p->dma_setup_cycles + (double)bytes / p->dma_bytes_per_cycle);
}
