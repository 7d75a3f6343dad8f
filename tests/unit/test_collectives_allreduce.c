/* The all-reduce seam, end to end through the workloads library: with a
 * collective whose sums end on every chip (ring_allreduce) the tensor
 * partitioner all-reduces and every chip runs the merge (requant, residual,
 * norm) itself, and the expanded program run with real data gives the
 * model graph's output bit for bit (what --check compares) on 1..64 chips,
 * llama (with grouped-query attention, prompt mode and the LM head) and
 * MobileBERT. The merges are on every chip and nothing but the input is
 * broadcast; with the reduction tree they stay on the root. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "test_workloads_fixture.h"
#include "topology.h"

static system_topology topo(const char *kind)
{
    system_topology t;
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(topology_init(&t, kind, err, sizeof err), 0);
    return t;
}

/* w with its reductions emitted as collective t leaves them (what the
 * experiment loader does), built, expanded by t and run with real data. */
static int8_t *run_with(const workload_params *w, const system_topology *t, uint32_t n,
                        size_t *bytes)
{
    workload_params x = *w;
    x.reductions = topology_reduce_result(t);
    system_program *p = fx_build(&x, n, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    char err[256] = "";
    int rc = topology_expand(t, p, err, sizeof err);
    if (rc) fprintf(stderr, "\nexpand %u chips: %s\n", n, err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    return fx_output_of(p, NULL, NULL, bytes);
}

static void check_over(const workload_params *w, const char *kind, uint32_t lo, uint32_t hi)
{
    system_topology t = topo(kind);
    size_t rb;
    int8_t *ref = fx_reference_out(w, &rb);
    for (uint32_t n = lo; n <= hi; n++) {
        size_t bytes;
        int8_t *out = run_with(w, &t, n, &bytes);
        bool same = bytes == rb && memcmp(out, ref, rb) == 0;
        if (!same) fprintf(stderr, "\n%s, %s: %u chips differ from the whole model\n",
                           w->dims.name, kind, n);
        CU_ASSERT(same);
        free(out);
    }
    free(ref);
}

static void test_llama_ring_1_to_64(void)
{
    workload_params w = fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 5, 3,
                                    &(model_dims){.n_layers = 1});
    check_over(&w, "ring_allreduce", 1, 64);
}

static void test_gqa_prompt_head_ring(void)
{
    workload_params g = fx_workload("smollm2-135m", MODE_AUTOREGRESSIVE, 4, 5,
                                    &(model_dims){.n_layers = 1});
    check_over(&g, "ring_allreduce", 1, 13);
    workload_params p = fx_workload("stories15m", MODE_PROMPT, 5, 2,
                                    &(model_dims){.n_layers = 2, .n_kv_heads = 2});
    p.head = true;
    check_over(&p, "ring_allreduce", 1, 9);
    /* an all-reduce through a root collective: its reduce, then its broadcast */
    workload_params a = fx_workload("stories15m", MODE_AUTOREGRESSIVE, 5, 2,
                                    &(model_dims){.n_layers = 1});
    a.reductions = REDUCE_ON_ALL;
    system_topology t = topo("reduction_tree");
    size_t rb, bytes;
    int8_t *ref = fx_reference_out(&a, &rb);
    for (uint32_t n = 1; n <= 7; n++) {
        system_program *prog = fx_build(&a, n, true);
        CU_ASSERT_PTR_NOT_NULL_FATAL(prog);
        char err[256];
        CU_ASSERT_EQUAL_FATAL(topology_expand(&t, prog, err, sizeof err), 0);
        int8_t *out = fx_output_of(prog, NULL, NULL, &bytes);
        CU_ASSERT(bytes == rb && memcmp(out, ref, rb) == 0);
        free(out);
    }
    free(ref);
}

static void test_mobilebert_ring(void)
{
    workload_params w = fx_workload("mobilebert", MODE_PROMPT, 6, 4,
                                    &(model_dims){.n_layers = 2, .n_ffn = 2});
    check_over(&w, "ring_allreduce", 1, 4);
}

static uint32_t count_label(const chip_program *c, op_kind k)
{
    return fx_count_kind(c, k);
}

/* Before expansion: with sums on every chip, every chip normalises (the
 * first block's input, then after each of the two reductions per block)
 * and only the input is broadcast; with sums on the root, only the root
 * normalises and x is broadcast after every merge but the last. */
static void test_merges_on_every_chip(void)
{
    workload_params w = fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 5, 3,
                                    &(model_dims){.n_layers = 3});
    uint32_t L = 3, n = 6;
    for (int all = 0; all < 2; all++) {
        w.reductions = all ? REDUCE_ON_ALL : REDUCE_ON_ROOT;
        system_program *p = fx_build(&w, n, false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        for (uint32_t c = 0; c < n; c++) {
            const chip_program *cp = &p->chips[c];
            bool merges = all || c == p->root;
            CU_ASSERT_EQUAL(count_label(cp, OP_NORM), merges ? 2 * L + 1 : 0);
            CU_ASSERT_EQUAL(count_label(cp, OP_BCAST), all ? 1 : 2 * L);
            CU_ASSERT_EQUAL(count_label(cp, OP_ALLREDUCE), all ? 2 * L : 0);
            CU_ASSERT_EQUAL(count_label(cp, OP_REDUCE), all ? 0 : 2 * L);
        }
        system_program_destroy(p);
    }
}

static int register_tests(void)
{
    ADD_SUITE("allreduce", TEST(test_llama_ring_1_to_64), TEST(test_gqa_prompt_head_ring),
              TEST(test_mobilebert_ring), TEST(test_merges_on_every_chip));
    return 0;
}

CUNIT_MAIN(register_tests)
