/* Minimal SVG charts written directly (no plotting tool needed): line
 * charts with log2 x axis and stacked bar charts, with axes, ticks, labels
 * and a legend. */
#ifndef MCUSIM_SVG_PLOT_H
#define MCUSIM_SVG_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct svg_series {
    const char *label;
    const double *x, *y;        /* non-finite or non-positive-on-log points are skipped */
    size_t n;
    bool dashed;                /* reference lines (e.g. linear scaling) */
    bool markers_only;          /* published points: hollow diamonds, no line */
} svg_series;

typedef struct svg_line_chart {
    const char *title, *xlabel, *ylabel;
    const char *subtitle;       /* a smaller line under the title, or NULL */
    bool log_y;                 /* x is always log2 (chip counts) */
    const svg_series *series;
    size_t n_series;
} svg_line_chart;

typedef struct svg_bar_chart {
    const char *title, *xlabel, *ylabel;
    const char *subtitle;              /* a smaller line under the title, or NULL */
    size_t n_bars, n_stack;
    const char *const *bar_labels;     /* n_bars */
    const char *const *stack_labels;   /* n_stack */
    const double *values;              /* n_bars * n_stack, row-major by bar */
    double y_max;                      /* top of the axis (100 for shares), or 0: from the bars */
} svg_bar_chart;

/* Tornado chart: one horizontal bar per parameter, top to bottom in the
 * order given, from 0 to the change at the low setting (low colour) and
 * from 0 to the change at the high setting (high colour), over an axis
 * symmetric about 0. Non-finite values are drawn as 0. */
typedef struct svg_tornado_chart {
    const char *title, *xlabel;
    const char *low_label, *high_label;   /* legend, e.g. "-20 %" and "+20 %" */
    size_t n;
    const char *const *labels;           /* n parameter names */
    const double *low, *high;            /* n values each, in axis units */
    const char *subtitle;                /* a smaller line under the title, or NULL */
} svg_tornado_chart;

/* Scatter of points in two figures (an exploration's objectives): the
 * Pareto front in colour (joined as a staircase when `staircase`, i.e. the
 * front is of these two figures alone), dominated points grey, points that
 * violate the constraints as light crosses, marked points (the
 * experiment's own configuration) as diamonds. An axis is logarithmic
 * (decades) when its positive values span more than a factor 30. */
typedef enum svg_dot { SVG_DOT_DOMINATED, SVG_DOT_FRONT, SVG_DOT_EXCLUDED } svg_dot;

typedef struct svg_scatter_chart {
    const char *title, *subtitle, *xlabel, *ylabel;
    size_t n;
    const double *x, *y;          /* non-finite points are skipped */
    const svg_dot *dot;
    const bool *marked;           /* NULL: none */
    const char *const *tips;      /* hover text of front and marked points, or NULL */
    const char *marked_label;     /* legend of the marked points */
    bool staircase;
} svg_scatter_chart;

int svg_write_line_chart(FILE *out, const svg_line_chart *c);
int svg_write_scatter(FILE *out, const svg_scatter_chart *c);
int svg_write_tornado(FILE *out, const svg_tornado_chart *c);
int svg_write_stacked_bars(FILE *out, const svg_bar_chart *c);

#endif
