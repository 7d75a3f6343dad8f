/* The files of an exploration (see explore_report.h). */
#include "explore_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/csv.h"
#include "../report/metrics.h"
#include "../report/report_internal.h"
#include "../report/svg_plot.h"
#include "pareto.h"

/* Everything derived once from the results. */
typedef struct view {
    const explore_report *r;
    size_t n, k;               /* points, objectives */
    bool *meets, *front;
    double *obj;               /* n x k, every objective minimised (a max negated) */
    size_t *metric_of;         /* objective -> metric index */
    size_t *values;            /* n x n_axes value indices */
    size_t *chips_i;
} view;

static size_t metric_index(const metric_def *m)
{
    for (size_t i = 0; i < metric_count(); i++)
        if (metric_at(i) == m) return i;
    return 0;
}

static double objective_value(const view *v, size_t i, size_t j)
{
    return explore_results_metric(v->r->res, i, v->metric_of[j]);
}

static int build_view(const explore_report *r, view *v, explore_summary *sum)
{
    memset(v, 0, sizeof *v);
    memset(sum, 0, sizeof *sum);
    v->r = r;
    v->n = r->sel->n;
    v->k = r->spec->n_objectives;
    size_t n = v->n ? v->n : 1, na = r->spec->n_axes ? r->spec->n_axes : 1;
    v->meets = calloc(n, sizeof *v->meets);
    v->front = calloc(n, sizeof *v->front);
    v->obj = calloc(n * v->k, sizeof *v->obj);
    v->metric_of = calloc(v->k, sizeof *v->metric_of);
    v->values = calloc(n * na, sizeof *v->values);
    v->chips_i = calloc(n, sizeof *v->chips_i);
    if (!v->meets || !v->front || !v->obj || !v->metric_of || !v->values || !v->chips_i) return -1;
    for (size_t j = 0; j < v->k; j++) v->metric_of[j] = metric_index(r->spec->objectives[j].metric);
    for (size_t i = 0; i < v->n; i++) {
        explore_point_values(r->spec, r->sel->points[i], NULL, &v->chips_i[i], v->values + i * na);
        explore_status st = explore_results_status(r->res, i);
        sum->simulated += st == EXPLORE_SIMULATED;
        sum->infeasible += st == EXPLORE_INFEASIBLE;
        sum->missing += st == EXPLORE_MISSING;
        sum->duplicate += st == EXPLORE_DUPLICATE;
        bool ok = st == EXPLORE_SIMULATED;
        for (size_t c = 0; ok && c < r->spec->n_constraints; c++) {
            const explore_constraint *x = &r->spec->constraints[c];
            ok = explore_constraint_holds(x, explore_results_metric(r->res, i, metric_index(x->metric)));
        }
        v->meets[i] = ok;
        sum->meeting += ok;
        for (size_t j = 0; j < v->k; j++) {
            double x = objective_value(v, i, j);
            v->obj[i * v->k + j] = r->spec->objectives[j].goal == EXPLORE_MAX ? -x : x;
        }
    }
    long nf = pareto_front(v->obj, v->n, v->k, v->meets, v->front);
    if (nf < 0) return -1;
    sum->front = (size_t)nf;
    return 0;
}

static void free_view(view *v)
{
    free(v->meets);
    free(v->front);
    free(v->obj);
    free(v->metric_of);
    free(v->values);
    free(v->chips_i);
}

static const char *axis_value(const view *v, size_t i, size_t a)
{
    size_t na = v->r->spec->n_axes ? v->r->spec->n_axes : 1;
    return v->r->spec->axes[a].values[v->values[i * na + a]].text;
}

static uint32_t chips_of(const view *v, size_t i)
{
    return v->r->spec->chip_counts[v->chips_i[i]];
}

/* A value as summaries show it: "!include ../../links/serdes.yaml" as
 * "serdes.yaml", "{base: ../../links/x.yaml, lanes: 2}" as "{x.yaml, lanes:
 * 2}" (the CSV files keep the exact text). */
static void short_value(const char *text, char *buf, size_t cap)
{
    const char *inc = "!include ", *base = "{base: ";
    if (!strncmp(text, inc, strlen(inc))) {
        const char *slash = strrchr(text, '/');
        snprintf(buf, cap, "%s", slash ? slash + 1 : text + strlen(inc));
    } else if (!strncmp(text, base, strlen(base))) {
        const char *end = strpbrk(text + strlen(base), ",}");
        const char *p = text + strlen(base), *slash = p;
        for (const char *q = p; end && q < end; q++)
            if (*q == '/') slash = q + 1;
        if (!end) { snprintf(buf, cap, "%s", text); return; }
        snprintf(buf, cap, "{%.*s%s", (int)(end - slash), slash, end);
    } else {
        snprintf(buf, cap, "%s", text);
    }
}

/* "fan_in=8, kind=chain" (the last segment of each key), chips first. */
static void short_config(const view *v, size_t i, char *buf, size_t cap)
{
    size_t len = (size_t)snprintf(buf, cap, "chips=%u", (unsigned)chips_of(v, i));
    for (size_t a = 0; a < v->r->spec->n_axes && len < cap; a++) {
        const char *key = v->r->spec->axes[a].key, *dot = strrchr(key, '.');
        char shown[EXPLORE_VALUE_MAX];
        short_value(axis_value(v, i, a), shown, sizeof shown);
        len += (size_t)snprintf(buf + len, cap - len, ", %s=%s", dot ? dot + 1 : key, shown);
    }
}

/* ---- CSV ---- */

static void csv_num(FILE *f, double x)
{
    if (isfinite(x)) fprintf(f, "%.9g", x);
}

static const char *status_name(explore_status s)
{
    return s == EXPLORE_SIMULATED ? "simulated" : s == EXPLORE_INFEASIBLE ? "infeasible"
           : s == EXPLORE_DUPLICATE   ? "duplicate" : "missing";
}

static void csv_header(FILE *f, const view *v)
{
    fputs("id,chips", f);
    for (size_t a = 0; a < v->r->spec->n_axes; a++) {
        fputc(',', f);
        csv_write_text(f, v->r->spec->axes[a].key);
    }
    fputs(",status,reason,meets_constraints,pareto", f);
    for (size_t m = 0; m < metric_count(); m++) fprintf(f, ",%s", metric_at(m)->name);
    fputc('\n', f);
}

static void csv_row(FILE *f, const view *v, size_t i)
{
    explore_status st = explore_results_status(v->r->res, i);
    csv_write_text(f, v->r->planned[i].stamp.id);
    fprintf(f, ",%u", (unsigned)chips_of(v, i));
    for (size_t a = 0; a < v->r->spec->n_axes; a++) {
        fputc(',', f);
        csv_write_text(f, axis_value(v, i, a));
    }
    fprintf(f, ",%s,", status_name(st));
    csv_write_text(f, explore_results_reason(v->r->res, i));
    if (st == EXPLORE_SIMULATED) fprintf(f, ",%d,%d", v->meets[i], v->front[i]);
    else fputs(",,", f);
    for (size_t m = 0; m < metric_count(); m++) {
        fputc(',', f);
        csv_num(f, explore_results_metric(v->r->res, i, m));
    }
    fputc('\n', f);
}

static int commit(const explore_report *r, const char *name, membuf *m, char *err, size_t errlen)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", r->dir, name) >= (int)sizeof path) {
        fclose(m->f);
        free(m->data);
        snprintf(err, errlen, "%s/%s: path too long", r->dir, name);
        return -1;
    }
    return membuf_commit(m, path, err, errlen);
}

/* The front in the order of the objectives (lexicographic), then index;
 * each entry carries its row, since qsort passes no context. */
typedef struct front_ref {
    const double *row;
    size_t k, index;
} front_ref;

static int by_objectives(const void *pa, const void *pb)
{
    const front_ref *a = pa, *b = pb;
    for (size_t j = 0; j < a->k; j++)
        if (a->row[j] != b->row[j]) return a->row[j] < b->row[j] ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static size_t *front_order(const view *v, size_t *nf)
{
    size_t n = v->n ? v->n : 1, m = 0;
    size_t *idx = malloc(n * sizeof *idx);
    front_ref *refs = malloc(n * sizeof *refs);
    if (!idx || !refs) { free(idx); free(refs); return NULL; }
    for (size_t i = 0; i < v->n; i++)
        if (v->front[i]) refs[m++] = (front_ref){v->obj + i * v->k, v->k, i};
    qsort(refs, m, sizeof *refs, by_objectives);
    for (size_t i = 0; i < m; i++) idx[i] = refs[i].index;
    free(refs);
    *nf = m;
    return idx;
}

static int write_csvs(const view *v, const size_t *order, size_t nf, char *err, size_t errlen)
{
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    csv_header(m.f, v);
    for (size_t i = 0; i < v->n; i++) csv_row(m.f, v, i);
    if (commit(v->r, "points.csv", &m, err, errlen)) return -1;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    csv_header(m.f, v);
    for (size_t i = 0; i < nf; i++) csv_row(m.f, v, order[i]);
    return commit(v->r, "pareto.csv", &m, err, errlen);
}

/* ---- best per objective ---- */

typedef struct best {
    size_t best, second, base;   /* v->n when there is none */
    size_t ties, tie;            /* other points with the best's value, the first of them */
} best;

/* The best point of objective j among those meeting the constraints (the
 * first in plan order of those with the best value), how many others share
 * that value, the runner-up (the best point with another value: one that
 * ties says nothing about the margin) and the best point of the
 * experiment's own configuration, constraints or not. */
static best best_of(const view *v, size_t j)
{
    best b = {v->n, v->n, v->n, 0, v->n};
    for (size_t i = 0; i < v->n; i++) {
        double x = v->obj[i * v->k + j];
        if (!isfinite(x)) continue;
        if (v->r->baseline && v->r->baseline[i] &&
            (b.base == v->n || x < v->obj[b.base * v->k + j]))
            b.base = i;
        if (v->meets[i] && (b.best == v->n || x < v->obj[b.best * v->k + j])) b.best = i;
    }
    if (b.best == v->n) return b;
    double w = v->obj[b.best * v->k + j];
    for (size_t i = 0; i < v->n; i++) {
        double x = v->obj[i * v->k + j];
        if (!v->meets[i] || !isfinite(x) || i == b.best) continue;
        if (x == w) {
            if (!b.ties++) b.tie = i;
        } else if (b.second == v->n || x < v->obj[b.second * v->k + j]) {
            b.second = i;
        }
    }
    return b;
}

/* "12.3 % lower (0.877x) than", "equal to": how the winner's w compares
 * with another point's o. */
static void compare(double w, double o, char *buf, size_t cap)
{
    if (!isfinite(w) || !isfinite(o) || o == 0) { snprintf(buf, cap, "not comparable with"); return; }
    double pct = (w - o) / fabs(o) * 100, ratio = w / o;
    if (pct == 0) { snprintf(buf, cap, "equal to"); return; }
    snprintf(buf, cap, "%.3g %% %s (%.4gx) than", fabs(pct), w < o ? "lower" : "higher", ratio);
}

static int write_best_csv(const view *v, char *err, size_t errlen)
{
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    fputs("objective,goal,unit,best_id,best_value,best_config,runner_up_id,runner_up_value,"
          "vs_runner_up_pct,own_config_id,own_config_value,vs_own_config_pct\n", m.f);
    for (size_t j = 0; j < v->k; j++) {
        const explore_objective *o = &v->r->spec->objectives[j];
        best b = best_of(v, j);
        fprintf(m.f, "%s,%s,", o->metric->name, o->goal == EXPLORE_MAX ? "max" : "min");
        csv_write_text(m.f, metric_unit(o->metric));
        size_t ids[3] = {b.best, b.second, b.base};
        double w = b.best < v->n ? objective_value(v, b.best, j) : NAN;
        for (int t = 0; t < 3; t++) {
            fputc(',', m.f);
            if (ids[t] == v->n) {   /* id, value and the third cell stay empty */
                fputs(",,", m.f);
                continue;
            }
            csv_write_text(m.f, v->r->planned[ids[t]].stamp.id);
            fputc(',', m.f);
            double x = objective_value(v, ids[t], j);
            csv_num(m.f, x);
            fputc(',', m.f);
            if (t == 0) {
                char cfg[600];
                short_config(v, ids[t], cfg, sizeof cfg);
                csv_write_text(m.f, cfg);
            } else if (isfinite(w) && isfinite(x) && x != 0) {
                fprintf(m.f, "%.6g", (w - x) / fabs(x) * 100);
            }
        }
        fputc('\n', m.f);
    }
    return commit(v->r, "best.csv", &m, err, errlen);
}

/* ---- plots ---- */

static void axis_label(const metric_def *m, explore_goal g, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s (%s, %s)", m->name, metric_unit(m), g == EXPLORE_MAX ? "max" : "min");
}

static int write_plots(const view *v, char (*names)[96], size_t *n_names, char *err, size_t errlen)
{
    const explore_spec *s = v->r->spec;
    size_t n = v->n ? v->n : 1;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    svg_dot *dot = malloc(n * sizeof *dot);
    char **tips = calloc(n, sizeof *tips);
    int rc = 0;
    if (!x || !y || !dot || !tips) { rc = -1; snprintf(err, errlen, "out of memory"); goto done; }
    for (size_t i = 0; i < v->n; i++) {
        dot[i] = !v->meets[i] ? SVG_DOT_EXCLUDED : v->front[i] ? SVG_DOT_FRONT : SVG_DOT_DOMINATED;
        if (!v->front[i] && !(v->r->baseline && v->r->baseline[i])) continue;
        char cfg[600];
        short_config(v, i, cfg, sizeof cfg);
        size_t len = strlen(v->r->planned[i].stamp.id) + strlen(cfg) + 4;
        tips[i] = malloc(len);
        if (tips[i]) snprintf(tips[i], len, "%s: %s", v->r->planned[i].stamp.id, cfg);
    }
    /* every pair of objectives; a single objective against chips (-1) */
    int pair_a[EXPLORE_MAX_OBJECTIVES * EXPLORE_MAX_OBJECTIVES], pair_b[EXPLORE_MAX_OBJECTIVES * EXPLORE_MAX_OBJECTIVES];
    size_t pairs = 0;
    for (size_t a = 0; a < v->k; a++)
        for (size_t b = a + 1; b < v->k; b++) {
            pair_a[pairs] = (int)a;
            pair_b[pairs++] = (int)b;
        }
    if (v->k == 1) {
        pair_a[0] = -1;
        pair_b[0] = 0;
        pairs = 1;
    }
    *n_names = 0;
    for (size_t p = 0; p < pairs && rc == 0; p++) {
        int a = pair_a[p], b = pair_b[p];
        char xl[160], yl[160], title[200], sub[300];
        for (size_t i = 0; i < v->n; i++) {
            x[i] = a < 0 ? (double)chips_of(v, i) : objective_value(v, i, (size_t)a);
            y[i] = objective_value(v, i, (size_t)b);
        }
        const explore_objective *ob = &s->objectives[b], *oa = a < 0 ? NULL : &s->objectives[a];
        if (oa) axis_label(oa->metric, oa->goal, xl, sizeof xl);
        else snprintf(xl, sizeof xl, "chips");
        axis_label(ob->metric, ob->goal, yl, sizeof yl);
        snprintf(title, sizeof title, "%s against %s", ob->metric->name, oa ? oa->metric->name : "chips");
        snprintf(sub, sizeof sub, "one inference: %s; front of %zu objective%s",
                 explore_results_scope(v->r->res), v->k, v->k == 1 ? "" : "s");
        svg_scatter_chart c = {title, sub, xl, yl, v->n, x, y, dot, v->r->baseline,
                               (const char *const *)tips, "own configuration",
                               v->k == 2};
        snprintf(names[*n_names], 96, "pareto_%s_%s.svg", oa ? oa->metric->name : "chips",
                 ob->metric->name);
        membuf m;
        if (membuf_open(&m)) { rc = -1; snprintf(err, errlen, "out of memory"); break; }
        svg_write_scatter(m.f, &c);
        rc = commit(v->r, names[*n_names], &m, err, errlen);
        (*n_names)++;
    }
done:
    for (size_t i = 0; tips && i < v->n; i++) free(tips[i]);
    free(tips);
    free(x);
    free(y);
    free(dot);
    return rc;
}

/* ---- summary.md ---- */

static void md_value(FILE *f, double x, const metric_def *m)
{
    if (isfinite(x)) fprintf(f, "%.6g %s", x, metric_unit(m));
    else fputs("-", f);
}

static void md_space(FILE *f, const view *v)
{
    const explore_spec *s = v->r->spec;
    const explore_selection *sel = v->r->sel;
    fputs("## Space\n\n| axis | values |\n|---|---|\n", f);
    for (size_t a = 0; a <= s->n_axes; a++) {
        const explore_axis *ax = a == 0 ? &s->chips : &s->axes[a - 1];
        fprintf(f, "| `%s` | ", ax->key);
        for (size_t k = 0; k < ax->n && k < 12; k++) {
            char shown[EXPLORE_VALUE_MAX];
            short_value(ax->values[k].text, shown, sizeof shown);
            fprintf(f, "%s%s", k ? ", " : "", shown);
        }
        if (ax->n > 12) fprintf(f, ", ... (%zu values)", ax->n);
        fputs(" |\n", f);
    }
    uint64_t grid = explore_grid_size(s);
    fprintf(f, "\nThe grid has %llu points. ", (unsigned long long)grid);
    if (sel->exhaustive)
        fprintf(f, "Every point was chosen (exhaustive: at most max_points = %llu).",
                (unsigned long long)s->max_points);
    else
        fprintf(f, "%zu of them were drawn (max_points; seed %llu): %s.", sel->drawn,
                (unsigned long long)s->seed,
                (double)sel->drawn > 0.9 * (double)grid
                    ? "a uniform subset"
                    : "a Latin hypercube over the grid, a point drawn twice replaced by a "
                      "uniform one not yet taken");
    if (sel->added)
        fprintf(f, " %zu more were added: the experiment's own configuration%s.", sel->added,
                s->needs_one_chip ? " and the 1-chip point of each chosen configuration "
                                    "(for the relative metrics)" : "");
    fputs("\n\n", f);
}

static void md_goals(FILE *f, const view *v, const explore_summary *sum)
{
    const explore_spec *s = v->r->spec;
    fputs("## Goals and outcome\n\nObjectives: ", f);
    for (size_t j = 0; j < v->k; j++)
        fprintf(f, "%s%s `%s` (%s)", j ? ", " : "", s->objectives[j].goal == EXPLORE_MAX ? "maximise" : "minimise",
                s->objectives[j].metric->name, metric_unit(s->objectives[j].metric));
    fputs(". Constraints: ", f);
    if (!s->n_constraints) fputs("none", f);
    for (size_t c = 0; c < s->n_constraints; c++)
        fprintf(f, "%s`%s`", c ? ", " : "", s->constraints[c].text);
    fprintf(f, ".\n\n%zu points chosen: %zu simulated, %zu infeasible (cannot be built as "
               "configured; the reason is in points.csv), %zu duplicates (the configuration of "
               "another chosen point, not run again)%s",
            v->n, sum->simulated, sum->infeasible, sum->duplicate, sum->missing ? "" : ".");
    if (sum->missing) fprintf(f, ", %zu missing (see below).", sum->missing);
    fprintf(f, " %zu meet the constraints; %zu of them are on the Pareto front.\n\n", sum->meeting,
            sum->front);
    /* the most frequent reasons for infeasibility, briefly */
    size_t shown = 0;
    for (size_t i = 0; i < v->n && shown < 3; i++) {
        if (explore_results_status(v->r->res, i) != EXPLORE_INFEASIBLE) continue;
        const char *why = explore_results_reason(v->r->res, i);
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = explore_results_status(v->r->res, k) == EXPLORE_INFEASIBLE &&
                   !strcmp(explore_results_reason(v->r->res, k), why);
        if (seen) continue;
        if (!shown) fputs("Infeasible, for example:\n", f);
        fprintf(f, "- %s: %s\n", v->r->planned[i].stamp.id, why);
        shown++;
    }
    if (shown) fputs("\n", f);
}

static void md_best(FILE *f, const view *v)
{
    const explore_spec *s = v->r->spec;
    fputs("## Best per objective\n\n", f);
    for (size_t j = 0; j < v->k; j++) {
        const explore_objective *o = &s->objectives[j];
        best b = best_of(v, j);
        fprintf(f, "- **%s** (%s): ", o->metric->name, o->goal == EXPLORE_MAX ? "maximised" : "minimised");
        if (b.best == v->n) {
            fputs("no simulated point meets the constraints.\n", f);
            continue;
        }
        char cfg[600], cmp[96];
        double w = objective_value(v, b.best, j);
        short_config(v, b.best, cfg, sizeof cfg);
        fprintf(f, "`%s` wins with ", v->r->planned[b.best].stamp.id);
        md_value(f, w, o->metric);
        fprintf(f, " (%s)", cfg);
        if (b.ties)
            fprintf(f, ", tied by %zu other point%s (`%s`%s)", b.ties, b.ties == 1 ? "" : "s",
                    v->r->planned[b.tie].stamp.id, b.ties > 1 ? ", ..." : "");
        if (b.second < v->n) {
            double x = objective_value(v, b.second, j);
            compare(w, x, cmp, sizeof cmp);
            fprintf(f, "; %s the runner-up `%s` (", cmp, v->r->planned[b.second].stamp.id);
            md_value(f, x, o->metric);
            short_config(v, b.second, cfg, sizeof cfg);
            fprintf(f, ", %s)", cfg);
        }
        if (b.base == b.best) {
            fputs("; it is the experiment's own configuration", f);
        } else if (b.base < v->n) {
            double x = objective_value(v, b.base, j);
            compare(w, x, cmp, sizeof cmp);
            short_config(v, b.base, cfg, sizeof cfg);
            fprintf(f, "; %s the experiment's own configuration at its best `%s` (", cmp,
                    v->r->planned[b.base].stamp.id);
            md_value(f, x, o->metric);
            fprintf(f, ", %s%s)", cfg, v->meets[b.base] ? "" : ", violates the constraints");
        }
        fputs(".\n", f);
    }
    fputs("\n", f);
}

static void md_front(FILE *f, const view *v, const size_t *order, size_t nf)
{
    const explore_spec *s = v->r->spec;
    const size_t shown = 40;
    fprintf(f, "## Pareto front\n\n%zu points%s (pareto.csv has them all).\n\n| id | chips |", nf,
            nf > shown ? ", the first 40 by the first objective" : "");
    for (size_t a = 0; a < s->n_axes; a++) fprintf(f, " `%s` |", s->axes[a].key);
    for (size_t j = 0; j < v->k; j++)
        fprintf(f, " %s (%s) |", s->objectives[j].metric->name, metric_unit(s->objectives[j].metric));
    fputs("\n|---|---|", f);
    for (size_t a = 0; a < s->n_axes + v->k; a++) fputs("---|", f);
    fputs("\n", f);
    for (size_t r = 0; r < nf && r < shown; r++) {
        size_t i = order[r];
        fprintf(f, "| %s%s | %u |", v->r->planned[i].stamp.id,
                v->r->baseline && v->r->baseline[i] ? " (own)" : "", (unsigned)chips_of(v, i));
        for (size_t a = 0; a < s->n_axes; a++) {
            char shown[EXPLORE_VALUE_MAX];
            short_value(axis_value(v, i, a), shown, sizeof shown);
            fprintf(f, " %s |", shown);
        }
        for (size_t j = 0; j < v->k; j++) {
            double x = objective_value(v, i, j);
            if (isfinite(x)) fprintf(f, " %.6g |", x);
            else fputs(" - |", f);
        }
        fputs("\n", f);
    }
    fputs("\n", f);
}

static int write_summary(const view *v, const explore_summary *sum, const size_t *order, size_t nf,
                         char (*plots)[96], size_t n_plots, char *err, size_t errlen)
{
    const explore_report *r = v->r;
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    FILE *f = m.f;
    fprintf(f, "# Exploration: %s\n\n", r->e->name);
    fprintf(f, "mcusim %s, %s, configuration `%.12s`, explore section `%.12s`.\n", r->version,
            r->mode, r->config_sha256, r->spec_sha256);
    if (r->e->description[0]) fprintf(f, "%s.\n", r->e->description);
    fprintf(f, "\nOne inference: %s (model %s).\n\n", explore_results_scope(r->res),
            explore_results_model(r->res));
    if (sum->missing) {
        fprintf(f, "**Partial:** %zu chosen points have no result (failed, or run by another "
                   "shard):", sum->missing);
        size_t shown = 0;
        for (size_t i = 0; i < v->n && shown < 10; i++)
            if (explore_results_status(r->res, i) == EXPLORE_MISSING)
                fprintf(f, "%s %s", shown++ ? "," : "", r->planned[i].stamp.id);
        fprintf(f, "%s.\n\n", sum->missing > 10 ? ", ..." : "");
    }
    if (r->n_left_out) {
        fprintf(f, "Left out (%zu files not of this plan or not valid):\n", r->n_left_out);
        for (size_t i = 0; i < r->n_left_out && i < 10; i++) fprintf(f, "- %s\n", r->left_out[i]);
        fputs("\n", f);
    }
    md_space(f, v);
    md_goals(f, v, sum);
    md_best(f, v);
    md_front(f, v, order, nf);
    fputs("## Plots\n\n", f);
    for (size_t p = 0; p < n_plots; p++) fprintf(f, "![%s](%s)\n", plots[p], plots[p]);
    fputs("\nFiles: points.csv (every chosen point), pareto.csv (the front), best.csv (the best "
          "per objective), points/ (one file per point).\n", f);
    return commit(r, "summary.md", &m, err, errlen);
}

int explore_report_write(const explore_report *r, explore_summary *sum, char *err, size_t errlen)
{
    view v;
    int rc = build_view(r, &v, sum);
    if (rc) snprintf(err, errlen, "out of memory");
    size_t nf = 0, *order = rc ? NULL : front_order(&v, &nf);
    if (!rc && !order) { rc = -1; snprintf(err, errlen, "out of memory"); }
    char plots[32][96];
    size_t n_plots = 0;
    if (!rc) rc = write_csvs(&v, order, nf, err, errlen);
    if (!rc) rc = write_best_csv(&v, err, errlen);
    if (!rc) rc = write_plots(&v, plots, &n_plots, err, errlen);
    if (!rc) rc = write_summary(&v, sum, order, nf, plots, n_plots, err, errlen);
    free(order);
    free_view(&v);
    return rc;
}
