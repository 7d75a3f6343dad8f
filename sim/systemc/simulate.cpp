// mcusim_simulate: builds the N-chip program (point_plan_build: memory
// estimate, models, partition, topology, placement: what validate checks),
// runs it on the SystemC engine with the real node and link models, adds
// static energy and, with --check, compares against a plain-C 1-chip run.
#include "simulate.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "sysc_engine.h"

extern "C" {
#include "../experiment/point_plan.h"
}

namespace {

int node_cost_hook(void *ctx, const chip_program *c, const prog_op *op, op_cost *out)
{
    return node_op_cost(static_cast<const point_plan *>(ctx)->node, c, op, out);
}

int exec_hook(void *, chip_program *c, const prog_op *op, char *err, size_t errlen)
{
    return exec_compute_op(c, op, err, errlen);
}

// The pair's own model: system.link, or the system.links override naming it.
link_cost link_hook(void *ctx, uint32_t src, uint32_t dst, uint64_t bytes)
{
    return link_map_transfer(static_cast<const point_plan *>(ctx)->links, src, dst, bytes);
}

const char *link_name_hook(void *ctx, uint32_t src, uint32_t dst)
{
    return link_map_name(static_cast<const point_plan *>(ctx)->links, src, dst);
}

double now_s()
{
    timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int fail(char *err, size_t errlen, int rc, const char *what, const char *msg)
{
    snprintf(err, errlen, "%s%s", what, msg);
    return rc;
}

void fill_header(const experiment *e, const sim_options *o, const node_model *node,
                 bool functional, run_stats *out)
{
    const node_layout *l = node_layout_of(node);
    out->components = l->components;
    out->levels = l->levels;
    snprintf(out->experiment, sizeof out->experiment, "%.*s", (int)sizeof out->experiment - 1, e->name);
    snprintf(out->model, sizeof out->model, "%.*s", (int)sizeof out->model - 1,
             e->workload.dims.name);
    snprintf(out->mode, sizeof out->mode, "%s",
             e->workload.mode == MODE_PROMPT ? "prompt" : "autoregressive");
    workload_scope(&e->workload, out->scope, sizeof out->scope);
    out->chips = o->chips;
    out->clock_hz = node_clock_hz(node);
    out->functional = functional;
}

// Power drawn whatever the chip does (leakage of every on-chip component,
// the always-on domain's clocks, the off-chip memory's standby), over the
// whole makespan: every chip stays powered until the inference ends. Then
// the run totals. The cycle count comes from the engine, which closed every
// chip's time_cycles on exactly that figure.
void finish_totals(const point_plan &m, const sysc_result &res, run_stats *out)
{
    double makespan_s = res.makespan_s;
    out->latency_s = makespan_s;
    out->cycles = res.makespan_cycles;
    out->energy_j = 0;
    out->offchip_bytes = 0;
    out->link_bytes = 0;
    double leak_w[COMPONENTS_MAX], always_w[COMPONENTS_MAX];
    node_always_on_power(m.node, leak_w, always_w);
    uint32_t n = out->components.n;
    for (uint32_t c = 0; c < out->chips; c++) {
        chip_stats *s = &out->per_chip[c];
        for (uint32_t k = 0; k < n; k++) {
            s->energy_j[k] += always_w[k] * makespan_s;
            s->leakage_j[k] = leak_w[k] * makespan_s;
        }
        for (uint32_t k = 0; k < n; k++) out->energy_j += s->energy_j[k];
        out->offchip_bytes += s->offchip_bytes;
        out->link_bytes += s->link_bytes_sent;
    }
}

// Where two outputs first differ, named by the N-chip part it falls in
// (the logits slices of a vocab-sliced LM head live on every chip).
void describe_mismatch(const system_program *p, const uint8_t *want, const uint8_t *got,
                       size_t n_want, size_t n_got, char *err, size_t errlen)
{
    if (n_want != n_got) {
        snprintf(err, errlen, "--check: %u-chip output has %zu bytes, the 1-chip run %zu",
                 p->n_chips, n_got, n_want);
        return;
    }
    size_t at = 0;
    while (at < n_want && want[at] == got[at]) at++;
    size_t start = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        const prog_buffer *b = system_program_output_part(p, c);
        if (!b) continue;
        size_t len = prog_buffer_bytes(b);
        if (at < start + len) {
            snprintf(err, errlen,
                     "--check: %u-chip output differs from the 1-chip run at byte %zu of %zu "
                     "(chip %u's '%s', byte %zu)",
                     p->n_chips, at, n_want, c, b->name, at - start);
            return;
        }
        start += len;
    }
}

// The reference output: the whole model run on one chip functionally in
// plain C, from its model graph (partition_reference: the replicate
// partitioner's 1-chip program, whatever partitioner is simulated).
// Outputs are compared whole: every chip's part in chip order (the root's
// activations, or the logits slices of every chip) against the 1-chip one.
int check_against_one_chip(const experiment *e, const system_program *p, bool *passed,
                           char *err, size_t errlen)
{
    char why[256] = "";
    system_program *ref = partition_reference(&e->workload, true, why, sizeof why);
    if (!ref) return fail(err, errlen, 1, "--check: 1-chip program: ", why);
    int rc = 0;
    if (functional_run(ref, why, sizeof why) != 0) {
        rc = fail(err, errlen, 1, "--check: 1-chip functional run: ", why);
    } else {
        size_t n_want = system_program_output_bytes(ref), n_got = system_program_output_bytes(p);
        uint8_t *want = static_cast<uint8_t *>(malloc(n_want ? n_want : 1));
        uint8_t *got = static_cast<uint8_t *>(malloc(n_got ? n_got : 1));
        if (!want || !got) {
            rc = fail(err, errlen, 1, "--check: ", "out of memory");
        } else if (system_program_output_copy(ref, want) != 0 ||
                   system_program_output_copy(p, got) != 0) {
            rc = fail(err, errlen, 1, "--check: ", "an output part holds no data");
        } else {
            *passed = n_want == n_got && n_want > 0 && memcmp(want, got, n_want) == 0;
            if (!*passed) {
                describe_mismatch(p, want, got, n_want, n_got, err, errlen);
                rc = 1;
            }
        }
        free(want);
        free(got);
    }
    system_program_destroy(ref);
    return rc;
}

int simulate_program(const experiment *e, const sim_options *o, const point_plan &m,
                     run_stats *out, char *err, size_t errlen)
{
    system_program *p = m.prog;
    int rc = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) out->per_chip[c].placement = m.placement[c];
    if (o->dump_program) system_program_dump(p, &node_layout_of(m.node)->levels, o->dump_program);

    sysc_hooks h = {const_cast<point_plan *>(&m), node_clock_hz(m.node), node_cost_hook, exec_hook,
                    link_hook, link_name_hook, node_layout_of(m.node)};
    sysc_options so = {p->functional, o->trace_path, o->flip_src, o->flip_dst,
                       e->topology.phy == TOPO_PHY_SHARED};
    sysc_result res = {0, 0, 0, 0};
    char why[1024] = "";
    if (sysc_run(p, &h, &so, out->per_chip, &res, why, sizeof why) != 0)
        return fail(err, errlen, 1, "simulation: ", why);
    out->sim_events = res.sim_events;
    finish_totals(m, res, out);

    if (o->check) {
        out->check_run = true;
        rc = check_against_one_chip(e, p, &out->check_passed, err, errlen);
    }
    return rc;
}

} // namespace

extern "C" int mcusim_simulate(const experiment *e, const sim_options *o, run_stats *out,
                               char *err, size_t errlen)
{
    double t0 = now_s();
    memset(out, 0, sizeof *out);
    if (o->chips == 0) return fail(err, errlen, 2, "", "chips must be at least 1");
    if (sysc_already_ran())
        return fail(err, errlen, 1, "",
                    "SystemC allows one simulation per process (run each point in its own process)");
    bool functional = o->functional || o->check;   // --check needs the real bytes
    point_request req = {o->chips, functional, o->check, o->trace_path != nullptr, o->max_memory,
                         o->program};
    point_plan m;
    int rc = point_plan_build(e, &req, &m, err, errlen);
    if (rc) return rc;
    fill_header(e, o, m.node, functional, out);
    out->per_chip = static_cast<chip_stats *>(calloc(o->chips, sizeof *out->per_chip));
    if (!out->per_chip) rc = fail(err, errlen, 1, "", "out of memory");
    else rc = simulate_program(e, o, m, out, err, errlen);
    point_plan_free(&m);
    out->wall_s = now_s() - t0;
    return rc;
}

extern "C" void run_stats_free(run_stats *s)
{
    if (!s) return;
    free(s->per_chip);
    s->per_chip = nullptr;
}
