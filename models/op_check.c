/* Whether an op can run at all on this node's L1: even its smallest tile
 * (one output element, one row) must fit double buffered. */
#include <stdio.h>

#include "pulp_internal.h"

static size_t slot_sz(const chip_program *c, int32_t id)
{
    return (id >= 0 && (uint32_t)id < c->n_bufs) ? dtype_size(c->bufs[id].type) : 1;
}

static int gemm_check(const pulp_params *p, const chip_program *c, const prog_op *op, char *err,
                      size_t errlen)
{
    gemm_tiles g;
    size_t a = slot_sz(c, op->in[0]), b = slot_sz(c, op->in[1]), o = slot_sz(c, op->out);
    if (pulp_gemm_tile_choose(p, op->m, op->n, op->k, a, b, o, op->p.gemm.accumulate, &g) == 0)
        return 0;
    snprintf(err, errlen,
             "chip %u: op '%s' (gemm %ux%ux%u) does not fit L1: its smallest tile needs %llu B "
             "double-buffered, usable L1 is %llu B",
             c->chip, op->label, op->m, op->n, op->k,
             (unsigned long long)(2 * (op->k * a + op->k * b + o)),
             (unsigned long long)pulp_l1_usable(p));
    return -1;
}

static int rows_check(const pulp_params *p, const chip_program *c, const prog_op *op, char *err,
                      size_t errlen)
{
    uint64_t rows, in_row, out_row, fixed;
    pulp_op_rowwise_shape(c, op, &rows, &in_row, &out_row, &fixed);
    uint64_t row = in_row + out_row;
    if (pulp_rows_tile_choose(p, rows, row, fixed) > 0) return 0;
    snprintf(err, errlen,
             "chip %u: op '%s' (%s, %llu rows) does not fit L1: one row needs %llu B "
             "double-buffered + %llu B parameters, usable L1 is %llu B",
             c->chip, op->label, op_kind_name(op->kind), (unsigned long long)rows,
             (unsigned long long)(2 * row), (unsigned long long)fixed,
             (unsigned long long)pulp_l1_usable(p));
    return -1;
}

int pulp_op_check(const pulp_node *m, const chip_program *c, const prog_op *op, char *err,
                  size_t errlen)
{
    switch (op->kind) {
    case OP_GEMM: return gemm_check(&m->p, c, op, err, errlen);
    case OP_REQUANT:
    case OP_SOFTMAX:
    case OP_NORM:
    case OP_ACT:
    case OP_ROPE:
    case OP_ADD:
    case OP_MUL: return rows_check(&m->p, c, op, err, errlen);
    case OP_COPY: return op_copy_widens(c, op) ? rows_check(&m->p, c, op, err, errlen) : 0;
    default: return 0;
    }
}
