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

/* The sweep's axes: the experiment's sweep.vary axes in file order, then
 * the --sweep axes of the command line. The command line wins: a --sweep
 * of a key the file varies replaces its values in place, a --set of it
 * removes the axis (both noted on stderr). origins[i] is the sweep.vary
 * axis axes[i] came from, NULL for a --sweep one. A --sweep key inside a
 * varied one (or the reverse) prints one line and returns 2. */
int sweep_merge_axes(const experiment *e, const sweep_axis *cli, size_t n_cli,
                     const cli_overrides *sets, sweep_axis *axes, const vary_axis **origins,
                     size_t *n_axes);

/* Checks the axes among themselves and against the --set keys. Prints one
 * line (labelled --sweep, or FILE:LINE:COL of a sweep.vary key) and
 * returns 2 on a problem, else 0. origins as sweep_merge_axes' (may be
 * NULL: every axis from the command line). */
int sweep_check_axes(const sweep_axis *axes, size_t n_axes, const cli_overrides *sets,
                     const vary_axis *const *origins);

/* Loads the experiment of every grid combination (--set, then its --sweep
 * values) and stamps every point of the plan into *out (sweep_plan_size
 * entries, caller frees). A value that does not load, or two combinations
 * that resolve to the same configuration, print one line (labelled
 * --sweep, or at the sweep.vary value's FILE:LINE:COL) and return 2. With
 * a grid, a point whose partitioner cannot split its chip count is marked
 * not applicable (planned_point.not_applicable) rather than failing. */
int sweep_stamp_plan(const char *path, const cli_overrides *sets, const sweep_plan *plan,
                     const vary_axis *const *origins, const char *mode, planned_point **out);

/* The not-applicable points of a plan as "ID (key=v;...): why" lines
 * (report_provenance.not_applicable; NULL when there are none or out of
 * memory); free with sweep_notes_free. */
char **sweep_not_applicable_notes(const planned_point *pp, size_t n, size_t *count);
void sweep_notes_free(char **notes, size_t count);

#endif
