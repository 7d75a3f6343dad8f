/* `mcusim sensitivity EXPERIMENT.yaml --chips N [--delta 0.2] [--set k=v]...
 * [-j N] [--out DIR]`: every numeric node and link parameter (read from the
 * models' spec tables) is moved to (1 - delta) and (1 + delta) times its
 * value, one at a time, clamped to its valid range and rounded when it is a
 * whole number (the ratio actually simulated is used); each setting runs
 * timing-only at N chips and at 1 chip (for speedup and EDP gain), all in
 * parallel forked processes. Elasticity = central difference of ln metric
 * over ln parameter. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_eval.h"
#include "commands.h"
#include "sensitivity.h"

typedef struct sens_args {
    const char *path, *out;
    cli_overrides sets;
    uint32_t chips;
    double delta;
    unsigned jobs;
} sens_args;

static int parse_args(int argc, char **argv, sens_args *a)
{
    a->delta = 0.2;
    bool have_chips = false;
    for (int i = 1; i < argc; i++) {
        const char *v, *s = argv[i];
        if ((v = cli_opt_value("--chips", argc, argv, &i))) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            if (!*v || *end || *v == '-' || n < 1 || n > 4096)
                return cli_usage_error("sensitivity", "--chips expects a number 1..4096, got '%s'", v);
            a->chips = (uint32_t)n;
            have_chips = true;
        } else if ((v = cli_opt_value("--delta", argc, argv, &i))) {
            char *end;
            double d = strtod(v, &end);
            if (!*v || *end || !(d > 0 && d < 1))
                return cli_usage_error("sensitivity", "--delta expects a fraction in (0, 1), got '%s'", v);
            a->delta = d;
        } else if ((v = cli_opt_value("--set", argc, argv, &i))) {
            if (cli_overrides_add(&a->sets, v) != 0)
                return cli_usage_error("sensitivity", "--set expects key.path=value, got '%s'", v);
        } else if ((v = cli_opt_value("--jobs", argc, argv, &i)) || (v = cli_opt_value("-j", argc, argv, &i))) {
            if (cli_parse_jobs("sensitivity", v, &a->jobs)) return 2;
        } else if ((v = cli_opt_value("--out", argc, argv, &i))) {
            if (!*v) return cli_usage_error("sensitivity", "--out needs a folder");
            a->out = v;
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("sensitivity",
                                   "unknown option '%s' (see 'mcusim sensitivity --help')", s);
        } else if (a->path) {
            return cli_usage_error("sensitivity", "one experiment at a time ('%s' and '%s')", a->path, s);
        } else {
            a->path = s;
        }
    }
    if (!a->path)
        return cli_usage_error("sensitivity", "missing EXPERIMENT.yaml (see 'mcusim sensitivity --help')");
    if (!have_chips)
        return cli_usage_error("sensitivity", "--chips N is required (see 'mcusim sensitivity --help')");
    return 0;
}

/* One perturbed setting: its --set text and the runs it needs. */
typedef struct setting {
    char assign[PARAM_KEY_MAX + 128];
    long job_n, job_1;            /* -1: the base run serves (same value) */
} setting;

typedef struct plan {
    eval_job *jobs;
    size_t n_jobs;
    const char **set_store;       /* per job: user sets + one assignment */
    size_t per;
} plan;

static long add_job(plan *p, const sens_args *a, const char *assign, uint32_t chips)
{
    const char **s = p->set_store + p->n_jobs * p->per;
    for (size_t i = 0; i < a->sets.n; i++) s[i] = a->sets.v[i];
    size_t n = a->sets.n;
    if (assign) s[n++] = assign;
    p->jobs[p->n_jobs] = (eval_job){a->path, s, n, chips};
    return (long)p->n_jobs++;
}

static void skip_reason(const param_ref *r, double v, char *out, size_t cap)
{
    switch (r->spec->type) {
    case PARAM_BOOL: snprintf(out, cap, "not a number (true/false)"); return;
    case PARAM_ENUM: snprintf(out, cap, "not a number (a name from a list)"); return;
    case PARAM_STRING: snprintf(out, cap, "not a number (a string)"); return;
    case PARAM_UINT_LIST: snprintf(out, cap, "not a number (a list)"); return;
    default: break;
    }
    if (v == 0) snprintf(out, cap, "value is 0: d ln p is undefined");
    else if (v < 0) snprintf(out, cap, "value is negative: d ln p is undefined");
    else out[0] = '\0';
}

/* The value the run gets for base*ratio: in range, whole when it must be,
 * and as the loader reads its text back. */
static double perturbed(const param_ref *r, double base, double ratio, char *text, size_t cap)
{
    double v = base * ratio;
    const param_spec *s = r->spec;
    if (!(s->min == 0 && s->max == 0)) v = fmin(fmax(v, s->min), s->max);
    if (param_ref_is_integer(r)) v = round(v);
    if (!(s->min == 0 && s->max == 0) && v < s->min) v = ceil(s->min);
    param_ref_value_text(r, v, NULL, 12, text, cap);
    double back = v;
    char msg[200];
    param_ref_value_parse(r, text, &back, msg, sizeof msg);
    return back;
}

static void readable_unit(const sens_row *row, char *unit, size_t cap)
{
    unit[0] = '\0';
    if (row->ref.spec->type != PARAM_QUANTITY) return;
    char buf[96];
    unit_format(row->base, row->ref.spec->dim, buf, sizeof buf);
    param_ref_unit_symbol(buf, unit, cap);
}

/* Relative change of a metric and the elasticity from the two sides. */
static void fill_metrics(sens_table *t, sens_row *row, const run_stats *base_n,
                         const run_stats *base_1, const run_stats *lo_n, const run_stats *lo_1,
                         const run_stats *hi_n, const run_stats *hi_1)
{
    for (size_t k = 0; k < t->n_metrics; k++) {
        const metric_def *m = t->metrics[k];
        double m0 = metric_eval(m, base_n, base_1), ml = metric_eval(m, lo_n, lo_1),
               mh = metric_eval(m, hi_n, hi_1);
        row->low_pct[k] = 100 * (ml / m0 - 1);
        row->high_pct[k] = 100 * (mh / m0 - 1);
        bool ok = m0 > 0 && ml > 0 && mh > 0;
        /* Same bits on both sides give exactly 0, not a rounding residue. */
        row->elasticity[k] = !ok ? NAN
                             : ml == mh ? 0.0
                                        : (log(mh) - log(ml)) / (log(row->high) - log(row->low));
    }
}

static int run(sens_args *a, const experiment *e)
{
    char why[400] = "";
    if (!cli_chips_simulable(e, a->chips, why, sizeof why))
        return cli_usage_error("sensitivity", "--chips %u: cannot be simulated: %s", a->chips, why);
    sens_table t = {.e = e, .chips = a->chips, .delta = a->delta};
    for (size_t i = 0; i < metric_count() && t.n_metrics < SENS_MAX_METRICS; i++)
        if (metric_at(i)->sensitivity) t.metrics[t.n_metrics++] = metric_at(i);
    size_t n = param_ref_count(e);
    param_ref *refs = calloc(n ? n : 1, sizeof *refs);
    t.rows = calloc(n ? n : 1, sizeof *t.rows);
    setting *lo = calloc(n ? n : 1, sizeof *lo), *hi = calloc(n ? n : 1, sizeof *hi);
    plan p = {.per = a->sets.n + 1};
    size_t max_jobs = 2 + 4 * n;
    p.jobs = calloc(max_jobs, sizeof *p.jobs);
    p.set_store = calloc(max_jobs * p.per, sizeof *p.set_store);
    eval_outcome *out = calloc(max_jobs, sizeof *out);
    int rc = 1;
    if (!refs || !t.rows || !lo || !hi || !p.jobs || !p.set_store || !out) {
        fprintf(stderr, "mcusim sensitivity: out of memory\n");
        goto done;
    }
    param_ref_list(e, refs, n);
    bool one = a->chips > 1;   /* on 1 chip the N-chip run is its own base */
    long base_n = add_job(&p, a, NULL, a->chips), base_1 = one ? add_job(&p, a, NULL, 1) : base_n;
    for (size_t i = 0; i < n; i++) {
        sens_row *row = &t.rows[t.n_rows++];
        row->ref = refs[i];
        row->base = param_ref_get(e, &refs[i]);
        skip_reason(&refs[i], param_ref_spec_is_numeric(refs[i].spec) ? row->base : NAN,
                    row->skipped, sizeof row->skipped);
        if (!param_ref_spec_is_numeric(refs[i].spec)) row->base = NAN;
        readable_unit(row, row->unit, sizeof row->unit);
        if (row->skipped[0]) continue;
        char tl[96], th[96];
        row->low = perturbed(&refs[i], row->base, 1 - a->delta, tl, sizeof tl);
        row->high = perturbed(&refs[i], row->base, 1 + a->delta, th, sizeof th);
        if (row->low == row->base && row->high == row->base) {
            snprintf(row->skipped, sizeof row->skipped,
                     "cannot move: rounding or its valid range keep it at its value");
            continue;
        }
        setting *sides[2] = {&lo[i], &hi[i]};
        const char *texts[2] = {tl, th};
        double vals[2] = {row->low, row->high};
        for (int k = 0; k < 2; k++) {
            sides[k]->job_n = sides[k]->job_1 = -1;
            if (vals[k] == row->base) continue;
            snprintf(sides[k]->assign, sizeof sides[k]->assign, "%s=%s", refs[i].key, texts[k]);
            sides[k]->job_n = add_job(&p, a, sides[k]->assign, a->chips);
            sides[k]->job_1 = one ? add_job(&p, a, sides[k]->assign, 1) : sides[k]->job_n;
        }
    }
    char err[1024];
    if (eval_pool_run(p.jobs, p.n_jobs, a->jobs ? a->jobs : eval_pool_default_procs(),
                      cli_eval_timing_only, NULL, out, err, sizeof err) != 0) {
        fprintf(stderr, "mcusim sensitivity: %s\n", err);
        goto done;
    }
    if (out[base_n].rc || out[base_1].rc) {
        const eval_outcome *bad = out[base_n].rc ? &out[base_n] : &out[base_1];
        fprintf(stderr, "mcusim sensitivity: the unperturbed run failed: %s\n", bad->err);
        rc = bad->rc;
        goto done;
    }
    for (size_t i = 0; i < t.n_rows; i++) {
        sens_row *row = &t.rows[i];
        if (row->skipped[0]) continue;
        const run_stats *s[2][2];
        setting *sides[2] = {&lo[i], &hi[i]};
        bool failed = false;
        for (int k = 0; k < 2 && !failed; k++) {
            long jn = sides[k]->job_n < 0 ? base_n : sides[k]->job_n;
            long j1 = sides[k]->job_1 < 0 ? base_1 : sides[k]->job_1;
            const eval_outcome *bad = out[jn].rc ? &out[jn] : out[j1].rc ? &out[j1] : NULL;
            if (bad) {
                snprintf(row->skipped, sizeof row->skipped, "the run at %s failed: %s",
                         k ? "+delta" : "-delta", bad->err);
                failed = true;
            }
            s[k][0] = &out[jn].stats;
            s[k][1] = &out[j1].stats;
        }
        if (!failed)
            fill_metrics(&t, row, &out[base_n].stats, &out[base_1].stats, s[0][0], s[0][1], s[1][0],
                         s[1][1]);
    }
    sensitivity_sort(&t);
    char dir[4096];
    if (a->out) snprintf(dir, sizeof dir, "%s", a->out);
    else snprintf(dir, sizeof dir, "results/%s/sensitivity-c%u", e->name, a->chips);
    if (sensitivity_write(dir, &t, err, sizeof err) != 0) {
        fprintf(stderr, "mcusim sensitivity: %s\n", err);
        goto done;
    }
    size_t moved = 0;
    for (size_t i = 0; i < t.n_rows; i++) moved += !t.rows[i].skipped[0];
    printf("%s on %u chip%s: %zu of %zu parameters moved by +-%g %% (%zu timing-only runs); "
           "largest elasticities:\n",
           e->name, a->chips, a->chips == 1 ? "" : "s", moved, t.n_rows, 100 * a->delta, p.n_jobs);
    sensitivity_print_summary(stdout, &t);
    printf("wrote %s/sensitivity.csv and %zu tornado plots\n", dir, t.n_metrics);
    rc = 0;
done:
    eval_outcomes_free(out, p.n_jobs);
    free(out);
    free(p.jobs);
    free(p.set_store);
    free(lo);
    free(hi);
    free(refs);
    free(t.rows);
    return rc;
}

int cmd_sensitivity(int argc, char **argv)
{
    sens_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc == 0) {
        experiment *e = cli_load_experiment(a.path, &a.sets);
        if (!e) rc = 2;
        else {
            rc = run(&a, e);
            experiment_destroy(e);
        }
    }
    cli_overrides_free(&a.sets);
    return rc;
}
