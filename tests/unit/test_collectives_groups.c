/* Collectives over chip groups (prog_op.group_*: a hybrid's stages) and a
 * partitioner's own sends, through topology_expand:
 * - a hybrid program expanded with every collective gives the output of
 *   the model on one chip bit for bit, with several inferences in flight;
 * - every step of a group's collective stays inside the group, rank 0 at
 *   its first chip; the pipeline's own sends keep their tags and no
 *   collective step reuses one;
 * - levels (system.links `level:`) count inside the group, from the levels
 *   of the tree computed independently here; a partitioner's send has none;
 * - a group op naming chips the program lacks, or without its chip, and a
 *   member missing from a group collective are refused. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "link_map.h"
#include "test_model_dims.h"
#include "topology.h"
#include "workload.h"

static workload_params hybrid_model(uint64_t group, uint64_t in_flight)
{
    workload_params w;
    memset(&w, 0, sizeof w);
    strcpy(w.model, "stories15m");
    CU_ASSERT_EQUAL_FATAL(tmd_published(w.model, &w.dims), 0);
    w.dims.n_layers = 3;
    w.mode = MODE_AUTOREGRESSIVE;
    w.seq_len = 6;
    w.seed = 3;
    w.in_flight = in_flight;
    strcpy(w.partitioner, "hybrid");
    memcpy(w.partition.bytes, &group, sizeof group);   /* hybrid_params.group leads */
    return w;
}

static system_program *expanded(const workload_params *w, uint32_t n, const char *kind,
                                const char *key, const char *value, system_topology *t)
{
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(topology_init(t, kind, err, sizeof err), 0);
    if (key) CU_ASSERT_EQUAL_FATAL(topology_set(t, key, value, err, sizeof err), 0);
    system_program *p = partition_build(w, n, true, err, sizeof err);
    if (!p) fprintf(stderr, "\npartition_build: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    int rc = topology_expand(t, p, err, sizeof err);
    if (rc) fprintf(stderr, "\ntopology_expand: %s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    return p;
}

static unsigned char *output(const system_program *p, uint32_t k, size_t *len)
{
    *len = system_program_output_bytes_of(p, k);
    unsigned char *v = malloc(*len ? *len : 1);
    CU_ASSERT_EQUAL_FATAL(system_program_output_copy_of(p, k, v), 0);
    return v;
}

static void test_hybrid_expanded_bit_exact(void)
{
    const struct {
        const char *kind, *key, *value;
    } ts[] = {{"reduction_tree", "fan_in", "2"}, {"reduction_tree", "fan_in", "4"},
              {"chain", "chunks", "3"}, {"star", NULL, NULL}};
    char err[256];
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        workload_params w = hybrid_model(4, 2);
        system_topology t;
        system_program *p = expanded(&w, 12, ts[i].kind, ts[i].key, ts[i].value, &t);
        int rc = functional_run(p, err, sizeof err);
        if (rc) fprintf(stderr, "\nfunctional_run: %s\n", err);
        CU_ASSERT_EQUAL_FATAL(rc, 0);
        for (uint32_t k = 0; k < 2; k++) {
            system_program *ref = partition_reference_of(&w, k, true, err, sizeof err);
            CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
            CU_ASSERT_EQUAL_FATAL(functional_run(ref, err, sizeof err), 0);
            size_t a, b;
            unsigned char *got = output(p, k, &a), *want = output(ref, 0, &b);
            CU_ASSERT(a == b && memcmp(got, want, a) == 0);
            free(got);
            free(want);
            system_program_destroy(ref);
        }
        system_program_destroy(p);
    }
}

/* The tree's level of ranks a and b (a < b): the fan_in-adic place where
 * b leads a group that a's leader belongs to (tests' own arithmetic). */
static uint32_t tree_level(uint32_t a, uint32_t b, uint32_t k)
{
    uint32_t stride = 1, level = 1;
    while (b % (stride * k) == 0) stride *= k, level++;
    return a == b - b % (stride * k) ? level : 0;
}

static void test_steps_stay_in_groups(void)
{
    workload_params w = hybrid_model(4, 2);
    system_topology t;
    system_program *p = expanded(&w, 12, "reduction_tree", "fan_in", "2", &t);
    uint32_t p2p = 0, steps = 0;
    for (uint32_t c = 0; c < 12; c++) {
        const chip_program *cp = &p->chips[c];
        for (uint32_t i = 0; i < cp->n_ops; i++) {
            const prog_op *op = &cp->ops[i];
            CU_ASSERT(op->kind != OP_REDUCE && op->kind != OP_BCAST);
            if (op->kind != OP_SEND && op->kind != OP_RECV) continue;
            uint32_t peer = (uint32_t)op->peer;
            if (op->collective == PROG_NOT_COLLECTIVE) {
                /* the stream, root to root, with no level */
                CU_ASSERT(c % 4 == 0 && peer % 4 == 0 && (c + 4 == peer || peer + 4 == c));
                CU_ASSERT_EQUAL(op->level, 0);
                p2p++;
                continue;
            }
            steps++;
            CU_ASSERT_EQUAL(peer / 4, c / 4);   /* inside the stage's group */
            uint32_t a = c % 4 < peer % 4 ? c % 4 : peer % 4, b = c % 4 < peer % 4 ? peer % 4 : c % 4;
            CU_ASSERT_EQUAL(op->level, tree_level(a, b, 2));
        }
    }
    CU_ASSERT_EQUAL(p2p, 2 * 2 * 2);   /* 2 boundaries, send + receive, 2 inferences */
    CU_ASSERT(steps > 0);
    /* tags: a (src, dst, tag) names one message */
    for (uint32_t c = 0; c < 12; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
            const prog_op *x = &p->chips[c].ops[i];
            if (x->kind != OP_SEND) continue;
            for (uint32_t j = i + 1; j < p->chips[c].n_ops; j++) {
                const prog_op *y = &p->chips[c].ops[j];
                CU_ASSERT(!(y->kind == OP_SEND && y->peer == x->peer && y->tag == x->tag));
            }
        }
    system_program_destroy(p);
}

/* A level rule names the in-group pairs of that level, never the stream. */
typedef struct stub_params {
    double s_per_byte;
} stub_params;
struct link_model {
    stub_params p;
};
static int stub_create(const void *params, link_model **out, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *out = malloc(sizeof **out);
    if (!*out) return -1;
    (*out)->p = *(const stub_params *)params;
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

static void test_level_rules_inside_groups(void)
{
    workload_params w = hybrid_model(4, 1);
    system_topology t;
    system_program *p = expanded(&w, 12, "reduction_tree", "fan_in", "2", &t);
    static const stub_params slow = {10e-9}, fast = {1e-9};
    link_map_rule dflt = {0, NULL, 0, &stub, &slow, "default", "system.link"};
    link_map_rule rules[] = {{1, NULL, 0, &stub, &fast, "fast", "system.links[0]"}};
    char err[256] = "";
    link_map *m = link_map_create(&t, p, &dflt, rules, 1, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    for (uint32_t s = 0; s < 3; s++)
        for (uint32_t a = 0; a < 4; a++)
            for (uint32_t b = 0; b < 4; b++) {
                if (a == b) continue;
                uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
                int want = tree_level(lo, hi, 2) == 1 ? 0 : -1;
                uint32_t src = 4 * s + a, dst = 4 * s + b;
                bool used = false;
                for (uint32_t i = 0; i < p->chips[src].n_ops; i++)
                    used |= p->chips[src].ops[i].kind == OP_SEND &&
                            p->chips[src].ops[i].peer == (int32_t)dst;
                if (used) CU_ASSERT_EQUAL(link_map_rule_of(m, src, dst), want);
            }
    CU_ASSERT_EQUAL(link_map_rule_of(m, 0, 4), -1);   /* the stream: the default */
    CU_ASSERT_EQUAL(link_map_rule_of(m, 4, 8), -1);
    link_map_destroy(m);
    system_program_destroy(p);
}

/* A hand-made program of n chips, each with one reduction over `group`. */
static system_program *grouped(uint32_t n, uint32_t first, uint32_t size, uint32_t skip_chip)
{
    system_program *p = system_program_create(n, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    for (uint32_t c = 0; c < n; c++) {
        int32_t a = chip_add_buffer(&p->chips[c], false, "a", DT_I32, 1, 8, BUF_PARTIAL);
        if (c == skip_chip) continue;
        prog_op r = prog_op_init(OP_REDUCE, "red");
        r.in[0] = a;
        r.group_first = first;
        r.group_size = size;
        CU_ASSERT(chip_add_op(&p->chips[c], &r) >= 0);
    }
    return p;
}

static void test_bad_groups_refused(void)
{
    system_topology t;
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(topology_init(&t, "reduction_tree", err, sizeof err), 0);
    system_program *p = grouped(4, 2, 4, UINT32_MAX);
    CU_ASSERT_NOT_EQUAL(topology_expand(&t, p, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "which the program does not have"));
    system_program_destroy(p);
    p = grouped(4, 0, 2, UINT32_MAX);   /* chips 2 and 3 name a group without them */
    CU_ASSERT_NOT_EQUAL(topology_expand(&t, p, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "do not include the chip"));
    system_program_destroy(p);
    p = grouped(4, 0, 4, 2);   /* chip 2 misses the group's reduction */
    CU_ASSERT_NOT_EQUAL(topology_expand(&t, p, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "chip 2"));
    system_program_destroy(p);
}

static int register_tests(void)
{
    ADD_SUITE("collectives_groups", TEST(test_hybrid_expanded_bit_exact),
              TEST(test_steps_stay_in_groups), TEST(test_level_rules_inside_groups),
              TEST(test_bad_groups_refused));
    return 0;
}

CUNIT_MAIN(register_tests)
