/* system.chips: another node for some chips (a heterogeneous system).
 *
 *   chips:
 *     - {chips: 0, node: !include ../../nodes/siracusa_host.yaml}   # a whole node
 *     - {chips: "32-63", set: {clock_hz: 250 MHz}}                  # keys over system.node
 *     - {chips: [1, "4-7"], set: {l2: {size: 4 MiB}}}
 *
 * A selector is a chip number, a range "A-B" (both included) or a list of
 * them. `node:` is a node map as system.node is (any model, its own file,
 * `base:` and all); `set:` is a map of system.node's keys bound over
 * system.node's values (its model; units as in node files). Checked here,
 * where every message can name the line: chips below the largest of
 * sweep.chips, no chip named twice, one of node: or set:, unknown keys
 * (did-you-mean) and each node's own cross-field rules. A point with fewer
 * chips simply has fewer overridden chips. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "experiment_sections.h"
#include "point_nodes.h"

static const char *const entry_keys[] = {"chips", "node", "set", NULL};

/* A chip number: digits only (no sign, no space), at most 4095. */
static bool parse_chip(const char *s, size_t len, uint32_t *out)
{
    if (len == 0 || len > 4) return false;
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    if (v > 4095) return false;
    *out = v;
    return true;
}

/* `7` or "32-63" into [first, last]. */
static int load_range(const cfg_node *v, const char *path, uint32_t out[2], cfg_error *err)
{
    static const char expected[] = "expected a chip number (0..4095), a range \"A-B\" (A <= B, "
                                   "both included) or a list of them";
    const char *text = cfg_scalar(v);
    if (!text) return cfg_fail_at(err, v, path, expected);
    const char *dash = strchr(text, '-');
    size_t len = strlen(text);
    if (!dash) {
        if (!parse_chip(text, len, &out[0])) return cfg_fail_at(err, v, path, expected);
        out[1] = out[0];
        return 0;
    }
    size_t a = (size_t)(dash - text);
    if (!parse_chip(text, a, &out[0]) || !parse_chip(dash + 1, len - a - 1, &out[1]))
        return cfg_fail_at(err, v, path, expected);
    if (out[0] > out[1]) {
        char msg[160];
        snprintf(msg, sizeof msg, "range %" PRIu32 "-%" PRIu32 " is empty: write the lower "
                 "chip first", out[0], out[1]);
        return cfg_fail_at(err, v, path, msg);
    }
    return 0;
}

static int load_selector(const cfg_node *sel, const char *path, chip_override *o,
                         cfg_error *err)
{
    bool list = cfg_node_kind(sel) == CFG_SEQ;
    size_t n = list ? cfg_size(sel) : 1;
    if (list && n == 0) return cfg_fail_at(err, sel, path, "an empty list names no chip");
    if (n > 4096) return cfg_fail_at(err, sel, path, "more than 4096 chips or ranges: a chip has one node");
    o->ranges = calloc(n, sizeof *o->ranges);
    o->range_at = calloc(n, sizeof *o->range_at);
    if (!o->ranges || !o->range_at) return cfg_fail_at(err, sel, path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const cfg_node *v = list ? cfg_seq_at(sel, i) : sel;
        char full[160];
        if (list) snprintf(full, sizeof full, "%s[%zu]", path, i);
        else snprintf(full, sizeof full, "%s", path);
        if (load_range(v, full, o->ranges[i], err) != 0) return -1;
        o->range_at[i] = v;
        o->n_ranges = i + 1;
    }
    return 0;
}

/* set: system.node's model, its values, then the keys written here. */
static int load_set(const experiment *e, const cfg_node *set, const char *path, chip_override *o,
                    cfg_error *err)
{
    if (cfg_node_kind(set) != CFG_MAP || cfg_size(set) == 0)
        return cfg_fail_at(err, set, path, "expected a map of system.node's keys, e.g. "
                       "{clock_hz: 250 MHz} or {l2: {size: 4 MiB}}");
    const cfg_node *model = cfg_map_get(set, "model");
    if (model) {
        char mpath[160];
        snprintf(mpath, sizeof mpath, "%s.model", path);
        return cfg_fail_at(err, model, mpath, "set: changes keys of system.node and keeps its "
                       "model; a node of another model is node: {model: NAME, ...}");
    }
    const registry_entry *m = e->node_model;
    o->node_model = m;
    o->node_params = malloc(m->params_size ? m->params_size : 1);
    if (!o->node_params) return cfg_fail_at(err, set, path, "out of memory");
    memcpy(o->node_params, e->node_params, m->params_size);
    if (cfg_bind_overlay(set, path, m->params, m->n_params, NULL, o->node_params, err) != 0)
        return -1;
    return experiment_node_trial(m, o->node_params, set, path, err);
}

static void range_text(const uint32_t r[2], char *buf, size_t cap)
{
    if (r[0] == r[1]) snprintf(buf, cap, "chip %" PRIu32, r[0]);
    else snprintf(buf, cap, "chips %" PRIu32 "-%" PRIu32, r[0], r[1]);
}

/* Range k of entry i: below the largest chip count, overlapping no range
 * written before it. */
static int check_range(const experiment *e, size_t i, size_t k, cfg_error *err)
{
    const chip_override *o = &e->chip_nodes[i];
    const uint32_t *r = o->ranges[k];
    uint64_t n = experiment_largest_chips(e);
    bool list = cfg_node_kind(cfg_map_get(o->at, "chips")) == CFG_SEQ;
    char path[96], msg[400], a[48], b[48];
    if (list) snprintf(path, sizeof path, "system.chips[%zu].chips[%zu]", i, k);
    else snprintf(path, sizeof path, "system.chips[%zu].chips", i);
    if (r[1] >= n) {
        snprintf(msg, sizeof msg, "chip %" PRIu32 " out of range: the largest of sweep.chips is "
                 "%" PRIu64 " (chips 0..%" PRIu64 ")", r[1], n, n - 1);
        return cfg_fail_at(err, o->range_at[k], path, msg);
    }
    for (size_t j = 0; j <= i; j++) {
        const chip_override *p = &e->chip_nodes[j];
        for (size_t q = 0; q < p->n_ranges && (j < i || q < k); q++) {
            const uint32_t *s = p->ranges[q];
            if (r[1] < s[0] || s[1] < r[0]) continue;
            range_text(r, a, sizeof a);
            range_text(s, b, sizeof b);
            snprintf(msg, sizeof msg, "%s overlap%s %s of system.chips[%zu]: a chip has one node",
                     a, r[0] == r[1] ? "s" : "", b, j);
            return cfg_fail_at(err, o->range_at[k], path, msg);
        }
    }
    return 0;
}

/* Whether the override's node can share a system with system.node
 * (point_nodes.h: components that merge, levels in line, one off-chip
 * stream), located at its node: or set:. */
static int check_fits(const experiment *e, const chip_override *o, const cfg_node *at,
                      const char *path, cfg_error *err)
{
    node_model *nodes[2] = {NULL, NULL};
    const char *names[2] = {"system.node", path};
    char why[600] = "";
    int rc = 0;
    if (node_model_create(e->node_model, e->node_params, &nodes[0], why, sizeof why) == 0 &&
        node_model_create(o->node_model, o->node_params, &nodes[1], why, sizeof why) == 0) {
        node_layout l;
        if (point_nodes_layout(nodes, names, 2, &l, NULL, why, sizeof why) != 0) {
            size_t skip = strncmp(why, path, strlen(path)) == 0 ? strlen(path) + 2 : 0;
            rc = cfg_fail_at(err, at, path, why + (skip < strlen(why) ? skip : 0));
        }
    } else {
        rc = cfg_fail_at(err, at, path, why);   /* both passed their trials: not expected */
    }
    node_model_destroy(nodes[0]);
    node_model_destroy(nodes[1]);
    return rc;
}

static int load_one(const experiment *e, size_t i, const cfg_node *item, const char *path,
                    chip_override *o, cfg_error *err)
{
    o->at = item;
    if (cfg_node_kind(item) != CFG_MAP)
        return cfg_fail_at(err, item, path, "expected a map {chips: SELECTOR, node: {...}} or "
                       "{chips: SELECTOR, set: {...}}");
    if (cfg_bind(item, path, NULL, 0, entry_keys, NULL, err) != 0) return -1;
    const cfg_node *sel = cfg_map_get(item, "chips"), *node = cfg_map_get(item, "node"),
                   *set = cfg_map_get(item, "set");
    char full[128];
    snprintf(full, sizeof full, "%s.chips", path);
    if (!sel || cfg_node_kind(sel) == CFG_NULL)
        return cfg_fail_at(err, item, full, "missing 'chips:' (a chip number, a range \"A-B\" or "
                       "a list of them)");
    if (load_selector(sel, full, o, err) != 0) return -1;
    /* before any node is bound: a chip named twice stops a long list early */
    for (size_t k = 0; k < o->n_ranges; k++)
        if (check_range(e, i, k, err) != 0) return -1;
    if ((node != NULL) == (set != NULL))
        return cfg_fail_at(err, item, path, "give one of node: {...} (a whole node, e.g. !include "
                       "../../nodes/NAME.yaml) or set: {...} (keys changed from system.node)");
    snprintf(full, sizeof full, "%s.%s", path, node ? "node" : "set");
    int rc = node ? experiment_node_load(node, full, &o->node_model, &o->node_params, err)
                  : load_set(e, set, full, o, err);
    return rc ? rc : check_fits(e, o, node ? node : set, full, err);
}

int chip_overrides_load(experiment *e, const cfg_node *chips, cfg_error *err)
{
    if (!chips || cfg_node_kind(chips) == CFG_NULL) return 0;
    if (cfg_node_kind(chips) != CFG_SEQ)
        return cfg_fail_at(err, chips, "system.chips", "expected a list of overrides, each "
                       "{chips: SELECTOR, node: {...}} or {chips: SELECTOR, set: {...}}");
    size_t n = cfg_size(chips);
    if (n > 4096)
        return cfg_fail_at(err, chips, "system.chips", "more than 4096 overrides: each names at "
                       "least one chip of its own, and a system has at most 4096 chips");
    e->chip_nodes = calloc(n ? n : 1, sizeof *e->chip_nodes);
    if (!e->chip_nodes) return cfg_fail_at(err, chips, "system.chips", "out of memory");
    for (size_t i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "system.chips[%zu]", i);
        e->n_chip_nodes = i + 1;   /* freed with the experiment from here on */
        if (load_one(e, i, cfg_seq_at(chips, i), path, &e->chip_nodes[i], err) != 0) return -1;
    }
    return 0;
}

void chip_overrides_free(experiment *e)
{
    for (size_t i = 0; e->chip_nodes && i < e->n_chip_nodes; i++) {
        free(e->chip_nodes[i].ranges);
        free(e->chip_nodes[i].range_at);
        free(e->chip_nodes[i].node_params);
    }
    free(e->chip_nodes);
    e->chip_nodes = NULL;
    e->n_chip_nodes = 0;
}

int experiment_chip_override(const experiment *e, uint32_t chip)
{
    for (size_t i = 0; i < e->n_chip_nodes; i++)
        for (size_t k = 0; k < e->chip_nodes[i].n_ranges; k++)
            if (chip >= e->chip_nodes[i].ranges[k][0] && chip <= e->chip_nodes[i].ranges[k][1])
                return (int)i;
    return -1;
}

static bool same_param(const param_spec *s, const void *a, const void *b)
{
    const char *x = (const char *)a + s->offset, *y = (const char *)b + s->offset;
    switch (s->type) {
    case PARAM_BOOL: return *(const bool *)x == *(const bool *)y;
    case PARAM_UINT: return *(const uint64_t *)x == *(const uint64_t *)y;
    case PARAM_INT: return *(const int64_t *)x == *(const int64_t *)y;
    case PARAM_DOUBLE:
    case PARAM_QUANTITY: return *(const double *)x == *(const double *)y;
    case PARAM_ENUM: return *(const int *)x == *(const int *)y;
    case PARAM_STRING: return strncmp(x, y, PARAM_STRING_MAX) == 0;
    case PARAM_UINT_LIST: return !memcmp(x, y, sizeof(param_uint_list));
    }
    return false;
}

/* The keys of an override's node that differ from system.node's (same
 * model), for the printed comment. */
static void differing_keys(const experiment *e, const chip_override *o, char *buf, size_t cap)
{
    buf[0] = '\0';
    const registry_entry *m = o->node_model;
    if (m != e->node_model) {
        snprintf(buf, cap, "model %s", m->name);
        return;
    }
    size_t len = 0;
    for (size_t k = 0; k < m->n_params && len < cap; k++) {
        const param_spec *s = &m->params[k];
        if (same_param(s, o->node_params, e->node_params)) continue;
        int w = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", s->key);
        if (w < 0) break;
        len += (size_t)w;
    }
    if (!len) snprintf(buf, cap, "nothing");
}

void chip_overrides_print(const experiment *e, FILE *out)
{
    if (!e->n_chip_nodes) return;
    fprintf(out, "  chips:  # other nodes for some chips; every other chip is system.node\n");
    for (size_t i = 0; i < e->n_chip_nodes; i++) {
        const chip_override *o = &e->chip_nodes[i];
        fprintf(out, "    - chips: [");
        for (size_t k = 0; k < o->n_ranges; k++) {
            const uint32_t *r = o->ranges[k];
            if (r[0] == r[1]) fprintf(out, "%s%" PRIu32, k ? ", " : "", r[0]);
            else fprintf(out, "%s\"%" PRIu32 "-%" PRIu32 "\"", k ? ", " : "", r[0], r[1]);
        }
        char diff[600];
        differing_keys(e, o, diff, sizeof diff);
        fprintf(out, "]\n      node:  # differs from system.node in: %s\n", diff);
        fprintf(out, "        model: %s  # %s\n", o->node_model->name, o->node_model->doc);
        cfg_print_bound(out, 8, o->node_model->params, o->node_model->n_params, o->node_params);
    }
}
