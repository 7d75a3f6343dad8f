/* The fit of `mcusim calibrate`: maps the unit box of box_search onto each
 * parameter's bounds on a log scale, turns a point into the --set texts of
 * the runs it needs (every distinct experiment x chip count of the targets,
 * plus the 1-chip runs of relative metrics), runs them in the eval pool and
 * scores the weighted sum of squared ln(simulated/target). Evaluations are
 * cached by their parameter texts, which are rounded to 9 significant
 * digits so that the values written to the overlay are exactly the values
 * that were simulated. */
#ifndef MCUSIM_CALIB_FIT_H
#define MCUSIM_CALIB_FIT_H

#include <stdbool.h>
#include <stddef.h>

#include "calib_file.h"

/* A simulated value of 0 (e.g. no off-chip traffic) scores as this
 * fraction of its target, so ln stays finite and the miss stays large. */
#define CALIB_FLOOR 1e-6
/* A fitted value this close to a bound (relative) is flagged. */
#define CALIB_AT_BOUND 0.01

typedef struct calib_result {
    double *u;                    /* best point in the unit box, per parameter */
    char (*texts)[96];            /* per parameter: the value as simulated and written */
    double *values;               /* per parameter, SI */
    int *at_bound;                /* per parameter: -1 at min, +1 at max, 0 inside */
    double *sims;                 /* per target: simulated metric */
    double objective;
    size_t evals, runs;           /* points the search asked for; simulations run */
    bool converged;
} calib_result;

/* Runs the fit with `procs` parallel processes. 0, or the exit code (1 a
 * failed run, 2 a configuration a run refused) with a one-line message. */
int calib_fit(const calib_spec *c, unsigned procs, bool progress, calib_result *out, char *err,
              size_t errlen);
void calib_result_free(calib_result *r);

#endif
