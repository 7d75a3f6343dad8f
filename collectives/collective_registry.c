/* The collectives registry. A new collective is one file defining its
 * registry_entry (collective.h) plus one line here; the first entry is the
 * default of system.topology.kind. */
#include "topology.h"

extern const registry_entry collective_reduction_tree;
extern const registry_entry collective_chain;
extern const registry_entry collective_star;
extern const registry_entry collective_ring_allreduce;

static const registry_entry *const entries[] = {
    &collective_reduction_tree,
    &collective_chain,
    &collective_star,
    &collective_ring_allreduce,
    NULL,
};

const registry_entry *const *collective_entries(void)
{
    return entries;
}

static const registry_kind kind = {
    "collectives",
    "how OP_REDUCE / OP_BCAST become point-to-point steps (system.topology.kind)",
    collective_entries,
};

const registry_kind *collective_registry(void)
{
    return &kind;
}

const registry_entry *collective_find(const char *name, int *deprecated)
{
    return registry_find(entries, name, deprecated);
}
