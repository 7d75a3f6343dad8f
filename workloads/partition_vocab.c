/* The parts of a llama inference outside the blocks (workload.head: true):
 * the embedding lookup before them and the LM head after the final norm,
 * with the vocabulary sliced across chips so no weight is duplicated.
 *
 * Weights. llama2.c's stories models tie the classifier to the token
 * embedding (shared weights; stories42M's 41.7 M parameters are 25.3 M in
 * the blocks plus the 16.4 M V×E embedding), so each chip holds one
 * contiguous vocab slice Wemb[v0:v1, :] (int8, the first V mod N chips one
 * row more) and uses it both for the lookup and as the classifier. Its
 * values are pseudo-random like every weight, scaled down to activation
 * range (the rms a block input has when head: false) because the looked-up
 * row is the residual stream itself.
 *
 * Lookup. The S input token ids are pseudo-random from the seed, so every
 * chip count sees the same tokens. Each chip clears an S×E int32 partial (a
 * k = 0 GEMM, as for head-less chips in partition_llama.c: a priced write of
 * zeros), widens the rows of the tokens its slice owns into it, and one
 * OP_REDUCE sums the partials on the root, which requantises the sum
 * (identity scale: exactly one chip contributed each row) into the residual
 * stream. That costs one reduction per inference beyond the blocks' own.
 * With a collective that leaves sums on every chip it is an OP_ALLREDUCE
 * and every chip requantises into its own residual (pb_sum, pb_merges).
 *
 * LM head. The root broadcasts the final-normed x, and each chip computes
 * its logits slice x · sliceᵀ (a GEMM with trans_b, int32 logits). In prompt
 * mode only the last position's logits are computed, what generation needs
 * next: the root copies that row out and broadcasts one row, not S. When
 * every chip computed the final norm itself, each copies its own row and
 * nothing is broadcast. The
 * logits stay distributed: the output is every chip's slice in chip order.
 * A sampler would need only a small arg-max reduction on top, which is not
 * modelled. */
#include <stdio.h>

#include "partition_internal.h"
#include "quant_rules.h"

void pb_vocab_setup(pbuild *b, pb_vocab *v)
{
    uint32_t E = (uint32_t)b->w->dims.dim;
    for (uint32_t c = 0; c < b->n; c++) {
        pb_vocab *cv = &v[c];
        wl_split(b->w->dims.vocab, b->n, c, &cv->v0, &cv->v1);
        uint32_t rows = cv->v1 - cv->v0;
        cv->table = pb_tensor(b, c, "embed.table", rows, E, BUF_WEIGHT, 0, T_EMBED, E, cv->v0, 0);
        pb_shift_down(b, c, cv->table, 2);
        cv->last = b->S == 1 ? cv->x : pb_buf(b, c, "head_in", DT_I8, 1, E, BUF_ACTIVATION);
        cv->logits = pb_buf(b, c, "logits", DT_I32, 1, rows, BUF_ACTIVATION);
    }
}

void pb_embed_lookup(pbuild *b, const pb_vocab *v)
{
    uint32_t E = (uint32_t)b->w->dims.dim, S = b->S;
    for (uint32_t c = 0; c < b->n; c++) {
        const pb_vocab *cv = &v[c];
        pb_gemm(b, c, "embed.zero", cv->x, cv->x, cv->sum, S, E, 0, false, false);
        for (uint32_t s = 0; s < S; s++) {
            uint32_t tok = wl_token(b->data_seed, (uint64_t)b->pos0 + s, b->w->dims.vocab);
            if (tok >= cv->v0 && tok < cv->v1)
                pb_copy_row(b, c, "embed.lookup", cv->table, tok - cv->v0, cv->sum, s, E);
        }
    }
    pb_sum(b, "embed.reduce", &v[0].sum, sizeof *v);
    for (uint32_t c = 0; c < b->n; c++)
        if (pb_merges(b, c))
            pb_requant(b, c, "embed.rq", v[c].sum, v[c].residual, S, E, wlq_identity());
}

void pb_lm_head(pbuild *b, const pb_vocab *v)
{
    uint32_t E = (uint32_t)b->w->dims.dim, S = b->S;
    for (uint32_t c = 0; c < b->n && S > 1; c++)
        if (pb_merges(b, c))
            pb_copy_row(b, c, "head.last_row", v[c].x, S - 1, v[c].last, 0, E);
    pb_share(b, "head.bcast", &v[0].last, sizeof *v);
    for (uint32_t c = 0; c < b->n; c++) {
        const pb_vocab *cv = &v[c];
        pb_gemm(b, c, "head.logits", cv->last, cv->table, cv->logits, 1, cv->v1 - cv->v0, E,
                true, false);
        pb_output(b, c, cv->logits);
    }
}
