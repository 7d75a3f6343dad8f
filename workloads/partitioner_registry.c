/* The partitioners (partitioner.h). One line per entry; the first is the
 * default. */
#include <string.h>

#include "partitioner.h"

extern const registry_entry partitioner_tensor;
extern const registry_entry partitioner_replicate;
extern const registry_entry partitioner_pipeline;
extern const registry_entry partitioner_hybrid;

static const registry_entry *const entries[] = {
    &partitioner_tensor,
    &partitioner_replicate,
    &partitioner_pipeline,
    &partitioner_hybrid,
    NULL,
};

const registry_entry *const *partitioner_entries(void)
{
    return entries;
}

const registry_kind *partitioner_registry(void)
{
    static const registry_kind kind = {
        "partitioners",
        "how one inference is split over the chips (workload.partitioner; its parameters "
        "under workload.partition)",
        partitioner_entries,
    };
    return &kind;
}

const registry_entry *partitioner_find(const char *name, int *deprecated)
{
    if (name && !name[0]) {
        if (deprecated) *deprecated = 0;
        return entries[0];
    }
    return registry_find(entries, name, deprecated);
}
