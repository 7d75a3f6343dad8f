/* mcusim_simulate end to end on a small TinyLlama point, each run in a forked
 * child (one SystemC simulation per process): totals equal the sum of their
 * parts, static energy equals the node's static power over the makespan,
 * --check passes, and a second simulation in one process is refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/systemc/simulate.h"
#include "cunit_main.h"
#include "test_fork.h"

#define MAXC 4

typedef struct outcome {
    int rc, second_rc;
    char err[512];
    run_stats s;
    chip_stats chip[MAXC];
    double static_w;   /* sum over components, from the node model directly */
    int32_t port;      /* the node's off-chip stream component (node_layout) */
} outcome;

#define PAPER MCUSIM_SOURCE_DIR "/configs/experiments/paper/"

static experiment *load(const char *path, const char *set)
{
    cfg_error e;
    experiment *x = experiment_load(path, MCUSIM_SOURCE_DIR "/configs", &set, 1, &e);
    if (!x) cfg_error_print(&e, stderr);
    return x;
}

/* One mcusim_simulate point, handed to the forked child. */
typedef struct run_args {
    const char *path, *set;
    uint32_t chips;
    bool functional, check;
} run_args;

static void simulate_child(void *ctx, void *out)
{
    const run_args *a = ctx;
    outcome *r = out;
    experiment *e = load(a->path, a->set);
    if (!e) _exit(3);
    sim_options o = {a->chips, a->functional, a->check, NULL, NULL, -1, -1, 0, NULL};
    r->rc = mcusim_simulate(e, &o, &r->s, r->err, sizeof r->err);
    if (r->s.per_chip) memcpy(r->chip, r->s.per_chip, a->chips * sizeof *r->chip);
    node_model *m = NULL;
    char err[256];
    if (node_model_create(e->node_model, e->node_params, &m, err, sizeof err) == 0) {
        double leak[COMPONENTS_MAX], always[COMPONENTS_MAX];
        node_always_on_power(m, leak, always);
        r->static_w = always[component_set_leakage(&node_layout_of(m)->components)];
        r->port = node_layout_of(m)->stream_component;
        node_model_destroy(m);
    }
    run_stats second;
    char err2[512];
    r->second_rc = mcusim_simulate(e, &o, &second, err2, sizeof err2);
    run_stats_free(&second);
    run_stats_free(&r->s);
    experiment_destroy(e);
}

static outcome simulate_exp(const char *path, const char *set, uint32_t chips, bool functional,
                            bool check)
{
    outcome r;
    run_args a = {path, set, chips, functional, check};
    run_in_child(simulate_child, &a, &r, sizeof r);
    return r;
}

static outcome simulate(uint32_t chips, bool functional, bool check)
{
    return simulate_exp(PAPER "tinyllama_ar.yaml", "workload.seq_len=8", chips, functional, check);
}

/* The critical-path time of every chip partitions the run exactly: the
 * engine books absolute-cycle stretches that telescope, so there is no
 * rounding slack (bound: 0 cycles) even though link times are not whole
 * cycles. Real models, several workloads and chip counts. */
static void test_time_partitions_latency(void)
{
    static const struct { const char *file, *set; uint32_t chips; } runs[] = {
        {"tinyllama_ar.yaml", "workload.seq_len=8", 1},
        {"tinyllama_ar.yaml", "workload.seq_len=8", 4},
        {"tinyllama_ar.yaml", "workload.seq_len=128", 4},
        {"tinyllama_prompt.yaml", "workload.seq_len=16", 1},
        {"tinyllama_prompt.yaml", "workload.seq_len=16", 3},
        {"mobilebert.yaml", "workload.seq_len=16", 2},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, PAPER "%s", runs[i].file);
        outcome r = simulate_exp(path, runs[i].set, runs[i].chips, false, false);
        CU_ASSERT_EQUAL_FATAL(r.rc, 0);
        CU_ASSERT_EQUAL(r.s.cycles, (uint64_t)llround(r.s.latency_s * r.s.clock_hz));
        uint64_t on_wire = 0;
        const component_set *cs = &r.s.components;
        uint32_t link = cs->system[SYSTEM_LINK], wait = cs->system[SYSTEM_WAIT];
        int port = r.port;
        for (uint32_t c = 0; c < runs[i].chips; c++) {
            uint64_t sum = 0;
            for (uint32_t k = 0; k < cs->n; k++) sum += r.chip[c].time_cycles[k];
            CU_ASSERT_EQUAL(sum, r.s.cycles);
            if (sum != r.s.cycles)
                fprintf(stderr, "%s x%u chip %u: time sums to %llu, run is %llu cycles\n",
                        runs[i].file, runs[i].chips, c, (unsigned long long)sum,
                        (unsigned long long)r.s.cycles);
            /* critical-path time never exceeds activity, except waiting,
             * the wire (booked while the chip waits for its sends) and the
             * off-chip stream (a port stretch is booked as waiting on memory) */
            for (uint32_t k = 0; k < cs->n; k++)
                if (k != link && k != wait && (int)k != port)
                    CU_ASSERT(r.chip[c].time_cycles[k] <= r.chip[c].busy_cycles[k]);
            on_wire += r.chip[c].time_cycles[link];
        }
        CU_ASSERT_EQUAL(on_wire > 0, runs[i].chips > 1);
    }
}

static void test_totals_are_sums(void)
{
    outcome r = simulate(MAXC, false, false);
    CU_ASSERT_EQUAL_FATAL(r.rc, 0);
    double e = 0, finish = 0;
    uint64_t off = 0, link = 0;
    const component_set *cs = &r.s.components;
    int leakage = component_set_leakage(cs);
    CU_ASSERT_FATAL(leakage >= 0);
    for (uint32_t c = 0; c < MAXC; c++) {
        for (uint32_t k = 0; k < cs->n; k++) e += r.chip[c].energy_j[k];
        off += r.chip[c].offchip_bytes;
        link += r.chip[c].link_bytes_sent;
        if (r.chip[c].finish_s > finish) finish = r.chip[c].finish_s;
        /* the leakage component's energy is the leakage power over the
         * whole makespan (no dynamic part), and the per-component split adds
         * up to it. */
        CU_ASSERT_DOUBLE_EQUAL(r.chip[c].energy_j[leakage], r.static_w * r.s.latency_s,
                               1e-9 * r.chip[c].energy_j[leakage] + 1e-15);
        double split = 0;
        for (uint32_t k = 0; k < cs->n; k++) split += r.chip[c].leakage_j[k];
        CU_ASSERT_DOUBLE_EQUAL(split, r.chip[c].energy_j[leakage],
                               1e-12 * split + 1e-18);
    }
    CU_ASSERT_DOUBLE_EQUAL(r.s.energy_j, e, 1e-12 * e);
    CU_ASSERT_EQUAL(r.s.offchip_bytes, off);
    CU_ASSERT_EQUAL(r.s.link_bytes, link);
    CU_ASSERT(link > 0);
    CU_ASSERT_DOUBLE_EQUAL(r.s.latency_s, finish, 1e-15);
    CU_ASSERT(llabs((long long)r.s.cycles - llround(r.s.latency_s * r.s.clock_hz)) <= 1);
    CU_ASSERT_EQUAL(r.s.chips, MAXC);
    CU_ASSERT_FALSE(r.s.check_run);
    CU_ASSERT(r.s.sim_events > 0);
}

static void test_check_passes_and_matches_timing(void)
{
    outcome c = simulate(MAXC, false, true), t = simulate(MAXC, false, false);
    CU_ASSERT_EQUAL(c.rc, 0);
    if (c.rc) fprintf(stderr, "%s\n", c.err);
    CU_ASSERT(c.s.check_run && c.s.check_passed && c.s.functional);
    CU_ASSERT_EQUAL(c.s.cycles, t.s.cycles);
    CU_ASSERT_EQUAL(c.s.energy_j, t.s.energy_j);
}

static void test_second_simulation_refused(void)
{
    outcome r = simulate(2, false, false);
    CU_ASSERT_EQUAL(r.rc, 0);
    CU_ASSERT_NOT_EQUAL(r.second_rc, 0);
}

static int register_tests(void)
{
    ADD_SUITE("sim_simulate", TEST(test_totals_are_sums), TEST(test_time_partitions_latency),
              TEST(test_check_passes_and_matches_timing),
              TEST(test_second_simulation_refused));
    return 0;
}

CUNIT_MAIN(register_tests)
