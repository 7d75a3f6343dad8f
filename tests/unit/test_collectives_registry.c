/* The collectives registry: every entry is complete (a doc, an expansion,
 * levels either both or neither) and its parameter table passes
 * param_specs_check without clashing with the system keys of
 * system.topology; entries are found by name and by deprecated alias; each
 * entry's defaults make a topology. Nothing here names an entry but the
 * alias case the task defines ("ring" for "chain"). */
#include <string.h>

#include "collective.h"
#include "cunit_main.h"
#include "topology.h"

static void test_every_entry_is_complete(void)
{
    const registry_entry *const *all = collective_entries();
    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(all[0]);   /* the default kind */
    for (size_t i = 0; all[i]; i++) {
        const registry_entry *e = all[i];
        char why[700] = "";
        CU_ASSERT_PTR_NOT_NULL_FATAL(e->name);
        CU_ASSERT(e->doc && e->doc[0]);
        int rc = param_specs_check(e->params, e->n_params, e->params_size, topology_system_keys,
                                   why, sizeof why);
        if (rc) fprintf(stderr, "\n%s: %s\n", e->name, why);
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT(e->params_size <= TOPOLOGY_PARAMS_MAX);
        const collective_ops *o = e->ops;
        CU_ASSERT_PTR_NOT_NULL_FATAL(o);
        CU_ASSERT_PTR_NOT_NULL(o->expand);
        CU_ASSERT_PTR_NOT_NULL(o->messages);
        CU_ASSERT_EQUAL(o->levels == NULL, o->pair_level == NULL);
        /* names and aliases are unique across the registry */
        for (size_t j = 0; j < i; j++) {
            CU_ASSERT(strcmp(all[j]->name, e->name) != 0);
            if (e->deprecated_alias) {
                CU_ASSERT(strcmp(all[j]->name, e->deprecated_alias) != 0);
                CU_ASSERT(!all[j]->deprecated_alias ||
                          strcmp(all[j]->deprecated_alias, e->deprecated_alias) != 0);
            }
        }
    }
}

static void test_find_by_name_and_alias(void)
{
    const registry_entry *const *all = collective_entries();
    for (size_t i = 0; all[i]; i++) {
        int dep = -1;
        CU_ASSERT_PTR_EQUAL(collective_find(all[i]->name, &dep), all[i]);
        CU_ASSERT_EQUAL(dep, 0);
        if (all[i]->deprecated_alias) {
            CU_ASSERT_PTR_EQUAL(collective_find(all[i]->deprecated_alias, &dep), all[i]);
            CU_ASSERT_EQUAL(dep, 1);
        }
    }
    int dep = -1;
    const registry_entry *ring = collective_find("ring", &dep);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ring);
    CU_ASSERT_STRING_EQUAL(ring->name, "chain");
    CU_ASSERT_EQUAL(dep, 1);
    CU_ASSERT_PTR_NULL(collective_find("reduction_tre", &dep));
    CU_ASSERT_EQUAL(dep, 0);
    CU_ASSERT_PTR_NULL(collective_find(NULL, NULL));
}

static void test_kind_lists_the_entries(void)
{
    const registry_kind *k = collective_registry();
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_STRING_EQUAL(k->name, "collectives");
    CU_ASSERT(k->doc && k->doc[0]);
    CU_ASSERT_PTR_EQUAL(k->entries(), collective_entries());
    char names[256];
    registry_names(collective_entries(), names, sizeof names);
    for (size_t i = 0; collective_entries()[i]; i++)
        CU_ASSERT_PTR_NOT_NULL(strstr(names, collective_entries()[i]->name));
}

/* Every entry's defaults bind into a topology that passes its own range
 * check; its table (params + phy) reads back every key. */
static void test_defaults_make_a_topology(void)
{
    const registry_entry *const *all = collective_entries();
    for (size_t i = 0; all[i]; i++) {
        system_topology t;
        char err[256] = "";
        CU_ASSERT_EQUAL_FATAL(topology_init(&t, all[i]->name, err, sizeof err), 0);
        CU_ASSERT_PTR_EQUAL(t.collective, all[i]);
        CU_ASSERT_EQUAL(t.phy, TOPO_PHY_PER_PEER);
        CU_ASSERT_EQUAL(topology_check(&t, err, sizeof err), 0);
        param_spec specs[64];
        size_t n = topology_specs(&t, specs, 64);
        CU_ASSERT_EQUAL(n, all[i]->n_params + 1);
        for (size_t k = 0; k < n; k++) CU_ASSERT_PTR_NOT_NULL(topology_param(&t, specs[k].key));
        CU_ASSERT_PTR_NULL(topology_param(&t, "no_such_key"));
        CU_ASSERT_NOT_EQUAL(topology_set(&t, "no_such_key", "1", err, sizeof err), 0);
        CU_ASSERT_EQUAL(topology_set(&t, "phy", "shared", err, sizeof err), 0);
        CU_ASSERT_EQUAL(t.phy, TOPO_PHY_SHARED);
        CU_ASSERT_NOT_EQUAL(topology_set(&t, "phy", "sharde", err, sizeof err), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "did you mean 'shared'"));
    }
    system_topology t;
    char err[256] = "";
    CU_ASSERT_NOT_EQUAL(topology_init(&t, "tree", err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, collective_entries()[0]->name));
}

static int register_tests(void)
{
    ADD_SUITE("registry", TEST(test_every_entry_is_complete), TEST(test_find_by_name_and_alias),
              TEST(test_kind_lists_the_entries), TEST(test_defaults_make_a_topology));
    return 0;
}

CUNIT_MAIN(register_tests)
