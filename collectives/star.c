/* star: every chip exchanges directly with the root, which receives (or
 * sends) one message per chip in rank order. One level: every transfer is
 * between the root and another chip. */
#include "collective.h"

static void expand(const void *params, const collective *c, collective_steps *s)
{
    (void)params;
    uint32_t n = collective_ranks(s);
    for (uint32_t m = 1; m < n; m++) {
        if (c->kind == OP_REDUCE) collective_transfer(s, m, 0, true);
        else collective_transfer(s, 0, m, false);
    }
}

static uint64_t messages(const void *params, uint32_t n)
{
    (void)params;
    return n ? n - 1 : 0;
}

static uint32_t levels(const void *params, uint32_t n)
{
    (void)params;
    return n > 1;
}

static uint32_t pair_level(const void *params, uint32_t a, uint32_t b)
{
    (void)params;
    return a != b && (a == 0 || b == 0);
}

static const collective_ops star_ops = {expand, messages, levels, pair_level, REDUCE_ON_ROOT,
                                        NULL};

const registry_entry collective_star = {
    "star",
    "every chip sends to (or receives from) the root directly",
    NULL, 0, 0, &star_ops, NULL,
};
