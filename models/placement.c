/* pulp_place: where each buffer of one chip lives.
 *
 * 0. A node with a weight memory keeps whole weight tensors there first,
 *    largest first while they fit (ties by buffer id): the compute engines
 *    read them in place, without an L2->L1 DMA. Only the weights left over
 *    take part in the L2 placement below. KV cache and activations never go
 *    there (it is a weight store, read-mostly).
 * 1. Transient buffers (activation, partial, residual) live in L2 from their
 *    first to their last use (spill.c). If the peak of that live set fits in
 *    L2 - reserved, all of them stay in L2.
 * 2. If all weights and the KV cache fit beside that peak, everything is
 *    stationary in L2.
 * 3. Otherwise something streams: the L2 staging buffer for HyperRAM streams
 *    is set aside. If the peak does not fit beside it, transient buffers are
 *    spilled to HyperRAM (largest live at the peak first, see spill.c) until
 *    it does; only when the staging buffer itself does not fit does
 *    placement fail, naming the op at the peak. Activations thus take
 *    precedence over weights and KV cache for L2.
 * 4. In what is left, whole weight tensors are kept resident greedily,
 *    largest first (ties by buffer id, so the result is deterministic); then
 *    KV-cache buffers the same way. The rest is homed in HyperRAM.
 * Every op that touches a HyperRAM-homed buffer streams those bytes (reads,
 * and writes of spilled results) through the staging buffer; the stream is
 * priced inside that op by pulp_op_cost (no OP_DMA is added).
 * 5. What is homed in HyperRAM must fit its size: a model too large for the
 *    chip and its off-chip memory is refused, not priced.
 * 6. Every op must tile into L1 (checked first). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pulp_internal.h"
#include "../core/units.h"

typedef struct size_id { uint64_t bytes; uint32_t id; } size_id;

static int by_size_desc(const void *a, const void *b)
{
    const size_id *x = a, *y = b;
    if (x->bytes != y->bytes) return x->bytes < y->bytes ? 1 : -1;
    return x->id < y->id ? -1 : (x->id > y->id);
}

/* Of the buffers of `role` still homed in L2, homes the largest first in
 * `fit` while they fit in *room (ties by id), the others in `rest`. */
static int keep_greedy(chip_program *c, buf_role role, mem_level fit, mem_level rest,
                       uint64_t *room)
{
    size_id *v = malloc(sizeof *v * (c->n_bufs + 1));
    if (!v) return -1;
    uint32_t n = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (c->bufs[b].role == role && c->bufs[b].home == MEM_L2)
            v[n++] = (size_id){prog_buffer_bytes(&c->bufs[b]), b};
    qsort(v, n, sizeof *v, by_size_desc);
    for (uint32_t i = 0; i < n; i++) {
        bool fits = v[i].bytes <= *room;
        c->bufs[v[i].id].home = fits ? fit : rest;
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

static const char *op_label(const chip_program *c, uint32_t at)
{
    return at < c->n_ops ? c->ops[at].label : "?";
}

static int fail_staging(const pulp_params *p, const chip_program *c, const live_peak *pk,
                        char *err, size_t errlen)
{
    snprintf(err, errlen,
             "chip %u: activations do not fit L2 even spilled to HyperRAM: %llu B live at op "
             "'%s', L2 is %.0f B with %.0f B reserved and no room for the %.0f B HyperRAM "
             "staging buffer",
             c->chip, (unsigned long long)pk->bytes, op_label(c, pk->at_op), p->l2_size,
             p->l2_reserved, p->l2_stream_buffer);
    return -1;
}

static int fail_offchip(const pulp_params *p, const chip_program *c, uint64_t bytes,
                        char *err, size_t errlen)
{
    char have[32];
    unit_format(p->hyper_size, DIM_BYTES, have, sizeof have);
    snprintf(err, errlen,
             "chip %u: its weights, KV cache and activations left off chip (%llu B, %.1f MiB) "
             "exceed hyperram.size %s: use more chips or a larger off-chip memory",
             c->chip, (unsigned long long)bytes, (double)bytes / (1 << 20), have);
    return -1;
}

static int fail_oom(const chip_program *c, char *err, size_t errlen)
{
    snprintf(err, errlen, "chip %u: out of memory in placement", c->chip);
    return -1;
}

/* Spills transients until they fit beside the staging buffer. */
static int spill_to(chip_program *c, uint64_t budget, placement_report *out, live_peak *pk,
                    char *err, size_t errlen)
{
    spill_result sr;
    if (pulp_spill_transients(c, budget, &sr) != 0) return fail_oom(c, err, errlen);
    *pk = sr.peak;
    out->spilled_activation_bytes = sr.bytes;
    out->spilled_activation_buffers = sr.buffers;
    return 0;
}

int pulp_place(const pulp_node *m, chip_program *c, placement_report *out, char *err,
               size_t errlen)
{
    const pulp_params *p = &m->p;
    memset(out, 0, sizeof *out);
    for (uint32_t b = 0; b < c->n_bufs; b++) c->bufs[b].home = MEM_L2;
    for (uint32_t i = 0; i < c->n_ops; i++)
        if (pulp_op_check(m, c, &c->ops[i], err, errlen) != 0) return -1;

    uint64_t cap = p->l2_size > p->l2_reserved ? (uint64_t)(p->l2_size - p->l2_reserved) : 0;
    live_peak pk;
    if (pulp_transient_peak(c, &pk) != 0) return fail_oom(c, err, errlen);
    out->activation_demand_bytes = pk.bytes;
    out->weight_bytes = role_bytes(c, BUF_WEIGHT, MEM_L2, true);
    out->kv_bytes = role_bytes(c, BUF_KV_CACHE, MEM_L2, true);
    out->capacity[MEM_L2] = (uint64_t)p->l2_size;
    out->capacity[MEM_WMEM] = (uint64_t)p->wmem_size;
    uint64_t wroom = out->capacity[MEM_WMEM];
    if (wroom && keep_greedy(c, BUF_WEIGHT, MEM_WMEM, MEM_L2, &wroom) != 0)
        return fail_oom(c, err, errlen);
    out->used[MEM_WMEM] = out->capacity[MEM_WMEM] - wroom;
    uint64_t weights_l2 = out->weight_bytes - out->used[MEM_WMEM];

    bool streams = pk.bytes > cap || weights_l2 + out->kv_bytes > cap - pk.bytes;
    uint64_t stage = streams ? (uint64_t)p->l2_stream_buffer : 0;
    if (stage > cap) return fail_staging(p, c, &pk, err, errlen);
    if (pk.bytes > cap - stage && spill_to(c, cap - stage, out, &pk, err, errlen) != 0)
        return -1;
    out->activation_peak_bytes = pk.bytes + stage;
    if (streams) {
        uint64_t room = cap - stage - pk.bytes;
        if (keep_greedy(c, BUF_WEIGHT, MEM_L2, MEM_HYPERRAM, &room) != 0 ||
            keep_greedy(c, BUF_KV_CACHE, MEM_L2, MEM_HYPERRAM, &room) != 0)
            return fail_oom(c, err, errlen);
    }
    out->weights_on_chip = role_bytes(c, BUF_WEIGHT, MEM_HYPERRAM, false) == 0;
    out->capacity[MEM_HYPERRAM] = (uint64_t)p->hyper_size;
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (c->bufs[b].home == MEM_HYPERRAM) out->used[MEM_HYPERRAM] += prog_buffer_bytes(&c->bufs[b]);
    if (out->used[MEM_HYPERRAM] > out->capacity[MEM_HYPERRAM])
        return fail_offchip(p, c, out->used[MEM_HYPERRAM], err, errlen);
    out->used[MEM_L2] = (uint64_t)p->l2_reserved + out->activation_peak_bytes +
                   role_bytes(c, BUF_WEIGHT, MEM_L2, false) + role_bytes(c, BUF_KV_CACHE, MEM_L2, false);
    for (uint32_t i = 0; i < c->n_ops; i++)
        out->streamed_bytes_per_inference += pulp_op_hyper_bytes(c, &c->ops[i]);
    return 0;
}
