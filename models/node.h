/* The node model: a Siracusa-class MCU described only by parameters
 * (configs/nodes/ (YAML)). Pure C cost functions turn each op of a chip
 * program into cycles and energy, per component. No SystemC here. */
#ifndef MCUSIM_NODE_H
#define MCUSIM_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/param_spec.h"
#include "../core/program.h"

/* Components of the results breakdown (contract: summary.json). Two views
 * share this list: energy, and time (busy activity and the critical path).
 * SOC (the always-on domain's clocks) and LEAKAGE (static power of every
 * on-chip component, kept per component in chip_stats.leakage_j) are energy
 * only; WAIT (waiting on peers, a busy link, or for the others to finish) is
 * time only. HYPERRAM is the off-chip memory device: the only component not
 * on the MCU die (energy_mcu leaves it out); HYPERBUS is the MCU's side of
 * that interface (its uDMA channel and pads). */
typedef enum component {
    COMP_CLUSTER, COMP_NPU, COMP_DMA, COMP_L1, COMP_L2, COMP_WMEM, COMP_HYPERRAM, COMP_HYPERBUS,
    COMP_LINK, COMP_SOC, COMP_LEAKAGE, COMP_WAIT,
    COMP__COUNT
} component;
/* "cluster", "npu", "dma", "l1", "l2", "wmem", "hyperram", "hyperbus", "link", "soc",
 * "leakage", "wait" */
const char *component_name(component c);
const char *component_doc(component c);    /* one line: what its energy and time cover */
bool component_has_energy(component c);
bool component_has_time(component c);
bool component_on_mcu(component c);

/* All fields are bound from YAML through node_param_specs; see
 * configs/nodes/siracusa.yaml for each value and its source. */
typedef struct node_params node_params;    /* defined in node_params.h */

extern const param_spec node_param_specs[];
extern const size_t node_param_count;
size_t node_params_size(void);

typedef struct node_model node_model;      /* opaque */

int node_model_create(const node_params *p, node_model **out, char *err, size_t errlen);
void node_model_destroy(node_model *m);
double node_clock_hz(const node_model *m);

/* Where weights and activations of one chip live. */
typedef struct placement_report {
    uint64_t weight_bytes;          /* this chip's share of the weights */
    uint64_t kv_bytes;
    uint64_t activation_peak_bytes; /* largest live activation set + double buffers */
    uint64_t l2_capacity, l2_used;
    uint64_t wmem_capacity, wmem_used; /* weight memory (0 when the node has none) */
    bool weights_on_chip;             /* every weight stationary on chip (L2 or wmem);
                                       otherwise some stream from HyperRAM */
    uint64_t streamed_bytes_per_inference; /* all HyperRAM traffic of the ops, incl. spills */
    /* Transient buffers homed in HyperRAM because the live set exceeded L2
     * (0 when everything fits): their total size and count, and the live
     * peak before spilling. */
    uint64_t spilled_activation_bytes;
    uint32_t spilled_activation_buffers;
    uint64_t activation_demand_bytes;
} placement_report;

/* Decides every buffer's home level of one chip (see placement.c for the
 * policy). Activations that do not fit L2 are spilled to HyperRAM. Buffers
 * homed in HyperRAM are streamed by the ops that read them
 * and priced inside those ops (op_cost.bytes[MEM_HYPERRAM]); no OP_DMA ops
 * are inserted. Also checks that every op tiles into L1. Fails (exit code 1 at the CLI) with a
 * message naming the op and sizes when something cannot fit at all (an L1
 * tile, or the HyperRAM staging buffer in L2). */
int node_place(const node_model *m, chip_program *c, placement_report *out,
               char *err, size_t errlen);

typedef struct op_cost {
    uint64_t cycles;                    /* chip-local time of the op, overlap applied */
    uint64_t busy_cycles[COMP__COUNT];  /* per component activity inside `cycles` */
    /* Partition of `cycles` (sums to it exactly): what bounded the op. The
     * compute engine (cluster or NPU) is charged its whole busy time, the
     * weight memory what its reads add beyond the engine's, the DMA
     * only the part it adds beyond compute (prologue, epilogue, DMA-bound
     * steps), HyperRAM what the off-chip stream adds beyond the L1 pipeline
     * (first-burst fill and stream-bound tail). busy_cycles overlap; these
     * do not, so they can be stacked against wall time. */
    uint64_t time_cycles[COMP__COUNT];
    double energy_j[COMP__COUNT];       /* dynamic energy per component */
    uint64_t bytes[MEM__COUNT];         /* bytes moved at each memory level */
} op_cost;

/* Cost of one op on this chip. For OP_SEND/OP_RECV only the node side (DMA
 * from L2 to the link peripheral, accumulate on receive); wire time and link
 * energy come from the link model. */
int node_op_cost(const node_model *m, const chip_program *c, const prog_op *op, op_cost *out);

/* Power drawn for the whole run whatever the chip does, per component:
 * leakage of each on-chip component (booked to COMP_LEAKAGE, kept per
 * component), the always-on domain's clocks (COMP_SOC) and the off-chip
 * memory's standby (COMP_HYPERRAM). Fills leak_w[] with the leakage per
 * component and always_w[] with the power booked to each component. */
void node_always_on_power(const node_model *m, double leak_w[COMP__COUNT],
                          double always_w[COMP__COUNT]);

#endif
