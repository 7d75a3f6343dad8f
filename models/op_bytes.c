/* Which bytes of which buffers an op touches, derived from the op's own dims
 * (a GEMM on the first k rows of a KV cache touches k rows, not the whole
 * buffer). Slots 0..2 are in[0..2], slot 3 is out. */
#include "pulp_internal.h"

int32_t pulp_op_slot_buf(const prog_op *op, int slot)
{
    return slot < 3 ? op->in[slot] : op->out;
}

static uint64_t elems_mn(const prog_op *op, const prog_buffer *b)
{
    uint64_t mn = (uint64_t)op->m * op->n;
    return mn ? mn : (uint64_t)b->rows * b->cols;
}

uint64_t pulp_op_slot_bytes(const chip_program *c, const prog_op *op, int slot)
{
    int32_t id = pulp_op_slot_buf(op, slot);
    if (id < 0 || (uint32_t)id >= c->n_bufs) return 0;
    const prog_buffer *b = &c->bufs[id];
    uint64_t sz = dtype_size(b->type);
    switch (op->kind) {
    case OP_GEMM:
        if (slot == 0) return (uint64_t)op->m * op->k * sz;
        if (slot == 1) return (uint64_t)op->k * op->n * sz;
        if (slot == 3) return (uint64_t)op->m * op->n * sz;
        return 0;
    case OP_REQUANT: /* in1: optional bias row, one entry per column */
        if (slot == 1) return (uint64_t)(op->n ? op->n : b->cols) * sz;
        return elems_mn(op, b) * sz;
    case OP_NORM:
        if (slot == 1 || slot == 2) return (uint64_t)(op->n ? op->n : b->cols) * sz;
        return elems_mn(op, b) * sz;
    case OP_DMA:
    case OP_SEND:
    case OP_RECV:
        return slot == 0 ? op->bytes : 0;
    case OP_REDUCE:
    case OP_BCAST:
    case OP_ALLREDUCE:
    case OP_BARRIER:
        return 0;
    default:
        return elems_mn(op, b) * sz;
    }
}

/* Bytes crossing the HyperBus: reads of every operand homed there, plus the
 * write-back of a result homed there (read too when it accumulates or the op
 * works in place). */
uint64_t pulp_op_hyper_bytes(const chip_program *c, const prog_op *op)
{
    uint64_t total = 0;
    for (int s = 0; s < 4; s++) {
        int32_t id = pulp_op_slot_buf(op, s);
        if (id < 0 || (uint32_t)id >= c->n_bufs || c->bufs[id].home != MEM_HYPERRAM) continue;
        bool dup = false;
        for (int t = 0; t < s; t++) dup |= pulp_op_slot_buf(op, t) == id;
        if (dup) continue;
        uint64_t b = pulp_op_slot_bytes(c, op, s);
        bool rw = (s == 3 && op->kind == OP_GEMM && op->p.gemm.accumulate) ||
                  (op->kind == OP_ROPE && s == 0) || (op->kind == OP_RECV && op->accumulate);
        total += rw ? 2 * b : b;
    }
    return total;
}

static size_t buf_sz(const chip_program *c, int32_t id)
{
    return (id >= 0 && (uint32_t)id < c->n_bufs) ? dtype_size(c->bufs[id].type) : 0;
}

/* Row-wise ops: per-row input (and second input) in, per-row output out;
 * norm parameters (in1, in2) are fetched once with the first tile. */
void pulp_op_rowwise_shape(const chip_program *c, const prog_op *op, uint64_t *rows,
                           uint64_t *in_row, uint64_t *out_row, uint64_t *fixed)
{
    const prog_buffer *b0 = (op->in[0] >= 0 && (uint32_t)op->in[0] < c->n_bufs) ? &c->bufs[op->in[0]] : NULL;
    *rows = op->m ? op->m : (b0 ? b0->rows : 1);
    uint64_t cols = op->n ? op->n : (b0 ? b0->cols : 0);
    *in_row = cols * buf_sz(c, op->in[0]);
    if (op->kind == OP_ADD || op->kind == OP_MUL) *in_row += cols * buf_sz(c, op->in[1]);
    *out_row = op->kind == OP_ROPE ? *in_row : cols * buf_sz(c, op->out);
    *fixed = op->kind == OP_NORM      ? pulp_op_slot_bytes(c, op, 1) + pulp_op_slot_bytes(c, op, 2)
             : op->kind == OP_REQUANT ? pulp_op_slot_bytes(c, op, 1)
                                      : 0;
}

