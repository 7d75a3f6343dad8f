/* The report's SVG plots: speedup (with linear scaling), energy and EDP
 * against chips, one series per sweep-grid group; stacked bars of where
 * time and energy go per chip count, in absolute units and normalised to
 * 100 % (the 1-chip bar dwarfs the 64-chip one in absolute units). The time
 * bars stack the critical-path partition (comp_time_ms), not busy time:
 * busy components overlap inside an op, so stacking them would overshoot
 * the latency. Only components with a value in some bar are stacked and in
 * the legend. Every axis title carries its unit, every title the scope of
 * one inference on a line of its own. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "svg_plot.h"

#define MAX_SERIES 16

typedef struct series_buf {
    double x[PARAM_LIST_MAX * 4], y[PARAM_LIST_MAX * 4];
    char label[300];
} series_buf;

static int commit_svg(const char *dir, const char *name, membuf *m, plot_list *plots, char *err,
                      size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (membuf_commit(m, path, err, errlen)) return -1;
    if (plots->n < sizeof plots->names / sizeof plots->names[0])
        snprintf(plots->names[plots->n++], sizeof plots->names[0], "%s", name);
    return 0;
}

/* The line under every plot's title: what one inference covers (NULL:
 * the series differ, each being a sweep point with its own scope). */
static void scope_line(const char *scope, char *out, size_t cap)
{
    if (scope) snprintf(out, cap, "one inference: %s", scope);
    else snprintf(out, cap, "one inference: differs by series (scope column of summary.csv)");
}

typedef enum metric { M_SPEEDUP, M_ENERGY, M_EDP } metric;

/* A plot's series per grid group: the figure, and for energy and EDP also
 * the figure without the off-chip memory (the MCUs and their links). */
static double metric_of(const report_row *r, metric m, bool mcu)
{
    if (m == M_SPEEDUP) return r->speedup;
    if (m == M_ENERGY) return mcu ? r->energy_mcu_mj : r->energy_mj;
    return mcu ? r->edp_mcu_mj_ms : r->edp_mj_ms;
}

/* The published value of a reference row for plot m, or NaN: the metric
 * named in the row, or for EDP the product of a published latency and a
 * published energy of the same boundary. */
static double ref_value(const reference_row *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].metric, name) == 0) return r->v[i].value;
    return NAN;
}

static double ref_of(const reference_row *r, metric m, bool mcu)
{
    if (m == M_SPEEDUP) return mcu ? NAN : ref_value(r, "speedup");
    if (m == M_ENERGY) return ref_value(r, mcu ? "energy_mcu_mj" : "energy_mj");
    double edp = ref_value(r, mcu ? "edp_mcu_mj_ms" : "edp_mj_ms");
    return isnan(edp) ? ref_value(r, "latency_ms") * ref_value(r, mcu ? "energy_mcu_mj"
                                                                      : "energy_mj")
                      : edp;
}

/* Legend text of a grid group: "system.topology.fan_in=2;workload.seq_len=8"
 * -> "fan_in=2, seq_len=8" (the last key segment is enough to tell them
 * apart; the full assignment is in the CSV), cut to fit the legend. */
static void short_label(const char *sweep, char *out, size_t cap)
{
    if (!sweep[0]) { snprintf(out, cap, "simulated"); return; }
    size_t len = 0;
    for (const char *p = sweep; *p && len + 1 < cap;) {
        const char *end = strchr(p, ';'), *eq = strchr(p, '=');
        if (!end) end = p + strlen(p);
        const char *key = p;
        for (const char *q = p; q < (eq && eq < end ? eq : end); q++)
            if (*q == '.') key = q + 1;
        len += (size_t)snprintf(out + len, cap - len, "%s%.*s", p == sweep ? "" : ", ",
                                (int)(end - key), key);
        p = *end ? end + 1 : end;
    }
    if (strlen(out) > 28) snprintf(out + 25, cap - 25, "...");
}

/* Fills one series per group (at most MAX_SERIES, from ns on); returns the
 * new count. */
static size_t fill_series(const report_row *rows, size_t n, metric m, bool mcu, series_buf *buf,
                          svg_series *series, size_t ns)
{
    for (size_t i = 0; i < n && ns < MAX_SERIES; i = report_group_end(rows, n, i), ns++) {
        size_t end = report_group_end(rows, n, i), k = 0;
        for (size_t j = i; j < end && k < sizeof buf[ns].x / sizeof buf[ns].x[0]; j++, k++) {
            buf[ns].x[k] = rows[j].s->chips;
            buf[ns].y[k] = metric_of(&rows[j], m, mcu);
        }
        char label[300];
        short_label(rows[i].s->sweep, label, sizeof label);
        snprintf(buf[ns].label, sizeof buf[ns].label, "%.280s%s", label,
                 m == M_SPEEDUP ? "" : mcu ? " (MCUs)" : " (all)");
        series[ns] = (svg_series){.label = buf[ns].label, .x = buf[ns].x, .y = buf[ns].y, .n = k};
    }
    return ns;
}

/* The published points of plot m as one marker series, if there are any. */
static size_t fill_reference(const experiment *e, metric m, bool mcu, series_buf *buf,
                             svg_series *series, size_t ns)
{
    if (ns >= MAX_SERIES + 2) return ns;
    size_t k = 0;
    for (size_t i = 0; e && i < e->n_reference && k < sizeof buf[ns].x / sizeof buf[ns].x[0]; i++) {
        double v = ref_of(&e->reference[i], m, mcu);
        if (isnan(v)) continue;
        buf[ns].x[k] = (double)e->reference[i].chips;
        buf[ns].y[k++] = v;
    }
    if (k == 0) return ns;
    snprintf(buf[ns].label, sizeof buf[ns].label, "published%s",
             m == M_SPEEDUP ? "" : mcu ? " (MCUs)" : " (all)");
    series[ns] = (svg_series){.label = buf[ns].label, .x = buf[ns].x, .y = buf[ns].y, .n = k,
                              .markers_only = true};
    return ns + 1;
}

static int line_plot(const char *dir, const char *name, const experiment *e,
                     const report_row *rows, size_t n, metric m, plot_list *plots, char *err,
                     size_t errlen)
{
    static const char *const titles[] = {"Speedup over one chip", "Energy per inference",
                                         "Energy-delay product"};
    static const char *const ylabels[] = {"speedup (×, log scale)", "energy per inference (mJ)",
                                          "EDP per inference (mJ·ms, log scale)"};
    series_buf *buf = calloc(MAX_SERIES + 3, sizeof *buf);
    svg_series series[MAX_SERIES + 3];
    if (!buf) { snprintf(err, errlen, "out of memory"); return -1; }
    size_t ns = fill_series(rows, n, m, false, buf, series, 0);
    if (m != M_SPEEDUP) ns = fill_series(rows, n, m, true, buf, series, ns);
    ns = fill_reference(e, m, false, buf, series, ns);
    if (m != M_SPEEDUP) ns = fill_reference(e, m, true, buf, series, ns);
    if (m == M_SPEEDUP) {
        /* The ideal: speedup equal to the chip count over the plotted range. */
        series_buf *ideal = &buf[ns];
        size_t k = 0;
        for (size_t i = 0; i < n && k < sizeof ideal->x / sizeof ideal->x[0]; i++, k++)
            ideal->x[k] = ideal->y[k] = rows[i].s->chips;
        series[ns++] = (svg_series){.label = "linear scaling", .x = ideal->x, .y = ideal->y,
                                    .n = k, .dashed = true};
    }
    char sub[200];
    scope_line(report_common_scope(rows, n), sub, sizeof sub);
    svg_line_chart c = {.title = titles[m], .subtitle = sub, .xlabel = "chips (count, log2 scale)",
                        .ylabel = ylabels[m], .log_y = m != M_ENERGY, .series = series,
                        .n_series = ns};
    membuf mb;
    int rc = -1;
    if (membuf_open(&mb) == 0) {
        svg_write_line_chart(mb.f, &c);
        rc = commit_svg(dir, name, &mb, plots, err, errlen);
    } else {
        snprintf(err, errlen, "out of memory");
    }
    free(buf);
    return rc;
}

/* A component's value in one bar: 0 where the bar's node lacks it. */
static double bar_value(const report_row *r, uint32_t c, int energy)
{
    double v = energy ? r->comp_energy_mj[c] : r->comp_time_ms[c];
    return isnan(v) ? 0.0 : v;
}

/* The components a breakdown stacks: those of the view (energy or time)
 * that are non-zero in at least one bar, so the legend lists only what
 * shows. Returns their count. */
static int bar_components(const component_set *cs, const report_row *rows, size_t first,
                          size_t end, int energy, uint32_t *out)
{
    int n = 0;
    for (uint32_t c = 0; c < cs->n; c++) {
        if (!(energy ? cs->c[c].energy : cs->c[c].time)) continue;
        bool any = false;
        for (size_t i = first; i < end; i++) any |= bar_value(&rows[i], c, energy) != 0.0;
        if (any) out[n++] = c;
    }
    return n;
}

typedef enum bar_scale { BARS_ABSOLUTE, BARS_PERCENT } bar_scale;

static int bar_plot(const char *dir, const char *name, const report_table *t, size_t first,
                    size_t end, int energy, bar_scale scale, plot_list *plots, char *err,
                    size_t errlen)
{
    const report_row *rows = t->rows;
    size_t nb = end - first;
    uint32_t comps[COMPONENTS_MAX];
    size_t ns = (size_t)bar_components(&t->comps, rows, first, end, energy, comps);
    double *values = calloc(nb * COMPONENTS_MAX + 1, sizeof *values);
    char(*labels)[16] = calloc(nb + 1, sizeof *labels);
    const char **bar_labels = calloc(nb + 1, sizeof *bar_labels);
    const char *stack_labels[COMPONENTS_MAX];
    int rc = -1;
    if (!values || !labels || !bar_labels) { snprintf(err, errlen, "out of memory"); goto done; }
    for (size_t c = 0; c < ns; c++) stack_labels[c] = t->comps.c[comps[c]].name;
    for (size_t b = 0; b < nb; b++) {
        const report_row *r = &rows[first + b];
        snprintf(labels[b], sizeof labels[b], "%u", (unsigned)r->s->chips);
        bar_labels[b] = labels[b];
        double sum = 0;
        for (size_t c = 0; c < ns; c++) sum += values[b * ns + c] = bar_value(r, comps[c], energy);
        /* normalised: each bar its own 100 %, so small bars read as well as big ones */
        for (size_t c = 0; scale == BARS_PERCENT && c < ns; c++)
            values[b * ns + c] = sum > 0 ? 100.0 * values[b * ns + c] / sum : 0.0;
    }
    static const char *const titles[2][2] = {
        {"Where the time goes (mean per chip)", "Where the time goes (share of the latency)"},
        {"Energy by component (all chips)", "Energy by component (share of the energy)"}};
    static const char *const ylabels[2][2] = {
        {"time per chip (ms); wait = waiting on peers", "share of the latency (%); wait = waiting on peers"},
        {"energy, all chips (mJ); leakage = static power", "share of the energy (%); leakage = static power"}};
    char title[400];
    snprintf(title, sizeof title, "%s%s%s", titles[energy != 0][scale],
             rows[first].s->sweep[0] ? " — " : "", rows[first].s->sweep);
    char sub[200];
    scope_line(rows[first].s->scope, sub, sizeof sub);
    svg_bar_chart c = {.title = title, .subtitle = sub, .xlabel = "chips (count)",
                       .ylabel = ylabels[energy != 0][scale],
                       .n_bars = nb, .n_stack = ns, .bar_labels = bar_labels,
                       .stack_labels = stack_labels, .values = values,
                       .y_max = scale == BARS_PERCENT ? 100.0 : 0.0};
    membuf mb;
    if (membuf_open(&mb)) { snprintf(err, errlen, "out of memory"); goto done; }
    svg_write_stacked_bars(mb.f, &c);
    rc = commit_svg(dir, name, &mb, plots, err, errlen);
done:
    free(values);
    free(labels);
    free(bar_labels);
    return rc;
}

int report_write_plots(const char *dir, const experiment *e, const report_table *t,
                       plot_list *plots, char *err, size_t errlen)
{
    const report_row *rows = t->rows;
    size_t n = t->n;
    if (line_plot(dir, "speedup.svg", e, rows, n, M_SPEEDUP, plots, err, errlen) ||
        line_plot(dir, "energy.svg", e, rows, n, M_ENERGY, plots, err, errlen) ||
        line_plot(dir, "edp.svg", e, rows, n, M_EDP, plots, err, errlen))
        return -1;
    int multi = n && report_group_end(rows, n, 0) < n;
    for (size_t i = 0, g = 0; i < n && g < MAX_SERIES; i = report_group_end(rows, n, i), g++) {
        size_t end = report_group_end(rows, n, i);
        for (int energy = 0; energy <= 1; energy++)
            for (int scale = BARS_ABSOLUTE; scale <= BARS_PERCENT; scale++) {
                char name[64], group[16] = "";
                if (multi) snprintf(group, sizeof group, "_g%zu", g);
                snprintf(name, sizeof name, "breakdown_%s%s%s.svg", energy ? "energy" : "time",
                         group, scale == BARS_PERCENT ? "_pct" : "");
                if (bar_plot(dir, name, t, i, end, energy, (bar_scale)scale, plots, err, errlen))
                    return -1;
            }
    }
    return 0;
}
