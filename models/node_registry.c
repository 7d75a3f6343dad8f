/* The table of node models, and the instance every caller holds: a model's
 * ops bound to its own object, with the layout it declared checked once. A
 * new model is one file defining its registry_entry plus one line here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

extern const registry_entry node_pulp_cluster;

static const registry_entry *const entries[] = {
    &node_pulp_cluster,
    NULL,
};

const char *const node_reserved_keys[] = {"model", NULL};

const registry_entry *const *node_model_entries(void)
{
    return entries;
}

const registry_kind *node_model_registry(void)
{
    static const registry_kind kind = {
        "node models", "what one chip costs: components, memory levels, placement, op costs "
                       "(system.node.model)", node_model_entries};
    return &kind;
}

const registry_entry *node_model_find(const char *name, int *deprecated)
{
    return registry_find(entries, name, deprecated);
}

const char *node_display_name(const registry_entry *e, const void *params)
{
    if (!e) return "?";
    for (size_t i = 0; params && i < e->n_params; i++)
        if (e->params[i].type == PARAM_STRING && strcmp(e->params[i].key, "name") == 0)
            return (const char *)params + e->params[i].offset;
    return e->name;
}

struct node_model {
    const node_model_ops *ops;
    void *self;
    node_layout layout;
};

static int check_layout(const registry_entry *e, const node_layout *l, char *err, size_t errlen)
{
    char why[256];
    if (component_set_check(&l->components, why, sizeof why) != 0 ||
        mem_level_set_check(&l->levels, why, sizeof why) != 0) {
        snprintf(err, errlen, "node model '%s' declares a bad layout: %s", e->name, why);
        return -1;
    }
    bool none = l->stream_level < 0 && l->stream_component < 0;
    bool both = l->stream_level >= 0 && (uint32_t)l->stream_level < l->levels.n &&
                l->levels.v[l->stream_level].off_chip && l->stream_component >= 0 &&
                (uint32_t)l->stream_component < l->components.n &&
                l->components.c[l->stream_component].time;
    if (!none && !both) {
        snprintf(err, errlen, "node model '%s' declares a bad layout: its off-chip stream needs "
                              "an off-chip level and a component with a time view (or neither)",
                 e->name);
        return -1;
    }
    return 0;
}

int node_model_create(const registry_entry *e, const void *params, node_model **out, char *err,
                      size_t errlen)
{
    *out = NULL;
    const node_model_ops *ops = e ? e->ops : NULL;
    if (!ops || !ops->create || !ops->destroy || !ops->layout || !ops->clock_hz || !ops->place ||
        !ops->op_cost || !ops->always_on_power) {
        snprintf(err, errlen, "node model '%s' lacks an op", e ? e->name : "?");
        return -1;
    }
    node_model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "node: out of memory");
        return -1;
    }
    m->ops = ops;
    if (ops->create(params, &m->self, err, errlen) != 0) {
        free(m);
        return -1;
    }
    ops->layout(m->self, &m->layout);
    if (check_layout(e, &m->layout, err, errlen) != 0) {
        node_model_destroy(m);
        return -1;
    }
    *out = m;
    return 0;
}

void node_model_destroy(node_model *m)
{
    if (!m) return;
    m->ops->destroy(m->self);
    free(m);
}

const node_layout *node_layout_of(const node_model *m)
{
    return &m->layout;
}

double node_clock_hz(const node_model *m)
{
    return m->ops->clock_hz(m->self);
}

int node_place(const node_model *m, chip_program *c, placement_report *out, char *err,
               size_t errlen)
{
    memset(out, 0, sizeof *out);
    return m->ops->place(m->self, c, out, err, errlen);
}

int node_op_cost(const node_model *m, const chip_program *c, const prog_op *op, op_cost *out)
{
    memset(out, 0, sizeof *out);
    return m->ops->op_cost(m->self, c, op, out);
}

void node_always_on_power(const node_model *m, double leak_w[COMPONENTS_MAX],
                          double always_w[COMPONENTS_MAX])
{
    for (int k = 0; k < COMPONENTS_MAX; k++) leak_w[k] = always_w[k] = 0.0;
    m->ops->always_on_power(m->self, leak_w, always_w);
}

int node_capacity(const node_model *m, double *macs_per_s, uint64_t *hold_bytes)
{
    *macs_per_s = 0;
    *hold_bytes = 0;
    if (!m->ops->capacity) return -1;
    m->ops->capacity(m->self, macs_per_s, hold_bytes);
    return isfinite(*macs_per_s) && *macs_per_s > 0 ? 0 : -1;
}
