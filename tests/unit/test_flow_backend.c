/* The flow's timing-backend seam, without SystemC: mcusim_simulate driven
 * by a backend of this test's own (sim_options.backend), a second entry of
 * the kind next to `systemc`. It walks each chip's ops back to back through
 * the hooks the flow binds (the real node model and link map) and runs the
 * arithmetic with workloads' plain-C functional_run. Checked: the flow adds
 * static energy and totals to whatever a backend measured (against the node
 * model's always-on power, computed here), the one-per-process rule is the
 * backend's (this one runs twice in a process), --check compares the
 * backend's output (a corrupted byte is found and named), and the registry
 * holds systemc as its default. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/flow/simulate.h"
#include "../../sim/flow/timing_backend.h"
#include "cunit_main.h"

#define CHIPS 4
#define PAPER MCUSIM_SOURCE_DIR "/configs/experiments/paper/"

/* What the stub booked, to compare the flow's figures with. */
static struct {
    int runs;
    bool corrupt;                 /* flip the first byte of the output */
    bool refuse;                  /* already_ran says this process cannot run */
    double dynamic_j;             /* every op and transfer energy booked */
    timing_result res;
} stub;

static int stub_chip(const system_program *p, uint32_t c, const timing_hooks *h, chip_stats *s,
                     uint64_t *cycles, char *err, size_t errlen)
{
    const component_set *cs = &h->layout->components;
    uint32_t link = cs->system[SYSTEM_LINK];
    const chip_program *cp = &p->chips[c];
    double wire_s = 0;
    for (uint32_t i = 0; i < cp->n_ops; i++) {
        const prog_op *op = &cp->ops[i];
        op_cost oc;
        memset(&oc, 0, sizeof oc);
        if (h->op_cost(h->ctx, cp, op, &oc) != 0) {
            snprintf(err, errlen, "chip %u op %u: no cost", c, i);
            return -1;
        }
        *cycles += oc.cycles;
        for (uint32_t k = 0; k < cs->n; k++) {
            s->busy_cycles[k] += oc.busy_cycles[k];
            s->time_cycles[k] += oc.time_cycles[k];
            s->energy_j[k] += oc.energy_j[k];
            stub.dynamic_j += oc.energy_j[k];
        }
        if (h->layout->stream_level >= 0) s->offchip_bytes += oc.bytes[h->layout->stream_level];
        if (op->kind == OP_SEND) {
            link_cost lc = h->link_transfer(h->ctx, c, (uint32_t)op->peer, op->bytes);
            wire_s += lc.time_s;
            s->energy_j[link] += lc.energy_j;
            stub.dynamic_j += lc.energy_j;
            s->link_bytes_sent += op->bytes;
            s->link_wire_bytes_sent += lc.wire_bytes;
        }
    }
    uint64_t wire = (uint64_t)llround(wire_s * h->clock_hz);
    s->time_cycles[link] += wire;
    *cycles += wire;
    return 0;
}

/* Every chip's ops back to back, sends on the wire after them; no chip
 * waits for another, the others' tails are wait. */
static int stub_run(system_program *p, const timing_hooks *h, const timing_options *o,
                    chip_stats *per_chip, timing_result *res, char *err, size_t errlen)
{
    stub.runs++;
    stub.dynamic_j = 0;
    if (o->functional && functional_run(p, err, errlen) != 0) return -1;
    uint64_t cycles[CHIPS] = {0}, makespan = 0;
    for (uint32_t c = 0; c < p->n_chips && c < CHIPS; c++) {
        if (stub_chip(p, c, h, &per_chip[c], &cycles[c], err, errlen) != 0) return -1;
        if (cycles[c] > makespan) makespan = cycles[c];
    }
    uint32_t wait = h->layout->components.system[SYSTEM_WAIT];
    for (uint32_t c = 0; c < p->n_chips && c < CHIPS; c++) {
        per_chip[c].finish_s = (double)cycles[c] / h->clock_hz;
        per_chip[c].time_cycles[wait] += makespan - cycles[c];
    }
    for (uint32_t c = 0; stub.corrupt && c < p->n_chips; c++) {
        const prog_buffer *b = system_program_output_part(p, c);
        if (!b || !b->data) continue;
        ((uint8_t *)b->data)[0] ^= 0x40;   /* the first byte of the whole output */
        break;
    }
    double makespan_s = (double)makespan / h->clock_hz;
    *res = (timing_result){.makespan_s = makespan_s, .first_done_s = makespan_s,
                           .makespan_cycles = makespan, .sim_events = 1, .resolution_s = 1e-15};
    stub.res = *res;
    return 0;
}

static bool stub_already_ran(void)
{
    return stub.refuse;
}

static const timing_backend_ops stub_ops = {stub_run, stub_already_ran};
static const registry_entry stub_backend = {
    "sequential_stub", "each chip's ops back to back (test)", NULL, 0, 0, &stub_ops, NULL,
};

static experiment *load(void)
{
    cfg_error e;
    const char *set = "workload.seq_len=8";
    experiment *x =
        experiment_load(PAPER "tinyllama_ar.yaml", MCUSIM_SOURCE_DIR "/configs", &set, 1, &e);
    if (!x) cfg_error_print(&e, stderr);
    return x;
}

static int simulate(const experiment *e, bool check, run_stats *s, char *err, size_t errlen)
{
    sim_options o = {.chips = CHIPS, .functional = check, .check = check, .flip_src = -1,
                     .flip_dst = -1, .backend = &stub_backend};
    return mcusim_simulate(e, &o, s, err, errlen);
}

/* Static power over the makespan and the sums, from the node model itself. */
static void test_flow_adds_static_energy_and_totals(void)
{
    experiment *e = load();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    node_model *m = NULL;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(node_model_create(e->node_model, e->node_params, &m, err, sizeof err), 0);
    double leak_w[COMPONENTS_MAX], always_w[COMPONENTS_MAX], always_sum = 0;
    node_always_on_power(m, leak_w, always_w);
    const component_set *cs = &node_layout_of(m)->components;
    for (uint32_t k = 0; k < cs->n; k++) always_sum += always_w[k];

    memset(&stub, 0, sizeof stub);
    run_stats s;
    CU_ASSERT_EQUAL_FATAL(simulate(e, false, &s, err, sizeof err), 0);
    CU_ASSERT_EQUAL(stub.runs, 1);
    double t = stub.res.makespan_s;
    CU_ASSERT(t > 0);
    CU_ASSERT_EQUAL(s.latency_s, t);
    CU_ASSERT_EQUAL(s.cycles, stub.res.makespan_cycles);
    CU_ASSERT_EQUAL(s.sim_events, 1);
    CU_ASSERT_EQUAL(s.chips, CHIPS);
    CU_ASSERT_EQUAL(s.components.n, cs->n);
    CU_ASSERT_DOUBLE_EQUAL(s.clock_hz, node_clock_hz(m), 0);
    double want = stub.dynamic_j + CHIPS * always_sum * t;
    CU_ASSERT_DOUBLE_EQUAL(s.energy_j, want, 1e-12 * want);
    uint64_t off = 0, link = 0;
    for (uint32_t c = 0; c < CHIPS; c++) {
        for (uint32_t k = 0; k < cs->n; k++)
            CU_ASSERT_DOUBLE_EQUAL(s.per_chip[c].leakage_j[k], leak_w[k] * t, 1e-15);
        off += s.per_chip[c].offchip_bytes;
        link += s.per_chip[c].link_bytes_sent;
        CU_ASSERT(s.per_chip[c].placement.weight_bytes > 0);   /* the flow's placement */
    }
    CU_ASSERT_EQUAL(s.offchip_bytes, off);
    CU_ASSERT_EQUAL(s.link_bytes, link);
    CU_ASSERT(link > 0);
    CU_ASSERT_FALSE(s.check_run);

    /* The one-per-process rule is SystemC's, not the flow's. */
    run_stats again;
    CU_ASSERT_EQUAL(simulate(e, false, &again, err, sizeof err), 0);
    CU_ASSERT_EQUAL(stub.runs, 2);
    CU_ASSERT_EQUAL(again.energy_j, s.energy_j);
    run_stats_free(&again);
    run_stats_free(&s);
    node_model_destroy(m);
    experiment_destroy(e);
}

static void test_check_compares_the_backends_output(void)
{
    experiment *e = load();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    char err[512] = "";
    run_stats s;
    memset(&stub, 0, sizeof stub);
    CU_ASSERT_EQUAL(simulate(e, true, &s, err, sizeof err), 0);
    CU_ASSERT(s.check_run && s.check_passed && s.functional);
    run_stats_free(&s);

    stub.corrupt = true;
    err[0] = '\0';
    CU_ASSERT_EQUAL(simulate(e, true, &s, err, sizeof err), 1);
    CU_ASSERT(s.check_run && !s.check_passed);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "--check: 4-chip output differs from the 1-chip run at "
                                       "byte 0 of"));
    run_stats_free(&s);
    experiment_destroy(e);
}

static void test_backend_refusal_is_reported(void)
{
    experiment *e = load();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    char err[512] = "";
    run_stats s;
    memset(&stub, 0, sizeof stub);
    stub.refuse = true;
    CU_ASSERT_EQUAL(simulate(e, false, &s, err, sizeof err), 1);
    CU_ASSERT_EQUAL(stub.runs, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "sequential_stub"));
    CU_ASSERT_PTR_NULL(s.per_chip);
    experiment_destroy(e);
}

static void test_registry(void)
{
    const registry_entry *const *all = timing_backend_entries();
    CU_ASSERT_PTR_NOT_NULL_FATAL(all[0]);
    CU_ASSERT_STRING_EQUAL(all[0]->name, "systemc");
    CU_ASSERT_PTR_EQUAL(timing_backend_find("systemc", NULL), all[0]);
    CU_ASSERT_PTR_NULL(timing_backend_find("sequential_stub", NULL));
    for (size_t i = 0; all[i]; i++) {
        const timing_backend_ops *ops = all[i]->ops;
        CU_ASSERT_PTR_NOT_NULL(ops);
        CU_ASSERT(ops && ops->run);
        CU_ASSERT(all[i]->doc && all[i]->doc[0]);
    }
    CU_ASSERT_STRING_EQUAL(timing_backend_registry()->name, "timing backends");
}

static int register_tests(void)
{
    ADD_SUITE("flow_backend", TEST(test_flow_adds_static_energy_and_totals),
              TEST(test_check_compares_the_backends_output), TEST(test_backend_refusal_is_reported),
              TEST(test_registry));
    return 0;
}

CUNIT_MAIN(register_tests)
