/* Critical-path attribution of one op (pulp_cost.time_cycles): for every op
 * kind it partitions pulp_cost.cycles exactly, never charges a component more
 * than its activity, and puts the time where the hand-worked pipeline says
 * it goes (fill on HyperRAM, prologue/epilogue on DMA, the rest on compute).
 * Checked over every op of real partitioned programs on the shipped node and
 * on hand cases on the round-number node of test_models_fixture.h. */
#include <stdio.h>

#include "cfg.h"
#include "cunit_main.h"
#include "pulp_internal.h"
#include "test_model_dims.h"
#include "test_models_fixture.h"
#include "workload.h"

#define NODE_YAML MCUSIM_SOURCE_DIR "/configs/nodes/siracusa.yaml"

static uint64_t time_sum(const pulp_cost *c)
{
    uint64_t s = 0;
    for (int k = 0; k < COMP__COUNT; k++) s += c->time_cycles[k];
    return s;
}

/* What every op must satisfy; returns false (after CUnit asserts) on a breach
 * so callers can name the op. */
static bool partition_ok(const pulp_cost *c)
{
    bool ok = time_sum(c) == c->cycles;
    /* the engines are charged at most what they did */
    static const pulp_comp active[] = {COMP_CLUSTER, COMP_NPU, COMP_DMA, COMP_HYPERRAM};
    for (size_t i = 0; i < sizeof active / sizeof active[0]; i++)
        ok = ok && c->time_cycles[active[i]] <= c->busy_cycles[active[i]];
    /* memories never bound a node-side op (links and waiting are the
     * engine's, not the node's components at all) */
    ok = ok && c->time_cycles[COMP_L1] == 0 && c->time_cycles[COMP_L2] == 0;
    CU_ASSERT_TRUE(ok);
    return ok;
}

static bool shipped_node(pulp_params *p)
{
    cfg_error e;
    memset(&e, 0, sizeof e);
    memset(p, 0, sizeof *p);
    cfg_node *root = cfg_load_file(NODE_YAML, &e);
    if (!root) { cfg_error_print(&e, stderr); return false; }
    int rc = cfg_bind(root, "system.node", pulp_param_specs, pulp_param_count, node_reserved_keys, p, &e);
    if (rc) cfg_error_print(&e, stderr);
    cfg_destroy(root);
    return rc == 0;
}

typedef struct seen { uint64_t ops, hyper_ops, dma_ops, compute_ops; } seen;

/* Partitions the workload, places every chip and checks every op. */
static void check_program(const pulp_params *p, const char *model, int mode, uint32_t chips,
                          seen *s)
{
    workload_params w;
    memset(&w, 0, sizeof w);
    snprintf(w.model, sizeof w.model, "%s", model);
    w.mode = mode;
    w.seq_len = 128;
    w.seed = 1;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(tmd_published(model, &w.dims), 0);
    system_program *sp = partition_build(&w, chips, false, err, sizeof err);
    if (!sp) fprintf(stderr, "%s x%u: %s\n", model, chips, err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
    pulp_node *m = fx_model(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    for (uint32_t c = 0; c < sp->n_chips; c++) {
        placement_report r;
        int rc = pulp_place(m, &sp->chips[c], &r, err, sizeof err);
        if (rc) fprintf(stderr, "%s x%u chip %u: %s\n", model, chips, c, err);
        CU_ASSERT_EQUAL_FATAL(rc, 0);
        for (uint32_t i = 0; i < sp->chips[c].n_ops; i++) {
            const prog_op *op = &sp->chips[c].ops[i];
            pulp_cost cost;
            CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, &sp->chips[c], op, &cost), 0);
            if (!partition_ok(&cost))
                fprintf(stderr, "%s x%u chip %u op %u '%s': cycles %llu, time sum %llu\n", model,
                        chips, c, i, op->label, (unsigned long long)cost.cycles,
                        (unsigned long long)time_sum(&cost));
            s->ops++;
            s->hyper_ops += cost.time_cycles[COMP_HYPERRAM] > 0;
            s->dma_ops += cost.time_cycles[COMP_DMA] > 0;
            s->compute_ops += cost.time_cycles[COMP_CLUSTER] + cost.time_cycles[COMP_NPU] > 0;
        }
    }
    pulp_node_destroy(m);
    system_program_destroy(sp);
}

static void test_real_programs_partition_every_op(void)
{
    pulp_params p;
    CU_ASSERT_TRUE_FATAL(shipped_node(&p));
    seen s = {0};
    check_program(&p, "tinyllama-42m", MODE_AUTOREGRESSIVE, 1, &s);
    check_program(&p, "tinyllama-42m", MODE_AUTOREGRESSIVE, 4, &s);
    check_program(&p, "tinyllama-42m", MODE_PROMPT, 1, &s);
    check_program(&p, "tinyllama-42m", MODE_PROMPT, 4, &s);
    check_program(&p, "mobilebert", MODE_PROMPT, 2, &s);
    /* the NPU path books compute on the NPU instead */
    p.offload = OFFLOAD_NPU;
    check_program(&p, "tinyllama-42m", MODE_AUTOREGRESSIVE, 4, &s);
    /* the mix really exercised every branch: 1-chip TinyLlama streams weights */
    CU_ASSERT_TRUE(s.ops > 1000);
    CU_ASSERT_TRUE(s.hyper_ops > 0);
    CU_ASSERT_TRUE(s.dma_ops > 0);
    CU_ASSERT_TRUE(s.compute_ops > 0);
}

/* Send, receive (plain and accumulating), explicit DMA at both levels, a
 * copy, a barrier and an unexpanded collective: the ops real programs only
 * get after topology expansion, or not at all. */
static void test_every_other_op_kind_partitions(void)
{
    pulp_params p = fx_params();
    system_program *sp = system_program_create(1, false);
    chip_program *ch = &sp->chips[0];
    int32_t b = chip_add_buffer(ch, false, "partial", DT_I32, 64, 64, BUF_PARTIAL);
    int32_t h = chip_add_buffer(ch, false, "far", DT_I32, 64, 64, BUF_PARTIAL);
    ch->bufs[h].home = MEM_HYPERRAM;
    prog_op ops[9];
    ops[0] = prog_op_init(OP_SEND, "send");
    ops[0].in[0] = b, ops[0].bytes = 4096, ops[0].peer = 1;
    ops[1] = prog_op_init(OP_RECV, "recv");
    ops[1].in[0] = b, ops[1].bytes = 4096, ops[1].peer = 1;
    ops[2] = ops[1];
    ops[2].accumulate = true;
    ops[3] = ops[2];
    ops[3].in[0] = h;   /* accumulating into a HyperRAM-homed buffer streams it */
    ops[4] = prog_op_init(OP_DMA, "dma.hyper");
    ops[4].in[0] = b, ops[4].bytes = 4096, ops[4].src_level = MEM_HYPERRAM, ops[4].dst_level = MEM_L2;
    ops[5] = ops[4];
    ops[5].src_level = MEM_L2, ops[5].dst_level = MEM_L1;
    ops[6] = prog_op_init(OP_COPY, "copy");
    ops[6].in[0] = b, ops[6].out = b;
    ops[7] = prog_op_init(OP_BARRIER, "barrier");
    ops[8] = prog_op_init(OP_REDUCE, "reduce");
    ops[8].in[0] = b;
    for (size_t i = 0; i < 9; i++) CU_ASSERT(chip_add_op(ch, &ops[i]) >= 0);
    pulp_node *m = fx_model(&p);
    for (uint32_t i = 0; i < ch->n_ops; i++) {
        pulp_cost c;
        CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[i], &c), 0);
        if (!partition_ok(&c)) fprintf(stderr, "op %u '%s'\n", i, ch->ops[i].label);
    }
    pulp_cost c;
    /* a plain send is all DMA: set-up + payload */
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[0], &c), 0);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_DMA], c.cycles);
    /* an explicit HyperRAM DMA is all stream */
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[4], &c), 0);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_HYPERRAM], c.cycles);
    CU_ASSERT_EQUAL(c.cycles, pulp_hyper_cycles(&p, 4096));
    /* barrier and unexpanded collective cost nothing on the node */
    CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, ch, &ch->ops[7], &c), 0);
    CU_ASSERT_EQUAL(time_sum(&c), 0);
    pulp_node_destroy(m);
    system_program_destroy(sp);
}

/* L2-resident, compute-bound GEMM in one tile: the cluster gets everything
 * except the prologue (W + A in) and the epilogue (output out) DMA. */
static void test_compute_bound_gemm_is_cluster_time(void)
{
    pulp_params p = fx_params();
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 64, 64, 64, false, MEM_L2, &c), 0);
    /* compute: 4096 outputs / 8 cores x 64 MACs / 2 + 10 = 16394;
     * in: W 4096 B (30+512) + A 4096 B (30+512) = 1084; out 16384 B = 30+2048 */
    uint64_t prologue = 1084, epilogue = 2078;
    CU_ASSERT_EQUAL(c.cycles, prologue + 16394 + epilogue);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_CLUSTER], c.cycles - prologue - epilogue);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_DMA], prologue + epilogue);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_HYPERRAM], 0);
    CU_ASSERT_TRUE(partition_ok(&c));
}

/* Several tiles, compute-bound: the DMA of the inner tiles hides under
 * compute, so DMA time is well below DMA activity. */
static void test_hidden_dma_is_not_charged(void)
{
    pulp_params p = fx_params();
    p.l1_size = 64 << 10;
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 128, 128, 256, false, MEM_L2, &c), 0);
    CU_ASSERT_TRUE(partition_ok(&c));
    CU_ASSERT_EQUAL(c.time_cycles[COMP_CLUSTER], c.busy_cycles[COMP_CLUSTER]);
    CU_ASSERT_TRUE(c.time_cycles[COMP_DMA] > 0);
    CU_ASSERT_TRUE(c.time_cycles[COMP_DMA] < c.busy_cycles[COMP_DMA]);
    /* busy overlaps: stacked it would overshoot the op */
    CU_ASSERT_TRUE(c.busy_cycles[COMP_CLUSTER] + c.busy_cycles[COMP_DMA] > c.cycles);
}

/* DMA-bound tiles (test_models_costs: 4 tiles of 74 compute under 158..196
 * of DMA): compute is still charged whole, DMA only what it adds. */
static void test_dma_bound_gemm(void)
{
    pulp_params p = fx_params();
    p.l1_size = 2400;
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 64, 64, false, MEM_L2, &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 858);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_CLUSTER], 4 * 74);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_DMA], 858 - 4 * 74);
    CU_ASSERT_TRUE(partition_ok(&c));
}

/* Small stream: the first burst (522 cycles) must land before the tiles;
 * nothing of the stream is left to overlap, so HyperRAM time is the fill. */
static void test_stream_fill_is_hyperram_time(void)
{
    pulp_params p = fx_params();
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 8, 64, false, MEM_HYPERRAM, &c), 0);
    CU_ASSERT_EQUAL(c.cycles, 522 + 208);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_HYPERRAM], 522);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_CLUSTER], 42);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_DMA], 208 - 42);
    CU_ASSERT_TRUE(partition_ok(&c));
}

/* 128 KiB of weights streamed: the op takes as long as the stream, and
 * HyperRAM time is the stream minus the pipeline it hides. */
static void test_hyperram_bound_gemm(void)
{
    pulp_params p = fx_params();
    pulp_cost c;
    CU_ASSERT_EQUAL_FATAL(fx_gemm_cost(&p, 1, 256, 512, false, MEM_HYPERRAM, &c), 0);
    uint64_t stream = pulp_hyper_cycles(&p, 256 * 512);
    CU_ASSERT_EQUAL(c.cycles, stream);
    uint64_t local = c.time_cycles[COMP_CLUSTER] + c.time_cycles[COMP_DMA];
    CU_ASSERT_TRUE(c.time_cycles[COMP_HYPERRAM] > local);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_HYPERRAM], stream - local);
    CU_ASSERT_EQUAL(c.time_cycles[COMP_CLUSTER], c.busy_cycles[COMP_CLUSTER]);
    CU_ASSERT_TRUE(partition_ok(&c));
}

static int register_tests(void)
{
    ADD_SUITE("models_attribution", TEST(test_real_programs_partition_every_op),
              TEST(test_every_other_op_kind_partitions),
              TEST(test_compute_bound_gemm_is_cluster_time), TEST(test_hidden_dma_is_not_charged),
              TEST(test_dma_bound_gemm), TEST(test_stream_fill_is_hyperram_time),
              TEST(test_hyperram_bound_gemm));
    return 0;
}

CUNIT_MAIN(register_tests)
