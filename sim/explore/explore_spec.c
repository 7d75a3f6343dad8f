/* Reading the explore: section (see explore_spec.h). Every error is
 * located at the key or value it is about. */
#include "explore_spec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/units.h"
#include "explore_value.h"

static const char *const explore_keys[] = {"space", "constraints", "objectives", "max_points",
                                           "seed", NULL};
static const char *const range_keys[] = {"from", "to", "step", "count", "scale", NULL};

#define FAIL(err, n, path, ...) \
    cfg_fail((err), cfg_node_file(n), cfg_node_line(n), cfg_node_col(n), (path), __VA_ARGS__)

/* ---- numbers ---- */

static int whole_number(const cfg_node *n, const char *path, uint64_t lo, uint64_t hi,
                        uint64_t *out, cfg_error *err)
{
    const char *s = cfg_scalar(n);
    char *end = NULL;
    errno = 0;
    unsigned long long v = s && isdigit((unsigned char)s[0]) ? strtoull(s, &end, 10) : 0;
    if (!s || !end || *end || errno || v < lo || v > hi)
        return FAIL(err, n, path, "expected a whole number in [%llu, %llu]",
                    (unsigned long long)lo, (unsigned long long)hi);
    *out = v;
    return 0;
}

/* "<number> [unit]": the number, its unit ("" without one), and its value
 * in SI with the unit's dimension (DIM_NONE without a unit). */
typedef struct quantity {
    double number, si;
    char unit[32];
    unit_dim dim;
} quantity;

static int parse_quantity(const cfg_node *n, const char *path, quantity *q, cfg_error *err)
{
    const char *s = cfg_scalar(n);
    if (!s) return FAIL(err, n, path, "expected a number, with a unit where the key has one");
    char *end;
    errno = 0;
    q->number = strtod(s, &end);
    if (end == s || errno || !isfinite(q->number))
        return FAIL(err, n, path, "'%s' is not a number", s);
    while (*end == ' ') end++;
    snprintf(q->unit, sizeof q->unit, "%s", end);
    q->dim = DIM_NONE;
    q->si = q->number;
    if (!q->unit[0]) return 0;
    char e[160];
    for (int d = DIM_NONE + 1; d < DIM__COUNT; d++) {
        if (d == DIM_CYCLES) continue;
        if (unit_parse(s, (unit_dim)d, &q->si, e, sizeof e) == 0) {
            q->dim = (unit_dim)d;
            return 0;
        }
    }
    return FAIL(err, n, path, "unknown unit '%s'", q->unit);
}

static bool is_whole(double v)
{
    return fabs(v) < 9e15 && v == floor(v);
}

/* ---- axes ---- */

static int add_value(explore_axis *a, const char *text, const cfg_node *at, const char *path,
                     cfg_error *err)
{
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->values[i].text, text))
            return FAIL(err, at, path, "value '%s' given twice", text);
    if (a->n == EXPLORE_MAX_VALUES)
        return FAIL(err, at, path, "more than %d values", EXPLORE_MAX_VALUES);
    if (a->n % 64 == 0) {
        explore_value *v = realloc(a->values, (a->n + 64) * sizeof *v);
        if (!v) return FAIL(err, at, path, "out of memory");
        a->values = v;
    }
    snprintf(a->values[a->n].text, sizeof a->values[a->n].text, "%s", text);
    a->values[a->n++].at = at;
    return 0;
}

/* {from, to, step} or {from, to, count[, scale: linear|log]}; the values
 * are written in the unit of `from`. */
static int load_range(const cfg_node *r, const char *path, explore_axis *a, cfg_error *err)
{
    if (cfg_bind(r, path, NULL, 0, range_keys, NULL, err) != 0) return -1;
    const cfg_node *from = cfg_map_get(r, "from"), *to = cfg_map_get(r, "to"),
                   *step = cfg_map_get(r, "step"), *count = cfg_map_get(r, "count"),
                   *scale = cfg_map_get(r, "scale");
    char p[340];
    if (!from || !to || (!step == !count))
        return FAIL(err, r, path, "a range is {from, to, step} or {from, to, count[, scale: log]}");
    quantity qf, qt, qs = {0};
    snprintf(p, sizeof p, "%s.from", path);
    if (parse_quantity(from, p, &qf, err)) return -1;
    snprintf(p, sizeof p, "%s.to", path);
    if (parse_quantity(to, p, &qt, err)) return -1;
    if (qt.dim != qf.dim) return FAIL(err, to, p, "'%s' is not in the dimension of from", cfg_scalar(to));
    if (qt.si < qf.si) return FAIL(err, to, p, "to is below from");
    bool log_scale = false;
    if (scale) {
        const char *s = cfg_scalar(scale);
        snprintf(p, sizeof p, "%s.scale", path);
        if (!s || (strcmp(s, "log") && strcmp(s, "linear")))
            return FAIL(err, scale, p, "expected linear or log");
        log_scale = !strcmp(s, "log");
        if (log_scale && step) return FAIL(err, scale, p, "a log range takes count, not step");
    }
    /* SI per unit of `from`: the values are written in that unit */
    double unit_scale = 1.0;
    if (qf.dim != DIM_NONE) {
        char one[48], e[160];
        snprintf(one, sizeof one, "1 %s", qf.unit);
        if (unit_parse(one, qf.dim, &unit_scale, e, sizeof e) != 0) unit_scale = 1.0;
    }
    double lo = qf.si / unit_scale, hi = qt.si / unit_scale;
    uint64_t n = 0;
    double inc = 0;
    bool whole = is_whole(lo) && is_whole(hi);
    if (step) {
        snprintf(p, sizeof p, "%s.step", path);
        if (parse_quantity(step, p, &qs, err)) return -1;
        if (qs.dim != qf.dim) return FAIL(err, step, p, "'%s' is not in the dimension of from", cfg_scalar(step));
        inc = qs.si / unit_scale;
        if (!(inc > 0)) return FAIL(err, step, p, "step must be above 0");
        double span = (hi - lo) / inc;
        if (span > EXPLORE_MAX_VALUES) return FAIL(err, r, path, "more than %d values", EXPLORE_MAX_VALUES);
        n = (uint64_t)floor(span + 1e-9) + 1;
        whole = whole && is_whole(inc);
    } else {
        snprintf(p, sizeof p, "%s.count", path);
        if (whole_number(count, p, 1, EXPLORE_MAX_VALUES, &n, err)) return -1;
        if (log_scale && !(lo > 0)) return FAIL(err, from, path, "a log range starts above 0");
        if (!log_scale && n > 1) whole = whole && is_whole((hi - lo) / (double)(n - 1));
    }
    for (uint64_t i = 0; i < n; i++) {
        double v;
        if (step) v = lo + (double)i * inc;
        else if (n == 1) v = lo;
        else if (log_scale) v = lo * pow(hi / lo, (double)i / (double)(n - 1));
        else v = lo + (hi - lo) * (double)i / (double)(n - 1);
        if (i == n - 1 && !step && n > 1) v = hi;   /* exactly the end written */
        if (whole) v = round(v);
        char text[64];
        if (whole) snprintf(text, sizeof text, "%.0f", v);
        else snprintf(text, sizeof text, "%.6g", v);
        if (qf.unit[0]) {
            size_t len = strlen(text);
            snprintf(text + len, sizeof text - len, " %s", qf.unit);
        }
        /* rounding a log range to whole numbers may give one value twice: keep one */
        bool seen = false;
        for (size_t k = 0; k < a->n && !seen; k++) seen = !strcmp(a->values[k].text, text);
        if (!seen && add_value(a, text, r, path, err)) return -1;
    }
    return 0;
}

static int load_values(const cfg_node *v, const char *path, const experiment *e,
                       const char *written_in, explore_axis *a, cfg_error *err)
{
    if (cfg_node_kind(v) == CFG_MAP && cfg_map_get(v, "from")) return load_range(v, path, a, err);
    if (cfg_node_kind(v) != CFG_SEQ || cfg_size(v) == 0)
        return FAIL(err, v, path, "expected a list of values or a range {from, to, step | count}");
    for (size_t i = 0; i < cfg_size(v); i++) {
        const cfg_node *x = cfg_seq_at(v, i);
        char text[EXPLORE_VALUE_MAX], why[300], p[340];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (explore_value_text(x, written_in, e->path, text, sizeof text, why, sizeof why))
            return FAIL(err, x, p, "%s", why);
        if (add_value(a, text, x, p, err)) return -1;
    }
    return 0;
}

/* a == b, or one is a dotted prefix of the other ("a.b" and "a.b.c"). */
static bool keys_overlap(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
    if (strncmp(a, b, n)) return false;
    return la == lb || (la < lb ? b[la] == '.' : a[lb] == '.');
}

static int load_chips(explore_spec *s, cfg_error *err)
{
    explore_axis *a = &s->chips;
    s->chip_counts = calloc(a->n ? a->n : 1, sizeof *s->chip_counts);
    if (!s->chip_counts) return FAIL(err, s->at, "explore.space.chips", "out of memory");
    for (size_t i = 0; i < a->n; i++) {
        const char *t = a->values[i].text;
        char *end;
        errno = 0;
        unsigned long v = isdigit((unsigned char)t[0]) ? strtoul(t, &end, 10) : 0;
        if (!v || *end || errno || v > 4096)
            return FAIL(err, a->values[i].at, "explore.space.chips",
                        "'%s' is not a chip count in [1, 4096]", t);
        s->chip_counts[i] = (uint32_t)v;
    }
    return 0;
}

static void set_key_place(explore_axis *a, const cfg_node *space, size_t i)
{
    a->key_file = cfg_map_key_file(space, i);
    a->key_line = cfg_map_key_line(space, i);
    a->key_col = cfg_map_key_col(space, i);
}

static int load_space(const experiment *e, const cfg_node *space, explore_spec *s, cfg_error *err)
{
    if (cfg_node_kind(space) != CFG_MAP || cfg_size(space) == 0)
        return FAIL(err, space, "explore.space", "expected a map of key paths to their values");
    bool have_chips = false;
    for (size_t i = 0; i < cfg_size(space); i++) {
        const char *key = cfg_map_key_at(space, i);
        const cfg_node *v = cfg_map_value_at(space, i);
        char path[300];
        snprintf(path, sizeof path, "explore.space.%s", key);
        cfg_error *E = err;
        const char *kf = cfg_map_key_file(space, i);
        int kl = cfg_map_key_line(space, i), kc = cfg_map_key_col(space, i);
        explore_axis *a;
        if (!strcmp(key, "chips")) {
            a = &s->chips;
            have_chips = true;
        } else {
            if (keys_overlap(key, "sweep"))
                return cfg_fail(E, kf, kl, kc, path, "sweep.* cannot be an axis (chips is the axis 'chips')");
            if (keys_overlap(key, "explore") || keys_overlap(key, "name"))
                return cfg_fail(E, kf, kl, kc, path, "'%s' cannot be an axis", key);
            if (!key[0] || key[0] == '.' || key[strlen(key) - 1] == '.' || strstr(key, ".."))
                return cfg_fail(E, kf, kl, kc, path, "'%s' is not a key path", key);
            if (strlen(key) >= sizeof s->axes[0].key)
                return cfg_fail(E, kf, kl, kc, path, "key path longer than %zu characters",
                                sizeof s->axes[0].key - 1);
            for (size_t j = 0; j < s->n_axes; j++)
                if (keys_overlap(key, s->axes[j].key))
                    return cfg_fail(E, kf, kl, kc, path, "overlaps the axis %s", s->axes[j].key);
            if (s->n_axes == EXPLORE_MAX_AXES)
                return cfg_fail(E, kf, kl, kc, path, "more than %d axes besides chips", EXPLORE_MAX_AXES);
            a = &s->axes[s->n_axes++];
        }
        snprintf(a->key, sizeof a->key, "%s", key);
        set_key_place(a, space, i);
        if (load_values(v, path, e, kf, a, err)) return -1;
    }
    if (!have_chips) {   /* the experiment's own chip counts */
        snprintf(s->chips.key, sizeof s->chips.key, "chips");
        s->chips.key_file = cfg_node_file(space);
        s->chips.key_line = cfg_node_line(space);
        s->chips.key_col = cfg_node_col(space);
        const cfg_node *list = cfg_get_path(e->tree, "sweep.chips");
        for (size_t i = 0; i < e->chips.n; i++) {
            char t[32];
            snprintf(t, sizeof t, "%llu", (unsigned long long)e->chips.v[i]);
            const cfg_node *at = cfg_seq_at(list, i);
            if (add_value(&s->chips, t, at ? at : space, "sweep.chips", err)) return -1;
        }
    }
    return load_chips(s, err);
}

/* ---- metrics ---- */

static int find_metric(const cfg_node *at, const char *path, const char *name,
                       const metric_def **out, cfg_error *err)
{
    *out = metric_find(name);
    if (*out) return 0;
    const char *names[64];
    size_t n = 0;
    for (; n < metric_count() && n < 64; n++) names[n] = metric_at(n)->name;
    const char *hint = text_did_you_mean(name, names, n);
    char list[600];
    metric_names(list, sizeof list);
    return FAIL(err, at, path, "unknown metric '%s'%s%s%s; metrics: %s", name,
                hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "", list);
}

static int load_constraint(const cfg_node *n, const char *path, explore_constraint *c,
                           cfg_error *err)
{
    const char *s = cfg_scalar(n);
    if (!s) return FAIL(err, n, path, "expected \"metric <= number\" (or <, >=, >)");
    const char *p = s;
    while (*p == ' ') p++;
    char name[64];
    size_t len = 0;
    while ((isalnum((unsigned char)*p) || *p == '_') && len + 1 < sizeof name) name[len++] = *p++;
    name[len] = '\0';
    while (*p == ' ') p++;
    const char *ops[] = {"<=", ">=", "<", ">"};
    const explore_cmp kinds[] = {EXPLORE_LE, EXPLORE_GE, EXPLORE_LT, EXPLORE_GT};
    int k = -1;
    for (int i = 0; i < 4 && k < 0; i++)
        if (!strncmp(p, ops[i], strlen(ops[i]))) k = i;
    if (!len || k < 0)
        return FAIL(err, n, path, "'%s': expected \"metric <= number\" (or <, >=, >)", s);
    p += strlen(ops[k]);
    char *end;
    errno = 0;
    double bound = strtod(p, &end);
    while (end && *end == ' ') end++;
    if (end == p || errno || !isfinite(bound) || *end)
        return FAIL(err, n, path, "'%s': the bound is not a number (in the metric's unit)", s);
    if (find_metric(n, path, name, &c->metric, err)) return -1;
    c->op = kinds[k];
    c->bound = bound;
    c->at = n;
    snprintf(c->text, sizeof c->text, "%s %s %.10g", name, ops[k], bound);
    return 0;
}

static int load_objective(const cfg_node *n, const char *path, explore_objective *o,
                          cfg_error *err)
{
    const char *name = cfg_scalar(n);
    o->goal = EXPLORE_MIN;
    o->at = n;
    if (!name && cfg_node_kind(n) == CFG_MAP && cfg_size(n) == 1 &&
        (!strcmp(cfg_map_key_at(n, 0), "min") || !strcmp(cfg_map_key_at(n, 0), "max"))) {
        o->goal = !strcmp(cfg_map_key_at(n, 0), "max") ? EXPLORE_MAX : EXPLORE_MIN;
        n = cfg_map_value_at(n, 0);
        name = cfg_scalar(n);
    }
    if (!name) return FAIL(err, n, path, "expected a metric name (minimised), {min: metric} or {max: metric}");
    return find_metric(n, path, name, &o->metric, err);
}

static int load_goals(const cfg_node *x, explore_spec *s, cfg_error *err)
{
    const cfg_node *obj = cfg_map_get(x, "objectives"), *con = cfg_map_get(x, "constraints");
    if (!obj || cfg_node_kind(obj) != CFG_SEQ || cfg_size(obj) == 0)
        return FAIL(err, obj ? obj : x, "explore.objectives",
                    "expected a list of objectives (metric names, {min: m} or {max: m})");
    if (cfg_size(obj) > EXPLORE_MAX_OBJECTIVES)
        return FAIL(err, obj, "explore.objectives", "more than %d objectives", EXPLORE_MAX_OBJECTIVES);
    for (size_t i = 0; i < cfg_size(obj); i++) {
        char path[64];
        snprintf(path, sizeof path, "explore.objectives[%zu]", i);
        explore_objective *o = &s->objectives[s->n_objectives];
        if (load_objective(cfg_seq_at(obj, i), path, o, err)) return -1;
        for (size_t j = 0; j < s->n_objectives; j++)
            if (s->objectives[j].metric == o->metric)
                return FAIL(err, o->at, path, "%s is already an objective", o->metric->name);
        s->n_objectives++;
    }
    if (con && cfg_node_kind(con) != CFG_SEQ && cfg_node_kind(con) != CFG_NULL)
        return FAIL(err, con, "explore.constraints", "expected a list of \"metric <= number\"");
    for (size_t i = 0; con && i < cfg_size(con); i++) {
        char path[64];
        snprintf(path, sizeof path, "explore.constraints[%zu]", i);
        if (s->n_constraints == EXPLORE_MAX_CONSTRAINTS)
            return FAIL(err, cfg_seq_at(con, i), path, "more than %d constraints", EXPLORE_MAX_CONSTRAINTS);
        if (load_constraint(cfg_seq_at(con, i), path, &s->constraints[s->n_constraints], err))
            return -1;
        s->n_constraints++;
    }
    return 0;
}

/* A relative metric (speedup...) compares a point with the 1-chip run of
 * its configuration, which must then be in the space. */
static int check_relative(explore_spec *s, cfg_error *err)
{
    bool one = false;
    for (size_t i = 0; i < s->chips.n; i++) one = one || s->chip_counts[i] == 1;
    for (size_t i = 0; i < s->n_objectives + s->n_constraints; i++) {
        bool obj = i < s->n_objectives;
        const metric_def *m = obj ? s->objectives[i].metric : s->constraints[i - s->n_objectives].metric;
        const cfg_node *at = obj ? s->objectives[i].at : s->constraints[i - s->n_objectives].at;
        if (!m->relative) continue;
        s->needs_one_chip = true;
        if (!one)
            return FAIL(err, at, obj ? "explore.objectives" : "explore.constraints",
                        "%s is relative to the 1-chip run of the same configuration: the chips "
                        "axis must include 1", m->name);
    }
    return 0;
}

int explore_spec_load(const experiment *e, explore_spec *out, cfg_error *err)
{
    memset(out, 0, sizeof *out);
    const cfg_node *x = cfg_map_get(e->tree, "explore");
    if (!x || cfg_node_kind(x) != CFG_MAP)
        return cfg_fail(err, e->path, x ? cfg_node_line(x) : 1, x ? cfg_node_col(x) : 1, "explore",
                        "%s", x ? "expected a map (space, constraints, objectives, max_points, seed)"
                                : "no explore: section (space, constraints, objectives; README "
                                  "\"Design-space exploration\")");
    out->at = x;
    if (cfg_bind(x, "explore", NULL, 0, explore_keys, NULL, err) != 0) return -1;
    const cfg_node *space = cfg_map_get(x, "space");
    if (!space) return FAIL(err, x, "explore.space", "missing required key 'space' (the axes)");
    out->max_points = EXPLORE_DEFAULT_MAX_POINTS;
    out->seed = 1;
    const cfg_node *mp = cfg_map_get(x, "max_points"), *seed = cfg_map_get(x, "seed");
    if (mp && whole_number(mp, "explore.max_points", 1, EXPLORE_LIMIT_MAX_POINTS, &out->max_points, err))
        return -1;
    if (seed && whole_number(seed, "explore.seed", 0, UINT64_MAX / 2, &out->seed, err)) return -1;
    if (load_space(e, space, out, err) || load_goals(x, out, err) || check_relative(out, err))
        return -1;
    return 0;
}

void explore_spec_free(explore_spec *s)
{
    if (!s) return;
    free(s->chips.values);
    free(s->chip_counts);
    for (size_t i = 0; i < s->n_axes; i++) free(s->axes[i].values);
    memset(s, 0, sizeof *s);
}

uint64_t explore_combinations(const explore_spec *s)
{
    uint64_t g = 1;
    for (size_t i = 0; i < s->n_axes; i++) {
        if (g > UINT64_MAX / s->axes[i].n) return UINT64_MAX;
        g *= s->axes[i].n;
    }
    return g;
}

uint64_t explore_grid_size(const explore_spec *s)
{
    uint64_t g = explore_combinations(s);
    if (g == UINT64_MAX || g > UINT64_MAX / (s->chips.n ? s->chips.n : 1)) return UINT64_MAX;
    return g * s->chips.n;
}

bool explore_constraint_holds(const explore_constraint *c, double v)
{
    if (!isfinite(v)) return false;
    switch (c->op) {
    case EXPLORE_LE: return v <= c->bound;
    case EXPLORE_LT: return v < c->bound;
    case EXPLORE_GE: return v >= c->bound;
    case EXPLORE_GT: return v > c->bound;
    }
    return false;
}

void explore_assignment(const explore_axis *a, size_t v, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s=%s", a->key, a->values[v].text);
}

char *explore_spec_text(const explore_spec *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    for (size_t a = 0; a <= s->n_axes; a++) {
        const explore_axis *ax = a == 0 ? &s->chips : &s->axes[a - 1];
        fprintf(f, "axis %s\n", ax->key);
        for (size_t v = 0; v < ax->n; v++) fprintf(f, "  value %s\n", ax->values[v].text);
    }
    for (size_t i = 0; i < s->n_objectives; i++)
        fprintf(f, "objective %s %s\n", s->objectives[i].goal == EXPLORE_MAX ? "max" : "min",
                s->objectives[i].metric->name);
    for (size_t i = 0; i < s->n_constraints; i++) fprintf(f, "constraint %s\n", s->constraints[i].text);
    fprintf(f, "max_points %llu\nseed %llu\n", (unsigned long long)s->max_points,
            (unsigned long long)s->seed);
    if (fclose(f) != 0) { free(buf); return NULL; }
    return buf;
}
