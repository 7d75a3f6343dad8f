/* The system's topology (topology.h): an entry of the collectives registry
 * with its bound parameters, and the PHY sharing. Nothing here names an
 * entry: everything goes through the entry's param_spec and ops. */
#include "topology.h"

#include <stdio.h>
#include <string.h>

#include "collective.h"

static const char *const phy_names[] = {"per_peer", "shared", NULL};

static const param_spec phy_spec = {
    "phy", PARAM_ENUM, DIM_NONE, offsetof(system_topology, phy), 0, 1, "per_peer", phy_names,
    "per_peer (a point-to-point link per chip pair: a leader receives from its whole group at "
    "once) or shared (one TX and one RX PHY per chip: transfers into or out of a chip go one "
    "at a time). The paper does not say; per_peer assumed"};

const char *const topology_system_keys[] = {"kind", "phy", NULL};

static const collective_ops *ops_of(const system_topology *t)
{
    return t && t->collective ? (const collective_ops *)t->collective->ops : NULL;
}

size_t topology_specs(const system_topology *t, param_spec *out, size_t cap)
{
    size_t n = 0;
    const registry_entry *e = t->collective;
    for (size_t i = 0; e && i < e->n_params; i++, n++) {
        if (n >= cap) continue;
        out[n] = e->params[i];
        out[n].offset += offsetof(system_topology, params);
    }
    if (n < cap) out[n] = phy_spec;
    return n + 1;
}

static const param_spec *find_spec(const system_topology *t, const char *key, param_spec *buf)
{
    if (!strcmp(key, phy_spec.key)) return &phy_spec;
    const registry_entry *e = t->collective;
    for (size_t i = 0; e && i < e->n_params; i++)
        if (!strcmp(e->params[i].key, key)) {
            *buf = e->params[i];
            buf->offset += offsetof(system_topology, params);
            return buf;
        }
    return NULL;
}

int topology_set(system_topology *t, const char *key, const char *text, char *err, size_t errlen)
{
    param_spec s;
    const param_spec *spec = find_spec(t, key, &s);
    if (!spec) {
        snprintf(err, errlen, "topology: '%s' is not a parameter of %s", key,
                 t->collective ? t->collective->name : "an unset topology");
        return -1;
    }
    char why[400];
    if (param_parse(spec, text, t, why, sizeof why) != 0) {
        snprintf(err, errlen, "topology.%s: %s", key, why);
        return -1;
    }
    return 0;
}

const void *topology_param(const system_topology *t, const char *key)
{
    param_spec s;
    const param_spec *spec = find_spec(t, key, &s);
    return spec ? (const unsigned char *)t + spec->offset : NULL;
}

int topology_init(system_topology *t, const char *name, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->collective = collective_find(name, NULL);
    if (!t->collective) {
        char names[256];
        registry_names(collective_entries(), names, sizeof names);
        snprintf(err, errlen, "topology.kind: unknown collective '%s'; collectives: %s",
                 name ? name : "", names);
        return -1;
    }
    if (t->collective->params_size > TOPOLOGY_PARAMS_MAX) {
        snprintf(err, errlen, "topology: collective '%s' has %zu bytes of parameters, more than %d",
                 t->collective->name, t->collective->params_size, TOPOLOGY_PARAMS_MAX);
        return -1;
    }
    param_spec specs[64];
    size_t n = topology_specs(t, specs, 64);
    for (size_t i = 0; i < n && i < 64; i++)
        if (specs[i].default_text &&
            topology_set(t, specs[i].key, specs[i].default_text, err, errlen) != 0)
            return -1;
    return 0;
}

reduce_result topology_reduce_result(const system_topology *t)
{
    const collective_ops *o = ops_of(t);
    return o ? o->result : REDUCE_ON_ROOT;
}

const char *collective_alias_note(const registry_entry *e)
{
    return e && e->ops ? ((const collective_ops *)e->ops)->alias_note : NULL;
}

uint64_t topology_messages(const system_topology *t, uint32_t n)
{
    const collective_ops *o = ops_of(t);
    return o ? o->messages(t->params.bytes, n) : 0;
}

bool topology_has_levels(const system_topology *t)
{
    const collective_ops *o = ops_of(t);
    return o && o->levels && o->pair_level;
}

uint32_t topology_levels(const system_topology *t, uint32_t n)
{
    return topology_has_levels(t) ? ops_of(t)->levels(t->params.bytes, n) : 0;
}

uint32_t topology_pair_level(const system_topology *t, uint32_t n, uint32_t root, uint32_t src,
                             uint32_t dst)
{
    if (!topology_has_levels(t) || n == 0 || src >= n || dst >= n || root >= n) return 0;
    uint32_t a = (uint32_t)(((uint64_t)src + n - root) % n);
    uint32_t b = (uint32_t)(((uint64_t)dst + n - root) % n);
    return ops_of(t)->pair_level(t->params.bytes, a, b);
}

/* A value outside its spec's range, for C callers that fill the struct
 * themselves (a config binding never gets here with one). */
static bool out_of_range(const param_spec *s, const void *obj, double *v)
{
    const unsigned char *field = (const unsigned char *)obj + s->offset;
    switch (s->type) {
    case PARAM_UINT: *v = (double)*(const uint64_t *)field; break;
    case PARAM_INT: *v = (double)*(const int64_t *)field; break;
    case PARAM_DOUBLE:
    case PARAM_QUANTITY: *v = *(const double *)field; break;
    case PARAM_ENUM: *v = *(const int *)field; break;
    default: return false;
    }
    if (s->min == 0.0 && s->max == 0.0) return false;
    return !(*v >= s->min && *v <= s->max);
}

int topology_check(const system_topology *t, char *err, size_t errlen)
{
    if (!ops_of(t) || !ops_of(t)->expand || !ops_of(t)->messages) {
        snprintf(err, errlen, "topology: no collective");
        return -1;
    }
    param_spec specs[64];
    size_t n = topology_specs(t, specs, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        double v;
        if (out_of_range(&specs[i], t, &v)) {
            snprintf(err, errlen, "topology.%s: %g outside [%g, %g] (%s)", specs[i].key, v,
                     specs[i].min, specs[i].max, t->collective->name);
            return -1;
        }
    }
    return 0;
}
