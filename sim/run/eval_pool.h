/* Timing-only runs in parallel, kept in memory: each job (experiment file,
 * --set overrides, chip count) runs in its own forked process (SystemC
 * allows one simulation per process), at most `procs` at a time; the child
 * sends its run_stats JSON back through a pipe and the parent parses it.
 * Outcomes come back in job order whatever order the children finish in,
 * so callers stay deterministic. Used by calibrate and sensitivity, which
 * need many small runs and no point files. */
#ifndef MCUSIM_EVAL_POOL_H
#define MCUSIM_EVAL_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "../flow/run_stats.h"

typedef struct eval_job {
    const char *experiment;       /* path of the experiment file */
    const char *const *sets;      /* "key.path=value", applied in order */
    size_t n_sets;
    uint32_t chips;
} eval_job;

typedef struct eval_outcome {
    int rc;                       /* 0; 1 simulation failure or crash; 2 bad configuration */
    char err[600];                /* one line when rc != 0 */
    run_stats stats;              /* when rc == 0; eval_outcomes_free releases it */
} eval_outcome;

/* Runs one job in the child and fills *out. Returns 0, or the exit code (1
 * simulation failure, 2 bad configuration) with a one-line reason in err.
 * The simulation is the caller's, so the pool knows nothing of it. */
typedef int (*eval_fn)(const eval_job *job, void *ctx, run_stats *out, char *err,
                       size_t errlen);

/* Runs fn on every job, each in its own process. Returns 0 when every job
 * was run (each outcome says how it went), -1 when the pool itself failed
 * (pipe, fork, memory) with err set. */
int eval_pool_run(const eval_job *jobs, size_t n, unsigned procs, eval_fn fn, void *ctx,
                  eval_outcome *out, char *err, size_t errlen);
void eval_outcomes_free(eval_outcome *out, size_t n);

/* Parallel processes to use when the user gave none: the online CPUs. */
unsigned eval_pool_default_procs(void);

#endif
