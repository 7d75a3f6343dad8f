/* Activation spill: when the live transient set exceeds L2, buffers go to
 * HyperRAM by the stated policy (largest live at the peak first), the ops
 * that touch them pay exactly those bytes off-chip, spilling never makes an
 * op faster than a node where everything fits, and a node whose L2 cannot
 * even hold the staging buffer still fails with the op and sizes. */
#include <stdio.h>

#include "cunit_main.h"
#include "test_models_fixture.h"

static const uint32_t N[4] = {10240, 7680, 5120, 2560};   /* y_i = 40, 30, 20, 10 KiB */
#define KDIM 64

/* g_i: y_i[1 x n_i] i32 = x[1 x 64] * w_i; then r_i: o_i[1x1] = y_i * v_i.
 * All y_i are live together from g3 to r0. Buffer ids: x 0; per i:
 * w_i, y_i; per i: v_i, o_i. */
static system_program *fan_program(int32_t y[4])
{
    system_program *sp = system_program_create(1, false);
    chip_program *c = &sp->chips[0];
    int32_t x = chip_add_buffer(c, false, "x", DT_I8, 1, KDIM, BUF_ACTIVATION);
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "w%d", i);
        int32_t w = chip_add_buffer(c, false, name, DT_I8, KDIM, N[i], BUF_WEIGHT);
        snprintf(name, sizeof name, "y%d", i);
        y[i] = chip_add_buffer(c, false, name, DT_I32, 1, N[i], BUF_ACTIVATION);
        snprintf(name, sizeof name, "g%d", i);
        prog_op op = prog_op_init(OP_GEMM, name);
        op.in[0] = x, op.in[1] = w, op.out = y[i], op.m = 1, op.n = N[i], op.k = KDIM;
        chip_add_op(c, &op);
    }
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%d", i);
        int32_t v = chip_add_buffer(c, false, name, DT_I8, N[i], 1, BUF_WEIGHT);
        snprintf(name, sizeof name, "o%d", i);
        int32_t o = chip_add_buffer(c, false, name, DT_I32, 1, 1, BUF_ACTIVATION);
        snprintf(name, sizeof name, "r%d", i);
        prog_op op = prog_op_init(OP_GEMM, name);
        op.in[0] = y[i], op.in[1] = v, op.out = o, op.m = 1, op.n = 1, op.k = N[i];
        chip_add_op(c, &op);
    }
    return sp;
}

static bool transient(buf_role r)
{
    return r == BUF_ACTIVATION || r == BUF_PARTIAL || r == BUF_RESIDUAL;
}

static bool uses(const prog_op *op, int32_t b)
{
    return op->in[0] == b || op->in[1] == b || op->in[2] == b || op->out == b;
}

/* Reference of the policy, written plainly: live set per op by scanning
 * each buffer's uses; spill the largest resident buffer live at the first
 * op of maximum live bytes until the maximum is within budget. */
static void reference_spill(const chip_program *c, uint64_t budget, bool *spilled)
{
    for (uint32_t b = 0; b < c->n_bufs; b++) spilled[b] = false;
    for (;;) {
        uint64_t peak = 0;
        int64_t at = -1;
        for (uint32_t i = 0; i < c->n_ops; i++) {
            uint64_t live = 0;
            for (uint32_t b = 0; b < c->n_bufs; b++) {
                bool before = false, after = false;
                for (uint32_t j = 0; j <= i; j++) before |= uses(&c->ops[j], (int32_t)b);
                for (uint32_t j = i; j < c->n_ops; j++) after |= uses(&c->ops[j], (int32_t)b);
                if (before && after && transient(c->bufs[b].role) && !spilled[b])
                    live += prog_buffer_bytes(&c->bufs[b]);
            }
            if (live > peak) peak = live, at = i;
        }
        if (peak <= budget) return;
        int64_t best = -1;
        for (uint32_t b = 0; b < c->n_bufs; b++) {
            if (!transient(c->bufs[b].role) || spilled[b]) continue;
            bool before = false, after = false;
            for (int64_t j = 0; j <= at; j++) before |= uses(&c->ops[j], (int32_t)b);
            for (int64_t j = at; j < (int64_t)c->n_ops; j++) after |= uses(&c->ops[j], (int32_t)b);
            if (before && after &&
                (best < 0 || prog_buffer_bytes(&c->bufs[b]) > prog_buffer_bytes(&c->bufs[best])))
                best = b;
        }
        spilled[best] = true;
    }
}

static pulp_params spill_params(void)
{
    pulp_params p = fx_params();
    p.l2_size = 36 << 10;
    p.l2_reserved = 0;
    p.l2_stream_buffer = 4 << 10;   /* budget for activations: 32 KiB */
    return p;
}

static void test_spills_largest_live_at_peak(void)
{
    int32_t y[4];
    system_program *sp = fan_program(y);
    const chip_program *c = &sp->chips[0];
    pulp_params p = spill_params();
    placement_report r;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);

    bool ref[64];
    CU_ASSERT_FATAL(c->n_bufs <= 64);
    reference_spill(c, (uint64_t)(p.l2_size - p.l2_stream_buffer), ref);
    uint64_t ref_bytes = 0;
    uint32_t ref_n = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++) {
        if (!transient(c->bufs[b].role)) continue;
        CU_ASSERT_EQUAL(c->bufs[b].home == MEM_HYPERRAM, ref[b]);
        if (ref[b]) ref_bytes += prog_buffer_bytes(&c->bufs[b]), ref_n++;
    }
    /* by hand: 100 KiB + 64 B live at g3 > 32 KiB; dropping y0 (40K) leaves 60K,
     * dropping y1 (30K) leaves 30K: y2, y3 and x stay */
    CU_ASSERT_EQUAL(c->bufs[y[0]].home, MEM_HYPERRAM);
    CU_ASSERT_EQUAL(c->bufs[y[1]].home, MEM_HYPERRAM);
    CU_ASSERT_EQUAL(c->bufs[y[2]].home, MEM_L2);
    CU_ASSERT_EQUAL(c->bufs[y[3]].home, MEM_L2);
    CU_ASSERT_EQUAL(r.spilled_activation_bytes, ref_bytes);
    CU_ASSERT_EQUAL(r.spilled_activation_buffers, ref_n);
    CU_ASSERT_EQUAL(r.activation_demand_bytes, KDIM + 4 * (10240 + 7680 + 5120 + 2560));
    CU_ASSERT_TRUE(r.activation_peak_bytes <= (uint64_t)p.l2_size);
    CU_ASSERT_TRUE(r.used[MEM_L2] <= r.capacity[MEM_L2]);
    system_program_destroy(sp);
}

/* Off-chip bytes of an op: every distinct operand homed in HyperRAM, whole
 * (each op here touches whole buffers; none accumulates). */
static uint64_t hyper_operand_bytes(const chip_program *c, const prog_op *op, bool only_transient)
{
    uint64_t t = 0;
    int32_t ids[4] = {op->in[0], op->in[1], op->in[2], op->out};
    for (int s = 0; s < 4; s++) {
        bool dup = false;
        for (int u = 0; u < s; u++) dup |= ids[u] == ids[s];
        if (ids[s] < 0 || dup || c->bufs[ids[s]].home != MEM_HYPERRAM) continue;
        if (only_transient && !transient(c->bufs[ids[s]].role)) continue;
        t += prog_buffer_bytes(&c->bufs[ids[s]]);
    }
    return t;
}

static void test_ops_pay_spilled_bytes_and_never_run_faster(void)
{
    int32_t y[4];
    system_program *sp = fan_program(y), *big = fan_program(y);
    pulp_params p = spill_params(), roomy = spill_params();
    roomy.l2_size = 64 << 20;   /* everything fits */
    placement_report r, rr;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(fx_place(&roomy, big, &rr, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rr.spilled_activation_bytes, 0);
    CU_ASSERT_EQUAL(rr.streamed_bytes_per_inference, 0);

    pulp_node *m = fx_model(&p), *mr = fx_model(&roomy);
    const chip_program *c = &sp->chips[0], *cr = &big->chips[0];
    uint64_t spill_traffic = 0, total = 0, t_spill = 0, t_roomy = 0;
    double e_hyper = 0;
    for (uint32_t i = 0; i < c->n_ops; i++) {
        pulp_cost a, b;
        CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, c, &c->ops[i], &a), 0);
        CU_ASSERT_EQUAL_FATAL(pulp_op_cost(mr, cr, &cr->ops[i], &b), 0);
        CU_ASSERT_EQUAL(a.bytes[MEM_HYPERRAM], hyper_operand_bytes(c, &c->ops[i], false));
        CU_ASSERT_TRUE(a.cycles >= b.cycles);
        spill_traffic += hyper_operand_bytes(c, &c->ops[i], true);
        total += a.bytes[MEM_HYPERRAM];
        e_hyper += a.energy_j[COMP_HYPERRAM];
        t_spill += a.cycles, t_roomy += b.cycles;
    }
    /* each spilled y is written once (g_i) and read once (r_i) */
    CU_ASSERT_EQUAL(spill_traffic, 2 * r.spilled_activation_bytes);
    CU_ASSERT_EQUAL(total, r.streamed_bytes_per_inference);
    CU_ASSERT_DOUBLE_EQUAL(e_hyper, (double)total * p.hyper_energy_per_byte, 1e-15);
    CU_ASSERT_TRUE(t_spill > t_roomy);
    pulp_node_destroy(m);
    pulp_node_destroy(mr);
    system_program_destroy(sp);
    system_program_destroy(big);
}

/* A partial sum homed in HyperRAM: sending reads it off-chip, an
 * accumulating receive reads and writes it back. */
static void test_comm_on_spilled_buffer_pays_hyperram(void)
{
    system_program *sp = system_program_create(1, false);
    chip_program *c = &sp->chips[0];
    int32_t b = chip_add_buffer(c, false, "part", DT_I32, 1, 4096, BUF_PARTIAL);
    prog_op s = prog_op_init(OP_SEND, "send"), rv = prog_op_init(OP_RECV, "recv");
    s.in[0] = rv.in[0] = b;
    s.bytes = rv.bytes = 16384;
    s.peer = rv.peer = 1;
    rv.accumulate = true;
    pulp_params p = fx_params();
    pulp_node *m = fx_model(&p);
    pulp_cost in_l2[2], off[2];
    const prog_op *ops[2] = {&s, &rv};
    for (int i = 0; i < 2; i++) {
        c->bufs[b].home = MEM_L2;
        CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, c, ops[i], &in_l2[i]), 0);
        c->bufs[b].home = MEM_HYPERRAM;
        CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, c, ops[i], &off[i]), 0);
        CU_ASSERT_EQUAL(in_l2[i].bytes[MEM_HYPERRAM], 0);
        CU_ASSERT_TRUE(off[i].cycles > in_l2[i].cycles);
        CU_ASSERT_TRUE(off[i].energy_j[COMP_HYPERRAM] > 0);
    }
    CU_ASSERT_EQUAL(off[0].bytes[MEM_HYPERRAM], 16384);
    CU_ASSERT_EQUAL(off[1].bytes[MEM_HYPERRAM], 2 * 16384);
    pulp_node_destroy(m);
    system_program_destroy(sp);
}

static void test_no_room_for_staging_fails_naming_op(void)
{
    int32_t y[4];
    system_program *sp = fan_program(y);
    pulp_params p = spill_params();
    p.l2_size = 3000;   /* smaller than the 4 KiB staging buffer */
    placement_report r;
    char err[512] = "";
    CU_ASSERT_NOT_EQUAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "'g3'"));     /* where the live set peaks */
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "3000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "4096"));
    system_program_destroy(sp);
}

static int register_tests(void)
{
    ADD_SUITE("models_spill", TEST(test_spills_largest_live_at_peak),
              TEST(test_ops_pay_spilled_bytes_and_never_run_faster),
              TEST(test_comm_on_spilled_buffer_pays_hyperram),
              TEST(test_no_room_for_staging_fails_naming_op));
    return 0;
}

CUNIT_MAIN(register_tests)
