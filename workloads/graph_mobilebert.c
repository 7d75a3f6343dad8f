/* The model graph of a MobileBERT encoder pass (Sun et al. 2020; HF config:
 * use_bottleneck, key_query_shared_bottleneck, no bottleneck attention,
 * NoNorm, ReLU). E = dim, B = bottleneck = heads·P, F = ffn_hidden, NF
 * stacked FFNs; every linear has a bias, every NoNorm a gamma and a beta.
 *
 *   prologue  x = embedded input (pseudo-random: the embedding is out of scope)
 *   block     bn = NoNorm(x·[W_in | W_att] + b)            (E -> 2B, both bottlenecks)
 *             layer_input = bn[:, 0..B], qk = bn[:, B..2B]
 *             q, k = qk·Wq + bq, qk·Wk + bk;  v = x·Wv + bv (V reads the block input)
 *             ctx = attention(q, k, v): bidirectional, keys are the S rows themselves
 *             a = NoNorm(½·layer_input + ½·(ctx·Wo + bo))
 *             NF times: a = NoNorm(½·a + ½·(ReLU(a·W1 + b1)·W2 + b2))
 *             x = NoNorm(½·x + ½·(a·W_out + b_out))        (B -> E)
 * FFN i of block l draws its tensors under the key l·NF + i. The output is
 * the last block's x (the task heads are out of scope). */
#include <stdio.h>

#include "model_graph.h"
#include "quant_rules.h"

typedef struct mv {
    int32_t x, bn, bnn, lin, qk, q, k, v, ctx, o, t, a, fh, fr, o2, t2;
} mv;

static int values(model_graph *g, const model_dims *d, mv *v)
{
    uint32_t S = g->S, E = (uint32_t)d->dim, B = (uint32_t)d->bottleneck;
    uint32_t F = (uint32_t)d->ffn_hidden;
    v->x = graph_add_value(g, "x", S, E, DT_I8, BUF_RESIDUAL);
    v->bn = graph_add_value(g, "bneck_rq", S, 2 * B, DT_I8, BUF_ACTIVATION);
    v->bnn = graph_add_value(g, "bneck_norm", S, 2 * B, DT_I8, BUF_ACTIVATION);
    v->lin = graph_add_value(g, "layer_input", S, B, DT_I8, BUF_ACTIVATION);
    v->qk = graph_add_value(g, "qk_in", S, B, DT_I8, BUF_ACTIVATION);
    v->q = graph_add_value(g, "q", S, B, DT_I8, BUF_ACTIVATION);
    v->k = graph_add_value(g, "k", S, B, DT_I8, BUF_ACTIVATION);
    v->v = graph_add_value(g, "v", S, B, DT_I8, BUF_ACTIVATION);
    v->ctx = graph_add_value(g, "ctx", S, B, DT_I8, BUF_ACTIVATION);
    v->o = graph_add_value(g, "proj", S, B, DT_I8, BUF_ACTIVATION);
    v->t = graph_add_value(g, "residual_sum", S, B, DT_I8, BUF_ACTIVATION);
    v->a = graph_add_value(g, "a", S, B, DT_I8, BUF_ACTIVATION);
    v->fh = graph_add_value(g, "ffn_h", S, F, DT_I8, BUF_ACTIVATION);
    v->fr = graph_add_value(g, "ffn_relu", S, F, DT_I8, BUF_ACTIVATION);
    v->o2 = graph_add_value(g, "out_proj", S, E, DT_I8, BUF_ACTIVATION);
    v->t2 = graph_add_value(g, "out_residual_sum", S, E, DT_I8, BUF_ACTIVATION);
    const int32_t all[] = {v->x, v->bn, v->bnn, v->lin, v->qk, v->q, v->k, v->v,
                           v->ctx, v->o, v->t, v->a, v->fh, v->fr, v->o2, v->t2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i] == GRAPH_NONE) return -1;
    return 0;
}

/* A linear with its bias; tensors keyed l·key_mul + key_add. */
static int linear(model_graph *g, const char *name, int32_t in, int32_t out, uint32_t k,
                  uint32_t n, int32_t tw, int32_t tb, uint32_t key_mul, uint32_t key_add)
{
    graph_op op = graph_op_init(GOP_LINEAR, name);
    op.in[0] = in;
    op.out = out;
    op.k = k;
    op.n = n;
    op.w = graph_tensor_of(tw, key_mul, key_add, 1);
    op.bias = graph_tensor_of(tb, key_mul, key_add, wlq_bias_mult(k));
    op.q = wlq_proj(k);
    return graph_add_op(g, GRAPH_BLOCK, &op);
}

static int nonorm(model_graph *g, const char *name, int32_t in, int32_t out, uint32_t n,
                  int32_t tg, int32_t tb, uint32_t key_mul, uint32_t key_add)
{
    graph_op op = graph_op_init(GOP_NORM, name);
    op.in[0] = in;
    op.out = out;
    op.n = n;
    op.norm = NORM_NONORM;
    op.w = graph_tensor_of(tg, key_mul, key_add, 1);
    op.bias = graph_tensor_of(tb, key_mul, key_add, wlq_beta_mult());
    op.q = wlq_nonorm();
    return graph_add_op(g, GRAPH_BLOCK, &op);
}

/* out = ½·res + ½·proj (NoNorm does not normalise: keeps unit rms). */
static int half_add(model_graph *g, const char *name, int32_t res, int32_t proj, int32_t out,
                    uint32_t n)
{
    graph_op op = graph_op_init(GOP_ADD, name);
    op.in[0] = res;
    op.in[1] = proj;
    op.out = out;
    op.n = n;
    op.q = op.q2 = wlq_residual_half();
    return graph_add_op(g, GRAPH_BLOCK, &op);
}

static int slice(model_graph *g, const char *name, int32_t in, int32_t out, uint32_t col,
                 uint32_t n)
{
    graph_op op = graph_op_init(GOP_SLICE, name);
    op.in[0] = in;
    op.out = out;
    op.col = col;
    op.n = n;
    return graph_add_op(g, GRAPH_BLOCK, &op);
}

static int attention(model_graph *g, const model_dims *d, const mv *v)
{
    graph_op op = graph_op_init(GOP_ATTENTION, "attn");
    op.in[0] = v->q;
    op.in[1] = v->k;
    op.in[2] = v->v;
    op.out = v->ctx;
    op.n = (uint32_t)d->bottleneck;
    op.attn = (graph_attention){(uint32_t)d->n_heads, (uint32_t)d->n_kv_heads,
                                (uint32_t)d->head_dim, false, false, false,
                                wlq_softmax(d->head_dim), wlq_ctx()};
    return graph_add_op(g, GRAPH_BLOCK, &op);
}

static int ffn(model_graph *g, const mv *v, uint32_t B, uint32_t F, uint32_t NF, uint32_t i)
{
    char w1[24], relu[24], w2[24], res[24], norm[24];
    snprintf(w1, sizeof w1, "ffn%u.w1", i);
    snprintf(relu, sizeof relu, "ffn%u.relu", i);
    snprintf(w2, sizeof w2, "ffn%u.w2", i);
    snprintf(res, sizeof res, "ffn%u.residual", i);
    snprintf(norm, sizeof norm, "ffn%u.norm", i);
    graph_op act = graph_op_init(GOP_ACT, relu);
    act.in[0] = v->fh;
    act.out = v->fr;
    act.n = F;
    act.act = ACT_RELU;
    act.q = wlq_identity();
    if (linear(g, w1, v->a, v->fh, B, F, T_W1, T_BIAS_1, NF, i) ||
        graph_add_op(g, GRAPH_BLOCK, &act) ||
        linear(g, w2, v->fr, v->o, F, B, T_W2, T_BIAS_2, NF, i) ||
        half_add(g, res, v->a, v->o, v->t, B))
        return -1;
    return nonorm(g, norm, v->t, v->a, B, T_G_FFN, T_B_FFN, NF, i);
}

int graph_build_mobilebert(model_graph *g, const workload_params *w)
{
    const model_dims *d = &w->dims;
    uint32_t E = (uint32_t)d->dim, B = (uint32_t)d->bottleneck, F = (uint32_t)d->ffn_hidden;
    uint32_t NF = (uint32_t)d->n_ffn;
    mv v;
    if (values(g, d, &v)) return -1;
    g->stream = g->output = v.x;
    graph_op in = graph_op_init(GOP_INPUT, "input");
    in.out = v.x;
    in.k = in.n = E;
    if (graph_add_op(g, GRAPH_PROLOGUE, &in)) return -1;

    if (linear(g, "bneck", v.x, v.bn, E, 2 * B, T_WBIN, T_BIAS_BN, 1, 0) ||
        nonorm(g, "bneck.norm", v.bn, v.bnn, 2 * B, T_G_BN, T_B_BN, 1, 0) ||
        slice(g, "bneck.layer_input", v.bnn, v.lin, 0, B) ||
        slice(g, "bneck.qk_in", v.bnn, v.qk, B, B) ||
        linear(g, "attn.wq", v.qk, v.q, B, B, T_WQ, T_BIAS_Q, 1, 0) ||
        linear(g, "attn.wk", v.qk, v.k, B, B, T_WK, T_BIAS_K, 1, 0) ||
        linear(g, "attn.wv", v.x, v.v, E, B, T_WV, T_BIAS_V, 1, 0) || attention(g, d, &v) ||
        linear(g, "attn.wo", v.ctx, v.o, B, B, T_WO, T_BIAS_O, 1, 0) ||
        half_add(g, "attn.residual", v.lin, v.o, v.t, B) ||
        nonorm(g, "attn.norm", v.t, v.a, B, T_G_ATT, T_B_ATT, 1, 0))
        return -1;
    for (uint32_t i = 0; i < NF; i++)
        if (ffn(g, &v, B, F, NF, i)) return -1;
    if (linear(g, "out.w", v.a, v.o2, B, E, T_WBOUT, T_BIAS_BOUT, 1, 0) ||
        half_add(g, "out.residual", v.x, v.o2, v.t2, E) ||
        nonorm(g, "out.norm", v.t2, v.x, E, T_G_BOUT, T_B_BOUT, 1, 0))
        return -1;
    return 0;
}
