/* Loading an experiment file: the YAML tree (includes, base merges, --set
 * overrides) bound section by section through the parameter tables the
 * modules publish. Every check that can fail reports where the offending
 * value was written, so a bad config is one readable line. */
#include "experiment.h"

#include "../../core/file_read.h"
#include "../../interconnect/link_check.h"
#include "../../workloads/partitioner.h"
#include "model_file.h"
#include "experiment_sections.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* explore: is read by `mcusim explore` (sim/explore/explore_spec.c), not here. */
static const char *const top_keys[] = {"name", "description", "system", "workload", "sweep",
                                        "reference", "explore", NULL};
static const char *const system_keys[] = {"node", "link", "topology", "links", "chips", NULL};
/* ffn_split: the spelling of workload.partition.ffn_split before
 * partitioners were a registry (see moved_to_partition). */
static const char *const workload_extra[] = {"dims", "partition", "ffn_split", NULL};
/* Keys that moved from workload: into workload.partition: when partitioners
 * became a registry; still read there, with a warning. */
static const char *const moved_to_partition[] = {"ffn_split", NULL};
static const char *const reference_keys[] = {"citation", "rows", NULL};

/* ---- small helpers ---- */

/* Only the listed keys may appear in `map` (did-you-mean otherwise). */
static int check_keys(const cfg_node *map, const char *path, const char *const *allowed,
                      cfg_error *err)
{
    return cfg_bind(map, path, NULL, 0, allowed, NULL, err);
}

static const cfg_node *required(const cfg_node *map, const char *key, const char *path,
                                const char *what, cfg_error *err)
{
    const cfg_node *n = cfg_map_get(map, key);
    if (n && cfg_node_kind(n) != CFG_NULL) return n;
    char full[256];
    snprintf(full, sizeof full, "%s%s%s", path, path[0] ? "." : "", key);
    cfg_fail(err, cfg_node_file(map), cfg_node_line(map), cfg_node_col(map), full,
             "missing required key '%s' (%s)", key, what);
    return NULL;
}

/* Cross-field checks of a module (workload_check, node_model_create) start
 * their messages with the key they are about ("seq_len: ...",
 * "l2.reserved: ..."): report them at that key's line when it was written,
 * else at its section's. */
/* ---- sections ---- */

/* `model: NAME` (default NODE_MODEL_DEFAULT) picks the entry whose table
 * binds the rest of the map. */
static int open_node_model(const cfg_node *node, const char *path,
                           const registry_entry **out, cfg_error *err)
{
    char mpath[160];
    snprintf(mpath, sizeof mpath, "%s.model", path);
    const cfg_node *model = cfg_map_get(node, "model");
    const char *name = model ? cfg_scalar(model) : NODE_MODEL_DEFAULT;
    if (!name) return cfg_fail_at(err, model, mpath, "expected a node model name");
    const registry_entry *const *all = node_model_entries();
    /* No node model has a deprecated alias yet; one would be accepted here
     * without the warning core/registry.h promises (there is no channel for
     * warnings below the CLI). */
    const registry_entry *m = node_model_find(name, NULL);
    char why[700];
    if (m && param_specs_check(m->params, m->n_params, m->params_size, node_reserved_keys, why,
                               sizeof why) != 0) {
        char msg[800];
        snprintf(msg, sizeof msg, "node model '%s' has a bad parameter table: %s", name, why);
        return cfg_fail_at(err, model ? model : node, mpath, msg);
    }
    *out = m;
    if (m) return 0;
    const char *names[64];
    size_t n = 0;
    for (; n < 64 && all[n]; n++) names[n] = all[n]->name;
    const char *hint = text_did_you_mean(name, names, n);
    char list[400], msg[600];
    registry_names(all, list, sizeof list);
    snprintf(msg, sizeof msg, "unknown node model '%s'%s%s%s; built-ins: %s", name,
             hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "", list);
    return cfg_fail_at(err, model, mpath, msg);
}

int experiment_node_load(const cfg_node *node, const char *path, const registry_entry **model,
                         void **params, cfg_error *err)
{
    if (cfg_node_kind(node) != CFG_MAP) return cfg_fail_at(err, node, path, "expected a map");
    if (open_node_model(node, path, model, err) != 0) return -1;
    const registry_entry *m = *model;
    *params = calloc(1, m->params_size ? m->params_size : 1);
    if (!*params) return cfg_fail_at(err, node, path, "out of memory");
    if (cfg_bind(node, path, m->params, m->n_params, node_reserved_keys, *params, err))
        return -1;
    return experiment_node_trial(m, *params, node, path, err);
}

int experiment_node_trial(const registry_entry *m, const void *params, const cfg_node *section,
                          const char *path, cfg_error *err)
{
    /* A trial instance: the model's cross-field rules fail here, located. */
    node_model *trial = NULL;
    char msg[400] = "";
    if (node_model_create(m, params, &trial, msg, sizeof msg) != 0)
        return cfg_fail_keyed(err, section, path, msg);
    node_model_destroy(trial);
    return 0;
}

static int load_node(experiment *e, const cfg_node *system, cfg_error *err)
{
    const cfg_node *node = required(system, "node", "system", "a node map, e.g. "
                                    "!include ../../nodes/siracusa.yaml", err);
    if (!node) return -1;
    return experiment_node_load(node, "system.node", &e->node_model, &e->node_params, err);
}

static int load_link(experiment *e, const cfg_node *system, cfg_error *err)
{
    const cfg_node *link = required(system, "link", "system",
                                    "a link map, e.g. !include ../../links/mipi_dphy.yaml", err);
    if (!link) return -1;
    link_choice c;
    if (link_choice_load(link, "system.link", &c, err) != 0) return -1;
    e->link_ops = c.ops;
    e->link_params = c.params;
    e->link_plugin = c.plugin;
    memcpy(e->link_plugin_path, c.plugin_path, sizeof e->link_plugin_path);
    return 0;
}

static int load_topology(experiment *e, const cfg_node *system, cfg_error *err)
{
    char warning[sizeof e->warnings[0]] = "";
    if (experiment_topology_load(cfg_map_get(system, "topology"), &e->topology, warning,
                                 sizeof warning, err) != 0)
        return -1;
    if (warning[0] && e->n_warnings < EXPERIMENT_WARNINGS_MAX)
        memcpy(e->warnings[e->n_warnings++], warning, sizeof warning);
    return 0;
}

static int load_system(experiment *e, const cfg_node *root, cfg_error *err)
{
    const cfg_node *system = required(root, "system", "", "node, link and topology", err);
    if (!system) return -1;
    if (cfg_node_kind(system) != CFG_MAP) return cfg_fail_at(err, system, "system", "expected a map");
    if (check_keys(system, "system", system_keys, err) != 0) return -1;
    if (load_node(e, system, err) != 0) return -1;
    if (load_link(e, system, err) != 0) return -1;
    return load_topology(e, system, err);
}

static int resolve_dims(workload_params *w, const cfg_node *wl, const char *configs_dir,
                        cfg_error *err)
{
    const cfg_node *dims = cfg_map_get(wl, "dims");
    const cfg_node *model = cfg_map_get(wl, "model");
    if (strcmp(w->model, "custom") == 0) {
        /* A model written inline: the same rules as a model file. */
        if (!dims) return cfg_fail_at(err, wl, "workload.dims", "model: custom needs a dims block");
        if (model_file_map_bind(dims, "workload.dims", "custom", &w->dims, err) != 0) return -1;
    } else {
        char file[PARAM_STRING_MAX];
        if (model_file_resolve(configs_dir, model ? model : wl, w->model, &w->dims, file,
                               sizeof file, err) != 0)
            return -1;
        /* A file of one's own is kept absolute so the printed config still
         * finds it from anywhere. */
        if (model_file_is_path(w->model)) snprintf(w->model, sizeof w->model, "%s", file);
        bool grouped = w->dims.n_kv_heads != w->dims.n_heads;
        if (cfg_bind_overlay(dims, "workload.dims", model_dims_specs, model_dims_count, NULL,
                             &w->dims, err) != 0)
            return -1;
        /* Scaling the heads of a model without grouped-query attention
         * without naming K/V heads means every head keeps its K/V; a grouped
         * model keeps its K/V heads. */
        if (!grouped && !cfg_map_get(dims, "n_kv_heads")) w->dims.n_kv_heads = w->dims.n_heads;
    }
    return 0;
}

static void warn_at(experiment *e, const cfg_node *n, const char *path, const char *msg)
{
    if (e->n_warnings == EXPERIMENT_WARNINGS_MAX) return;
    int len = snprintf(e->warnings[e->n_warnings], sizeof e->warnings[0],
                       "%s:%d:%d: warning: %s: %s",
                       cfg_node_file(n), cfg_node_line(n), cfg_node_col(n), path, msg);
    if (len > 0) e->n_warnings++;
}

static const registry_entry *find_partitioner(experiment *e, const cfg_node *wl,
                                              cfg_error *err)
{
    workload_params *w = &e->workload;
    const cfg_node *at = cfg_map_get(wl, "partitioner");
    int deprecated = 0;
    const registry_entry *p = partitioner_find(w->partitioner, &deprecated);
    char msg[600];
    if (!p) {
        const registry_entry *const *all = partitioner_entries();
        const char *names[64];
        size_t n = 0;
        for (; n < 64 && all[n]; n++) names[n] = all[n]->name;
        const char *hint = text_did_you_mean(w->partitioner, names, n);
        char list[400];
        registry_names(all, list, sizeof list);
        snprintf(msg, sizeof msg, "unknown partitioner '%.100s'%s%s%s; partitioners: %s",
                 w->partitioner, hint ? " (did you mean '" : "", hint ? hint : "",
                 hint ? "'?)" : "", list);
        cfg_fail_at(err, at ? at : wl, "workload.partitioner", msg);
        return NULL;
    }
    if (deprecated) {
        snprintf(msg, sizeof msg, "'%.100s' is deprecated, write '%s'", w->partitioner, p->name);
        warn_at(e, at ? at : wl, "workload.partitioner", msg);
    }
    snprintf(w->partitioner, sizeof w->partitioner, "%s", p->name);
    return p;
}

static const param_spec *spec_named(const registry_entry *p, const char *key)
{
    for (size_t i = 0; i < p->n_params; i++)
        if (strcmp(p->params[i].key, key) == 0) return &p->params[i];
    return NULL;
}

/* workload.partition through the partitioner's table, then the keys that
 * used to sit directly under workload:. */
static int load_partition(experiment *e, const cfg_node *wl, const registry_entry *p,
                          cfg_error *err)
{
    workload_params *w = &e->workload;
    const cfg_node *part = cfg_map_get(wl, "partition");
    char msg[600], path[128];
    if (p->params_size > sizeof w->partition)
        return cfg_fail_at(err, wl, "workload.partitioner", "partitioner parameters too large");
    memset(&w->partition, 0, sizeof w->partition);
    /* A parameter of another partitioner is ignored, as system.topology
     * ignores another collective's: a file can then switch partitioner over
     * a base:, with --set, --sweep or sweep.vary. A key no partitioner
     * takes is an error (did-you-mean over them all). */
    const char *others[64];
    size_t n_others = 0;
    for (const registry_entry *const *e2 = partitioner_entries(); *e2; e2++)
        for (size_t i = 0; *e2 != p && i < (*e2)->n_params && n_others < 63; i++) {
            const char *key = (*e2)->params[i].key;
            bool dup = spec_named(p, key) != NULL;
            for (size_t j = 0; j < n_others && !dup; j++) dup = !strcmp(others[j], key);
            if (!dup) others[n_others++] = key;
        }
    others[n_others] = NULL;
    if (cfg_bind(part, "workload.partition", p->params, p->n_params, others, &w->partition, err))
        return -1;
    for (size_t i = 0; moved_to_partition[i]; i++) {
        const char *key = moved_to_partition[i];
        const cfg_node *old = cfg_map_get(wl, key);
        if (!old) continue;
        snprintf(path, sizeof path, "workload.%s", key);
        const param_spec *s = spec_named(p, key);
        if (!s) {
            snprintf(msg, sizeof msg,
                     "the old spelling of workload.partition.%s, which partitioner '%s' does "
                     "not take", key, p->name);
            return cfg_fail_at(err, old, path, msg);
        }
        if (cfg_map_get(part, key)) {
            snprintf(msg, sizeof msg, "given twice: here and as workload.partition.%s", key);
            return cfg_fail_at(err, old, path, msg);
        }
        const char *text = cfg_scalar(old);
        char why[400];
        if (!text) return cfg_fail_at(err, old, path, "expected a scalar");
        if (param_parse(s, text, &w->partition, why, sizeof why) != 0)
            return cfg_fail_at(err, old, path, why);
        snprintf(msg, sizeof msg, "deprecated, write workload.partition.%s", key);
        warn_at(e, old, path, msg);
    }
    return 0;
}

/* A partitioner parameter written for a model it does not apply to is an
 * error naming the model, not a silently ignored key (once the model, and
 * with it the architecture, is known). */
static int refuse_unused_partition_keys(const cfg_node *wl, const registry_entry *p,
                                        const workload_params *w, cfg_error *err)
{
    const partitioner_ops *ops = p->ops;
    if (!ops->param_unused) return 0;
    const cfg_node *part = cfg_map_get(wl, "partition");
    for (size_t i = 0; i < p->n_params; i++) {
        const char *key = p->params[i].key;
        const cfg_node *at = cfg_map_get(part, key);
        char path[128];
        snprintf(path, sizeof path, "workload.partition.%s", key);
        if (!at) {   /* the old spelling directly under workload: */
            at = cfg_map_get(wl, key);
            snprintf(path, sizeof path, "workload.%s", key);
        }
        const char *why = at ? ops->param_unused(w, key) : NULL;
        if (!why) continue;
        char msg[400];
        snprintf(msg, sizeof msg, "does not apply (partitioner %s, model '%s': %s)", p->name,
                 w->dims.name, why);
        return cfg_fail_at(err, at, path, msg);
    }
    return 0;
}

static int load_workload(experiment *e, const cfg_node *root, const char *configs_dir,
                         cfg_error *err)
{
    const cfg_node *wl = required(root, "workload", "", "model, mode, seq_len", err);
    if (!wl) return -1;
    workload_params *w = &e->workload;
    if (cfg_bind(wl, "workload", workload_param_specs, workload_param_count, workload_extra, w,
                 err) != 0)
        return -1;
    const registry_entry *p = find_partitioner(e, wl, err);
    if (!p || load_partition(e, wl, p, err) != 0) return -1;
    if (resolve_dims(w, wl, configs_dir, err) != 0) return -1;
    if (refuse_unused_partition_keys(wl, p, w, err) != 0) return -1;
    char msg[400] = "";
    /* blocks: absent means all of the resolved model's blocks, written out so
     * that `validate` prints (and every report states) the count; 0 in the
     * struct would mean the same, so an explicit 0 is caught here. */
    const cfg_node *blocks = cfg_map_get(wl, "blocks");
    if (!blocks || cfg_node_kind(blocks) == CFG_NULL) w->blocks = w->dims.n_layers;
    else if (w->blocks == 0 && workload_check_blocks(0, &w->dims, msg, sizeof msg) != 0)
        return cfg_fail_keyed(err, wl, "workload", msg);
    if (workload_check(w, msg, sizeof msg) != 0) return cfg_fail_keyed(err, wl, "workload", msg);
    return 0;
}

static int load_sweep(experiment *e, const cfg_node *root, cfg_error *err)
{
    static const param_spec chips_spec[] = {
        {"chips", PARAM_UINT_LIST, DIM_NONE, 0, 1, 4096, NULL, NULL,
         "chip counts to simulate, each 1..4096"},
    };
    static const char *const vary_key[] = {"vary", NULL};
    const cfg_node *sweep = required(root, "sweep", "", "chips: [1, 2, 4, ...]", err);
    if (!sweep) return -1;
    if (cfg_bind(sweep, "sweep", chips_spec, 1, vary_key, &e->chips, err) != 0) return -1;
    if (experiment_vary_load(e, cfg_map_get(sweep, "vary"), err) != 0) return -1;
    const cfg_node *list = cfg_map_get(sweep, "chips");
    if (e->chips.n == 0) return cfg_fail_at(err, list, "sweep.chips", "needs at least one chip count");
    for (size_t i = 1; i < e->chips.n; i++)
        for (size_t j = 0; j < i; j++)
            if (e->chips.v[i] == e->chips.v[j]) {
                char path[64], msg[128];
                snprintf(path, sizeof path, "sweep.chips[%zu]", i);
                snprintf(msg, sizeof msg, "duplicate chip count %llu",
                         (unsigned long long)e->chips.v[i]);
                return cfg_fail_at(err, cfg_seq_at(list, i), path, msg);
            }
    return 0;
}

/* One published row: `chips` and any number of `metric: value` pairs. */
static int load_reference_row(const cfg_node *row, const char *path, reference_row *out,
                              cfg_error *err)
{
    static const param_spec chips_spec[] = {
        {"chips", PARAM_UINT, DIM_NONE, 0, 1, 4096, NULL, NULL, "chip count of the published row"},
    };
    if (cfg_node_kind(row) != CFG_MAP) return cfg_fail_at(err, row, path, "expected a map");
    const cfg_node *chips = cfg_map_get(row, "chips");
    if (!chips) return cfg_fail_at(err, row, path, "missing 'chips' (the chip count of the row)");
    uint64_t c = 0;
    /* bind only `chips` (range and type checked there): the other keys are
     * metrics, read below */
    size_t n = cfg_size(row);
    const char *keys[REFERENCE_MAX_METRICS + 2];
    size_t nk = 0;
    for (size_t i = 0; i < n && nk < REFERENCE_MAX_METRICS + 1; i++)
        if (strcmp(cfg_map_key_at(row, i), "chips") != 0) keys[nk++] = cfg_map_key_at(row, i);
    keys[nk] = NULL;
    if (cfg_bind(row, path, chips_spec, 1, keys, &c, err) != 0) return -1;
    out->chips = c;
    out->n = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key = cfg_map_key_at(row, i);
        if (strcmp(key, "chips") == 0) continue;
        const cfg_node *v = cfg_map_value_at(row, i);
        char full[128];
        snprintf(full, sizeof full, "%s.%s", path, key);
        if (out->n == REFERENCE_MAX_METRICS)
            return cfg_fail_at(err, v, full, "too many metrics in one row");
        if (strlen(key) >= sizeof out->v[0].metric)
            return cfg_fail_at(err, v, full, "unknown metric (name too long)");
        const char *text = cfg_scalar(v);
        char *end = NULL;
        double x = text ? strtod(text, &end) : NAN;
        if (!text || end == text || *end != '\0' || !isfinite(x) || x <= 0)
            return cfg_fail_at(err, v, full, "expected a positive number (the published value)");
        reference_value *rv = &out->v[out->n++];
        snprintf(rv->metric, sizeof rv->metric, "%s", key);
        rv->value = x;
        rv->at = v;
    }
    return 0;
}

static int load_reference(experiment *e, const cfg_node *root, cfg_error *err)
{
    const cfg_node *ref = cfg_map_get(root, "reference");
    if (!ref || cfg_node_kind(ref) == CFG_NULL) return 0;
    if (cfg_node_kind(ref) != CFG_MAP) return cfg_fail_at(err, ref, "reference", "expected a map");
    if (check_keys(ref, "reference", reference_keys, err) != 0) return -1;
    const cfg_node *cit = cfg_map_get(ref, "citation");
    if (cit && !cfg_scalar(cit)) return cfg_fail_at(err, cit, "reference.citation", "expected a string");
    if (cit) snprintf(e->reference_citation, sizeof e->reference_citation, "%s", cfg_scalar(cit));
    const cfg_node *rows = cfg_map_get(ref, "rows");
    if (!rows || cfg_node_kind(rows) == CFG_NULL) return 0;
    if (cfg_node_kind(rows) != CFG_SEQ)
        return cfg_fail_at(err, rows, "reference.rows", "expected a list of rows");
    size_t n = cfg_size(rows);
    e->reference = calloc(n ? n : 1, sizeof *e->reference);
    if (!e->reference) return cfg_fail_at(err, rows, "reference.rows", "out of memory");
    for (size_t i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "reference.rows[%zu]", i);
        if (load_reference_row(cfg_seq_at(rows, i), path, &e->reference[i], err) != 0) return -1;
    }
    e->n_reference = n;
    return 0;
}

/* The experiment name becomes a folder (results/<name>/): one path
 * component that cannot climb out of its parent or hide. */
static bool name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

static bool name_is_safe(const char *name)
{
    if (!name[0] || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return false;
    for (const char *c = name; *c; c++)
        if (!name_char_ok(*c)) return false;
    return true;
}

static int load_header(experiment *e, const cfg_node *root, const char *path, cfg_error *err)
{
    static const param_spec head_specs[] = {
        {"name", PARAM_STRING, DIM_NONE, offsetof(experiment, name), 0, 0, "", NULL, ""},
        {"description", PARAM_STRING, DIM_NONE, offsetof(experiment, description), 0, 0, "",
         NULL, ""},
    };
    static const char *const others[] = {"system", "workload", "sweep", "reference", "explore",
                                         NULL};
    if (cfg_bind(root, "", head_specs, 2, others, e, err) != 0) return -1;
    const cfg_node *name = cfg_map_get(root, "name");
    if (name && !name_is_safe(e->name))
        return cfg_fail(err, cfg_node_file(name), cfg_node_line(name), cfg_node_col(name), "name",
                        "'%.100s' cannot name the results folder: use letters, digits, '.', '_' "
                        "and '-' only (not '.' or '..')", e->name);
    if (!e->name[0]) {
        /* An unnamed experiment is named after its file, made safe the
         * same way (a file name may hold spaces or start with a dot). */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t len = strcspn(base, ".");
        snprintf(e->name, sizeof e->name, "%.*s", (int)len, base);
        for (char *c = e->name; *c; c++)
            if (!name_char_ok(*c)) *c = '_';
        if (!e->name[0]) snprintf(e->name, sizeof e->name, "experiment");
    }
    return 0;
}

static int load_all(experiment *e, const char *configs_dir, const char *const *overrides,
                    size_t n_overrides, cfg_error *err)
{
    cfg_node *root = e->tree;
    if (cfg_node_kind(root) != CFG_MAP)
        return cfg_fail_at(err, root, "", "an experiment file must be a map (name, system, workload, sweep)");
    for (size_t i = 0; i < n_overrides; i++)
        if (cfg_apply_override(root, overrides[i], err) != 0) return -1;
    if (check_keys(root, "", top_keys, err) != 0) return -1;
    if (load_header(e, root, e->path, err) != 0) return -1;
    if (load_system(e, root, err) != 0) return -1;
    if (load_workload(e, root, configs_dir, err) != 0) return -1;
    /* the partitioner emits its reductions for where the collective leaves them */
    e->workload.reductions = topology_reduce_result(&e->topology);
    if (load_sweep(e, root, err) != 0) return -1;
    /* after sweep: overrides are checked against the largest chip count */
    if (link_overrides_load(e, cfg_map_get(cfg_map_get(root, "system"), "links"), err) != 0)
        return -1;
    /* after sweep and system.node: ranges against the largest chip count,
     * set: over the bound system.node */
    if (chip_overrides_load(e, cfg_map_get(cfg_map_get(root, "system"), "chips"), err) != 0)
        return -1;
    return load_reference(e, root, err);
}

experiment *experiment_load(const char *path, const char *configs_dir,
                            const char *const *overrides, size_t n_overrides, cfg_error *err)
{
    experiment *e = calloc(1, sizeof *e);
    if (!e) {
        cfg_fail(err, path, 0, 0, "", "out of memory");
        return NULL;
    }
    snprintf(e->path, sizeof e->path, "%s", path);
    e->tree = cfg_load_file(path, err);
    if (!e->tree || load_all(e, configs_dir, overrides, n_overrides, err) != 0) {
        experiment_destroy(e);
        return NULL;
    }
    return e;
}

uint64_t experiment_largest_chips(const experiment *e)
{
    uint64_t n = 1;
    for (size_t i = 0; i < e->chips.n; i++)
        if (e->chips.v[i] > n) n = e->chips.v[i];
    return n;
}

void experiment_destroy(experiment *e)
{
    if (!e) return;
    free(e->node_params);
    free(e->link_params);
    if (e->link_plugin) link_plugin_close(e->link_plugin);
    link_overrides_free(e);
    chip_overrides_free(e);
    free(e->vary);
    free(e->reference);
    cfg_destroy(e->tree);
    free(e);
}
