/* Private to models/: the pulp_cluster node model (a PULP cluster with an
 * optional NPU, cluster DMA, L1, L2, an optional weight memory and off-chip
 * HyperRAM, configs/nodes/siracusa.yaml) and the per-component cost
 * functions that pulp_op_cost() composes. All times are in cluster cycles.
 * Only this model's files and its unit tests include this header. */
#ifndef MCUSIM_PULP_INTERNAL_H
#define MCUSIM_PULP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"
#include "pulp_params.h"

/* The model's own components, in report order (the engine's link goes
 * after HYPERBUS, its wait last: pulp_cluster.c). SOC (the always-on
 * domain's clocks) and LEAKAGE (static power of every on-chip component,
 * kept per component) are energy only. HYPERRAM is the off-chip device,
 * the only component not on the MCU; HYPERBUS is the MCU's side of that
 * interface. NPU exists only with npu.present, WMEM only with a weight
 * memory: a node without them reports no such component. */
typedef enum pulp_comp {
    COMP_CLUSTER, COMP_NPU, COMP_DMA, COMP_L1, COMP_L2, COMP_WMEM, COMP_HYPERRAM, COMP_HYPERBUS,
    COMP_SOC, COMP_LEAKAGE,
    COMP__COUNT
} pulp_comp;

/* The model's memory levels; their values are the mem_level indices it
 * declares (WMEM last, so a node without one simply declares three). */
enum pulp_level { MEM_L1, MEM_L2, MEM_HYPERRAM, MEM_WMEM, MEM__COUNT };

struct pulp_node {
    pulp_params p;
    node_layout layout;
    /* Index of each of its components in layout.components, -1 when the
     * node does not have it. */
    int32_t at[COMP__COUNT];
};

/* One op's cost over the model's own components (pulp_comp) and levels:
 * what op_cost.c computes, before pulp_cluster.c maps it onto the layout. */
typedef struct pulp_cost {
    uint64_t cycles;
    uint64_t busy_cycles[COMP__COUNT];
    uint64_t time_cycles[COMP__COUNT];
    double energy_j[COMP__COUNT];
    uint64_t bytes[MEM__COUNT];
} pulp_cost;

/* op_cost.c */
int pulp_op_cost(const pulp_node *m, const chip_program *c, const prog_op *op, pulp_cost *out);
/* placement.c (policy there): homes every buffer of one chip. */
int pulp_place(const pulp_node *m, chip_program *c, placement_report *out, char *err,
               size_t errlen);
/* pulp_cluster.c: from parameters (cross-field checks), and back. */
int pulp_node_create(const pulp_params *p, pulp_node **out, char *err, size_t errlen);
void pulp_node_destroy(pulp_node *m);
/* Leakage per component and what each component draws for the whole run,
 * over the model's own components. */
void pulp_always_on_power(const pulp_node *m, double leak_w[COMP__COUNT],
                          double always_w[COMP__COUNT]);

/* dma.c: one L2<->L1 transfer = set-up + bytes / bandwidth; 0 bytes cost 0. */
uint64_t pulp_dma_cycles(const pulp_params *p, uint64_t bytes);

/* hyperram.c: a stream of `bytes` in bursts, each paying the access latency. */
uint64_t pulp_hyper_cycles(const pulp_params *p, uint64_t bytes);
/* Time before the first staged chunk (one burst) is usable in L2. */
uint64_t pulp_hyper_fill_cycles(const pulp_params *p, uint64_t bytes);

/* cluster.c: peak-derated GEMM rate and per-tile compute cycles. Work is
 * split over output elements, so a tile with fewer outputs than cores
 * leaves cores idle. */
double pulp_cluster_macs_per_core_cycle(const pulp_params *p);
uint64_t pulp_cluster_gemm_cycles(const pulp_params *p, uint64_t tm, uint64_t tn, uint64_t k);
uint64_t pulp_cluster_elem_cycles(const pulp_params *p, uint64_t elem_ops, uint64_t special_ops);

/* npu.c */
bool pulp_npu_used(const pulp_params *p);
uint64_t pulp_npu_gemm_cycles(const pulp_params *p, uint64_t tm, uint64_t tn, uint64_t k);

/* tiling.c: L1 tile choice with double buffers. */
typedef struct gemm_tiles {
    uint64_t tm, tn;        /* rows and cols of the output tile, full K */
} gemm_tiles;
uint64_t pulp_l1_usable(const pulp_params *p);
int pulp_gemm_tile_choose(const pulp_params *p, uint64_t m, uint64_t n, uint64_t k, size_t a_sz,
                          size_t b_sz, size_t out_sz, bool acc, gemm_tiles *t);
/* Rows per tile for a row-wise op: row_bytes in+out per row (double
 * buffered), fixed_bytes resident once (gamma, beta). 0 if one row does not fit. */
uint64_t pulp_rows_tile_choose(const pulp_params *p, uint64_t rows, uint64_t row_bytes,
                               uint64_t fixed_bytes);

/* pipeline.c: double-buffered tile pipeline on one DMA engine:
 * T = in_0 + sum_i max(c_i, in_{i+1} + out_{i-1}) + out_{n-1}. */
typedef struct pulp_pipeline {
    uint64_t total, n;
    uint64_t prev_c, prev_out, prev2_out;
    uint64_t compute_busy, dma_busy;
} pulp_pipeline;
void pulp_pipeline_init(pulp_pipeline *pl);
void pulp_pipeline_tile(pulp_pipeline *pl, uint64_t in, uint64_t compute, uint64_t out);
uint64_t pulp_pipeline_finish(pulp_pipeline *pl);

/* op_bytes.c: bytes of operand `slot` (0..2 = in[], 3 = out) the op touches,
 * and the buffer id in that slot (-1 if unused). */
int32_t pulp_op_slot_buf(const prog_op *op, int slot);
uint64_t pulp_op_slot_bytes(const chip_program *c, const prog_op *op, int slot);
/* Row-wise ops (requant, softmax, norm, act, rope, add, mul): rows, bytes
 * in and out per row, and per-op parameter bytes (norm gamma/beta). */
void pulp_op_rowwise_shape(const chip_program *c, const prog_op *op, uint64_t *rows,
                           uint64_t *in_row, uint64_t *out_row, uint64_t *fixed);
/* Bytes the op reads or writes in buffers homed in HyperRAM. */
uint64_t pulp_op_hyper_bytes(const chip_program *c, const prog_op *op);

/* op_check.c: whether the op tiles into L1; message names op and sizes. */
int pulp_op_check(const pulp_node *m, const chip_program *c, const prog_op *op, char *err,
                  size_t errlen);

/* spill.c: transient buffers (activation, partial, residual) live in L2
 * from first to last use. pulp_transient_peak: the peak of the resident (not
 * HyperRAM-homed) live set and the op where it peaks. pulp_spill_transients:
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
int pulp_transient_peak(const chip_program *c, live_peak *pk);
int pulp_spill_transients(chip_program *c, uint64_t budget, spill_result *r);

#endif
