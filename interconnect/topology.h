/* Collective topologies: how OP_REDUCE / OP_BCAST become point-to-point
 * steps. The schedule is data (OP_SEND/OP_RECV ops in each chip's program),
 * so `--dump-program` shows exactly what runs. */
#ifndef MCUSIM_TOPOLOGY_H
#define MCUSIM_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>

#include "../core/param_spec.h"
#include "../core/program.h"

typedef enum topo_kind {
    TOPO_REDUCTION_TREE,  /* groups of fan_in chips reduce to a leader, leaders reduce further; broadcast back down */
    TOPO_RING,            /* pipelined chunks around a ring to the root, and back */
    TOPO_STAR             /* every chip exchanges directly with the root */
} topo_kind;

/* Whether a chip can talk to several peers at once. The schedule is the same
 * either way; the SystemC layer enforces the sharing. */
typedef enum topo_phy {
    TOPO_PHY_PER_PEER,    /* a point-to-point link per directed chip pair */
    TOPO_PHY_SHARED       /* one transmit and one receive PHY per chip, shared by all peers */
} topo_phy;

typedef struct topology_params {
    int kind;             /* topo_kind */
    uint64_t fan_in;      /* reduction_tree group size (>= 2) */
    uint64_t chunks;      /* ring: pipeline chunks per collective */
    int phy;              /* topo_phy: how a chip's links share its PHYs */
} topology_params;

extern const param_spec topology_param_specs[];
extern const size_t topology_param_count;

/* Rewrites every OP_REDUCE/OP_BCAST of p into OP_SEND/OP_RECV steps. */
int topology_expand(const topology_params *t, system_program *p, char *err, size_t errlen);

/* The point-to-point links a schedule uses: (src, dst) pairs, one direction
 * each, sorted. Caller frees *pairs. */
int topology_links(const system_program *p, uint32_t (**pairs)[2], size_t *n_pairs);

#endif
