/* Planning an exploration (see explore_plan.h). */
#include "explore_plan.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../experiment/point_memory.h"
#include "../report/point_stamp.h"

#define MODE "timing-only"

/* The experiment at path with --set and then `assign` applied. */
static experiment *load_with(const char *path, const cli_overrides *sets, const char *const *assign,
                             size_t n_assign, cfg_error *err)
{
    const char **all = malloc((sets->n + n_assign + 1) * sizeof *all);
    memset(err, 0, sizeof *err);
    if (!all) { snprintf(err->msg, sizeof err->msg, "out of memory"); return NULL; }
    for (size_t i = 0; i < sets->n; i++) all[i] = sets->v[i];
    for (size_t i = 0; i < n_assign; i++) all[sets->n + i] = assign[i];
    char configs[PATH_MAX];
    experiment *e = experiment_load(path, cli_configs_dir(configs, sizeof configs), all,
                                    sets->n + n_assign, err);
    free(all);
    return e;
}

static int config_hash(const experiment *e, char out[SHA256_HEX_LEN + 1])
{
    size_t len;
    char *text = stamp_config_text(e, &len);
    if (!text) return -1;
    sha256_hex(text, len, out);
    free(text);
    return 0;
}

static void print_at(const char *file, int line, int col, const char *path, const char *msg)
{
    fprintf(stderr, "%s:%d:%d: %s: %s\n", file, line, col, path, msg);
}

/* A value that does not load: the loader's message, at the key when it is
 * about the key (an unknown key path), else at the value. Messages about a
 * file the value includes are already located there. */
static void value_error(const cfg_error *le, const explore_axis *a, size_t v)
{
    char path[300], msg[1400];
    snprintf(path, sizeof path, "explore.space.%s", a->key);
    if (strcmp(le->file, "--set") != 0) {
        cfg_error_print(le, stderr);
        return;
    }
    if (le->col >= 1 && (size_t)le->col <= strlen(a->key)) {
        print_at(a->key_file, a->key_line, a->key_col, path, le->msg);
        return;
    }
    const cfg_node *at = a->values[v].at;
    if (le->path[0] && strcmp(le->path, a->key))
        snprintf(msg, sizeof msg, "'%s': %s: %s", a->values[v].text, le->path, le->msg);
    else
        snprintf(msg, sizeof msg, "'%s': %s", a->values[v].text, le->msg);
    print_at(cfg_node_file(at), cfg_node_line(at), cfg_node_col(at), path, msg);
}

/* Keys of the space against --set: a key given both ways is ambiguous. */
static int check_sets(const explore_spec *s, const cli_overrides *sets)
{
    for (size_t a = 0; a < s->n_axes; a++) {
        const explore_axis *x = &s->axes[a];
        size_t lk = strlen(x->key);
        for (size_t k = 0; k < sets->n; k++) {
            size_t ls = (size_t)(strchr(sets->v[k], '=') - sets->v[k]), n = lk < ls ? lk : ls;
            if (strncmp(x->key, sets->v[k], n) ||
                !(lk == ls || (lk < ls ? sets->v[k][lk] == '.' : x->key[ls] == '.')))
                continue;
            char path[300], msg[600];
            snprintf(path, sizeof path, "explore.space.%s", x->key);
            snprintf(msg, sizeof msg, "the key is also given by --set %s", sets->v[k]);
            print_at(x->key_file, x->key_line, x->key_col, path, msg);
            return 2;
        }
        if (lk + 2 + EXPLORE_VALUE_MAX > sizeof ((sweep_point *)0)->assign[0])
            for (size_t v = 0; v < x->n; v++)
                if (lk + 1 + strlen(x->values[v].text) >= sizeof ((sweep_point *)0)->assign[0]) {
                    const cfg_node *at = x->values[v].at;
                    char path[300];
                    snprintf(path, sizeof path, "explore.space.%s", x->key);
                    print_at(cfg_node_file(at), cfg_node_line(at), cfg_node_col(at), path,
                             "key=value is longer than 255 characters (a point's label)");
                    return 2;
                }
    }
    return 0;
}

/* Every value of every axis loads on its own; none resolves to the
 * configuration of another value of its axis; which value (if any) is the
 * experiment's own. base_value[a] = that index, or SIZE_MAX. */
static int check_values(explore_plan *p, const char *base_sha, size_t *base_value)
{
    const explore_spec *s = &p->spec;
    for (size_t a = 0; a < s->n_axes; a++) {
        const explore_axis *x = &s->axes[a];
        base_value[a] = SIZE_MAX;
        char (*sha)[SHA256_HEX_LEN + 1] = calloc(x->n, sizeof *sha);
        if (!sha) return cli_usage_error("explore", "out of memory");
        for (size_t v = 0; v < x->n; v++) {
            char assign[512];
            explore_assignment(x, v, assign, sizeof assign);
            const char *one[1] = {assign};
            cfg_error err;
            experiment *e = load_with(p->path, p->sets, one, 1, &err);
            if (!e) {
                value_error(&err, x, v);
                free(sha);
                return 2;
            }
            int bad = config_hash(e, sha[v]);
            experiment_destroy(e);
            if (bad) { free(sha); return cli_usage_error("explore", "out of memory"); }
            for (size_t w = 0; w < v; w++) {
                if (strcmp(sha[w], sha[v])) continue;
                const cfg_node *at = x->values[v].at;
                char path[300], msg[600];
                snprintf(path, sizeof path, "explore.space.%s", x->key);
                snprintf(msg, sizeof msg, "'%s' resolves to the same configuration as '%s'",
                         x->values[v].text, x->values[w].text);
                print_at(cfg_node_file(at), cfg_node_line(at), cfg_node_col(at), path, msg);
                free(sha);
                return 2;
            }
            if (!strcmp(sha[v], base_sha)) base_value[a] = v;
        }
        free(sha);
    }
    /* every chip count within the memory limit of a timing-only point */
    return 0;
}

static int check_chips(const explore_plan *p, uint64_t max_memory)
{
    const explore_axis *c = &p->spec.chips;
    for (size_t i = 0; i < c->n; i++) {
        char why[1024];
        if (!point_memory_check(p->e, p->spec.chip_counts[i], false, false, false, max_memory, why,
                                sizeof why))
            continue;
        const cfg_node *at = c->values[i].at;
        print_at(cfg_node_file(at), cfg_node_line(at), cfg_node_col(at), "explore.space.chips", why);
        return 2;
    }
    return 0;
}

/* The experiment's own configuration, at each chip count of its
 * sweep.chips that the chips axis has, when every axis has its value. */
static size_t required_points(const explore_plan *p, const size_t *base_value, uint64_t *out)
{
    const explore_spec *s = &p->spec;
    uint64_t combo = 0;
    for (size_t a = 0; a < s->n_axes; a++) {
        if (base_value[a] == SIZE_MAX) return 0;
        combo = combo * s->axes[a].n + base_value[a];
    }
    size_t n = 0;
    for (size_t j = 0; j < s->chips.n; j++)
        for (size_t k = 0; k < p->e->chips.n; k++)
            if (p->e->chips.v[k] == s->chip_counts[j]) out[n++] = combo * s->chips.n + j;
    return n;
}

/* Chosen point sel_i as a sweep point (index i of the runner's list). */
static void sel_point(const explore_plan *p, size_t sel_i, size_t i, sweep_point *out)
{
    const explore_spec *s = &p->spec;
    uint32_t combo;
    size_t chips_i, value_i[EXPLORE_MAX_AXES];
    explore_point_values(s, p->sel.points[sel_i], &combo, &chips_i, value_i);
    memset(out, 0, sizeof *out);
    out->index = i;
    out->chips = s->chip_counts[chips_i];
    out->grid_index = combo;
    sweep_point_id(out->chips, combo, s->n_axes > 0, out->id, sizeof out->id);
    size_t len = 0;
    for (size_t a = 0; a < s->n_axes; a++) {
        explore_assignment(&s->axes[a], value_i[a], out->assign[a], sizeof out->assign[a]);
        if (len < sizeof out->sweep)
            len += (size_t)snprintf(out->sweep + len, sizeof out->sweep - len, "%s%s", a ? ";" : "",
                                    out->assign[a]);
    }
    out->n_assign = s->n_axes;
}

void explore_plan_point(const explore_plan *p, size_t i, sweep_point *out)
{
    sel_point(p, p->run[i], i, out);
}

static void listed(const void *ctx, size_t i, sweep_point *out)
{
    explore_plan_point(ctx, i, out);
}

sweep_plan explore_plan_runner(const explore_plan *p)
{
    return (sweep_plan){.listed = listed, .listed_ctx = p, .n_listed = p->n_run};
}

/* ---- stamping ---- */

typedef struct sha_ref {
    const char *sha;
    size_t index;
} sha_ref;

static int by_sha(const void *a, const void *b)
{
    const sha_ref *x = a, *y = b;
    int c = strcmp(x->sha, y->sha);
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

static char *printf_dup(const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, fmt, a, b);
    return s;
}

/* Two chosen points of one configuration: the later runs as the earlier. */
static int mark_duplicates(explore_plan *p)
{
    size_t n = p->sel.n, m = 0;
    sha_ref *refs = malloc((n ? n : 1) * sizeof *refs);
    if (!refs) return -1;
    for (size_t i = 0; i < n; i++)
        if (!p->note[i]) refs[m++] = (sha_ref){p->planned[i].stamp.config_sha256, i};
    qsort(refs, m, sizeof *refs, by_sha);
    for (size_t k = 1; k < m; k++) {
        if (strcmp(refs[k].sha, refs[k - 1].sha)) continue;
        size_t first = k - 1;
        while (first > 0 && !strcmp(refs[first - 1].sha, refs[k].sha)) first--;
        size_t i = refs[k].index;
        p->note[i] = printf_dup("same configuration as %s%s", p->planned[refs[first].index].stamp.id, "");
        if (!p->note[i]) { free(refs); return -1; }
        p->duplicate[i] = true;
    }
    free(refs);
    return 0;
}

/* The family of a loaded configuration: what partition_build and
 * topology_expand read (the workload, the collective and its parameters;
 * the chips' nodes when the partitioner sizes shares by them, balance:
 * capacity), hashed. Equal families build the same program at each chip
 * count. */
static void family_key(const experiment *e, char out[SHA256_HEX_LEN + 1])
{
    sha256_ctx c;
    uint8_t d[32];
    sha256_init(&c);
    sha256_update(&c, &e->workload, sizeof e->workload);
    sha256_update(&c, e->topology.collective->name, strlen(e->topology.collective->name));
    sha256_update(&c, e->topology.params.bytes, sizeof e->topology.params.bytes);
    sha256_update(&c, &e->topology.phy, sizeof e->topology.phy);
    if (partition_reads_capacity(&e->workload)) {
        sha256_update(&c, e->node_model->name, strlen(e->node_model->name));
        sha256_update(&c, e->node_params, e->node_model->params_size);
        for (size_t i = 0; i < e->n_chip_nodes; i++) {
            const chip_override *o = &e->chip_nodes[i];
            sha256_update(&c, o->ranges, o->n_ranges * sizeof *o->ranges);
            sha256_update(&c, o->node_model->name, strlen(o->node_model->name));
            sha256_update(&c, o->node_params, o->node_model->params_size);
        }
    }
    sha256_final(&c, d);
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

typedef struct families {
    char (*key)[SHA256_HEX_LEN + 1];
    size_t n, cap;
} families;

static uint32_t family_of(families *f, const char *key)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->key[i], key)) return (uint32_t)i;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        char (*k)[SHA256_HEX_LEN + 1] = realloc(f->key, cap * sizeof *k);
        if (!k) return UINT32_MAX;
        f->key = k;
        f->cap = cap;
    }
    memcpy(f->key[f->n], key, SHA256_HEX_LEN + 1);
    return (uint32_t)f->n++;
}

/* Loads each chosen combination once and stamps its points. */
static int stamp_all(explore_plan *p, const char (*base_sha)[SHA256_HEX_LEN + 1])
{
    const explore_spec *s = &p->spec;
    experiment *cur = NULL;
    char *cur_fail = NULL;
    uint64_t cur_combo = UINT64_MAX;
    uint32_t cur_family = UINT32_MAX;
    families fam = {0};
    int rc = 0;
    for (size_t i = 0; i < p->sel.n && rc == 0; i++) {
        sweep_point pt;
        sel_point(p, i, i, &pt);
        size_t chips_i = (size_t)(p->sel.points[i] % s->chips.n);
        planned_point *pp = &p->planned[i];
        if (strlen(pt.sweep) + 1 >= sizeof pp->sweep) {
            rc = cli_usage_error("explore", "point %s: its label '%s...' is longer than %zu "
                                 "characters: shorten the values or key paths of explore.space",
                                 pt.id, pt.sweep, sizeof pp->sweep - 2);
            break;
        }
        snprintf(pp->sweep, sizeof pp->sweep, "%s", pt.sweep);
        snprintf(pp->stamp.id, sizeof pp->stamp.id, "%s", pt.id);
        if (pt.grid_index != cur_combo) {
            experiment_destroy(cur);
            free(cur_fail);
            cur = NULL;
            cur_fail = NULL;
            cur_combo = pt.grid_index;
            const char *assign[SWEEP_MAX_AXES];
            for (size_t a = 0; a < pt.n_assign; a++) assign[a] = pt.assign[a];
            cfg_error err;
            cur = load_with(p->path, p->sets, assign, pt.n_assign, &err);
            if (cur) {
                char key[SHA256_HEX_LEN + 1];
                family_key(cur, key);
                cur_family = family_of(&fam, key);
                if (cur_family == UINT32_MAX) rc = cli_usage_error("explore", "out of memory");
            } else {
                char line[1400];
                snprintf(line, sizeof line, "%s: %s", err.path[0] ? err.path : "configuration", err.msg);
                cur_fail = printf_dup("these values do not load together: %s%s", line, "");
                if (!cur_fail) rc = cli_usage_error("explore", "out of memory");
            }
        }
        if (cur_fail) {
            p->note[i] = strdup(cur_fail);
            if (!p->note[i]) rc = cli_usage_error("explore", "out of memory");
            continue;
        }
        p->family[i] = cur_family;
        if (stamp_point(cur, pt.chips, pt.id, MODE, &pp->stamp)) {
            rc = cli_usage_error("explore", "out of memory");
            break;
        }
        p->baseline[i] = base_sha[chips_i][0] && !strcmp(pp->stamp.config_sha256, base_sha[chips_i]);
    }
    experiment_destroy(cur);
    free(cur_fail);
    free(fam.key);
    if (rc == 0 && mark_duplicates(p)) rc = cli_usage_error("explore", "out of memory");
    return rc;
}

/* The run list: points to simulate by family (in order of first
 * appearance), then chip count, then in their order, so the points of one
 * program follow each other; and how many share each program. */
typedef struct run_ref {
    uint32_t family;
    size_t chips_i, index;
} run_ref;

static int by_family(const void *a, const void *b)
{
    const run_ref *x = a, *y = b;
    if (x->family != y->family) return x->family < y->family ? -1 : 1;
    if (x->chips_i != y->chips_i) return x->chips_i < y->chips_i ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int order_run(explore_plan *p)
{
    size_t n = p->sel.n ? p->sel.n : 1, nc = p->spec.chips.n;
    run_ref *refs = malloc(n * sizeof *refs);
    if (!refs) return -1;
    uint32_t n_fam = 0;
    for (size_t i = 0; i < p->sel.n; i++) {
        if (p->note[i]) continue;
        refs[p->n_run++] = (run_ref){p->family[i], (size_t)(p->sel.points[i] % nc), i};
        if (p->family[i] + 1 > n_fam) n_fam = p->family[i] + 1;
    }
    qsort(refs, p->n_run, sizeof *refs, by_family);
    uint32_t *count = calloc((size_t)n_fam * nc + 1, sizeof *count);
    if (!count) { free(refs); return -1; }
    for (size_t k = 0; k < p->n_run; k++)
        count[(size_t)refs[k].family * nc + p->sel.points[refs[k].index] % nc]++;
    for (size_t k = 0; k < p->n_run; k++) {
        size_t i = refs[k].index;
        p->run[k] = i;
        p->run_planned[k] = p->planned[i];
        p->run_shared[k] = count[(size_t)p->family[i] * nc + p->sel.points[i] % nc];
    }
    free(count);
    free(refs);
    return 0;
}

static int alloc_plan(explore_plan *p)
{
    size_t n = p->sel.n ? p->sel.n : 1;
    p->planned = calloc(n, sizeof *p->planned);
    p->note = calloc(n, sizeof *p->note);
    p->duplicate = calloc(n, sizeof *p->duplicate);
    p->baseline = calloc(n, sizeof *p->baseline);
    p->run = calloc(n, sizeof *p->run);
    p->run_planned = calloc(n, sizeof *p->run_planned);
    p->family = calloc(n, sizeof *p->family);
    p->run_shared = calloc(n, sizeof *p->run_shared);
    return p->planned && p->note && p->duplicate && p->baseline && p->run && p->run_planned &&
                   p->family && p->run_shared
               ? 0
               : -1;
}

int explore_plan_build(const char *path, const cli_overrides *sets, experiment *e,
                       uint64_t max_memory, explore_plan *out)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    out->sets = sets;
    out->e = e;
    cfg_error err;
    memset(&err, 0, sizeof err);
    if (explore_spec_load(e, &out->spec, &err)) {
        cfg_error_print(&err, stderr);
        return 2;
    }
    size_t len;
    out->config_text = stamp_config_text(e, &len);
    char *spec_text = explore_spec_text(&out->spec);
    if (!out->config_text || !spec_text) {
        free(spec_text);
        return cli_usage_error("explore", "out of memory");
    }
    sha256_hex(out->config_text, len, out->config_sha256);
    sha256_hex(spec_text, strlen(spec_text), out->spec_sha256);
    free(spec_text);
    size_t base_value[EXPLORE_MAX_AXES];
    int rc = check_sets(&out->spec, sets);
    if (!rc) rc = check_values(out, out->config_sha256, base_value);
    if (!rc) rc = check_chips(out, max_memory);
    if (rc) return rc;
    /* the experiment's own stamp at each chip count, to recognise it */
    char (*base_sha)[SHA256_HEX_LEN + 1] = calloc(out->spec.chips.n, sizeof *base_sha);
    uint64_t *req = calloc(out->spec.chips.n, sizeof *req);
    if (!base_sha || !req) rc = cli_usage_error("explore", "out of memory");
    for (size_t j = 0; !rc && j < out->spec.chips.n; j++) {
        /* at the chip counts of its own sweep.chips only */
        bool own = false;
        for (size_t k = 0; k < e->chips.n; k++) own = own || e->chips.v[k] == out->spec.chip_counts[j];
        if (!own) continue;
        point_stamp st;
        if (stamp_point(e, out->spec.chip_counts[j], "base", MODE, &st))
            rc = cli_usage_error("explore", "out of memory");
        else memcpy(base_sha[j], st.config_sha256, sizeof base_sha[j]);
    }
    char why[300];
    size_t n_req = rc ? 0 : required_points(out, base_value, req);
    if (!rc && explore_select(&out->spec, req, n_req, &out->sel, why, sizeof why))
        rc = cli_usage_error("explore", "%s: %s", path, why);
    if (!rc && alloc_plan(out)) rc = cli_usage_error("explore", "out of memory");
    if (!rc) rc = stamp_all(out, (const char(*)[SHA256_HEX_LEN + 1])base_sha);
    free(base_sha);
    free(req);
    if (rc) return rc;
    return order_run(out) ? cli_usage_error("explore", "out of memory") : 0;
}

void explore_plan_free(explore_plan *p)
{
    if (!p) return;
    for (size_t i = 0; p->note && i < p->sel.n; i++) free(p->note[i]);
    free(p->note);
    free(p->planned);
    free(p->duplicate);
    free(p->baseline);
    free(p->run);
    free(p->run_planned);
    free(p->family);
    free(p->run_shared);
    free(p->config_text);
    explore_selection_free(&p->sel);
    explore_spec_free(&p->spec);
    experiment_destroy(p->e);
    memset(p, 0, sizeof *p);
}
