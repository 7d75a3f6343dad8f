/* Bounded, derivative-free, deterministic minimisation on the unit box
 * [0,1]^n: Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink
 * 1/2) whose every trial point is clamped into the box, restarted once
 * from its best point with a fresh simplex (a simplex that collapsed onto a
 * face of the box or onto a line gets its other directions back). The
 * caller maps the box onto its parameters (calibrate: log scale between
 * physical bounds). Points that can be evaluated together (the first
 * simplex, a shrink) are handed to the objective in one batch so it can run
 * them in parallel. Same inputs, same sequence of points: no randomness. */
#ifndef MCUSIM_BOX_SEARCH_H
#define MCUSIM_BOX_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

/* Evaluates k points (u: k rows of n coordinates) into f[0..k). Returns 0,
 * or non-zero to stop the search (box_search then returns that value). */
typedef int (*box_objective)(void *ctx, const double *u, size_t k, double *f);

typedef struct box_search_options {
    double step;        /* edge of the first simplex in box units, (0, 0.5]; 0 = 0.25 */
    double xtol;        /* converged when every vertex lies within xtol (max-norm) of the
                         * best; 0 = 1e-6 */
    double ftol;        /* ... and their values within ftol of the best; 0 = 1e-12 */
    size_t max_evals;   /* points evaluated, both passes together; 0 = 2000 */
} box_search_options;

typedef struct box_search_result {
    double f;           /* best value found */
    size_t evals;       /* points handed to the objective */
    bool converged;     /* both passes met the tolerances before max_evals */
} box_search_result;

/* Minimises from u0 (clamped into the box); u_best gets the best point.
 * Returns 0, the objective's non-zero return, or -1 when out of memory. */
int box_search(size_t n, const double *u0, box_objective fn, void *ctx,
               const box_search_options *o, double *u_best, box_search_result *res);

#endif
