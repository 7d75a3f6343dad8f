/* The system's layout over the nodes of its chips (see point_nodes.h). */
#include "point_nodes.h"

#include <stdio.h>
#include <string.h>

static int levels_onto(mem_level_set *u, const mem_level_set *l, const char *name, char *err,
                       size_t errlen)
{
    uint32_t shared = u->n < l->n ? u->n : l->n;
    for (uint32_t k = 0; k < shared; k++)
        if (strcmp(u->v[k].name, l->v[k].name) || u->v[k].off_chip != l->v[k].off_chip) {
            snprintf(err, errlen, "%s: its memory level %u is %s where the system's other "
                     "nodes have %s: nodes of one system declare the levels they share in the "
                     "same order", name, k, l->v[k].name, u->v[k].name);
            return -1;
        }
    for (uint32_t k = shared; k < l->n; k++) u->v[u->n++] = l->v[k];
    return 0;
}

static int stream_onto(node_layout *u, const node_layout *l, const char *name, char *err,
                       size_t errlen)
{
    if (l->stream_level < 0) return 0;
    const char *comp = l->components.c[l->stream_component].name;
    if (u->stream_level < 0) {
        u->stream_level = l->stream_level;
        u->stream_component = component_set_find(&u->components, comp);
        return 0;
    }
    if (u->stream_level != l->stream_level ||
        strcmp(u->components.c[u->stream_component].name, comp)) {
        snprintf(err, errlen, "%s: it streams off chip through level %s (%s), the system's "
                 "other nodes through %s (%s): one off-chip level per system",
                 name, l->levels.v[l->stream_level].name, comp,
                 u->levels.v[u->stream_level].name, u->components.c[u->stream_component].name);
        return -1;
    }
    return 0;
}

int point_nodes_layout(node_model *const *nodes, const char *const *names, size_t n,
                       node_layout *out, uint8_t (*map)[COMPONENTS_MAX], char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof *out);
    component_set_init(&out->components);
    out->stream_level = out->stream_component = -1;
    for (size_t i = 0; i < n; i++) {
        if (!nodes[i]) continue;
        const node_layout *l = node_layout_of(nodes[i]);
        if (component_set_merge(&out->components, &l->components) != 0) {
            snprintf(err, errlen, "%s: the system's nodes declare more than %d components "
                     "together", names[i], COMPONENTS_MAX);
            return -1;
        }
        if (levels_onto(&out->levels, &l->levels, names[i], err, errlen) != 0) return -1;
    }
    char why[256];
    if (component_set_check(&out->components, why, sizeof why) != 0) {
        snprintf(err, errlen, "system.chips: the nodes' components do not merge: %s", why);
        return -1;
    }
    /* the stream after all components are in: their indices are final */
    for (size_t i = 0; i < n; i++)
        if (nodes[i] && stream_onto(out, node_layout_of(nodes[i]), names[i], err, errlen) != 0)
            return -1;
    for (size_t i = 0; map && i < n; i++) {
        if (!nodes[i]) continue;
        const component_set *c = &node_layout_of(nodes[i])->components;
        for (uint32_t k = 0; k < c->n; k++)
            map[i][k] = (uint8_t)component_set_find(&out->components, c->c[k].name);
    }
    return 0;
}

void point_nodes_cost_onto(const op_cost *in, const uint8_t *map, uint32_t n_comp, op_cost *out)
{
    memset(out, 0, sizeof *out);
    out->cycles = in->cycles;
    memcpy(out->bytes, in->bytes, sizeof out->bytes);
    for (uint32_t k = 0; k < n_comp; k++) {
        out->busy_cycles[map[k]] = in->busy_cycles[k];
        out->time_cycles[map[k]] = in->time_cycles[k];
        out->energy_j[map[k]] = in->energy_j[k];
    }
}
