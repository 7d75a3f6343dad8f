/* reduction_tree: the paper's hierarchical all-reduce (FACTS.md: reduction
 * in groups of chips, then across groups). At stride s = fan_in^(l-1),
 * ranks that are multiples of s form groups of fan_in consecutive members,
 * and each member sends to its group's first rank (its leader): level l.
 * A reduction climbs the levels to rank 0; a broadcast walks the same tree
 * from the top level down, so every leader holds the data before it
 * forwards it. n-1 messages, ceil(log_fan_in n) levels. A leader receives
 * its members in a fixed order, so sums and timing are the same every run. */
#include <stddef.h>

#include "collective.h"

typedef struct tree_params {
    uint64_t fan_in;
} tree_params;

static const param_spec tree_specs[] = {
    {"fan_in", PARAM_UINT, DIM_NONE, offsetof(tree_params, fan_in), 2, 64, "4", NULL,
     "group size; the paper leaves it a parameter (FACTS.md), 4 assumed"},
};

static void reduce(collective_steps *s, uint64_t k)
{
    uint64_t n = collective_ranks(s);
    for (uint64_t st = 1; st < n; st *= k)
        for (uint64_t lead = 0; lead < n; lead += st * k)
            for (uint64_t m = lead + st; m < lead + st * k && m < n; m += st)
                collective_transfer(s, (uint32_t)m, (uint32_t)lead, true);
}

static void bcast(collective_steps *s, uint64_t k)
{
    uint64_t n = collective_ranks(s), top = 1;
    while (top * k < n) top *= k;
    for (uint64_t st = top;; st /= k) {
        for (uint64_t lead = 0; lead < n; lead += st * k)
            for (uint64_t m = lead + st; m < lead + st * k && m < n; m += st)
                collective_transfer(s, (uint32_t)lead, (uint32_t)m, false);
        if (st == 1) break;
    }
}

static void expand(const void *params, const collective *c, collective_steps *s)
{
    uint64_t k = ((const tree_params *)params)->fan_in;
    if (c->kind == OP_REDUCE) reduce(s, k);
    else bcast(s, k);
}

static uint64_t messages(const void *params, uint32_t n)
{
    (void)params;
    return n ? n - 1 : 0;
}

static uint32_t levels(const void *params, uint32_t n)
{
    uint64_t k = ((const tree_params *)params)->fan_in, span = 1;
    uint32_t l = 0;
    for (; span < n; span *= k) l++;
    return l;
}

/* The member is the higher rank b: it leads up to level v (its fan_in-adic
 * valuation) and is a member at level v + 1, of the group led by b rounded
 * down to a multiple of fan_in^(v+1). */
static uint32_t pair_level(const void *params, uint32_t a, uint32_t b)
{
    uint64_t k = ((const tree_params *)params)->fan_in;
    if (a == b) return 0;
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint64_t stride = 1;
    uint32_t level = 1;
    while (b % (stride * k) == 0) {
        stride *= k;
        level++;
    }
    return a == b - b % (stride * k) ? level : 0;
}

static const collective_ops tree_ops = {expand, messages, levels, pair_level, REDUCE_ON_ROOT,
                                        NULL};

const registry_entry collective_reduction_tree = {
    "reduction_tree",
    "groups of fan_in chips reduce onto a leader, the leaders in groups again up to the root; "
    "broadcast walks back down (the paper's hierarchical reduction)",
    tree_specs, sizeof tree_specs / sizeof tree_specs[0], sizeof(tree_params), &tree_ops, NULL,
};
