/* Every registry's entries, straight from the registries (not through the
 * command line's printing): one line per entry, deprecated alias and
 * parameter key, and the keys of a model file:
 *   KIND NAME
 *   KIND NAME alias ALIAS
 *   KIND NAME param KEY
 *   models key KEY
 * tests/e2e/list_registries.sh checks that `mcusim list` shows exactly
 * these (and every model file of configs/models/), so a new entry of any kind is
 * covered without editing a test. */
#include <stdio.h>

#include "../../collectives/topology.h"
#include "../../core/link.h"
#include "../../models/node.h"
#include "../../sim/flow/timing_backend.h"
#include "../../workloads/partitioner.h"
#include "../../workloads/workload.h"

static void params(const char *kind, const char *name, const param_spec *p, size_t n)
{
    for (size_t i = 0; i < n; i++) printf("%s %s param %s\n", kind, name, p[i].key);
}

static void registry(const char *kind, const registry_kind *k)
{
    const registry_entry *const *all = k->entries();
    for (size_t i = 0; all[i]; i++) {
        printf("%s %s\n", kind, all[i]->name);
        if (all[i]->deprecated_alias)
            printf("%s %s alias %s\n", kind, all[i]->name, all[i]->deprecated_alias);
        params(kind, all[i]->name, all[i]->params, all[i]->n_params);
    }
}

int main(void)
{
    const link_model_ops *const *links = link_builtin_models();
    for (size_t i = 0; links[i]; i++) {
        printf("links %s\n", links[i]->name);
        params("links", links[i]->name, links[i]->params, links[i]->n_params);
    }
    registry("collectives", collective_registry());
    registry("partitioners", partitioner_registry());
    registry("nodes", node_model_registry());
    registry("backends", timing_backend_registry());
    for (size_t i = 0; i < model_dims_count; i++) printf("models key %s\n", model_dims_specs[i].key);
    return 0;
}
