/* Double-buffered tile pipeline with one DMA engine: while tile i computes,
 * the engine writes back tile i-1 and fetches tile i+1, so each step costs
 * the larger of the two, never their sum. Fed tile by tile so no array of
 * tiles is ever allocated. */
#include "pulp_internal.h"

void pulp_pipeline_init(pulp_pipeline *pl)
{
    *pl = (pulp_pipeline){0};
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

void pulp_pipeline_tile(pulp_pipeline *pl, uint64_t in, uint64_t compute, uint64_t out)
{
    if (pl->n == 0)
        pl->total += in;                                   /* prologue */
    else
        pl->total += max_u64(pl->prev_c, in + pl->prev2_out);
    pl->prev2_out = pl->prev_out;
    pl->prev_out = out;
    pl->prev_c = compute;
    pl->compute_busy += compute;
    pl->dma_busy += in + out;
    pl->n++;
}

uint64_t pulp_pipeline_finish(pulp_pipeline *pl)
{
    if (pl->n == 0) return 0;
    pl->total += max_u64(pl->prev_c, pl->prev2_out) + pl->prev_out;  /* drain + epilogue */
    pl->n = 0;
    pl->prev_c = pl->prev_out = pl->prev2_out = 0;
    return pl->total;
}
