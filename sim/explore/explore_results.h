/* What each chosen point of an exploration turned out to be: simulated
 * (with the value of every metric of the metric table), infeasible (with
 * the reason), or not there (failed, or another shard's). Points arrive in
 * any order; a relative metric (speedup...) is computed against the 1-chip
 * point of the same combination, so a point whose 1-chip partner has not
 * arrived yet is held until it does (or until explore_results_finish). */
#ifndef MCUSIM_EXPLORE_RESULTS_H
#define MCUSIM_EXPLORE_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../flow/run_stats.h"
#include "explore_sample.h"

typedef enum explore_status {
    EXPLORE_MISSING,      /* no valid file: failed, or another shard's */
    EXPLORE_SIMULATED,
    EXPLORE_INFEASIBLE,
    EXPLORE_DUPLICATE,    /* resolves to the configuration of another chosen point: not run */
} explore_status;

typedef struct explore_results explore_results;   /* opaque */

/* For the points of sel (which must outlive it). NULL when out of memory. */
explore_results *explore_results_create(const explore_spec *s, const explore_selection *sel);
void explore_results_destroy(explore_results *r);

/* Point i (an index into sel) was simulated with statistics st (copied as
 * needed). -1 when out of memory. */
int explore_results_add(explore_results *r, size_t i, const run_stats *st);
/* Point i cannot be built as configured, because `reason`. */
int explore_results_set_infeasible(explore_results *r, size_t i, const char *reason);
/* Point i resolves to the same configuration as another chosen point,
 * named in `reason` ("same configuration as g003-c0008"). */
int explore_results_set_duplicate(explore_results *r, size_t i, const char *reason);
/* Computes what is still held (without a 1-chip partner). */
int explore_results_finish(explore_results *r);

explore_status explore_results_status(const explore_results *r, size_t i);
const char *explore_results_reason(const explore_results *r, size_t i);   /* "" when simulated */
/* Value of metric number m (metric_at(m)) of point i; NaN when undefined or
 * not simulated. */
double explore_results_metric(const explore_results *r, size_t i, size_t m);
/* The scope of one inference of the simulated points ("" before any). */
const char *explore_results_scope(const explore_results *r);
/* The workload model's name of the simulated points ("" before any). */
const char *explore_results_model(const explore_results *r);

#endif
