/* Timing backends: what turns a built and placed system_program into time,
 * energy and per-chip statistics. A registry (core/registry.h) like the
 * other seams, each entry {name, doc, params, ops} with a
 * timing_backend_ops table as its ops; `systemc`, the SystemC/TLM-2.0
 * engine of sim/systemc/, is the first (the default) and only entry.
 *
 * A backend knows no node, link or workload: every cost comes through
 * timing_hooks, which the flow (flow_hooks.c) binds to the point's node
 * model, kernels and per-pair link map, and which tests bind to stubs. What
 * no backend measures (static energy, run totals, --check) the flow adds
 * afterwards (simulate.h). Adding a backend is one new file defining its
 * registry_entry plus one line in timing_backend_registry.c. */
#ifndef MCUSIM_TIMING_BACKEND_H
#define MCUSIM_TIMING_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The C core's headers carry no C++ guards of their own; the SystemC
 * backend includes this one from C++. */
#ifdef __cplusplus
extern "C" {
#endif

#include "../../core/link.h"
#include "../../core/program.h"
#include "../../core/registry.h"
#include "../../models/node.h"
#include "run_stats.h"

typedef struct timing_hooks {
    void *ctx;
    /* What the run's cycle figures count (busy and critical-path cycles,
     * makespan_cycles, the per-op rows): chip 0's clock. It also converts
     * every chip's op cycles to time unless chip_clock_hz is given. */
    double clock_hz;
    /* Node-side cost of any op of chip c (compute, DMA, send/recv side). */
    int (*op_cost)(void *ctx, const chip_program *c, const prog_op *op, op_cost *out);
    /* Real arithmetic of a compute op; NULL or unused in timing-only runs. */
    int (*exec_op)(void *ctx, chip_program *c, const prog_op *op, char *err, size_t errlen);
    /* Time/energy of moving `bytes` over the idle directed link src->dst. */
    link_cost (*link_transfer)(void *ctx, uint32_t src, uint32_t dst, uint64_t bytes);
    /* Names the model of link src->dst in messages about its results
     * (link_describe: "link plug-in 'NAME' (PATH)"); NULL: "link model".
     * Every cost the hooks return is checked (link_cost_check,
     * node_op_cost_check) before it is used, and the run fails naming the
     * op, the link's model and the value. */
    const char *(*link_name)(void *ctx, uint32_t src, uint32_t dst);
    /* The node's components and memory levels (node_layout): what per_chip
     * is indexed by, where the backend books link and wait, and which level
     * and component the off-chip stream through the memory port is. */
    const node_layout *layout;
    /* Per chip (the program's n_chips entries): the clock its op cycles
     * count, for chips of different nodes; NULL: clock_hz for all. */
    const double *chip_clock_hz;
    /* What the trace calls chip c's node (beside its number), or NULL. */
    const char *(*chip_node_name)(void *ctx, uint32_t chip);
} timing_hooks;

typedef struct timing_options {
    bool functional;          /* execute kernels and move real payload bytes */
    const char *trace_path;   /* Chrome-trace JSON, or NULL */
    /* Fault injection for tests: the first payload that crosses the directed
     * link flip_src->flip_dst arrives with one high bit of its first word
     * flipped (the SystemC backend's link_module.cpp says which). Off when
     * flip_src < 0 or flip_src == flip_dst (a zeroed struct has it off). */
    int32_t flip_src, flip_dst;
    /* One TX and one RX PHY per chip (topology.phy: shared): a transfer also
     * waits until its sender's TX and its receiver's RX are free. Otherwise
     * only the directed link itself is a shared resource. */
    bool shared_phy;
    /* --stats ops: record what every op cost (timing_result.ops). */
    bool collect_ops;
} timing_options;

typedef struct timing_result {
    double makespan_s;        /* when the last chip finished */
    /* When in-flight inference 0 (prog_op.inference) completed: its last op
     * on any chip ended and its last payload landed. The makespan when the
     * program runs one inference. */
    double first_done_s;
    uint64_t makespan_cycles; /* the same in cycles: what every chip's time_cycles sum to */
    uint64_t sim_events;      /* the backend's events (SystemC: wait()s + TLM transactions) */
    double resolution_s;      /* the time resolution the run used */
    /* With collect_ops: one record per op of every chip, then per chip its
     * drain and tail rows, chip by chip (op_stats.h; no static rows: static
     * energy is the flow's). malloc'd, the caller frees; NULL otherwise. */
    op_record *ops;
    size_t n_ops;
} timing_result;

/* The `ops` of a timing backend's registry entry. */
typedef struct timing_backend_ops {
    /* Simulates p. per_chip has p->n_chips zeroed entries, indexed by the
     * components of h->layout; busy cycles, critical-path time cycles
     * (each chip's sum == makespan_cycles), dynamic and link energy, byte
     * counters and finish time are filled (static energy and placement are
     * the flow's), and with collect_ops the per-op rows whose sums are those
     * figures (op_stats_check). Returns 0, or -1 with a one-line reason (bad cost, run
     * too long, deadlock, bad op, a second run where already_ran forbids
     * it). */
    int (*run)(system_program *p, const timing_hooks *h, const timing_options *o,
               chip_stats *per_chip, timing_result *res, char *err, size_t errlen);
    /* True when this process cannot run another simulation (SystemC
     * elaborates once per process, so sweeps fork a process per point);
     * NULL: a backend that can run any number of times. */
    bool (*already_ran)(void);
} timing_backend_ops;

/* The registry: its kind for `mcusim list`, its NULL-terminated entries
 * (the first is the default), and a find by name. */
const registry_kind *timing_backend_registry(void);
const registry_entry *const *timing_backend_entries(void);
const registry_entry *timing_backend_find(const char *name, int *deprecated);

#ifdef __cplusplus
}
#endif

#endif
