/* Private to models/: the node model object and the per-component cost
 * functions that node_op_cost() composes. All times are in cluster cycles. */
#ifndef MCUSIM_NODE_INTERNAL_H
#define MCUSIM_NODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"
#include "node_params.h"

struct node_model {
    node_params p;
};

/* dma.c: one L2<->L1 transfer = set-up + bytes / bandwidth; 0 bytes cost 0. */
uint64_t dma_cycles(const node_params *p, uint64_t bytes);

/* hyperram.c: a stream of `bytes` in bursts, each paying the access latency. */
uint64_t hyper_cycles(const node_params *p, uint64_t bytes);
/* Time before the first staged chunk (one burst) is usable in L2. */
uint64_t hyper_fill_cycles(const node_params *p, uint64_t bytes);

/* cluster.c: peak-derated GEMM rate and per-tile compute cycles. Work is
 * split over output elements, so a tile with fewer outputs than cores
 * leaves cores idle. */
double cluster_macs_per_core_cycle(const node_params *p);
uint64_t cluster_gemm_cycles(const node_params *p, uint64_t tm, uint64_t tn, uint64_t k);
uint64_t cluster_elem_cycles(const node_params *p, uint64_t elem_ops, uint64_t special_ops);

/* npu.c */
bool npu_used(const node_params *p);
uint64_t npu_gemm_cycles(const node_params *p, uint64_t tm, uint64_t tn, uint64_t k);

/* tiling.c: L1 tile choice with double buffers. */
typedef struct gemm_tiles {
    uint64_t tm, tn;        /* rows and cols of the output tile, full K */
} gemm_tiles;
uint64_t l1_usable(const node_params *p);
int gemm_tile_choose(const node_params *p, uint64_t m, uint64_t n, uint64_t k, size_t a_sz,
                     size_t b_sz, size_t out_sz, bool acc, gemm_tiles *t);
/* Rows per tile for a row-wise op: row_bytes in+out per row (double
 * buffered), fixed_bytes resident once (gamma, beta). 0 if one row does not fit. */
uint64_t rows_tile_choose(const node_params *p, uint64_t rows, uint64_t row_bytes,
                          uint64_t fixed_bytes);

/* pipeline.c: double-buffered tile pipeline on one DMA engine:
 * T = in_0 + sum_i max(c_i, in_{i+1} + out_{i-1}) + out_{n-1}. */
typedef struct pipeline {
    uint64_t total, n;
    uint64_t prev_c, prev_out, prev2_out;
    uint64_t compute_busy, dma_busy;
} pipeline;
void pipeline_init(pipeline *pl);
void pipeline_tile(pipeline *pl, uint64_t in, uint64_t compute, uint64_t out);
uint64_t pipeline_finish(pipeline *pl);

/* op_bytes.c: bytes of operand `slot` (0..2 = in[], 3 = out) the op touches,
 * and the buffer id in that slot (-1 if unused). */
int32_t op_slot_buf(const prog_op *op, int slot);
uint64_t op_slot_bytes(const chip_program *c, const prog_op *op, int slot);
/* Row-wise ops (requant, softmax, norm, act, rope, add, mul): rows, bytes
 * in and out per row, and per-op parameter bytes (norm gamma/beta). */
void op_rowwise_shape(const chip_program *c, const prog_op *op, uint64_t *rows, uint64_t *in_row,
                      uint64_t *out_row, uint64_t *fixed);
/* Bytes the op reads or writes in buffers homed in HyperRAM. */
uint64_t op_hyper_bytes(const chip_program *c, const prog_op *op);

/* op_check.c: whether the op tiles into L1; message names op and sizes. */
int node_op_check(const node_model *m, const chip_program *c, const prog_op *op, char *err,
                  size_t errlen);

/* spill.c: transient buffers (activation, partial, residual) live in L2
 * from first to last use. transient_peak: the peak of the resident (not
 * HyperRAM-homed) live set and the op where it peaks. spill_transients:
 * homes transient buffers in HyperRAM by the policy in spill.c until the
 * resident peak is at most `budget`. */
typedef struct live_peak {
    uint64_t bytes;
    uint32_t at_op;
} live_peak;
typedef struct spill_result {
    live_peak peak;      /* resident peak after spilling */
    uint64_t bytes;      /* sum of the spilled buffers' sizes */
    uint32_t buffers;
} spill_result;
int transient_peak(const chip_program *c, live_peak *pk);
int spill_transients(chip_program *c, uint64_t budget, spill_result *r);

#endif
