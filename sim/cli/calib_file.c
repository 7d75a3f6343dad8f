/* Loading and checking a calibration file (see calib_file.h). */
#include "calib_file.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../core/file_read.h"
#include "cli_common.h"

static const char *const top_keys[] = {"name", "description", "experiment", "set", "output",
                                       "parameters", "targets", NULL};
static const char *const output_keys[] = {"node", "link", NULL};
static const char *const param_keys[] = {"key", "min", "max", "start", "reason", NULL};
static const char *const target_extra[] = {"experiment", "metric", "source", NULL};

typedef struct target_nums {
    uint64_t chips;
    double value, weight;
} target_nums;

static const param_spec target_specs[] = {
    {"chips", PARAM_UINT, DIM_NONE, offsetof(target_nums, chips), 1, 4096, NULL, NULL,
     "the chip count of the published figure, 1..4096"},
    {"value", PARAM_DOUBLE, DIM_NONE, offsetof(target_nums, value), 0, 0, NULL, NULL,
     "the published figure, in the metric's unit"},
    {"weight", PARAM_DOUBLE, DIM_NONE, offsetof(target_nums, weight), 0, 0, "1", NULL,
     "weight of its squared log error"},
};

/* ---- small helpers ---- */

static int fail_at(cfg_error *err, const cfg_node *n, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail_at(cfg_error *err, const cfg_node *n, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cfg_fail_at(err, n, path, msg);
}

static int check_keys(const cfg_node *map, const char *path, const char *const *allowed,
                      cfg_error *err)
{
    return cfg_bind(map, path, NULL, 0, allowed, NULL, err);
}

static void join(char *buf, size_t cap, const char *path, const char *key)
{
    snprintf(buf, cap, "%s%s%s", path, path[0] ? "." : "", key);
}

/* The scalar at map.key into *out (NULL when absent). `required` says what
 * the key holds, for the message when it is missing; NULL = optional. */
static int get_text(const cfg_node *map, const char *key, const char *path, const char *required,
                    const char **out, const cfg_node **at, cfg_error *err)
{
    char full[256];
    join(full, sizeof full, path, key);
    const cfg_node *n = cfg_map_get(map, key);
    *out = NULL;
    if (at) *at = n;
    if (!n || cfg_node_kind(n) == CFG_NULL) {
        if (!required) return 0;
        return fail_at(err, map, full, "missing required key '%s' (%s)", key, required);
    }
    if (!cfg_scalar(n)) return fail_at(err, n, full, "expected a single value");
    *out = cfg_scalar(n);
    return 0;
}

static int resolve(const cfg_node *at, const char *text, char *out, size_t cap, const char *path,
                   cfg_error *err)
{
    char *p = path_relative_to(cfg_node_file(at), text);
    if (!p) return fail_at(err, at, path, "out of memory");
    int too_long = snprintf(out, cap, "%s", p) >= (int)cap;
    free(p);
    return too_long ? fail_at(err, at, path, "path too long") : 0;
}

static char *dup_line(const char *s)
{
    char *d = strdup(s ? s : "");
    for (char *c = d; c && *c; c++)
        if (*c == '\n' || *c == '\r') *c = ' ';
    return d;
}

/* ---- experiments ---- */

/* An error in one of the set: overrides is reported at that item of the
 * calibration file, not at "--set". */
static void relocate_set_error(calib_spec *c, const char *path, const cfg_node *set_seq,
                               cfg_error *err)
{
    for (size_t k = 1; k <= c->n_sets; k++) {
        cfg_error e2;
        memset(&e2, 0, sizeof e2);
        char configs[PATH_MAX];
        experiment *t = experiment_load(path, cli_configs_dir(configs, sizeof configs), c->sets,
                                        k, &e2);
        if (t) {
            experiment_destroy(t);
            continue;
        }
        if (strcmp(e2.file, "--set") != 0) return;
        const cfg_node *item = cfg_seq_at(set_seq, k - 1);
        snprintf(err->file, sizeof err->file, "%s", cfg_node_file(item));
        err->line = cfg_node_line(item);
        err->col = cfg_node_col(item);
        return;
    }
}

/* Index of the experiment at `text` (relative to the file of `at`), loading
 * it the first time. */
static int experiment_index(calib_spec *c, const cfg_node *at, const char *text, const char *key,
                            const cfg_node *set_seq, size_t *index, cfg_error *err)
{
    char path[PATH_MAX], real[PATH_MAX];
    if (resolve(at, text, path, sizeof path, key, err)) return -1;
    struct stat st;
    errno = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !realpath(path, real))
        return fail_at(err, at, key, "cannot open experiment '%s': %s", path,
                       errno ? strerror(errno) : "not a regular file");
    for (size_t i = 0; i < c->n_exps; i++) {
        char other[PATH_MAX];
        if (realpath(c->exps[i].path, other) && strcmp(other, real) == 0) {
            *index = i;
            return 0;
        }
    }
    calib_experiment *grown = realloc(c->exps, (c->n_exps + 1) * sizeof *grown);
    if (!grown) return fail_at(err, at, key, "out of memory");
    c->exps = grown;
    calib_experiment *x = &c->exps[c->n_exps];
    memset(x, 0, sizeof *x);
    snprintf(x->path, sizeof x->path, "%s", path);
    char configs[PATH_MAX];
    x->e = experiment_load(path, cli_configs_dir(configs, sizeof configs), c->sets, c->n_sets,
                           err);
    if (!x->e) {
        if (strcmp(err->file, "--set") == 0) relocate_set_error(c, path, set_seq, err);
        return -1;
    }
    *index = c->n_exps++;
    return 0;
}

const char *calib_pick_unit(const calib_param *p, double v)
{
    const char *best = NULL;
    double best_q = 0;
    for (int k = 0; k < 3; k++) {
        const char *u = p->units[k];
        if (!u[0]) continue;
        char one[48], msg[200];
        double f;
        snprintf(one, sizeof one, "1 %s", u);
        if (unit_parse(one, param_ref_dim(&p->ref), &f, msg, sizeof msg) != 0 || !(f > 0)) continue;
        double q = v / f;
        /* a quotient of at least 1 beats one below 1; among those, the smaller */
        bool better = !best || (q >= 1 && (best_q < 1 || q < best_q)) ||
                      (q < 1 && best_q < 1 && q > best_q);
        if (better) {
            best = u;
            best_q = q;
        }
    }
    return best;
}

/* ---- sections ---- */

static int load_header(calib_spec *c, const cfg_node *root, cfg_error *err)
{
    const char *name, *desc;
    const cfg_node *at;
    if (get_text(root, "name", "", NULL, &name, &at, err)) return -1;
    if (name) {
        snprintf(c->name, sizeof c->name, "%s", name);
    } else {
        const char *base = strrchr(c->path, '/');
        base = base ? base + 1 : c->path;
        snprintf(c->name, sizeof c->name, "%.*s", (int)strcspn(base, "."), base);
    }
    if (get_text(root, "description", "", NULL, &desc, NULL, err)) return -1;
    c->description = dup_line(desc);
    return c->description ? 0 : fail_at(err, root, "description", "out of memory");
}

static int load_sets(calib_spec *c, const cfg_node *seq, cfg_error *err)
{
    if (!seq || cfg_node_kind(seq) == CFG_NULL) return 0;
    if (cfg_node_kind(seq) != CFG_SEQ)
        return fail_at(err, seq, "set", "expected a list of \"key.path=value\" overrides");
    size_t n = cfg_size(seq);
    c->sets = calloc(n ? n : 1, sizeof *c->sets);
    if (!c->sets) return fail_at(err, seq, "set", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const cfg_node *item = cfg_seq_at(seq, i);
        char path[32];
        snprintf(path, sizeof path, "set[%zu]", i);
        const char *t = cfg_scalar(item);
        if (!t || !strchr(t, '=') || t[0] == '=')
            return fail_at(err, item, path, "expected \"key.path=value\"");
        c->sets[c->n_sets++] = t;
    }
    return 0;
}

/* The set: key of an override ("system.node.l2.size=4 MiB" -> its key). */
static void set_key(const char *set, char *key, size_t cap)
{
    size_t len = strcspn(set, "=");
    while (len > 0 && set[len - 1] == ' ') len--;
    snprintf(key, cap, "%.*s", (int)len, set);
}

/* True when an override of `set` covers parameter `key` (itself or a map above it). */
static bool set_covers(const char *set, const char *key)
{
    char k[PARAM_KEY_MAX];
    set_key(set, k, sizeof k);
    size_t n = strlen(k);
    return strcmp(k, key) == 0 || (strncmp(key, k, n) == 0 && key[n] == '.');
}

static int parse_bound(const calib_param *p, const cfg_node *at, const char *path,
                       const char *text, double *v, char unit[32], cfg_error *err)
{
    char msg[400];
    if (param_ref_value_parse(&p->ref, text, v, msg, sizeof msg) != 0)
        return fail_at(err, at, path, "%s", msg);
    param_ref_unit_symbol(text, unit, 32);
    return 0;
}

static int check_in_spec(const calib_param *p, const cfg_node *at, const char *path, double v,
                         cfg_error *err)
{
    if (param_ref_in_range(&p->ref, v)) return 0;
    char a[64], b[64], x[64];
    param_ref_value_text(&p->ref, v, NULL, 6, x, sizeof x);
    param_ref_value_text(&p->ref, p->ref.spec->min, NULL, 6, a, sizeof a);
    param_ref_value_text(&p->ref, p->ref.spec->max, NULL, 6, b, sizeof b);
    return fail_at(err, at, path, "%s is outside the valid range [%s, %s] of %s", x, a, b,
                   p->ref.key);
}

/* The parameter's spec must be the same kind of number in every experiment. */
static int find_everywhere(calib_spec *c, const char *key, const cfg_node *at, const char *path,
                           param_ref *out, cfg_error *err)
{
    char msg[400];
    for (size_t i = 0; i < c->n_exps; i++) {
        param_ref r;
        if (param_ref_find(c->exps[i].e, key, &r, msg, sizeof msg) != 0)
            return c->n_exps > 1 ? fail_at(err, at, path, "%s (in experiment %s)", msg, c->exps[i].path)
                                 : fail_at(err, at, path, "%s", msg);
        if (i == 0) *out = r;
        else if (r.spec->type != out->spec->type || param_ref_dim(&r) != param_ref_dim(out))
            return fail_at(err, at, path, "'%s' is a different kind of value in experiment %s",
                           key, c->exps[i].path);
    }
    return 0;
}

static int load_param(calib_spec *c, const cfg_node *item, size_t i, calib_param *p,
                      cfg_error *err)
{
    char path[64], sub[96];
    snprintf(path, sizeof path, "parameters[%zu]", i);
    if (cfg_node_kind(item) != CFG_MAP) return fail_at(err, item, path, "expected a map");
    if (check_keys(item, path, param_keys, err)) return -1;
    const char *key, *min, *max, *start, *reason;
    const cfg_node *key_at, *min_at, *max_at, *start_at, *reason_at;
    if (get_text(item, "key", path, "the full key of a node or link parameter, e.g. "
                 "system.node.hyperram.bandwidth", &key, &key_at, err) ||
        get_text(item, "min", path, "the lowest physically plausible value, in the key's unit",
                 &min, &min_at, err) ||
        get_text(item, "max", path, "the highest physically plausible value, in the key's unit",
                 &max, &max_at, err) ||
        get_text(item, "start", path, NULL, &start, &start_at, err) ||
        get_text(item, "reason", path, "why the value is uncertain and where the bounds come from",
                 &reason, &reason_at, err))
        return -1;
    join(sub, sizeof sub, path, "key");
    if (find_everywhere(c, key, key_at, sub, &p->ref, err)) return -1;
    for (size_t j = 0; j < i; j++)
        if (strcmp(c->params[j].ref.key, key) == 0)
            return fail_at(err, key_at, sub, "duplicate parameter '%s' (parameters[%zu])", key, j);
    join(sub, sizeof sub, path, "min");
    if (parse_bound(p, min_at, sub, min, &p->min, p->units[0], err)) return -1;
    if (!(p->min > 0))
        return fail_at(err, min_at, sub, "must be above 0: the search runs on a log scale");
    if (check_in_spec(p, min_at, sub, p->min, err)) return -1;
    join(sub, sizeof sub, path, "max");
    if (parse_bound(p, max_at, sub, max, &p->max, p->units[1], err)) return -1;
    if (!(p->max > p->min))
        return fail_at(err, max_at, sub, "max %s must be above min %s", max, min);
    if (check_in_spec(p, max_at, sub, p->max, err)) return -1;
    snprintf(p->min_text, sizeof p->min_text, "%s", min);
    snprintf(p->max_text, sizeof p->max_text, "%s", max);
    if (start) {
        join(sub, sizeof sub, path, "start");
        if (parse_bound(p, start_at, sub, start, &p->start, p->units[2], err)) return -1;
        if (!(p->start >= p->min && p->start <= p->max))
            return fail_at(err, start_at, sub, "start %s is outside the bounds [%s, %s]", start,
                           min, max);
        p->has_start = true;
        snprintf(p->start_text, sizeof p->start_text, "%s", start);
    } else {
        p->start = sqrt(p->min * p->max);
        param_ref_value_text(&p->ref, p->start, calib_pick_unit(p, p->start), 6, p->start_text,
                             sizeof p->start_text);
    }
    join(sub, sizeof sub, path, "reason");
    if (!reason[0]) return fail_at(err, reason_at, sub, "must say why the value is uncertain");
    p->reason = dup_line(reason);
    return p->reason ? 0 : fail_at(err, reason_at, sub, "out of memory");
}

static int load_params(calib_spec *c, const cfg_node *root, const cfg_node *set_seq,
                       cfg_error *err)
{
    const cfg_node *seq = cfg_map_get(root, "parameters");
    if (!seq || cfg_node_kind(seq) == CFG_NULL)
        return fail_at(err, root, "parameters", "missing required key 'parameters' (the "
                       "parameters to fit, each with key, min, max and reason)");
    if (cfg_node_kind(seq) != CFG_SEQ || cfg_size(seq) == 0)
        return fail_at(err, seq, "parameters", "expected a non-empty list of parameters");
    size_t n = cfg_size(seq);
    c->params = calloc(n, sizeof *c->params);
    if (!c->params) return fail_at(err, seq, "parameters", "out of memory");
    for (size_t i = 0; i < n; i++) {
        c->n_params = i + 1;   /* counted first, so calib_destroy frees a half-loaded one */
        if (load_param(c, cfg_seq_at(seq, i), i, &c->params[i], err)) return -1;
    }
    /* A value both set and fitted would be ambiguous. */
    for (size_t s = 0; s < c->n_sets; s++)
        for (size_t i = 0; i < n; i++)
            if (set_covers(c->sets[s], c->params[i].ref.key)) {
                char path[32];
                snprintf(path, sizeof path, "set[%zu]", s);
                return fail_at(err, cfg_seq_at(set_seq, s), path,
                               "overrides %s, which is fitted (parameters[%zu])",
                               c->params[i].ref.key, i);
            }
    return 0;
}

static int load_target(calib_spec *c, const cfg_node *item, size_t i, const char *default_exp,
                       const cfg_node *default_at, const cfg_node *set_seq, calib_target *t,
                       cfg_error *err)
{
    char path[64], sub[96];
    snprintf(path, sizeof path, "targets[%zu]", i);
    if (cfg_node_kind(item) != CFG_MAP) return fail_at(err, item, path, "expected a map");
    target_nums nums = {0, 0, 1};
    if (cfg_bind(item, path, target_specs, sizeof target_specs / sizeof target_specs[0],
                 target_extra, &nums, err))
        return -1;
    const char *exp, *metric, *source;
    const cfg_node *exp_at, *metric_node, *source_at;
    if (get_text(item, "experiment", path, NULL, &exp, &exp_at, err) ||
        get_text(item, "metric", path, "what the figure measures, e.g. latency_ms", &metric,
                 &metric_node, err) ||
        get_text(item, "source", path, "where the published figure comes from", &source,
                 &source_at, err))
        return -1;
    join(sub, sizeof sub, path, "experiment");
    if (exp) {
        if (experiment_index(c, exp_at, exp, sub, set_seq, &t->exp, err)) return -1;
    } else if (default_exp) {
        if (experiment_index(c, default_at, default_exp, "experiment", set_seq, &t->exp, err))
            return -1;
    } else {
        return fail_at(err, item, sub, "missing required key 'experiment' (no experiment: "
                       "at the top of the file to default to)");
    }
    join(sub, sizeof sub, path, "metric");
    t->metric = metric_find(metric);
    if (!t->metric) {
        const char *names[64];
        size_t n = 0;
        for (; n < metric_count() && n < 64; n++) names[n] = metric_at(n)->name;
        const char *hint = text_did_you_mean(metric, names, n);
        char list[400];
        metric_names(list, sizeof list);
        if (hint)
            return fail_at(err, metric_node, sub, "unknown metric '%s' (did you mean '%s'?); metrics: %s",
                           metric, hint, list);
        return fail_at(err, metric_node, sub, "unknown metric '%s'; metrics: %s", metric, list);
    }
    const cfg_node *v_at = cfg_map_get(item, "value"), *w_at = cfg_map_get(item, "weight");
    join(sub, sizeof sub, path, "value");
    if (!(nums.value > 0) || !isfinite(nums.value))
        return fail_at(err, v_at, sub, "must be above 0: the error is measured as ln(simulated/target)");
    join(sub, sizeof sub, path, "weight");
    if (!(nums.weight > 0) || !isfinite(nums.weight))
        return fail_at(err, w_at ? w_at : item, sub, "must be above 0");
    const cfg_node *chips_at = cfg_map_get(item, "chips");
    join(sub, sizeof sub, path, "chips");
    t->chips = (uint32_t)nums.chips;
    if (t->chips < t->metric->min_chips)
        return fail_at(err, chips_at, sub, "metric %s needs chips >= %u: %s", t->metric->name,
                       t->metric->min_chips, t->metric->min_chips_why);
    const experiment *e = c->exps[t->exp].e;
    char why[400] = "";
    if (!cli_chips_simulable(e, t->chips, why, sizeof why))
        return fail_at(err, chips_at, sub, "%u chips cannot be simulated: %s", t->chips, why);
    if (t->metric->relative && !cli_chips_simulable(e, 1, why, sizeof why))
        return fail_at(err, chips_at, sub, "%s needs the 1-chip run, which cannot be simulated: %s",
                       t->metric->name, why);
    t->value = nums.value;
    t->weight = nums.weight;
    join(sub, sizeof sub, path, "source");
    if (!source[0]) return fail_at(err, source_at, sub, "must name where the figure comes from");
    t->source = dup_line(source);
    return t->source ? 0 : fail_at(err, source_at, sub, "out of memory");
}

static int load_targets(calib_spec *c, const cfg_node *root, const cfg_node *set_seq,
                        cfg_error *err)
{
    const char *default_exp;
    const cfg_node *default_at;
    if (get_text(root, "experiment", "", NULL, &default_exp, &default_at, err)) return -1;
    const cfg_node *seq = cfg_map_get(root, "targets");
    if (!seq || cfg_node_kind(seq) == CFG_NULL)
        return fail_at(err, root, "targets", "missing required key 'targets' (published "
                       "figures: chips, metric, value, source)");
    if (cfg_node_kind(seq) != CFG_SEQ || cfg_size(seq) == 0)
        return fail_at(err, seq, "targets", "expected a non-empty list of targets");
    /* The default experiment is loaded first, so parameters are checked on it
     * even when every target names its own. */
    if (default_exp) {
        size_t ignored;
        if (experiment_index(c, default_at, default_exp, "experiment", set_seq, &ignored, err))
            return -1;
    }
    size_t n = cfg_size(seq);
    c->targets = calloc(n, sizeof *c->targets);
    if (!c->targets) return fail_at(err, seq, "targets", "out of memory");
    for (size_t i = 0; i < n; i++) {
        c->n_targets = i + 1;   /* counted first, so calib_destroy frees a half-loaded one */
        if (load_target(c, cfg_seq_at(seq, i), i, default_exp, default_at, set_seq,
                        &c->targets[i], err))
            return -1;
    }
    return 0;
}

/* ---- outputs ---- */

static void field_text(const param_spec *s, const void *obj, char *buf, size_t cap)
{
    const char *f = (const char *)obj + s->offset;
    switch (s->type) {
    case PARAM_BOOL: snprintf(buf, cap, "%s", *(const bool *)f ? "true" : "false"); break;
    case PARAM_UINT: snprintf(buf, cap, "%llu", (unsigned long long)*(const uint64_t *)f); break;
    case PARAM_INT: snprintf(buf, cap, "%lld", (long long)*(const int64_t *)f); break;
    case PARAM_DOUBLE: snprintf(buf, cap, "%.10g", *(const double *)f); break;
    case PARAM_QUANTITY: unit_format(*(const double *)f, s->dim, buf, cap); break;
    case PARAM_ENUM: {
        int v = *(const int *)f, n = 0;
        while (s->enum_names && s->enum_names[n]) n++;
        snprintf(buf, cap, "%s", v >= 0 && v < n ? s->enum_names[v] : "?");
        break;
    }
    case PARAM_STRING: snprintf(buf, cap, "'%s'", f); break;
    case PARAM_UINT_LIST: snprintf(buf, cap, "a list"); break;
    }
}

static bool field_equal(const param_spec *s, const void *a, const void *b)
{
    const char *x = (const char *)a + s->offset, *y = (const char *)b + s->offset;
    switch (s->type) {
    case PARAM_BOOL: return *(const bool *)x == *(const bool *)y;
    case PARAM_UINT: return *(const uint64_t *)x == *(const uint64_t *)y;
    case PARAM_INT: return *(const int64_t *)x == *(const int64_t *)y;
    case PARAM_DOUBLE:
    case PARAM_QUANTITY: return *(const double *)x == *(const double *)y;
    case PARAM_ENUM: return *(const int *)x == *(const int *)y;
    case PARAM_STRING: return strcmp(x, y) == 0;
    case PARAM_UINT_LIST: return memcmp(x, y, sizeof(param_uint_list)) == 0;
    }
    return false;
}

/* The overlay reproduces the fit only if its base holds what every
 * experiment simulated, apart from what is fitted or set. */
static int compare_base(const calib_spec *c, const cfg_node *at, const char *path, bool link,
                        const param_spec *specs, size_t n, const void *base_obj, cfg_error *err)
{
    const char *prefix = link ? "system.link." : "system.node.";
    for (size_t x = 0; x < c->n_exps; x++) {
        const experiment *e = c->exps[x].e;
        if (!link && strcmp(e->node_model->name, c->exps[0].e->node_model->name) != 0)
            return fail_at(err, at, path, "experiment %s uses node model '%s', not '%s': one "
                           "overlay cannot serve both", e->path, e->node_model->name,
                           c->exps[0].e->node_model->name);
        const void *obj = link ? e->link_params : e->node_params;
        for (size_t i = 0; i < n; i++) {
            char key[PARAM_KEY_MAX];
            snprintf(key, sizeof key, "%s%s", prefix, specs[i].key);
            bool skip = false;
            for (size_t p = 0; p < c->n_params; p++) skip |= strcmp(c->params[p].ref.key, key) == 0;
            for (size_t s = 0; s < c->n_sets; s++) skip |= set_covers(c->sets[s], key);
            if (skip || field_equal(&specs[i], base_obj, obj)) continue;
            char a[128], b[128];
            field_text(&specs[i], base_obj, a, sizeof a);
            field_text(&specs[i], obj, b, sizeof b);
            return fail_at(err, at, path, "base differs from the %s of experiment %s in %s "
                           "(%s here, %s there): an overlay on it would not reproduce the fit",
                           link ? "link" : "node", e->path, specs[i].key, a, b);
        }
    }
    return 0;
}

static int check_base(const calib_spec *c, const calib_output *o, const cfg_node *at,
                      const char *path, bool link, cfg_error *err)
{
    cfg_node *tree = cfg_load_file(o->base, err);
    if (!tree) return -1;
    const experiment *e0 = c->exps[0].e;
    static const char *const link_extra[] = {"model", "plugin", NULL};
    int rc = -1;
    void *obj = NULL;
    if (cfg_node_kind(tree) != CFG_MAP) {
        fail_at(err, at, path, "base '%s' does not hold a map", o->base);
    } else if (!link) {
        const registry_entry *m = e0->node_model;
        const cfg_node *named = cfg_map_get(tree, "model");
        const char *model = named ? cfg_scalar(named) : NODE_MODEL_DEFAULT;
        if (!model || strcmp(model, m->name) != 0) {
            fail_at(err, at, path, "base '%s' is not a '%s' node, which the experiments use",
                    o->base, m->name);
        } else {
            obj = calloc(1, m->params_size ? m->params_size : 1);
            if (obj && cfg_bind(tree, "", m->params, m->n_params, node_reserved_keys, obj, err) == 0)
                rc = compare_base(c, at, path, false, m->params, m->n_params, obj, err);
        }
    } else {
        const char *model = cfg_scalar(cfg_map_get(tree, "model"));
        if (!e0->link_plugin && (!model || strcmp(model, e0->link_ops->name) != 0)) {
            fail_at(err, at, path, "base '%s' is not a '%s' link, which the experiments use",
                    o->base, e0->link_ops->name);
        } else {
            obj = calloc(1, e0->link_ops->params_size ? e0->link_ops->params_size : 1);
            if (obj && cfg_bind(tree, "", e0->link_ops->params, e0->link_ops->n_params,
                                link_extra, obj, err) == 0)
                rc = compare_base(c, at, path, true, e0->link_ops->params, e0->link_ops->n_params,
                                  obj, err);
        }
    }
    free(obj);
    cfg_destroy(tree);
    return rc;
}

static int load_output(const calib_spec *c, const cfg_node *out, const char *key,
                       calib_output *o, cfg_error *err)
{
    char path[64], sub[80];
    snprintf(path, sizeof path, "output.%s", key);
    const cfg_node *m = cfg_map_get(out, key);
    if (!m || cfg_node_kind(m) == CFG_NULL) return 0;
    if (cfg_node_kind(m) != CFG_MAP)
        return fail_at(err, m, path, "expected {base: FILE, file: FILE}");
    /* `base:` is merged by the YAML layer: the keys written here are those
     * from this file; the others come from the base. */
    for (size_t i = 0; i < cfg_size(m); i++) {
        const char *k = cfg_map_key_at(m, i);
        if (strcmp(cfg_map_key_file(m, i), cfg_node_file(m)) != 0 || strcmp(k, "file") == 0)
            continue;
        static const char *const known[] = {"base", "file"};
        const char *hint = text_did_you_mean(k, known, 2);
        join(sub, sizeof sub, path, k);
        if (hint)
            return cfg_fail(err, cfg_map_key_file(m, i), cfg_map_key_line(m, i),
                            cfg_map_key_col(m, i), sub, "unknown key '%s' (did you mean '%s'?)",
                            k, hint);
        return cfg_fail(err, cfg_map_key_file(m, i), cfg_map_key_line(m, i),
                        cfg_map_key_col(m, i), sub, "unknown key '%s'", k);
    }
    const char *base = cfg_map_base_file(m);
    join(sub, sizeof sub, path, "base");
    if (!base)
        return fail_at(err, m, sub, "missing required key 'base' (the %s file the overlay is "
                       "written over)", key);
    snprintf(o->base, sizeof o->base, "%s", base);
    const char *file;
    const cfg_node *file_at;
    if (get_text(m, "file", path, "the overlay file to write", &file, &file_at, err)) return -1;
    join(sub, sizeof sub, path, "file");
    if (resolve(file_at, file, o->file, sizeof o->file, sub, err)) return -1;
    char a[PATH_MAX], b[PATH_MAX];
    if (realpath(o->file, a) && realpath(o->base, b) && strcmp(a, b) == 0)
        return fail_at(err, file_at, sub, "the overlay cannot replace its own base");
    o->present = true;
    join(sub, sizeof sub, path, "base");
    return check_base(c, o, m, sub, strcmp(key, "link") == 0, err);
}

static int load_outputs(calib_spec *c, const cfg_node *root, cfg_error *err)
{
    const cfg_node *out = cfg_map_get(root, "output");
    if (!out || cfg_node_kind(out) == CFG_NULL)
        return fail_at(err, root, "output", "missing required key 'output' (node: {base: FILE, "
                       "file: FILE}, and link: likewise when link parameters are fitted)");
    if (cfg_node_kind(out) != CFG_MAP) return fail_at(err, out, "output", "expected a map");
    if (check_keys(out, "output", output_keys, err)) return -1;
    if (load_output(c, out, "node", &c->node_out, err) ||
        load_output(c, out, "link", &c->link_out, err))
        return -1;
    bool node = false, link = false;
    for (size_t i = 0; i < c->n_params; i++) {
        node |= !c->params[i].ref.link;
        link |= c->params[i].ref.link;
    }
    if (node && !c->node_out.present)
        return fail_at(err, out, "output.node", "missing: node parameters are fitted, so a node "
                       "overlay {base: FILE, file: FILE} is needed");
    if (link && !c->link_out.present)
        return fail_at(err, out, "output.link", "missing: link parameters are fitted, so a link "
                       "overlay {base: FILE, file: FILE} is needed");
    if (!node && c->node_out.present)
        return fail_at(err, cfg_map_get(out, "node"), "output.node", "no system.node parameter is fitted");
    if (!link && c->link_out.present)
        return fail_at(err, cfg_map_get(out, "link"), "output.link", "no system.link parameter is fitted");
    if (node && link && strcmp(c->node_out.file, c->link_out.file) == 0)
        return fail_at(err, cfg_map_get(out, "link"), "output.link.file",
                       "the node and link overlays need two files");
    return 0;
}

calib_spec *calib_load(const char *path, cfg_error *err)
{
    calib_spec *c = calloc(1, sizeof *c);
    if (!c) {
        cfg_fail(err, path, 0, 0, "", "out of memory");
        return NULL;
    }
    snprintf(c->path, sizeof c->path, "%s", path);
    c->tree = cfg_load_file(path, err);
    if (!c->tree) goto fail;
    const cfg_node *root = c->tree;
    if (cfg_node_kind(root) != CFG_MAP) {
        fail_at(err, root, "", "a calibration file must be a map (experiment, parameters, "
                "targets, output)");
        goto fail;
    }
    const cfg_node *set_seq = cfg_map_get(root, "set");
    if (check_keys(root, "", top_keys, err) || load_header(c, root, err) ||
        load_sets(c, set_seq, err) || load_targets(c, root, set_seq, err) ||
        load_params(c, root, set_seq, err) || load_outputs(c, root, err))
        goto fail;
    return c;
fail:
    calib_destroy(c);
    return NULL;
}

void calib_destroy(calib_spec *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n_exps; i++) experiment_destroy(c->exps[i].e);
    free(c->exps);
    for (size_t i = 0; i < c->n_params; i++) free(c->params[i].reason);
    free(c->params);
    for (size_t i = 0; i < c->n_targets; i++) free(c->targets[i].source);
    free(c->targets);
    free(c->sets);
    free(c->description);
    cfg_destroy(c->tree);
    free(c);
}
