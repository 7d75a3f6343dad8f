/* The model graph of a llama inference (llama2.c: RMSNorm, RoPE, SwiGLU;
 * classifier tied to the token embedding).
 *
 *   prologue  residual = embedded input (pseudo-random; or the embedding
 *             lookup of the input tokens with head: true)
 *   block     x = RMSNorm(residual) · g_att
 *             q, k, v = x·Wq, x·Wk, x·Wv (requant each)
 *             ctx = attention(q, k, v): RoPE on q and k, causal, K/V cache
 *             residual += requant(ctx·Wo)
 *             x = RMSNorm(residual) · g_ffn
 *             residual += requant((SiLU(x·W1) ⊙ x·W3)·W2)
 *   epilogue  x = RMSNorm(residual) · g_final; logits = x[last]·Embᵀ (head: true)
 * The output is x, or the logits with head: true. */
#include "model_graph.h"
#include "quant_rules.h"

typedef struct lv {
    int32_t h, x, q, k, v, ctx, o, f1, s, f3, gate, logits;
} lv;

static int values(model_graph *g, const model_dims *d, bool head, lv *v)
{
    uint32_t S = g->S, E = (uint32_t)d->dim, F = (uint32_t)d->ffn_hidden;
    uint32_t HP = (uint32_t)(d->n_heads * d->head_dim);
    uint32_t KP = (uint32_t)(d->n_kv_heads * d->head_dim);
    v->h = graph_add_value(g, "residual", S, E, DT_I8, BUF_RESIDUAL);
    v->x = graph_add_value(g, "x", S, E, DT_I8, BUF_ACTIVATION);
    v->q = graph_add_value(g, "q", S, HP, DT_I8, BUF_ACTIVATION);
    v->k = graph_add_value(g, "k", S, KP, DT_I8, BUF_ACTIVATION);
    v->v = graph_add_value(g, "v", S, KP, DT_I8, BUF_ACTIVATION);
    v->ctx = graph_add_value(g, "ctx", S, HP, DT_I8, BUF_ACTIVATION);
    v->o = graph_add_value(g, "proj", S, E, DT_I8, BUF_ACTIVATION);
    v->f1 = graph_add_value(g, "ffn_h1", S, F, DT_I8, BUF_ACTIVATION);
    v->s = graph_add_value(g, "ffn_silu", S, F, DT_I8, BUF_ACTIVATION);
    v->f3 = graph_add_value(g, "ffn_h3", S, F, DT_I8, BUF_ACTIVATION);
    v->gate = graph_add_value(g, "ffn_gate", S, F, DT_I8, BUF_ACTIVATION);
    v->logits = GRAPH_NONE;
    if (head) {
        v->logits = graph_add_value(g, "logits", 1, (uint32_t)d->vocab, DT_I32, BUF_ACTIVATION);
        if (v->logits == GRAPH_NONE) return -1;
    }
    const int32_t all[] = {v->h, v->x, v->q, v->k, v->v, v->ctx, v->o, v->f1, v->s, v->f3,
                           v->gate};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i] == GRAPH_NONE) return -1;
    return 0;
}

static int add(model_graph *g, graph_section s, const graph_op *op)
{
    return graph_add_op(g, s, op);
}

static int rmsnorm(model_graph *g, graph_section s, const char *name, int32_t in, int32_t out,
                   uint32_t E, int32_t gamma, uint32_t key_mul)
{
    graph_op op = graph_op_init(GOP_NORM, name);
    op.in[0] = in;
    op.out = out;
    op.n = E;
    op.norm = NORM_RMS;
    op.w = graph_tensor_of(gamma, key_mul, 0, 1);
    op.q = wlq_norm();
    return add(g, s, &op);
}

static int linear(model_graph *g, const char *name, int32_t in, int32_t out, uint32_t k,
                  uint32_t n, int32_t tensor)
{
    graph_op op = graph_op_init(GOP_LINEAR, name);
    op.in[0] = in;
    op.out = out;
    op.k = k;
    op.n = n;
    op.w = graph_tensor_of(tensor, 1, 0, 1);
    op.q = wlq_proj(k);
    return add(g, GRAPH_BLOCK, &op);
}

static int residual_add(model_graph *g, const char *name, int32_t h, int32_t o, uint32_t E)
{
    graph_op op = graph_op_init(GOP_ADD, name);
    op.in[0] = h;
    op.in[1] = o;
    op.out = h;
    op.n = E;
    op.q = op.q2 = wlq_identity();
    return add(g, GRAPH_BLOCK, &op);
}

static int attention(model_graph *g, const model_dims *d, const lv *v)
{
    graph_op op = graph_op_init(GOP_ATTENTION, "attn");
    op.in[0] = v->q;
    op.in[1] = v->k;
    op.in[2] = v->v;
    op.out = v->ctx;
    op.n = (uint32_t)(d->n_heads * d->head_dim);
    op.attn = (graph_attention){(uint32_t)d->n_heads, (uint32_t)d->n_kv_heads,
                                (uint32_t)d->head_dim, true, true, true,
                                wlq_softmax(d->head_dim), wlq_ctx()};
    return add(g, GRAPH_BLOCK, &op);
}

static int ffn(model_graph *g, const model_dims *d, const lv *v)
{
    uint32_t E = (uint32_t)d->dim, F = (uint32_t)d->ffn_hidden;
    graph_op act = graph_op_init(GOP_ACT, "ffn.silu");
    act.in[0] = v->f1;
    act.out = v->s;
    act.n = F;
    act.act = ACT_SILU;
    act.q = wlq_act();
    graph_op mul = graph_op_init(GOP_MUL, "ffn.gate");
    mul.in[0] = v->s;
    mul.in[1] = v->f3;
    mul.out = v->gate;
    mul.n = F;
    mul.q = wlq_mul();
    if (linear(g, "ffn.w1", v->x, v->f1, E, F, T_W1) || add(g, GRAPH_BLOCK, &act) ||
        linear(g, "ffn.w3", v->x, v->f3, E, F, T_W3) || add(g, GRAPH_BLOCK, &mul) ||
        linear(g, "ffn.w2", v->gate, v->o, F, E, T_W2))
        return -1;
    return residual_add(g, "ffn.residual", v->h, v->o, E);
}

int graph_build_llama(model_graph *g, const workload_params *w)
{
    const model_dims *d = &w->dims;
    uint32_t E = (uint32_t)d->dim, HP = (uint32_t)(d->n_heads * d->head_dim);
    uint32_t KP = (uint32_t)(d->n_kv_heads * d->head_dim);
    lv v;
    if (values(g, d, w->head, &v)) return -1;
    g->stream = v.h;
    g->output = w->head ? v.logits : v.x;

    graph_op in = graph_op_init(w->head ? GOP_EMBED : GOP_INPUT, w->head ? "embed" : "input");
    in.out = v.h;
    in.k = E;
    in.n = w->head ? (uint32_t)d->vocab : E;
    if (w->head) in.w = graph_tensor_of(T_EMBED, 0, 0, 1);
    if (add(g, GRAPH_PROLOGUE, &in)) return -1;

    if (rmsnorm(g, GRAPH_BLOCK, "attn.norm", v.h, v.x, E, T_G_ATT, 1) ||
        linear(g, "attn.wq", v.x, v.q, E, HP, T_WQ) ||
        linear(g, "attn.wk", v.x, v.k, E, KP, T_WK) ||
        linear(g, "attn.wv", v.x, v.v, E, KP, T_WV) || attention(g, d, &v) ||
        linear(g, "attn.wo", v.ctx, v.o, HP, E, T_WO) ||
        residual_add(g, "attn.residual", v.h, v.o, E) ||
        rmsnorm(g, GRAPH_BLOCK, "ffn.norm", v.h, v.x, E, T_G_FFN, 1) || ffn(g, d, &v))
        return -1;

    if (rmsnorm(g, GRAPH_EPILOGUE, "final.norm", v.h, v.x, E, T_G_FINAL, 0)) return -1;
    if (!w->head) return 0;
    graph_op lm = graph_op_init(GOP_LM_HEAD, "head");
    lm.in[0] = v.x;
    lm.out = v.logits;
    lm.k = E;
    lm.n = (uint32_t)d->vocab;
    lm.w = graph_tensor_of(T_EMBED, 0, 0, 1);
    return add(g, GRAPH_EPILOGUE, &lm);
}
