/* Non-replicating tensor-parallel partition of a llama block (RMSNorm, RoPE,
 * SwiGLU), after Bochem et al.: attention split by heads, FFN sliced, exactly
 * two reductions per block.
 *
 * Per block, every chip holds the normalised input x (S×E int8) and:
 *   attention, per own head h: q/k/v = x·W{q,k,v}[:, hP..hP+P] → requant,
 *     RoPE on q and k, append k/v to its KV cache, scores = q·Kᵀ, softmax,
 *     ctx = probs·V → requant, partial (+)= ctx·Wo[hP..hP+P, :]
 *   OP_REDUCE partial → root; root: requant, residual add, RMSNorm; OP_BCAST x
 *   FFN over its hidden slice [f0, f1): SiLU(x·W1) ⊙ (x·W3), partial = ·W2[f0..f1, :]
 *   OP_REDUCE partial → root; root: requant, residual add, RMSNorm (next
 *   block's attention norm, or the final norm); OP_BCAST x (not after the last)
 * A prologue normalises the input embedding on the root and broadcasts it.
 * When the system's collective leaves sums on every chip (ring_allreduce:
 * w->reductions, pb_sum / pb_merges / pb_share), each OP_REDUCE is an
 * OP_ALLREDUCE, every chip holds the residual stream and runs the root's
 * requant, residual add and RMSNorm itself, and x is never broadcast; the
 * prologue broadcasts the input instead and every chip normalises it.
 * Heads go to chips in contiguous runs, the first H mod N chips taking one
 * more.
 *
 * Grouped-query attention (n_kv_heads = KV < H, G = H / KV query heads per
 * K/V head): the K/V heads are what is split, in contiguous runs (the first
 * KV mod N chips one more), and each chip takes the whole group of query
 * heads of every K/V head it owns, so a chip holds whole groups: the k and v
 * columns of Wk, Wv and the K/V cache of its K/V heads, the q columns and Wo
 * rows of their query heads. The group's first query head computes its k
 * and v; the others reuse them. Without grouping (G = 1) this is the split
 * by heads above, op for op.
 *
 * The FFN hidden size is sliced into contiguous column ranges:
 * `partition.ffn_split: even` (the default) splits it the same way as the heads;
 * `balanced` evens out the bytes each chip holds (see ffn_ranges), so a chip
 * with fewer heads takes more FFN columns. `partition.balance: capacity`
 * (chips of different nodes) weighs both the K/V groups and the FFN columns
 * of each chip by its speed and memory (capacity_split). Per-head buffers keep every GEMM
 * a plain 2-D operation on whole buffers.
 *
 * More chips than K/V heads (N > KV; KV = H without grouping): the first KV
 * chips take one group each and chips beyond take no attention work; they
 * hold FFN slices only (larger ones when balanced), so no weight is
 * replicated and there are still exactly two reductions per block. (Splitting
 * a group's query heads over chips instead would need its K/V weights and
 * cache on each of them: duplicated weights, which this partitioner never
 * holds.) A headless chip still joins the attention reduce with an all-zero
 * partial: reduction-tree leaders (and every chip of a ring) accumulate
 * into their own partial buffer, which holds the previous FFN partial, so it
 * is cleared every block by an explicit op ("bL.attn.zero",
 * a GEMM with k = 0 and no accumulate: an S×E int32 write of zeros, priced
 * by the node model like any GEMM). The FFN hidden size must still be at
 * least N.
 *
 * Modes: prompt computes S = seq_len rows at positions 0..S-1 with a causal
 * mask; autoregressive computes one new token at position seq_len against a
 * KV cache pre-filled with seq_len pseudo-random rows, so keys T = seq_len+1.
 * `blocks: N` builds only the first N blocks; the final norm follows the
 * last of them. Without `head` the embedding lookup and classifier are not
 * simulated: a pseudo-random input stands for the embedded tokens and the
 * output is the final-normed S×E int8 on the root. With it, see
 * partition_vocab.c: a vocab-sliced lookup in the prologue and the LM head
 * after the final norm, whose logits slices are the output.
 *
 * Chip group. The split works over the builder's chip group (pbuild: chips
 * 0..n-1 of the group, reductions to its root) and is emitted in steps,
 * prologue, blocks, epilogue (partition_llama_split_*), with the residual on the
 * root between them; partition_llama runs them all, a hybrid runs a run of
 * blocks per group. Each block starts with the attention norm on the root
 * and its broadcast (labelled after the step before it, as when the norm
 * closed the previous block), so the steps emit the same program. When sums
 * end on every chip, "the root" above is every chip of the group: the
 * residual is broadcast once, where it arrives on the root only (the
 * pseudo-random input, or a pipeline stage's stream), and the norms run on
 * every chip.*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partition_internal.h"
#include "partition_tensor.h"
#include "quant_rules.h"

typedef struct lchip {
    uint32_t g0, g1, h0, h1, f0, f1;   /* K/V heads, their query heads, FFN columns */
    int32_t x, partial;
    pb_head hd; /* only on chips that own a head */
    int32_t f32, f1b, s8, f3b, g8;
    int32_t h, red8; /* on the chips that merge (pb_merges): the root, or all */
} lchip;

static void chip_scratch(pbuild *b, uint32_t c, lchip *lc)
{
    const model_dims *d = &b->w->dims;
    uint32_t E = (uint32_t)d->dim, S = b->S;
    uint32_t fc = lc->f1 - lc->f0;
    lc->x = pb_buf(b, c, "x", DT_I8, S, E, BUF_ACTIVATION);
    lc->partial = pb_buf(b, c, "partial", DT_I32, S, E, BUF_PARTIAL);
    lc->hd = (pb_head){-1, -1, -1, -1, -1, -1, -1};
    if (lc->h1 > lc->h0) pb_head_scratch(b, c, &lc->hd);
    lc->f32 = pb_buf(b, c, "ffn_acc", DT_I32, S, fc, BUF_ACTIVATION);
    lc->f1b = pb_buf(b, c, "ffn_h1", DT_I8, S, fc, BUF_ACTIVATION);
    lc->s8 = pb_buf(b, c, "ffn_silu", DT_I8, S, fc, BUF_ACTIVATION);
    lc->f3b = pb_buf(b, c, "ffn_h3", DT_I8, S, fc, BUF_ACTIVATION);
    lc->g8 = pb_buf(b, c, "ffn_gate", DT_I8, S, fc, BUF_ACTIVATION);
    lc->h = lc->red8 = -1;
    if (pb_merges(b, c)) {
        lc->h = pb_buf(b, c, "residual", DT_I8, S, E, BUF_RESIDUAL);
        lc->red8 = pb_buf(b, c, "reduced", DT_I8, S, E, BUF_ACTIVATION);
    }
}

/* Query heads per K/V head (1 without grouped-query attention). */
static uint32_t group_size(const model_dims *d)
{
    return (uint32_t)(d->n_heads / d->n_kv_heads);
}

/* One query head h of K/V group g. The group's first head also computes the
 * group's k and v (RoPE on k, appended to the group's caches, kept in *kc
 * and *vc for the group's other heads), interleaved as one head's q, k, v
 * are without grouping: wq, wk, wv, RoPE q and k, the cache appends, then
 * attention. K/V ops are labelled by head (h<h>) without grouping and by
 * K/V head (kv<g>) with it. */
static void attn_head(pbuild *b, uint32_t c, const lchip *lc, uint32_t l, uint32_t h,
                      int32_t *kc, int32_t *vc)
{
    const model_dims *d = &b->w->dims;
    uint32_t E = (uint32_t)d->dim, P = (uint32_t)d->head_dim, HP = (uint32_t)(d->n_heads * P);
    uint32_t KP = (uint32_t)(d->n_kv_heads * P), G = group_size(d), g = h / G;
    uint32_t S = b->S, T = b->T;
    bool first = h % G == 0;
    char nm[48], lb[48], kv[16];
    snprintf(kv, sizeof kv, G == 1 ? "h%u" : "kv%u", G == 1 ? h : g);
    const pb_head *hd = &lc->hd;
    snprintf(nm, sizeof nm, "b%u.h%u.wq", l, h);
    pb_linear_cols(b, c, nm, lc->x, hd->acc, hd->q, E, P, l, T_WQ, HP, h * P, -1);
    if (first) {
        snprintf(nm, sizeof nm, "b%u.%s.wk", l, kv);
        pb_linear_cols(b, c, nm, lc->x, hd->acc, hd->k, E, P, l, T_WK, KP, g * P, -1);
        snprintf(nm, sizeof nm, "b%u.%s.wv", l, kv);
        pb_linear_cols(b, c, nm, lc->x, hd->acc, hd->v, E, P, l, T_WV, KP, g * P, -1);
    }
    snprintf(lb, sizeof lb, "b%u.h%u.rope_q", l, h);
    pb_rope(b, c, lb, hd->q, S, P, b->pos0);
    if (first) {
        snprintf(lb, sizeof lb, "b%u.%s.rope_k", l, kv);
        pb_rope(b, c, lb, hd->k, S, P, b->pos0);
        snprintf(nm, sizeof nm, "b%u.%s.kcache", l, kv);
        *kc = pb_tensor(b, c, nm, T, P, BUF_KV_CACHE, l, T_KCACHE, KP, 0, g * P);
        snprintf(nm, sizeof nm, "b%u.%s.vcache", l, kv);
        *vc = pb_tensor(b, c, nm, T, P, BUF_KV_CACHE, l, T_VCACHE, KP, 0, g * P);
        pb_shift_down(b, c, *kc, 2);
        pb_shift_down(b, c, *vc, 2);
        snprintf(lb, sizeof lb, "b%u.%s.kv_k", l, kv);
        pb_copy(b, c, lb, hd->k, *kc, S, P, b->pos0);
        snprintf(lb, sizeof lb, "b%u.%s.kv_v", l, kv);
        pb_copy(b, c, lb, hd->v, *vc, S, P, b->pos0);
    }
    pb_head_attention(b, c, hd, l, h, *kc, *vc, true, E, lc->partial, h != lc->h0);
}

/* Chip c's attention in block l: every query head of its K/V groups. */
static void attn_chip(pbuild *b, uint32_t c, const lchip *lc, uint32_t l)
{
    int32_t kc = -1, vc = -1;
    for (uint32_t h = lc->h0; h < lc->h1; h++) attn_head(b, c, lc, l, h, &kc, &vc);
}

/* A chip without heads: its attention partial is the S×k · k×E product
 * with k = 0, i.e. zeros, written by a real (k = 0, overwrite) GEMM so the
 * clear is executed and priced like any other op. */
static void attn_zero(pbuild *b, uint32_t c, const lchip *lc, uint32_t l)
{
    char lb[48];
    snprintf(lb, sizeof lb, "b%u.attn.zero", l);
    pb_gemm(b, c, lb, lc->x, lc->x, lc->partial, b->S, (uint32_t)b->w->dims.dim, 0, false,
            false);
}

static void ffn_slice(pbuild *b, uint32_t c, const lchip *lc, uint32_t l)
{
    const model_dims *d = &b->w->dims;
    uint32_t E = (uint32_t)d->dim, F = (uint32_t)d->ffn_hidden, S = b->S;
    uint32_t fc = lc->f1 - lc->f0;
    char nm[48];
    snprintf(nm, sizeof nm, "b%u.ffn.w1", l);
    pb_linear_cols(b, c, nm, lc->x, lc->f32, lc->f1b, E, fc, l, T_W1, F, lc->f0, -1);
    snprintf(nm, sizeof nm, "b%u.ffn.silu", l);
    pb_act(b, c, nm, ACT_SILU, lc->f1b, lc->s8, S, fc, wlq_act());
    snprintf(nm, sizeof nm, "b%u.ffn.w3", l);
    pb_linear_cols(b, c, nm, lc->x, lc->f32, lc->f3b, E, fc, l, T_W3, F, lc->f0, -1);
    snprintf(nm, sizeof nm, "b%u.ffn.gate", l);
    pb_mul(b, c, nm, lc->s8, lc->f3b, lc->g8, S, fc, wlq_mul());
    snprintf(nm, sizeof nm, "b%u.ffn.w2", l);
    int32_t w2 = pb_tensor(b, c, nm, fc, E, BUF_WEIGHT, l, T_W2, E, lc->f0, 0);
    pb_gemm(b, c, nm, lc->g8, w2, lc->partial, S, E, fc, false, false);
}

/* After a reduction, on chip `root` (the root, or every chip when sums end
 * on all of them): requant the reduced partial and add it to the residual. */
static void root_merge(pbuild *b, uint32_t root, const lchip *r, uint32_t K, uint32_t l,
                       const char *tag)
{
    uint32_t E = (uint32_t)b->w->dims.dim, S = b->S;
    char nm[48];
    snprintf(nm, sizeof nm, "b%u.%s.rq", l, tag);
    pb_requant(b, root, nm, r->partial, r->red8, S, E, wlq_proj(K));
    snprintf(nm, sizeof nm, "b%u.%s.residual", l, tag);
    pb_add(b, root, nm, r->h, r->red8, r->h, S, E, wlq_identity(), wlq_identity());
}

/* x = RMSNorm(residual) with gamma `gname` (tensor key, id) on every chip
 * that merges (pb_merges: the root, or all). */
static void merge_norm(pbuild *b, const lchip *lc, const char *gname, const char *name,
                       uint32_t key, uint32_t gtensor)
{
    uint32_t E = (uint32_t)b->w->dims.dim, S = b->S;
    for (uint32_t c = 0; c < b->n; c++) {
        if (!pb_merges(b, c)) continue;
        int32_t g = pb_gamma(b, c, gname, E, key, gtensor);
        pb_norm(b, c, name, NORM_RMS, lc[c].h, g, -1, lc[c].x, S, E, wlq_norm());
    }
}

/* Bytes chip lc holds per block for its attention: per query head the q
 * column and Wo row slices, per K/V head the k and v column slices and its
 * K and V cache rows (per FFN column: the W1 and W3 columns and the W2 row). */
static uint64_t attn_bytes(const pbuild *b, const lchip *lc)
{
    const model_dims *d = &b->w->dims;
    uint64_t per_q = 2 * d->dim * d->head_dim;
    uint64_t per_kv = 2 * d->dim * d->head_dim + 2 * (uint64_t)b->T * d->head_dim;
    return (lc->h1 - lc->h0) * per_q + (lc->g1 - lc->g0) * per_kv;
}

/* FFN column ranges [f0, f1) per chip. balanced = water-filling on bytes
 * held: every chip first gets one column (each holds a slice), then each
 * further column goes to the chip holding the fewest bytes so far, ties to
 * the lowest index. With equal head counts this is exactly wl_split's even
 * split (extra columns to the first chips); with N > H the headless chips
 * take the larger slices. Column ranges stay contiguous in chip order, so
 * the reduced sum (and the output bits) do not depend on the policy. */
static void ffn_ranges(const pbuild *b, lchip *lc, int policy)
{
    const model_dims *d = &b->w->dims;
    uint32_t n = b->n, F = (uint32_t)d->ffn_hidden;
    if (policy == FFN_SPLIT_EVEN) {
        for (uint32_t c = 0; c < n; c++) wl_split(F, n, c, &lc[c].f0, &lc[c].f1);
        return;
    }
    uint64_t per_col = 3 * d->dim;
    for (uint32_t c = 0; c < n; c++) lc[c].f1 = 1;   /* column counts, for now */
    for (uint32_t given = n; given < F; given++) {
        uint32_t best = 0;
        uint64_t best_load = UINT64_MAX;
        for (uint32_t c = 0; c < n; c++) {
            uint64_t load = attn_bytes(b, &lc[c]) + lc[c].f1 * per_col;
            if (load < best_load) best = c, best_load = load;
        }
        lc[best].f1++;
    }
    uint32_t at = 0;
    for (uint32_t c = 0; c < n; c++) {
        uint32_t cols = lc[c].f1;
        lc[c].f0 = at;
        lc[c].f1 = at += cols;
    }
}

/* balance: capacity (partition_balance.c): each chip's share of the work
 * follows its speed and memory. The K/V groups (with their query heads) go
 * by those shares; so do the FFN columns, on their own with ffn_split: even
 * (each phase between two reductions balanced by speed), or evening out
 * what each chip holds against its share with balanced; every chip keeps
 * at least one column. On identical chips this is the equal split of the
 * same ffn_split exactly. Ranges stay contiguous in chip order. */
static int capacity_split(pbuild *b, lchip *lc, int ffn_split)
{
    const model_dims *d = &b->w->dims;
    uint32_t n = b->n, G = group_size(d);
    double *share = calloc(n, sizeof *share), *load = calloc(n, sizeof *load);
    uint32_t *count = calloc(n, sizeof *count);
    if (!share || !load || !count) {
        free(share), free(load), free(count);
        snprintf(b->err, b->errlen, "out of memory");
        return -1;
    }
    lchip one = {.g0 = 0, .g1 = 1, .h0 = 0, .h1 = G};
    double group = (double)attn_bytes(b, &one), col = 3.0 * (double)d->dim;
    double block = group * (double)d->n_kv_heads + col * (double)d->ffn_hidden;
    /* the group's chips are chips first.. of the system */
    wl_capacity_shares(b->w->capacity ? b->w->capacity + b->first : NULL, n, block * b->blocks,
                       share);
    wl_fill_by_share(n, share, load, group, d->n_kv_heads, 0, count);
    wl_ranges(count, n, &lc[0].g0, &lc[0].g1, sizeof *lc);
    if (ffn_split == FFN_SPLIT_EVEN) memset(load, 0, n * sizeof *load);
    wl_fill_by_share(n, share, load, col, d->ffn_hidden, 1, count);
    wl_ranges(count, n, &lc[0].f0, &lc[0].f1, sizeof *lc);
    for (uint32_t c = 0; c < n; c++) {
        lc[c].h0 = lc[c].g0 * G;
        lc[c].h1 = lc[c].g1 * G;
    }
    free(share), free(load), free(count);
    return 0;
}

struct llama_split {
    lchip *lc;
    pb_vocab *v;      /* head: true, once the group holds its vocab slices */
    /* The residual is on every chip of the group (sums end on every chip
     * and the stream came from a lookup or a block), not on the root only. */
    bool everywhere;
};

llama_split *partition_llama_split_begin(pbuild *b, int ffn_split, int balance)
{
    const model_dims *d = &b->w->dims;
    uint32_t n = b->n;
    llama_split *t = calloc(1, sizeof *t);
    lchip *lc = calloc(n, sizeof *lc);
    if (!t || !lc) {
        free(t);
        free(lc);
        snprintf(b->err, b->errlen, "out of memory");
        b->failed = 1;
        return NULL;
    }
    t->lc = lc;
    /* K/V heads split over chips, each with its whole group of query heads */
    if (balance == BALANCE_CAPACITY) {
        if (capacity_split(b, lc, ffn_split) != 0) {
            free(t);
            free(lc);
            b->failed = 1;
            return NULL;
        }
    } else {
        for (uint32_t c = 0; c < n; c++) {
            wl_split(d->n_kv_heads, n, c, &lc[c].g0, &lc[c].g1);
            lc[c].h0 = lc[c].g0 * group_size(d);
            lc[c].h1 = lc[c].g1 * group_size(d);
        }
        ffn_ranges(b, lc, ffn_split);
    }
    for (uint32_t c = 0; c < n; c++) chip_scratch(b, c, &lc[c]);
    return t;
}

void partition_llama_split_end(llama_split *t)
{
    if (!t) return;
    free(t->v);
    free(t->lc);
    free(t);
}

int32_t partition_llama_split_stream(const pbuild *b, const llama_split *t)
{
    return t->lc[b->p->root].h;
}

/* The group's vocab slices (head: true): every chip's share of the tied
 * embedding, used for the lookup and the LM head alike. */
static int vocab_setup(pbuild *b, llama_split *t)
{
    if (t->v) return 0;
    t->v = calloc(b->n, sizeof *t->v);
    if (!t->v) {
        snprintf(b->err, b->errlen, "out of memory");
        b->failed = 1;
        return -1;
    }
    for (uint32_t c = 0; c < b->n; c++)
        t->v[c].sum = t->lc[c].partial, t->v[c].x = t->lc[c].x, t->v[c].residual = t->lc[c].h;
    pb_vocab_setup(b, t->v);
    return 0;
}

/* The embedded input in the root's residual (in every chip's when sums end
 * on every chip and it is looked up: the lookup all-reduces): looked up
 * with the head, pseudo-random without. */
void partition_llama_split_prologue(pbuild *b, llama_split *t)
{
    lchip *r = &t->lc[b->p->root];
    if (!b->w->head) {
        pb_input(b, r->h);
        return;
    }
    if (vocab_setup(b, t) == 0) pb_embed_lookup(b, t->v);
    t->everywhere = b->w->reductions == REDUCE_ON_ALL;
}

/* Block l from the residual to the residual: the attention norm and its
 * broadcast, the heads, reduce, merge, the FFN norm and broadcast, the FFN
 * slices, reduce, merge. The broadcasts keep the labels of the step they
 * follow (the prologue, or block l-1's FFN). When sums end on every chip,
 * the residual itself is broadcast if it is on the root only, every chip
 * normalises it, and x is never broadcast. */
void partition_llama_split_block(pbuild *b, llama_split *t, uint32_t l)
{
    const model_dims *d = &b->w->dims;
    lchip *lc = t->lc;
    uint32_t n = b->n;
    bool all = b->w->reductions == REDUCE_ON_ALL;
    char nm[48], gn[48], bn[48];
    if (l == 0) snprintf(bn, sizeof bn, "input.bcast");
    else snprintf(bn, sizeof bn, "b%u.ffn.bcast", l - 1);
    if (all && !t->everywhere) pb_bcast(b, bn, &lc[0].h, sizeof *lc);
    snprintf(gn, sizeof gn, "b%u.attn.norm_g", l);
    snprintf(nm, sizeof nm, "b%u.attn.norm", l);
    merge_norm(b, lc, gn, nm, l, T_G_ATT);
    pb_share(b, bn, &lc[0].x, sizeof *lc);
    for (uint32_t c = 0; c < n; c++) {
        if (lc[c].h1 == lc[c].h0) attn_zero(b, c, &lc[c], l);
        attn_chip(b, c, &lc[c], l);
    }
    snprintf(nm, sizeof nm, "b%u.attn.reduce", l);
    pb_sum(b, nm, &lc[0].partial, sizeof *lc);
    for (uint32_t c = 0; c < n; c++)
        if (pb_merges(b, c)) root_merge(b, c, &lc[c], (uint32_t)(d->n_heads * d->head_dim), l, "attn");
    snprintf(gn, sizeof gn, "b%u.ffn.norm_g", l);
    snprintf(nm, sizeof nm, "b%u.ffn.norm", l);
    merge_norm(b, lc, gn, nm, l, T_G_FFN);
    snprintf(nm, sizeof nm, "b%u.attn.bcast", l);
    pb_share(b, nm, &lc[0].x, sizeof *lc);
    for (uint32_t c = 0; c < n; c++) ffn_slice(b, c, &lc[c], l);
    snprintf(nm, sizeof nm, "b%u.ffn.reduce", l);
    pb_sum(b, nm, &lc[0].partial, sizeof *lc);
    for (uint32_t c = 0; c < n; c++)
        if (pb_merges(b, c)) root_merge(b, c, &lc[c], (uint32_t)d->ffn_hidden, l, "ffn");
    t->everywhere = all;
}

/* The final norm (on every chip that merges), then the LM head over the
 * group's vocab slices (the output: every chip's logits) or the root's
 * normed x as output. */
void partition_llama_split_epilogue(pbuild *b, llama_split *t)
{
    lchip *r = &t->lc[b->p->root];
    merge_norm(b, t->lc, "final.norm_g", "final.norm", 0, T_G_FINAL);
    if (!b->w->head) {
        pb_output(b, b->p->root, r->x);
        return;
    }
    if (vocab_setup(b, t) == 0) pb_lm_head(b, t->v);
}

int partition_llama(pbuild *b, int ffn_split, int balance)
{
    llama_split *t = partition_llama_split_begin(b, ffn_split, balance);
    if (!t) return -1;
    partition_llama_split_prologue(b, t);
    for (uint32_t l = 0; l < b->blocks && !b->failed; l++) partition_llama_split_block(b, t, l);
    partition_llama_split_epilogue(b, t);
    partition_llama_split_end(t);
    return b->failed ? -1 : 0;
}
