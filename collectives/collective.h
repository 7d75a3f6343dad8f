/* What a collective algorithm (an entry of the collectives registry) sees.
 *
 * An entry turns one OP_REDUCE (int32 partial sums summed onto the root),
 * OP_BCAST (the root's bytes copied to every chip) or OP_ALLREDUCE (the sum
 * on every chip) into point-to-point steps for all chips at once. It works
 * in ranks: the root is rank 0 and rank r is chip (root + r) mod n, so an
 * algorithm never sees which chip is the root. It emits, through collective_steps, a SEND on one rank and the
 * matching RECV on another, each appended to that rank's own step list:
 * call order is each rank's execution order, so an entry must emit every
 * rank's steps in the order that rank runs them.
 *
 * Message semantics (shared with sim/): a SEND is eager, a RECV blocks
 * until the message with its (peer, tag) is there. A schedule deadlocks only
 * if a rank waits for a message whose SEND sits behind a RECV that
 * transitively waits on it; moving data strictly towards the root (reduce)
 * or away from it (broadcast) in each rank's order avoids that, and so does
 * a ring whose every rank sends before it receives at each step. Tags must
 * be unique per program: take them from collective_tag / collective_tags.
 *
 * Where the sum ends (`result`): an entry whose sums end on the root
 * (REDUCE_ON_ROOT: a tree, a chain, a star) never sees OP_ALLREDUCE:
 * topology_expand emits one as the entry's reduce then its broadcast of the
 * int32 sum. An entry whose sums end on every chip (REDUCE_ON_ALL) expands
 * all three kinds; partitioners then emit OP_ALLREDUCE and compute what
 * follows a sum on every chip instead of broadcasting it from the root.
 *
 * Adding a collective: one file defining a `registry_entry` whose `ops`
 * is a collective_ops, plus one line in collective_registry.c. */
#ifndef MCUSIM_COLLECTIVE_H
#define MCUSIM_COLLECTIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/program.h"
#include "../core/registry.h"

/* One collective as every chip sees it. */
typedef struct collective {
    op_kind kind;      /* OP_REDUCE, OP_BCAST or OP_ALLREDUCE */
    uint64_t bytes;    /* payload of the whole collective */
    uint32_t elem;     /* bytes a piece must keep whole: 4 for int32 sums */
} collective;

typedef struct collective_steps collective_steps;   /* the steps being emitted */

uint32_t collective_ranks(const collective_steps *s);
/* A fresh tag; collective_tags reserves n consecutive ones and returns the first. */
uint32_t collective_tag(collective_steps *s);
uint32_t collective_tags(collective_steps *s, uint32_t n);
/* Bytes [off, off + bytes) of the collective's buffer: a SEND on rank
 * `from`, a RECV on rank `to` (accumulate: int32 add into what is there). */
void collective_send(collective_steps *s, uint32_t from, uint32_t to, uint64_t off,
                     uint64_t bytes, uint32_t tag);
void collective_recv(collective_steps *s, uint32_t to, uint32_t from, uint64_t off,
                     uint64_t bytes, bool accumulate, uint32_t tag);
/* Both at once, with a fresh tag: for rank orders where the receiver has
 * nothing to do between its earlier steps and this one. */
void collective_transfer(collective_steps *s, uint32_t from, uint32_t to, bool accumulate);

typedef struct collective_ops {
    /* Emits collective c for every rank; params is the entry's bound struct. */
    void (*expand)(const void *params, const collective *c, collective_steps *s);
    /* At most how many messages one collective sends on n ranks (memory estimate). */
    uint64_t (*messages)(const void *params, uint32_t n);
    /* Levels: transfers of a collective grouped the way system.links
     * `level: L` names them (1 = the innermost). NULL for both when the
     * algorithm has no levels (then system.links may only name pairs).
     * levels: how many on n ranks; pair_level: the level of the transfers
     * between ranks a and b (either direction), 0 when they exchange nothing
     * on any chip count. */
    uint32_t (*levels)(const void *params, uint32_t n);
    uint32_t (*pair_level)(const void *params, uint32_t a, uint32_t b);
    /* Where its sums end (reduce_result, core/program.h; see above). */
    reduce_result result;
    /* A line appended to the warning for the entry's deprecated alias (what
     * else the old name may have meant), or NULL. */
    const char *alias_note;
} collective_ops;

#endif
