// Internal C++ pieces of the SystemC engine: the shared run context, the
// transaction extension, the mailbox and barrier primitives. Not for C code.
#ifndef MCUSIM_SYSC_INTERNAL_H
#define MCUSIM_SYSC_INTERNAL_H

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#include "../flow/timing_backend.h"
#include "trace_log.h"

namespace mcusim {

// Result fields a target fills in for the initiator. The memory port reads `busy`
// (how long the access occupies its port, priced by the node model); links
// write `cost`, `start` and `end`.
struct tx_ext : tlm::tlm_extension<tx_ext> {
    sc_core::sc_time busy = sc_core::SC_ZERO_TIME;
    link_cost cost{};
    sc_core::sc_time start = sc_core::SC_ZERO_TIME;
    sc_core::sc_time end = sc_core::SC_ZERO_TIME;
    tlm::tlm_extension_base *clone() const override { return new tx_ext(*this); }
    void copy_from(const tlm::tlm_extension_base &o) override
    {
        *this = static_cast<const tx_ext &>(o);
    }
};

// The clock chip c's op cycles count (timing_hooks::chip_clock_hz).
inline double hooks_chip_clock(const timing_hooks *h, uint32_t chip)
{
    return h->chip_clock_hz ? h->chip_clock_hz[chip] : h->clock_hz;
}

struct message {
    uint32_t src;
    uint32_t tag;
    uint64_t bytes;
    std::vector<uint8_t> data;   // empty in timing-only runs
};

// An event made when first used, while the simulation runs: such an event
// is not named, while one made at elaboration gets a generated name in the
// kernel's tables, which every point paid for, per chip.
class lazy_event {
public:
    sc_core::sc_event &get()
    {
        if (!e_) e_.reset(new sc_core::sc_event());
        return *e_;
    }

private:
    std::unique_ptr<sc_core::sc_event> e_;
};

// Per-chip receive side: sends land here; OP_RECV waits on `arrived`.
struct mailbox {
    std::deque<message> queue;
    lazy_event arrived;
    bool take(uint32_t src, uint32_t tag, message &out)
    {
        for (auto it = queue.begin(); it != queue.end(); ++it) {
            if (it->src == src && it->tag == tag) {
                out = std::move(*it);
                queue.erase(it);
                return true;
            }
        }
        return false;
    }
};

struct barrier {
    uint32_t parties = 0, arrived = 0;
    uint64_t generation = 0;
    lazy_event released;
};

class chip_module;

// A process that carries sends on the wire, one at a time, then waits for
// the next; one pool for every chip. A send hands its transfer to an idle
// worker or spawns a new one: spawning a process per send (a coroutine
// stack mapped, guarded, named and later collected) was most of the cost of
// a timing-only point. Waking a waiting worker with an immediate notify puts
// it at the back of the runnable queue, exactly where a freshly spawned
// process goes, so the schedule is the same.
struct wire_worker {
    sc_core::sc_event go;            // made while the simulation runs: unnamed
    chip_module *chip = nullptr;     // the sender of the job
    std::shared_ptr<void> job;       // its chip_module::transfer
};

// Everything the modules share for one run. Lives on the backend run's stack.
struct run_context {
    system_program *prog = nullptr;
    const timing_hooks *hooks = nullptr;
    bool functional = false;
    chip_stats *stats = nullptr;
    std::vector<std::unique_ptr<mailbox>> mailboxes;   // sc_event cannot move
    barrier bar;
    trace_log *trace = nullptr;
    uint64_t events = 0;
    std::string error;          // first failure; stops the simulation
    std::vector<bool> finished;
    std::vector<uint32_t> pc;   // op index each chip is at, for deadlock messages
    int32_t flip_src = -1, flip_dst = -1;   // timing_options fault injection, once
    bool shared_phy = false;                // timing_options::shared_phy
    std::vector<sc_core::sc_time> tx_free, rx_free;   // per chip, with shared_phy
    // timing_options::collect_ops: each chip's rows, in booking order (op_stats.h)
    bool collect_ops = false;
    std::vector<std::vector<op_record>> ops;

    // Per in-flight inference: when the last of its ops ended (or its last
    // payload landed) on any chip so far.
    std::vector<sc_core::sc_time> done;

    void note_done(uint32_t inference)
    {
        if (inference < done.size() && sc_core::sc_time_stamp() > done[inference])
            done[inference] = sc_core::sc_time_stamp();
    }

    std::vector<std::unique_ptr<wire_worker>> wire_workers;
    std::vector<wire_worker *> idle_wires;


    // The clock chip c's op cycles count (timing_hooks::chip_clock_hz).
    double chip_clock(uint32_t chip) const { return hooks_chip_clock(hooks, chip); }
    // Chip c's op cycles as time; time as cycles of the run's clock
    // (hooks->clock_hz), which every booked figure counts.
    sc_core::sc_time cycles_to_time(uint32_t chip, uint64_t cycles) const
    {
        return sc_core::sc_time((double)cycles / chip_clock(chip), sc_core::SC_SEC);
    }
    uint64_t time_to_cycles(const sc_core::sc_time &t) const;
    // An op cost of chip c with its cycle figures in the run's clock (the
    // same cost when the chip has the run's clock).
    op_cost on_run_clock(uint32_t chip, const op_cost &c) const;
    void fail(const std::string &msg);
};

// The hooks' answers, checked before anything uses them (cost_checked.cpp):
// false with a one-line message naming the chip, the op and the bad value.
bool checked_op_cost(const timing_hooks *h, const chip_program *c, const prog_op &op,
                     op_cost &out, std::string &err);
bool checked_link_cost(const timing_hooks *h, uint32_t src, uint32_t dst, uint64_t bytes,
                       link_cost &out, std::string &err);

// Before elaboration (time_plan.cpp): every op's cost and every transfer
// asked for once and checked; their sum bounds the run's simulated time
// (at every instant some op, off-chip access or transfer is in progress),
// which picks the finest power-of-ten resolution whose 64-bit sc_time range
// holds it four times over. False with a message for a bad cost or a run
// longer than OP_MAX_CYCLES cycles.
bool plan_time_resolution(const system_program *p, const timing_hooks *h, double &resolution_s,
                          std::string &err);

} // namespace mcusim

#endif
