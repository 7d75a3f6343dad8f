/* sweep_check_axes and sweep_stamp_plan (see sweep_prepare.h). A bad
 * --sweep value used to fail every point separately at run time, labelled
 * --set, and leave an empty summary behind; now nothing starts. */
#include "sweep_prepare.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/point_stamp.h"

/* a == b, or one is a dotted prefix of the other ("a.b" and "a.b.c"). */
static bool keys_overlap(const char *a, size_t la, const char *b, size_t lb)
{
    size_t n = la < lb ? la : lb;
    if (strncmp(a, b, n)) return false;
    return la == lb || (la < lb ? b[la] == '.' : a[lb] == '.');
}

_Static_assert(EXPERIMENT_VARY_AXES <= SWEEP_MAX_AXES && EXPERIMENT_VARY_VALUES <= SWEEP_MAX_VALUES &&
                   EXPERIMENT_VARY_VALUE_MAX <= SWEEP_VALUE_MAX &&
                   EXPERIMENT_VARY_KEY_MAX <= sizeof ((sweep_axis *)0)->key,
               "sweep.vary axes fit the sweep's");

static bool same_key(const char *a, const char *b)
{
    return !strcmp(a, b);
}

/* "--set K" (K the assignment's key). */
static bool set_names(const char *assignment, const char *key)
{
    const char *eq = strchr(assignment, '=');
    return eq && (size_t)(eq - assignment) == strlen(key) && !strncmp(assignment, key, strlen(key));
}

int sweep_merge_axes(const experiment *e, const sweep_axis *cli, size_t n_cli,
                     const cli_overrides *sets, sweep_axis *axes, const vary_axis **origins,
                     size_t *n_axes)
{
    size_t n = 0;
    bool used[SWEEP_MAX_AXES] = {false};
    for (size_t i = 0; i < e->n_vary; i++) {
        const vary_axis *x = &e->vary[i];
        bool dropped = false;
        for (size_t k = 0; k < sets->n && !dropped; k++)
            if (set_names(sets->v[k], x->key)) {
                fprintf(stderr, "mcusim sweep: --set %s replaces sweep.vary.%s (%s:%d:%d): not "
                        "varied\n", sets->v[k], x->key, x->key_file, x->key_line, x->key_col);
                dropped = true;
            }
        if (dropped) continue;
        sweep_axis *a = &axes[n];
        memset(a, 0, sizeof *a);
        snprintf(a->key, sizeof a->key, "%s", x->key);
        for (size_t v = 0; v < x->n; v++) snprintf(a->values[v], sizeof a->values[v], "%s", x->values[v]);
        a->n = x->n;
        origins[n] = x;
        for (size_t c = 0; c < n_cli; c++) {
            if (same_key(cli[c].key, x->key)) {
                fprintf(stderr, "mcusim sweep: --sweep %s replaces the values of sweep.vary.%s "
                        "(%s:%d:%d)\n", cli[c].key, x->key, x->key_file, x->key_line, x->key_col);
                *a = cli[c];
                origins[n] = NULL;
                used[c] = true;
            } else if (keys_overlap(cli[c].key, strlen(cli[c].key), x->key, strlen(x->key))) {
                return cli_usage_error("sweep", "--sweep %s: overlaps sweep.vary.%s (%s:%d:%d), one "
                                       "key inside the other", cli[c].key, x->key, x->key_file,
                                       x->key_line, x->key_col);
            }
        }
        n++;
    }
    for (size_t c = 0; c < n_cli; c++) {
        if (used[c]) continue;
        if (n == SWEEP_MAX_AXES)
            return cli_usage_error("sweep", "at most %d axes (sweep.vary and --sweep together)",
                                   SWEEP_MAX_AXES);
        axes[n] = cli[c];
        origins[n++] = NULL;
    }
    *n_axes = n;
    return 0;
}

/* One line about axis a: at its sweep.vary key, or labelled --sweep. */
static int axis_error(const sweep_axis *a, const vary_axis *origin, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int axis_error(const sweep_axis *a, const vary_axis *origin, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (origin)
        fprintf(stderr, "%s:%d:%d: sweep.vary.%s: %s\n", origin->key_file, origin->key_line,
                origin->key_col, a->key, msg);
    else
        fprintf(stderr, "mcusim sweep: --sweep %s: %s\n", a->key, msg);
    return 2;
}

int sweep_check_axes(const sweep_axis *axes, size_t n_axes, const cli_overrides *sets,
                     const vary_axis *const *origins)
{
    size_t points = 1;
    for (size_t i = 0; i < n_axes; i++) {
        const sweep_axis *a = &axes[i];
        const vary_axis *o = origins ? origins[i] : NULL;
        if (keys_overlap(a->key, strlen(a->key), "sweep", 5))
            return axis_error(a, o, "sweep.* cannot be an axis (give chip counts with --chips)");
        for (size_t j = 0; j < i; j++)
            if (keys_overlap(a->key, strlen(a->key), axes[j].key, strlen(axes[j].key)))
                return axis_error(a, o, "the key is already swept by %s %s=...",
                                  origins && origins[j] ? "sweep.vary" : "--sweep", axes[j].key);
        for (size_t k = 0; k < sets->n; k++) {
            const char *eq = strchr(sets->v[k], '=');
            if (keys_overlap(a->key, strlen(a->key), sets->v[k], (size_t)(eq - sets->v[k])))
                return axis_error(a, o, "the key is also given by --set %s", sets->v[k]);
        }
        for (size_t v = 0; v < a->n; v++)
            for (size_t w = 0; w < v; w++)
                if (!strcmp(a->values[v], a->values[w]))
                    return axis_error(a, o, "value '%s' given twice", a->values[v]);
        points *= a->n;
        if (points > SWEEP_MAX_POINTS)
            return cli_usage_error("sweep", "--sweep: more than %d combinations", SWEEP_MAX_POINTS);
    }
    return 0;
}

/* An error of one assignment "key=value" of axis `a` (value number v), moved
 * from its --set column to the column in the --sweep text "key=v1,v2,...",
 * or to the value in the file when the axis is sweep.vary's (origin). */
static void print_as_sweep(const cfg_error *e, const sweep_axis *a, const vary_axis *origin,
                           size_t v, const char *combo)
{
    if (origin && v < origin->n) {
        const cfg_node *at = origin->value_at[v];
        fprintf(stderr, "%s:%d:%d: %s: %s%s%s%s\n", cfg_node_file(at), cfg_node_line(at),
                cfg_node_col(at), e->path[0] ? e->path : a->key, e->msg, combo ? " (with " : "",
                combo ? combo : "", combo ? ")" : "");
        return;
    }
    size_t klen = strlen(a->key), at = klen + 1;
    for (size_t i = 0; i < v; i++) at += strlen(a->values[i]) + 1;
    int col = (int)at + 1;   /* the value's first column */
    if (!strcmp(e->file, "--set") && e->col >= 1 && (size_t)e->col <= klen) col = e->col;
    else if (!strcmp(e->file, "--set") && (size_t)e->col >= klen + 2) col = e->col - (int)(klen + 1) + (int)at;
    fprintf(stderr, "--sweep:1:%d: %s: %s%s%s%s\n", col, e->path[0] ? e->path : a->key, e->msg,
            combo ? " (with " : "", combo ? combo : "", combo ? ")" : "");
}

static experiment *load_with(const char *path, const cli_overrides *sets, const char *const *assign,
                             size_t n_assign, cfg_error *err)
{
    const char **all = malloc((sets->n + n_assign + 1) * sizeof *all);
    if (!all) { snprintf(err->msg, sizeof err->msg, "out of memory"); return NULL; }
    for (size_t i = 0; i < sets->n; i++) all[i] = sets->v[i];
    for (size_t i = 0; i < n_assign; i++) all[sets->n + i] = assign[i];
    memset(err, 0, sizeof *err);
    char configs[PATH_MAX];
    experiment *e = experiment_load(path, cli_configs_dir(configs, sizeof configs), all,
                                    sets->n + n_assign, err);
    free(all);
    return e;
}

/* A combination failed to load: name the value at fault if one fails on
 * its own, else the combination. */
static void report_combination(const char *path, const cli_overrides *sets, const sweep_plan *plan,
                               const vary_axis *const *origins, const sweep_point *pt,
                               const cfg_error *combo_err)
{
    for (size_t a = 0; a < plan->n_axes; a++) {
        const char *one[1] = {pt->assign[a]};
        cfg_error e;
        experiment *x = load_with(path, sets, one, 1, &e);
        if (x) { experiment_destroy(x); continue; }
        const char *val = strchr(pt->assign[a], '=') + 1;
        size_t v = 0;
        while (v < plan->axes[a].n && strcmp(plan->axes[a].values[v], val)) v++;
        print_as_sweep(&e, &plan->axes[a], origins ? origins[a] : NULL, v, NULL);
        return;
    }
    print_as_sweep(combo_err, &plan->axes[0], NULL, 0, pt->sweep);
}

typedef struct combo_hash {
    char sha[SHA256_HEX_LEN + 1];
    size_t grid;
} combo_hash;

static int combo_cmp(const void *a, const void *b)
{
    return strcmp(((const combo_hash *)a)->sha, ((const combo_hash *)b)->sha);
}

/* Two combinations of values that resolve to one configuration ("1" and
 * "1.0", "200 MB/s" and "200MB/s", a value equal to another's default...)
 * would simulate the same points twice under two labels. */
static int check_distinct(combo_hash *h, size_t n, const sweep_plan *plan,
                          const vary_axis *const *origins)
{
    qsort(h, n, sizeof *h, combo_cmp);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(h[i].sha, h[i - 1].sha)) continue;
        sweep_point a, b;
        sweep_plan_point(plan, h[i - 1].grid * plan->n_chips, &a);
        sweep_plan_point(plan, h[i].grid * plan->n_chips, &b);
        if (a.grid_index > b.grid_index) {
            sweep_point t = a;
            a = b;
            b = t;
        }
        /* the first axis they differ on; in the file, at the later value */
        for (size_t x = 0; x < plan->n_axes && origins; x++) {
            if (!strcmp(a.assign[x], b.assign[x]) || !origins[x]) continue;
            const char *val = strchr(b.assign[x], '=') + 1;
            for (size_t v = 0; v < origins[x]->n; v++)
                if (!strcmp(origins[x]->values[v], val)) {
                    const cfg_node *at = origins[x]->value_at[v];
                    fprintf(stderr, "%s:%d:%d: sweep.vary.%s: %s and %s resolve to the same "
                            "configuration\n", cfg_node_file(at), cfg_node_line(at),
                            cfg_node_col(at), origins[x]->key, a.sweep, b.sweep);
                    return 2;
                }
        }
        return cli_usage_error("sweep", "--sweep: %s and %s resolve to the same configuration",
                               a.sweep, b.sweep);
    }
    return 0;
}

int sweep_stamp_plan(const char *path, const cli_overrides *sets, const sweep_plan *plan,
                     const vary_axis *const *origins, const char *mode, planned_point **out)
{
    size_t total = sweep_plan_size(plan), grid = total / plan->n_chips;
    planned_point *pp = calloc(total ? total : 1, sizeof *pp);
    combo_hash *hashes = calloc(grid ? grid : 1, sizeof *hashes);
    int rc = 0;
    if (!pp || !hashes) { rc = cli_usage_error("sweep", "out of memory"); goto done; }
    for (size_t g = 0; g < grid && rc == 0; g++) {
        sweep_point first;
        sweep_plan_point(plan, g * plan->n_chips, &first);
        const char *assign[SWEEP_MAX_AXES];
        for (size_t a = 0; a < first.n_assign; a++) assign[a] = first.assign[a];
        cfg_error err;
        experiment *e = load_with(path, sets, assign, first.n_assign, &err);
        if (!e) {
            if (plan->n_axes) report_combination(path, sets, plan, origins, &first, &err);
            else cfg_error_print(&err, stderr);
            rc = 2;
            break;
        }
        size_t len;
        char *text = stamp_config_text(e, &len);
        bool ok = text != NULL;
        if (ok) sha256_hex(text, len, hashes[g].sha);
        hashes[g].grid = g;
        free(text);
        for (size_t c = 0; c < plan->n_chips && ok; c++) {
            sweep_point pt;
            sweep_plan_point(plan, g * plan->n_chips + c, &pt);
            planned_point *p = &pp[pt.index];
            snprintf(p->sweep, sizeof p->sweep, "%s", pt.sweep);
            ok = stamp_point(e, pt.chips, pt.id, mode, &p->stamp) == 0;
            /* a combination need not suit every chip count: say so, do not fail */
            char why[sizeof p->not_applicable];
            if (plan->n_axes && partition_check(&e->workload, pt.chips, why, sizeof why))
                snprintf(p->not_applicable, sizeof p->not_applicable, "%s", why);
        }
        experiment_destroy(e);
        if (!ok) rc = cli_usage_error("sweep", "out of memory");
    }
    if (rc == 0) rc = check_distinct(hashes, grid, plan, origins);
done:
    free(hashes);
    if (rc) {
        free(pp);
        pp = NULL;
    }
    *out = pp;
    return rc;
}

char **sweep_not_applicable_notes(const planned_point *pp, size_t n, size_t *count)
{
    *count = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += pp[i].not_applicable[0] != '\0';
    char **v = k ? calloc(k, sizeof *v) : NULL;
    for (size_t i = 0; v && i < n; i++) {
        if (!pp[i].not_applicable[0]) continue;
        size_t len = strlen(pp[i].stamp.id) + strlen(pp[i].sweep) + strlen(pp[i].not_applicable) + 8;
        char *t = malloc(len);
        if (!t) break;
        snprintf(t, len, "%s (%s): %s", pp[i].stamp.id, pp[i].sweep, pp[i].not_applicable);
        v[(*count)++] = t;
    }
    return v;
}

void sweep_notes_free(char **notes, size_t count)
{
    for (size_t i = 0; i < count; i++) free(notes[i]);
    free(notes);
}
