/* A model graph emitted whole on one chip (see graph_whole.h). Each graph
 * op becomes the plainest program that computes it: a linear is one GEMM
 * over its whole weight and one requant; attention walks the heads, copying
 * each head's columns out of q, k, v and its context back into the output. */
#include "graph_whole.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scratch sizes, shared by the emitter and the size estimate ---- */

typedef struct scratch_dims {
    uint32_t acc_cols;            /* widest int32 accumulator row */
    uint32_t head_dim, keys;      /* attention scratch (head_dim 0: none) */
    bool table, last;             /* an embedding table; an LM-head input row */
} scratch_dims;

static uint32_t attn_keys(const model_graph *g, const graph_op *op)
{
    return op->attn.kv_cache ? g->T : g->S;
}

static scratch_dims scratch_of(const model_graph *g)
{
    scratch_dims s = {1, 0, 0, false, false};
    for (int sec = 0; sec < GRAPH__SECTIONS; sec++)
        for (uint32_t i = 0; i < g->n_ops[sec]; i++) {
            const graph_op *op = &g->ops[sec][i];
            if (op->kind == GOP_LINEAR && op->n > s.acc_cols) s.acc_cols = op->n;
            if (op->kind == GOP_ATTENTION) {
                if (op->attn.head_dim > s.acc_cols) s.acc_cols = op->attn.head_dim;
                if (op->attn.head_dim > s.head_dim) s.head_dim = op->attn.head_dim;
                if (attn_keys(g, op) > s.keys) s.keys = attn_keys(g, op);
            }
            if (op->kind == GOP_EMBED || op->kind == GOP_LM_HEAD) s.table = true;
            if (op->kind == GOP_LM_HEAD && g->S > 1) s.last = true;
        }
    return s;
}

/* ---- setup ---- */

int graph_chip_setup(pbuild *b, uint32_t chip, graph_chip *gc)
{
    const model_graph *g = b->g;
    memset(gc, 0, sizeof *gc);
    gc->chip = chip;
    gc->table = gc->last = -1;
    gc->qh = gc->kh = gc->vh = gc->ctxh = gc->scores = gc->probs = -1;
    gc->val = malloc((g->n_values ? g->n_values : 1) * sizeof *gc->val);
    if (!gc->val) {
        snprintf(b->err, b->errlen, "out of memory");
        b->failed = 1;
        return -1;
    }
    for (uint32_t v = 0; v < g->n_values; v++) {
        const graph_value *gv = &g->values[v];
        gc->val[v] = pb_buf(b, chip, gv->name, gv->type, gv->rows, gv->cols, gv->role);
    }
    scratch_dims s = scratch_of(g);
    gc->acc = pb_buf(b, chip, "acc", DT_I32, g->S, s.acc_cols, BUF_ACTIVATION);
    if (s.head_dim) {
        uint32_t P = s.head_dim, S = g->S;
        gc->qh = pb_buf(b, chip, "head_q", DT_I8, S, P, BUF_ACTIVATION);
        gc->kh = pb_buf(b, chip, "head_k", DT_I8, S, P, BUF_ACTIVATION);
        gc->vh = pb_buf(b, chip, "head_v", DT_I8, S, P, BUF_ACTIVATION);
        gc->ctxh = pb_buf(b, chip, "head_ctx", DT_I8, S, P, BUF_ACTIVATION);
        gc->scores = pb_buf(b, chip, "scores", DT_I32, S, s.keys, BUF_ACTIVATION);
        gc->probs = pb_buf(b, chip, "probs", DT_U8, S, s.keys, BUF_ACTIVATION);
    }
    if (s.last) gc->last = pb_buf(b, chip, "head_in", DT_I8, 1, (uint32_t)b->w->dims.dim,
                                  BUF_ACTIVATION);
    return b->failed ? -1 : 0;
}

void graph_chip_release(graph_chip *gc)
{
    free(gc->val);
    gc->val = NULL;
}

/* ---- one op ---- */

typedef struct emit_ctx {
    pbuild *b;
    graph_chip *gc;
    uint32_t block;
    bool in_block;        /* labels carry b<block>. */
} emit_ctx;

/* Labels longer than the buffer are cut: they only name ops in dumps. */
static void label(const emit_ctx *x, const char *name, const char *suffix, char *buf, size_t len)
{
    int n = x->in_block ? snprintf(buf, len, "b%u.%s%s", x->block, name, suffix)
                        : snprintf(buf, len, "%s%s", name, suffix);
    if (n < 0 && len) buf[0] = '\0';
}

static int32_t val(const emit_ctx *x, int32_t v)
{
    return v == GRAPH_NONE ? -1 : x->gc->val[v];
}

static void embed_table(const emit_ctx *x, uint32_t V, uint32_t E)
{
    graph_chip *gc = x->gc;
    if (gc->table >= 0) return;
    gc->table = pb_tensor(x->b, gc->chip, "embed.table", V, E, BUF_WEIGHT, 0, T_EMBED, E, 0, 0);
    /* activation range: the looked-up row is the residual stream itself */
    pb_shift_down(x->b, gc->chip, gc->table, 2);
}

static void emit_input(const emit_ctx *x, const graph_op *op)
{
    pbuild *b = x->b;
    int32_t id = val(x, op->out);
    if (!b->failed && b->fn)
        wl_fill_slice_i8(pb_chip(b, x->gc->chip)->bufs[id].data, b->data_seed, 0, T_INPUT, op->n, 0,
                         0, b->g->S, op->n);
    pb_shift_down(b, x->gc->chip, id, 2);
}

static void emit_embed(const emit_ctx *x, const graph_op *op)
{
    pbuild *b = x->b;
    const model_graph *g = b->g;
    char lb[48];
    embed_table(x, op->n, op->k);
    label(x, op->name, ".lookup", lb, sizeof lb);
    for (uint32_t s = 0; s < g->S; s++) {
        uint32_t tok = wl_token(b->data_seed, (uint64_t)g->pos0 + s, op->n);
        pb_copy_row(b, x->gc->chip, lb, x->gc->table, tok, val(x, op->out), s, op->k);
    }
}

static void emit_norm(const emit_ctx *x, const graph_op *op)
{
    pbuild *b = x->b;
    uint32_t chip = x->gc->chip, key = graph_key(&op->w, x->block);
    char lb[48], gn[48], bn[48];
    label(x, op->name, "", lb, sizeof lb);
    label(x, op->name, "_g", gn, sizeof gn);
    int32_t gamma = pb_gamma(b, chip, gn, op->n, key, (uint32_t)op->w.id);
    int32_t beta = -1;
    if (op->bias.id != GRAPH_NONE) {
        label(x, op->name, "_b", bn, sizeof bn);
        beta = pb_i32_row(b, chip, bn, op->n, graph_key(&op->bias, x->block),
                          (uint32_t)op->bias.id, 0, op->bias.mult);
    }
    pb_norm(b, chip, lb, op->norm, val(x, op->in[0]), gamma, beta, val(x, op->out), b->g->S,
            op->n, op->q);
}

static void emit_linear(const emit_ctx *x, const graph_op *op)
{
    pbuild *b = x->b;
    uint32_t chip = x->gc->chip, S = b->g->S;
    char lb[48];
    label(x, op->name, "", lb, sizeof lb);
    int32_t w = pb_tensor(b, chip, lb, op->k, op->n, BUF_WEIGHT, graph_key(&op->w, x->block),
                          (uint32_t)op->w.id, op->n, 0, 0);
    pb_gemm(b, chip, lb, val(x, op->in[0]), w, x->gc->acc, S, op->n, op->k, false, false);
    int32_t bias = -1;
    if (op->bias.id != GRAPH_NONE) {
        char bn[48];
        label(x, op->name, ".bias", bn, sizeof bn);
        bias = pb_i32_row(b, chip, bn, op->n, graph_key(&op->bias, x->block),
                          (uint32_t)op->bias.id, 0, op->bias.mult);
    }
    label(x, op->name, ".rq", lb, sizeof lb);
    pb_requant_bias(b, chip, lb, x->gc->acc, bias, val(x, op->out), S, op->n, op->q);
}

/* K/V head g's keys and values: its columns of k and v (RoPE on k), and
 * with a cache the T-row cache they are appended to at pos0. */
static void kv_head(const emit_ctx *x, const graph_op *op, uint32_t g, int32_t *keys,
                    int32_t *values)
{
    pbuild *b = x->b;
    graph_chip *gc = x->gc;
    const graph_attention *a = &op->attn;
    uint32_t chip = gc->chip, S = b->g->S, P = a->head_dim, T = b->g->T;
    uint32_t KP = a->kv_heads * P, key = x->block;
    char lb[48], nm[48];
    snprintf(nm, sizeof nm, "%s.g%u.k", op->name, g);
    label(x, nm, "", lb, sizeof lb);
    pb_copy_cols(b, chip, lb, val(x, op->in[1]), gc->kh, S, P, g * P, 0);
    if (a->rope) {
        label(x, nm, ".rope", lb, sizeof lb);
        pb_rope(b, chip, lb, gc->kh, S, P, b->g->pos0);
    }
    snprintf(nm, sizeof nm, "%s.g%u.v", op->name, g);
    label(x, nm, "", lb, sizeof lb);
    pb_copy_cols(b, chip, lb, val(x, op->in[2]), gc->vh, S, P, g * P, 0);
    *keys = gc->kh;
    *values = gc->vh;
    if (!a->kv_cache) return;
    snprintf(nm, sizeof nm, "%s.g%u.kcache", op->name, g);
    label(x, nm, "", lb, sizeof lb);
    int32_t kc = pb_tensor(b, chip, lb, T, P, BUF_KV_CACHE, key, T_KCACHE, KP, 0, g * P);
    snprintf(nm, sizeof nm, "%s.g%u.vcache", op->name, g);
    label(x, nm, "", lb, sizeof lb);
    int32_t vc = pb_tensor(b, chip, lb, T, P, BUF_KV_CACHE, key, T_VCACHE, KP, 0, g * P);
    /* the pre-filled rows at activation scale, like the new ones */
    pb_shift_down(b, chip, kc, 2);
    pb_shift_down(b, chip, vc, 2);
    snprintf(nm, sizeof nm, "%s.g%u.kv_k", op->name, g);
    label(x, nm, "", lb, sizeof lb);
    pb_copy(b, chip, lb, gc->kh, kc, S, P, b->g->pos0);
    snprintf(nm, sizeof nm, "%s.g%u.kv_v", op->name, g);
    label(x, nm, "", lb, sizeof lb);
    pb_copy(b, chip, lb, gc->vh, vc, S, P, b->g->pos0);
    *keys = kc;
    *values = vc;
}

static void query_head(const emit_ctx *x, const graph_op *op, uint32_t h, int32_t keys,
                       int32_t values)
{
    pbuild *b = x->b;
    graph_chip *gc = x->gc;
    const graph_attention *a = &op->attn;
    uint32_t chip = gc->chip, S = b->g->S, P = a->head_dim, T = attn_keys(b->g, op);
    char lb[48], nm[48];
    snprintf(nm, sizeof nm, "%s.h%u", op->name, h);
    label(x, nm, ".q", lb, sizeof lb);
    pb_copy_cols(b, chip, lb, val(x, op->in[0]), gc->qh, S, P, h * P, 0);
    if (a->rope) {
        label(x, nm, ".rope", lb, sizeof lb);
        pb_rope(b, chip, lb, gc->qh, S, P, b->g->pos0);
    }
    label(x, nm, ".scores", lb, sizeof lb);
    pb_gemm(b, chip, lb, gc->qh, keys, gc->scores, S, T, P, true, false);
    label(x, nm, ".softmax", lb, sizeof lb);
    pb_softmax(b, chip, lb, gc->scores, gc->probs, S, T, a->scores, a->causal, b->g->pos0);
    label(x, nm, ".ctx", lb, sizeof lb);
    pb_gemm(b, chip, lb, gc->probs, values, gc->acc, S, P, T, false, false);
    label(x, nm, ".ctx.rq", lb, sizeof lb);
    pb_requant(b, chip, lb, gc->acc, gc->ctxh, S, P, a->ctx);
    label(x, nm, ".out", lb, sizeof lb);
    pb_copy_cols(b, chip, lb, gc->ctxh, val(x, op->out), S, P, 0, h * P);
}

static void emit_attention(const emit_ctx *x, const graph_op *op)
{
    const graph_attention *a = &op->attn;
    uint32_t group = a->heads / a->kv_heads;
    for (uint32_t g = 0; g < a->kv_heads; g++) {
        int32_t keys, values;
        kv_head(x, op, g, &keys, &values);
        for (uint32_t h = g * group; h < (g + 1) * group; h++) query_head(x, op, h, keys, values);
    }
}

static void emit_lm_head(const emit_ctx *x, const graph_op *op)
{
    pbuild *b = x->b;
    graph_chip *gc = x->gc;
    uint32_t E = op->k, V = op->n;
    char lb[48];
    embed_table(x, V, E);
    int32_t in = val(x, op->in[0]);
    if (b->g->S > 1) {
        label(x, op->name, ".last_row", lb, sizeof lb);
        pb_copy_row(b, gc->chip, lb, in, b->g->S - 1, gc->last, 0, E);
        in = gc->last;
    }
    label(x, op->name, ".logits", lb, sizeof lb);
    pb_gemm(b, gc->chip, lb, in, gc->table, val(x, op->out), 1, V, E, true, false);
}

static void emit_op(const emit_ctx *x, const graph_op *op)
{
    pbuild *b = x->b;
    uint32_t chip = x->gc->chip, S = b->g->S;
    char lb[48];
    label(x, op->name, "", lb, sizeof lb);
    switch (op->kind) {
    case GOP_INPUT: emit_input(x, op); break;
    case GOP_EMBED: emit_embed(x, op); break;
    case GOP_NORM: emit_norm(x, op); break;
    case GOP_LINEAR: emit_linear(x, op); break;
    case GOP_ATTENTION: emit_attention(x, op); break;
    case GOP_ACT: pb_act(b, chip, lb, op->act, val(x, op->in[0]), val(x, op->out), S, op->n, op->q); break;
    case GOP_MUL:
        pb_mul(b, chip, lb, val(x, op->in[0]), val(x, op->in[1]), val(x, op->out), S, op->n, op->q);
        break;
    case GOP_ADD:
        pb_add(b, chip, lb, val(x, op->in[0]), val(x, op->in[1]), val(x, op->out), S, op->n, op->q,
               op->q2);
        break;
    case GOP_SLICE:
        pb_copy_cols(b, chip, lb, val(x, op->in[0]), val(x, op->out), S, op->n, op->col, 0);
        break;
    case GOP_LM_HEAD: emit_lm_head(x, op); break;
    }
}

void graph_emit_section(pbuild *b, graph_chip *gc, graph_section s, uint32_t block)
{
    emit_ctx x = {b, gc, block, s == GRAPH_BLOCK};
    for (uint32_t i = 0; i < b->g->n_ops[s] && !b->failed; i++) emit_op(&x, &b->g->ops[s][i]);
}

void graph_emit_inference(pbuild *b, graph_chip *gc)
{
    graph_emit_section(b, gc, GRAPH_PROLOGUE, 0);
    for (uint32_t l = 0; l < b->g->blocks && !b->failed; l++)
        graph_emit_section(b, gc, GRAPH_BLOCK, l);
    graph_emit_section(b, gc, GRAPH_EPILOGUE, 0);
}

/* ---- size, step by step as above ---- */

typedef struct tally {
    double ops, buffers, bytes, wbuffers, wbytes;
} tally;

static void add_buf(tally *t, double bytes)
{
    t->buffers += 1;
    t->bytes += bytes;
}

static void add_weight(tally *t, double bytes)
{
    add_buf(t, bytes);
    t->wbuffers += 1;
    t->wbytes += bytes;
}

static void size_op(const model_graph *g, const graph_op *op, bool *table, tally *t)
{
    double S = g->S, n = op->n, k = op->k;
    switch (op->kind) {
    case GOP_INPUT: break;
    case GOP_EMBED:
    case GOP_LM_HEAD:
        if (!*table) add_weight(t, n * k);
        *table = true;
        t->ops += op->kind == GOP_EMBED ? S : (g->S > 1 ? 2 : 1);
        break;
    case GOP_NORM:
        add_weight(t, n);
        if (op->bias.id != GRAPH_NONE) add_weight(t, 4 * n);
        t->ops += 1;
        break;
    case GOP_LINEAR:
        add_weight(t, k * n);
        if (op->bias.id != GRAPH_NONE) add_weight(t, 4 * n);
        t->ops += 2;
        break;
    case GOP_ATTENTION: {
        const graph_attention *a = &op->attn;
        double kv = a->kv_heads, heads = a->heads, rope = a->rope ? 1 : 0;
        t->ops += kv * (2 + rope) + heads * (6 + rope);
        if (a->kv_cache) {
            t->ops += 2 * kv;
            t->buffers += 2 * kv;
            t->bytes += 2 * kv * (double)g->T * a->head_dim;
        }
        break;
    }
    case GOP_ACT:
    case GOP_MUL:
    case GOP_ADD:
    case GOP_SLICE: t->ops += 1; break;
    }
}

static void add_tally(program_size *out, const tally *t)
{
    out->ops += t->ops;
    out->buffers += t->buffers;
    out->data_bytes += t->bytes;
    out->weight_buffers += t->wbuffers;
    out->weight_bytes += t->wbytes;
}

void graph_setup_size(const model_graph *g, program_size *out)
{
    tally t = {0, 0, 0, 0, 0};
    for (uint32_t v = 0; v < g->n_values; v++) {
        const graph_value *gv = &g->values[v];
        add_buf(&t, (double)gv->rows * gv->cols * (double)dtype_size(gv->type));
    }
    scratch_dims s = scratch_of(g);
    double S = g->S;
    add_buf(&t, 4 * S * s.acc_cols);
    if (s.head_dim) {
        for (int i = 0; i < 4; i++) add_buf(&t, S * s.head_dim);
        add_buf(&t, 4 * S * s.keys);
        add_buf(&t, S * s.keys);
    }
    if (s.last) add_buf(&t, (double)g->values[g->stream].cols);
    add_tally(out, &t);
}

void graph_section_size(const model_graph *g, graph_section sec, bool *table, program_size *out)
{
    tally t = {0, 0, 0, 0, 0};
    for (uint32_t i = 0; i < g->n_ops[sec]; i++) size_op(g, &g->ops[sec][i], table, &t);
    add_tally(out, &t);
}

void graph_whole_size(const model_graph *g, program_size *out)
{
    memset(out, 0, sizeof *out);
    bool table = false;
    program_size block;
    memset(&block, 0, sizeof block);
    graph_setup_size(g, out);
    graph_section_size(g, GRAPH_PROLOGUE, &table, out);
    graph_section_size(g, GRAPH_BLOCK, &table, &block);
    graph_section_size(g, GRAPH_EPILOGUE, &table, out);
    partition_size_add(out, &block, g->blocks);
}

void partition_size_add(program_size *out, const program_size *part, double times)
{
    out->ops += times * part->ops;
    out->buffers += times * part->buffers;
    out->data_bytes += times * part->data_bytes;
    out->weight_buffers += times * part->weight_buffers;
    out->weight_bytes += times * part->weight_bytes;
}
