/* The tensor partitioner's program size from the dims (see
 * partition_estimate.h). Each count is the sum of what the partitioner
 * emits, grouped as it emits them; "root" terms are the reduction root's
 * own buffers and ops. */
#include <string.h>

#include "partition_internal.h"

static double min_d(double a, double b) { return a < b ? a : b; }

/* Chips that merge after a sum (m: the root, or all n) and whether the
 * root's result is then broadcast (share), as pb_merges / pb_share. */
static void merges(const workload_params *w, double n, double *m, double *share)
{
    bool all = w->reductions == REDUCE_ON_ALL;
    *m = all ? n : 1;
    *share = all ? 0 : 1;
}

/* partition_llama.c: chips with heads (the first min(n, KV)), per-chip
 * scratch, per layer each query head's 2 buffers and 8 ops and each K/V
 * head's 4 buffers and 7 ops (6 and 15 per head without grouping), each
 * chip's FFN slice (3 buffers, 7 ops), two reductions, two merges (3 ops
 * and a gamma each) on every merging chip, two broadcasts when the root
 * merges alone (none after the last block); the prologue normalises on the
 * merging chips and broadcasts either x or the input. */
static void llama(const workload_params *w, double n, double S, double T, bool last,
                  program_size *o)
{
    const model_dims *d = &w->dims;
    double L = (double)d->n_layers, H = (double)d->n_heads, E = (double)d->dim;
    double KV = (double)d->n_kv_heads;
    double P = (double)d->head_dim, F = (double)d->ffn_hidden, nh = min_d(n, KV);
    double m, share;
    merges(w, n, &m, &share);
    double fin = last ? m : 0;   /* the final norm's gammas, on the last stage only */
    o->buffers = 7 * n + 7 * nh + 2 * m + fin + L * (2 * H + 4 * KV + 3 * n + 2 * m);
    o->ops = n + m + L * ((n - nh) + 8 * H + 7 * KV + 9 * n + 6 * m + 2 * n * share) -
             n * share;
    o->collectives = 1 + L * (2 + 2 * share) - share;
    double weights = L * (2 * E * H * P + 2 * E * KV * P + 3 * E * F + 2 * E * m) + E * fin;
    double kv = L * KV * 2 * T * P;
    o->weight_buffers = L * (2 * H + 2 * KV + 3 * n + 2 * m) + fin;
    o->weight_bytes = weights;
    double scratch = n * 5 * S * E + nh * (8 * S * P + 5 * S * T) + 8 * S * F + 2 * S * E * m;
    o->data_bytes = weights + kv + scratch;
    o->max_coll_bytes = 4 * S * E;
}

/* partition_mobilebert.c: every chip owns heads (n <= H); per layer the
 * bottleneck, attention, n_ffn FFNs and the output bottleneck, each a
 * reduction with a merge on every merging chip and, when the root merges
 * alone, a broadcast (none after the last block). */
static void mobilebert(const workload_params *w, double n, double S, program_size *o)
{
    const model_dims *d = &w->dims;
    double L = (double)d->n_layers, H = (double)d->n_heads, E = (double)d->dim;
    double P = (double)d->head_dim, F = (double)d->ffn_hidden, B = (double)d->bottleneck;
    double NF = (double)d->n_ffn, split = n > 1 ? 1 : 0;   /* slice copies */
    double m, share;
    merges(w, n, &m, &share);
    o->buffers = n * (16 + 2 * split) + 7 * m +
                 L * (2 * n + 3 * m + 7 * H + 3 * (NF + 2) * m + 3 * n * NF);
    double per_layer = 2 * n * (1 + split) + n * (3 + NF) + m * (10 + 3 * NF) + 11 * H +
                       NF * 4 * n + share * n * (3 + NF);
    o->ops = n + L * per_layer - n * share;
    o->collectives = 1 + L * (3 + NF) * (1 + share) - share;
    double weights = L * (2 * E * B + H * (3 * B * P + E * P + 12 * P) + NF * (2 * B * F + 4 * F) +
                          B * E + (18 * B + 9 * B + NF * 9 * B + 9 * E) * m);
    o->weight_buffers = L * (2 * n + 3 * m + 7 * H + 3 * (NF + 2) * m + 3 * n * NF);
    o->weight_bytes = weights;
    double scratch = n * (5 * S * E + 14 * S * B + 8 * S * P + 5 * S * S) +
                     split * (S * E + S * B) + 6 * S * F + (7 * S * B + 2 * S * E) * m;
    o->data_bytes = weights + scratch;
    double big = 8 * S * B > 4 * S * E ? 8 * S * B : 4 * S * E;
    o->max_coll_bytes = big > S * E ? big : S * E;
}

void partition_tensor_estimate(const workload_params *w, uint32_t n_chips, program_size *out)
{
    partition_tensor_estimate_stage(w, n_chips, true, out);
}

void partition_tensor_estimate_stage(const workload_params *w, uint32_t n_chips, bool last,
                                     program_size *out)
{
    memset(out, 0, sizeof *out);
    bool ar = w->mode == MODE_AUTOREGRESSIVE;
    double S = ar ? 1 : (double)w->seq_len, T = ar ? (double)w->seq_len + 1 : (double)w->seq_len;
    if (w->dims.arch == ARCH_MOBILEBERT) mobilebert(w, (double)n_chips, S, out);
    else llama(w, (double)n_chips, S, T, last, out);
}
