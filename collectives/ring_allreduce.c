/* ring_allreduce: the bandwidth-optimal ring all-reduce (Patarasuk and
 * Yuan, "Bandwidth optimal all-reduce algorithms for clusters of
 * workstations", JPDC 2009; the ring of NCCL and Horovod). Rank r sends
 * only to rank r+1 and receives only from rank r-1 (mod n), so every chip
 * uses two links, one out and one in.
 *
 * The int32 vector is cut into n chunks, chunk i being elements
 * [i·E/n, (i+1)·E/n): sizes differ by at most one element, and when n > E
 * some are empty (an empty chunk is never sent). An all-reduce is
 *   reduce-scatter, steps s = 0..n-2: rank r sends chunk (r-1-s) mod n to
 *     r+1 and adds chunk (r-2-s) mod n from r-1 into its own; after the
 *     last step rank r holds the complete sum of chunk r;
 *   all-gather, steps s = 0..n-2: rank r sends chunk (r-s) mod n (the one it
 *     completed or received last) and receives chunk (r-1-s) mod n.
 * Every rank then holds the whole sum: the entry's result is REDUCE_ON_ALL,
 * so partitioners let every chip compute what follows a sum itself instead
 * of the root broadcasting it. Each rank sends 2(n-1) messages of about 1/n
 * of the payload (2(n-1)/n payloads in all, whatever n), but the 2(n-1)
 * steps run one after the other, each paying a link's setup. Every rank
 * sends before it receives at each step, so no rank waits on a send behind
 * its own receive.
 *
 * The other collectives, over the same ring links: a reduction onto the
 * root alone (OP_REDUCE) is the reduce-scatter and the part of the
 * all-gather that carries each chunk on to rank 0 (chunk c ≥ 1 travels
 * c -> c+1 -> ... -> n-1 -> 0); a broadcast (OP_BCAST) is a chain
 * 0 -> 1 -> ... -> n-1 with the payload cut into n pieces, pipelined. A ring
 * has no levels: system.links names pairs. */
#include "collective.h"

/* First byte of chunk i of n over `elems` elements of `elem` bytes. */
static uint64_t chunk_at(const collective *c, uint64_t i, uint64_t n)
{
    uint64_t elems = c->bytes / c->elem;
    return i >= n ? c->bytes : elems * i / n * c->elem;
}

static uint64_t chunk_bytes(const collective *c, uint64_t i, uint64_t n)
{
    return chunk_at(c, i + 1, n) - chunk_at(c, i, n);
}

static uint64_t mod(uint64_t a, uint64_t minus, uint64_t n)
{
    return (a + n * (minus / n + 1) - minus) % n;
}

/* One phase of n-1 steps: at step s rank r sends chunk (r - shift - s) mod n
 * to r+1, which takes it from r (sends(): whether that message exists). */
typedef struct ring_phase {
    uint64_t shift;     /* chunk sent by r at step s: (r - shift - s) mod n */
    bool accumulate;    /* reduce-scatter adds, all-gather overwrites */
    bool to_root_only;  /* all-gather of a reduce: only chunks still on their way to rank 0 */
} ring_phase;

static bool sends(const ring_phase *ph, uint64_t r, uint64_t s)
{
    /* all-gather to the root: rank r's chunk r - s (chunk c started on rank
     * c, s hops ago) is on its way to rank 0 when it did not wrap past it */
    return !ph->to_root_only || r > s;
}

static void phase(const collective *c, collective_steps *x, const ring_phase *ph)
{
    uint64_t n = collective_ranks(x);
    uint32_t base = collective_tags(x, (uint32_t)(n * (n - 1)));
    for (uint64_t s = 0; s + 1 < n; s++)
        for (uint64_t r = 0; r < n; r++) {
            uint64_t to = (r + 1) % n, from = (r + n - 1) % n;
            uint64_t out = mod(r, ph->shift + s, n), in = mod(from, ph->shift + s, n);
            if (sends(ph, r, s) && chunk_bytes(c, out, n))
                collective_send(x, (uint32_t)r, (uint32_t)to, chunk_at(c, out, n),
                                chunk_bytes(c, out, n), base + (uint32_t)(s * n + r));
            if (sends(ph, from, s) && chunk_bytes(c, in, n))
                collective_recv(x, (uint32_t)r, (uint32_t)from, chunk_at(c, in, n),
                                chunk_bytes(c, in, n), ph->accumulate,
                                base + (uint32_t)(s * n + from));
        }
}

/* 0 -> 1 -> ... -> n-1 in n pieces: rank r receives piece i, then passes
 * it on while its predecessor already sends piece i+1. */
static void chain_bcast(const collective *c, collective_steps *x)
{
    uint64_t n = collective_ranks(x);
    uint32_t base = collective_tags(x, (uint32_t)(n * n));
    for (uint64_t r = 0; r < n; r++)
        for (uint64_t i = 0; i < n; i++) {
            uint64_t at = chunk_at(c, i, n), bytes = chunk_bytes(c, i, n);
            if (!bytes) continue;
            if (r > 0)
                collective_recv(x, (uint32_t)r, (uint32_t)(r - 1), at, bytes, false,
                                base + (uint32_t)((r - 1) * n + i));
            if (r + 1 < n)
                collective_send(x, (uint32_t)r, (uint32_t)(r + 1), at, bytes,
                                base + (uint32_t)(r * n + i));
        }
}

static void expand(const void *params, const collective *c, collective_steps *x)
{
    (void)params;
    if (collective_ranks(x) < 2) return;
    if (c->kind == OP_BCAST) {
        chain_bcast(c, x);
        return;
    }
    const ring_phase reduce_scatter = {1, true, false};
    const ring_phase all_gather = {0, false, c->kind == OP_REDUCE};
    phase(c, x, &reduce_scatter);
    phase(c, x, &all_gather);
}

/* An all-reduce: 2(n-1) steps of n messages (a reduce sends fewer, a
 * broadcast n-1 pieces per link). */
static uint64_t messages(const void *params, uint32_t n)
{
    (void)params;
    return n ? 2 * (uint64_t)n * (n - 1) : 0;
}

static const collective_ops ring_ops = {expand, messages, NULL, NULL, REDUCE_ON_ALL, NULL};

const registry_entry collective_ring_allreduce = {
    "ring_allreduce",
    "a reduce-scatter + all-gather ring: every chip ends with the sum and computes what follows "
    "it itself (no broadcast); chip r sends only to r+1",
    NULL, 0, 0, &ring_ops, NULL,
};
