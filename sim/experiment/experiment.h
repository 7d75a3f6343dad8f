/* An experiment file, loaded, resolved and validated into plain C structs.
 * Schema (documented in README "Configuration"):
 *
 *   name: tinyllama_ar
 *   description: "..."
 *   system:
 *     node: !include ../../nodes/siracusa.yaml   # {model: NAME, ...its params}
 *     link: !include ../../links/mipi_dphy.yaml  # {model: NAME | plugin: PATH, ...its params}
 *     topology: {kind: reduction_tree, fan_in: 4}  # collectives registry entry + its params, phy
 *     links: [{level: 1, link: {...}}, {pairs: [[0, 4]], link: {...}}]   # optional overrides
 *     chips: [{chips: 0, node: {...}}, {chips: "32-63", set: {clock_hz: 250 MHz}}]
 *                                                  # optional: other nodes for some chips
 *   workload: {model: tinyllama-42m, dims: {...}, partitioner: tensor,
 *              partition: {ffn_split: even}, mode: autoregressive, seq_len: 128, seed: 1,
 *              blocks: 8, head: false}
 *   sweep: {chips: [1, 2, 4, 8, 16, 32, 64]}
 *   reference: {citation: "...", rows: [{chips: 8, latency_ms: 0.54, ...}]}
 *                                                  # optional, published figures
 */
#ifndef MCUSIM_EXPERIMENT_H
#define MCUSIM_EXPERIMENT_H

#include <stdio.h>

#include "../../core/link.h"
#include "../../collectives/topology.h"
#include "../../models/node.h"
#include "../../workloads/workload.h"
#include "../config/cfg.h"
#include "link_choice.h"

/* A published figure: the metric it is compared with (a name of the
 * metric table, sim/report/metrics.c, which the CLI checks once loaded,
 * since that table belongs to the report layer) and its value. Naming the
 * metric is how a reference says what the published figure covers, e.g.
 * energy_mcu_mj for an energy of the MCUs without their off-chip memory. */
#define REFERENCE_MAX_METRICS 16
typedef struct reference_value {
    char metric[32];
    double value;
    const cfg_node *at;       /* where it was written (in experiment.tree) */
} reference_value;

typedef struct reference_row {
    uint64_t chips;
    reference_value v[REFERENCE_MAX_METRICS];
    size_t n;
} reference_row;

/* sweep.vary: keys varied over values, exactly as `mcusim sweep --sweep
 * key=v1,v2,...` would vary them (the sweep's grid, point ids and summary
 * columns), each value as its scalar text, each with where it was written.
 * The limits are the sweep's (sim/experiment/sweep_plan.h). */
#define EXPERIMENT_VARY_AXES 8
#define EXPERIMENT_VARY_VALUES 64
#define EXPERIMENT_VARY_VALUE_MAX 96
#define EXPERIMENT_VARY_KEY_MAX 128
typedef struct vary_axis {
    char key[EXPERIMENT_VARY_KEY_MAX];
    const char *key_file;                   /* where the key was written */
    int key_line, key_col;
    size_t n;
    char values[EXPERIMENT_VARY_VALUES][EXPERIMENT_VARY_VALUE_MAX];
    const cfg_node *value_at[EXPERIMENT_VARY_VALUES];
} vary_axis;

#define EXPERIMENT_WARNINGS_MAX 4
/* One entry of system.links: a link model for some chip pairs instead of
 * system.link. `between: [[a, b]]` is loaded as both directed pairs. */
typedef struct link_override {
    uint32_t level;               /* >= 1: every pair of this level of the topology */
    uint32_t (*pairs)[2];         /* level 0: directed (src, dst) pairs */
    const cfg_node **pair_at;     /* where each pair was written */
    size_t n_pairs;
    link_choice link;
    const cfg_node *at;           /* where it was written (in experiment.tree) */
} link_override;

/* One entry of system.chips: another node for some chips. `node:` gives a
 * whole node map (any model); `set:` changes keys of system.node (its
 * model), bound over system.node's values. Either way the node is bound
 * here, whole. */
typedef struct chip_override {
    uint32_t (*ranges)[2];        /* [first, last] chips, inclusive, as written */
    const cfg_node **range_at;    /* where each was written */
    size_t n_ranges;
    const registry_entry *node_model;
    void *node_params;            /* struct of node_model->params_size, bound */
    const cfg_node *at;           /* the entry (in experiment.tree) */
} chip_override;

typedef struct experiment {
    char name[PARAM_STRING_MAX];
    char description[PARAM_STRING_MAX];
    char path[PARAM_STRING_MAX * 2];    /* the file it was loaded from */

    const registry_entry *node_model;   /* system.node.model (node_model_entries) */
    void *node_params;                  /* struct of node_model->params_size, bound */

    const link_model_ops *link_ops;     /* built-in or plug-in table */
    void *link_params;                  /* struct of link_ops->params_size, bound */
    void *link_plugin;                  /* dlopen handle or NULL */
    char link_plugin_path[PARAM_STRING_MAX];

    system_topology topology;
    link_override *links;               /* system.links, in file order */
    size_t n_links;
    chip_override *chip_nodes;          /* system.chips, in file order (no chip in two) */
    size_t n_chip_nodes;
    workload_params workload;
    param_uint_list chips;              /* sweep.chips */
    vary_axis *vary;                    /* sweep.vary, in file order */
    size_t n_vary;

    char reference_citation[PARAM_STRING_MAX];
    reference_row *reference;
    size_t n_reference;

    cfg_node *tree;                     /* resolved document, kept for messages */

    /* Lines about what still loads but should be written otherwise (a
     * deprecated spelling), each "FILE:LINE:COL: warning: key.path: message"
     * without a newline; the command line prints them once it has loaded. */
    char warnings[EXPERIMENT_WARNINGS_MAX][600];
    size_t n_warnings;
} experiment;

/* Loads, applies `--set` overrides, binds and validates. `configs_dir` is
 * the configs folder where `workload.model: NAME` is looked up
 * (configs_dir/models/NAME.yaml; NULL: only model files by path and
 * custom). On error returns NULL and fills err (FILE:LINE:COL: key.path:
 * message). */
experiment *experiment_load(const char *path, const char *configs_dir,
                            const char *const *overrides, size_t n_overrides, cfg_error *err);
void experiment_destroy(experiment *e);

/* The largest chip count of sweep.chips (at least 1). */
uint64_t experiment_largest_chips(const experiment *e);

/* The entry of system.chips that names chip c, or -1: chip c is a
 * system.node chip. */
int experiment_chip_override(const experiment *e, uint32_t chip);

/* Prints the fully resolved experiment as YAML: every default filled in,
 * quantities in normalised units, each parameter's doc as a comment. */
void experiment_print_resolved(const experiment *e, FILE *out);

#endif
