/* The work of a compute op from its shape, by the kernels' own formulas
 * (workloads/kernels/, one file per kernel family), so a timing-only program is priced exactly as a
 * functional one. test_workloads_exec checks every kind against the work the
 * kernels return when executed. */
#include "kernels/kernels.h"
#include "workload.h"

static op_work mk(uint64_t macs, uint64_t elem, uint64_t special, uint64_t rd, uint64_t wr)
{
    op_work w = {macs, elem, special, rd, wr};
    return w;
}

static op_work gemm_work(const chip_program *c, const prog_op *op)
{
    uint64_t m = op->m, n = op->n, k = op->k;
    bool acc = op->p.gemm.accumulate;
    op_work w = mk(m * n * k, acc ? m * n : 0, 0, m * k + k * n + (acc ? 4 * m * n : 0),
                   4 * m * n);
    /* u8 probabilities are halved to int8 by exec before the kernel */
    if (op->in[0] >= 0 && c->bufs[op->in[0]].type == DT_U8) {
        w.elem_ops += m * k;
        w.bytes_read += m * k;
    }
    return w;
}

static op_work softmax_work(const prog_op *op)
{
    uint64_t rows = op->m, cols = op->n, seen = 0;
    for (uint64_t r = 0; r < rows && cols > 0; r++) {
        uint64_t last = op->p.softmax.causal ? op->p.softmax.q_offset + r : cols - 1;
        seen += last + 1 < cols ? last + 1 : cols;
    }
    return mk(0, 4 * seen, seen + rows, 4 * seen, rows * cols);
}

static op_work norm_work(const prog_op *op)
{
    uint64_t rows = op->m, cols = op->n, n = rows * cols;
    switch (op->p.norm.kind) {
    case NORM_RMS: return mk(n, 2 * n, 2 * rows, n + cols, n);
    case NORM_LAYER: return mk(n, 4 * n, 2 * rows, n + cols + 4 * cols, n);
    case NORM_NONORM: return mk(n, n, 0, n + cols + 4 * cols, n);
    }
    return mk(0, 0, 0, 0, 0);
}

static op_work act_work(act_kind kind, uint64_t cnt)
{
    switch (kind) {
    case ACT_GELU: return mk(0, 9 * cnt, 0, cnt, cnt);
    case ACT_SILU: return mk(0, 3 * cnt, 2 * cnt, cnt, cnt);
    case ACT_RELU: return mk(0, cnt, 0, cnt, cnt);
    }
    return mk(0, 0, 0, 0, 0);
}

op_work op_work_of(const chip_program *c, const prog_op *op)
{
    uint64_t cnt = (uint64_t)op->m * op->n;
    switch (op->kind) {
    case OP_GEMM: return gemm_work(c, op);
    case OP_REQUANT: /* an optional bias row (in1) costs an add per element and its read */
        if (op->in[1] >= 0) return mk(0, 2 * cnt, 0, 4 * cnt + 4 * (uint64_t)op->n, cnt);
        return mk(0, cnt, 0, 4 * cnt, cnt);
    case OP_SOFTMAX: return softmax_work(op);
    case OP_NORM: return norm_work(op);
    case OP_ACT: return act_work(op->p.act.kind, cnt);
    case OP_ROPE: {
        uint64_t n = (uint64_t)op->m * op->p.rope.heads * op->p.rope.head_dim;
        return mk(2 * n, n, (uint64_t)op->m * (op->p.rope.head_dim / 2), n, n);
    }
    case OP_ADD: return mk(0, 3 * cnt, 0, 2 * cnt, cnt);
    case OP_MUL: return mk(cnt, cnt, 0, 2 * cnt, cnt);
    case OP_COPY: {
        if (op_copy_widens(c, op)) return mk(0, cnt, 0, cnt, 4 * cnt); /* k_widen_i8_i32 */
        uint64_t bytes = cnt * (op->in[0] >= 0 ? dtype_size(c->bufs[op->in[0]].type) : 1);
        return mk(0, 0, 0, bytes, bytes);
    }
    default: return mk(0, 0, 0, 0, 0);
    }
}
