// Collects a run's timeline and writes it as Chrome-trace / Perfetto JSON:
// one process per chip (its op slices on the thread "ops", and its counter
// tracks: dynamic power in mW and the bandwidth of each memory level in
// MB/s, and an instant "finish" where its program ended, with its wait;
// the chip that ends last is named the straggler there), and one process
// "links" (a thread per directed link with its transfers, and a
// utilisation counter per link in %). Timestamps in
// microseconds. Counters are piecewise constant between samples; a chip's
// power integrates to its dynamic energy (the energy of every op it ran
// and of every transfer it sent), its bandwidth to the bytes moved.
#ifndef MCUSIM_TRACE_LOG_H
#define MCUSIM_TRACE_LOG_H

#include <cstdint>
#include <string>
#include <vector>

#include "../../core/program.h"

namespace mcusim {

class trace_log {
public:
    // Chips are processes 1..n_chips, the links process n_chips + 1; the
    // memory levels name the bandwidth counters.
    trace_log(uint32_t n_chips, const mem_level_set &levels);
    void add_link(int tid, const std::string &name);
    // The chip's process is "chip N: <node>" (chips of different nodes),
    // else "chip N".
    void chip_node(uint32_t chip, const std::string &node);
    // Where chip's program ended (finish_s), the time it spent waiting
    // (critical-path wait, the tail after its end included) and whether it
    // is the straggler (the chip that ends last, so the makespan's).
    void finish(uint32_t chip, double finish_s, double wait_s, bool straggler);
    void chip_slice(uint32_t chip, const std::string &name, const std::string &cat, double ts_s,
                    double dur_s, uint64_t cycles, uint64_t bytes);
    void link_slice(int tid, const std::string &name, double ts_s, double dur_s, uint64_t cycles,
                    uint64_t bytes);
    // Dynamic energy spent and bytes moved (per memory level, or nullptr)
    // by chip over [t0_s, t1_s): spread evenly over it in the counters.
    void activity(uint32_t chip, double t0_s, double t1_s, double energy_j, const uint64_t *bytes);
    // Returns 0 or -1 with errno-style message in err.
    int write(const char *path, std::string &err) const;

    // One sample of a counter track (exposed for the writer's helpers).
    struct sample { double ts_s; std::vector<double> v; };
    struct interval { double t0, t1; std::vector<double> v; };

private:
    struct event {
        int pid, tid;
        std::string name, cat;
        double ts_s, dur_s;
        uint64_t cycles, bytes;
    };
    int chip_pid(uint32_t chip) const { return (int)chip + 1; }
    int links_pid() const { return (int)n_chips_ + 1; }

    uint32_t n_chips_;
    mem_level_set levels_;
    std::vector<std::pair<int, std::string>> links_;   // tid, name
    std::vector<std::string> chip_nodes_;              // per chip, "" = none given
    struct mark { uint32_t chip; double ts_s, wait_s; bool straggler; };
    std::vector<mark> marks_;
    std::vector<event> events_;
    // Per chip: [t0, t1) with {power W, bytes/s per level...}.
    std::vector<std::vector<interval>> activity_;
    // Per link tid: its transfers [t0, t1).
    std::vector<std::vector<interval>> busy_;
};

} // namespace mcusim

#endif
