/* Non-replicating tensor-parallel partition of a MobileBERT block (Sun et
 * al. 2020; HF config: use_bottleneck, key_query_shared_bottleneck, no
 * bottleneck attention, NoNorm, ReLU) over N <= heads chips.
 *
 * Dims: E = dim (512), B = bottleneck (128) = heads·P, F = ffn_hidden (512),
 * n_ffn stacked FFNs (4). Every chip holds the block input x (S×E int8).
 *   1 bottlenecks  [W_in | W_att] (E×2B) row-sliced over E: chip c copies its
 *                  column slice x[:, e0:e1] and computes an S×2B partial
 *                  holding BOTH projections → REDUCE; root: + bias, requant,
 *                  NoNorm (elementwise, so one op covers both halves), keeps
 *                  layer_input (cols 0..B) as residual → BCAST the shared
 *                  Q/K input (cols B..2B)
 *   2 attention    per own head: q, k = qk·W{q,k}[:, head], v = x·Wv[:, head]
 *                  (V reads the 512-wide block input), bidirectional softmax,
 *                  partial (+)= ctx·Wo[head rows, :] → REDUCE; root: + bias,
 *                  residual layer_input, NoNorm → a → BCAST a
 *   3-6 FFN i      W1 column-, W2 row-sliced over F: relu(a·W1 + b1)·W2 →
 *                  REDUCE; root: + b2, residual a, NoNorm → a → BCAST a
 *   7 out-bneck    W (B×E) row-sliced over B: chip copies a[:, b0:b1] →
 *                  S×E partial → REDUCE; root: + bias, residual x (block
 *                  input), NoNorm → x → BCAST x (not after the last block)
 * = 7 reductions per block. When the system's collective leaves sums on
 * every chip, each reduction is an all-reduce and every chip runs the root's
 * steps above itself (bias, requant, residual, NoNorm, the bottleneck's
 * copies) on its own copy of the bottleneck outputs and residuals, with its
 * own copy of their biases, gammas and betas: no broadcast (pb_sum,
 * pb_merges, pb_share). Each is forced: every residual + NoNorm (and the
 * bottleneck requant) needs the complete sum of a projection whose input or
 * output dimension is sliced, and non-replication forbids computing even the
 * small bottleneck projections redundantly on every chip. Putting both
 * bottleneck projections in one partial saves an eighth sync.
 * Biases: the slices of biases of column-sliced layers (Q, K, V, W1) are
 * added on their chip before the requant; biases of row-sliced layers are
 * added once on the root after the reduction. Heads split in contiguous runs
 * (first H mod N chips one more), E, B and F split the same way; with
 * `partition.balance: capacity` each of the four in proportion to the
 * chips' shares of the work (speed and memory, partition_balance.c), every
 * chip keeping at least one of each.
 * Prompt mode only (an encoder): S = seq_len rows, no causal mask, no
 * position-dependent op inside the blocks (BERT adds positions at the
 * embedding, which is not simulated). The output is the last simulated
 * block's S×E int8 on the root (`blocks: N` builds the first N; the task
 * heads are out of scope). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partition_internal.h"
#include "partition_tensor.h"
#include "quant_rules.h"

typedef struct mchip {
    uint32_t h0, h1, e0, e1, b0, b1, f0, f1;
    int32_t x, xs, bpart, qk, a, as, apart, opart;
    pb_head hd;
    int32_t f32, f8, fr8;
    int32_t bn8, bnn, layer_in, r8, t, o8, t512; /* chips that merge (pb_merges) only */
} mchip;

static uint32_t mb_E(const pbuild *b) { return (uint32_t)b->w->dims.dim; }
static uint32_t mb_B(const pbuild *b) { return (uint32_t)b->w->dims.bottleneck; }
static uint32_t mb_F(const pbuild *b) { return (uint32_t)b->w->dims.ffn_hidden; }
static uint32_t mb_P(const pbuild *b) { return (uint32_t)b->w->dims.head_dim; }

static void root_scratch(pbuild *b, uint32_t c, mchip *m)
{
    uint32_t S = b->S, E = mb_E(b), B = mb_B(b);
    m->bn8 = pb_buf(b, c, "bneck_rq", DT_I8, S, 2 * B, BUF_ACTIVATION);
    m->bnn = pb_buf(b, c, "bneck_norm", DT_I8, S, 2 * B, BUF_ACTIVATION);
    m->layer_in = pb_buf(b, c, "layer_input", DT_I8, S, B, BUF_RESIDUAL);
    m->r8 = pb_buf(b, c, "reduced", DT_I8, S, B, BUF_ACTIVATION);
    m->t = pb_buf(b, c, "residual_sum", DT_I8, S, B, BUF_ACTIVATION);
    m->o8 = pb_buf(b, c, "out_reduced", DT_I8, S, E, BUF_ACTIVATION);
    m->t512 = pb_buf(b, c, "out_residual_sum", DT_I8, S, E, BUF_ACTIVATION);
}

static void chip_scratch(pbuild *b, uint32_t c, mchip *m)
{
    uint32_t S = b->S, E = mb_E(b), B = mb_B(b);
    m->x = pb_buf(b, c, "x", DT_I8, S, E, BUF_RESIDUAL);
    /* a chip owning every column reads x / a in place */
    m->xs = m->e1 - m->e0 == E ? m->x
                               : pb_buf(b, c, "x_slice", DT_I8, S, m->e1 - m->e0, BUF_ACTIVATION);
    m->bpart = pb_buf(b, c, "bneck_partial", DT_I32, S, 2 * B, BUF_PARTIAL);
    m->qk = pb_buf(b, c, "qk_in", DT_I8, S, B, BUF_ACTIVATION);
    m->a = pb_buf(b, c, "a", DT_I8, S, B, BUF_ACTIVATION);
    m->as = m->b1 - m->b0 == B ? m->a
                               : pb_buf(b, c, "a_slice", DT_I8, S, m->b1 - m->b0, BUF_ACTIVATION);
    m->apart = pb_buf(b, c, "partial", DT_I32, S, B, BUF_PARTIAL);
    m->opart = pb_buf(b, c, "out_partial", DT_I32, S, E, BUF_PARTIAL);
    pb_head_scratch(b, c, &m->hd); /* prompt mode: keys T = S */
    uint32_t fc = m->f1 - m->f0;
    m->f32 = pb_buf(b, c, "ffn_acc", DT_I32, S, fc, BUF_ACTIVATION);
    m->f8 = pb_buf(b, c, "ffn_h", DT_I8, S, fc, BUF_ACTIVATION);
    m->fr8 = pb_buf(b, c, "ffn_relu", DT_I8, S, fc, BUF_ACTIVATION);
    m->bn8 = m->bnn = m->layer_in = m->r8 = m->t = m->o8 = m->t512 = -1;
    if (pb_merges(b, c)) root_scratch(b, c, m);
}

/* On chip `root` (the root, or every chip when sums end on all): + bias,
 * requant, residual add, NoNorm into `dst` (n columns). */
static void root_merge(pbuild *b, uint32_t root, int32_t partial, int32_t red8, int32_t res,
                       int32_t sum, int32_t dst, uint32_t n, uint32_t k, uint32_t layer,
                       uint32_t tbias, uint32_t tg, uint32_t tb, const char *tag)
{
    uint32_t S = b->S;
    char nm[48];
    snprintf(nm, sizeof nm, "%s.bias", tag);
    int32_t bias = pb_i32_row(b, root, nm, n, layer, tbias, 0, wlq_bias_mult(k));
    snprintf(nm, sizeof nm, "%s.rq", tag);
    pb_requant_bias(b, root, nm, partial, bias, red8, S, n, wlq_proj(k));
    snprintf(nm, sizeof nm, "%s.residual", tag);
    pb_add(b, root, nm, res, red8, sum, S, n, wlq_residual_half(), wlq_residual_half());
    snprintf(nm, sizeof nm, "%s.norm_g", tag);
    int32_t g = pb_gamma(b, root, nm, n, layer, tg);
    snprintf(nm, sizeof nm, "%s.norm_b", tag);
    int32_t beta = pb_i32_row(b, root, nm, n, layer, tb, 0, wlq_beta_mult());
    snprintf(nm, sizeof nm, "%s.norm", tag);
    pb_norm(b, root, nm, NORM_NONORM, sum, g, beta, dst, S, n, wlq_nonorm());
}

static void bottleneck_in(pbuild *b, uint32_t c, const mchip *m, uint32_t l)
{
    uint32_t S = b->S, B = mb_B(b), ec = m->e1 - m->e0;
    char nm[48];
    if (m->xs != m->x) {
        snprintf(nm, sizeof nm, "b%u.bneck.x_slice", l);
        pb_copy_cols(b, c, nm, m->x, m->xs, S, ec, m->e0, 0);
    }
    snprintf(nm, sizeof nm, "b%u.bneck.w", l);
    int32_t w = pb_tensor(b, c, nm, ec, 2 * B, BUF_WEIGHT, l, T_WBIN, 2 * B, m->e0, 0);
    pb_gemm(b, c, nm, m->xs, w, m->bpart, S, 2 * B, ec, false, false);
}

/* On chip `root` (see root_merge): bias + requant + NoNorm of both
 * bottlenecks, then split the halves. */
static void bottleneck_root(pbuild *b, uint32_t root, const mchip *r, uint32_t l)
{
    uint32_t S = b->S, E = mb_E(b), B = mb_B(b);
    char nm[48];
    snprintf(nm, sizeof nm, "b%u.bneck.bias", l);
    int32_t bias = pb_i32_row(b, root, nm, 2 * B, l, T_BIAS_BN, 0, wlq_bias_mult(E));
    snprintf(nm, sizeof nm, "b%u.bneck.rq", l);
    pb_requant_bias(b, root, nm, r->bpart, bias, r->bn8, S, 2 * B, wlq_proj(E));
    snprintf(nm, sizeof nm, "b%u.bneck.norm_g", l);
    int32_t g = pb_gamma(b, root, nm, 2 * B, l, T_G_BN);
    snprintf(nm, sizeof nm, "b%u.bneck.norm_b", l);
    int32_t beta = pb_i32_row(b, root, nm, 2 * B, l, T_B_BN, 0, wlq_beta_mult());
    snprintf(nm, sizeof nm, "b%u.bneck.norm", l);
    pb_norm(b, root, nm, NORM_NONORM, r->bn8, g, beta, r->bnn, S, 2 * B, wlq_nonorm());
    snprintf(nm, sizeof nm, "b%u.bneck.layer_input", l);
    pb_copy_cols(b, root, nm, r->bnn, r->layer_in, S, B, 0, 0);
    snprintf(nm, sizeof nm, "b%u.bneck.qk_in", l);
    pb_copy_cols(b, root, nm, r->bnn, r->qk, S, B, B, 0);
}

/* One projection of head h into dst: in(S×k) · W[:, hP..hP+P] + bias slice. */
static void head_proj(pbuild *b, uint32_t c, const mchip *m, uint32_t l, uint32_t h,
                      int32_t in, uint32_t k, uint32_t tw, int tbias, int32_t dst,
                      const char *wn)
{
    uint32_t P = mb_P(b);
    char nm[48];
    snprintf(nm, sizeof nm, "b%u.h%u.%s", l, h, wn);
    pb_linear_cols(b, c, nm, in, m->hd.acc, dst, k, P, l, tw, mb_B(b), h * P, tbias);
}

static void attn_head(pbuild *b, uint32_t c, const mchip *m, uint32_t l, uint32_t h)
{
    uint32_t E = mb_E(b), B = mb_B(b);
    const pb_head *hd = &m->hd;
    head_proj(b, c, m, l, h, m->qk, B, T_WQ, T_BIAS_Q, hd->q, "wq");
    head_proj(b, c, m, l, h, m->qk, B, T_WK, T_BIAS_K, hd->k, "wk");
    head_proj(b, c, m, l, h, m->x, E, T_WV, T_BIAS_V, hd->v, "wv");
    /* an encoder: bidirectional, keys are the head's own k and v */
    pb_head_attention(b, c, hd, l, h, hd->k, hd->v, false, B, m->apart, h != m->h0);
}

/* FFN i of block l over the chip's hidden slice; tensors keyed by l*n_ffn+i. */
static void ffn_slice(pbuild *b, uint32_t c, const mchip *m, uint32_t l, uint32_t i)
{
    uint32_t S = b->S, B = mb_B(b), F = mb_F(b), fc = m->f1 - m->f0;
    uint32_t key = l * (uint32_t)b->w->dims.n_ffn + i;
    char nm[48];
    snprintf(nm, sizeof nm, "b%u.ffn%u.w1", l, i);
    pb_linear_cols(b, c, nm, m->a, m->f32, m->f8, B, fc, key, T_W1, F, m->f0, T_BIAS_1);
    snprintf(nm, sizeof nm, "b%u.ffn%u.relu", l, i);
    pb_act(b, c, nm, ACT_RELU, m->f8, m->fr8, S, fc, wlq_identity());
    snprintf(nm, sizeof nm, "b%u.ffn%u.w2", l, i);
    int32_t w2 = pb_tensor(b, c, nm, fc, B, BUF_WEIGHT, key, T_W2, B, m->f0, 0);
    pb_gemm(b, c, nm, m->fr8, w2, m->apart, S, B, fc, false, false);
}

static void bottleneck_out(pbuild *b, uint32_t c, const mchip *m, uint32_t l)
{
    uint32_t S = b->S, E = mb_E(b), bc = m->b1 - m->b0;
    char nm[48];
    if (m->as != m->a) {
        snprintf(nm, sizeof nm, "b%u.out.a_slice", l);
        pb_copy_cols(b, c, nm, m->a, m->as, S, bc, m->b0, 0);
    }
    snprintf(nm, sizeof nm, "b%u.out.w", l);
    int32_t w = pb_tensor(b, c, nm, bc, E, BUF_WEIGHT, l, T_WBOUT, E, m->b0, 0);
    pb_gemm(b, c, nm, m->as, w, m->opart, S, E, bc, false, false);
}

/* Block l from x to x: the broadcast of x first (labelled after the step
 * it follows, the prologue or block l-1), then the seven reductions. When
 * the block is the first this split emits (`fresh`), x is on the root only
 * (the embedded input, or a pipeline stage's stream) and is broadcast;
 * after a block it is wherever the merges ran (pb_share). */
static void block(pbuild *b, mchip *m, uint32_t l, bool fresh)
{
    uint32_t n = b->n, E = mb_E(b), B = mb_B(b), F = mb_F(b);
    uint32_t NF = (uint32_t)b->w->dims.n_ffn;
    char nm[48], tag[32];
    if (l == 0) snprintf(nm, sizeof nm, "input.bcast");
    else snprintf(nm, sizeof nm, "b%u.out.bcast", l - 1);
    if (fresh) pb_bcast(b, nm, &m[0].x, sizeof *m);
    else pb_share(b, nm, &m[0].x, sizeof *m);
    for (uint32_t c = 0; c < n; c++) bottleneck_in(b, c, &m[c], l);
    snprintf(nm, sizeof nm, "b%u.bneck.reduce", l);
    pb_sum(b, nm, &m[0].bpart, sizeof *m);
    for (uint32_t c = 0; c < n; c++)
        if (pb_merges(b, c)) bottleneck_root(b, c, &m[c], l);
    snprintf(nm, sizeof nm, "b%u.bneck.bcast", l);
    pb_share(b, nm, &m[0].qk, sizeof *m);
    for (uint32_t c = 0; c < n; c++)
        for (uint32_t h = m[c].h0; h < m[c].h1; h++) attn_head(b, c, &m[c], l, h);
    snprintf(nm, sizeof nm, "b%u.attn.reduce", l);
    pb_sum(b, nm, &m[0].apart, sizeof *m);
    snprintf(tag, sizeof tag, "b%u.attn", l);
    for (uint32_t c = 0; c < n; c++) {
        const mchip *r = &m[c];
        if (pb_merges(b, c))
            root_merge(b, c, r->apart, r->r8, r->layer_in, r->t, r->a, B, B, l, T_BIAS_O,
                       T_G_ATT, T_B_ATT, tag);
    }
    snprintf(nm, sizeof nm, "b%u.attn.bcast", l);
    pb_share(b, nm, &m[0].a, sizeof *m);
    for (uint32_t i = 0; i < NF; i++) {
        for (uint32_t c = 0; c < n; c++) ffn_slice(b, c, &m[c], l, i);
        snprintf(nm, sizeof nm, "b%u.ffn%u.reduce", l, i);
        pb_sum(b, nm, &m[0].apart, sizeof *m);
        snprintf(tag, sizeof tag, "b%u.ffn%u", l, i);
        uint32_t key = l * NF + i;
        for (uint32_t c = 0; c < n; c++) {
            const mchip *r = &m[c];
            if (pb_merges(b, c))
                root_merge(b, c, r->apart, r->r8, r->a, r->t, r->a, B, F, key, T_BIAS_2,
                           T_G_FFN, T_B_FFN, tag);
        }
        snprintf(nm, sizeof nm, "b%u.ffn%u.bcast", l, i);
        pb_share(b, nm, &m[0].a, sizeof *m);
    }
    for (uint32_t c = 0; c < n; c++) bottleneck_out(b, c, &m[c], l);
    snprintf(nm, sizeof nm, "b%u.out.reduce", l);
    pb_sum(b, nm, &m[0].opart, sizeof *m);
    snprintf(tag, sizeof tag, "b%u.out", l);
    for (uint32_t c = 0; c < n; c++) {
        const mchip *r = &m[c];
        if (pb_merges(b, c))
            root_merge(b, c, r->opart, r->o8, r->x, r->t512, r->x, E, B, l, T_BIAS_BOUT,
                       T_G_BOUT, T_B_BOUT, tag);
    }
}

/* balance: capacity: heads, E, B and F each split by the chips' shares of
 * a block's weight bytes (the bottleneck's E rows, each head's projections,
 * the FFN columns of the stacked FFNs, the output bottleneck's B rows). */
static int capacity_split(pbuild *b, mchip *m)
{
    const model_dims *d = &b->w->dims;
    uint32_t n = b->n;
    double E = (double)d->dim, B = (double)d->bottleneck, P = (double)d->head_dim;
    double F = (double)d->ffn_hidden, H = (double)d->n_heads, NF = (double)d->n_ffn;
    double block = 2 * E * B + H * (3 * B * P + E * P) + NF * 2 * B * F + B * E;
    double *share = calloc(n, sizeof *share), *load = calloc(n, sizeof *load);
    uint32_t *count = calloc(n, sizeof *count);
    int rc = share && load && count ? 0 : -1;
    if (rc == 0) {
        /* the group's chips are chips first.. of the system */
        wl_capacity_shares(b->w->capacity ? b->w->capacity + b->first : NULL, n,
                           block * b->blocks, share);
        const uint64_t totals[4] = {d->n_heads, d->dim, d->bottleneck, d->ffn_hidden};
        uint32_t *lo[4] = {&m[0].h0, &m[0].e0, &m[0].b0, &m[0].f0};
        uint32_t *hi[4] = {&m[0].h1, &m[0].e1, &m[0].b1, &m[0].f1};
        for (int k = 0; k < 4; k++) {
            memset(load, 0, n * sizeof *load);
            wl_fill_by_share(n, share, load, 1, totals[k], 1, count);
            wl_ranges(count, n, lo[k], hi[k], sizeof *m);
        }
    } else {
        snprintf(b->err, b->errlen, "out of memory");
    }
    free(share), free(load), free(count);
    return rc;
}

struct mobilebert_split {
    mchip *m;
    bool emitted;   /* a block was emitted: x is no longer on the root only */
};

mobilebert_split *partition_mobilebert_split_begin(pbuild *b, int balance)
{
    const model_dims *d = &b->w->dims;
    uint32_t n = b->n;
    mobilebert_split *t = calloc(1, sizeof *t);
    mchip *m = calloc(n, sizeof *m);
    if (!t || !m) {
        free(t);
        free(m);
        snprintf(b->err, b->errlen, "out of memory");
        b->failed = 1;
        return NULL;
    }
    t->m = m;
    if (balance == BALANCE_CAPACITY && capacity_split(b, m) != 0) {
        free(t);
        free(m);
        b->failed = 1;
        return NULL;
    }
    for (uint32_t c = 0; c < n; c++) {
        if (balance != BALANCE_CAPACITY) {
            wl_split(d->n_heads, n, c, &m[c].h0, &m[c].h1);
            wl_split(d->dim, n, c, &m[c].e0, &m[c].e1);
            wl_split(d->bottleneck, n, c, &m[c].b0, &m[c].b1);
            wl_split(d->ffn_hidden, n, c, &m[c].f0, &m[c].f1);
        }
        chip_scratch(b, c, &m[c]);
    }
    return t;
}

void partition_mobilebert_split_end(mobilebert_split *t)
{
    if (!t) return;
    free(t->m);
    free(t);
}

int32_t partition_mobilebert_split_stream(const pbuild *b, const mobilebert_split *t)
{
    return t->m[b->p->root].x;
}

/* The embedded input on the root (the embedding is not simulated). */
void partition_mobilebert_split_prologue(pbuild *b, mobilebert_split *t)
{
    pb_input(b, t->m[b->p->root].x);
}

void partition_mobilebert_split_block(pbuild *b, mobilebert_split *t, uint32_t l)
{
    block(b, t->m, l, !t->emitted);
    t->emitted = true;
}

/* The last simulated block's x on the root is the output. */
void partition_mobilebert_split_epilogue(pbuild *b, mobilebert_split *t)
{
    pb_output(b, b->p->root, t->m[b->p->root].x);
}

int partition_mobilebert(pbuild *b, int balance)
{
    mobilebert_split *t = partition_mobilebert_split_begin(b, balance);
    if (!t) return -1;
    partition_mobilebert_split_prologue(b, t);
    for (uint32_t l = 0; l < b->blocks && !b->failed; l++) partition_mobilebert_split_block(b, t, l);
    partition_mobilebert_split_epilogue(b, t);
    partition_mobilebert_split_end(t);
    return b->failed ? -1 : 0;
}
