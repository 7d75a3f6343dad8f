/* system.topology and system.links through the experiment loader: a kind
 * binds its own parameters and phy, parameters of other collectives are
 * ignored (a file switches kind over a base or with --set), a deprecated
 * name loads as its entry with one warning naming the file and line, and
 * overrides load as directed pairs or levels, and print back into a file
 * that loads to the same overrides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cunit_main.h"
#include "experiment.h"
#include "test_scratch.h"

static char dir[256];

static const char *write_exp(const char *name, const char *system_rest, const char *chips)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fprintf(f,
            "system:\n"
            "  node: !include %s/configs/nodes/siracusa.yaml\n"
            "  link: !include %s/configs/links/mipi_dphy.yaml\n"
            "%s"
            "workload: {model: stories15m, seq_len: 8}\n"
            "sweep: {chips: %s}\n",
            MCUSIM_SOURCE_DIR, MCUSIM_SOURCE_DIR, system_rest, chips);
    fclose(f);
    return path;
}

static experiment *load(const char *path, const char *const *ov, size_t n, cfg_error *err)
{
    memset(err, 0, sizeof *err);
    return experiment_load(path, MCUSIM_SOURCE_DIR "/configs", ov, n, err);
}

static uint64_t uparam(const experiment *e, const char *key)
{
    const void *v = topology_param(&e->topology, key);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    return *(const uint64_t *)v;
}

static void test_kind_binds_its_params(void)
{
    cfg_error err;
    const char *p = write_exp(
        "tree.yaml", "  topology: {kind: reduction_tree, fan_in: 8, phy: shared}\n", "[1, 2]");
    experiment *e = load(p, NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->topology.collective->name, "reduction_tree");
    CU_ASSERT_EQUAL(uparam(e, "fan_in"), 8);
    CU_ASSERT_EQUAL(e->topology.phy, TOPO_PHY_SHARED);
    CU_ASSERT_EQUAL(e->n_warnings, 0);
    /* switching kind keeps the file loadable: fan_in belongs to another entry */
    static const char *const ov[] = {"system.topology.kind=chain", "system.topology.chunks=8"};
    experiment *c = load(p, ov, 2, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(c->topology.collective->name, "chain");
    CU_ASSERT_EQUAL(uparam(c, "chunks"), 8);
    CU_ASSERT_PTR_NULL(topology_param(&c->topology, "fan_in"));
    CU_ASSERT_EQUAL(c->topology.phy, TOPO_PHY_SHARED);
    experiment_destroy(c);
    experiment_destroy(e);
    /* absent: the registry's first entry with its defaults */
    e = load(write_exp("none.yaml", "", "[1]"), NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_PTR_EQUAL(e->topology.collective, collective_entries()[0]);
    experiment_destroy(e);
}

static void test_unknown_keys_and_kinds(void)
{
    cfg_error err;
    experiment *e = load(write_exp("typo.yaml", "  topology: {kind: chain, chunk: 8}\n", "[1]"),
                         NULL, 0, &err);
    CU_ASSERT_PTR_NULL(e);
    CU_ASSERT_STRING_EQUAL(err.path, "system.topology.chunk");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "did you mean 'chunks'"));
    e = load(write_exp("kind.yaml", "  topology: {kind: strar}\n", "[1]"), NULL, 0, &err);
    CU_ASSERT_PTR_NULL(e);
    CU_ASSERT_STRING_EQUAL(err.path, "system.topology.kind");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown collective 'strar' (did you mean 'star'?)"));
    CU_ASSERT_EQUAL(err.line, 4);
}

static void test_ring_is_chain_with_a_warning(void)
{
    cfg_error err;
    const char *p = write_exp("ring.yaml", "  topology: {kind: ring, chunks: 2}\n", "[1, 4]");
    experiment *e = load(p, NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->topology.collective->name, "chain");
    CU_ASSERT_EQUAL(uparam(e, "chunks"), 2);
    char want[800];
    snprintf(want, sizeof want,
             "%s:4:20: warning: system.topology.kind: 'ring' is deprecated, use 'chain' (a "
             "chunked chain through the root, not a reduce-scatter ring); for a reduce-scatter "
             "+ all-gather ring use 'ring_allreduce'", p);
    CU_ASSERT_EQUAL(e->n_warnings, 1);
    CU_ASSERT_STRING_EQUAL(e->warnings[0], want);
    experiment_destroy(e);
}

static void test_links_load_and_print_back(void)
{
    cfg_error err;
    const char *p = write_exp("links.yaml",
                              "  topology: {kind: reduction_tree, fan_in: 4}\n"
                              "  links:\n"
                              "    - {level: 1, link: {model: ideal}}\n"
                              "    - {between: [[0, 4]], link: {model: serdes}}\n"
                              "    - {pairs: [[8, 0]], link: {model: mipi_cphy}}\n",
                              "[1, 16]");
    experiment *e = load(p, NULL, 0, &err);
    if (!e) cfg_error_print(&err, stdout);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL_FATAL(e->n_links, 3);
    CU_ASSERT_EQUAL(e->links[0].level, 1);
    CU_ASSERT_EQUAL(e->links[0].n_pairs, 0);
    CU_ASSERT_STRING_EQUAL(e->links[0].link.ops->name, "ideal");
    CU_ASSERT_EQUAL(e->links[1].level, 0);
    CU_ASSERT_EQUAL_FATAL(e->links[1].n_pairs, 2);
    CU_ASSERT(e->links[1].pairs[0][0] == 0 && e->links[1].pairs[0][1] == 4);
    CU_ASSERT(e->links[1].pairs[1][0] == 4 && e->links[1].pairs[1][1] == 0);
    CU_ASSERT_EQUAL(e->links[2].n_pairs, 1);
    /* the printed config loads back to the same overrides */
    char out[600];
    snprintf(out, sizeof out, "%s/printed.yaml", dir);
    FILE *f = fopen(out, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    experiment_print_resolved(e, f);
    fclose(f);
    experiment *b = load(out, NULL, 0, &err);
    if (!b) cfg_error_print(&err, stdout);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL_FATAL(b->n_links, e->n_links);
    for (size_t i = 0; i < e->n_links; i++) {
        CU_ASSERT_EQUAL(b->links[i].level, e->links[i].level);
        CU_ASSERT_PTR_EQUAL(b->links[i].link.ops, e->links[i].link.ops);
        CU_ASSERT_EQUAL_FATAL(b->links[i].n_pairs, e->links[i].n_pairs);
        if (e->links[i].n_pairs)
            CU_ASSERT_EQUAL(memcmp(b->links[i].pairs, e->links[i].pairs,
                                   e->links[i].n_pairs * sizeof *e->links[i].pairs), 0);
    }
    experiment_destroy(b);
    experiment_destroy(e);
}

static void remove_dir(void)
{
    rm_rf(dir);
}

static int register_tests(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcusim_topo_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    atexit(remove_dir);
    ADD_SUITE("topology", TEST(test_kind_binds_its_params), TEST(test_unknown_keys_and_kinds),
              TEST(test_ring_is_chain_with_a_warning), TEST(test_links_load_and_print_back));
    return 0;
}

CUNIT_MAIN(register_tests)
