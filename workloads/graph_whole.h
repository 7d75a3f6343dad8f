/* Emitting a model graph whole on one chip: every weight complete, every
 * head, no communication. `replicate` emits the whole inference on every
 * chip, partition_reference on one (the --check oracle); `pipeline`
 * emits a run of blocks per chip and passes the graph's `stream` value on. This code path shares nothing with the tensor
 * partitioner's splits but the op emitters and the tensor generator, so a
 * split that drifts from the graph shows as a --check mismatch. */
#ifndef MCUSIM_GRAPH_WHOLE_H
#define MCUSIM_GRAPH_WHOLE_H

#include "partition_estimate.h"
#include "partition_internal.h"

/* One chip's buffers for the graph. */
typedef struct graph_chip {
    uint32_t chip;
    int32_t *val;       /* buffer id of each graph value */
    int32_t acc;        /* int32 accumulator, S × the widest linear (or head) */
    /* one head's attention scratch: its q, k, v slices and context (S×P),
     * scores (S×keys int32) and probabilities (S×keys u8); -1 without attention */
    int32_t qh, kh, vh, ctxh, scores, probs;
    int32_t table;      /* token embedding (= tied classifier), made by the first op using it */
    int32_t last;       /* LM-head input row when S > 1, else -1 */
} graph_chip;

/* Allocates chip's buffers for b->g's values and scratch. 0, or -1 (b->err
 * set); graph_chip_release frees the table either way. */
int graph_chip_setup(pbuild *b, uint32_t chip, graph_chip *gc);
void graph_chip_release(graph_chip *gc);

/* Emits section s of b->g on gc's chip: the block template as block
 * `block` (labels b<block>.<op>), the prologue and epilogue with block 0. */
void graph_emit_section(pbuild *b, graph_chip *gc, graph_section s, uint32_t block);
/* The prologue, every block and the epilogue. */
void graph_emit_inference(pbuild *b, graph_chip *gc);

/* What graph_chip_setup + graph_emit_inference build on one chip. */
void graph_whole_size(const model_graph *g, program_size *one_chip);
/* Its parts, added to *out: what graph_chip_setup builds, and what
 * graph_emit_section builds for section s (one block for GRAPH_BLOCK);
 * *table says whether the chip already holds the embedding table (the
 * first section using it makes it) and is updated. */
void graph_setup_size(const model_graph *g, program_size *out);
void graph_section_size(const model_graph *g, graph_section s, bool *table, program_size *out);
/* out += times x part (ops, buffers, bytes, weights). */
void partition_size_add(program_size *out, const program_size *part, double times);

#endif
