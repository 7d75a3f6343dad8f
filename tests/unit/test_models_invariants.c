/* Invariants of the node cost model that must hold for any parameters:
 * more resources never slow an op down, energy adds up per component from
 * the moved bytes and work, and the L1 check names the op that cannot fit. */
#include <stdio.h>

#include "cunit_main.h"
#include "test_models_fixture.h"

typedef struct shape { uint32_t m, n, k; bool hyper; } shape;
static const shape shapes[] = {
    {1, 512, 512, false}, {1, 1376, 512, true}, {16, 64, 64, false},
    {128, 512, 64, false}, {3, 7, 5, true},     {128, 128, 512, true},
};
#define N_SHAPES (sizeof shapes / sizeof shapes[0])

static uint64_t gemm_cycles(const pulp_params *p, const shape *s)
{
    pulp_cost c;
    mem_level w_home = s->hyper ? MEM_HYPERRAM : MEM_L2;
    CU_ASSERT_EQUAL(fx_gemm_cost(p, s->m, s->n, s->k, false, w_home, &c), 0);
    return c.cycles;
}

static void test_more_cores_never_slower(void)
{
    for (size_t i = 0; i < N_SHAPES; i++) {
        pulp_params p = fx_params();
        p.l1_size = 64 << 10;   /* force several tiles */
        uint64_t prev = UINT64_MAX;
        for (uint64_t cores = 1; cores <= 16; cores++) {
            p.cores = cores;
            uint64_t c = gemm_cycles(&p, &shapes[i]);
            CU_ASSERT_TRUE(c <= prev);
            prev = c;
        }
    }
}

static void test_less_bandwidth_never_faster(void)
{
    for (size_t i = 0; i < N_SHAPES; i++) {
        pulp_params p = fx_params();
        p.l1_size = 64 << 10;
        uint64_t base = gemm_cycles(&p, &shapes[i]);
        pulp_params q = p;
        q.dma_bytes_per_cycle /= 2;
        CU_ASSERT_TRUE(gemm_cycles(&q, &shapes[i]) >= base);
        q = p;
        q.hyper_bandwidth /= 2;
        uint64_t slow = gemm_cycles(&q, &shapes[i]);
        CU_ASSERT_TRUE(slow >= base);
        if (shapes[i].hyper && shapes[i].k * shapes[i].n >= 64 * 1024) CU_ASSERT_TRUE(slow > base);
    }
}

/* Component energies recomputed from the op's reported bytes and its work. */
static void test_energy_is_sum_of_components(void)
{
    pulp_params p = fx_params();
    p.l1_size = 32 << 10;
    for (size_t i = 0; i < N_SHAPES; i++) {
        const shape *s = &shapes[i];
        pulp_cost c;
        mem_level w_home = s->hyper ? MEM_HYPERRAM : MEM_L2;
        CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, s->m, s->n, s->k, false, w_home, &c), 0);
        double macs = (double)s->m * s->n * s->k;
        double weights = (double)s->k * s->n;
        CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_CLUSTER], macs * p.cluster_energy_per_mac, 1e-15);
        CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_HYPERRAM],
                               s->hyper ? weights * p.hyper_energy_per_byte : 0.0, 1e-15);
        CU_ASSERT_EQUAL(c.bytes[MEM_HYPERRAM], s->hyper ? (uint64_t)weights : 0);
        CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_L1], c.bytes[MEM_L1] * p.l1_energy_per_byte, 1e-15);
        CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_L2], c.bytes[MEM_L2] * p.l2_energy_per_byte, 1e-15);
        /* every weight byte crosses L2 at least once on its way to L1 */
        CU_ASSERT_TRUE(c.bytes[MEM_L2] >= (uint64_t)weights);
        CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_NPU], 0.0, 1e-18);
    }
}

static void test_always_on_power_per_component(void)
{
    pulp_params p = fx_params();
    p.soc_active_w = 7e-3;
    pulp_node *m = fx_model(&p);
    double leak[COMP__COUNT], always[COMP__COUNT];
    pulp_always_on_power(m, leak, always);
    CU_ASSERT_DOUBLE_EQUAL(leak[COMP_CLUSTER], p.cluster_leak_w, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(leak[COMP_SOC], p.soc_leak_w, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(leak[COMP_WMEM], 0.0, 1e-12);   /* the fixture node has none */
    /* the leakage bucket is the sum of the per-component leakages */
    double sum = 0;
    for (int k = 0; k < COMP__COUNT; k++) sum += leak[k];
    CU_ASSERT_DOUBLE_EQUAL(always[COMP_LEAKAGE], sum, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(always[COMP_SOC], p.soc_active_w, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(always[COMP_HYPERRAM], p.hyper_standby_w, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(always[COMP_CLUSTER], 0.0, 1e-12);
    pulp_node_destroy(m);
    p.npu_present = false;
    m = fx_model(&p);
    pulp_always_on_power(m, leak, always);
    CU_ASSERT_DOUBLE_EQUAL(leak[COMP_NPU], 0.0, 1e-12);
    pulp_node_destroy(m);
}

static void test_tiny_l1_fails_naming_op(void)
{
    pulp_params p = fx_params();
    p.l1_size = 1024;   /* one output of K = 512 needs 2 x (512 + 512 + 4) B */
    system_program *sp = fx_gemm_program(1, 64, 512, false);
    pulp_node *m = fx_model(&p);
    placement_report r;
    char err[512] = "";
    CU_ASSERT_NOT_EQUAL(pulp_place(m, &sp->chips[0], &r, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.gemm"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "1024"));
    pulp_cost c;
    CU_ASSERT_NOT_EQUAL(pulp_op_cost(m, &sp->chips[0], &sp->chips[0].ops[0], &c), 0);
    pulp_node_destroy(m);
    system_program_destroy(sp);
}

static void test_npu_faster_on_large_gemm(void)
{
    pulp_params p = fx_params();
    shape s = {64, 256, 256, false};
    uint64_t cl = gemm_cycles(&p, &s);
    p.offload = OFFLOAD_NPU;
    CU_ASSERT_TRUE(gemm_cycles(&p, &s) < cl);
}

static int register_tests(void)
{
    ADD_SUITE("models_invariants", TEST(test_more_cores_never_slower),
              TEST(test_less_bandwidth_never_faster),
              TEST(test_energy_is_sum_of_components), TEST(test_always_on_power_per_component),
              TEST(test_tiny_l1_fails_naming_op), TEST(test_npu_faster_on_large_gemm));
    return 0;
}

CUNIT_MAIN(register_tests)
