/* `mcusim sensitivity`: the elasticity of each metric of the metric table
 * marked for it (latency, energy, speedup, EDP gain) to every numeric node
 * and link parameter, perturbed one at a time by +-delta. This header holds
 * the table the verb fills and the writers of its files. */
#ifndef MCUSIM_SENSITIVITY_H
#define MCUSIM_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../experiment/param_ref.h"
#include "../report/metrics.h"

#define SENS_MAX_METRICS 16
#define SENS_TOP_PLOT 15     /* bars per tornado chart */
#define SENS_TOP_PRINT 5     /* parameters per metric in the summary line */

typedef struct sens_row {
    param_ref ref;
    char unit[32];            /* unit of base/low/high in the CSV ("" for plain numbers) */
    double base, low, high;   /* SI; low/high as simulated (clamped, rounded) */
    char skipped[700];        /* why it was not perturbed, or "" */
    double elasticity[SENS_MAX_METRICS];   /* d ln metric / d ln parameter, central */
    double low_pct[SENS_MAX_METRICS];      /* metric change at low, % of the base run */
    double high_pct[SENS_MAX_METRICS];
} sens_row;

typedef struct sens_table {
    const experiment *e;
    uint32_t chips;
    double delta;
    const metric_def *metrics[SENS_MAX_METRICS];
    size_t n_metrics;
    sens_row *rows;           /* sorted: largest |elasticity| first, skipped last */
    size_t n_rows;
} sens_table;

/* Sorts the rows: by the largest |elasticity| over the metrics, then by
 * table order; skipped rows last, in table order. */
void sensitivity_sort(sens_table *t);

/* DIR/sensitivity.csv and DIR/tornado_<metric>.svg, atomically. */
int sensitivity_write(const char *dir, const sens_table *t, char *err, size_t errlen);

/* The most influential parameters per metric, one line each. */
void sensitivity_print_summary(FILE *out, const sens_table *t);

#endif
