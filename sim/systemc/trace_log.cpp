// Chrome-trace JSON writer (the format Perfetto and chrome://tracing load).
// Perfetto's JSON importer takes an "X" event's name, ts, dur, pid and tid,
// a "C" event's name, pid and numeric args (a counter track named
// "<name> <arg>" per arg, in the event's process) and "M" events naming
// processes and threads.
#include "trace_log.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mcusim {

trace_log::trace_log(uint32_t n_chips, const mem_level_set &levels)
    : n_chips_(n_chips), levels_(levels), chip_nodes_(n_chips), activity_(n_chips)
{
    if (levels_.n > MEM_LEVELS_MAX) levels_.n = MEM_LEVELS_MAX;
}

void trace_log::add_link(int tid, const std::string &name)
{
    links_.push_back({tid, name});
    if (tid >= 0 && (size_t)tid >= busy_.size()) busy_.resize((size_t)tid + 1);
}

void trace_log::chip_node(uint32_t chip, const std::string &node)
{
    if (chip < n_chips_) chip_nodes_[chip] = node;
}

void trace_log::finish(uint32_t chip, double finish_s, double wait_s, bool straggler)
{
    if (chip < n_chips_) marks_.push_back({chip, finish_s, wait_s, straggler});
}

void trace_log::chip_slice(uint32_t chip, const std::string &name, const std::string &cat,
                           double ts_s, double dur_s, uint64_t cycles, uint64_t bytes)
{
    events_.push_back({chip_pid(chip), 1, name, cat, ts_s, dur_s, cycles, bytes});
}

void trace_log::link_slice(int tid, const std::string &name, double ts_s, double dur_s,
                           uint64_t cycles, uint64_t bytes)
{
    events_.push_back({links_pid(), tid, name, "link", ts_s, dur_s, cycles, bytes});
    if (tid >= 0 && (size_t)tid < busy_.size() && dur_s > 0)
        busy_[(size_t)tid].push_back({ts_s, ts_s + dur_s, {100.0}});
}

void trace_log::activity(uint32_t chip, double t0_s, double t1_s, double energy_j,
                         const uint64_t *bytes)
{
    if (chip >= n_chips_ || !(t1_s > t0_s)) return;
    double dur = t1_s - t0_s;
    interval iv{t0_s, t1_s, std::vector<double>(1 + levels_.n, 0.0)};
    iv.v[0] = energy_j / dur;
    for (uint32_t l = 0; bytes && l < levels_.n; l++) iv.v[1 + l] = (double)bytes[l] / dur;
    activity_[chip].push_back(std::move(iv));
}

// The sum of the intervals active at each instant, as samples where it
// changes: recomputed from the active set at every boundary (not kept by
// adding and subtracting), so a sum of non-negative values stays exactly
// non-negative and drops to exactly 0 between intervals.
static std::vector<trace_log::sample> piecewise(const std::vector<trace_log::interval> &iv,
                                                size_t width)
{
    std::vector<double> cuts;
    for (const auto &i : iv) {
        cuts.push_back(i.t0);
        cuts.push_back(i.t1);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::vector<size_t> order(iv.size());
    for (size_t i = 0; i < order.size(); i++) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return iv[a].t0 < iv[b].t0; });
    std::vector<trace_log::sample> out;
    std::vector<size_t> active;
    size_t next = 0;
    for (double t : cuts) {
        active.erase(std::remove_if(active.begin(), active.end(),
                                    [&](size_t k) { return iv[k].t1 <= t; }),
                     active.end());
        while (next < order.size() && iv[order[next]].t0 <= t) active.push_back(order[next++]);
        trace_log::sample s{t, std::vector<double>(width, 0.0)};
        for (size_t k : active)
            for (size_t j = 0; j < width && j < iv[k].v.size(); j++) s.v[j] += iv[k].v[j];
        if (!out.empty() && out.back().v == s.v) continue;
        out.push_back(std::move(s));
    }
    return out;
}

namespace {

// One line of traceEvents, kept with its time so slices and counter
// samples go out in time order.
struct line {
    double ts_s;
    std::string text;
};

std::string json_string(const std::string &s)
{
    std::string o = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            o += '\\';
            o += (char)c;
        } else if (c < 0x20) {
            char b[8];
            snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else {
            o += (char)c;
        }
    }
    return o + "\"";
}

std::string num(double v)
{
    char b[40];
    snprintf(b, sizeof b, "%.9g", v);
    return b;
}

// A counter's time to the femtosecond (the engine's resolution): a sample
// every few nanoseconds rounded to the picosecond would make the integral
// of power (energy) drift by parts per million.
std::string ts_us(double s)
{
    char b[40];
    snprintf(b, sizeof b, "%.9f", s * 1e6);
    return b;
}

// A "C" event: one sample of the counters `keys` of process pid.
std::string counter(const std::string &name, int pid, int tid, double ts_s,
                    const std::vector<std::string> &keys, const std::vector<double> &values)
{
    std::string o = "{\"ph\":\"C\",\"name\":" + json_string(name) + ",\"pid\":" +
                    std::to_string(pid) + ",\"tid\":" + std::to_string(tid) +
                    ",\"ts\":" + ts_us(ts_s) + ",\"args\":{";
    for (size_t k = 0; k < keys.size(); k++)
        o += (k ? "," : "") + json_string(keys[k]) + ":" + num(values[k]);
    return o + "}}";
}

} // namespace

int trace_log::write(const char *path, std::string &err) const
{
    // The target must still be a regular file or absent: the rename below
    // would replace a FIFO or a device (the CLI checked it before the run).
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        err = std::string(path) + ": not a regular file, not replaced";
        return -1;
    }
    std::vector<line> lines;
    for (const event &e : events_) {
        char head[160];
        snprintf(head, sizeof head, ",\"pid\":%d,\"tid\":%d,\"ts\":%.6f,\"dur\":%.6f,", e.pid,
                 e.tid, e.ts_s * 1e6, e.dur_s * 1e6);
        char args[96];
        snprintf(args, sizeof args, "\"args\":{\"cycles\":%llu,\"bytes\":%llu}}",
                 (unsigned long long)e.cycles, (unsigned long long)e.bytes);
        lines.push_back({e.ts_s, "{\"ph\":\"X\",\"name\":" + json_string(e.name) +
                                     ",\"cat\":" + json_string(e.cat) + head + args});
    }
    // Each chip's end: an instant on its ops thread, the straggler's saying so.
    for (const mark &m : marks_) {
        std::string name = m.straggler ? "straggler: chip " + std::to_string(m.chip) +
                                             " finishes last"
                                       : "finish";
        char args[160];
        snprintf(args, sizeof args, "\"args\":{\"finish_ms\":%.9g,\"wait_ms\":%.9g,"
                                    "\"straggler\":%s}}",
                 m.ts_s * 1e3, m.wait_s * 1e3, m.straggler ? "true" : "false");
        lines.push_back({m.ts_s, "{\"ph\":\"i\",\"s\":\"t\",\"name\":" + json_string(name) +
                                     ",\"cat\":\"finish\",\"pid\":" +
                                     std::to_string(chip_pid(m.chip)) + ",\"tid\":1,\"ts\":" +
                                     ts_us(m.ts_s) + "," + args});
    }
    // Per chip: power, and the bandwidth of the levels that moved bytes on any chip.
    std::vector<uint32_t> moved;
    for (uint32_t l = 0; l < levels_.n; l++) {
        bool any = false;
        for (const auto &chip : activity_)
            for (const interval &i : chip) any |= i.v[1 + l] > 0;
        if (any) moved.push_back(l);
    }
    std::vector<std::string> bw_keys;
    for (uint32_t l : moved) bw_keys.push_back(std::string(levels_.v[l].name) + " MB/s");
    for (uint32_t c = 0; c < n_chips_; c++) {
        for (const sample &s : piecewise(activity_[c], 1 + levels_.n)) {
            lines.push_back({s.ts_s, counter("power", chip_pid(c), 1, s.ts_s, {"mW"},
                                             {s.v[0] * 1e3})});
            if (moved.empty()) continue;
            std::vector<double> bw;
            for (uint32_t l : moved) bw.push_back(s.v[1 + l] / 1e6);
            lines.push_back({s.ts_s, counter("bandwidth", chip_pid(c), 1, s.ts_s, bw_keys, bw)});
        }
    }
    for (const auto &l : links_) {
        if (l.first < 0 || (size_t)l.first >= busy_.size()) continue;
        for (const sample &s : piecewise(busy_[(size_t)l.first], 1))
            lines.push_back({s.ts_s, counter(l.second + " utilisation", links_pid(), l.first,
                                             s.ts_s, {"%"}, s.v)});
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const line &a, const line &b) { return a.ts_s < b.ts_s; });

    // Written beside the target and renamed, so a killed run leaves no half
    // file; the temporary is created new (O_EXCL), never opened through
    // whatever already has its name.
    std::string tmp = std::string(path) + ".tmp." + std::to_string((long)getpid());
    unlink(tmp.c_str());
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : nullptr;
    if (!f) {
        err = tmp + ": " + strerror(errno);
        if (fd >= 0) close(fd);
        return -1;
    }
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
    for (uint32_t c = 0; c < n_chips_; c++) {
        std::string name = "chip " + std::to_string(c);
        if (!chip_nodes_[c].empty()) name += ": " + chip_nodes_[c];
        fprintf(f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"tid\":0,\"args\":"
                   "{\"name\":%s}},\n",
                chip_pid(c), json_string(name).c_str());
        fprintf(f, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":1,\"args\":"
                   "{\"name\":\"ops\"}},\n",
                chip_pid(c));
    }
    fprintf(f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"tid\":0,\"args\":"
               "{\"name\":\"links\"}}",
            links_pid());
    for (const auto &l : links_) {
        fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%d,"
                   "\"args\":{\"name\":%s}}",
                links_pid(), l.first, json_string(l.second).c_str());
    }
    for (const line &l : lines) {
        fputs(",\n", f);
        fputs(l.text.c_str(), f);
    }
    fputs("\n]}\n", f);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad || rename(tmp.c_str(), path) != 0) {
        err = std::string(path) + ": " + strerror(errno);
        remove(tmp.c_str());
        return -1;
    }
    return 0;
}

} // namespace mcusim
