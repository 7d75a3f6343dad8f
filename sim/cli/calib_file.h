/* A calibration file (CALIB.yaml, schema in README "Calibration"), loaded
 * through the project's YAML layer and checked completely before anything
 * runs: every parameter is a numeric node or link key of every experiment
 * it is fitted on, with physical bounds in its own unit; every target names
 * a known metric at a chip count the workload can be split over. Errors
 * are one FILE:LINE:COL: key.path: message, at the value that is wrong. */
#ifndef MCUSIM_CALIB_FILE_H
#define MCUSIM_CALIB_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../experiment/param_ref.h"
#include "../report/metrics.h"

typedef struct calib_experiment {
    char path[PATH_MAX];          /* resolved against the file that named it */
    experiment *e;                /* loaded with the calibration's set: overrides */
} calib_experiment;

typedef struct calib_param {
    param_ref ref;
    double min, max, start;       /* SI; start = geometric mean of the bounds when not given */
    bool has_start;
    char min_text[96], max_text[96], start_text[96];   /* as written (start: as used) */
    char units[3][32];            /* unit symbols written in min, max, start */
    char *reason;
} calib_param;

typedef struct calib_target {
    size_t exp;                   /* index into experiments */
    uint32_t chips;
    const metric_def *metric;
    double value, weight;
    char *source;
} calib_target;

typedef struct calib_output {
    bool present;
    char base[PATH_MAX];          /* the file the overlay builds on, as loaded */
    char file[PATH_MAX];          /* the overlay to write */
} calib_output;

typedef struct calib_spec {
    char path[PATH_MAX];          /* the calibration file as given */
    char name[256];
    char *description;
    calib_experiment *exps;
    size_t n_exps;
    const char **sets;            /* --set style, applied to every run before the parameters */
    size_t n_sets;
    calib_output node_out, link_out;
    calib_param *params;
    size_t n_params;
    calib_target *targets;
    size_t n_targets;
    cfg_node *tree;
} calib_spec;

/* Of the units written in min, max and start, the one that shows v with
 * the fewest digits before the point while keeping at least one ("1.2 GB/s"
 * rather than "1200 MB/s" or "0.3 GB/s"); NULL when none was written. */
const char *calib_pick_unit(const calib_param *p, double v);

/* NULL with err filled on any error. */
calib_spec *calib_load(const char *path, cfg_error *err);
void calib_destroy(calib_spec *c);

#endif
