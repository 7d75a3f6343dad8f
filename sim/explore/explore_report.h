/* The output folder of an exploration (README "Design-space exploration"):
 *   points.csv   every chosen point: id, chips, each axis value, status
 *                (simulated | infeasible | duplicate | missing), reason, whether it
 *                meets the constraints, whether it is on the Pareto front,
 *                then every metric of the metric table
 *   pareto.csv   the front's points (same columns), by the first objective
 *   best.csv     per objective: the best point, the runner-up and the
 *                experiment's own configuration, with the differences
 *   pareto_<x>_<y>.svg   one scatter per pair of objectives (with one
 *                objective: pareto_chips_<y>.svg, it against chips)
 *   summary.md   the space, the strategy, the outcome, which configuration
 *                wins each objective and by how much, the front
 * Every file is written atomically. Nothing in them depends on the host,
 * the date or the order the points finished in. */
#ifndef MCUSIM_EXPLORE_REPORT_H
#define MCUSIM_EXPLORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "../experiment/experiment.h"
#include "../report/point_file.h"
#include "explore_results.h"

typedef struct explore_report {
    const char *dir;
    const experiment *e;
    const explore_spec *spec;
    const explore_selection *sel;
    const explore_results *res;
    const planned_point *planned;     /* per point of sel: its id and --sweep label */
    const bool *baseline;             /* per point: the experiment's own configuration */
    const char *version, *mode, *config_sha256, *spec_sha256;
    const char *const *left_out;      /* "FILE: why" of files not used */
    size_t n_left_out;
} explore_report;

/* What the report found, for the command line's last lines. */
typedef struct explore_summary {
    size_t simulated, infeasible, duplicate, missing, meeting, front;
} explore_summary;

int explore_report_write(const explore_report *r, explore_summary *sum, char *err, size_t errlen);

#endif
