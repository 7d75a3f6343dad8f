/* Hand-computed costs on the round-number node of test_models_fixture.h:
 * 100 MHz, 8 cores x 4 MAC peak x 0.5 x 1.0 = 2 MAC/cycle/core, 10-cycle tile
 * overhead, DMA 30 cycles + 8 B/cycle, HyperRAM 100 ns/1 KiB burst + 100 MB/s. */
#include "cunit_main.h"
#include "pulp_internal.h"
#include "test_models_fixture.h"

static void test_dma_transfer(void)
{
    pulp_params p = fx_params();
    CU_ASSERT_EQUAL(pulp_dma_cycles(&p, 1000), 30 + 1000 / 8);
    CU_ASSERT_EQUAL(pulp_dma_cycles(&p, 0), 0);
    CU_ASSERT_EQUAL(pulp_dma_cycles(&p, 1), 31);   /* a partial beat still costs a cycle */
}

static void test_hyperram_stream(void)
{
    pulp_params p = fx_params();
    /* 4 bursts x 100 ns + 4096 B / 100 MB/s = 0.4 us + 40.96 us = 41.36 us */
    CU_ASSERT_EQUAL(pulp_hyper_cycles(&p, 4096), 4136);
    /* 1.5 bursts round up to 2 latencies: 0.2 us + 15.36 us */
    CU_ASSERT_EQUAL(pulp_hyper_cycles(&p, 1536), 1556);
}

static void test_pipeline_overlap_is_max_not_sum(void)
{
    pulp_pipeline pl;
    pulp_pipeline_init(&pl);
    for (int i = 0; i < 3; i++) pulp_pipeline_tile(&pl, 10, 100, 5);
    /* 10 + 3 x 100 + 5: DMA hidden under compute; the sum would be 345 */
    CU_ASSERT_EQUAL(pulp_pipeline_finish(&pl), 315);
    pulp_pipeline_init(&pl);
    for (int i = 0; i < 3; i++) pulp_pipeline_tile(&pl, 100, 10, 0);
    /* DMA-bound: 100 + 100 + 100 + 10 (last compute) */
    CU_ASSERT_EQUAL(pulp_pipeline_finish(&pl), 310);
}

static void test_one_gemm_tile(void)
{
    pulp_params p = fx_params();
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_L2, &c), 0);
    /* compute: 1 output per core x 64 MACs / 2 + 10 = 42
     * in: W 512 B (30+64) + A 64 B (30+8) = 132; out: 32 B (30+4) = 34 */
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_CLUSTER], 42);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_DMA], 166);
    CU_ASSERT_EQUAL(c.cycles, 132 + 42 + 34);
    CU_ASSERT_EQUAL(c.bytes[MEM_L2], 512 + 64 + 32);
    CU_ASSERT_EQUAL(c.bytes[MEM_HYPERRAM], 0);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_CLUSTER], 512 * 1e-12, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_DMA], 608 * 0.5e-12, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_L2], 608 * 2e-12, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_HYPERRAM], 0, 1e-18);
}

static void test_gemm_accumulate_reads_output(void)
{
    pulp_params p = fx_params();
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, true, MEM_L2, &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 132 + 34 + 42 + 34);   /* + fetch of the 32 B output tile */
}

static void test_gemm_tiles_dma_bound(void)
{
    pulp_params p = fx_params();
    /* tile bytes 2*(64 + 64 tn + 4 tn) = 128 + 136 tn: 2400 B of L1 gives tn = 16 */
    p.l1_size = 2400;
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 64, 64, false, MEM_L2, &c), 0);
    /* 4 tiles: compute 2 outputs/core x 64 / 2 + 10 = 74; W tile 1024 B = 158;
     * A 64 B = 38 (first tile only); out 64 B = 38.
     * 196 + max(74,158) + max(74,158+38) + max(74,158+38) + max(74,38) + 38 */
    CU_ASSERT_EQUAL(c.cycles, 196 + 158 + 196 + 196 + 74 + 38);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_CLUSTER], 4 * 74);
}

static void test_gemm_weights_streamed_from_hyperram(void)
{
    pulp_params p = fx_params();
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_HYPERRAM, &c), 0);
    /* 512 B in one burst: 100 ns + 5.12 us = 522 cycles must land first, then
     * the 208-cycle tile pipeline (nothing left of the stream to overlap) */
    CU_ASSERT_EQUAL(c.cycles, 522 + 208);
    CU_ASSERT_EQUAL(c.bytes[MEM_HYPERRAM], 512);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_HYPERRAM], 512 * 100e-12, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_HYPERBUS], 0, 1e-18);   /* the fixture's is 0 */
    p.hyperbus_energy_per_byte = 7e-12;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_HYPERRAM, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_HYPERBUS], 512 * 7e-12, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_HYPERRAM], 512 * 100e-12, 1e-18);
}

static void test_large_stream_is_hyperram_bound(void)
{
    pulp_params p = fx_params();
    /* 128 KiB of weights */
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 256, 512, false, MEM_HYPERRAM, &c), 0);
    uint64_t stream = pulp_hyper_cycles(&p, 256 * 512);
    /* the slowest stage dominates: at least the stream, and far below stream + compute */
    CU_ASSERT_TRUE(c.cycles >= stream);
    CU_ASSERT_TRUE(c.cycles < stream + c.busy_cycles[COMP_CLUSTER] + c.busy_cycles[COMP_DMA]);
}

static system_program *rowwise_program(op_kind kind, dtype in, dtype outt, uint32_t m,
                                       uint32_t n, uint64_t elem, uint64_t special)
{
    system_program *sp = system_program_create(1, false);
    chip_program *c = &sp->chips[0];
    int32_t a = chip_add_buffer(c, false, "x", in, m, n, BUF_ACTIVATION);
    int32_t o = chip_add_buffer(c, false, "y", outt, m, n, BUF_ACTIVATION);
    prog_op op = prog_op_init(kind, "t.row");
    op.in[0] = a, op.out = o, op.m = m, op.n = n;
    op.work.elem_ops = elem, op.work.special_ops = special;
    chip_add_op(c, &op);
    return sp;
}

static void test_elementwise_and_special(void)
{
    pulp_params p = fx_params();
    system_program *sp = rowwise_program(OP_ACT, DT_I8, DT_I8, 4, 64, 512, 0);
    int rc;
    pulp_cost c = fx_cost0(&p, sp, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    /* in 256 B = 62; 512/8 x 1 + 10 = 74; out 256 B = 62 */
    CU_ASSERT_EQUAL(c.cycles, 62 + 74 + 62);
    system_program_destroy(sp);

    sp = rowwise_program(OP_SOFTMAX, DT_I32, DT_U8, 2, 16, 64, 32);
    c = fx_cost0(&p, sp, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    /* in 128 B = 46; 64/8 x 1 + 32/8 x 10 + 10 = 58; out 32 B = 34 */
    CU_ASSERT_EQUAL(c.cycles, 46 + 58 + 34);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_CLUSTER], 64 * 2e-12 + 32 * 20e-12, 1e-18);
    system_program_destroy(sp);
}

/* A copy that widens int8 into int32 (the embedding lookup) is work for the
 * cluster, priced exactly as a row-wise element op of the same rows, bytes
 * and element count; a plain copy stays a DMA transfer with the cores idle. */
static void test_widening_copy_is_cluster_work(void)
{
    pulp_params p = fx_params();
    system_program *cp = rowwise_program(OP_COPY, DT_I8, DT_I32, 2, 512, 1024, 0);
    system_program *act = rowwise_program(OP_ACT, DT_I8, DT_I32, 2, 512, 1024, 0);
    CU_ASSERT(op_copy_widens(&cp->chips[0], &cp->chips[0].ops[0]));
    int rc1, rc2;
    pulp_cost c = fx_cost0(&p, cp, &rc1), a = fx_cost0(&p, act, &rc2);
    CU_ASSERT_EQUAL_FATAL(rc1, 0);
    CU_ASSERT_EQUAL_FATAL(rc2, 0);
    CU_ASSERT(memcmp(&c, &a, sizeof c) == 0);
    CU_ASSERT(c.busy_cycles[COMP_CLUSTER] > 0);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_CLUSTER], 1024 * 2e-12, 1e-18);
    system_program_destroy(cp);
    system_program_destroy(act);

    system_program *plain = rowwise_program(OP_COPY, DT_I32, DT_I32, 2, 512, 0, 0);
    CU_ASSERT_FALSE(op_copy_widens(&plain->chips[0], &plain->chips[0].ops[0]));
    c = fx_cost0(&p, plain, &rc1);
    CU_ASSERT_EQUAL_FATAL(rc1, 0);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_CLUSTER], 0);
    CU_ASSERT_EQUAL(c.cycles, pulp_dma_cycles(&p, 2 * 512 * 4));
    system_program_destroy(plain);
}

static void test_send_recv_node_side(void)
{
    pulp_params p = fx_params();
    system_program *sp = system_program_create(1, false);
    chip_program *ch = &sp->chips[0];
    int32_t b = chip_add_buffer(ch, false, "partial", DT_I32, 1, 200, BUF_PARTIAL);
    prog_op s = prog_op_init(OP_SEND, "t.send");
    s.in[0] = b, s.bytes = 800, s.peer = 1;
    prog_op r = prog_op_init(OP_RECV, "t.recv");
    r.in[0] = b, r.bytes = 800, r.peer = 1;
    prog_op ra = r;
    ra.accumulate = true;
    chip_add_op(ch, &s);
    chip_add_op(ch, &r);
    chip_add_op(ch, &ra);
    pulp_node *m = fx_model(&p);
    pulp_cost c;
    /* plain send and receive: only the 40-cycle set-up; the peripheral's
     * uDMA streams the 800 B from/to L2 during the wire time (L2 energy) */
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[0], &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 40);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_DMA], 40);
    CU_ASSERT_EQUAL(c.bytes[MEM_L2], 800);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_L2], 800 * 2e-12, 1e-18);
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[1], &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 40);
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[2], &c), 0);
    /* set-up + payload in + old partial in = 300; 200 int32 adds / 8 cores = 25; write back 130 */
    CU_ASSERT_EQUAL(c.cycles, 300 + 25 + 130);
    /* a running sum already in L1 is not fetched again; one that stays there
     * is not written back */
    ch->ops[2].sum_in_l1 = true;
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[2], &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 170 + 25 + 130);
    ch->ops[2].sum_stays_in_l1 = true;
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[2], &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 170 + 25);
    ch->ops[2].sum_in_l1 = false;
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[2], &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 300 + 25);
    pulp_node_destroy(m);
    system_program_destroy(sp);
}

static void test_explicit_dma_by_level(void)
{
    pulp_params p = fx_params();
    system_program *sp = system_program_create(1, false);
    chip_program *ch = &sp->chips[0];
    int32_t b = chip_add_buffer(ch, false, "w", DT_I8, 64, 64, BUF_WEIGHT);
    prog_op d = prog_op_init(OP_DMA, "t.dma");
    d.in[0] = b, d.bytes = 4096, d.src_level = MEM_HYPERRAM, d.dst_level = MEM_L2;
    chip_add_op(ch, &d);
    d.src_level = MEM_L2, d.dst_level = MEM_L1;
    chip_add_op(ch, &d);
    pulp_node *m = fx_model(&p);
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[0], &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 4136);
    CU_ASSERT_EQUAL(c.bytes[MEM_HYPERRAM], 4096);
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[1], &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 30 + 512);
    CU_ASSERT_EQUAL(c.bytes[MEM_HYPERRAM], 0);
    pulp_node_destroy(m);
    system_program_destroy(sp);
}

static void test_npu_path(void)
{
    pulp_params p = fx_params();
    p.offload = OFFLOAD_NPU;
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_L2, &c), 0);
    /* one job: 50 set-up + 512 MACs / 256 = 52 */
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_NPU], 52);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_CLUSTER], 0);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_NPU], 512 * 0.25e-12, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_CLUSTER], 0, 1e-18);

    p.npu_present = false;
    pulp_node *m = NULL;
    char err[256] = "";
    CU_ASSERT_NOT_EQUAL(pulp_node_create(&p, &m, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "npu"));
}

/* Weights in the weight memory: no DMA of W, the engine reads them at the
 * weight memory's rate (the slower of that and its own compute bounds each
 * tile), and they count as wmem bytes, not L1 or L2. */
static void test_gemm_weights_in_wmem(void)
{
    pulp_params p = fx_params();
    p.wmem_size = 1 << 20;
    p.wmem_cluster_bytes_per_cycle = 4;
    p.wmem_npu_bytes_per_cycle = 64;
    p.wmem_energy_per_byte = 3e-12;
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_WMEM, &c), 0);
    /* compute 42 (test_one_gemm_tile); W 512 B at 4 B/cycle = 128, slower:
     * in: A 64 B (30+8) = 38; step 128; out 32 B (30+4) = 34 */
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_CLUSTER], 42);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_WMEM], 128);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_DMA], 38 + 34);
    CU_ASSERT_EQUAL(c.cycles, 38 + 128 + 34);
    /* the critical path: the engine all its work, wmem the rest of the step */
    CU_ASSERT_EQUAL(c.time_cycles[COMP_CLUSTER], 42);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_WMEM], 128 - 42);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_DMA], 38 + 34);
    CU_ASSERT_EQUAL(c.bytes[MEM_WMEM], 512);
    CU_ASSERT_EQUAL(c.bytes[MEM_L2], 64 + 32);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_WMEM], 512 * 3e-12, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_DMA], 96 * 0.5e-12, 1e-18);

    /* a fast weight memory leaves the step compute-bound: no wmem time */
    p.wmem_cluster_bytes_per_cycle = 64;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_WMEM, &c), 0);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_WMEM], 8);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_WMEM], 0);
    CU_ASSERT_EQUAL(c.cycles, 38 + 42 + 34);

    /* the NPU reads through its own port */
    p.offload = OFFLOAD_NPU;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_WMEM, &c), 0);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_WMEM], 512 / 64);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_NPU], 52);
}

/* Active power: each engine draws its background power for exactly its busy
 * cycles, on top of its per-event energy. */
static void test_active_power_over_busy_time(void)
{
    pulp_params p = fx_params();
    pulp_cost base, c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_L2, &base), 0);
    p.cluster_active_w = 0.05;
    p.dma_active_w = 0.002;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_L2, &c), 0);
    CU_ASSERT_EQUAL(c.cycles, base.cycles);
    double f = p.clock_hz;
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_CLUSTER] - base.energy_j[COMP_CLUSTER],
                           0.05 * (double)c.busy_cycles[COMP_CLUSTER] / f, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_DMA] - base.energy_j[COMP_DMA],
                           0.002 * (double)c.busy_cycles[COMP_DMA] / f, 1e-18);
    p.offload = OFFLOAD_NPU;
    p.npu_active_w = 0.03;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_L2, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_NPU], 512 * 0.25e-12 + 0.03 * 52 / f, 1e-18);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_CLUSTER], 0, 1e-18);   /* the cores wait */
    /* an engine waiting on its weight reads is still running: its active
     * power covers the whole step (512 B at 2 B/cycle = 256 > 52) */
    p.wmem_size = 1 << 20;
    p.wmem_cluster_bytes_per_cycle = 2;
    p.wmem_npu_bytes_per_cycle = 2;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_WMEM, &c), 0);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_NPU], 52);
    CU_ASSERT_EQUAL(c.busy_cycles[COMP_WMEM], 256);
    CU_ASSERT_DOUBLE_EQUAL(c.energy_j[COMP_NPU], 512 * 0.25e-12 + 0.03 * 256 / f, 1e-18);
}

static int register_tests(void)
{
    ADD_SUITE("models_costs", TEST(test_dma_transfer), TEST(test_hyperram_stream),
              TEST(test_pipeline_overlap_is_max_not_sum), TEST(test_one_gemm_tile),
              TEST(test_gemm_accumulate_reads_output), TEST(test_gemm_tiles_dma_bound),
              TEST(test_gemm_weights_streamed_from_hyperram),
              TEST(test_large_stream_is_hyperram_bound), TEST(test_elementwise_and_special),
              TEST(test_widening_copy_is_cluster_work),
              TEST(test_send_recv_node_side), TEST(test_explicit_dma_by_level),
              TEST(test_npu_path), TEST(test_gemm_weights_in_wmem),
              TEST(test_active_power_over_busy_time));
    return 0;
}

CUNIT_MAIN(register_tests)
