// The SystemC timing backend (the `systemc` entry of the flow's
// timing_backend registry): elaborates one chip module per chip, an off-chip
// memory port per chip and a link module per directed (src, dst) pair the
// program sends over, then runs. Every cost comes through timing_hooks.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "chip_module.h"
#include "memory_port.h"
#include "link_module.h"
#include "sanitizer_stack.h"
#include "sysc_internal.h"
#include "trace_log.h"

extern "C" {
#include "../../collectives/topology.h"
}

namespace mcusim {

uint64_t run_context::time_to_cycles(const sc_core::sc_time &t) const
{
    return (uint64_t)llround(t.to_seconds() * hooks->clock_hz);
}

op_cost run_context::on_run_clock(uint32_t chip, const op_cost &c) const
{
    double own = chip_clock(chip);
    if (own == hooks->clock_hz) return c;
    double k = hooks->clock_hz / own;
    op_cost r = c;
    r.cycles = (uint64_t)llround((double)c.cycles * k);
    for (uint32_t i = 0; i < COMPONENTS_MAX; i++) {
        r.busy_cycles[i] = (uint64_t)llround((double)c.busy_cycles[i] * k);
        r.time_cycles[i] = (uint64_t)llround((double)c.time_cycles[i] * k);
    }
    return r;
}

void run_context::fail(const std::string &msg)
{
    if (error.empty()) error = msg;
    sc_core::sc_stop();
}

static std::string deadlock_message(const run_context &ctx)
{
    std::string msg = "deadlock:";
    int shown = 0;
    for (uint32_t c = 0; c < ctx.prog->n_chips && shown < 4; c++) {
        if (ctx.finished[c]) continue;
        const prog_op &op = ctx.prog->chips[c].ops[ctx.pc[c]];
        msg += " chip " + std::to_string(c) + " blocked at op " + std::to_string(ctx.pc[c]) +
               " (" + op_kind_name(op.kind) + " '" + op.label + "' peer " +
               std::to_string(op.peer) + " tag " + std::to_string(op.tag) + ");";
        shown++;
    }
    return msg;
}

struct system_modules {
    std::vector<std::unique_ptr<memory_port>> mems;
    std::vector<std::unique_ptr<chip_module>> chips;
    std::vector<std::unique_ptr<link_module>> links;
};

// One link module per directed pair the program sends over
// (topology_links: the pairs the link map prices too).
static bool elaborate(run_context &ctx, system_modules &m)
{
    const system_program *p = ctx.prog;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        std::string n = std::to_string(c);
        m.mems.emplace_back(new memory_port(("memory_port" + n).c_str(), &ctx));
        m.chips.emplace_back(new chip_module(("chip" + n).c_str(), &ctx, c));
        m.chips.back()->mem_socket.bind(m.mems.back()->socket);
    }
    uint32_t(*pairs)[2] = nullptr;
    size_t n_pairs = 0;
    if (topology_links(p, &pairs, &n_pairs) != 0) return false;
    for (size_t i = 0; i < n_pairs; i++) {
        uint32_t src = pairs[i][0], dst = pairs[i][1];
        int tid = (int)i;
        std::string n = std::to_string(src) + "->" + std::to_string(dst);
        if (ctx.trace) ctx.trace->add_link(tid, "link " + n);
        m.links.emplace_back(new link_module(
            ("link_" + std::to_string(src) + "_" + std::to_string(dst)).c_str(), &ctx, src, dst,
            tid));
        m.chips[src]->link_socket(dst).bind(m.links.back()->socket);
    }
    free(pairs);
    return true;
}

} // namespace mcusim

using namespace mcusim;

namespace {

// SystemC elaborates once per process and cannot be restarted.
bool sysc_already_ran()
{
    return sc_core::sc_start_of_simulation_invoked() ||
           sc_core::sc_get_status() != sc_core::SC_ELABORATION;
}

int fail_with(char *err, size_t errlen, const std::string &msg)
{
    snprintf(err, errlen, "%s", msg.c_str());
    return -1;
}

// A chip that finished early waits for the others: that tail is WAIT, so
// each chip's partition covers the whole run. Each chip booked exactly
// round(finish * clock) cycles (see chip_module::book), and finish <= makespan,
// so the top-up is never negative; if it were, the attribution is broken.
int close_time_attribution(const component_set &comps, uint32_t n_chips,
                           uint64_t makespan_cycles, chip_stats *per_chip, char *err,
                           size_t errlen)
{
    for (uint32_t c = 0; c < n_chips; c++) {
        uint64_t sum = 0;
        for (uint32_t k = 0; k < comps.n; k++) sum += per_chip[c].time_cycles[k];
        if (sum > makespan_cycles)
            return fail_with(err, errlen,
                             "internal: chip " + std::to_string(c) + " attributes " +
                                 std::to_string(sum) + " cycles to a run of " +
                                 std::to_string(makespan_cycles));
        per_chip[c].time_cycles[comps.system[SYSTEM_WAIT]] += makespan_cycles - sum;
    }
    return 0;
}

// --stats ops: each chip's tail (the wait close_time_attribution booked
// after it finished), then every row in one C array for run_stats.
static int hand_back_rows(run_context &ctx, uint64_t makespan_cycles, const chip_stats *per_chip,
                          timing_result *res, char *err, size_t errlen)
{
    const component_set &comps = ctx.hooks->layout->components;
    size_t n = 0;
    for (uint32_t c = 0; c < ctx.prog->n_chips; c++) {
        uint64_t booked = 0;
        for (const op_record &r : ctx.ops[c])
            for (uint32_t k = 0; k < comps.n; k++) booked += r.time_cycles[k];
        op_record tail;
        memset(&tail, 0, sizeof tail);
        tail.chip = c;
        tail.row = OP_ROW_TAIL;
        snprintf(tail.label, sizeof tail.label, "%s", op_row_kind_name(OP_ROW_TAIL));
        tail.start_cycle = ctx.ops[c].empty() ? 0 : ctx.ops[c].back().end_cycle;
        tail.end_cycle = makespan_cycles;
        uint64_t chip_total = 0;
        for (uint32_t k = 0; k < comps.n; k++) chip_total += per_chip[c].time_cycles[k];
        tail.time_cycles[comps.system[SYSTEM_WAIT]] = chip_total - booked;
        ctx.ops[c].push_back(tail);
        n += ctx.ops[c].size();
    }
    op_record *all = static_cast<op_record *>(malloc((n ? n : 1) * sizeof *all));
    if (!all) return fail_with(err, errlen, "out of memory collecting the per-op statistics");
    size_t at = 0;
    for (uint32_t c = 0; c < ctx.prog->n_chips; c++)
        for (const op_record &r : ctx.ops[c]) all[at++] = r;
    res->ops = all;
    res->n_ops = n;
    return 0;
}

// The trace names each chip's node (chips of different nodes) and marks
// where each chip ended with its wait; the chip that ends last (the lowest
// such on a tie) is the straggler.
void mark_finishes(trace_log &trace, const system_program *p, const timing_hooks *h,
                   const chip_stats *per_chip)
{
    uint32_t wait = h->layout->components.system[SYSTEM_WAIT], last = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        if (h->chip_node_name) {
            const char *name = h->chip_node_name(h->ctx, c);
            if (name) trace.chip_node(c, name);
        }
        if (per_chip[c].finish_s > per_chip[last].finish_s) last = c;
    }
    for (uint32_t c = 0; c < p->n_chips; c++)
        trace.finish(c, per_chip[c].finish_s,
                     (double)per_chip[c].time_cycles[wait] / h->clock_hz, c == last);
}

int sysc_run(system_program *p, const timing_hooks *h, const timing_options *o,
             chip_stats *per_chip, timing_result *res, char *err, size_t errlen)
{
    res->ops = nullptr;
    res->n_ops = 0;
    if (sysc_already_ran())
        return fail_with(err, errlen,
                         "SystemC allows one simulation per process (run each point in its own process)");
    if (!p || !h || !h->op_cost || !h->link_transfer || !(h->clock_hz > 0) || !h->layout)
        return fail_with(err, errlen,
                         "simulation needs a program, cost hooks, a clock and the node's layout");
    for (uint32_t c = 0; h->chip_clock_hz && c < p->n_chips; c++)
        if (!(h->chip_clock_hz[c] > 0) || !std::isfinite(h->chip_clock_hz[c]))
            return fail_with(err, errlen, "chip " + std::to_string(c) + ": clock " +
                                              std::to_string(h->chip_clock_hz[c]) +
                                              " Hz is not positive");
    char bad_layout[256];
    if (component_set_check(&h->layout->components, bad_layout, sizeof bad_layout) != 0)
        return fail_with(err, errlen, std::string("node layout: ") + bad_layout);
    // The banner would land in the middle of `mcusim run` output.
    setenv("SYSC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);

    run_context ctx;
    ctx.prog = p;
    ctx.hooks = h;
    ctx.functional = o && o->functional && p->functional;
    ctx.stats = per_chip;
    for (uint32_t c = 0; c < p->n_chips; c++) ctx.mailboxes.emplace_back(new mailbox());
    ctx.bar.parties = p->n_chips;
    ctx.finished.assign(p->n_chips, false);
    ctx.pc.assign(p->n_chips, 0);
    ctx.shared_phy = o && o->shared_phy;
    ctx.tx_free.assign(p->n_chips, sc_core::SC_ZERO_TIME);
    ctx.rx_free.assign(p->n_chips, sc_core::SC_ZERO_TIME);
    ctx.done.assign(p->inferences ? p->inferences : 1, sc_core::SC_ZERO_TIME);
    if (o && o->flip_src >= 0 && o->flip_src != o->flip_dst) {
        ctx.flip_src = o->flip_src;
        ctx.flip_dst = o->flip_dst;
    }
    std::unique_ptr<trace_log> trace;
    if (o && o->trace_path) {
        trace.reset(new trace_log(p->n_chips, h->layout->levels));
        ctx.trace = trace.get();
    }
    ctx.collect_ops = o && o->collect_ops;
    if (ctx.collect_ops) ctx.ops.resize(p->n_chips);

    // Cycles at e.g. 360 MHz are not whole picoseconds (the default
    // resolution); femtoseconds keep per-op rounding far below a cycle, as
    // long as the run fits 2^64 of them (plan_time_resolution).
    double resolution_s = 1e-15;
    std::string plan_err;
    if (!plan_time_resolution(p, h, resolution_s, plan_err)) return fail_with(err, errlen, plan_err);
    res->resolution_s = resolution_s;

    int rc = 0;
    {
        system_modules m;
        try {
            sc_core::sc_set_time_resolution(std::round(resolution_s * 1e15), sc_core::SC_FS);
            if (!elaborate(ctx, m)) ctx.error = "out of memory listing the links";
            else sc_core::sc_start();
        } catch (const std::exception &ex) {
            ctx.error = std::string("SystemC: ") + ex.what();
        }
        sanitizer_back_on_main_stack();
        if (ctx.error.empty())
            for (uint32_t c = 0; c < p->n_chips; c++)
                if (!ctx.finished[c]) {
                    ctx.error = deadlock_message(ctx);
                    break;
                }
        if (!ctx.error.empty()) rc = fail_with(err, errlen, ctx.error);
    }
    res->makespan_s = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        if (per_chip[c].finish_s > res->makespan_s) res->makespan_s = per_chip[c].finish_s;
    res->makespan_cycles = (uint64_t)llround(res->makespan_s * h->clock_hz);
    res->first_done_s = p->inferences > 1 ? ctx.done[0].to_seconds() : res->makespan_s;
    if (rc == 0)
        rc = close_time_attribution(h->layout->components, p->n_chips, res->makespan_cycles,
                                    per_chip, err, errlen);
    if (rc == 0 && ctx.collect_ops)
        rc = hand_back_rows(ctx, res->makespan_cycles, per_chip, res, err, errlen);
    res->sim_events = ctx.events;
    if (rc == 0 && trace) mark_finishes(*trace, p, h, per_chip);
    if (rc == 0 && trace) {
        std::string terr;
        if (trace->write(o->trace_path, terr) != 0) rc = fail_with(err, errlen, terr);
    }
    return rc;
}

const timing_backend_ops sysc_backend_ops = {sysc_run, sysc_already_ran};

} // namespace

// The registry entry (sim/flow/timing_backend_registry.c names it).
extern "C" {
extern const registry_entry timing_backend_systemc;
const registry_entry timing_backend_systemc = {
    "systemc",
    "SystemC/TLM-2.0: a thread per chip walks its program, links and memory ports are TLM "
    "targets with annotated delays, shared where the system shares them; one simulation "
    "per process",
    nullptr, 0, 0, &sysc_backend_ops, nullptr,
};
}

// libsystemc's own main() calls sc_main; mcusim has its own main and enters
// the kernel through the backend's run, so this is never the entry point.
int sc_main(int, char **)
{
    return 2;
}
