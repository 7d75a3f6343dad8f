/* The calibration objective and its search (see calib_fit.h). */
#include "calib_fit.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../experiment/box_search.h"
#include "cli_eval.h"

#define TEXT_DIGITS 9
#define SET_MAX (PARAM_KEY_MAX + 100)

typedef struct run_slot {
    size_t exp;
    uint32_t chips;
} run_slot;

typedef struct cache_entry {
    char *key;                    /* the parameter texts, one per line */
    double f;
    double *sims;                 /* per target */
} cache_entry;

typedef struct fit {
    const calib_spec *c;
    unsigned procs;
    bool progress;
    run_slot *slots;
    size_t n_slots;
    size_t *t_slot, *t_base;      /* per target: its run, its 1-chip run (SIZE_MAX: none) */
    cache_entry *cache;
    size_t n_cache, cap_cache;
    size_t runs, evals;
    double best;
    int rc;
    char err[1024];
} fit;

static size_t slot_of(fit *s, size_t exp, uint32_t chips)
{
    for (size_t i = 0; i < s->n_slots; i++)
        if (s->slots[i].exp == exp && s->slots[i].chips == chips) return i;
    s->slots[s->n_slots] = (run_slot){exp, chips};
    return s->n_slots++;
}

/* Coordinate u of the box -> the text of the value that is simulated. */
static void value_text(const calib_param *p, double u, char *buf, size_t cap)
{
    double lo = log(p->min), hi = log(p->max);
    double v = exp(lo + u * (hi - lo));
    param_ref_value_text(&p->ref, v, calib_pick_unit(p, v), TEXT_DIGITS, buf, cap);
    double back;
    char msg[200];
    /* Rounding to 9 digits (or to an integer) must not step outside the bounds. */
    if (param_ref_value_parse(&p->ref, buf, &back, msg, sizeof msg) != 0 || back < p->min)
        snprintf(buf, cap, "%s", p->min_text);
    else if (back > p->max)
        snprintf(buf, cap, "%s", p->max_text);
}

static char *point_key(const calib_spec *c, const double *u, char (*texts)[96])
{
    size_t len = 1;
    for (size_t i = 0; i < c->n_params; i++) {
        value_text(&c->params[i], u[i], texts[i], sizeof texts[i]);
        len += strlen(texts[i]) + 1;
    }
    char *key = malloc(len);
    if (!key) return NULL;
    key[0] = '\0';
    for (size_t i = 0; i < c->n_params; i++) {
        strcat(key, texts[i]);
        strcat(key, "\n");
    }
    return key;
}

static const cache_entry *cached(const fit *s, const char *key)
{
    for (size_t i = 0; i < s->n_cache; i++)
        if (strcmp(s->cache[i].key, key) == 0) return &s->cache[i];
    return NULL;
}

static int fail(fit *s, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(fit *s, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    s->rc = rc;
    return rc;
}

/* Scores one point from its runs (outcomes of its slots, in slot order). */
static int score(fit *s, const eval_outcome *o, cache_entry *ce)
{
    const calib_spec *c = s->c;
    double f = 0;
    for (size_t t = 0; t < c->n_targets; t++) {
        const calib_target *tg = &c->targets[t];
        const run_stats *base = s->t_base[t] == SIZE_MAX ? NULL : &o[s->t_base[t]].stats;
        double sim = metric_eval(tg->metric, &o[s->t_slot[t]].stats, base);
        if (isnan(sim)) return fail(s, 1, "metric %s could not be computed", tg->metric->name);
        ce->sims[t] = sim;
        double r = log(fmax(sim, CALIB_FLOOR * tg->value) / tg->value);
        f += tg->weight * r * r;
    }
    ce->f = f;
    return 0;
}

/* Runs the slots of the `n_new` points whose keys are in `keys`, and caches them. */
static int run_points(fit *s, char **keys, char (*texts)[96], size_t n_new)
{
    const calib_spec *c = s->c;
    size_t per = c->n_sets + c->n_params, n_jobs = n_new * s->n_slots;
    const char **sets = calloc(n_new * per + 1, sizeof *sets);
    char (*assign)[SET_MAX] = calloc(n_new * c->n_params + 1, sizeof *assign);
    eval_job *jobs = calloc(n_jobs + 1, sizeof *jobs);
    eval_outcome *out = calloc(n_jobs + 1, sizeof *out);
    int rc = 0;
    if (!sets || !assign || !jobs || !out) {
        rc = fail(s, 1, "out of memory");
        goto done;
    }
    for (size_t p = 0; p < n_new; p++) {
        const char **ps = sets + p * per;
        for (size_t i = 0; i < c->n_sets; i++) ps[i] = c->sets[i];
        for (size_t i = 0; i < c->n_params; i++) {
            char *a = assign[p * c->n_params + i];
            snprintf(a, SET_MAX, "%s=%s", c->params[i].ref.key, texts[p * c->n_params + i]);
            ps[c->n_sets + i] = a;
        }
        for (size_t k = 0; k < s->n_slots; k++)
            jobs[p * s->n_slots + k] = (eval_job){c->exps[s->slots[k].exp].path, ps, per,
                                                  s->slots[k].chips};
    }
    char perr[512];
    if (eval_pool_run(jobs, n_jobs, s->procs, cli_eval_timing_only, NULL, out, perr,
                      sizeof perr) != 0) {
        rc = fail(s, 1, "%s", perr);
        goto done;
    }
    s->runs += n_jobs;
    for (size_t j = 0; j < n_jobs && rc == 0; j++)
        if (out[j].rc) {
            const run_slot *sl = &s->slots[j % s->n_slots];
            char what[200], vals[600] = "";
            snprintf(what, sizeof what, "%u chip%s", sl->chips, sl->chips == 1 ? "" : "s");
            for (size_t i = 0, used = 0; i < c->n_params && used < sizeof vals; i++)
                used += (size_t)snprintf(vals + used, sizeof vals - used, "%s%s=%s", i ? ", " : "",
                                         c->params[i].ref.key, texts[(j / s->n_slots) * c->n_params + i]);
            snprintf(s->err, sizeof s->err, "run on %s with %s failed: %s", what, vals, out[j].err);
            s->rc = rc = out[j].rc;
        }
    for (size_t p = 0; p < n_new && rc == 0; p++) {
        if (s->n_cache == s->cap_cache) {
            size_t cap = s->cap_cache ? 2 * s->cap_cache : 64;
            cache_entry *g = realloc(s->cache, cap * sizeof *g);
            if (!g) { rc = fail(s, 1, "out of memory"); break; }
            s->cache = g;
            s->cap_cache = cap;
        }
        cache_entry *ce = &s->cache[s->n_cache];
        ce->sims = calloc(c->n_targets, sizeof *ce->sims);
        if (!ce->sims) { rc = fail(s, 1, "out of memory"); break; }
        ce->key = keys[p];
        keys[p] = NULL;
        s->n_cache++;
        rc = score(s, out + p * s->n_slots, ce);
        if (rc == 0 && ce->f < s->best) s->best = ce->f;
    }
done:
    if (out) eval_outcomes_free(out, n_jobs);
    free(out);
    free(jobs);
    free(assign);
    free(sets);
    return rc;
}

static int objective(void *ctx, const double *u, size_t k, double *f)
{
    fit *s = ctx;
    const calib_spec *c = s->c;
    size_t np = c->n_params;
    char **keys = calloc(k, sizeof *keys);
    char (*texts)[96] = calloc(k * np, sizeof *texts);
    char (*all)[96] = calloc(k * np, sizeof *all);
    int rc = 0;
    size_t n_new = 0;
    if (!keys || !texts || !all) rc = fail(s, 1, "out of memory");
    /* The points not seen before, each once. */
    for (size_t p = 0; p < k && rc == 0; p++) {
        char *key = point_key(c, u + p * np, all + p * np);
        if (!key) { rc = fail(s, 1, "out of memory"); break; }
        bool seen = cached(s, key) != NULL;
        for (size_t q = 0; q < n_new && !seen; q++) seen = strcmp(keys[q], key) == 0;
        if (seen) { free(key); continue; }
        memcpy(texts + n_new * np, all + p * np, np * sizeof *texts);
        keys[n_new++] = key;
    }
    if (rc == 0 && n_new) rc = run_points(s, keys, texts, n_new);
    for (size_t p = 0; p < k && rc == 0; p++) {
        char *key = point_key(c, u + p * np, all + p * np);
        const cache_entry *ce = key ? cached(s, key) : NULL;
        free(key);
        if (!ce) { rc = fail(s, 1, "internal: evaluation missing from the cache"); break; }
        f[p] = ce->f;
    }
    s->evals += k;
    if (rc == 0 && s->progress) {
        fprintf(stderr, "\r\033[Kmcusim calibrate: %zu evaluations, %zu runs, best %.3g", s->evals,
                s->runs, s->best);
        fflush(stderr);
    }
    for (size_t q = 0; keys && q < n_new; q++) free(keys[q]);
    free(keys);
    free(texts);
    free(all);
    return rc;
}

static int plan_slots(fit *s)
{
    const calib_spec *c = s->c;
    s->slots = calloc(2 * c->n_targets, sizeof *s->slots);
    s->t_slot = calloc(c->n_targets, sizeof *s->t_slot);
    s->t_base = calloc(c->n_targets, sizeof *s->t_base);
    if (!s->slots || !s->t_slot || !s->t_base) return -1;
    for (size_t t = 0; t < c->n_targets; t++) {
        const calib_target *tg = &c->targets[t];
        s->t_slot[t] = slot_of(s, tg->exp, tg->chips);
        s->t_base[t] = tg->metric->relative ? slot_of(s, tg->exp, 1) : SIZE_MAX;
    }
    return 0;
}

static void fit_free(fit *s)
{
    for (size_t i = 0; i < s->n_cache; i++) {
        free(s->cache[i].key);
        free(s->cache[i].sims);
    }
    free(s->cache);
    free(s->slots);
    free(s->t_slot);
    free(s->t_base);
}

static int fill_result(fit *s, calib_result *r)
{
    const calib_spec *c = s->c;
    size_t np = c->n_params;
    r->texts = calloc(np, sizeof *r->texts);
    r->values = calloc(np, sizeof *r->values);
    r->at_bound = calloc(np, sizeof *r->at_bound);
    r->sims = calloc(c->n_targets, sizeof *r->sims);
    if (!r->texts || !r->values || !r->at_bound || !r->sims) return fail(s, 1, "out of memory");
    char *key = point_key(c, r->u, r->texts);
    const cache_entry *ce = key ? cached(s, key) : NULL;
    free(key);
    if (!ce) return fail(s, 1, "internal: best point missing from the cache");
    memcpy(r->sims, ce->sims, c->n_targets * sizeof *r->sims);
    r->objective = ce->f;
    for (size_t i = 0; i < np; i++) {
        const calib_param *p = &c->params[i];
        char msg[200];
        param_ref_value_parse(&p->ref, r->texts[i], &r->values[i], msg, sizeof msg);
        double v = r->values[i];
        r->at_bound[i] = v <= p->min * (1 + CALIB_AT_BOUND) ? -1
                         : v >= p->max * (1 - CALIB_AT_BOUND) ? 1 : 0;
    }
    return 0;
}

int calib_fit(const calib_spec *c, unsigned procs, bool progress, calib_result *out, char *err,
              size_t errlen)
{
    memset(out, 0, sizeof *out);
    fit s = {.c = c, .procs = procs ? procs : 1, .progress = progress, .best = INFINITY};
    size_t np = c->n_params;
    double *u0 = calloc(np, sizeof *u0);
    out->u = calloc(np, sizeof *out->u);
    int rc = 0;
    if (!u0 || !out->u || plan_slots(&s) != 0) {
        rc = fail(&s, 1, "out of memory");
    } else {
        for (size_t i = 0; i < np; i++) {
            const calib_param *p = &c->params[i];
            u0[i] = (log(p->start) - log(p->min)) / (log(p->max) - log(p->min));
        }
        /* xtol 1e-6 of the log range: far below the 1e-9 rounding of the texts
         * would be pointless, far above it would leave digits on the table. */
        box_search_options o = {.step = 0.25, .xtol = 1e-6, .ftol = 1e-14,
                                .max_evals = 400 + 200 * np};
        box_search_result res;
        rc = box_search(np, u0, objective, &s, &o, out->u, &res);
        if (progress) fputc('\n', stderr);
        if (rc == 0) {
            out->converged = res.converged;
            rc = fill_result(&s, out);
        } else if (!s.rc) {
            rc = fail(&s, 1, "out of memory");
        }
        out->evals = s.evals;
        out->runs = s.runs;
    }
    if (rc) snprintf(err, errlen, "%s", s.err);
    free(u0);
    fit_free(&s);
    return rc;
}

void calib_result_free(calib_result *r)
{
    free(r->u);
    free(r->texts);
    free(r->values);
    free(r->at_bound);
    free(r->sims);
    memset(r, 0, sizeof *r);
}
