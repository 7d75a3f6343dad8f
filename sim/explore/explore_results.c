/* Per-point outcomes and metric values (see explore_results.h). The values
 * come from the report's own rows (report_rows_build), so each equals the
 * summary.csv column of the same name a sweep of that point would write. */
#include "explore_results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../report/metrics.h"
#include "../report/report_internal.h"

typedef struct point_result {
    explore_status status;
    char *reason;
    double *metric;          /* metric_count() values */
    run_stats *held;         /* a copy: a 1-chip partner, or a point waiting for its own */
    bool done;               /* metrics computed */
} point_result;

struct explore_results {
    const explore_spec *spec;
    const explore_selection *sel;
    point_result *p;
    size_t n_metrics;
    size_t one;              /* index of chip count 1 in the chips axis, or chips.n */
    char scope[128], model[64];
};

explore_results *explore_results_create(const explore_spec *s, const explore_selection *sel)
{
    explore_results *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->spec = s;
    r->sel = sel;
    r->n_metrics = metric_count();
    r->p = calloc(sel->n ? sel->n : 1, sizeof *r->p);
    if (!r->p) { free(r); return NULL; }
    r->one = s->chips.n;
    for (size_t i = 0; i < s->chips.n; i++)
        if (s->chip_counts[i] == 1) r->one = i;
    return r;
}

static void free_held(point_result *p)
{
    if (!p->held) return;
    free(p->held->per_chip);
    free(p->held);
    p->held = NULL;
}

void explore_results_destroy(explore_results *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->sel->n; i++) {
        free(r->p[i].reason);
        free(r->p[i].metric);
        free_held(&r->p[i]);
    }
    free(r->p);
    free(r);
}

static run_stats *copy_stats(const run_stats *st)
{
    run_stats *c = malloc(sizeof *c);
    if (!c) return NULL;
    *c = *st;
    c->per_chip = NULL;
    if (st->per_chip && st->chips) {
        c->per_chip = malloc(st->chips * sizeof *c->per_chip);
        if (!c->per_chip) { free(c); return NULL; }
        memcpy(c->per_chip, st->per_chip, st->chips * sizeof *c->per_chip);
    }
    return c;
}

/* Index in sel of point u, or sel->n. */
static size_t find(const explore_results *r, uint64_t u)
{
    size_t lo = 0, hi = r->sel->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->sel->points[mid] < u) lo = mid + 1;
        else hi = mid;
    }
    return lo < r->sel->n && r->sel->points[lo] == u ? lo : r->sel->n;
}

/* The 1-chip partner of point i in sel, or sel->n when there is none. */
static size_t partner(const explore_results *r, size_t i)
{
    if (r->one == r->spec->chips.n) return r->sel->n;
    uint64_t u = r->sel->points[i], n = r->spec->chips.n;
    return find(r, u / n * n + r->one);
}

/* The figures of st, relative ones against base (NULL: none). */
static int compute(explore_results *r, size_t i, const run_stats *st, const run_stats *base)
{
    point_result *p = &r->p[i];
    run_stats pair[2];
    size_t n = 1;
    pair[0] = *st;
    if (base && base != st && st->chips != 1) {
        pair[1] = *base;
        pair[1].grid_index = pair[0].grid_index;
        memcpy(pair[1].experiment, pair[0].experiment, sizeof pair[1].experiment);
        n = 2;
    }
    report_table t;
    char err[160];
    if (report_rows_build(pair, n, &t, err, sizeof err) != 0) return -1;
    if (!p->metric) p->metric = malloc(r->n_metrics * sizeof *p->metric);
    if (!p->metric) { report_table_free(&t); return -1; }
    for (size_t k = 0; k < t.n; k++) {
        if (t.rows[k].s != &pair[0]) continue;
        for (size_t m = 0; m < r->n_metrics; m++) p->metric[m] = metric_value(metric_at(m), &t.rows[k]);
    }
    report_table_free(&t);
    p->done = true;
    if (!r->scope[0]) {
        snprintf(r->scope, sizeof r->scope, "%s", st->scope);
        snprintf(r->model, sizeof r->model, "%s", st->model);
    }
    return 0;
}

/* Points of partner b's combination that waited for it. */
static int release(explore_results *r, size_t b)
{
    uint64_t n = r->spec->chips.n, combo = r->sel->points[b] / n;
    size_t first = b;
    while (first > 0 && r->sel->points[first - 1] / n == combo) first--;
    const run_stats *base = r->p[b].status == EXPLORE_SIMULATED ? r->p[b].held : NULL;
    for (size_t k = first; k < r->sel->n && r->sel->points[k] / n == combo; k++) {
        point_result *p = &r->p[k];
        if (k == b || p->done || !p->held || p->status != EXPLORE_SIMULATED) continue;
        if (compute(r, k, p->held, base)) return -1;
        free_held(p);
    }
    return 0;
}

int explore_results_add(explore_results *r, size_t i, const run_stats *st)
{
    point_result *p = &r->p[i];
    if (p->status != EXPLORE_MISSING) return 0;   /* given twice (resume, then a merge dir) */
    p->status = EXPLORE_SIMULATED;
    size_t b = partner(r, i);
    if (b == i) {   /* a 1-chip point: its own base, kept for the others */
        if (!(p->held = copy_stats(st)) || compute(r, i, st, NULL)) return -1;
        return release(r, i);
    }
    if (b == r->sel->n || r->p[b].status == EXPLORE_INFEASIBLE)
        return compute(r, i, st, NULL);
    if (r->p[b].status == EXPLORE_SIMULATED) return compute(r, i, st, r->p[b].held);
    p->held = copy_stats(st);   /* its 1-chip partner may still come */
    return p->held ? 0 : -1;
}

static int set_outcome(explore_results *r, size_t i, explore_status st, const char *reason)
{
    point_result *p = &r->p[i];
    if (p->status != EXPLORE_MISSING) return 0;
    p->status = st;
    p->reason = strdup(reason && reason[0] ? reason : "(no reason given)");
    if (!p->reason) return -1;
    return partner(r, i) == i ? release(r, i) : 0;
}

int explore_results_set_infeasible(explore_results *r, size_t i, const char *reason)
{
    return set_outcome(r, i, EXPLORE_INFEASIBLE, reason);
}

int explore_results_set_duplicate(explore_results *r, size_t i, const char *reason)
{
    return set_outcome(r, i, EXPLORE_DUPLICATE, reason);
}

int explore_results_finish(explore_results *r)
{
    for (size_t i = 0; i < r->sel->n; i++) {
        point_result *p = &r->p[i];
        if (p->status != EXPLORE_SIMULATED || p->done || !p->held) continue;
        if (compute(r, i, p->held, NULL)) return -1;
        free_held(p);
    }
    return 0;
}

explore_status explore_results_status(const explore_results *r, size_t i)
{
    return r->p[i].status;
}

const char *explore_results_reason(const explore_results *r, size_t i)
{
    return r->p[i].reason ? r->p[i].reason : "";
}

double explore_results_metric(const explore_results *r, size_t i, size_t m)
{
    const point_result *p = &r->p[i];
    return p->done && p->metric && m < r->n_metrics ? p->metric[m] : NAN;
}

const char *explore_results_scope(const explore_results *r)
{
    return r->scope;
}

const char *explore_results_model(const explore_results *r)
{
    return r->model;
}
