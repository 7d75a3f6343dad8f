/* Everything a sweep checks and computes before it starts a point or
 * writes a file: the --sweep axes (well-formed, no key twice, no value
 * twice, no sweep.chips, every value loadable) and the stamp of every
 * point of the plan (its id, the SHA-256 of its resolved configuration,
 * the version, the mode). */
#ifndef MCUSIM_SWEEP_PREPARE_H
#define MCUSIM_SWEEP_PREPARE_H

#include "../report/point_file.h"
#include "../run/sweep_runner.h"
#include "cli_common.h"

/* Largest plan a sweep accepts (chips x every combination of values). */
#define SWEEP_MAX_POINTS 100000

/* Checks the axes among themselves and against the --set keys. Prints one
 * line labelled --sweep and returns 2 on a problem, else 0. */
int sweep_check_axes(const sweep_axis *axes, size_t n_axes, const cli_overrides *sets);

/* Loads the experiment of every grid combination (--set, then its --sweep
 * values) and stamps every point of the plan into *out (sweep_plan_size
 * entries, caller frees). A value that does not load, or two combinations
 * that resolve to the same configuration, print one line labelled --sweep
 * and return 2. */
int sweep_stamp_plan(const char *path, const cli_overrides *sets, const sweep_plan *plan,
                     const char *mode, planned_point **out);

#endif
