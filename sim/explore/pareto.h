/* The Pareto front of a set of points under several objectives. */
#ifndef MCUSIM_PARETO_H
#define MCUSIM_PARETO_H

#include <stdbool.h>
#include <stddef.h>

/* v holds n rows of k objective values (row-major), every objective
 * minimised (negate one that is maximised). Row j dominates row i when it
 * is <= in every objective and < in at least one; the front is the rows
 * no row dominates. Rows with include[i] false (NULL: all included) or a
 * non-finite value are neither on the front nor dominate anything; rows
 * with equal values are all on it or all off it. Sets on_front[i] and
 * returns how many are on the front. -1 when out of memory. */
long pareto_front(const double *v, size_t n, size_t k, const bool *include, bool *on_front);

/* Whether row a dominates row b (k values each, minimised). */
bool pareto_dominates(const double *a, const double *b, size_t k);

#endif
