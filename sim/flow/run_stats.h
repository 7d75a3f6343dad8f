/* What one simulated point (experiment × chip count) measured. Produced by
 * the flow (simulate.h) and its timing backend, consumed by the report
 * writers. Plain C. */
#ifndef MCUSIM_RUN_STATS_H
#define MCUSIM_RUN_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "../../models/node.h"
#include "op_stats.h"

/* The provenance stamp of one simulated point: which point of the plan it
 * is, the SHA-256 of its fully resolved configuration, the mcusim version
 * and the mode that produced it. Carried here, computed and compared by
 * sim/report/point_stamp.h. */
typedef struct point_stamp {
    char id[32];                  /* point file stem: c0004, g002-c0004 */
    char config_sha256[64 + 1];   /* hex SHA-256 of the point's resolved config; "" = unstamped */
    char version[32];             /* mcusim version that simulated it */
    char mode[24];                /* see stamp_mode() */
} point_stamp;

/* Per-component arrays are indexed by run_stats.components (the node's
 * layout: its components with the engine's link and wait among them). */
typedef struct chip_stats {
    uint64_t busy_cycles[COMPONENTS_MAX];   /* wait = cycles spent waiting */
    /* Critical-path partition of the whole run: sums exactly to run_stats.cycles
     * (the system latency). Each stretch of the chip's timeline goes to what
     * bounded it (op_cost.time_cycles inside ops; link on the wire; wait when
     * waiting for peers, a busy link, or for the others to finish).
     * busy_cycles overlap inside ops and can exceed the run; these cannot. */
    uint64_t time_cycles[COMPONENTS_MAX];
    /* Per component: per-event energy and active power over its busy time,
     * plus what the node draws for the whole run (node_always_on_power). */
    double energy_j[COMPONENTS_MAX];
    double leakage_j[COMPONENTS_MAX];    /* the leakage component's energy split per component */
    uint64_t offchip_bytes;              /* traffic at the node's off-chip level */
    uint64_t link_bytes_sent;            /* payload bytes this chip sent */
    uint64_t link_wire_bytes_sent;       /* with headers/encoding */
    double finish_s;                     /* when its program ended */
    /* The chip's node (system.chips gives chips nodes of their own): what
     * reports call it (node_display_name) and its clock, which its op
     * cycles count; the cycle figures above count run_stats.clock_hz. */
    char node[64];
    double clock_hz;
    placement_report placement;
} chip_stats;

typedef struct run_stats {
    char experiment[256];
    char model[64];
    char mode[32];                       /* "autoregressive" | "prompt" */
    char scope[128];                     /* what one inference covers (workload_scope) */
    uint32_t chips;
    /* What the node declared (node_layout): the components the per-chip
     * arrays are indexed by, and the memory levels of the placements. */
    component_set components;
    mem_level_set levels;
    /* Chip 0's clock (the root's; every chip's when they share a node):
     * what every cycle figure of the run counts, a chip of another clock
     * included (its op cycles become time at its own clock, and that time
     * cycles of this one). */
    double clock_hz;
    uint64_t cycles;                     /* makespan in cycles of clock_hz */
    double latency_s;                    /* the makespan (of every in-flight inference) */
    double energy_j;                     /* all chips, all components, off-chip memory included */
    uint64_t offchip_bytes;
    uint64_t link_bytes;                 /* payload bytes over all links */
    /* Several inferences in flight (workload.in_flight; 1 otherwise): the
     * totals above are the whole run's; the summaries divide them per
     * inference. first_done_s is when the first completed (its latency;
     * latency_s when in_flight is 1). */
    uint32_t in_flight;
    uint64_t tokens_per_inference;       /* 1 autoregressive, seq_len in prompt mode */
    double first_done_s;
    uint64_t sim_events;                 /* SystemC delta/timed notifications, for speed figures */
    double wall_s;
    bool functional;
    bool check_passed;                   /* meaningful when check_run */
    bool check_run;
    chip_stats *per_chip;                /* `chips` entries, malloc'd */
    /* --stats ops: one record per executed op of every chip, chip by chip
     * (op_stats.h), malloc'd; NULL when not collected (and in a point read
     * back from its file: they live in OUT/ops/<id>.json). */
    op_record *ops;
    size_t n_ops;
    /* Filled by the sweep driver, empty/0 for a plain run: the --sweep
     * assignments of this point ("key.path=value;key.path=value") and the
     * index of that combination in the sweep grid (rows sort by it, then chips). */
    char sweep[256];
    uint32_t grid_index;
    /* Provenance (sweep driver, run --out): which point of which resolved
     * configuration, version and mode; all empty for an unstamped result. */
    point_stamp stamp;
} run_stats;

#endif
