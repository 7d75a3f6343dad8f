/* The tensor partitioner's program size from the dims (see
 * partition_estimate.h). Each count is the sum of what the partitioner
 * emits, grouped as it emits them; "root" terms are the reduction root's
 * own buffers and ops. */
#include <string.h>

#include "partition_internal.h"

static double min_d(double a, double b) { return a < b ? a : b; }

/* partition_llama.c: chips with heads (the first min(n, H)), per-chip
 * scratch, per layer each head's 6 buffers and 15 ops, each chip's FFN
 * slice (3 buffers, 7 ops), two reductions and broadcasts, two root merges. */
static void llama(const workload_params *w, double n, double S, double T, program_size *o)
{
    const model_dims *d = &w->dims;
    double L = (double)d->n_layers, H = (double)d->n_heads, E = (double)d->dim;
    double P = (double)d->head_dim, F = (double)d->ffn_hidden, nh = min_d(n, H);
    o->buffers = 7 * n + 7 * nh + 2 + 1 + L * (6 * H + 3 * n + 2);
    o->ops = 1 + n + L * ((n - nh) + 15 * H + 11 * n + 6) - n;
    o->collectives = 4 * L;
    double weights = L * (4 * E * H * P + 3 * E * F + 2 * E) + E;
    double kv = L * H * 2 * T * P;
    o->weight_buffers = L * (4 * H + 3 * n + 2) + 1;
    o->weight_bytes = weights;
    double scratch = n * 5 * S * E + nh * (8 * S * P + 5 * S * T) + 8 * S * F + 2 * S * E;
    o->data_bytes = weights + kv + scratch;
    o->max_coll_bytes = 4 * S * E;
}

/* partition_mobilebert.c: every chip owns heads (n <= H); per layer the
 * bottleneck, attention, n_ffn FFNs and the output bottleneck, each a
 * reduction with a root merge and a broadcast (none after the last block). */
static void mobilebert(const workload_params *w, double n, double S, program_size *o)
{
    const model_dims *d = &w->dims;
    double L = (double)d->n_layers, H = (double)d->n_heads, E = (double)d->dim;
    double P = (double)d->head_dim, F = (double)d->ffn_hidden, B = (double)d->bottleneck;
    double NF = (double)d->n_ffn, split = n > 1 ? 1 : 0;   /* slice copies */
    o->buffers = n * (16 + 2 * split) + 7 + L * (2 * n + 3 + 7 * H + 3 * (NF + 2) + 3 * n * NF);
    double per_layer = 2 * n * (1 + split) + 6 * n + 10 + 11 * H + NF * (6 * n + 3);
    o->ops = n + L * per_layer - n;
    o->collectives = L * (6 + 2 * NF);
    double weights = L * (2 * E * B + H * (3 * B * P + E * P + 12 * P) + NF * (2 * B * F + 4 * F) +
                          B * E + 18 * B + 9 * B + NF * 9 * B + 9 * E);
    o->weight_buffers = L * (2 * n + 3 + 7 * H + 3 * (NF + 2) + 3 * n * NF);
    o->weight_bytes = weights;
    double scratch = n * (5 * S * E + 14 * S * B + 8 * S * P + 5 * S * S) +
                     split * (S * E + S * B) + 6 * S * F + 7 * S * B + 2 * S * E;
    o->data_bytes = weights + scratch;
    double big = 8 * S * B > 4 * S * E ? 8 * S * B : 4 * S * E;
    o->max_coll_bytes = big > S * E ? big : S * E;
}

void tensor_estimate(const workload_params *w, uint32_t n_chips, program_size *out)
{
    memset(out, 0, sizeof *out);
    bool ar = w->mode == MODE_AUTOREGRESSIVE;
    double S = ar ? 1 : (double)w->seq_len, T = ar ? (double)w->seq_len + 1 : (double)w->seq_len;
    if (w->dims.arch == ARCH_MOBILEBERT) mobilebert(w, (double)n_chips, S, out);
    else llama(w, (double)n_chips, S, T, out);
}
