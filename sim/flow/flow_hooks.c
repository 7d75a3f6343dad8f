/* The costs a timing backend asks for, from the point's own models (see
 * flow_internal.h). The backend checks every answer before using it. */
#include "flow_internal.h"

/* Chip c's own node, its cost moved onto the system's components. */
static int node_cost_hook(void *ctx, const chip_program *c, const prog_op *op, op_cost *out)
{
    return point_plan_op_cost(ctx, c, op, out);
}

static const char *chip_node_name_hook(void *ctx, uint32_t chip)
{
    const point_plan *m = ctx;
    return m->node_names[m->chip_node[chip]];
}

static int exec_hook(void *ctx, chip_program *c, const prog_op *op, char *err, size_t errlen)
{
    (void)ctx;
    return exec_compute_op(c, op, err, errlen);
}

/* The pair's own model: system.link, or the system.links override naming it. */
static link_cost link_hook(void *ctx, uint32_t src, uint32_t dst, uint64_t bytes)
{
    return link_map_transfer(((const point_plan *)ctx)->links, src, dst, bytes);
}

static const char *link_name_hook(void *ctx, uint32_t src, uint32_t dst)
{
    return link_map_name(((const point_plan *)ctx)->links, src, dst);
}

void flow_hooks_bind(const point_plan *m, timing_hooks *out)
{
    *out = (timing_hooks){
        .ctx = (void *)m,   /* the hooks only read it */
        .clock_hz = node_clock_hz(m->node),
        /* chips of one node share its clock: the backend then needs none */
        .chip_clock_hz = m->heterogeneous ? m->chip_clock_hz : NULL,
        .chip_node_name = m->heterogeneous ? chip_node_name_hook : NULL,
        .op_cost = node_cost_hook,
        .exec_op = exec_hook,
        .link_transfer = link_hook,
        .link_name = link_name_hook,
        .layout = &m->layout,
    };
}
