// The time resolution of one run, chosen from an upper bound of its length
// (see sysc_internal.h). SystemC counts time in 64-bit multiples of the
// resolution: 2^64 fs is only 5.1 hours, which a slow off-chip memory or a huge
// model exceeds, and the count then wraps silently. A bound known before the
// run starts lets the resolution stay 1 fs (per-op rounding far below a
// cycle) whenever the run fits, and coarsen by powers of ten only when it
// must; the relative rounding stays about 2^-62 per op either way.
#include <cmath>
#include <string>

extern "C" {
#include "../../models/op_cost_check.h"
}

#include "sysc_internal.h"

namespace mcusim {

// The time of one op of chip c, in seconds, as the run can take it at most
// (an off-chip access may also wait for the memory port, but that wait is
// another access's busy time, which is summed on its own).
static bool op_seconds(const system_program *p, const timing_hooks *h, const chip_program *c,
                       const prog_op &op, long double &s, std::string &err)
{
    s = 0;
    if (op.kind == OP_BARRIER || op.kind == OP_REDUCE || op.kind == OP_BCAST ||
        op.kind == OP_ALLREDUCE)
        return true;
    op_cost cost;
    if (!checked_op_cost(h, c, op, cost, err)) return false;
    long double clock = hooks_chip_clock(h, c->chip);
    s = (long double)cost.cycles / clock;
    int32_t port = h->layout->stream_component;
    if (op.kind != OP_SEND && op.kind != OP_RECV && port >= 0)
        s += (long double)cost.busy_cycles[port] / clock;
    if (op.kind == OP_SEND && op.peer >= 0 && (uint32_t)op.peer < p->n_chips &&
        (uint32_t)op.peer != c->chip) {
        link_cost lc;
        if (!checked_link_cost(h, c->chip, (uint32_t)op.peer, op.bytes, lc, err)) return false;
        s += lc.time_s;
    }
    return true;
}

bool plan_time_resolution(const system_program *p, const timing_hooks *h, double &resolution_s,
                          std::string &err)
{
    long double total = 0;
    uint64_t steps = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
            long double s;
            if (!op_seconds(p, h, &p->chips[c], p->chips[c].ops[i], s, err)) return false;
            total += s;
            steps++;
        }
    const long double max_cycles = (long double)OP_MAX_CYCLES;
    if (total * h->clock_hz > max_cycles) {
        char msg[320];
        snprintf(msg, sizeof msg,
                 "the run could last up to %.3Lg s of simulated time (every op and transfer one "
                 "after another), more than the 2^62 cycles (%.3Lg s at %.0f MHz) a run can count",
                 total, max_cycles / h->clock_hz, h->clock_hz / 1e6);
        err = msg;
        return false;
    }
    // Each wait rounds by at most one resolution step: a few per op.
    const long double range = std::ldexp(1.0L, 64) / 4;
    for (int exp10 = -15; exp10 <= 0; exp10++) {
        long double res = std::pow(10.0L, (long double)exp10);
        if (total + 4.0L * (long double)steps * res <= range * res) {
            resolution_s = (double)res;
            return true;
        }
    }
    err = "the run is too long for any SystemC time resolution";
    return false;
}

} // namespace mcusim
