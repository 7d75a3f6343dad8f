/* C entry point of one point: the flow of sim/flow/ on a timing backend
 * (timing_backend.h). One simulation per process (SystemC
 * cannot be restarted), so sweeps fork a process per point. */
#ifndef MCUSIM_SIMULATE_H
#define MCUSIM_SIMULATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {   /* the C core's headers carry no C++ guards of their own */
#endif

#include "../experiment/experiment.h"
#include "run_stats.h"

typedef struct sim_options {
    uint32_t chips;
    bool functional;          /* false = --timing-only: no arithmetic, same timing */
    bool check;               /* compare the N-chip output with a 1-chip functional run */
    const char *trace_path;   /* Perfetto / Chrome-trace JSON, or NULL */
    FILE *dump_program;       /* --dump-program destination, or NULL */
    /* Test hook (see timing_options): flip one payload bit on link
     * flip_src->flip_dst; off when equal (a zeroed struct) or negative. */
    int32_t flip_src, flip_dst;
    uint64_t max_memory;      /* refuse when the memory estimate exceeds it (bytes; 0 = none) */
    bool op_stats;            /* --stats ops: run_stats.ops, a row per executed op */
    /* An entry of timing_backend_registry() (or a test's own); NULL: the
     * registry's default, systemc. */
    const registry_entry *backend;
    /* Timing-only: the program already built for this point, taken over
     * (point_request.program); NULL: built here. */
    system_program *program;
} sim_options;

/* Builds the programs (point_plan_build: memory estimate, models,
 * partition, topology, placement), simulates them and fills *out (caller
 * frees with run_stats_free). Returns 0 on success, 1 on a simulation
 * failure (model does not fit, bad cost, --check mismatch: *out still
 * filled), 2 on bad configuration; err holds a one-line reason. */
int mcusim_simulate(const experiment *e, const sim_options *o, run_stats *out,
                    char *err, size_t errlen);

void run_stats_free(run_stats *s);

#ifdef __cplusplus
}
#endif

#endif
