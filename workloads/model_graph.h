/* What a model computes, kept apart from how it is split over chips.
 *
 * A model graph lists the values (activations) one inference passes between
 * its logical operations, and those operations with their weights, shapes
 * and quantisation: a prologue, a block template repeated `blocks` times,
 * and an epilogue. It is built from the workload alone (dims, mode, seq_len,
 * blocks, head), one builder per architecture (graph_llama.c,
 * graph_mobilebert.c). Partitioners consume it:
 *   - replicate emits it whole on every chip (graph_whole.h);
 *   - pipeline emits whole blocks per chip, passing the residual stream
 *     (`stream`) from chip to chip (partition_pipeline.c);
 *   - hybrid runs the tensor split of a run of blocks per chip group, the
 *     stream passed from group to group (partition_hybrid.c);
 *   - tensor keeps its own per-architecture split of the same computation
 *     (partition_llama.c, partition_mobilebert.c) and takes the shapes of one
 *     inference (S, T, pos0, blocks) from the graph; the tests hold its
 *     N-chip output to the graph run whole, bit for bit.
 * Quantisation rules come from dims only (quant_rules.h), so every split
 * quantises alike and integer sums make the outputs identical. */
#ifndef MCUSIM_MODEL_GRAPH_H
#define MCUSIM_MODEL_GRAPH_H

#include "workload.h"

/* Parameter tensors: one pseudo-random stream per (seed, key, tensor). */
enum wl_tensor {
    T_INPUT, T_KCACHE, T_VCACHE, T_WQ, T_WK, T_WV, T_WO, T_W1, T_W2, T_W3,
    T_G_ATT, T_G_FFN, T_G_FINAL, T_B_ATT, T_B_FFN, T_WBIN, T_WBOUT, T_G_BOUT, T_B_BOUT,
    /* MobileBERT: linear biases and the bottleneck NoNorm */
    T_BIAS_BN, T_BIAS_Q, T_BIAS_K, T_BIAS_V, T_BIAS_O, T_BIAS_1, T_BIAS_2, T_BIAS_BOUT,
    T_G_BN, T_B_BN,
    /* head: true: the token embedding (= the tied classifier) and the input token ids */
    T_EMBED, T_TOKEN,
    T__COUNT
};

#define GRAPH_NONE (-1)

typedef enum graph_op_kind {
    GOP_INPUT,      /* out (S×E) = the embedded input, pseudo-random (head: false) */
    GOP_EMBED,      /* out (S×E) = token-embedding rows of the S input tokens (k = E, n = V) */
    GOP_NORM,       /* out = norm(in0) with gamma row w (and beta row bias for NoNorm) */
    GOP_LINEAR,     /* out (S×n) = requant(in0 (S×k) · w (k×n) + bias row) */
    GOP_ATTENTION,  /* out (S×heads·P) = per head softmax(q·kᵀ)·v; in = q, k, v */
    GOP_ACT,        /* out = act(in0) */
    GOP_MUL,        /* out = requant(in0 · in1) elementwise */
    GOP_ADD,        /* out = requant(in0)·q + requant(in1)·q2 (residual add) */
    GOP_SLICE,      /* out (S×n) = in0[:, col .. col+n] */
    GOP_LM_HEAD     /* out (1×V int32) = last row of in0 · embeddingᵀ (tied classifier) */
} graph_op_kind;

/* A value: one buffer per chip that computes with it. The residual stream
 * is BUF_RESIDUAL; everything else an activation. */
typedef struct graph_value {
    char name[24];
    uint32_t rows, cols;
    dtype type;
    buf_role role;
} graph_value;

/* A parameter tensor of an op, drawn for block l under the key
 * l·key_mul + key_add (MobileBERT's stacked FFN i of block l: l·n_ffn + i).
 * int32 rows (biases, NoNorm betas) are each int8 draw times `mult`. */
typedef struct graph_tensor {
    int32_t id;          /* enum wl_tensor, or GRAPH_NONE */
    uint32_t key_mul, key_add;
    int32_t mult;
} graph_tensor;

typedef struct graph_attention {
    /* Query heads, and heads with their own K/V: K/V head g serves the
     * query heads g·heads/kv_heads onwards (grouped-query attention when
     * kv_heads < heads; model_dims_check keeps the groups equal). */
    uint32_t heads, kv_heads, head_dim;
    bool rope;           /* rotary embedding on q and k at positions pos0.. */
    bool causal;         /* query row i sees keys up to pos0 + i */
    /* Keys are a T-row cache per K/V head (T_KCACHE/T_VCACHE of the block,
     * pre-filled at activation scale, the S new rows written at pos0);
     * without it the S new rows themselves (T = S). */
    bool kv_cache;
    requant_params scores;  /* q·kᵀ -> softmax logits */
    requant_params ctx;     /* probs·v -> int8 */
} graph_attention;

typedef struct graph_op {
    graph_op_kind kind;
    char name[24];          /* label within its section: "attn.wq", "ffn2.norm", "final.norm" */
    int32_t in[3], out;     /* value ids, GRAPH_NONE when unused */
    uint32_t k, n;          /* LINEAR: (S×k)·(k×n); EMBED, LM_HEAD: E and V; others: n columns */
    uint32_t col;           /* SLICE: first column taken */
    graph_tensor w;         /* LINEAR: weight k×n; NORM: gamma row; EMBED, LM_HEAD: T_EMBED */
    graph_tensor bias;      /* LINEAR: bias row (n); NORM: NoNorm beta row (n) */
    requant_params q, q2;   /* the op's rescale; ADD: q for in[0], q2 for in[1] */
    norm_kind norm;
    act_kind act;
    graph_attention attn;
} graph_op;

typedef enum graph_section { GRAPH_PROLOGUE, GRAPH_BLOCK, GRAPH_EPILOGUE, GRAPH__SECTIONS } graph_section;

typedef struct model_graph {
    int arch;                 /* model_arch */
    uint64_t seed;
    uint32_t S;               /* rows computed this inference (1 in autoregressive mode) */
    uint32_t T;               /* keys attended to (KV length incl. the new rows) */
    uint32_t pos0;            /* absolute position of the first computed row */
    uint32_t blocks;          /* block template repetitions (the first `blocks` of the model) */
    int32_t stream;           /* value entering and leaving every block (the residual) */
    int32_t output;           /* value holding the inference's output */
    graph_value *values;
    uint32_t n_values;
    graph_op *ops[GRAPH__SECTIONS];
    uint32_t n_ops[GRAPH__SECTIONS];
    uint32_t cap_ops[GRAPH__SECTIONS];
} model_graph;

/* The graph of one inference of w (w must pass workload_check). NULL with a
 * message on failure. */
model_graph *model_graph_create(const workload_params *w, char *err, size_t errlen);
void model_graph_destroy(model_graph *g);

/* The stream key of tensor t in block `block` (0 in the prologue and epilogue). */
static inline uint32_t graph_key(const graph_tensor *t, uint32_t block)
{
    return block * t->key_mul + t->key_add;
}

/* ---- for the architecture builders ---- */

/* Adds a value; its id, or GRAPH_NONE when out of memory. */
int32_t graph_add_value(model_graph *g, const char *name, uint32_t rows, uint32_t cols, dtype t,
                        buf_role role);
/* Appends op to a section; -1 when out of memory. */
int graph_add_op(model_graph *g, graph_section s, const graph_op *op);
/* An op of `kind` named `name` with every value and tensor unused. */
graph_op graph_op_init(graph_op_kind kind, const char *name);
/* A tensor keyed by block·key_mul + key_add; int32 rows scaled by mult. */
graph_tensor graph_tensor_of(int32_t id, uint32_t key_mul, uint32_t key_add, int32_t mult);

int graph_build_llama(model_graph *g, const workload_params *w);
int graph_build_mobilebert(model_graph *g, const workload_params *w);

#endif
