/* Transient buffers (activations, partials, residual) and their spill to
 * HyperRAM. A transient buffer occupies L2 from its first to its last use in
 * the op list; the peak of that live set is what L2 must hold.
 *
 * Spill policy (deterministic): while the peak exceeds the budget, take the
 * op where it peaks and home in HyperRAM the largest resident transient
 * buffer live there (ties: lowest buffer id), then sweep again. Spilling the
 * largest buffer at the peak frees the most bytes where they are needed with
 * the fewest spilled buffers; buffers never live at a peak stay in L2. */
#include <stdlib.h>

#include "pulp_internal.h"

static bool is_transient(buf_role r)
{
    return r == BUF_ACTIVATION || r == BUF_PARTIAL || r == BUF_RESIDUAL;
}

typedef struct lifetimes {
    int64_t *first, *last;   /* op index of first / last use, -1 if unused */
    int64_t *delta;          /* scratch for the sweep, n_ops + 2 entries */
} lifetimes;

static void lifetimes_free(lifetimes *lt)
{
    free(lt->first), free(lt->last), free(lt->delta);
}

static int lifetimes_build(const chip_program *c, lifetimes *lt)
{
    lt->first = malloc(sizeof *lt->first * (c->n_bufs + 1));
    lt->last = malloc(sizeof *lt->last * (c->n_bufs + 1));
    lt->delta = malloc(sizeof *lt->delta * ((size_t)c->n_ops + 2));
    if (!lt->first || !lt->last || !lt->delta) {
        lifetimes_free(lt);
        return -1;
    }
    for (uint32_t b = 0; b < c->n_bufs; b++) lt->first[b] = lt->last[b] = -1;
    for (uint32_t i = 0; i < c->n_ops; i++)
        for (int s = 0; s < 4; s++) {
            int32_t id = pulp_op_slot_buf(&c->ops[i], s);
            if (id < 0 || (uint32_t)id >= c->n_bufs) continue;
            if (lt->first[id] < 0) lt->first[id] = i;
            lt->last[id] = i;
        }
    return 0;
}

static bool resident_transient(const chip_program *c, const lifetimes *lt, uint32_t b)
{
    return lt->first[b] >= 0 && is_transient(c->bufs[b].role) && c->bufs[b].home != MEM_HYPERRAM;
}

/* Difference-array sweep of the resident transient set over the op list. */
static live_peak sweep(const chip_program *c, const lifetimes *lt)
{
    for (uint32_t i = 0; i < c->n_ops + 2; i++) lt->delta[i] = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++) {
        if (!resident_transient(c, lt, b)) continue;
        int64_t sz = (int64_t)prog_buffer_bytes(&c->bufs[b]);
        lt->delta[lt->first[b]] += sz;
        lt->delta[lt->last[b] + 1] -= sz;
    }
    int64_t live = 0;
    live_peak pk = {0, 0};
    for (uint32_t i = 0; i < c->n_ops; i++) {
        live += lt->delta[i];
        if ((uint64_t)live > pk.bytes) pk = (live_peak){(uint64_t)live, i};
    }
    return pk;
}

int pulp_transient_peak(const chip_program *c, live_peak *pk)
{
    lifetimes lt;
    if (lifetimes_build(c, &lt) != 0) return -1;
    *pk = sweep(c, &lt);
    lifetimes_free(&lt);
    return 0;
}

/* The largest resident transient buffer live at op `at`, -1 if none. */
static int64_t largest_live_at(const chip_program *c, const lifetimes *lt, uint32_t at)
{
    int64_t best = -1;
    for (uint32_t b = 0; b < c->n_bufs; b++) {
        if (!resident_transient(c, lt, b) || lt->first[b] > at || lt->last[b] < at) continue;
        if (best < 0 || prog_buffer_bytes(&c->bufs[b]) > prog_buffer_bytes(&c->bufs[best]))
            best = b;
    }
    return best;
}

int pulp_spill_transients(chip_program *c, uint64_t budget, spill_result *r)
{
    lifetimes lt;
    if (lifetimes_build(c, &lt) != 0) return -1;
    *r = (spill_result){0};
    r->peak = sweep(c, &lt);
    while (r->peak.bytes > budget) {
        int64_t b = largest_live_at(c, &lt, r->peak.at_op);
        if (b < 0) break;   /* unreachable: a positive peak has a live buffer */
        c->bufs[b].home = MEM_HYPERRAM;
        r->bytes += prog_buffer_bytes(&c->bufs[b]);
        r->buffers++;
        r->peak = sweep(c, &lt);
    }
    lifetimes_free(&lt);
    return 0;
}
