/* MobileBERT partitioning: NOT IMPLEMENTED YET (partition_build reports it).
 *
 * Planned non-replicating scheme (N <= 4 chips, split by the 4 heads):
 *   bottleneck-in  W(512×128) row-sliced over chips → partial S×128 → REDUCE,
 *                  root requant → BCAST (all heads need the whole bottleneck)
 *   attention      heads split as in llama; Wo(128×128) row-sliced → REDUCE,
 *                  root residual + NoNorm → BCAST
 *   4 FFNs         W1(128×512) column-, W2(512×128) row-sliced over the hidden
 *                  512 → REDUCE, root residual + NoNorm → BCAST, each
 *   bottleneck-out W(128×512) row-sliced → REDUCE, root residual + NoNorm → BCAST
 * = 7 reductions per block: each residual + NoNorm (and the bottleneck-in
 * requant) needs the complete sum, and non-replication forbids computing the
 * small bottleneck projections on every chip.
 * Missing piece: row-sliced projections read a column slice of the
 * broadcast activation, which the IR's whole-buffer GEMM cannot address
 * (it needs an lda/offset on GEMM operands, or a column-slice COPY op). */
#include <stdio.h>

#include "partition_internal.h"

int partition_mobilebert(pbuild *b)
{
    snprintf(b->err, b->errlen,
             "%s: mobilebert partitioning is not implemented yet (only llama-class models)",
             b->w->dims.name);
    return -1;
}
