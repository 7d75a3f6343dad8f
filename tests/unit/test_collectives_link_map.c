/* The link map: every pair of an expanded schedule is carried by the rule
 * that names it (a level of the topology or the directed pair itself) or by
 * the default, decided here independently from the groups of the tree;
 * transfers are priced and named by that model; two rules on one pair, a
 * level on a collective without levels and a model refusing its parameters
 * are errors naming the rules. Stub link models price 1 B at a known time. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "link_map.h"

typedef struct stub_params {
    double s_per_byte;
    bool refuse;
} stub_params;

struct link_model {
    stub_params p;
};

static int stub_create(const void *params, link_model **out, char *err, size_t errlen)
{
    const stub_params *p = params;
    if (p->refuse) {
        snprintf(err, errlen, "stub refuses");
        return -1;
    }
    *out = malloc(sizeof **out);
    if (!*out) return -1;
    (*out)->p = *p;
    return 0;
}

static link_cost stub_transfer(const link_model *m, uint64_t bytes)
{
    link_cost c = {m->p.s_per_byte * (double)bytes, 0, bytes};
    return c;
}

static void stub_destroy(link_model *m)
{
    free(m);
}

static const link_model_ops stub = {MCUSIM_LINK_ABI_VERSION, "stub", "test stub", NULL, 0,
                                    sizeof(stub_params), stub_create, stub_transfer, stub_destroy};

static const stub_params slow = {10e-9, false}, fast = {1e-9, false}, mid = {2e-9, false},
                         refusing = {1e-9, true};

/* n chips, one reduction and one broadcast, expanded by a reduction tree
 * of fan_in 4 (or `kind` with its defaults). */
static system_program *program(uint32_t n, uint32_t root, const char *kind, system_topology *t)
{
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(topology_init(t, kind, err, sizeof err), 0);
    system_program *p = system_program_create(n, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p->root = root;
    for (uint32_t c = 0; c < n; c++) {
        int32_t a = chip_add_buffer(&p->chips[c], false, "a", DT_I32, 1, 16, BUF_PARTIAL);
        prog_op r = prog_op_init(OP_REDUCE, "red"), b = prog_op_init(OP_BCAST, "bc");
        r.in[0] = b.in[0] = a;
        r.collective = 0, b.collective = 1;
        CU_ASSERT(chip_add_op(&p->chips[c], &r) >= 0 && chip_add_op(&p->chips[c], &b) >= 0);
    }
    CU_ASSERT_EQUAL_FATAL(topology_expand(t, p, err, sizeof err), 0);
    return p;
}

static const link_map_rule dflt = {0, NULL, 0, &stub, &slow, "default model", "system.link"};

static void test_levels_and_pairs_pick_their_model(void)
{
    const uint32_t n = 16, roots[] = {0, 5};
    static const uint32_t pairs[][2] = {{0, 4}, {4, 0}, {20, 21}};   /* 20, 21: beyond n */
    link_map_rule rules[] = {
        {1, NULL, 0, &stub, &fast, "fast model", "system.links[0]"},
        {0, pairs, 3, &stub, &mid, "mid model", "system.links[1]"},
    };
    for (size_t r = 0; r < 2; r++) {
        uint32_t root = roots[r];
        system_topology t;
        system_program *p = program(n, root, "reduction_tree", &t);
        char err[256] = "";
        link_map *m = link_map_create(&t, p, &dflt, rules, 2, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        uint32_t(*used)[2] = NULL;
        size_t nu = 0;
        CU_ASSERT_EQUAL_FATAL(topology_links(p, &used, &nu), 0);
        size_t level1 = 0;
        for (size_t i = 0; i < nu; i++) {
            uint32_t a = used[i][0], b = used[i][1];
            uint32_t ra = (a + n - root) % n, rb = (b + n - root) % n;
            /* level 1 of fan_in 4: both ranks in one group of 4 */
            int want = ra / 4 == rb / 4 ? 0 : ((a == 0 && b == 4) || (a == 4 && b == 0)) ? 1 : -1;
            level1 += want == 0;
            CU_ASSERT_EQUAL(link_map_rule_of(m, a, b), want);
            const stub_params *sp = want == 0 ? &fast : want == 1 ? &mid : &slow;
            CU_ASSERT_DOUBLE_EQUAL(link_map_transfer(m, a, b, 1000).time_s, 1000 * sp->s_per_byte,
                                   1e-15);
            CU_ASSERT_STRING_EQUAL(link_map_name(m, a, b),
                                   want == 0 ? "fast model" : want == 1 ? "mid model"
                                                                        : "default model");
        }
        CU_ASSERT_EQUAL(level1, 2 * 12);   /* 4 groups of 4: 3 members each, both ways */
        /* a pair the schedule does not use is the default's */
        CU_ASSERT_EQUAL(link_map_rule_of(m, 1, 14), -1);
        CU_ASSERT_STRING_EQUAL(link_map_name(m, 1, 14), "default model");
        free(used);
        link_map_destroy(m);
        system_program_destroy(p);
    }
}

static void test_errors_name_the_rules(void)
{
    system_topology t;
    system_program *p = program(16, 0, "reduction_tree", &t);
    static const uint32_t pairs[][2] = {{0, 4}};
    link_map_rule overlap[] = {
        {2, NULL, 0, &stub, &fast, "fast", "system.links[0]"},
        {0, pairs, 1, &stub, &mid, "mid", "system.links[1]"},
    };
    char err[256] = "";
    CU_ASSERT_PTR_NULL(link_map_create(&t, p, &dflt, overlap, 2, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "system.links[0] and system.links[1] both name link 0->4"));

    link_map_rule refuse[] = {{1, NULL, 0, &stub, &refusing, "r", "system.links[0]"}};
    CU_ASSERT_PTR_NULL(link_map_create(&t, p, &dflt, refuse, 1, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "system.links[0]: stub refuses"));
    link_map_rule bad_default = {0, NULL, 0, &stub, &refusing, "r", "system.link"};
    CU_ASSERT_PTR_NULL(link_map_create(&t, p, &bad_default, NULL, 0, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "system.link: stub refuses"));
    system_program_destroy(p);

    /* a collective without levels has nothing a level could name */
    const registry_entry *const *all = collective_entries();
    for (size_t i = 0; all[i]; i++) {
        system_topology u;
        system_program *q = program(8, 0, all[i]->name, &u);
        link_map_rule lvl[] = {{1, NULL, 0, &stub, &fast, "fast", "system.links[0]"}};
        link_map *m = link_map_create(&u, q, &dflt, lvl, 1, err, sizeof err);
        CU_ASSERT_EQUAL(m != NULL, topology_has_levels(&u));
        if (!m) CU_ASSERT_PTR_NOT_NULL(strstr(err, "has no levels"));
        link_map_destroy(m);
        system_program_destroy(q);
    }
}

static int register_tests(void)
{
    ADD_SUITE("link_map", TEST(test_levels_and_pairs_pick_their_model),
              TEST(test_errors_name_the_rules));
    return 0;
}

CUNIT_MAIN(register_tests)
