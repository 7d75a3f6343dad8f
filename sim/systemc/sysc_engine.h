/* The SystemC engine behind mcusim_simulate, callable from C. It simulates an
 * already expanded and placed system_program; every cost comes through
 * sysc_hooks, so tests can drive it with hand-written programs and stub
 * costs, and mcusim_simulate plugs in the real node and link models.
 *
 * One run per process: SystemC cannot be elaborated twice, so a second call
 * returns an error (sweeps fork a process per point). */
#ifndef MCUSIM_SYSC_ENGINE_H
#define MCUSIM_SYSC_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The C core's headers carry no C++ guards of their own. */
#ifdef __cplusplus
extern "C" {
#endif

#include "../../core/link.h"
#include "../../models/node.h"
#include "../../core/program.h"
#include "../report/run_stats.h"

typedef struct sysc_hooks {
    void *ctx;
    double clock_hz;   /* converts op cycles to time */
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
     * is indexed by, where the engine books link and wait, and which level
     * and component the off-chip stream through the memory port is. */
    const node_layout *layout;
} sysc_hooks;

typedef struct sysc_options {
    bool functional;          /* execute kernels and move real payload bytes */
    const char *trace_path;   /* Chrome-trace JSON, or NULL */
    /* Fault injection for tests: the first payload that crosses the directed
     * link flip_src->flip_dst arrives with one high bit of its first word
     * flipped (a wire error; link_module.cpp says which). Off when
     * flip_src < 0 or flip_src == flip_dst (a zeroed struct has it off). */
    int32_t flip_src, flip_dst;
    /* One TX and one RX PHY per chip (topology.phy: shared): a transfer also
     * waits until its sender's TX and its receiver's RX are free. Otherwise
     * only the directed link itself is a shared resource. */
    bool shared_phy;
} sysc_options;

typedef struct sysc_result {
    double makespan_s;        /* when the last chip finished */
    /* When in-flight inference 0 (prog_op.inference) completed: its last op
     * on any chip ended and its last payload landed. The makespan when the
     * program runs one inference. */
    double first_done_s;
    uint64_t makespan_cycles; /* the same in cycles: what every chip's time_cycles sum to */
    uint64_t sim_events;      /* wait()s + TLM transactions issued */
    double resolution_s;      /* the SystemC time resolution the run used */
} sysc_result;

/* Simulates p. per_chip has p->n_chips entries, indexed by the components
 * of h->layout; busy cycles, critical-path
 * time cycles (each chip's sum == makespan_cycles), dynamic and link
 * energy, byte counters and finish time are filled (static energy and
 * placement are the caller's). Before elaborating, every op's cost and
 * every transfer is asked for once and checked, and their sum (an upper
 * bound of the run's time) picks the finest time resolution whose 64-bit
 * range covers the run (1 fs for runs up to about an hour of simulated
 * time); a run longer than 2^62 cycles is refused. Returns 0, or -1 with a
 * one-line reason (bad cost, run too long, deadlock, bad op, second
 * simulation in this process). */
int sysc_run(system_program *p, const sysc_hooks *h, const sysc_options *o,
             chip_stats *per_chip, sysc_result *res, char *err, size_t errlen);

/* True once a simulation ran in this process. */
bool sysc_already_ran(void);

#ifdef __cplusplus
}
#endif

#endif
