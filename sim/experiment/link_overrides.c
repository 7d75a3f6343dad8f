/* system.links: link models for some chip pairs instead of system.link.
 *
 *   links:
 *     - {level: 1, link: {model: serdes, ...}}        # every pair of topology level 1
 *     - {pairs: [[0, 4], [4, 0]], link: {...}}         # directed chip pairs
 *     - {between: [[0, 8]], link: {...}}               # both directions
 *
 * Checked here, where every message can name the line: a level the
 * topology has on the largest chip count of sweep.chips, chips below that
 * count, and no pair given by two overrides. Levels count from the root,
 * which is chip 0 in every partition; the link map (collectives/link_map.c)
 * checks again against the program's own root. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "experiment_sections.h"

static const char *const override_keys[] = {"level", "pairs", "between", "link", NULL};

/* [a, b]: two chip numbers. */
static int load_pair(const cfg_node *node, const char *path, uint32_t out[2], cfg_error *err)
{
    static const param_spec chip = {"chip", PARAM_UINT, DIM_NONE, 0, 0, 4095, NULL, NULL,
                                    "a chip number"};
    if (cfg_node_kind(node) != CFG_SEQ || cfg_size(node) != 2)
        return cfg_fail_at(err, node, path, "expected a pair of chip numbers [a, b]");
    for (size_t i = 0; i < 2; i++) {
        const cfg_node *v = cfg_seq_at(node, i);
        const char *text = cfg_scalar(v);
        uint64_t x;
        char why[256], full[192];
        snprintf(full, sizeof full, "%s[%zu]", path, i);
        if (!text) return cfg_fail_at(err, v, full, "expected a chip number");
        if (param_parse_uint(&chip, text, &x, why, sizeof why) != 0)
            return cfg_fail_at(err, v, full, why);
        out[i] = (uint32_t)x;
    }
    return 0;
}

/* pairs: (directed) or between: (both directions) into o->pairs. */
static int load_pairs(const cfg_node *list, const char *path, bool both, link_override *o,
                      cfg_error *err)
{
    if (cfg_node_kind(list) != CFG_SEQ || cfg_size(list) == 0)
        return cfg_fail_at(err, list, path, both ? "expected a list of chip pairs [[a, b], ...]"
                                             : "expected a list of chip pairs [[src, dst], ...]");
    size_t n = cfg_size(list), per = both ? 2 : 1;
    o->pairs = calloc(n * per, sizeof *o->pairs);
    o->pair_at = calloc(n * per, sizeof *o->pair_at);
    if (!o->pairs || !o->pair_at) return cfg_fail_at(err, list, path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char full[160];
        snprintf(full, sizeof full, "%s[%zu]", path, i);
        uint32_t p[2];
        const cfg_node *at = cfg_seq_at(list, i);
        if (load_pair(at, full, p, err) != 0) return -1;
        for (size_t d = 0; d < per; d++) {
            o->pairs[o->n_pairs][0] = p[d];
            o->pairs[o->n_pairs][1] = p[1 - d];
            o->pair_at[o->n_pairs++] = at;
        }
    }
    return 0;
}

static int load_one(const cfg_node *item, const char *path, link_override *o, cfg_error *err)
{
    static const param_spec level_spec = {"level", PARAM_UINT, DIM_NONE, 0, 1, 64, NULL, NULL,
                                          "a topology level, 1 = the innermost groups"};
    o->at = item;
    if (cfg_node_kind(item) != CFG_MAP)
        return cfg_fail_at(err, item, path, "expected a map {level: L, link: {...}} or {pairs: "
                                        "[[src, dst], ...], link: {...}}");
    if (cfg_bind(item, path, NULL, 0, override_keys, NULL, err) != 0) return -1;
    const cfg_node *level = cfg_map_get(item, "level"), *pairs = cfg_map_get(item, "pairs"),
                   *between = cfg_map_get(item, "between"), *link = cfg_map_get(item, "link");
    if ((level != NULL) + (pairs != NULL) + (between != NULL) != 1)
        return cfg_fail_at(err, item, path, "give one of level: L (every pair of that level of the "
                       "topology), pairs: [[src, dst], ...] (directed) or between: [[a, b], "
                       "...] (both directions)");
    char full[128];
    if (level) {
        const char *text = cfg_scalar(level);
        uint64_t l;
        char why[256];
        snprintf(full, sizeof full, "%s.level", path);
        if (!text) return cfg_fail_at(err, level, full, "expected a level number (1, 2, ...)");
        if (param_parse_uint(&level_spec, text, &l, why, sizeof why) != 0)
            return cfg_fail_at(err, level, full, why);
        o->level = (uint32_t)l;
    } else {
        snprintf(full, sizeof full, "%s.%s", path, pairs ? "pairs" : "between");
        if (load_pairs(pairs ? pairs : between, full, between != NULL, o, err) != 0) return -1;
    }
    snprintf(full, sizeof full, "%s.link", path);
    if (!link || cfg_node_kind(link) == CFG_NULL)
        return cfg_fail_at(err, item, full, "missing 'link: {model: NAME, ...}' (the model for "
                       "these pairs)");
    return link_choice_load(link, full, &o->link, err);
}

static int check_level(const experiment *e, size_t i, cfg_error *err)
{
    const link_override *o = &e->links[i];
    const system_topology *t = &e->topology;
    const cfg_node *at = cfg_map_get(o->at, "level");
    char path[96], msg[400];
    snprintf(path, sizeof path, "system.links[%zu].level", i);
    if (!topology_has_levels(t)) {
        snprintf(msg, sizeof msg, "collective '%s' has no levels; name chip pairs instead "
                 "(pairs: [[src, dst], ...] or between: [[a, b], ...])", t->collective->name);
        return cfg_fail_at(err, at, path, msg);
    }
    uint64_t n = experiment_largest_chips(e);
    uint32_t levels = topology_levels(t, (uint32_t)n);
    if (o->level > levels) {
        snprintf(msg, sizeof msg, "level %" PRIu32 " does not exist: %s has %" PRIu32 " level%s on "
                 "%" PRIu64 " chip%s (the largest of sweep.chips)", o->level, t->collective->name,
                 levels, levels == 1 ? "" : "s", n, n == 1 ? "" : "s");
        return cfg_fail_at(err, at, path, msg);
    }
    for (size_t j = 0; j < i; j++)
        if (e->links[j].level == o->level) {
            snprintf(msg, sizeof msg, "level %" PRIu32 " is already given by system.links[%zu]",
                     o->level, j);
            return cfg_fail_at(err, at, path, msg);
        }
    return 0;
}

/* The override (<= i) and pair index (< k when it is i) naming src->dst
 * first, or -1. */
static long earlier_pair(const experiment *e, size_t i, size_t k, uint32_t src, uint32_t dst)
{
    for (size_t j = 0; j <= i; j++) {
        const link_override *o = &e->links[j];
        for (size_t q = 0; q < o->n_pairs && (j < i || q < k); q++)
            if (o->pairs[q][0] == src && o->pairs[q][1] == dst) return (long)j;
    }
    return -1;
}

static int check_pair(const experiment *e, size_t i, size_t k, cfg_error *err)
{
    const link_override *o = &e->links[i];
    uint32_t src = o->pairs[k][0], dst = o->pairs[k][1];
    uint64_t n = experiment_largest_chips(e);
    const char *sel = cfg_map_get(o->at, "pairs") ? "pairs" : "between";
    size_t written = sel[0] == 'b' ? k / 2 : k;
    char path[96], msg[400];
    snprintf(path, sizeof path, "system.links[%zu].%s[%zu]", i, sel, written);
    const cfg_node *at = o->pair_at[k];
    if (src >= n || dst >= n) {
        snprintf(msg, sizeof msg, "chip %" PRIu32 " out of range: the largest of sweep.chips is "
                 "%" PRIu64 " (chips 0..%" PRIu64 ")", src >= n ? src : dst, n, n - 1);
        return cfg_fail_at(err, at, path, msg);
    }
    if (src == dst) return cfg_fail_at(err, at, path, "a chip has no link to itself");
    long j = earlier_pair(e, i, k, src, dst);
    if (j >= 0) {
        snprintf(msg, sizeof msg, "link %" PRIu32 "->%" PRIu32 " is already given by "
                 "system.links[%ld]", src, dst, j);
        return cfg_fail_at(err, at, path, msg);
    }
    /* chip 0 is the root: ranks are chip numbers */
    uint32_t level = topology_pair_level(&e->topology, (uint32_t)n, 0, src, dst);
    for (size_t q = 0; level && q < e->n_links; q++)
        if (e->links[q].level == level) {
            snprintf(msg, sizeof msg, "link %" PRIu32 "->%" PRIu32 " is of level %" PRIu32
                     ", already given by system.links[%zu]", src, dst, level, q);
            return cfg_fail_at(err, at, path, msg);
        }
    return 0;
}

int link_overrides_load(experiment *e, const cfg_node *links, cfg_error *err)
{
    if (!links || cfg_node_kind(links) == CFG_NULL) return 0;
    if (cfg_node_kind(links) != CFG_SEQ)
        return cfg_fail_at(err, links, "system.links", "expected a list of overrides, each "
                       "{level: L, link: {...}} or {pairs: [[src, dst], ...], link: {...}}");
    size_t n = cfg_size(links);
    e->links = calloc(n ? n : 1, sizeof *e->links);
    if (!e->links) return cfg_fail_at(err, links, "system.links", "out of memory");
    for (size_t i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "system.links[%zu]", i);
        e->n_links = i + 1;   /* freed with the experiment from here on */
        if (load_one(cfg_seq_at(links, i), path, &e->links[i], err) != 0) return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const link_override *o = &e->links[i];
        if (o->level && check_level(e, i, err) != 0) return -1;
        for (size_t k = 0; k < o->n_pairs; k++)
            if (check_pair(e, i, k, err) != 0) return -1;
    }
    return 0;
}

void link_overrides_free(experiment *e)
{
    for (size_t i = 0; e->links && i < e->n_links; i++) {
        free(e->links[i].pairs);
        free(e->links[i].pair_at);
        link_choice_free(&e->links[i].link);
    }
    free(e->links);
    e->links = NULL;
    e->n_links = 0;
}

void link_overrides_print(const experiment *e, FILE *out)
{
    if (!e->n_links) return;
    fprintf(out, "  links:  # overrides of system.link: by topology level or by directed "
                 "chip pair\n");
    for (size_t i = 0; i < e->n_links; i++) {
        const link_override *o = &e->links[i];
        if (o->level) {
            fprintf(out, "    - level: %" PRIu32 "\n", o->level);
        } else {
            fprintf(out, "    - pairs: [");
            for (size_t k = 0; k < o->n_pairs; k++)
                fprintf(out, "%s[%" PRIu32 ", %" PRIu32 "]", k ? ", " : "", o->pairs[k][0],
                        o->pairs[k][1]);
            fprintf(out, "]\n");
        }
        fprintf(out, "      link:\n");
        link_choice_print(o->link.ops, o->link.params, o->link.plugin_path, 8, out);
    }
}
