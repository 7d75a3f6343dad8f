/* node_place: where each buffer of one chip lives.
 *
 * 1. Transient buffers (activation, partial, residual) live in L2 from their
 *    first to their last use; the peak of that live set must fit in
 *    L2 - reserved, or placement fails naming the op at the peak.
 * 2. If all weights and the KV cache fit in what is left, everything is
 *    stationary in L2.
 * 3. Otherwise an L2 staging buffer for HyperRAM streams is set aside, and
 *    whole weight tensors are kept resident greedily, largest first (ties by
 *    buffer id, so the result is deterministic); then KV-cache buffers the
 *    same way. The rest is homed in HyperRAM and streamed by every op that
 *    reads it (priced inside that op by node_op_cost; no OP_DMA is added).
 * 4. Every op must tile into L1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node_internal.h"

static bool is_transient(buf_role r)
{
    return r == BUF_ACTIVATION || r == BUF_PARTIAL || r == BUF_RESIDUAL;
}

typedef struct live_peak {
    uint64_t bytes;
    uint32_t at_op;       /* op index where the live set peaks */
} live_peak;

/* Sweeps a difference array of buffer lifetimes over the op list. */
static int transient_peak(const chip_program *c, live_peak *pk)
{
    int64_t *first = malloc(sizeof *first * (c->n_bufs + 1));
    int64_t *last = malloc(sizeof *last * (c->n_bufs + 1));
    int64_t *delta = calloc((size_t)c->n_ops + 2, sizeof *delta);
    if (!first || !last || !delta) {
        free(first), free(last), free(delta);
        return -1;
    }
    for (uint32_t b = 0; b < c->n_bufs; b++) first[b] = last[b] = -1;
    for (uint32_t i = 0; i < c->n_ops; i++)
        for (int s = 0; s < 4; s++) {
            int32_t id = op_slot_buf(&c->ops[i], s);
            if (id < 0 || (uint32_t)id >= c->n_bufs) continue;
            if (first[id] < 0) first[id] = i;
            last[id] = i;
        }
    for (uint32_t b = 0; b < c->n_bufs; b++) {
        if (first[b] < 0 || !is_transient(c->bufs[b].role)) continue;
        int64_t sz = (int64_t)prog_buffer_bytes(&c->bufs[b]);
        delta[first[b]] += sz;
        delta[last[b] + 1] -= sz;
    }
    int64_t live = 0;
    *pk = (live_peak){0, 0};
    for (uint32_t i = 0; i < c->n_ops; i++) {
        live += delta[i];
        if ((uint64_t)live > pk->bytes) *pk = (live_peak){(uint64_t)live, i};
    }
    free(first), free(last), free(delta);
    return 0;
}

typedef struct size_id { uint64_t bytes; uint32_t id; } size_id;

static int by_size_desc(const void *a, const void *b)
{
    const size_id *x = a, *y = b;
    if (x->bytes != y->bytes) return x->bytes < y->bytes ? 1 : -1;
    return x->id < y->id ? -1 : (x->id > y->id);
}

/* Keeps buffers of `role` resident largest first while they fit in *room. */
static int keep_greedy(chip_program *c, buf_role role, uint64_t *room)
{
    size_id *v = malloc(sizeof *v * (c->n_bufs + 1));
    if (!v) return -1;
    uint32_t n = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (c->bufs[b].role == role) v[n++] = (size_id){prog_buffer_bytes(&c->bufs[b]), b};
    qsort(v, n, sizeof *v, by_size_desc);
    for (uint32_t i = 0; i < n; i++) {
        bool fits = v[i].bytes <= *room;
        c->bufs[v[i].id].home = fits ? MEM_L2 : MEM_HYPERRAM;
        if (fits) *room -= v[i].bytes;
    }
    free(v);
    return 0;
}

static uint64_t role_bytes(const chip_program *c, buf_role role, mem_level only, bool any)
{
    uint64_t t = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (c->bufs[b].role == role && (any || c->bufs[b].home == only))
            t += prog_buffer_bytes(&c->bufs[b]);
    return t;
}

static int fail_activations(const node_params *p, const chip_program *c, const live_peak *pk,
                            char *err, size_t errlen)
{
    const char *label = pk->at_op < c->n_ops ? c->ops[pk->at_op].label : "?";
    snprintf(err, errlen,
             "chip %u: activations do not fit L2: %llu B live at op '%s', L2 is %.0f B with "
             "%.0f B reserved",
             c->chip, (unsigned long long)pk->bytes, label, p->l2_size, p->l2_reserved);
    return -1;
}

int node_place(const node_model *m, chip_program *c, placement_report *out, char *err,
               size_t errlen)
{
    const node_params *p = &m->p;
    memset(out, 0, sizeof *out);
    for (uint32_t b = 0; b < c->n_bufs; b++) c->bufs[b].home = MEM_L2;
    for (uint32_t i = 0; i < c->n_ops; i++)
        if (node_op_check(m, c, &c->ops[i], err, errlen) != 0) return -1;

    live_peak pk;
    if (transient_peak(c, &pk) != 0) {
        snprintf(err, errlen, "chip %u: out of memory in placement", c->chip);
        return -1;
    }
    uint64_t cap = (uint64_t)(p->l2_size - p->l2_reserved);
    if (pk.bytes > cap) return fail_activations(p, c, &pk, err, errlen);

    out->weight_bytes = role_bytes(c, BUF_WEIGHT, MEM_L2, true);
    out->kv_bytes = role_bytes(c, BUF_KV_CACHE, MEM_L2, true);
    out->activation_peak_bytes = pk.bytes;
    out->l2_capacity = (uint64_t)p->l2_size;
    uint64_t room = cap - pk.bytes;
    if (out->weight_bytes + out->kv_bytes > room) {
        uint64_t stage = (uint64_t)p->l2_stream_buffer;
        if (stage > room) return fail_activations(p, c, &(live_peak){pk.bytes + stage, pk.at_op},
                                                  err, errlen);
        room -= stage;
        out->activation_peak_bytes += stage;
        if (keep_greedy(c, BUF_WEIGHT, &room) != 0 || keep_greedy(c, BUF_KV_CACHE, &room) != 0) {
            snprintf(err, errlen, "chip %u: out of memory in placement", c->chip);
            return -1;
        }
    }
    out->weights_in_l2 = role_bytes(c, BUF_WEIGHT, MEM_HYPERRAM, false) == 0;
    out->l2_used = (uint64_t)p->l2_reserved + out->activation_peak_bytes +
                   role_bytes(c, BUF_WEIGHT, MEM_L2, false) + role_bytes(c, BUF_KV_CACHE, MEM_L2, false);
    for (uint32_t i = 0; i < c->n_ops; i++)
        out->streamed_bytes_per_inference += op_hyper_bytes(c, &c->ops[i]);
    return 0;
}
