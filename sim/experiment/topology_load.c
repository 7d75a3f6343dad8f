/* system.topology: `kind` names an entry of the collectives registry, the
 * entry's own parameters and the system's `phy` are bound beside it. */
#include <string.h>

#include "experiment_sections.h"

#define SPECS_MAX 64
#define KEYS_MAX 128

static int unknown_kind(const cfg_node *kind, const char *name, cfg_error *err)
{
    const registry_entry *const *all = collective_entries();
    const char *names[KEYS_MAX];
    size_t n = 0;
    for (size_t i = 0; all[i] && n + 2 <= KEYS_MAX; i++) {
        names[n++] = all[i]->name;
        if (all[i]->deprecated_alias) names[n++] = all[i]->deprecated_alias;
    }
    const char *hint = text_did_you_mean(name, names, n);
    const registry_entry *to = hint ? collective_find(hint, NULL) : NULL;
    char list[256], msg[512];
    registry_names(all, list, sizeof list);
    snprintf(msg, sizeof msg, "unknown collective '%s'%s%s%s; collectives: %s", name,
             to ? " (did you mean '" : "", to ? to->name : "", to ? "'?)" : "", list);
    return cfg_fail_at(err, kind, "system.topology.kind", msg);
}

/* Keys system.topology accepts beside the entry's table: `kind`, and the
 * parameters of every other collective (ignored). */
static size_t other_keys(const registry_entry *chosen, const char **keys)
{
    size_t n = 0;
    keys[n++] = "kind";
    const registry_entry *const *all = collective_entries();
    for (size_t i = 0; all[i]; i++) {
        if (all[i] == chosen) continue;
        for (size_t k = 0; k < all[i]->n_params && n + 1 < KEYS_MAX; k++)
            keys[n++] = all[i]->params[k].key;
    }
    keys[n] = NULL;
    return n;
}

static void warn_deprecated(const cfg_node *kind, const char *alias, const registry_entry *e,
                            char *warning, size_t wlen)
{
    const char *note = collective_alias_note(e);
    snprintf(warning, wlen,
             "%s:%d:%d: warning: system.topology.kind: '%s' is deprecated, use '%s' (%s)%s%s",
             cfg_node_file(kind), cfg_node_line(kind), cfg_node_col(kind), alias, e->name, e->doc,
             note ? "; " : "", note ? note : "");
}

int experiment_topology_load(const cfg_node *topo, system_topology *out, char *warning,
                             size_t wlen, cfg_error *err)
{
    if (topo && cfg_node_kind(topo) == CFG_NULL) topo = NULL;
    if (topo && cfg_node_kind(topo) != CFG_MAP)
        return cfg_fail_at(err, topo, "system.topology", "expected a map {kind: NAME, ...}");
    const cfg_node *kind = topo ? cfg_map_get(topo, "kind") : NULL;
    const char *name = collective_entries()[0]->name;   /* the first entry is the default */
    if (kind) {
        name = cfg_scalar(kind);
        if (!name)
            return cfg_fail_at(err, kind, "system.topology.kind", "expected a collective's name");
    }
    int deprecated = 0;
    const registry_entry *entry = collective_find(name, &deprecated);
    if (!entry) return unknown_kind(kind, name, err);
    char why[400];
    if (topology_init(out, entry->name, why, sizeof why) != 0)
        return cfg_fail_at(err, kind ? kind : topo, "system.topology.kind", why);
    param_spec specs[SPECS_MAX];
    size_t n = topology_specs(out, specs, SPECS_MAX);
    if (n > SPECS_MAX)
        return cfg_fail_at(err, kind ? kind : topo, "system.topology", "too many parameters");
    const char *extra[KEYS_MAX];
    other_keys(entry, extra);
    if (cfg_bind(topo, "system.topology", specs, n, extra, out, err) != 0) return -1;
    if (deprecated) warn_deprecated(kind, name, entry, warning, wlen);
    return 0;
}

void experiment_topology_print(const system_topology *t, FILE *out)
{
    param_spec specs[SPECS_MAX];
    size_t n = topology_specs(t, specs, SPECS_MAX);
    fprintf(out, "  topology:\n    kind: %s  # %s\n", t->collective->name, t->collective->doc);
    cfg_print_bound(out, 4, specs, n < SPECS_MAX ? n : SPECS_MAX, t);
}
