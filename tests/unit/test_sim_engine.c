/* The SystemC timing backend (the `systemc` entry of the flow's registry)
 * against independent computations: link timing straight
 * from the link model's transfer(), serialisation, barriers, real payloads,
 * functional/timing-only equality, deadlock detection, trace structure.
 * SystemC allows one simulation per process, so each run forks a child that
 * sends its measurements back through a pipe. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/link.h"
#include "../../collectives/topology.h"
#include "../../sim/config/cfg.h"
#include "../../sim/flow/timing_backend.h"
#include "cunit_main.h"
#include "test_fork.h"

#define MAXC 8
#define CLOCK_HZ 100e6   /* 10 ns cycles: every cycle count is an exact time */

/* The engine knows no node but the layout it is handed: this test's node
 * has a core, a DMA and a port to an off-chip DRAM (its only level besides
 * an SRAM), with the engine's link and wait after them. */
enum { CORE, DMA, PORT, LINK, WAIT };
enum { SRAM, DRAM };

static const node_layout *stub(void)
{
    static node_layout l;
    if (l.components.n) return &l;
    component_set_init(&l.components);
    component_set_add(&l.components, "core", true, true, true, "the test node's core");
    component_set_add(&l.components, "dma", true, true, true, "its DMA");
    component_set_add(&l.components, "port", true, true, false, "its off-chip memory port");
    component_set_finish(&l.components);
    l.levels.n = 2;
    snprintf(l.levels.v[SRAM].name, sizeof l.levels.v[SRAM].name, "SRAM");
    snprintf(l.levels.v[DRAM].name, sizeof l.levels.v[DRAM].name, "DRAM");
    l.levels.v[DRAM].off_chip = true;
    l.stream_level = DRAM;
    l.stream_component = PORT;
    return &l;
}

/* Stub node cost: compute ops cost work.elem_ops cycles, all on the core's
 * critical path; the node side of send/recv costs nothing, so wire time is
 * all that remains. OP_MUL also streams 64 B from DRAM that keep the port
 * busy for three times the op's cycles, so the port stretches it. */
static int stub_cost(void *ctx, const chip_program *c, const prog_op *op, op_cost *out)
{
    (void)ctx;
    (void)c;
    memset(out, 0, sizeof *out);
    if (op->kind != OP_SEND && op->kind != OP_RECV && op->kind != OP_BARRIER) {
        out->cycles = op->work.elem_ops;
        out->busy_cycles[CORE] = op->work.elem_ops;
        out->time_cycles[CORE] = op->work.elem_ops;
        out->energy_j[CORE] = 1e-9 * (double)op->work.elem_ops;
    }
    if (op->kind == OP_MUL) {
        out->bytes[DRAM] = 64;
        out->busy_cycles[PORT] = 3 * op->work.elem_ops;
    }
    return 0;
}

/* Stub kernel: writes its cycle count into every int32 of the output. */
static int stub_exec(void *ctx, chip_program *c, const prog_op *op, char *err, size_t errlen)
{
    (void)ctx;
    (void)err;
    (void)errlen;
    if (op->out < 0) return 0;
    prog_buffer *b = &c->bufs[op->out];
    for (uint32_t i = 0; i < b->rows * b->cols; i++) ((int32_t *)b->data)[i] = (int32_t)op->work.elem_ops + (int32_t)c->chip;
    return 0;
}

static link_cost link_hook(void *ctx, uint32_t src, uint32_t dst, uint64_t bytes)
{
    (void)src;
    (void)dst;
    return link_find_builtin("mipi_dphy")->transfer((const link_model *)ctx, bytes);
}

/* A mipi_dphy instance from YAML text: the model's own defaults fill the rest. */
static link_model *dphy(const char *yaml)
{
    const link_model_ops *ops = link_find_builtin("mipi_dphy");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
    cfg_error e;
    cfg_node *root = cfg_load_string(yaml, strlen(yaml), "test", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    void *blob = calloc(1, ops->params_size);
    CU_ASSERT_EQUAL_FATAL(cfg_bind(root, "link", ops->params, ops->n_params, NULL, blob, &e), 0);
    link_model *m = NULL;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(ops->create(blob, &m, err, sizeof err), 0);
    free(blob);
    cfg_destroy(root);
    return m;
}

typedef struct outcome {
    int rc;
    char err[256];
    double makespan_s;
    uint64_t makespan_cycles;
    double resolution_s;
    uint64_t events;
    chip_stats chip[MAXC];
    int32_t probe[4];   /* first int32s of buffer 0 of the last chip */
} outcome;

/* What one engine run needs, handed to the forked child. */
typedef struct run_args {
    system_program *p;
    link_model *lm;
    bool functional;
    const char *trace;
    bool shared_phy;
    const timing_hooks *hooks;   /* NULL: the stubs above */
} run_args;

/* The backend as the flow finds it. */
static int backend_run(system_program *p, const timing_hooks *h, const timing_options *o,
                    chip_stats *per_chip, timing_result *res, char *err, size_t errlen)
{
    const registry_entry *e = timing_backend_find("systemc", NULL);
    if (!e) {
        snprintf(err, errlen, "no systemc entry in the timing backend registry");
        return -1;
    }
    return ((const timing_backend_ops *)e->ops)->run(p, h, o, per_chip, res, err, errlen);
}

static void engine_child(void *ctx, void *out)
{
    const run_args *a = ctx;
    outcome *r = out;
    timing_hooks h = {a->lm, CLOCK_HZ, stub_cost, stub_exec, link_hook, NULL, stub(), NULL, NULL};
    if (a->hooks) h = *a->hooks;
    timing_options o = {a->functional, a->trace, -1, -1, a->shared_phy, false};
    timing_result res = {0};
    r->rc = backend_run(a->p, &h, &o, r->chip, &res, r->err, sizeof r->err);
    if (r->rc) fprintf(stderr, "systemc backend: %s\n", r->err);
    r->makespan_s = res.makespan_s;
    r->makespan_cycles = res.makespan_cycles;
    r->resolution_s = res.resolution_s;
    r->events = res.sim_events;
    const chip_program *last = &a->p->chips[a->p->n_chips - 1];
    if (last->n_bufs && last->bufs[0].data) memcpy(r->probe, last->bufs[0].data, sizeof r->probe);
    /* A second run in the same process must be refused. */
    if (r->rc == 0 && backend_run(a->p, &h, &o, r->chip, &res, r->err, sizeof r->err) == 0) r->rc = 99;
}

/* Runs p in a child process (one SystemC simulation per process). */
static outcome simulate_phy(system_program *p, link_model *lm, bool functional, const char *trace,
                            bool shared_phy)
{
    outcome r;
    run_args a = {p, lm, functional, trace, shared_phy, NULL};
    run_in_child(engine_child, &a, &r, sizeof r);
    return r;
}

static outcome simulate(system_program *p, link_model *lm, bool functional, const char *trace)
{
    return simulate_phy(p, lm, functional, trace, false);
}

static int32_t add_buf(system_program *p, uint32_t chip, uint32_t n_i32)
{
    return chip_add_buffer(&p->chips[chip], p->functional, "x", DT_I32, 1, n_i32, BUF_PARTIAL);
}

static void add_comm(system_program *p, uint32_t chip, op_kind k, int32_t peer, uint32_t tag,
                     uint64_t bytes, bool acc)
{
    prog_op op = prog_op_init(k, k == OP_SEND ? "send" : "recv");
    op.in[0] = 0;
    op.peer = peer;
    op.tag = tag;
    op.bytes = bytes;
    op.accumulate = acc;
    CU_ASSERT(chip_add_op(&p->chips[chip], &op) >= 0);
}

static void add_compute_kind(system_program *p, uint32_t chip, op_kind k, uint64_t cycles)
{
    prog_op op = prog_op_init(k, "work");
    op.out = 0;
    op.work.elem_ops = cycles;
    CU_ASSERT(chip_add_op(&p->chips[chip], &op) >= 0);
}

static void add_compute(system_program *p, uint32_t chip, uint64_t cycles)
{
    add_compute_kind(p, chip, OP_ADD, cycles);
}

/* The critical-path attribution partitions the run: on every chip the
 * components add up to exactly the makespan in cycles, no rounding slack. */
static void assert_time_partition(const outcome *r, uint32_t chips)
{
    CU_ASSERT_EQUAL(r->makespan_cycles, (uint64_t)llround(r->makespan_s * CLOCK_HZ));
    for (uint32_t c = 0; c < chips; c++) {
        uint64_t sum = 0;
        for (int k = 0; k < COMPONENTS_MAX; k++) sum += r->chip[c].time_cycles[k];
        CU_ASSERT_EQUAL(sum, r->makespan_cycles);
    }
}

static system_program *pair_program(uint32_t sends, uint64_t bytes, bool functional)
{
    system_program *p = system_program_create(2, functional);
    add_buf(p, 0, (uint32_t)(bytes / 4));
    add_buf(p, 1, (uint32_t)(bytes / 4));
    for (uint32_t i = 0; i < sends; i++) {
        add_comm(p, 0, OP_SEND, 1, i, bytes, false);
        add_comm(p, 1, OP_RECV, 0, i, bytes, false);
    }
    return p;
}

/* Chip 0 and two peers, 1024 B between chip 0 and each: into chip 0 (chips 1
 * and 2 send, chip 0 receives from 1, then 2) or out of it (chip 0 sends to
 * 1, then 2). The shapes that tell per-peer links from a shared PHY. */
static system_program *hub_program(bool into_hub)
{
    system_program *p = system_program_create(3, false);
    for (uint32_t c = 0; c < 3; c++) add_buf(p, c, 256);
    for (uint32_t peer = 1; peer <= 2; peer++) {
        uint32_t src = into_hub ? peer : 0, dst = into_hub ? 0 : peer;
        add_comm(p, src, OP_SEND, (int32_t)dst, 7, 1024, false);
        add_comm(p, dst, OP_RECV, (int32_t)src, 7, 1024, false);
    }
    return p;
}

#define NEAR(a, b) (fabs((a) - (b)) <= 2e-12 * (1 + (double)(b) * 1e3))

static void test_transfer_takes_link_time(void)
{
    link_model *lm = dphy("lanes: 4\n");
    system_program *p = pair_program(1, 4096, false);
    link_cost want = link_hook(lm, 0, 1, 4096);
    outcome r = simulate(p, lm, false, NULL);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT(NEAR(r.makespan_s, want.time_s));
    CU_ASSERT_DOUBLE_EQUAL(r.chip[0].energy_j[LINK], want.energy_j, 1e-18);
    CU_ASSERT_EQUAL(r.chip[0].link_bytes_sent, 4096);
    CU_ASSERT_EQUAL(r.chip[0].link_wire_bytes_sent, want.wire_bytes);
    CU_ASSERT_EQUAL(r.chip[1].link_bytes_sent, 0);
    /* The receiver waited the whole wire time. */
    CU_ASSERT(llabs((long long)r.chip[1].busy_cycles[WAIT] -
                    llround(want.time_s * CLOCK_HZ)) <= 1);
    /* On the critical path: the sender's whole run is wire time, the
     * receiver's is waiting for it. */
    assert_time_partition(&r, 2);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[LINK], r.makespan_cycles);
    CU_ASSERT_EQUAL(r.chip[1].time_cycles[WAIT], r.makespan_cycles);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

static void test_two_transfers_serialise(void)
{
    link_model *lm = dphy("lanes: 2\n");
    system_program *p = pair_program(2, 1024, false);
    link_cost one = link_hook(lm, 0, 1, 1024);
    outcome r = simulate(p, lm, false, NULL);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT(NEAR(r.makespan_s, 2 * one.time_s));
    assert_time_partition(&r, 2);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[LINK], r.makespan_cycles);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

/* Two senders into one receiver use two different links: they overlap. */
static void test_distinct_links_overlap(void)
{
    link_model *lm = dphy("lanes: 1\n");
    system_program *p = hub_program(true);
    outcome r = simulate(p, lm, false, NULL);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT(NEAR(r.makespan_s, link_hook(lm, 0, 1, 1024).time_s));
    assert_time_partition(&r, 3);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

/* The same two senders with one RX PHY on the receiver: the second transfer
 * waits for the first (first come, first served), and the wait is idle time
 * of its sender. Chip-to-chip links elsewhere are unaffected: a shared PHY
 * never makes a single transfer slower. */
static void test_shared_phy_serialises_into_one_chip(void)
{
    link_model *lm = dphy("lanes: 1\n");
    system_program *p = hub_program(true);
    double one = link_hook(lm, 0, 1, 1024).time_s;
    outcome r = simulate_phy(p, lm, false, NULL, true);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT(NEAR(r.makespan_s, 2 * one));
    assert_time_partition(&r, 3);
    uint64_t one_cyc = (uint64_t)llround(one * CLOCK_HZ);
    /* one sender went first, the other waited a whole transfer */
    uint64_t waited = r.chip[1].time_cycles[WAIT] + r.chip[2].time_cycles[WAIT];
    CU_ASSERT(llabs((long long)r.chip[1].time_cycles[LINK] - (long long)one_cyc) <= 1);
    CU_ASSERT(llabs((long long)r.chip[2].time_cycles[LINK] - (long long)one_cyc) <= 1);
    CU_ASSERT(llabs((long long)waited - (long long)(2 * one_cyc)) <= 2);  /* wait + idle tail */
    system_program_destroy(p);

    /* One sender to two receivers: a send's wire runs on its own (the link
     * peripheral's uDMA), so with a PHY per peer both transfers overlap; with
     * one TX PHY they go one after the other. */
    p = hub_program(false);
    outcome a = simulate_phy(p, lm, false, NULL, false);
    outcome b = simulate_phy(p, lm, false, NULL, true);
    CU_ASSERT(NEAR(a.makespan_s, one));
    CU_ASSERT(NEAR(b.makespan_s, 2 * one));
    assert_time_partition(&a, 3);
    assert_time_partition(&b, 3);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

static double pair_latency(const char *yaml)
{
    link_model *lm = dphy(yaml);
    system_program *p = pair_program(1, 8192, false);
    outcome r = simulate(p, lm, false, NULL);
    CU_ASSERT_EQUAL(r.rc, 0);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
    return r.makespan_s;
}

static void test_lanes_and_rate_move_latency(void)
{
    double l1 = pair_latency("lanes: 1\n"), l4 = pair_latency("lanes: 4\n");
    double slow = pair_latency("lane_rate: 1.5 Gbps\n"), fast = pair_latency("lane_rate: 4.5 Gbps\n");
    CU_ASSERT(l4 < l1);
    CU_ASSERT(fast < slow);
}

/* Reduce (+ broadcast) of one int32 vector over 8 chips, expanded by the
 * real topology. */
static outcome collective_phy(uint64_t fan_in, bool functional, bool with_reduce, bool with_bcast,
                             topo_phy phy)
{
    link_model *lm = dphy("lanes: 2\n");
    system_program *p = system_program_create(MAXC, functional);
    for (uint32_t c = 0; c < MAXC; c++) {
        add_buf(p, c, 1024);
        add_compute(p, c, 100 + 10 * c);
        prog_op r = prog_op_init(OP_REDUCE, "reduce");
        r.in[0] = 0;
        r.collective = 1;
        if (with_reduce) CU_ASSERT(chip_add_op(&p->chips[c], &r) >= 0);
        prog_op b = prog_op_init(OP_BCAST, "bcast");
        b.in[0] = 0;
        b.collective = 2;
        if (with_bcast) CU_ASSERT(chip_add_op(&p->chips[c], &b) >= 0);
    }
    system_topology t;
    char err[256] = "", fan[24];
    snprintf(fan, sizeof fan, "%llu", (unsigned long long)fan_in);
    CU_ASSERT_EQUAL_FATAL(topology_init(&t, "reduction_tree", err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(topology_set(&t, "fan_in", fan, err, sizeof err), 0);
    t.phy = phy;
    CU_ASSERT_EQUAL_FATAL(topology_expand(&t, p, err, sizeof err), 0);
    outcome r = simulate_phy(p, lm, functional, NULL, phy == TOPO_PHY_SHARED);
    CU_ASSERT_EQUAL(r.rc, 0);
    assert_time_partition(&r, MAXC);
    /* everyone computes first: 100 + 10c cycles on the cluster */
    for (uint32_t c = 0; c < MAXC; c++) CU_ASSERT_EQUAL(r.chip[c].time_cycles[CORE], 100 + 10 * c);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
    return r;
}

static outcome collective(uint64_t fan_in, bool functional, bool with_reduce, bool with_bcast)
{
    return collective_phy(fan_in, functional, with_reduce, with_bcast, TOPO_PHY_PER_PEER);
}

/* Links are point-to-point and a send's wire runs on its own. A reduction
 * tree with a wider fan-in has fewer levels and its members send to the
 * leader over separate links in parallel, so the reduce gets shorter. A
 * broadcast from a wider group is shorter too while the leader has a PHY
 * per peer (its sends overlap), but longer when they all go through its one
 * TX PHY (topology.phy: shared). */
static void test_fan_in_moves_latency(void)
{
    outcome narrow = collective(2, false, true, false), wide = collective(8, false, true, false);
    CU_ASSERT(wide.makespan_s < narrow.makespan_s);
    outcome bnarrow = collective(2, false, false, true), bwide = collective(8, false, false, true);
    CU_ASSERT(bwide.makespan_s < bnarrow.makespan_s);
    outcome snarrow = collective_phy(2, false, false, true, TOPO_PHY_SHARED),
            swide = collective_phy(8, false, false, true, TOPO_PHY_SHARED);
    CU_ASSERT(swide.makespan_s > snarrow.makespan_s);
}

static void test_functional_same_timing_and_real_sum(void)
{
    outcome t = collective(4, false, true, true), f = collective(4, true, true, true);
    CU_ASSERT_EQUAL(f.rc, 0);
    CU_ASSERT_EQUAL(t.makespan_s, f.makespan_s);
    for (uint32_t c = 0; c < MAXC; c++) {
        CU_ASSERT_EQUAL(memcmp(t.chip[c].busy_cycles, f.chip[c].busy_cycles,
                               sizeof t.chip[c].busy_cycles), 0);
        CU_ASSERT_EQUAL(memcmp(t.chip[c].energy_j, f.chip[c].energy_j, sizeof t.chip[c].energy_j), 0);
        CU_ASSERT_EQUAL(memcmp(t.chip[c].time_cycles, f.chip[c].time_cycles,
                               sizeof t.chip[c].time_cycles), 0);
    }
    /* Each chip's stub kernel wrote 100 + 10c + c; the broadcast sum is the
     * same everywhere, computed here independently. */
    int32_t want = 0;
    for (int32_t c = 0; c < MAXC; c++) want += 100 + 11 * c;
    for (int i = 0; i < 4; i++) CU_ASSERT_EQUAL(f.probe[i], want);
}

static void test_barrier_waits_for_slowest(void)
{
    link_model *lm = dphy("lanes: 4\n");
    system_program *p = system_program_create(2, false);
    add_buf(p, 0, 1);
    add_buf(p, 1, 1);
    add_compute(p, 0, 100);
    add_compute(p, 1, 10);
    prog_op b = prog_op_init(OP_BARRIER, "barrier");
    chip_add_op(&p->chips[0], &b);
    chip_add_op(&p->chips[1], &b);
    add_compute(p, 0, 5);
    add_compute(p, 1, 5);
    outcome r = simulate(p, lm, false, NULL);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT(NEAR(r.chip[1].finish_s, 105 / CLOCK_HZ));
    CU_ASSERT(NEAR(r.chip[0].finish_s, 105 / CLOCK_HZ));
    CU_ASSERT_EQUAL(r.chip[1].busy_cycles[WAIT], 90);
    CU_ASSERT_EQUAL(r.chip[0].busy_cycles[WAIT], 0);
    CU_ASSERT_EQUAL(r.chip[1].busy_cycles[CORE], 15);
    assert_time_partition(&r, 2);
    CU_ASSERT_EQUAL(r.chip[1].time_cycles[WAIT], 90);
    CU_ASSERT_EQUAL(r.chip[1].time_cycles[CORE], 15);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[WAIT], 0);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[CORE], 105);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

/* Chips of different clocks (hooks.chip_clock_hz): chip 1 at a quarter of
 * the clock spends four times as long on the same op cycles, and every
 * cycle figure counts chip 0's clock (the run's): its 10 op cycles are 40
 * run cycles, its memory port stretches in its own time, and the critical
 * paths still partition the run. The barrier's wait is what chip 0 idles. */
static void test_chip_clocks(void)
{
    link_model *lm = dphy("lanes: 4\n");
    system_program *p = system_program_create(2, false);
    add_buf(p, 0, 1);
    add_buf(p, 1, 1);
    add_compute(p, 0, 20);
    add_compute(p, 1, 10);
    add_compute_kind(p, 1, OP_MUL, 5);   /* 5 cycles, port busy 15 of chip 1's */
    prog_op b = prog_op_init(OP_BARRIER, "barrier");
    chip_add_op(&p->chips[0], &b);
    chip_add_op(&p->chips[1], &b);
    const double clocks[2] = {CLOCK_HZ, CLOCK_HZ / 4};
    timing_hooks h = {lm, CLOCK_HZ, stub_cost, stub_exec, link_hook, NULL, stub(), clocks, NULL};
    run_args a = {p, lm, false, NULL, false, &h};
    outcome r;
    run_in_child(engine_child, &a, &r, sizeof r);
    CU_ASSERT_EQUAL(r.rc, 0);
    /* chip 1: 10 cycles + the port's 15 at 25 MHz = 1 us = 100 run cycles */
    CU_ASSERT(NEAR(r.chip[1].finish_s, 25 / (CLOCK_HZ / 4)));
    CU_ASSERT_EQUAL(r.makespan_cycles, 100);
    assert_time_partition(&r, 2);
    CU_ASSERT_EQUAL(r.chip[1].busy_cycles[CORE], 4 * 15);
    CU_ASSERT_EQUAL(r.chip[1].busy_cycles[PORT], 4 * 15);
    CU_ASSERT_EQUAL(r.chip[1].time_cycles[CORE], 4 * 15);
    CU_ASSERT_EQUAL(r.chip[1].time_cycles[PORT], 4 * 10);   /* the stretch beyond the op */
    CU_ASSERT_EQUAL(r.chip[1].time_cycles[WAIT], 0);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[CORE], 20);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[WAIT], 80);
    CU_ASSERT_EQUAL(r.chip[0].busy_cycles[WAIT], 80);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

/* A chip that finishes early idles until the last one is done; an op the
 * HyperRAM port stretches beyond its own cycles is waiting on memory. */
static void test_time_tail_is_idle_and_port_stretch_is_hyperram(void)
{
    link_model *lm = dphy("lanes: 4\n");
    system_program *p = system_program_create(2, false);
    add_buf(p, 0, 1);
    add_buf(p, 1, 1);
    add_compute_kind(p, 0, OP_MUL, 40);   /* 40 cycles, port busy 120 */
    add_compute(p, 0, 10);
    add_compute(p, 1, 200);
    outcome r = simulate(p, lm, false, NULL);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_EQUAL(r.makespan_cycles, 200);
    assert_time_partition(&r, 2);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[CORE], 50);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[PORT], 80);
    CU_ASSERT_EQUAL(r.chip[0].time_cycles[WAIT], 200 - 130);
    CU_ASSERT_EQUAL(r.chip[1].time_cycles[CORE], 200);
    CU_ASSERT_EQUAL(r.chip[1].time_cycles[WAIT], 0);
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

static void test_deadlock_is_an_error(void)
{
    link_model *lm = dphy("lanes: 4\n");
    system_program *p = system_program_create(2, false);
    add_buf(p, 0, 4);
    add_buf(p, 1, 4);
    add_comm(p, 1, OP_RECV, 0, 3, 16, false);
    outcome r = simulate(p, lm, false, NULL);
    CU_ASSERT_EQUAL(r.rc, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "deadlock"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "chip 1"));
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

/* ---- a minimal JSON reader for the trace check ---- */
typedef struct jr { const char *s; int x_events, m_events, c_events, i_events; bool ok; } jr;
static void ws(jr *j) { while (*j->s == ' ' || *j->s == '\n' || *j->s == '\t' || *j->s == '\r') j->s++; }
static void value(jr *j);
static void string(jr *j, char *out, size_t cap)
{
    size_t n = 0;
    if (*j->s != '"') { j->ok = false; return; }
    j->s++;
    while (*j->s && *j->s != '"') {
        if (*j->s == '\\') j->s++;
        if (!*j->s) break;
        if (out && n + 1 < cap) out[n++] = *j->s;
        j->s++;
    }
    if (out) out[n] = 0;
    if (*j->s != '"') { j->ok = false; return; }
    j->s++;
}
static void object(jr *j)
{
    j->s++;
    ws(j);
    char key[32], ph[8] = "";
    bool first = true;
    while (j->ok && *j->s != '}') {
        if (!first) { if (*j->s != ',') { j->ok = false; return; } j->s++; ws(j); }
        first = false;
        string(j, key, sizeof key);
        ws(j);
        if (*j->s != ':') { j->ok = false; return; }
        j->s++;
        ws(j);
        if (strcmp(key, "ph") == 0 && *j->s == '"') string(j, ph, sizeof ph);
        else value(j);
        ws(j);
    }
    if (*j->s != '}') { j->ok = false; return; }
    j->s++;
    if (strcmp(ph, "X") == 0) j->x_events++;
    if (strcmp(ph, "M") == 0) j->m_events++;
    if (strcmp(ph, "C") == 0) j->c_events++;
    if (strcmp(ph, "i") == 0) j->i_events++;
}
static void value(jr *j)
{
    ws(j);
    if (*j->s == '{') { object(j); return; }
    if (*j->s == '"') { string(j, NULL, 0); return; }
    if (*j->s == '[') {
        j->s++;
        ws(j);
        bool first = true;
        while (j->ok && *j->s != ']') {
            if (!first) { if (*j->s != ',') { j->ok = false; return; } j->s++; }
            first = false;
            value(j);
            ws(j);
        }
        if (*j->s != ']') { j->ok = false; return; }
        j->s++;
        return;
    }
    static const char *const literals[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++)
        if (!strncmp(j->s, literals[k], strlen(literals[k]))) {
            j->s += strlen(literals[k]);
            return;
        }
    char *end;
    strtod(j->s, &end);
    if (end == j->s) j->ok = false;
    j->s = end;
}

static void test_trace_is_chrome_json(void)
{
    link_model *lm = dphy("lanes: 4\n");
    system_program *p = pair_program(2, 512, false);
    add_compute(p, 0, 50);
    char path[] = "/tmp/mcusim_trace_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    outcome r = simulate(p, lm, false, path);
    CU_ASSERT_EQUAL(r.rc, 0);
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    unlink(path);
    jr j = {text, 0, 0, 0, 0, true};
    value(&j);
    ws(&j);
    CU_ASSERT(j.ok && *j.s == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"traceEvents\""));
    /* Slices: 2 sends + 2 recvs + 1 compute on the chips, 2 on the link,
     * plus recv waits (chip 1 waits for each message). */
    CU_ASSERT(j.x_events >= 7);
    /* Metadata: a process and its ops thread per chip, the links process
     * and its one link. */
    CU_ASSERT_EQUAL(j.m_events, 6);
    /* Counters: power (and bandwidth) of the chips that spend energy, the
     * link's utilisation; each rises and falls at least once
     * (tests/e2e/trace_counters.sh checks their values). */
    CU_ASSERT(j.c_events >= 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"name\":\"power\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"name\":\"link 0->1 utilisation\""));
    /* Each chip's end, the last one's named the straggler (once). */
    CU_ASSERT_EQUAL(j.i_events, 2);
    const char *st = strstr(text, "\"straggler\":true");
    CU_ASSERT_PTR_NOT_NULL(st);
    CU_ASSERT_PTR_NULL(st ? strstr(st + 1, "\"straggler\":true") : NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"name\":\"straggler: chip "));
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

/* Runs p in a child with the given hooks (timing only, no trace). */
static outcome simulate_hooks(system_program *p, const timing_hooks *h)
{
    outcome r;
    run_args a = {p, h->ctx, false, NULL, false, h};
    run_in_child(engine_child, &a, &r, sizeof r);
    return r;
}

/* A link model that answers honestly once per (precheck) call and then
 * returns NaN: what the engine asks during the run is checked as well as
 * what it asked before. Counts in the child's own memory. */
static unsigned flaky_calls;
static link_cost flaky_link(void *ctx, uint32_t src, uint32_t dst, uint64_t bytes)
{
    link_cost c = link_hook(ctx, src, dst, bytes);
    if (++flaky_calls > 1) c.time_s = NAN;
    return c;
}

/* Each pair names its own model: the message names the one of the pair. */
static const char *flaky_name(void *ctx, uint32_t src, uint32_t dst)
{
    (void)ctx;
    return src == 0 && dst == 1 ? "link plug-in 'flaky' (/x.so)" : "link model 'other' (built-in)";
}

static void test_bad_link_cost_mid_run_stops_it(void)
{
    link_model *lm = dphy("lanes: 4\n");
    system_program *p = pair_program(1, 1024, false);
    timing_hooks h = {lm, CLOCK_HZ, stub_cost, NULL, flaky_link, flaky_name, stub(), NULL, NULL};
    outcome r = simulate_hooks(p, &h);
    CU_ASSERT_NOT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "link 0->1: link plug-in 'flaky' (/x.so): "
                                         "transfer(bytes=1024) returned time_s = nan s"));
    system_program_destroy(p);
    link_find_builtin("mipi_dphy")->destroy(lm);
}

/* The node model's costs are checked the same way (before the run starts). */
static int nan_energy_cost(void *ctx, const chip_program *c, const prog_op *op, op_cost *out)
{
    int rc = stub_cost(ctx, c, op, out);
    if (op->kind == OP_ADD) out->energy_j[DMA] = NAN;
    return rc;
}

static void test_bad_op_cost_is_refused(void)
{
    system_program *p = system_program_create(1, false);
    add_buf(p, 0, 4);
    add_compute(p, 0, 100);
    timing_hooks h = {NULL, CLOCK_HZ, nan_energy_cost, NULL, link_hook, NULL, stub(), NULL, NULL};
    outcome r = simulate_hooks(p, &h);
    CU_ASSERT_NOT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "chip 0: op 'work': node model returned "
                                         "energy_j[dma] = "));   /* named as the node declared it */
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "must be finite and >= 0"));
    system_program_destroy(p);
}

/* A run longer than 2^64 fs (5.1 h) is simulated at a coarser resolution,
 * not wrapped: three ops of 2e13 cycles at 100 MHz end at exactly their
 * sum, 6e5 s, which the old fixed 1 fs resolution turned into less than
 * 18 447 s. */
static void test_long_run_keeps_exact_time(void)
{
    const uint64_t each = 20000000000000ull;
    system_program *p = system_program_create(1, false);
    add_buf(p, 0, 4);
    for (int i = 0; i < 3; i++) add_compute(p, 0, each);
    outcome r = simulate(p, NULL, false, NULL);
    CU_ASSERT_EQUAL_FATAL(r.rc, 0);
    CU_ASSERT_EQUAL(r.makespan_cycles, 3 * each);
    CU_ASSERT_DOUBLE_EQUAL(r.makespan_s, 3.0 * (double)each / CLOCK_HZ, 1e-6);
    CU_ASSERT(r.resolution_s > 1e-15);
    /* 2^64 steps of it hold the run with room to spare. */
    CU_ASSERT(ldexp(r.resolution_s, 64) >= 4 * r.makespan_s);
    assert_time_partition(&r, 1);
    system_program_destroy(p);
    /* A short run keeps femtoseconds. */
    p = system_program_create(1, false);
    add_buf(p, 0, 4);
    add_compute(p, 0, 1000);
    r = simulate(p, NULL, false, NULL);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.resolution_s, 1e-15, 1e-30);
    system_program_destroy(p);
}

/* More than 2^62 cycles cannot be counted: refused before simulating. */
static void test_run_beyond_2pow62_cycles_refused(void)
{
    system_program *p = system_program_create(1, false);
    add_buf(p, 0, 4);
    for (int i = 0; i < 3; i++) add_compute(p, 0, (uint64_t)1 << 61);
    outcome r = simulate(p, NULL, false, NULL);
    CU_ASSERT_NOT_EQUAL(r.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "more than the 2^62 cycles"));
    system_program_destroy(p);
}

static int register_tests(void)
{
    ADD_SUITE("sim_engine", TEST(test_transfer_takes_link_time), TEST(test_two_transfers_serialise),
              TEST(test_shared_phy_serialises_into_one_chip),
              TEST(test_distinct_links_overlap), TEST(test_lanes_and_rate_move_latency),
              TEST(test_fan_in_moves_latency), TEST(test_functional_same_timing_and_real_sum),
              TEST(test_barrier_waits_for_slowest), TEST(test_chip_clocks),
              TEST(test_time_tail_is_idle_and_port_stretch_is_hyperram),
              TEST(test_deadlock_is_an_error),
              TEST(test_trace_is_chrome_json), TEST(test_bad_link_cost_mid_run_stops_it),
              TEST(test_bad_op_cost_is_refused), TEST(test_long_run_keeps_exact_time),
              TEST(test_run_beyond_2pow62_cycles_refused));
    return 0;
}

CUNIT_MAIN(register_tests)
