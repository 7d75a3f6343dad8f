/* The record of a point that cannot be built as configured (the
 * partitioner cannot split the workload over its chips, the program does
 * not fit the node): POINTS_DIR/<id>.infeasible.json, stamped like a point
 * file, holding the reason. An exploration counts such a point as an
 * answer ("infeasible, because ..."), not as a failure, and --resume and
 * merge reuse the record exactly as they reuse a point file: only when its
 * stamp and --sweep label are the plan's. */
#ifndef MCUSIM_POINT_INFEASIBLE_H
#define MCUSIM_POINT_INFEASIBLE_H

#include <stddef.h>

#include "point_file.h"

/* Longest reason kept (longer ones are cut). */
#define POINT_INFEASIBLE_REASON_MAX 512

/* POINTS_DIR/<id>.infeasible.json into buf. */
void point_infeasible_path(const char *points_dir, const char *id, char *buf, size_t cap);

/* Writes the record of point `p` atomically. -1 with err on failure. */
int point_infeasible_write(const char *path, const planned_point *p, const char *reason,
                           char *err, size_t errlen);

/* Judges the record at path as point `want`, like point_file_load:
 * POINT_OK (reason filled), POINT_MISSING, POINT_BAD or POINT_STALE with
 * why saying what is wrong. */
point_status point_infeasible_load(const char *path, const planned_point *want, char *reason,
                                   size_t reason_cap, char *why, size_t cap);

#endif
