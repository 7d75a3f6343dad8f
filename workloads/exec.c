/* Executes one compute op on its chip's buffers through the integer kernels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "workload.h"

static prog_buffer *operand(chip_program *c, int32_t id)
{
    return (id >= 0 && (uint32_t)id < c->n_bufs) ? &c->bufs[id] : NULL;
}

/* Softmax probabilities are u8 (255 ~ 1.0) but the GEMM multiplies int8:
 * halve them to 0..127 (127 ~ 1.0), priced as one element op per value. */
static int gemm_u8(const prog_op *op, const prog_buffer *a, const prog_buffer *b,
                   prog_buffer *c, op_work *w)
{
    size_t cnt = (size_t)op->m * op->k;
    int8_t *tmp = malloc(cnt ? cnt : 1);
    if (!tmp) return -1;
    const uint8_t *src = a->data;
    for (size_t i = 0; i < cnt; i++) tmp[i] = (int8_t)(src[i] >> 1);
    *w = k_gemm_i8(tmp, op->k, b->data, op->p.gemm.trans_b ? op->k : op->n,
                   op->p.gemm.trans_b, c->data, op->n, op->m, op->n, op->k,
                   op->p.gemm.accumulate);
    w->elem_ops += cnt;
    w->bytes_read += cnt;
    free(tmp);
    return 0;
}

static int check_copy(const prog_op *op, const prog_buffer *in0, const prog_buffer *out,
                      char *err, size_t errlen)
{
    bool widen = in0->type == DT_I8 && out->type == DT_I32;
    if ((size_t)op->p.copy.dst_row + op->m > out->rows ||
        (size_t)op->p.copy.dst_col + op->n > out->cols ||
        (size_t)op->p.copy.src_col + op->n > in0->cols ||
        (size_t)op->p.copy.src_row + op->m > in0->rows || (in0->type != out->type && !widen)) {
        snprintf(err, errlen, "%s: copy does not fit its source or destination", op->label);
        return -1;
    }
    return 0;
}

static int check_shapes(const prog_op *op, const prog_buffer *in0, const prog_buffer *in1,
                        const prog_buffer *out, char *err, size_t errlen)
{
    size_t cnt = (size_t)op->m * op->n;
    if (op->kind == OP_GEMM) {
        if (!in1 || (size_t)in0->rows * in0->cols < (size_t)op->m * op->k ||
            (size_t)in1->rows * in1->cols < (size_t)op->k * op->n ||
            (size_t)out->rows * out->cols < cnt) {
            snprintf(err, errlen, "%s: gemm operands smaller than %ux%ux%u", op->label, op->m,
                     op->n, op->k);
            return -1;
        }
        return 0;
    }
    if (op->kind == OP_COPY) return check_copy(op, in0, out, err, errlen);
    if (op->kind == OP_REQUANT && in1 &&
        (in1->type != DT_I32 || !in1->data || (size_t)in1->rows * in1->cols < op->n)) {
        snprintf(err, errlen, "%s: requant bias must be an int32 row of %u", op->label, op->n);
        return -1;
    }
    if ((size_t)in0->rows * in0->cols < cnt || (size_t)out->rows * out->cols < cnt) {
        snprintf(err, errlen, "%s: operands smaller than %ux%u", op->label, op->m, op->n);
        return -1;
    }
    return 0;
}

/* Bias added in int32 (wrapping, like the accumulator) row by row, then the
 * plain requant: one add per element plus one read of the bias row. */
static op_work run_requant(const prog_op *op, const prog_buffer *in0, const prog_buffer *bias,
                           prog_buffer *out)
{
    size_t cnt = (size_t)op->m * op->n;
    if (!bias) return k_requant(in0->data, out->data, cnt, op->p.requant.q);
    op_work w = {0, 0, 0, 0, 0};
    const int32_t *src = in0->data, *bv = bias->data;
    int8_t *dst = out->data;
    for (uint32_t r = 0; r < op->m; r++)
        for (uint32_t c = 0; c < op->n; c++) {
            size_t i = (size_t)r * op->n + c;
            dst[i] = k_requant1((int32_t)((uint32_t)src[i] + (uint32_t)bv[c]), op->p.requant.q);
        }
    w.elem_ops = 2 * (uint64_t)cnt;
    w.bytes_read = 4 * (uint64_t)cnt + 4 * (uint64_t)op->n;
    w.bytes_written = cnt;
    return w;
}

/* Row by row with each buffer's own row stride (a column slice of a wider
 * buffer, or whole rows when the widths match); int8 into int32 is
 * sign-extended by the widening kernel. */
static op_work run_copy(const prog_op *op, const prog_buffer *in0, prog_buffer *out)
{
    op_work w = {0, 0, 0, 0, 0};
    size_t si = dtype_size(in0->type), so = dtype_size(out->type), row = (size_t)op->n * si;
    bool widen = in0->type != out->type;
    for (uint32_t r = 0; r < op->m; r++) {
        const char *s = (const char *)in0->data +
                        ((size_t)(op->p.copy.src_row + r) * in0->cols + op->p.copy.src_col) * si;
        char *d = (char *)out->data +
                  ((size_t)(op->p.copy.dst_row + r) * out->cols + op->p.copy.dst_col) * so;
        if (widen) {
            op_work k = k_widen_i8_i32((const int8_t *)s, (int32_t *)(void *)d, op->n);
            w.elem_ops += k.elem_ops;
            w.bytes_read += k.bytes_read;
            w.bytes_written += k.bytes_written;
        } else {
            memmove(d, s, row);
        }
    }
    if (!widen) w.bytes_read = w.bytes_written = row * op->m;
    return w;
}

static op_work run_norm(const prog_op *op, prog_buffer *in0, prog_buffer *g, prog_buffer *beta,
                        prog_buffer *out)
{
    switch (op->p.norm.kind) {
    case NORM_RMS: return k_rmsnorm(in0->data, g->data, out->data, op->m, op->n, op->p.norm.q);
    case NORM_LAYER:
        return k_layernorm(in0->data, g->data, beta->data, out->data, op->m, op->n,
                           op->p.norm.q);
    case NORM_NONORM:
    default:
        return k_nonorm(in0->data, g->data, beta->data, out->data, op->m, op->n, op->p.norm.q);
    }
}

static op_work run_act(const prog_op *op, prog_buffer *in0, prog_buffer *out)
{
    size_t cnt = (size_t)op->m * op->n;
    switch (op->p.act.kind) {
    case ACT_GELU: return k_gelu(in0->data, out->data, cnt, op->p.act.q);
    case ACT_SILU: return k_silu(in0->data, out->data, cnt, op->p.act.q);
    case ACT_RELU:
    default: return k_relu(in0->data, out->data, cnt);
    }
}

int exec_compute_op_work(chip_program *c, const prog_op *op, op_work *done, char *err,
                         size_t errlen)
{
    op_work w = {0, 0, 0, 0, 0};
    prog_buffer *in0 = operand(c, op->in[0]), *in1 = operand(c, op->in[1]);
    prog_buffer *in2 = operand(c, op->in[2]), *out = operand(c, op->out);
    size_t cnt = (size_t)op->m * op->n;
    if (!op_is_compute(op->kind)) {
        snprintf(err, errlen, "%s: %s is not a compute op", op->label, op_kind_name(op->kind));
        return -1;
    }
    if (!in0 || !out || !in0->data || !out->data) {
        snprintf(err, errlen, "%s: missing operand or timing-only buffer", op->label);
        return -1;
    }
    if (((op->kind == OP_NORM || op->kind == OP_ADD || op->kind == OP_MUL) && !in1) ||
        (op->kind == OP_NORM && op->p.norm.kind != NORM_RMS && !in2)) {
        snprintf(err, errlen, "%s: missing operand", op->label);
        return -1;
    }
    if (check_shapes(op, in0, in1, out, err, errlen)) return -1;
    switch (op->kind) {
    case OP_GEMM:
        if (in0->type == DT_U8) {
            if (gemm_u8(op, in0, in1, out, &w)) {
                snprintf(err, errlen, "%s: out of memory", op->label);
                return -1;
            }
        } else {
            w = k_gemm_i8(in0->data, op->k, in1->data, op->p.gemm.trans_b ? op->k : op->n,
                          op->p.gemm.trans_b, out->data, op->n, op->m, op->n, op->k,
                          op->p.gemm.accumulate);
        }
        break;
    case OP_REQUANT: w = run_requant(op, in0, in1, out); break;
    case OP_SOFTMAX:
        w = k_softmax_i32_u8(in0->data, out->data, op->m, op->n, op->p.softmax.in_scale,
                             op->p.softmax.causal, op->p.softmax.q_offset);
        break;
    case OP_NORM: w = run_norm(op, in0, in1, in2, out); break;
    case OP_ACT: w = run_act(op, in0, out); break;
    case OP_ROPE:
        w = k_rope(in0->data, op->m, op->p.rope.heads, op->p.rope.head_dim, op->p.rope.pos0);
        break;
    case OP_ADD:
        w = k_add_i8(in0->data, in1->data, out->data, cnt, op->p.add.qa, op->p.add.qb);
        break;
    case OP_MUL: w = k_mul_i8(in0->data, in1->data, out->data, cnt, op->p.mul.q); break;
    case OP_COPY: w = run_copy(op, in0, out); break;
    default: break;
    }
    if (done) *done = w;
    return 0;
}

int exec_compute_op(chip_program *c, const prog_op *op, char *err, size_t errlen)
{
    return exec_compute_op_work(c, op, NULL, err, errlen);
}
