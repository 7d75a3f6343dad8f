/* The timing backends (timing_backend.h). One line per entry; the first is
 * the default. An entry's file may live elsewhere (the SystemC backend is
 * C++ in sim/systemc/): the flow names only its registry_entry. */
#include "timing_backend.h"

extern const registry_entry timing_backend_systemc;

static const registry_entry *const entries[] = {
    &timing_backend_systemc,
    NULL,
};

const registry_entry *const *timing_backend_entries(void)
{
    return entries;
}

const registry_kind *timing_backend_registry(void)
{
    static const registry_kind kind = {
        "timing backends",
        "what simulates the placed per-chip programs in time and fills the per-chip statistics",
        timing_backend_entries,
    };
    return &kind;
}

const registry_entry *timing_backend_find(const char *name, int *deprecated)
{
    return registry_find(entries, name, deprecated);
}
