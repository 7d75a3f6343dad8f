/* Which points of the space an exploration simulates. A point is a
 * combination of the axes other than chips (its grid index: mixed radix
 * over the axes in file order, the last fastest, as in a --sweep grid) and
 * a chip count, numbered u = combination * n_chips + chips index.
 *
 * - Exhaustive when the grid has at most max_points points.
 * - Otherwise max_points points drawn without repeats, seeded (the same
 *   spec and seed give the same points on any machine): a Latin hypercube
 *   over the grid (every value of every axis, chips included, taken by
 *   about the same number of points, the axes' columns shuffled
 *   independently), a point drawn twice replaced by a uniformly drawn
 *   point not yet taken. When max_points is above 90 % of the grid, a
 *   uniform subset instead (the grid shuffled, its first max_points).
 * - Then the points the caller requires (the experiment's own
 *   configuration) and, when a relative metric is asked for, the 1-chip
 *   point of every chosen combination are added.
 * Points come sorted by u. */
#ifndef MCUSIM_EXPLORE_SAMPLE_H
#define MCUSIM_EXPLORE_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "explore_spec.h"

typedef struct explore_selection {
    uint64_t *points;        /* u of each point, ascending */
    size_t n;
    bool exhaustive;
    size_t drawn;            /* points of the grid or of the sample */
    size_t added;            /* required and 1-chip points added beyond them */
} explore_selection;

/* The 64-bit generator of the sampling (splitmix64), exposed for tests. */
uint64_t explore_rng_next(uint64_t *state);
/* Uniform in [0, n), n >= 1, without modulo bias. */
uint64_t explore_rng_below(uint64_t *state, uint64_t n);

/* Chooses the points (see above). `required` are u values to add. -1 with
 * err when the grid is too large to index (more than 2^32 combinations) or
 * out of memory. */
int explore_select(const explore_spec *s, const uint64_t *required, size_t n_required,
                   explore_selection *out, char *err, size_t errlen);
void explore_selection_free(explore_selection *sel);

/* Decomposes a point: its combination, chips index, and the value index of
 * each axis other than chips (s->n_axes entries). */
void explore_point_values(const explore_spec *s, uint64_t u, uint32_t *combo, size_t *chips_i,
                          size_t *value_i);

#endif
