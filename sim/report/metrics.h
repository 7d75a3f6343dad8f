/* The figures of merit one simulated point yields, as ONE table shared by
 * `mcusim calibrate` (targets) and `mcusim sensitivity` (elasticities).
 * A metric that is a field of the statistics table (stat_fields.h: a
 * summary.csv column) takes its unit, doc and value from there, so it always
 * equals the report's column of that name; the others (a figure no summary
 * has) carry their own. Adding a metric is adding a row. */
#ifndef MCUSIM_METRICS_H
#define MCUSIM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../flow/run_stats.h"

struct report_row;

typedef struct metric_def {
    const char *name;             /* "latency_ms": the summary.csv column */
    bool relative;                /* needs the 1-chip run of the same experiment and parameters */
    uint32_t min_chips;           /* below it the value is fixed by definition */
    const char *min_chips_why;    /* says why, for the error message */
    bool sensitivity;             /* a column group of `mcusim sensitivity` */
    /* Only for a metric that is not a field of the statistics table. */
    const char *unit;             /* "ms", "mJ", "x" (ratio), "B", "cycles" */
    const char *doc;              /* one line for help and README */
    double (*value)(const struct report_row *r);
} metric_def;

/* The metric's unit, doc and value in a summary row: the field's when it
 * is one of the statistics table. */
const char *metric_unit(const metric_def *m);
const char *metric_doc(const metric_def *m);
double metric_value(const metric_def *m, const struct report_row *r);

size_t metric_count(void);
const metric_def *metric_at(size_t i);
const metric_def *metric_find(const char *name);
/* "latency_ms, energy_mj, ..." for messages. */
void metric_names(char *buf, size_t cap);

/* The metric of `point`. `base` is its 1-chip run (same experiment and
 * parameters) for a relative metric; it may be NULL or point itself when
 * point is 1 chip. NaN when it cannot be computed (a relative metric
 * without its base). */
double metric_eval(const metric_def *m, const run_stats *point, const run_stats *base);

#endif
