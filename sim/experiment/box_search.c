/* Nelder-Mead in the unit box, restarted once (see box_search.h). */
#include "box_search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ALPHA 1.0    /* reflection */
#define GAMMA 2.0    /* expansion */
#define RHO 0.5      /* contraction */
#define SIGMA 0.5    /* shrink */

typedef struct nm {
    size_t n;
    double *x;       /* (n+1) vertices of n coordinates, sorted best first */
    double *f;
    double *c, *t;   /* centroid, trial scratch (4 trial points) */
    box_objective fn;
    void *ctx;
    size_t evals, max_evals;
} nm;

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static double *vertex(nm *s, size_t i)
{
    return s->x + i * s->n;
}

static int eval(nm *s, const double *u, size_t k, double *f)
{
    s->evals += k;
    return s->fn(s->ctx, u, k, f);
}

/* Insertion sort by value; equal values keep their order, so ties resolve
 * the same way every run. */
static void sort_vertices(nm *s)
{
    size_t n = s->n;
    double *tmp = s->t;
    for (size_t i = 1; i <= n; i++) {
        double fi = s->f[i];
        memcpy(tmp, vertex(s, i), n * sizeof *tmp);
        size_t j = i;
        while (j > 0 && s->f[j - 1] > fi) {
            s->f[j] = s->f[j - 1];
            memcpy(vertex(s, j), vertex(s, j - 1), n * sizeof *tmp);
            j--;
        }
        s->f[j] = fi;
        memcpy(vertex(s, j), tmp, n * sizeof *tmp);
    }
}

static bool converged(const nm *s, double xtol, double ftol)
{
    size_t n = s->n;
    for (size_t i = 1; i <= n; i++) {
        if (fabs(s->f[i] - s->f[0]) > ftol) return false;
        for (size_t d = 0; d < n; d++)
            if (fabs(s->x[i * n + d] - s->x[d]) > xtol) return false;
    }
    return true;
}

/* p = clamp(c + coef * (q - c)) */
static void along(size_t n, const double *c, const double *q, double coef, double *p)
{
    for (size_t d = 0; d < n; d++) p[d] = clamp01(c[d] + coef * (q[d] - c[d]));
}

static int start_simplex(nm *s, const double *u0, double step)
{
    size_t n = s->n;
    for (size_t i = 0; i <= n; i++)
        for (size_t d = 0; d < n; d++) vertex(s, i)[d] = clamp01(u0[d]);
    for (size_t d = 0; d < n; d++) {
        double *v = vertex(s, d + 1);
        v[d] = v[d] + step <= 1 ? v[d] + step : v[d] - step;
    }
    int rc = eval(s, s->x, n + 1, s->f);
    if (rc == 0) sort_vertices(s);
    return rc;
}

static int shrink(nm *s)
{
    size_t n = s->n;
    for (size_t i = 1; i <= n; i++) along(n, vertex(s, 0), vertex(s, i), SIGMA, vertex(s, i));
    int rc = eval(s, vertex(s, 1), n, s->f + 1);
    if (rc == 0) sort_vertices(s);
    return rc;
}

static void replace_worst(nm *s, const double *p, double fp)
{
    memcpy(vertex(s, s->n), p, s->n * sizeof *p);
    s->f[s->n] = fp;
    sort_vertices(s);
}

/* One Nelder-Mead step: reflect the worst vertex through the centroid of
 * the others, then expand, contract or shrink. */
static int step(nm *s)
{
    size_t n = s->n;
    double *c = s->c, *xr = s->t + n, *xe = s->t + 2 * n, *xc = s->t + 3 * n;
    for (size_t d = 0; d < n; d++) {
        double sum = 0;
        for (size_t i = 0; i < n; i++) sum += vertex(s, i)[d];
        c[d] = sum / (double)n;
    }
    const double *worst = vertex(s, n);
    double fr, fe, fc;
    int rc;
    along(n, c, worst, -ALPHA, xr);
    if ((rc = eval(s, xr, 1, &fr))) return rc;
    if (fr < s->f[0]) {
        along(n, c, xr, GAMMA, xe);
        if ((rc = eval(s, xe, 1, &fe))) return rc;
        if (fe < fr) replace_worst(s, xe, fe);
        else replace_worst(s, xr, fr);
        return 0;
    }
    if (fr < s->f[n - 1]) {
        replace_worst(s, xr, fr);
        return 0;
    }
    bool outside = fr < s->f[n];
    along(n, c, outside ? xr : worst, RHO, xc);
    if ((rc = eval(s, xc, 1, &fc))) return rc;
    if (outside ? fc <= fr : fc < s->f[n]) {
        replace_worst(s, xc, fc);
        return 0;
    }
    return shrink(s);
}

/* One pass from u0 until converged or out of evaluations. */
static int pass(nm *s, const double *u0, double step_size, double xtol, double ftol, bool *conv)
{
    int rc = start_simplex(s, u0, step_size);
    *conv = false;
    while (rc == 0) {
        if (converged(s, xtol, ftol)) {
            *conv = true;
            break;
        }
        /* A step costs at most n evaluations (a shrink); stop before the budget would break. */
        if (s->evals + s->n > s->max_evals) break;
        rc = step(s);
    }
    return rc;
}

int box_search(size_t n, const double *u0, box_objective fn, void *ctx,
               const box_search_options *o, double *u_best, box_search_result *res)
{
    memset(res, 0, sizeof *res);
    res->f = INFINITY;
    if (n == 0) return 0;
    double step_size = o && o->step > 0 && o->step <= 0.5 ? o->step : 0.25;
    double xtol = o && o->xtol > 0 ? o->xtol : 1e-6;
    double ftol = o && o->ftol > 0 ? o->ftol : 1e-12;
    nm s = {.n = n, .fn = fn, .ctx = ctx,
            .max_evals = o && o->max_evals ? o->max_evals : 2000};
    s.x = calloc((n + 1) * n, sizeof *s.x);
    s.f = calloc(n + 1, sizeof *s.f);
    s.c = calloc(n, sizeof *s.c);
    s.t = calloc(4 * n, sizeof *s.t);
    double *first_best = calloc(n, sizeof *first_best);
    int rc = -1;
    if (s.x && s.f && s.c && s.t && first_best) {
        bool first = false, second = false;
        rc = pass(&s, u0, step_size, xtol, ftol, &first);
        double f_first = s.f[0];
        memcpy(first_best, s.x, n * sizeof *first_best);
        if (rc == 0 && s.evals + n + 1 <= s.max_evals) {
            rc = pass(&s, first_best, step_size, xtol, ftol, &second);
            /* The restart's first simplex holds the best point, so it can only
             * improve on it; keep the first pass's point on a tie. */
            if (rc == 0 && !(s.f[0] < f_first)) {
                memcpy(s.x, first_best, n * sizeof *first_best);
                s.f[0] = f_first;
            }
        }
        if (rc == 0) {
            memcpy(u_best, s.x, n * sizeof *u_best);
            res->f = s.f[0];
            res->converged = first && second;
        }
    }
    res->evals = s.evals;
    free(first_best);
    free(s.x);
    free(s.f);
    free(s.c);
    free(s.t);
    return rc;
}
