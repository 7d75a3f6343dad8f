/* The job calibrate and sensitivity hand to the evaluation pool
 * (sim/run/eval_pool.h): one timing-only point of an experiment file. */
#ifndef MCUSIM_CLI_EVAL_H
#define MCUSIM_CLI_EVAL_H

#include <stddef.h>

#include "../run/eval_pool.h"

/* An eval_fn: loads job->experiment with its --set values (models from
 * cli_configs_dir) and simulates it timing-only on job->chips. ctx unused.
 * A bad configuration is its FILE:LINE:COL: key.path: message line (2); a
 * failed simulation "PATH: reason" (1). */
int cli_eval_timing_only(const eval_job *job, void *ctx, run_stats *out, char *err,
                         size_t errlen);

#endif
