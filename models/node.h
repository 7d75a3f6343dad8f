/* Node models: what one chip costs. A node model is a registry entry
 * (core/registry.h) selected by `system.node.model: NAME` (default
 * NODE_MODEL_DEFAULT); its YAML parameters bind through the entry's
 * param_spec table, and its ops (node_model_ops) are everything the
 * simulator asks of a node: create from the bound parameters, declare its
 * components and memory levels (node_layout), place each chip's buffers,
 * price each op, the power drawn whatever the chip does, destroy. Pure C,
 * no SystemC. Nothing outside models/ names a model's internals or one of
 * its components: the layers above iterate over what the layout declares.
 *
 * Adding a model: one new file defining its params, ops and
 * registry_entry, plus one line in node_registry.c (models/README.md). */
#ifndef MCUSIM_NODE_H
#define MCUSIM_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/component.h"
#include "../core/param_spec.h"
#include "../core/program.h"
#include "../core/registry.h"

#define NODE_MODEL_DEFAULT "pulp_cluster"

/* What a node declares about itself, fixed for an instance. */
typedef struct node_layout {
    /* Its components in report order, with the engine's link and wait
     * placed among them (component.h). */
    component_set components;
    /* Its memory levels: prog_buffer.home and op_cost.bytes index them. */
    mem_level_set levels;
    /* The off-chip level whose traffic goes through the chip's memory port
     * (the engine serialises it there; its bytes are a point's
     * offchip_bytes), and the component whose busy time is that traffic's
     * port occupancy and whose critical-path time takes any wait on the
     * port. -1 (both) for a node without off-chip memory. */
    int32_t stream_level;
    int32_t stream_component;
} node_layout;

/* Where the buffers of one chip live. */
typedef struct placement_report {
    uint64_t weight_bytes;          /* this chip's share of the weights */
    uint64_t kv_bytes;
    uint64_t activation_peak_bytes; /* largest live activation set + staging buffers */
    /* Per memory level (node_layout.levels): bytes buffers can be homed in
     * and bytes used; 0 for a level that is no home (a scratch memory). */
    uint64_t capacity[MEM_LEVELS_MAX];
    uint64_t used[MEM_LEVELS_MAX];
    bool weights_on_chip;             /* no weight is homed off chip */
    uint64_t streamed_bytes_per_inference; /* all off-chip traffic of the ops, incl. spills */
    /* Transient buffers homed off chip because the live set did not fit on
     * chip (0 when everything fits): their total size and count, and the
     * live peak before spilling. */
    uint64_t spilled_activation_bytes;
    uint32_t spilled_activation_buffers;
    uint64_t activation_demand_bytes;
} placement_report;

/* The cost of one op, per component of the node's layout. */
typedef struct op_cost {
    uint64_t cycles;                       /* chip-local time of the op */
    uint64_t busy_cycles[COMPONENTS_MAX];  /* activity inside `cycles`; may overlap */
    /* Partition of `cycles` (sums to it exactly): what bounded the op, so
     * these can be stacked against wall time. */
    uint64_t time_cycles[COMPONENTS_MAX];
    double energy_j[COMPONENTS_MAX];       /* dynamic energy */
    uint64_t bytes[MEM_LEVELS_MAX];        /* bytes moved at each memory level */
} op_cost;

/* A node model's table of functions. `self` is the model's own instance. */
typedef struct node_model_ops {
    /* From parameters bound through the entry's table; cross-field checks
     * fail here with a message starting with the key it is about
     * ("l2.reserved: ..."). */
    int (*create)(const void *params, void **self, char *err, size_t errlen);
    void (*destroy)(void *self);
    void (*layout)(const void *self, node_layout *out);
    double (*clock_hz)(const void *self);   /* op cycles are of this clock */
    /* Homes every buffer of one chip, or fails (the program does not fit
     * the node) with a message naming the chip. */
    int (*place)(const void *self, chip_program *c, placement_report *out, char *err,
                 size_t errlen);
    /* For OP_SEND/OP_RECV only the node side; the wire is the link model's. */
    int (*op_cost)(const void *self, const chip_program *c, const prog_op *op, op_cost *out);
    /* Power drawn for the whole run, per component: each component's
     * leakage (leak_w, kept apart per component), and what is booked to
     * each component (always_w: the sum of the leakages on the leakage
     * component, always-on clocks, off-chip standby...). */
    void (*always_on_power)(const void *self, double leak_w[COMPONENTS_MAX],
                            double always_w[COMPONENTS_MAX]);
    /* Optional: what one chip of this node brings to a split that balances
     * by capacity (the tensor partitioner's balance: capacity): the GEMM
     * rate of the engine its GEMMs run on, in MAC/s, and the bytes of
     * weights and KV cache it can hold on chip. NULL: the node cannot say,
     * and such a split treats every chip of the system alike. */
    void (*capacity)(const void *self, double *macs_per_s, uint64_t *hold_bytes);
} node_model_ops;

/* The registry: every built-in node model, NULL-terminated. */
const registry_entry *const *node_model_entries(void);
const registry_kind *node_model_registry(void);
const registry_entry *node_model_find(const char *name, int *deprecated);
/* Keys of system.node the experiment loader handles itself, not a model. */
extern const char *const node_reserved_keys[];
/* What reports call a node: the string parameter `name` when its model's
 * table has one, else the model's name. */
const char *node_display_name(const registry_entry *e, const void *params);

/* One instance of a registered model. */
typedef struct node_model node_model;

/* Creates and checks the instance: its layout must pass
 * component_set_check and mem_level_set_check, with the stream level and
 * component in range (a model is trusted no more than a plug-in). */
int node_model_create(const registry_entry *e, const void *params, node_model **out, char *err,
                      size_t errlen);
void node_model_destroy(node_model *m);
const node_layout *node_layout_of(const node_model *m);
double node_clock_hz(const node_model *m);
int node_place(const node_model *m, chip_program *c, placement_report *out, char *err,
               size_t errlen);
/* Zeroes *out, then asks the model. */
int node_op_cost(const node_model *m, const chip_program *c, const prog_op *op, op_cost *out);
void node_always_on_power(const node_model *m, double leak_w[COMPONENTS_MAX],
                          double always_w[COMPONENTS_MAX]);
/* The model's capacity op: 0 with both figures (a finite rate > 0), or -1
 * when the model has no such op or answers nonsense. */
int node_capacity(const node_model *m, double *macs_per_s, uint64_t *hold_bytes);

#endif
