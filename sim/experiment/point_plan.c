/* Building one point as run does (see point_plan.h). */
#include "point_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../interconnect/link_check.h"
#include "point_memory.h"
#include "point_nodes.h"

static int fail(char *err, size_t errlen, int rc, const char *what, const char *why)
{
    snprintf(err, errlen, "%s%s", what, why);
    return rc;
}

static int place_all(point_plan *p, char *err, size_t errlen)
{
    for (uint32_t c = 0; c < p->prog->n_chips; c++) {
        char why[256] = "";
        if (node_place(point_plan_node(p, c), &p->prog->chips[c], &p->placement[c], why,
                       sizeof why) != 0)
            return fail(err, errlen, 1, "", why);   /* node_place names the chip */
    }
    return 0;
}

/* One instance per node some chip of this size has (system.node, each
 * system.chips entry), the chips' clocks and capacities, and the system's
 * layout over them. */
static int build_nodes(const experiment *e, uint32_t chips, point_plan *out, char *err,
                       size_t errlen)
{
    size_t n = 1 + e->n_chip_nodes;
    out->n_nodes = n;
    out->nodes = calloc(n, sizeof *out->nodes);
    out->node_names = calloc(n, sizeof *out->node_names);
    out->comp_map = calloc(n, sizeof *out->comp_map);
    out->chip_node = calloc(chips, sizeof *out->chip_node);
    out->chip_clock_hz = calloc(chips, sizeof *out->chip_clock_hz);
    out->capacity = calloc(chips, sizeof *out->capacity);
    const char **names = calloc(n, sizeof *names);
    char (*name_buf)[40] = calloc(n, sizeof *name_buf);
    char why[512] = "";
    int rc = 1;
    if (!out->nodes || !out->node_names || !out->comp_map || !out->chip_node || !out->chip_clock_hz ||
        !out->capacity || !names || !name_buf) {
        fail(err, errlen, 1, "", "out of memory");
        goto done;
    }
    for (uint32_t c = 0; c < chips; c++) {
        int o = experiment_chip_override(e, c);
        size_t i = (size_t)(o + 1);
        out->chip_node[c] = (uint32_t)i;
        out->heterogeneous |= out->chip_node[c] != out->chip_node[0];
        if (out->nodes[i]) continue;
        const registry_entry *m = o < 0 ? e->node_model : e->chip_nodes[o].node_model;
        const void *params = o < 0 ? e->node_params : e->chip_nodes[o].node_params;
        out->node_names[i] = node_display_name(m, params);
        if (o < 0) snprintf(name_buf[i], sizeof name_buf[i], "system.node");
        else snprintf(name_buf[i], sizeof name_buf[i], "system.chips[%d]", o);
        if (node_model_create(m, params, &out->nodes[i], why, sizeof why) != 0) {
            snprintf(err, errlen, "%s: %s", name_buf[i], why);
            rc = 2;
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++) names[i] = name_buf[i];
    if (point_nodes_layout(out->nodes, names, n, &out->layout, out->comp_map, why,
                           sizeof why) != 0) {
        rc = fail(err, errlen, 2, "", why);
        goto done;
    }
    out->node = out->nodes[out->chip_node[0]];
    bool capable = true;
    for (uint32_t c = 0; c < chips; c++) {
        const node_model *m = point_plan_node(out, c);
        out->chip_clock_hz[c] = node_clock_hz(m);
        capable &= node_capacity(m, &out->capacity[c].speed, &out->capacity[c].hold_bytes) == 0;
    }
    if (!capable) {
        free(out->capacity);
        out->capacity = NULL;
    }
    rc = 0;
done:
    free(names);
    free(name_buf);
    return rc;
}

/* system.link for every pair, system.links where they say. The messages
 * name each model as link_describe does and each rule by its key. */
static int build_link_map(const experiment *e, point_plan *out, char *err, size_t errlen)
{
    size_t n = e->n_links;
    link_map_rule *rules = calloc(n + 1, sizeof *rules);
    char (*names)[600] = calloc(n + 1, sizeof *names);
    char (*where)[48] = calloc(n + 1, sizeof *where);
    int rc = -1;
    if (!rules || !names || !where) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    link_describe(e->link_ops, e->link_plugin ? e->link_plugin_path : NULL, names[n],
                  sizeof names[n]);
    link_map_rule dflt = {0, NULL, 0, e->link_ops, e->link_params, names[n], "system.link"};
    for (size_t i = 0; i < n; i++) {
        const link_override *o = &e->links[i];
        link_describe(o->link.ops, o->link.plugin ? o->link.plugin_path : NULL, names[i],
                      sizeof names[i]);
        snprintf(where[i], sizeof where[i], "system.links[%zu]", i);
        rules[i] = (link_map_rule){o->level, (const uint32_t(*)[2])o->pairs, o->n_pairs,
                                   o->link.ops, o->link.params, names[i], where[i]};
    }
    out->links = link_map_create(&e->topology, out->prog, &dflt, rules, n, err, errlen);
    rc = out->links ? 0 : -1;
done:
    free(rules);
    free(names);
    free(where);
    return rc;
}

static int build(const experiment *e, const point_request *r, point_plan *out, char *err,
                 size_t errlen)
{
    char why[512] = "";
    out->prog = r->program;   /* taken over, whatever happens next */
    if (r->program && (r->functional || r->check || r->program->n_chips != r->chips))
        return fail(err, errlen, 2, "", "internal: a prebuilt program is timing-only, for its own chip count");
    if (point_memory_check(e, r->chips, r->functional, r->check, r->trace, r->max_memory, why,
                           sizeof why) != 0)
        return fail(err, errlen, 2, "", why);
    int rc = build_nodes(e, r->chips, out, why, sizeof why);
    if (rc) return fail(err, errlen, rc, "", why);
    out->placement = calloc(r->chips, sizeof *out->placement);
    if (!out->placement) return fail(err, errlen, 1, "", "out of memory");
    bool functional = r->functional || r->check;
    if (!out->prog) {
        workload_params w = e->workload;   /* the chips' capacities, for balance: capacity */
        w.capacity = out->capacity;
        out->prog = partition_build(&w, r->chips, functional, why, sizeof why);
        if (!out->prog) return fail(err, errlen, 2, "workload: ", why);
        if (topology_expand(&e->topology, out->prog, why, sizeof why) != 0)
            return fail(err, errlen, 2, "system.topology: ", why);
    }
    if (build_link_map(e, out, why, sizeof why) != 0) return fail(err, errlen, 2, "", why);
    return place_all(out, err, errlen);
}

int point_plan_build(const experiment *e, const point_request *r, point_plan *out, char *err,
                     size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (r->chips == 0) return fail(err, errlen, 2, "", "chips must be at least 1");
    int rc = build(e, r, out, err, errlen);
    if (rc) point_plan_free(out);
    return rc;
}

void point_plan_free(point_plan *p)
{
    if (!p) return;
    system_program_destroy(p->prog);
    link_map_destroy(p->links);
    for (size_t i = 0; p->nodes && i < p->n_nodes; i++) node_model_destroy(p->nodes[i]);
    free(p->nodes);
    free(p->node_names);
    free(p->comp_map);
    free(p->chip_node);
    free(p->chip_clock_hz);
    free(p->capacity);
    free(p->placement);
    memset(p, 0, sizeof *p);
}

const node_model *point_plan_node(const point_plan *p, uint32_t chip)
{
    return p->nodes[p->chip_node[chip]];
}

int point_plan_op_cost(const point_plan *p, const chip_program *c, const prog_op *op,
                       op_cost *out)
{
    uint32_t i = p->chip_node[c->chip];
    if (!p->heterogeneous) return node_op_cost(p->nodes[i], c, op, out);
    op_cost own;
    int rc = node_op_cost(p->nodes[i], c, op, &own);
    point_nodes_cost_onto(&own, p->comp_map[i], node_layout_of(p->nodes[i])->components.n, out);
    return rc;
}

void point_plan_always_on_power(const point_plan *p, uint32_t chip,
                                double leak_w[COMPONENTS_MAX], double always_w[COMPONENTS_MAX])
{
    uint32_t i = p->chip_node[chip];
    double leak[COMPONENTS_MAX], always[COMPONENTS_MAX];
    node_always_on_power(p->nodes[i], leak, always);
    for (int k = 0; k < COMPONENTS_MAX; k++) leak_w[k] = always_w[k] = 0.0;
    uint32_t n = node_layout_of(p->nodes[i])->components.n;
    for (uint32_t k = 0; k < n; k++) {
        leak_w[p->comp_map[i][k]] = leak[k];
        always_w[p->comp_map[i][k]] = always[k];
    }
}

int experiment_check_points(const experiment *e, const param_uint_list *chips, bool functional,
                            uint64_t max_memory, cfg_error *err)
{
    const cfg_node *list = chips == &e->chips ? cfg_get_path(e->tree, "sweep.chips") : NULL;
    for (size_t i = 0; i < chips->n; i++) {
        uint32_t n = (uint32_t)chips->v[i];
        char why[1024] = "";
        /* The mode's memory first; the build itself never needs tensors. */
        int rc = point_memory_check(e, n, functional, false, false, max_memory, why, sizeof why)
                     ? 2 : 0;
        if (rc == 0) {
            point_request r = {n, false, false, false, 0, NULL};
            point_plan p;
            rc = point_plan_build(e, &r, &p, why, sizeof why);
            if (rc == 0) point_plan_free(&p);
        }
        if (rc == 0) continue;
        const cfg_node *at = cfg_seq_at(list, i);
        char path[64];
        snprintf(path, sizeof path, "sweep.chips[%zu]", i);
        cfg_fail(err, at ? cfg_node_file(at) : e->path, at ? cfg_node_line(at) : 0,
                 at ? cfg_node_col(at) : 0, path, "%u chip%s: %s", n, n == 1 ? "" : "s", why);
        return rc;
    }
    return 0;
}
