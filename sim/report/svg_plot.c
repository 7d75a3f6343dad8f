/* SVG chart drawing. Geometry is fixed (640×400, legend on the right) so
 * that every plot of a report looks the same. */
#include "svg_plot.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define W 700.0
#define H 400.0
#define PL 78.0    /* plot area left */
#define PR 500.0   /* plot area right; legend beyond */
#define PT 48.0
#define PB 340.0

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                      "#17becf", "#bcbd22"};
#define N_PALETTE (sizeof palette / sizeof palette[0])

static void xml_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&') fputs("&amp;", out);
        else if (*s == '<') fputs("&lt;", out);
        else if (*s == '>') fputs("&gt;", out);
        else if (*s == '"') fputs("&quot;", out);
        else fputc(*s, out);
    }
}

static void header(FILE *out, const char *title, const char *subtitle, const char *xlabel,
                   const char *ylabel)
{
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            W, H, W, H);
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"16\" "
                 "font-weight=\"bold\">", (PL + PR) / 2, subtitle && subtitle[0] ? 24 : 28);
    xml_text(out, title);
    if (subtitle && subtitle[0]) {
        fprintf(out, "</text>\n<text x=\"%.1f\" y=\"43\" text-anchor=\"middle\" font-size=\"11\">",
                (PL + PR) / 2);
        xml_text(out, subtitle);
    }
    fprintf(out, "</text>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (PL + PR) / 2,
            PB + 44);
    xml_text(out, xlabel);
    fprintf(out, "</text>\n<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" "
                 "transform=\"rotate(-90 18 %.1f)\">", (PT + PB) / 2, (PT + PB) / 2);
    xml_text(out, ylabel);
    fputs("</text>\n", out);
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                 "stroke=\"#333\"/>\n", PL, PT, PR - PL, PB - PT);
}

static void fmt_tick(char *b, size_t cap, double v)
{
    if (v != 0 && (fabs(v) >= 1e5 || fabs(v) < 1e-3)) snprintf(b, cap, "%.0e", v);
    else snprintf(b, cap, "%g", v);
}

typedef struct axis {
    double lo, hi;     /* in axis space (log2/log10 applied) */
    int kind;          /* 0 linear, 2 log2, 10 log10 */
} axis;

static double to_axis(const axis *a, double v)
{
    return a->kind == 2 ? log2(v) : a->kind == 10 ? log10(v) : v;
}

static int usable(const axis *a, double v)
{
    return isfinite(v) && (a->kind == 0 || v > 0);
}

static double px_x(const axis *a, double v)
{
    double t = a->hi > a->lo ? (to_axis(a, v) - a->lo) / (a->hi - a->lo) : 0.5;
    return PL + 10 + t * (PR - PL - 20);
}

static double px_y(const axis *a, double v)
{
    double t = a->hi > a->lo ? (to_axis(a, v) - a->lo) / (a->hi - a->lo) : 0.5;
    return PB - t * (PB - PT);
}

static void range(const svg_line_chart *c, int want_x, const axis *a, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t s = 0; s < c->n_series; s++)
        for (size_t i = 0; i < c->series[s].n; i++) {
            double v = want_x ? c->series[s].x[i] : c->series[s].y[i];
            double other = want_x ? c->series[s].y[i] : c->series[s].x[i];
            if (!usable(a, v) || !isfinite(other)) continue;
            if (v < *lo) *lo = v;
            if (v > *hi) *hi = v;
        }
}

static double nice_step(double span)
{
    double raw = span / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static void grid_line_y(FILE *out, double y, const char *label)
{
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", PL, y,
            PR, y);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", PL - 6, y + 4,
            label);
}

static void y_ticks(FILE *out, axis *a, double lo, double hi)
{
    char b[32];
    if (a->kind == 0) {
        double step = nice_step(hi > 0 ? hi : 1);
        a->lo = 0;
        a->hi = ceil((hi > 0 ? hi : 1) / step) * step;
        for (double v = 0; v <= a->hi + step / 2; v += step) {
            fmt_tick(b, sizeof b, v);
            grid_line_y(out, px_y(a, v), b);
        }
        return;
    }
    /* Powers of two read better for speedups; decades when the range is wide. */
    a->kind = hi / lo > 1024 ? 10 : 2;
    a->lo = floor(to_axis(a, lo));
    a->hi = ceil(to_axis(a, hi));
    if (a->hi <= a->lo) a->hi = a->lo + 1;
    for (double k = a->lo; k <= a->hi + 1e-9; k++) {
        double v = a->kind == 2 ? exp2(k) : pow(10, k);
        fmt_tick(b, sizeof b, v);
        grid_line_y(out, px_y(a, v), b);
    }
}

static void x_ticks(FILE *out, axis *a, double lo, double hi)
{
    a->kind = 2;
    a->lo = floor(log2(lo));
    a->hi = ceil(log2(hi));
    for (double k = a->lo; k <= a->hi + 1e-9; k++) {
        double x = px_x(a, exp2(k));
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n", x,
                PT, x, PB);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n", x, PB + 18,
                exp2(k));
    }
}

static void diamond(FILE *out, double x, double y, const char *color)
{
    fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"none\" "
                 "stroke=\"%s\" stroke-width=\"2\"",
            x, y - 6, x + 6, y, x, y + 6, x - 6, y, color);
}

/* box: a filled swatch (bar charts); marker: a diamond (published points);
 * otherwise a line, dashed or not. */
static void legend_entry(FILE *out, size_t k, const char *label, const char *color, int dashed,
                         int box, int marker)
{
    double y = PT + 10 + 20.0 * (double)k;
    if (marker) {
        diamond(out, PR + 23, y, color);
        fputs("/>\n", out);
    } else if (box)
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\"/>\n",
                PR + 16, y - 6, color);
    else
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                     "stroke-width=\"2\"%s/>\n",
                PR + 12, y, PR + 34, y, color, dashed ? " stroke-dasharray=\"6 4\"" : "");
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">", PR + 40, y + 4);
    xml_text(out, label);
    fputs("</text>\n", out);
}

static void draw_series(FILE *out, const svg_series *s, const axis *ax, const axis *ay,
                        const char *color)
{
    if (s->markers_only) {
        for (size_t i = 0; i < s->n; i++) {
            if (!usable(ax, s->x[i]) || !usable(ay, s->y[i])) continue;
            diamond(out, px_x(ax, s->x[i]), px_y(ay, s->y[i]), color);
            fputs("><title>", out);
            xml_text(out, s->label);
            fprintf(out, ": %g</title></path>\n", s->y[i]);
        }
        return;
    }
    fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", color,
            s->dashed ? " stroke-dasharray=\"6 4\"" : "");
    for (size_t i = 0; i < s->n; i++)
        if (usable(ax, s->x[i]) && usable(ay, s->y[i]))
            fprintf(out, "%.1f,%.1f ", px_x(ax, s->x[i]), px_y(ay, s->y[i]));
    fputs("\"/>\n", out);
    if (s->dashed) return;
    for (size_t i = 0; i < s->n; i++)
        if (usable(ax, s->x[i]) && usable(ay, s->y[i]))
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n",
                    px_x(ax, s->x[i]), px_y(ay, s->y[i]), color);
}

int svg_write_line_chart(FILE *out, const svg_line_chart *c)
{
    header(out, c->title, c->subtitle, c->xlabel, c->ylabel);
    axis ax = {.kind = 2}, ay = {.kind = c->log_y ? 2 : 0};
    double xlo, xhi, ylo, yhi;
    range(c, 1, &ax, &xlo, &xhi);
    range(c, 0, &ay, &ylo, &yhi);
    if (xlo > xhi) { xlo = 1; xhi = 2; }
    if (ylo > yhi) { ylo = 1; yhi = 2; }
    x_ticks(out, &ax, xlo, xhi);
    y_ticks(out, &ay, ylo, yhi);
    for (size_t s = 0; s < c->n_series; s++) {
        const svg_series *se = &c->series[s];
        const char *color = se->dashed ? "#888" : se->markers_only ? "#000" : palette[s % N_PALETTE];
        draw_series(out, se, &ax, &ay, color);
        legend_entry(out, s, se->label, color, se->dashed, 0, se->markers_only);
    }
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}

int svg_write_stacked_bars(FILE *out, const svg_bar_chart *c)
{
    header(out, c->title, c->subtitle, c->xlabel, c->ylabel);
    double top = 0;
    for (size_t b = 0; b < c->n_bars; b++) {
        double sum = 0;
        for (size_t k = 0; k < c->n_stack; k++) {
            double v = c->values[b * c->n_stack + k];
            if (isfinite(v) && v > 0) sum += v;
        }
        if (sum > top) top = sum;
    }
    if (c->y_max > 0) top = c->y_max;   /* shares: 100 %, whatever the rounding of their sum */
    axis ay = {.kind = 0};
    y_ticks(out, &ay, 0, top);
    double slot = (PR - PL) / (double)(c->n_bars ? c->n_bars : 1), bw = slot * 0.6;
    for (size_t b = 0; b < c->n_bars; b++) {
        double x = PL + slot * (double)b + (slot - bw) / 2, acc = 0;
        for (size_t k = 0; k < c->n_stack; k++) {
            double v = c->values[b * c->n_stack + k];
            if (!isfinite(v) || v <= 0) continue;
            double y0 = px_y(&ay, acc), y1 = px_y(&ay, acc + v);
            fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                         "<title>", x, y1, bw, y0 - y1, palette[k % N_PALETTE]);
            xml_text(out, c->stack_labels[k]);
            fprintf(out, ": %g</title></rect>\n", v);
            acc += v;
        }
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x + bw / 2, PB + 18);
        xml_text(out, c->bar_labels[b]);
        fputs("</text>\n", out);
    }
    for (size_t k = 0; k < c->n_stack; k++)
        legend_entry(out, k, c->stack_labels[c->n_stack - 1 - k],
                     palette[(c->n_stack - 1 - k) % N_PALETTE], 0, 1, 0);
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- scatter: both axes linear from 0, or decades ---- */

static void scatter_range(const double *v, const double *other, size_t n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]) || !isfinite(other[i])) continue;
        if (v[i] < *lo) *lo = v[i];
        if (v[i] > *hi) *hi = v[i];
    }
    if (*lo > *hi) { *lo = 0; *hi = 1; }
}

/* The 1-2-5 value at or below (down) or above (up) v > 0. */
static double nice125(double v, bool up)
{
    double mag = pow(10, floor(log10(v))), steps[] = {1, 2, 5, 10};
    if (up) {
        for (int i = 0; i < 4; i++)
            if (steps[i] * mag >= v * (1 - 1e-12)) return steps[i] * mag;
        return 10 * mag;
    }
    for (int i = 3; i >= 0; i--)
        if (steps[i] * mag <= v * (1 + 1e-12)) return steps[i] * mag;
    return mag;
}

/* Logarithmic when every value is positive and they span more than 30x,
 * from the 1-2-5 value below the least to the one above the largest. */
static void scatter_axis(axis *a, double lo, double hi)
{
    if (lo > 0 && hi / lo > 30) {
        a->kind = 10;
        a->lo = log10(nice125(lo, false));
        a->hi = log10(nice125(hi, true));
        if (a->hi <= a->lo) a->hi = a->lo + 1;
        return;
    }
    /* linear: nice steps around the values (not from 0: the points are the subject) */
    a->kind = 0;
    double span = hi - lo > 0 ? hi - lo : (fabs(hi) > 0 ? fabs(hi) : 1), step = nice_step(span);
    a->lo = floor(lo / step) * step;
    a->hi = ceil(hi / step) * step;
    if (a->hi <= a->lo) a->hi = a->lo + step;
}

/* The tick values of a log axis: 1, 2 and 5 times each power of ten in range. */
static size_t log_ticks(const axis *a, double *v, size_t cap)
{
    size_t n = 0;
    double lo = pow(10, a->lo) * (1 - 1e-9), hi = pow(10, a->hi) * (1 + 1e-9);
    for (double d = floor(a->lo); d <= ceil(a->hi) && n < cap; d++)
        for (int m = 0; m < 3 && n < cap; m++) {
            double t = (m == 0 ? 1 : m == 1 ? 2 : 5) * pow(10, d);
            if (t >= lo && t <= hi) v[n++] = t;
        }
    return n;
}

static void scatter_ticks(FILE *out, const axis *ax, const axis *ay)
{
    char b[32];
    for (int horizontal = 0; horizontal < 2; horizontal++) {
        const axis *a = horizontal ? ay : ax;
        double ticks[64];
        size_t nt = 0;
        if (a->kind) {
            nt = log_ticks(a, ticks, 64);
        } else {
            double step = nice_step(a->hi - a->lo);
            for (double k = a->lo; k <= a->hi + step * 1e-6 && nt < 64; k += step)
                ticks[nt++] = fabs(k) < step * 1e-6 ? 0 : k;
        }
        for (size_t t = 0; t < nt; t++) {
            double v = ticks[t];
            fmt_tick(b, sizeof b, v);
            if (horizontal) {
                grid_line_y(out, px_y(a, v), b);
                continue;
            }
            double x = px_x(a, v);
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n",
                    x, PT, x, PB);
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x,
                    PB + 18, b);
        }
    }
}

static int by_x(const void *a, const void *b)
{
    const double *p = a, *q = b;
    return p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1];
}

int svg_write_scatter(FILE *out, const svg_scatter_chart *c)
{
    header(out, c->title, c->subtitle, c->xlabel, c->ylabel);
    double xlo, xhi, ylo, yhi;
    scatter_range(c->x, c->y, c->n, &xlo, &xhi);
    scatter_range(c->y, c->x, c->n, &ylo, &yhi);
    axis ax, ay;
    scatter_axis(&ax, xlo, xhi);
    scatter_axis(&ay, ylo, yhi);
    scatter_ticks(out, &ax, &ay);
    const char *front_color = palette[1], *grey = "#9a9a9a", *light = "#d0d0d0";
    size_t count[3] = {0, 0, 0}, n_marked = 0;
    /* the excluded and dominated first, so the front is drawn over them */
    for (int pass = 0; pass < 3; pass++) {
        svg_dot want = pass == 0 ? SVG_DOT_EXCLUDED : pass == 1 ? SVG_DOT_DOMINATED : SVG_DOT_FRONT;
        for (size_t i = 0; i < c->n; i++) {
            if (c->dot[i] != want || !usable(&ax, c->x[i]) || !usable(&ay, c->y[i])) continue;
            double x = px_x(&ax, c->x[i]), y = px_y(&ay, c->y[i]);
            count[want]++;
            if (want == SVG_DOT_EXCLUDED)
                fprintf(out, "<path d=\"M%.1f %.1fl5 5m0 -5l-5 5\" stroke=\"%s\"/>\n", x - 2.5,
                        y - 2.5, light);
            else if (want == SVG_DOT_DOMINATED)
                fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"/>\n", x, y, grey);
            else {
                fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">", x, y,
                        front_color);
                if (c->tips && c->tips[i]) {
                    fputs("<title>", out);
                    xml_text(out, c->tips[i]);
                    fputs("</title>", out);
                }
                fputs("</circle>\n", out);
            }
        }
    }
    if (c->staircase && count[SVG_DOT_FRONT] > 1) {
        double *f = malloc(2 * count[SVG_DOT_FRONT] * sizeof *f);
        size_t m = 0;
        for (size_t i = 0; f && i < c->n; i++)
            if (c->dot[i] == SVG_DOT_FRONT && usable(&ax, c->x[i]) && usable(&ay, c->y[i])) {
                f[2 * m] = c->x[i];
                f[2 * m + 1] = c->y[i];
                m++;
            }
        if (f) {
            qsort(f, m, 2 * sizeof *f, by_x);
            fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
                    front_color);
            for (size_t i = 0; i < m; i++) {
                if (i) fprintf(out, "%.1f,%.1f ", px_x(&ax, f[2 * i]), px_y(&ay, f[2 * i - 1]));
                fprintf(out, "%.1f,%.1f ", px_x(&ax, f[2 * i]), px_y(&ay, f[2 * i + 1]));
            }
            fputs("\"/>\n", out);
        }
        free(f);
    }
    for (size_t i = 0; c->marked && i < c->n; i++) {
        if (!c->marked[i] || !usable(&ax, c->x[i]) || !usable(&ay, c->y[i])) continue;
        n_marked++;
        double x = px_x(&ax, c->x[i]), y = px_y(&ay, c->y[i]);
        fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"none\" "
                     "stroke=\"#000\" stroke-width=\"1.2\">",
                x, y - 5, x + 5, y, x, y + 5, x - 5, y);
        if (c->tips && c->tips[i]) {
            fputs("<title>", out);
            xml_text(out, c->tips[i]);
            fputs("</title>", out);
        }
        fputs("</path>\n", out);
    }
    char label[96];
    size_t k = 0;
    snprintf(label, sizeof label, "Pareto front (%zu)", count[SVG_DOT_FRONT]);
    legend_entry(out, k++, label, front_color, 0, 1, 0);
    snprintf(label, sizeof label, "dominated (%zu)", count[SVG_DOT_DOMINATED]);
    legend_entry(out, k++, label, grey, 0, 1, 0);
    if (count[SVG_DOT_EXCLUDED]) {
        snprintf(label, sizeof label, "violates constraints (%zu)", count[SVG_DOT_EXCLUDED]);
        legend_entry(out, k++, label, light, 0, 1, 0);
    }
    if (n_marked) legend_entry(out, k++, c->marked_label ? c->marked_label : "marked", "#000", 0, 0, 1);
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- tornado: geometry of its own (a label column, height by bar count) ---- */

#define TW 760.0
#define TL 270.0   /* plot area left; parameter names to its left */
#define TR 600.0   /* plot area right; legend beyond */
#define TT 56.0    /* plot area top */
#define TROW 22.0  /* height of one bar's row */

static double tornado_x(double v, double span)
{
    return TL + (TR - TL) * (0.5 + 0.5 * v / span);
}

static double finite_or_zero(double v)
{
    return isfinite(v) ? v : 0.0;
}

static void tornado_bar(FILE *out, double v, double span, double y, const char *color,
                        const char *label, const char *side)
{
    double x0 = tornado_x(0, span), x1 = tornado_x(v, span);
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                 "<title>", x0 < x1 ? x0 : x1, y + 3, fabs(x1 - x0), TROW - 6, color);
    xml_text(out, label);
    fputs(" ", out);
    xml_text(out, side);
    fprintf(out, ": %+.4g</title></rect>\n", v);
}

int svg_write_tornado(FILE *out, const svg_tornado_chart *c)
{
    const char *low_color = palette[0], *high_color = palette[1];
    double pb = TT + TROW * (double)(c->n ? c->n : 1), h = pb + 62;
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            TW, h, TW, h);
    bool sub = c->subtitle && c->subtitle[0];
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"16\" "
                 "font-weight=\"bold\">", TW / 2, sub ? 22 : 28);
    xml_text(out, c->title);
    if (sub) {
        fprintf(out, "</text>\n<text x=\"%.1f\" y=\"40\" text-anchor=\"middle\" font-size=\"11\">",
                TW / 2);
        xml_text(out, c->subtitle);
    }
    fprintf(out, "</text>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (TL + TR) / 2,
            pb + 40);
    xml_text(out, c->xlabel);
    fputs("</text>\n", out);
    double top = 0;
    for (size_t i = 0; i < c->n; i++) {
        double a = fabs(finite_or_zero(c->low[i])), b = fabs(finite_or_zero(c->high[i]));
        if (a > top) top = a;
        if (b > top) top = b;
    }
    /* Symmetric axis out to the next nice tick, so 0 sits in the middle. */
    double step = nice_step(top > 0 ? top : 1), span = ceil((top > 0 ? top : 1) / step) * step;
    char b[32];
    for (double v = -span; v <= span + step / 2; v += step) {
        double x = tornado_x(v, span);
        fmt_tick(b, sizeof b, fabs(v) < step / 2 ? 0 : v);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n",
                x, TT, x, pb);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, pb + 18, b);
    }
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                 "stroke=\"#333\"/>\n", TL, TT, TR - TL, pb - TT);
    if (c->n == 0)
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no parameters</text>\n",
                (TL + TR) / 2, TT + TROW / 2 + 4);
    for (size_t i = 0; i < c->n; i++) {
        double y = TT + TROW * (double)i;
        double lo = finite_or_zero(c->low[i]), hi = finite_or_zero(c->high[i]);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", TL - 8, y + TROW / 2 + 4);
        xml_text(out, c->labels[i]);
        fputs("</text>\n", out);
        /* The longer bar first, so a shorter one on the same side stays visible. */
        if (fabs(lo) >= fabs(hi)) {
            tornado_bar(out, lo, span, y, low_color, c->labels[i], c->low_label);
            tornado_bar(out, hi, span, y, high_color, c->labels[i], c->high_label);
        } else {
            tornado_bar(out, hi, span, y, high_color, c->labels[i], c->high_label);
            tornado_bar(out, lo, span, y, low_color, c->labels[i], c->low_label);
        }
    }
    double x0 = tornado_x(0, span);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
            x0, TT, x0, pb);
    const char *names[2] = {c->low_label, c->high_label}, *colors[2] = {low_color, high_color};
    for (int k = 0; k < 2; k++) {
        double y = TT + 10 + 20.0 * k;
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\"/>\n",
                TR + 16, y - 6, colors[k]);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">", TR + 36, y + 4);
        xml_text(out, names[k]);
        fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}
