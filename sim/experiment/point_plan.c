/* Building one point as run does (see point_plan.h). */
#include "point_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../interconnect/link_check.h"
#include "point_memory.h"

static int fail(char *err, size_t errlen, int rc, const char *what, const char *why)
{
    snprintf(err, errlen, "%s%s", what, why);
    return rc;
}

static int place_all(point_plan *p, char *err, size_t errlen)
{
    for (uint32_t c = 0; c < p->prog->n_chips; c++) {
        char why[256] = "";
        if (node_place(p->node, &p->prog->chips[c], &p->placement[c], why, sizeof why) != 0)
            return fail(err, errlen, 1, "", why);   /* node_place names the chip */
    }
    return 0;
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
    if (node_model_create(e->node_model, e->node_params, &out->node, why, sizeof why) != 0)
        return fail(err, errlen, 2, "system.node: ", why);
    out->placement = calloc(r->chips, sizeof *out->placement);
    if (!out->placement) return fail(err, errlen, 1, "", "out of memory");
    bool functional = r->functional || r->check;
    if (!out->prog) {
        out->prog = partition_build(&e->workload, r->chips, functional, why, sizeof why);
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
    node_model_destroy(p->node);
    free(p->placement);
    memset(p, 0, sizeof *p);
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
