/* chain: a chunked chain through the root, not a reduce-scatter ring (it
 * was called "ring", still accepted with a warning). A reduction runs
 * n-1 -> ... -> 1 -> 0, a broadcast 0 -> 1 -> ... -> n-1, the buffer cut
 * into `chunks` pieces so rank r forwards piece i while its neighbour
 * already sends piece i+1. Each rank's steps are emitted in its own order
 * (receive a piece, then pass it on), so tags come from (sender, piece)
 * rather than being counted. Its transfers have no levels. */
#include <stddef.h>

#include "collective.h"

typedef struct chain_params {
    uint64_t chunks;
} chain_params;

static const param_spec chain_specs[] = {
    {"chunks", PARAM_UINT, DIM_NONE, offsetof(chain_params, chunks), 1, 1024, "4", NULL,
     "pipeline pieces per collective (assumed 4)"},
};

static void expand(const void *params, const collective *c, collective_steps *s)
{
    uint64_t chunks = ((const chain_params *)params)->chunks;
    uint64_t n = collective_ranks(s), elems = c->bytes / c->elem;
    if (chunks > elems) chunks = elems ? elems : 1;
    uint32_t base = collective_tags(s, (uint32_t)(n * chunks));
    bool reduce = c->kind == OP_REDUCE;
    for (uint64_t r = 0; r < n; r++) {
        bool has_in = reduce ? r + 1 < n : r > 0;
        bool has_out = reduce ? r > 0 : r + 1 < n;
        uint64_t from = reduce ? r + 1 : r - 1, to = reduce ? r - 1 : r + 1;
        for (uint64_t i = 0; i < chunks; i++) {
            uint64_t lo = elems * i / chunks * c->elem;
            uint64_t hi = i + 1 == chunks ? c->bytes : elems * (i + 1) / chunks * c->elem;
            if (has_in)
                collective_recv(s, (uint32_t)r, (uint32_t)from, lo, hi - lo, reduce,
                                base + (uint32_t)(from * chunks + i));
            if (has_out)
                collective_send(s, (uint32_t)r, (uint32_t)to, lo, hi - lo,
                                base + (uint32_t)(r * chunks + i));
        }
    }
}

static uint64_t messages(const void *params, uint32_t n)
{
    return (n ? n - 1 : 0) * ((const chain_params *)params)->chunks;
}

static const collective_ops chain_ops = {
    expand, messages, NULL, NULL, REDUCE_ON_ROOT,
    "for a reduce-scatter + all-gather ring use 'ring_allreduce'",
};

const registry_entry collective_chain = {
    "chain",
    "a chunked chain through the root, not a reduce-scatter ring",
    chain_specs, sizeof chain_specs / sizeof chain_specs[0], sizeof(chain_params), &chain_ops,
    "ring",
};
