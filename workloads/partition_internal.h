/* Internals shared by the partitioners: the program builder context, op
 * emitters that fill each op's work, the steps the tensor partitioner's
 * model families are built from (column-sliced linear, one head's
 * attention, the block input, collectives on per-chip state), deterministic
 * tensor generation and the dims-only quantisation rules. Not a contract. */
#ifndef MCUSIM_PARTITION_INTERNAL_H
#define MCUSIM_PARTITION_INTERNAL_H

#include "model_graph.h"
#include "partition_estimate.h"
#include "workload.h"

/* Counter-based splitmix64: element (r, c) of a full rows×cols tensor is
 * splitmix64(key(seed, layer, tensor) + r*cols + c), so any slice of it is
 * generated alone and equals that part of the full tensor. */
uint64_t wl_splitmix64(uint64_t x);
int8_t wl_rand_i8(uint64_t seed, uint32_t layer, uint32_t tensor, uint64_t index);
/* Fills dst (rows×cols) with the slice at (r0, c0) of a tensor full_cols wide. */
void wl_fill_slice_i8(int8_t *dst, uint64_t seed, uint32_t layer, uint32_t tensor,
                      uint64_t full_cols, uint32_t r0, uint32_t c0, uint32_t rows, uint32_t cols);

/* The input token at absolute position pos: uniform over 0..vocab-1. */
uint32_t wl_token(uint64_t seed, uint64_t pos, uint64_t vocab);

/* requant params realising `scale` (y ~ x*scale): mult in [2^14, 2^15). */
requant_params wl_q_scale(double scale);
/* Rescale of an int8·int8 dot product over k terms back to a useful int8 range,
 * from the operands' typical magnitudes only (never from data). */
requant_params wl_q_dot(uint64_t k, double rms_a, double rms_b);

/* The builder. A partitioner emits over a group of chips: `first` is the
 * group's first chip and `n` its size, and every chip argument of the pb_*
 * emitters below is an index within the group (0..n-1), so a split written
 * for "N chips" (the tensor partitioner's) emits unchanged over a subset of
 * a larger system (a hybrid's pipeline stage). The group's root, where its
 * reductions land, is its chip p->root (0). The whole system is the group
 * first = 0, n = p->n_chips. */
typedef struct pbuild {
    const workload_params *w;
    const model_graph *g;  /* what one inference computes (S, T, pos0, blocks from it) */
    system_program *p;
    uint32_t first;      /* the group's first chip in p */
    uint32_t n;          /* chips in the group */
    bool fn;             /* functional */
    uint32_t S;          /* rows computed this inference (1 in autoregressive mode) */
    uint32_t T;          /* keys attended to (KV length incl. the new rows) */
    uint32_t pos0;       /* absolute position of the first computed row */
    uint32_t blocks;     /* Transformer blocks simulated (the first ones) */
    uint32_t coll;       /* next collective id */
    uint32_t tag;        /* next tag of a partitioner's own send/receive pair */
    /* The in-flight inference being emitted (workload.in_flight): the
     * partitioner's build runs once per inference, appending to every
     * chip's program, and stamps its ops with it. Inference k > 0 shares
     * inference 0's weights: each weight buffer it asks for is, by order
     * of creation on its chip, the one inference 0 made (already filled;
     * never filled or changed again). Everything else is its own. Its
     * input, KV cache and token ids draw from data_seed. */
    uint32_t inference;
    uint64_t data_seed;
    struct pb_weights *weights;   /* per chip of p: inference 0's weight buffers */
    char *err;
    size_t errlen;
    int failed;
} pbuild;

/* Contiguous split of `total` items over n chips: the first total % n chips
 * get one more. */
void wl_split(uint64_t total, uint32_t n, uint32_t chip, uint32_t *lo, uint32_t *hi);

/* The seed of tensor t's elements: the inference's data seed for its
 * input, KV cache and tokens, the workload's seed for weights. */
uint64_t pb_seed(const pbuild *b, uint32_t tensor);
/* Whether buffer id of chip `chip` is a weight inference 0 already made
 * (so it must not be filled or changed). */
bool pb_shared_weight(pbuild *b, uint32_t chip, int32_t id);

/* The shared-weight table of an in-flight build (partition.c): made
 * before inference 0, rewound before each further inference. */
int pb_weights_start(pbuild *b);
void pb_weights_next_inference(pbuild *b);
void pb_weights_free(pbuild *b);

/* Chip `chip` of the group (its program in p). */
static inline chip_program *pb_chip(pbuild *b, uint32_t chip)
{
    return &b->p->chips[b->first + chip];
}
/* Chip `chip` of the group holds (part of) the output in buffer id. */
void pb_output(pbuild *b, uint32_t chip, int32_t id);

int32_t pb_buf(pbuild *b, uint32_t chip, const char *name, dtype t, uint32_t rows,
               uint32_t cols, buf_role role);
/* A buffer filled with the (r0, c0) slice of tensor (layer, tensor) that is
 * full_cols wide. */
int32_t pb_tensor(pbuild *b, uint32_t chip, const char *name, uint32_t rows, uint32_t cols,
                  buf_role role, uint32_t layer, uint32_t tensor, uint64_t full_cols,
                  uint32_t r0, uint32_t c0);

/* A norm gamma row near 1.0, and an in-place arithmetic shift of an int8
 * buffer (pre-filled KV cache at activation scale). */
int32_t pb_gamma(pbuild *b, uint32_t chip, const char *name, uint32_t cols, uint32_t layer,
                 uint32_t tensor);
void pb_shift_down(pbuild *b, uint32_t chip, int32_t id, int shr);

void pb_emit(pbuild *b, uint32_t chip, prog_op *op);
void pb_gemm(pbuild *b, uint32_t chip, const char *label, int32_t a, int32_t w, int32_t c,
             uint32_t m, uint32_t n, uint32_t k, bool trans_b, bool acc);
void pb_requant(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t out,
                uint32_t m, uint32_t n, requant_params q);
void pb_softmax(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t out,
                uint32_t m, uint32_t n, requant_params q, bool causal, uint32_t q0);
void pb_norm(pbuild *b, uint32_t chip, const char *label, norm_kind kind, int32_t in,
             int32_t gamma, int32_t beta, int32_t out, uint32_t m, uint32_t n,
             requant_params q);
void pb_act(pbuild *b, uint32_t chip, const char *label, act_kind kind, int32_t in,
            int32_t out, uint32_t m, uint32_t n, requant_params q);
void pb_rope(pbuild *b, uint32_t chip, const char *label, int32_t x, uint32_t m,
             uint32_t head_dim, uint32_t pos0);
void pb_add(pbuild *b, uint32_t chip, const char *label, int32_t x, int32_t y, int32_t out,
            uint32_t m, uint32_t n, requant_params qa, requant_params qb);
void pb_mul(pbuild *b, uint32_t chip, const char *label, int32_t x, int32_t y, int32_t out,
            uint32_t m, uint32_t n, requant_params q);
void pb_copy(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t out,
             uint32_t m, uint32_t n, uint32_t dst_row);
/* Copies row src_row of `in` (n columns from column 0) to row dst_row of
 * `out`; an int8 source into an int32 destination is widened. */
void pb_copy_row(pbuild *b, uint32_t chip, const char *label, int32_t in, uint32_t src_row,
                 int32_t out, uint32_t dst_row, uint32_t n);
/* Copies the m×n block at column src_col of `in` to column dst_col of `out`
 * (both at row 0): a column slice of a wider activation. */
void pb_copy_cols(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t out,
                  uint32_t m, uint32_t n, uint32_t src_col, uint32_t dst_col);
/* Requant with an int32 bias row added first (bias < 0: none). */
void pb_requant_bias(pbuild *b, uint32_t chip, const char *label, int32_t in, int32_t bias,
                     int32_t out, uint32_t m, uint32_t n, requant_params q);
/* An int32 row (1×cols, BUF_WEIGHT): elements c0.. of a one-row int8
 * pseudo-random tensor, each times `mult` (biases and NoNorm betas). */
int32_t pb_i32_row(pbuild *b, uint32_t chip, const char *name, uint32_t cols, uint32_t layer,
                   uint32_t tensor, uint32_t c0, int32_t mult);
/* A column-sliced linear layer, the unit both partitioners split heads and
 * FFNs into: out (S×cols int8) = requant(in (S×k) · W[:, c0..c0+cols]
 * + bias[c0..c0+cols]), W being the k×full_cols tensor (layer, tensor) and
 * the bias the int32 row of (layer, bias_tensor), or none if bias_tensor < 0.
 * acc is the S×cols int32 accumulator; the requant is the projection rule
 * wlq_proj(k). Weight and GEMM are labelled `name`, then `name`.bias and
 * `name`.rq. */
void pb_linear_cols(pbuild *b, uint32_t chip, const char *name, int32_t in, int32_t acc,
                    int32_t out, uint32_t k, uint32_t cols, uint32_t layer, uint32_t tensor,
                    uint64_t full_cols, uint32_t c0, int bias_tensor);
/* One chip's attention scratch, reused by each head it owns: the head's
 * int32 accumulator, q, k, v and context (S×P) and its scores and
 * probabilities (S×T). */
typedef struct pb_head {
    int32_t acc, q, k, v, scores, probs, ctx;
} pb_head;
void pb_head_scratch(pbuild *b, uint32_t chip, pb_head *hd);
/* The part of one head's attention both model families share, after its
 * q, k, v are in place: scores = q·keysᵀ over b->T keys, softmax (causal:
 * query row i sees keys up to b->pos0 + i), ctx = probs·values → requant,
 * partial (+)= ctx · Wo[hP..hP+P, :] with Wo the P-row slice of the
 * out_cols-wide T_WO of `layer`. keys and values are T×P: the head's KV
 * cache, or its own k and v when T = S. Labels b<layer>.h<head>.*. */
void pb_head_attention(pbuild *b, uint32_t chip, const pb_head *hd, uint32_t layer,
                       uint32_t head, int32_t keys, int32_t values, bool causal,
                       uint32_t out_cols, int32_t partial, bool accumulate);
/* The block input on the root when the embedding lookup is not simulated
 * (head: false): the S×E pseudo-random int8 slice of T_INPUT, scaled down
 * to activation range. */
void pb_input(pbuild *b, int32_t id);
/* Collectives over the group's chips on one buffer of each chip's own
 * state: `first` is that buffer's id in chip 0's entry of an array of
 * per-chip structs `stride` bytes apart, so partitioners need no gathered
 * id array. A group smaller than the system names itself in the ops
 * (prog_op.group_first/group_size), so the collective runs inside it. */
void pb_reduce(pbuild *b, const char *label, const int32_t *first, size_t stride);
void pb_bcast(pbuild *b, const char *label, const int32_t *first, size_t stride);
/* A reduction followed by what is computed from its sum (requant, residual,
 * norm: "the merge"), wherever the system's collective leaves sums
 * (w->reductions): pb_sum reduces onto the root (OP_REDUCE) or onto every
 * chip (OP_ALLREDUCE); the merge then runs on every chip pb_merges names
 * (the root, or all of them), its replicated ops and small weights (norm
 * gammas, biases) booked on each; pb_share broadcasts the root's result to
 * every chip (OP_BCAST), or emits nothing when every chip computed it. */
void pb_sum(pbuild *b, const char *label, const int32_t *first, size_t stride);
bool pb_merges(const pbuild *b, uint32_t chip);
void pb_share(pbuild *b, const char *label, const int32_t *first, size_t stride);
/* A point-to-point transfer (a pipeline's activation): a SEND of all of
 * buffer src_buf on chip src and the matching RECV into dst_buf (same
 * size) on chip dst, with a fresh tag; labelled `label>dst` and
 * `label<src`. It goes over the pair's own link (system.links pairs, or
 * system.link). */
void pb_transfer(pbuild *b, const char *label, uint32_t src, int32_t src_buf, uint32_t dst,
                 int32_t dst_buf);

/* head: true (llama), see partition_vocab.c. Per chip: its contiguous
 * vocab rows [v0, v1) and the buffers of the lookup and the LM head. The
 * caller fills `sum` (an S×E int32 BUF_PARTIAL the lookup may overwrite),
 * `x` (the chip's S×E int8 activation) and, on every chip pb_merges names,
 * `residual` (where the looked-up rows land; -1 elsewhere) before
 * pb_vocab_setup. */
typedef struct pb_vocab {
    uint32_t v0, v1;
    int32_t sum, x, residual;
    int32_t table;   /* (v1-v0)×E int8: its slice of the embedding, also the classifier */
    int32_t last;    /* 1×E int8 input of the LM head (x itself when S = 1) */
    int32_t logits;  /* 1×(v1-v0) int32: this chip's part of the output */
} pb_vocab;
void pb_vocab_setup(pbuild *b, pb_vocab *v);
/* The embedding lookup of the S input tokens into the residual of every
 * chip pb_merges names. */
void pb_embed_lookup(pbuild *b, const pb_vocab *v);
/* After the final norm (into x on every chip pb_merges names): the LM head;
 * sets the program's output to every chip's logits slice. */
void pb_lm_head(pbuild *b, const pb_vocab *v);

/* balance: capacity (partition_balance.c). Each chip's target share of
 * total_bytes of work (sums to 1): in proportion to its speed, capped at
 * its hold_bytes when they hold total_bytes together; caps NULL: 1/n
 * each. */
void wl_capacity_shares(const chip_capacity *caps, uint32_t n, double total_bytes,
                        double *share);
/* `count` identical items of `item` bytes over n chips whose loads (bytes,
 * updated) are `load`: min_each to every chip first, then each item to the
 * chip whose load would be the smallest fraction of its share (ties to the
 * lowest index). counts[c] items to chip c. */
void wl_fill_by_share(uint32_t n, const double *share, double *load, double item, uint64_t count,
                      uint32_t min_each, uint32_t *counts);
/* Contiguous ranges in chip order from per-chip counts: lo[c], hi[c] of an
 * array of structs `stride` bytes apart (as pb_reduce takes ids). */
void wl_ranges(const uint32_t *counts, uint32_t n, uint32_t *lo, uint32_t *hi, size_t stride);

/* The tensor partitioner's per-architecture splits (partition_tensor.c
 * chooses; `ffn_split` is its ffn_split_policy, `balance` its
 * balance_policy), each over the builder's
 * chip group: the whole inference, or in steps (a hybrid emits a run of
 * blocks per group). Between the steps the inference's stream (the
 * residual) is the root's buffer *_split_stream: the prologue puts the
 * input there, each block reads it and leaves the next value there, the
 * epilogue reads it and marks the output. A split in steps emits exactly
 * the ops and buffers of the whole inference when its steps run in order. */
typedef struct llama_split llama_split;
llama_split *partition_llama_split_begin(pbuild *b, int ffn_split, int balance);   /* NULL: b->failed */
void partition_llama_split_prologue(pbuild *b, llama_split *t);
void partition_llama_split_block(pbuild *b, llama_split *t, uint32_t l);
void partition_llama_split_epilogue(pbuild *b, llama_split *t);
int32_t partition_llama_split_stream(const pbuild *b, const llama_split *t);
void partition_llama_split_end(llama_split *t);
int partition_llama(pbuild *b, int ffn_split, int balance);

typedef struct mobilebert_split mobilebert_split;
mobilebert_split *partition_mobilebert_split_begin(pbuild *b, int balance);   /* NULL: b->failed */
void partition_mobilebert_split_prologue(pbuild *b, mobilebert_split *t);
void partition_mobilebert_split_block(pbuild *b, mobilebert_split *t, uint32_t l);
void partition_mobilebert_split_epilogue(pbuild *b, mobilebert_split *t);
int32_t partition_mobilebert_split_stream(const pbuild *b, const mobilebert_split *t);
void partition_mobilebert_split_end(mobilebert_split *t);
int partition_mobilebert(pbuild *b, int balance);
/* Whether the tensor split works over n chips: 0, or -1 with a message
 * naming the limit (partition_tensor.c); why ffn_split does not apply to
 * w's model, or NULL. */
int partition_tensor_split_check(const workload_params *w, uint32_t n_chips, char *err, size_t errlen);
const char *partition_tensor_param_unused(const workload_params *w, const char *key);
/* Their program size from the dims (partition_tensor_estimate.c). */
void partition_tensor_estimate(const workload_params *w, uint32_t n_chips, program_size *out);
/* The same for the blocks of one pipeline stage of a hybrid: the final norm
 * belongs to the last stage only. */
void partition_tensor_estimate_stage(const workload_params *w, uint32_t n_chips, bool last,
                                     program_size *out);

#endif
