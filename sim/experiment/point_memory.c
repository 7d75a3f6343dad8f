/* Memory estimate of one point (see point_memory.h). */
#include "point_memory.h"

#include <stdio.h>
#include <unistd.h>

#include "../../workloads/partition_estimate.h"

/* Resident cost of one chip's SystemC module, thread stack and tables, and
 * of one link module: measured on a 4096-chip run (about 29 KiB per chip),
 * rounded up. */
#define CHIP_ENGINE_BYTES (64.0 * 1024)
#define LINK_ENGINE_BYTES (16.0 * 1024)
/* One trace slice: the event record and its two strings. */
#define TRACE_EVENT_BYTES 160.0
/* Vectors grow by doubling, and topology_expand holds the old and the new
 * op list of a chip at once: up to three op tables' worth. */
#define OP_TABLE_SLACK 3.0
#define BUF_TABLE_SLACK 2.0

/* Ops once every collective is point-to-point (collectives/): each message
 * of a collective is a SEND and a RECV. */
static double expanded_ops(const system_topology *t, double n, const program_size *s)
{
    double per_coll = 2 * (double)topology_messages(t, (uint32_t)n);
    return s->ops - s->collectives * n + s->collectives * per_coll;
}

static double program_bytes(const experiment *e, uint32_t chips, const program_size *s)
{
    double ops = expanded_ops(&e->topology, chips, s);
    return OP_TABLE_SLACK * ops * sizeof(prog_op) + BUF_TABLE_SLACK * s->buffers * sizeof(prog_buffer);
}

void point_memory_estimate(const experiment *e, uint32_t chips, bool functional, bool check,
                           bool trace, point_memory *out)
{
    program_size s;
    partition_estimate(&e->workload, chips, &s);
    out->program_bytes = program_bytes(e, chips, &s);
    out->tensor_bytes = functional || check ? s.data_bytes : 0;
    out->check_bytes = 0;
    if (check) {
        program_size one;
        partition_estimate_reference(&e->workload, &one);
        out->check_bytes = program_bytes(e, 1, &one) + one.data_bytes;
    }
    double n = chips;
    out->engine_bytes = n * CHIP_ENGINE_BYTES + 2 * n * LINK_ENGINE_BYTES;
    /* Eager sends: at worst every chip has one collective payload in flight. */
    if (functional || check) out->engine_bytes += n * s.max_coll_bytes;
    if (trace) out->engine_bytes += TRACE_EVENT_BYTES * expanded_ops(&e->topology, n, &s);
    out->total_bytes = out->program_bytes + out->tensor_bytes + out->check_bytes + out->engine_bytes;
}

uint64_t point_memory_default_limit(unsigned jobs)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return 0;
    return (uint64_t)pages * (uint64_t)page / 2 / (jobs ? jobs : 1);
}

/* "14.2 GiB": bytes in the largest binary unit that keeps a number >= 1. */
static void human(double bytes, char *buf, size_t len)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024 && u < 6) {
        bytes /= 1024;
        u++;
    }
    snprintf(buf, len, "%.3g %s", bytes, units[u]);
}

int point_memory_check(const experiment *e, uint32_t chips, bool functional, bool check,
                       bool trace, uint64_t max_bytes, char *err, size_t errlen)
{
    point_memory m;
    point_memory_estimate(e, chips, functional, check, trace, &m);
    if (!max_bytes || m.total_bytes <= (double)max_bytes) return 0;
    char total[32], limit[32], tens[32], prog[32], ref[32], eng[32];
    human(m.total_bytes, total, sizeof total);
    human((double)max_bytes, limit, sizeof limit);
    human(m.tensor_bytes, tens, sizeof tens);
    human(m.program_bytes, prog, sizeof prog);
    human(m.check_bytes, ref, sizeof ref);
    human(m.engine_bytes, eng, sizeof eng);
    snprintf(err, errlen,
             "%u chip%s %s would need about %s (tensors %s, program %s, --check reference %s, "
             "simulator %s), more than the %s allowed (--max-memory; default half the RAM)",
             chips, chips == 1 ? "" : "s", functional || check ? "functional" : "timing-only",
             total, tens, prog, ref, eng, limit);
    return -1;
}
