/* Everything `run` does to one system size before it simulates, in one
 * place, so `validate` checks exactly what `run` would refuse: the memory
 * estimate against the limit, the node model, the partition, the topology
 * expansion, the link model of every chip pair and the placement of every
 * chip. */
#ifndef MCUSIM_POINT_PLAN_H
#define MCUSIM_POINT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../collectives/link_map.h"
#include "experiment.h"

typedef struct point_request {
    uint32_t chips;
    bool functional;      /* tensors with data (also implied by check) */
    bool check;           /* the 1-chip reference of --check is counted in the estimate */
    bool trace;           /* a trace is kept in memory */
    uint64_t max_memory;  /* bytes; 0 = no limit */
    /* The program already partitioned and expanded for this workload,
     * topology and chip count (timing-only: no tensors), which the plan
     * takes over (freed with it, on failure too); NULL: built here. An
     * exploration builds it once for the points that differ only in link or
     * node, and each point's process places its own copy. */
    system_program *program;
} point_request;

/* One system size, built and placed, ready to simulate. */
typedef struct point_plan {
    node_model *node;              /* chip 0's (the root's): its clock counts the run's cycles */
    /* The node instances: nodes[0] of system.node, nodes[1 + i] of
     * system.chips[i]; NULL where no chip of this size uses it. */
    node_model **nodes;
    const char **node_names;       /* per entry of nodes: what reports call it */
    size_t n_nodes;
    uint32_t *chip_node;           /* per chip: its entry of nodes */
    double *chip_clock_hz;         /* per chip: its node's clock */
    /* The system's layout over the nodes of its chips (point_nodes.h): one
     * node's own when every chip has it. comp_map[i][k]: where component
     * k of nodes[i] sits in it. */
    node_layout layout;
    uint8_t (*comp_map)[COMPONENTS_MAX];
    bool heterogeneous;            /* the chips do not all have one node */
    /* Per chip, what its node brings to balance: capacity; NULL when some
     * node cannot say (the split then treats the chips alike). */
    chip_capacity *capacity;
    system_program *prog;
    link_map *links;               /* the link model instance of every chip pair */
    placement_report *placement;   /* prog->n_chips entries */
} point_plan;

/* Builds and places one point. 0; 2 (bad config: memory estimate over the
 * limit, model, partition or link map refuses) or 1 (the program does not fit the
 * node: placement) with a one-line reason in err that starts with the
 * section it is about ("workload: ...", "system.topology: ...",
 * "system.links[1]: ...", or the
 * placement's own "chip 3: ..."). *out is freed on failure. */
int point_plan_build(const experiment *e, const point_request *r, point_plan *out, char *err,
                     size_t errlen);
void point_plan_free(point_plan *p);

/* Chip c's node, and its op cost and always-on power over the system's
 * components (p->layout). */
const node_model *point_plan_node(const point_plan *p, uint32_t chip);
int point_plan_op_cost(const point_plan *p, const chip_program *c, const prog_op *op,
                       op_cost *out);
void point_plan_always_on_power(const point_plan *p, uint32_t chip,
                                double leak_w[COMPONENTS_MAX], double always_w[COMPONENTS_MAX]);

/* `validate`: every chip count of `chips` checked as run would (memory for
 * the given mode, then a timing-only build and placement). 0, or the exit
 * code run would give (2 or 1) with err located at the chip count
 * (sweep.chips[i] when chips is e->chips). */
int experiment_check_points(const experiment *e, const param_uint_list *chips, bool functional,
                            uint64_t max_memory, cfg_error *err);

#endif
