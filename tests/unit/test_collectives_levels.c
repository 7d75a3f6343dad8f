/* Levels of a collective's transfers (what system.links `level: L` names):
 * for every entry with levels, the pairs with a level are exactly the pairs
 * its expansion uses, each level within 1..levels(n), every level used; for
 * the reduction tree the level of a transfer is computed here independently
 * from the groups (level l: inside a group of fan_in^l consecutive ranks,
 * between multiples of fan_in^(l-1)). Roots other than chip 0 shift ranks. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "topology.h"

#define LEN 8

static system_program *make_program(uint32_t n, uint32_t root)
{
    system_program *p = system_program_create(n, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p->root = root;
    for (uint32_t c = 0; c < n; c++) {
        chip_program *cp = &p->chips[c];
        int32_t a = chip_add_buffer(cp, false, "a", DT_I32, 1, LEN, BUF_PARTIAL);
        CU_ASSERT_FATAL(a >= 0);
        prog_op r = prog_op_init(OP_REDUCE, "red"), b = prog_op_init(OP_BCAST, "bc");
        r.in[0] = b.in[0] = a;
        r.collective = 0, b.collective = 1;
        CU_ASSERT(chip_add_op(cp, &r) >= 0 && chip_add_op(cp, &b) >= 0);
    }
    return p;
}

static system_topology topo(const char *kind, const char *key, const char *value)
{
    system_topology t;
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(topology_init(&t, kind, err, sizeof err), 0);
    if (key) CU_ASSERT_EQUAL_FATAL(topology_set(&t, key, value, err, sizeof err), 0);
    return t;
}

/* The pairs with a level are the pairs the schedule uses, in both
 * directions (a reduction and a broadcast), and every level is used. */
static void check_levels(const system_topology *t, uint32_t n, uint32_t root)
{
    system_program *p = make_program(n, root);
    char err[256];
    CU_ASSERT_EQUAL_FATAL(topology_expand(t, p, err, sizeof err), 0);
    uint32_t(*pairs)[2] = NULL;
    size_t np = 0;
    CU_ASSERT_EQUAL_FATAL(topology_links(p, &pairs, &np), 0);
    uint32_t levels = topology_levels(t, n);
    bool *used = calloc((size_t)n * n, sizeof *used), seen[65] = {false};
    for (size_t i = 0; i < np; i++) used[pairs[i][0] * n + pairs[i][1]] = true;
    for (uint32_t a = 0; a < n; a++)
        for (uint32_t b = 0; b < n; b++) {
            uint32_t l = topology_pair_level(t, n, root, a, b);
            CU_ASSERT_EQUAL(l > 0, used[a * n + b]);
            CU_ASSERT(l <= levels);
            CU_ASSERT_EQUAL(l, topology_pair_level(t, n, root, b, a));
            if (l <= 64) seen[l] = true;
        }
    for (uint32_t l = 1; l <= levels && l <= 64; l++) CU_ASSERT(seen[l]);
    CU_ASSERT_EQUAL(levels == 0, n == 1);
    free(used);
    free(pairs);
    system_program_destroy(p);
}

static void test_entries_with_levels(void)
{
    const registry_entry *const *all = collective_entries();
    for (size_t i = 0; all[i]; i++) {
        system_topology t = topo(all[i]->name, NULL, NULL);
        if (!topology_has_levels(&t)) {
            CU_ASSERT_EQUAL(topology_levels(&t, 16), 0);
            CU_ASSERT_EQUAL(topology_pair_level(&t, 16, 0, 1, 0), 0);
            continue;
        }
        for (uint32_t n = 1; n <= 40; n++) check_levels(&t, n, n / 3);
    }
}

static void test_tree_levels_by_groups(void)
{
    const char *fans[] = {"2", "3", "4", "8"};
    const uint32_t k_of[] = {2, 3, 4, 8};
    for (size_t f = 0; f < 4; f++) {
        system_topology t = topo("reduction_tree", "fan_in", fans[f]);
        uint32_t k = k_of[f];
        for (uint32_t n = 1; n <= 64; n++) {
            check_levels(&t, n, 0);
            uint32_t depth = 0;
            for (uint64_t span = 1; span < n; span *= k) depth++;
            CU_ASSERT_EQUAL(topology_levels(&t, n), depth);
            for (uint32_t a = 0; a < n; a++)
                for (uint32_t b = a + 1; b < n; b++) {
                    /* level l: b is a multiple of k^(l-1) but not of k^l,
                     * and a is the first rank of b's group of k^l */
                    uint32_t want = 0;
                    uint64_t s = 1;
                    for (uint32_t l = 1; l <= depth; l++, s *= k)
                        if (b % s == 0 && b % (s * k) != 0 && a == b - b % (s * k)) want = l;
                    CU_ASSERT_EQUAL(topology_pair_level(&t, n, 0, a, b), want);
                }
        }
    }
}

/* Levels count from the root: with root r, chip (r + i) mod n plays rank i. */
static void test_levels_follow_the_root(void)
{
    system_topology t = topo("reduction_tree", "fan_in", "4");
    uint32_t n = 16;
    for (uint32_t root = 0; root < n; root++)
        for (uint32_t a = 0; a < n; a++)
            for (uint32_t b = 0; b < n; b++)
                CU_ASSERT_EQUAL(topology_pair_level(&t, n, root, (a + root) % n, (b + root) % n),
                                topology_pair_level(&t, n, 0, a, b));
    CU_ASSERT_EQUAL(topology_pair_level(&t, n, 0, 0, n), 0);   /* outside the chips */
}

static int register_tests(void)
{
    ADD_SUITE("levels", TEST(test_entries_with_levels), TEST(test_tree_levels_by_groups),
              TEST(test_levels_follow_the_root));
    return 0;
}

CUNIT_MAIN(register_tests)
