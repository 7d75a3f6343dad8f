/* The `explore:` section of an experiment file: the design space (key
 * paths over lists of values or numeric ranges; chips is one axis), the
 * constraints, the objectives and the search budget. Schema (README
 * "Design-space exploration"):
 *
 *   explore:
 *     space:
 *       chips: {from: 1, to: 64, step: 1}        # or a list; default sweep.chips
 *       system.topology.fan_in: [2, 4, 8]         # any key path: a list of values
 *       system.link: [!include ../../links/mipi_dphy.yaml, {model: ideal}]
 *       system.node.clock: {from: 90 MHz, to: 360 MHz, count: 3, scale: log}
 *     constraints: ["latency_ms <= 1"]            # metric op number, in the metric's unit
 *     objectives: [latency_ms, energy_mj, {max: speedup}]   # a name is minimised
 *     max_points: 10000                           # exhaustive up to here, else sampled
 *     seed: 1                                     # of the sampling
 *
 * Every value is turned into the text a `--set key=VALUE` would give
 * (an included file as `!include PATH` relative to the experiment file), so
 * a point is the experiment loaded with those assignments, exactly as a
 * `--sweep` grid point is. */
#ifndef MCUSIM_EXPLORE_SPEC_H
#define MCUSIM_EXPLORE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../experiment/experiment.h"
#include "../report/metrics.h"

#define EXPLORE_MAX_AXES 8          /* besides chips (a point's --sweep label holds 8) */
#define EXPLORE_MAX_VALUES 1024     /* per axis */
#define EXPLORE_VALUE_MAX 200       /* the text of one value */
#define EXPLORE_MAX_OBJECTIVES 6
#define EXPLORE_MAX_CONSTRAINTS 16
#define EXPLORE_DEFAULT_MAX_POINTS 10000
#define EXPLORE_LIMIT_MAX_POINTS 100000   /* what max_points may be set to */

typedef struct explore_value {
    char text[EXPLORE_VALUE_MAX];   /* as --set takes it: "4", "2 MiB", "!include ../x.yaml" */
    const cfg_node *at;             /* where it was written (a range: the range's map) */
} explore_value;

typedef struct explore_axis {
    char key[128];                  /* "system.topology.fan_in"; "chips" for the chips axis */
    explore_value *values;
    size_t n;
    const char *key_file;           /* where the key was written */
    int key_line, key_col;
} explore_axis;

typedef enum explore_goal { EXPLORE_MIN, EXPLORE_MAX } explore_goal;

typedef struct explore_objective {
    const metric_def *metric;
    explore_goal goal;
    const cfg_node *at;
} explore_objective;

typedef enum explore_cmp { EXPLORE_LE, EXPLORE_LT, EXPLORE_GE, EXPLORE_GT } explore_cmp;

typedef struct explore_constraint {
    const metric_def *metric;
    explore_cmp op;
    double bound;                   /* in the metric's unit */
    char text[128];                 /* normalised: "latency_ms <= 50" */
    const cfg_node *at;
} explore_constraint;

typedef struct explore_spec {
    explore_axis chips;             /* values are chip counts 1..4096 */
    uint32_t *chip_counts;          /* chips.n of them, as numbers */
    explore_axis axes[EXPLORE_MAX_AXES];   /* the other axes, in file order */
    size_t n_axes;
    explore_objective objectives[EXPLORE_MAX_OBJECTIVES];
    size_t n_objectives;
    explore_constraint constraints[EXPLORE_MAX_CONSTRAINTS];
    size_t n_constraints;
    uint64_t max_points;
    uint64_t seed;
    bool needs_one_chip;            /* a relative metric is asked for (speedup...) */
    const cfg_node *at;             /* the explore: map */
} explore_spec;

/* Reads e->tree's explore: section into *out. The values are checked for
 * form only (see explore_spec_check_values for loading them). -1 with err
 * located at the offending key or value. */
int explore_spec_load(const experiment *e, explore_spec *out, cfg_error *err);
void explore_spec_free(explore_spec *s);

/* Points of the whole grid (chips x every combination of the axes), or
 * UINT64_MAX when that overflows. */
uint64_t explore_grid_size(const explore_spec *s);
/* Combinations of the axes other than chips (the grid index of a point). */
uint64_t explore_combinations(const explore_spec *s);

/* Whether metric m holds for value v. */
bool explore_constraint_holds(const explore_constraint *c, double v);

/* "key=value" of value v of axis a into buf (what --set takes). */
void explore_assignment(const explore_axis *a, size_t v, char *buf, size_t cap);

/* A canonical text of the spec (axes and values, constraints, objectives,
 * budget), for the record of a plan: two runs explore the same thing iff
 * their texts are equal. malloc'd. */
char *explore_spec_text(const explore_spec *s);

#endif
