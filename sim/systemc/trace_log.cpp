// Chrome-trace JSON writer (the format Perfetto and chrome://tracing load).
#include "trace_log.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mcusim {

int trace_log::add_track(int pid, int tid, const std::string &name)
{
    tracks_.push_back({pid, tid, name});
    return (int)tracks_.size() - 1;
}

void trace_log::slice(int pid, int tid, const std::string &name, const std::string &cat,
                      double ts_s, double dur_s, uint64_t cycles, uint64_t bytes)
{
    events_.push_back({pid, tid, name, cat, ts_s, dur_s, cycles, bytes});
}

static void put_json_string(FILE *f, const std::string &s)
{
    fputc('"', f);
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

int trace_log::write(const char *path, std::string &err) const
{
    // The target must still be a regular file or absent: the rename below
    // would replace a FIFO or a device (the CLI checked it before the run).
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        err = std::string(path) + ": not a regular file, not replaced";
        return -1;
    }
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
    bool first = true;
    const char *pnames[] = {"", "chips", "links"};
    for (int pid = 1; pid <= 2; pid++) {
        fprintf(f, "%s{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"tid\":0,\"args\":{\"name\":\"%s\"}}",
                first ? "" : ",\n", pid, pnames[pid]);
        first = false;
    }
    for (const track &t : tracks_) {
        fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":", t.pid, t.tid);
        put_json_string(f, t.name);
        fputs("}}", f);
    }
    for (const event &e : events_) {
        fputs(",\n{\"ph\":\"X\",\"name\":", f);
        put_json_string(f, e.name);
        fputs(",\"cat\":", f);
        put_json_string(f, e.cat);
        fprintf(f, ",\"pid\":%d,\"tid\":%d,\"ts\":%.6f,\"dur\":%.6f,\"args\":{\"cycles\":%llu,\"bytes\":%llu}}",
                e.pid, e.tid, e.ts_s * 1e6, e.dur_s * 1e6, (unsigned long long)e.cycles,
                (unsigned long long)e.bytes);
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
