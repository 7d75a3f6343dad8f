// Collects slices during a run and writes them as Chrome-trace / Perfetto
// JSON: one "M" thread_name per chip and per link, one "X" event per op or
// transfer, timestamps in microseconds.
#ifndef MCUSIM_TRACE_LOG_H
#define MCUSIM_TRACE_LOG_H

#include <cstdint>
#include <string>
#include <vector>

namespace mcusim {

class trace_log {
public:
    // Track ids: chips are pid 1, links pid 2. Returns the track index.
    int add_track(int pid, int tid, const std::string &name);
    void slice(int pid, int tid, const std::string &name, const std::string &cat, double ts_s,
               double dur_s, uint64_t cycles, uint64_t bytes);
    // Returns 0 or -1 with errno-style message in err.
    int write(const char *path, std::string &err) const;

private:
    struct track { int pid, tid; std::string name; };
    struct event { int pid, tid; std::string name, cat; double ts_s, dur_s; uint64_t cycles, bytes; };
    std::vector<track> tracks_;
    std::vector<event> events_;
};

} // namespace mcusim

#endif
