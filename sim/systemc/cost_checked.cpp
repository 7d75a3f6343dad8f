// Costs from the hooks, checked (see sysc_internal.h): the node model's with
// node_op_cost_check, the link model's with link_cost_check, so a plug-in
// returning NaN or a negative time stops the run instead of reaching the
// results.
#include <string>

extern "C" {
#include "../../interconnect/link_check.h"
#include "../../models/op_cost_check.h"
}

#include "sysc_internal.h"

namespace mcusim {

static std::string op_who(const chip_program *c, const prog_op &op)
{
    std::string kind = op.kind == OP_SEND ? "send" : op.kind == OP_RECV ? "recv" : "op";
    return "chip " + std::to_string(c->chip) + ": " + kind + " '" + op.label + "'";
}

bool checked_op_cost(const timing_hooks *h, const chip_program *c, const prog_op &op,
                     op_cost &out, std::string &err)
{
    out = op_cost{};
    if (h->op_cost(h->ctx, c, &op, &out) != 0) {
        err = op_who(c, op) + ": no cost";
        return false;
    }
    char why[256];
    if (node_op_cost_check(&out, &h->layout->components, why, sizeof why) != 0) {
        err = op_who(c, op) + ": node model " + why;
        return false;
    }
    return true;
}

bool checked_link_cost(const timing_hooks *h, uint32_t src, uint32_t dst, uint64_t bytes,
                       link_cost &out, std::string &err)
{
    out = h->link_transfer(h->ctx, src, dst, bytes);
    char why[1024];
    const char *name = h->link_name ? h->link_name(h->ctx, src, dst) : nullptr;
    if (link_cost_check(name ? name : "link model", bytes, &out, why, sizeof why) != 0) {
        err = "link " + std::to_string(src) + "->" + std::to_string(dst) + ": " + why;
        return false;
    }
    return true;
}

} // namespace mcusim
