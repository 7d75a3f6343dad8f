/* The `pipeline` and `hybrid` partitioners' parameters and the stage split
 * they share (workloads and tests). */
#ifndef MCUSIM_PARTITION_PIPELINE_H
#define MCUSIM_PARTITION_PIPELINE_H

#include "partition_internal.h"

/* How blocks go to stages (partition_pipeline.c): even counts, or the
 * contiguous split with the smallest largest stage by estimated work. */
typedef enum pipeline_assign { PIPELINE_ASSIGN_EVEN, PIPELINE_ASSIGN_BALANCED } pipeline_assign;

typedef struct pipeline_params {
    int assign;   /* pipeline_assign */
} pipeline_params;

typedef struct hybrid_params {
    uint64_t group;    /* G, chips per stage; 0 = from stages, or automatic */
    uint64_t stages;   /* P; 0 = from group, or automatic */
    int assign;        /* pipeline_assign */
    int ffn_split;     /* ffn_split_policy, inside each stage (llama) */
} hybrid_params;

/* Stage s of n (n <= g->blocks) runs blocks [l0[s], l1[s]); the first
 * stage also runs the prologue, the last the epilogue. 0, or -1 with a
 * message. */
int partition_pipeline_stage_blocks(const model_graph *g, int assign, uint32_t n, uint32_t *l0,
                          uint32_t *l1, char *err, size_t errlen);
/* Appends "; WHAT, blocks per stage: 0-1 2-3 ..." to the program's description. */
void partition_pipeline_describe(pbuild *b, const char *what, const uint32_t *l0, const uint32_t *l1,
                       uint32_t n);

#endif
