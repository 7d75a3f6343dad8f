/* Program builder helpers shared by the partitioners: buffers, deterministic
 * tensor slices, op emitters that record each op's work, and the composite
 * steps (linear slice, head attention) that llama and MobileBERT both emit
 * the same way, so the two partitioners keep only what differs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partition_internal.h"
#include "quant_rules.h"

void wl_split(uint64_t total, uint32_t n, uint32_t chip, uint32_t *lo, uint32_t *hi)
{
    uint64_t base = total / n, extra = total % n;
    uint64_t l = chip * base + (chip < extra ? chip : extra);
    *lo = (uint32_t)l;
    *hi = (uint32_t)(l + base + (chip < extra ? 1 : 0));
}

static void pb_fail(pbuild *b, const char *what)
{
    if (!b->failed) snprintf(b->err, b->errlen, "out of memory building %s", what);
    b->failed = 1;
}

void pb_output(pbuild *b, uint32_t chip, int32_t id)
{
    b->p->output_bufs[(size_t)b->inference * b->p->n_chips + b->first + chip] = id;
}

uint64_t pb_seed(const pbuild *b, uint32_t tensor)
{
    bool data = tensor == T_INPUT || tensor == T_KCACHE || tensor == T_VCACHE || tensor == T_TOKEN;
    return data ? b->data_seed : b->w->seed;
}

bool pb_shared_weight(pbuild *b, uint32_t chip, int32_t id)
{
    return b->inference > 0 && id >= 0 && pb_chip(b, chip)->bufs[id].role == BUF_WEIGHT;
}

/* Inference 0's weight buffers, per chip, in the order they were made. */
struct pb_weights {
    int32_t *id;
    uint32_t n, cap, next;   /* next: the one inference k > 0 asks for next */
};

/* Inference k > 0: the weight buffer inference 0 made at this point of the
 * chip's sequence; the same name and shape, or the build is not the same
 * build (an internal error, not a user's). */
static int32_t shared_weight(pbuild *b, uint32_t chip, const char *name, dtype t, uint32_t rows,
                             uint32_t cols)
{
    struct pb_weights *w = &b->weights[b->first + chip];
    const prog_buffer *buf = w->next < w->n ? &pb_chip(b, chip)->bufs[w->id[w->next]] : NULL;
    if (!buf || buf->type != t || buf->rows != rows || buf->cols != cols ||
        strncmp(buf->name, name, sizeof buf->name - 1)) {
        if (!b->failed)
            snprintf(b->err, b->errlen, "internal: inference %u asks chip %u for weight '%s', "
                     "which inference 0 did not make there", b->inference, b->first + chip, name);
        b->failed = 1;
        return -1;
    }
    return w->id[w->next++];
}

int32_t pb_buf(pbuild *b, uint32_t chip, const char *name, dtype t, uint32_t rows,
               uint32_t cols, buf_role role)
{
    if (b->failed) return -1;
    if (role == BUF_WEIGHT && b->weights && b->inference > 0)
        return shared_weight(b, chip, name, t, rows, cols);
    int32_t id = chip_add_buffer(pb_chip(b, chip), b->fn, name, t, rows, cols, role);
    if (id < 0) pb_fail(b, name);
    if (id >= 0 && role == BUF_WEIGHT && b->weights) {
        struct pb_weights *w = &b->weights[b->first + chip];
        if (w->n == w->cap) {
            uint32_t nc = w->cap ? 2 * w->cap : 64;
            int32_t *v = realloc(w->id, nc * sizeof *v);
            if (!v) {
                pb_fail(b, name);
                return -1;
            }
            w->id = v;
            w->cap = nc;
        }
        w->id[w->n++] = id;
    }
    return id;
}

int pb_weights_start(pbuild *b)
{
    b->weights = calloc(b->p->n_chips, sizeof *b->weights);
    return b->weights ? 0 : -1;
}

void pb_weights_next_inference(pbuild *b)
{
    for (uint32_t c = 0; b->weights && c < b->p->n_chips; c++) b->weights[c].next = 0;
}

void pb_weights_free(pbuild *b)
{
    for (uint32_t c = 0; b->weights && c < b->p->n_chips; c++) free(b->weights[c].id);
    free(b->weights);
    b->weights = NULL;
}

int32_t pb_tensor(pbuild *b, uint32_t chip, const char *name, uint32_t rows, uint32_t cols,
                  buf_role role, uint32_t layer, uint32_t tensor, uint64_t full_cols,
                  uint32_t r0, uint32_t c0)
{
    int32_t id = pb_buf(b, chip, name, DT_I8, rows, cols, role);
    if (id >= 0 && b->fn && !pb_shared_weight(b, chip, id))
        wl_fill_slice_i8(pb_chip(b, chip)->bufs[id].data, pb_seed(b, tensor), layer, tensor, full_cols,
                         r0, c0, rows, cols);
    return id;
}

void pb_emit(pbuild *b, uint32_t chip, prog_op *op)
{
    if (b->failed) return;
    chip_program *c = pb_chip(b, chip);
    if (op_is_compute(op->kind)) op->work = op_work_of(c, op);
    op->inference = b->inference;
    if (chip_add_op(c, op) < 0) pb_fail(b, op->label);
}

void pb_gemm(pbuild *b, uint32_t chip, const char *label, int32_t a, int32_t w, int32_t c,
             uint32_t m, uint32_t n, uint32_t k, bool trans_b, bool acc)
{
    prog_op op = prog_op_init(OP_GEMM, label);
    op.in[0] = a;
    op.in[1] = w;
    op.out = c;
    op.m = m;
    op.n = n;
    op.k = k;
    op.p.gemm.trans_b = trans_b;
    op.p.gemm.accumulate = acc;
    pb_emit(b, chip, &op);
}

static prog_op unary(op_kind kind, const char *label, int32_t in, int32_t out, uint32_t m,
                     uint32_t n)
{
    prog_op op = prog_op_init(kind, label);
    op.in[0] = in;
    op.out = out;
    op.m = m;
    op.n = n;
    return op;
}

void pb_requant(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t out,
                uint32_t m, uint32_t n, requant_params q)
{
    prog_op op = unary(OP_REQUANT, label, in, out, m, n);
    op.p.requant.q = q;
    pb_emit(b, chip, &op);
}

void pb_softmax(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t out,
                uint32_t m, uint32_t n, requant_params q, bool causal, uint32_t q0)
{
    prog_op op = unary(OP_SOFTMAX, label, in, out, m, n);
    op.p.softmax.in_scale = q;
    op.p.softmax.heads = 1;
    op.p.softmax.q_offset = q0;
    op.p.softmax.causal = causal;
    pb_emit(b, chip, &op);
}

void pb_norm(pbuild *b, uint32_t chip, const char *label, norm_kind kind, int32_t in,
             int32_t gamma, int32_t beta, int32_t out, uint32_t m, uint32_t n,
             requant_params q)
{
    prog_op op = unary(OP_NORM, label, in, out, m, n);
    op.in[1] = gamma;
    op.in[2] = beta;
    op.p.norm.kind = kind;
    op.p.norm.q = q;
    pb_emit(b, chip, &op);
}

void pb_act(pbuild *b, uint32_t chip, const char *label, act_kind kind, int32_t in,
            int32_t out, uint32_t m, uint32_t n, requant_params q)
{
    prog_op op = unary(OP_ACT, label, in, out, m, n);
    op.p.act.kind = kind;
    op.p.act.q = q;
    pb_emit(b, chip, &op);
}

void pb_rope(pbuild *b, uint32_t chip, const char *label, int32_t x, uint32_t m,
             uint32_t head_dim, uint32_t pos0)
{
    prog_op op = unary(OP_ROPE, label, x, x, m, head_dim);
    op.p.rope.heads = 1;
    op.p.rope.head_dim = head_dim;
    op.p.rope.pos0 = pos0;
    pb_emit(b, chip, &op);
}

void pb_add(pbuild *b, uint32_t chip, const char *label, int32_t x, int32_t y, int32_t out,
            uint32_t m, uint32_t n, requant_params qa, requant_params qb)
{
    prog_op op = unary(OP_ADD, label, x, out, m, n);
    op.in[1] = y;
    op.p.add.qa = qa;
    op.p.add.qb = qb;
    pb_emit(b, chip, &op);
}

void pb_mul(pbuild *b, uint32_t chip, const char *label, int32_t x, int32_t y, int32_t out,
            uint32_t m, uint32_t n, requant_params q)
{
    prog_op op = unary(OP_MUL, label, x, out, m, n);
    op.in[1] = y;
    op.p.mul.q = q;
    pb_emit(b, chip, &op);
}

void pb_copy(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t out,
             uint32_t m, uint32_t n, uint32_t dst_row)
{
    prog_op op = unary(OP_COPY, label, in, out, m, n);
    op.p.copy.dst_row = dst_row;
    pb_emit(b, chip, &op);
}

void pb_copy_row(pbuild *b, uint32_t chip, const char *label, int32_t in, uint32_t src_row,
                 int32_t out, uint32_t dst_row, uint32_t n)
{
    prog_op op = unary(OP_COPY, label, in, out, 1, n);
    op.p.copy.src_row = src_row;
    op.p.copy.dst_row = dst_row;
    pb_emit(b, chip, &op);
}

static void pb_collective(pbuild *b, op_kind kind, const char *label, const int32_t *first,
                          size_t stride)
{
    uint32_t coll = b->coll++;
    for (uint32_t c = 0; c < b->n; c++) {
        int32_t id = *(const int32_t *)((const char *)first + c * stride);
        prog_op op = prog_op_init(kind, label);
        op.in[0] = id;
        if (kind != OP_REDUCE) op.out = id;   /* overwritten on every chip */
        if (id >= 0) op.bytes = prog_buffer_bytes(&pb_chip(b, c)->bufs[id]);
        op.collective = coll;
        op.peer = -1;
        if (b->first != 0 || b->n != b->p->n_chips) {
            op.group_first = b->first;
            op.group_size = b->n;
        }
        pb_emit(b, c, &op);
    }
}

void pb_reduce(pbuild *b, const char *label, const int32_t *first, size_t stride)
{
    pb_collective(b, OP_REDUCE, label, first, stride);
}

void pb_bcast(pbuild *b, const char *label, const int32_t *first, size_t stride)
{
    pb_collective(b, OP_BCAST, label, first, stride);
}

static bool sums_everywhere(const pbuild *b)
{
    return b->w->reductions == REDUCE_ON_ALL;
}

void pb_sum(pbuild *b, const char *label, const int32_t *first, size_t stride)
{
    pb_collective(b, sums_everywhere(b) ? OP_ALLREDUCE : OP_REDUCE, label, first, stride);
}

bool pb_merges(const pbuild *b, uint32_t chip)
{
    return chip == b->p->root || sums_everywhere(b);
}

void pb_share(pbuild *b, const char *label, const int32_t *first, size_t stride)
{
    if (!sums_everywhere(b)) pb_collective(b, OP_BCAST, label, first, stride);
}

void pb_transfer(pbuild *b, const char *label, uint32_t src, int32_t src_buf, uint32_t dst,
                 int32_t dst_buf)
{
    if (b->failed) return;
    uint64_t bytes = prog_buffer_bytes(&pb_chip(b, src)->bufs[src_buf]);
    if (bytes != prog_buffer_bytes(&pb_chip(b, dst)->bufs[dst_buf])) {
        snprintf(b->err, b->errlen, "%s: %u-chip transfer between buffers of different sizes",
                 label, b->n);
        b->failed = 1;
        return;
    }
    uint32_t tag = b->tag++;
    char lb[sizeof ((prog_op *)0)->label];
    prog_op s = prog_op_init(OP_SEND, NULL), r = prog_op_init(OP_RECV, NULL);
    snprintf(lb, sizeof lb, "%.30s>%u", label, b->first + dst);
    memcpy(s.label, lb, sizeof lb);
    snprintf(lb, sizeof lb, "%.30s<%u", label, b->first + src);
    memcpy(r.label, lb, sizeof lb);
    s.in[0] = src_buf;
    r.in[0] = dst_buf;
    s.peer = (int32_t)(b->first + dst);
    r.peer = (int32_t)(b->first + src);
    s.tag = r.tag = tag;
    s.collective = r.collective = PROG_NOT_COLLECTIVE;
    s.bytes = r.bytes = bytes;
    s.work.bytes_read = bytes;
    r.work.bytes_written = bytes;
    pb_emit(b, src, &s);
    pb_emit(b, dst, &r);
}

int32_t pb_gamma(pbuild *b, uint32_t chip, const char *name, uint32_t cols, uint32_t layer,
                 uint32_t tensor)
{
    int32_t id = pb_tensor(b, chip, name, 1, cols, BUF_WEIGHT, layer, tensor, cols, 0, 0);
    if (id >= 0 && b->fn && !pb_shared_weight(b, chip, id)) {
        /* gamma near 1.0 (64 in K_GAMMA_FRAC 6): 48..79, i.e. 0.75..1.23 */
        int8_t *g = pb_chip(b, chip)->bufs[id].data;
        for (uint32_t i = 0; i < cols; i++) g[i] = (int8_t)(48 + ((uint8_t)g[i] & 31));
    }
    return id;
}

void pb_shift_down(pbuild *b, uint32_t chip, int32_t id, int shr)
{
    if (id < 0 || !b->fn || pb_shared_weight(b, chip, id)) return;
    prog_buffer *buf = &pb_chip(b, chip)->bufs[id];
    int8_t *v = buf->data;
    for (size_t i = 0; i < prog_buffer_bytes(buf); i++) v[i] = (int8_t)(v[i] >> shr);
}

void pb_copy_cols(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t out,
                  uint32_t m, uint32_t n, uint32_t src_col, uint32_t dst_col)
{
    prog_op op = unary(OP_COPY, label, in, out, m, n);
    op.p.copy.src_col = src_col;
    op.p.copy.dst_col = dst_col;
    pb_emit(b, chip, &op);
}

void pb_requant_bias(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t bias,
                     int32_t out, uint32_t m, uint32_t n, requant_params q)
{
    prog_op op = unary(OP_REQUANT, label, in, out, m, n);
    op.in[1] = bias;
    op.p.requant.q = q;
    pb_emit(b, chip, &op);
}

int32_t pb_i32_row(pbuild *b, uint32_t chip, const char *name, uint32_t cols, uint32_t layer,
                   uint32_t tensor, uint32_t c0, int32_t mult)
{
    int32_t id = pb_buf(b, chip, name, DT_I32, 1, cols, BUF_WEIGHT);
    if (id >= 0 && b->fn && !pb_shared_weight(b, chip, id)) {
        int32_t *v = pb_chip(b, chip)->bufs[id].data;
        for (uint32_t i = 0; i < cols; i++)
            v[i] = (int32_t)wl_rand_i8(b->w->seed, layer, tensor, (uint64_t)c0 + i) * mult;
    }
    return id;
}

void pb_linear_cols(pbuild *b, uint32_t chip, const char *name, int32_t in, int32_t acc,
                    int32_t out, uint32_t k, uint32_t cols, uint32_t layer, uint32_t tensor,
                    uint64_t full_cols, uint32_t c0, int bias_tensor)
{
    char lb[sizeof ((prog_op *)0)->label];
    int32_t w = pb_tensor(b, chip, name, k, cols, BUF_WEIGHT, layer, tensor, full_cols, 0, c0);
    pb_gemm(b, chip, name, in, w, acc, b->S, cols, k, false, false);
    int32_t bias = -1;
    if (bias_tensor >= 0) {
        snprintf(lb, sizeof lb, "%s.bias", name);
        bias = pb_i32_row(b, chip, lb, cols, layer, (uint32_t)bias_tensor, c0, wlq_bias_mult(k));
    }
    snprintf(lb, sizeof lb, "%s.rq", name);
    /* with bias -1 this is exactly pb_requant's op (in[1] stays -1) */
    pb_requant_bias(b, chip, lb, acc, bias, out, b->S, cols, wlq_proj(k));
}

void pb_input(pbuild *b, int32_t id)
{
    uint32_t root = b->p->root, E = (uint32_t)b->w->dims.dim;
    if (!b->failed && b->fn)
        wl_fill_slice_i8(pb_chip(b, root)->bufs[id].data, b->data_seed, 0, T_INPUT, E, 0, 0, b->S,
                         E);
    pb_shift_down(b, root, id, 2);
}

void pb_head_scratch(pbuild *b, uint32_t chip, pb_head *hd)
{
    uint32_t P = (uint32_t)b->w->dims.head_dim, S = b->S, T = b->T;
    hd->acc = pb_buf(b, chip, "head_acc", DT_I32, S, P, BUF_ACTIVATION);
    hd->q = pb_buf(b, chip, "q", DT_I8, S, P, BUF_ACTIVATION);
    hd->k = pb_buf(b, chip, "k", DT_I8, S, P, BUF_ACTIVATION);
    hd->v = pb_buf(b, chip, "v", DT_I8, S, P, BUF_ACTIVATION);
    hd->scores = pb_buf(b, chip, "scores", DT_I32, S, T, BUF_ACTIVATION);
    hd->probs = pb_buf(b, chip, "probs", DT_U8, S, T, BUF_ACTIVATION);
    hd->ctx = pb_buf(b, chip, "ctx", DT_I8, S, P, BUF_ACTIVATION);
}

void pb_head_attention(pbuild *b, uint32_t chip, const pb_head *hd, uint32_t layer,
                       uint32_t head, int32_t keys, int32_t values, bool causal,
                       uint32_t out_cols, int32_t partial, bool accumulate)
{
    uint32_t P = (uint32_t)b->w->dims.head_dim, S = b->S, T = b->T;
    char lb[sizeof ((prog_op *)0)->label];
    snprintf(lb, sizeof lb, "b%u.h%u.scores", layer, head);
    pb_gemm(b, chip, lb, hd->q, keys, hd->scores, S, T, P, true, false);
    snprintf(lb, sizeof lb, "b%u.h%u.softmax", layer, head);
    pb_softmax(b, chip, lb, hd->scores, hd->probs, S, T, wlq_softmax(P), causal, b->pos0);
    snprintf(lb, sizeof lb, "b%u.h%u.ctx", layer, head);
    pb_gemm(b, chip, lb, hd->probs, values, hd->acc, S, P, T, false, false);
    snprintf(lb, sizeof lb, "b%u.h%u.ctx.rq", layer, head);
    pb_requant(b, chip, lb, hd->acc, hd->ctx, S, P, wlq_ctx());
    snprintf(lb, sizeof lb, "b%u.h%u.wo", layer, head);
    int32_t wo = pb_tensor(b, chip, lb, P, out_cols, BUF_WEIGHT, layer, T_WO, out_cols,
                           head * P, 0);
    pb_gemm(b, chip, lb, hd->ctx, wo, partial, S, out_cols, P, false, accumulate);
}
