/* Off-chip HyperRAM over HyperBus: every burst pays the command and initial
 * access latency, then data moves at the bus bandwidth. Converted to cluster
 * cycles because the chip's timeline is in cycles. */
#include <math.h>

#include "pulp_internal.h"

static uint64_t seconds_to_cycles(const pulp_params *p, double s)
{
    return (uint64_t)ceil(s * p->clock_hz - 1e-9);
}

uint64_t pulp_hyper_cycles(const pulp_params *p, uint64_t bytes)
{
    if (bytes == 0) return 0;
    double bursts = ceil((double)bytes / p->hyper_burst_bytes);
    return seconds_to_cycles(p, bursts * p->hyper_latency_s + (double)bytes / p->hyper_bandwidth);
}

uint64_t pulp_hyper_fill_cycles(const pulp_params *p, uint64_t bytes)
{
    uint64_t first = bytes < (uint64_t)p->hyper_burst_bytes ? bytes : (uint64_t)p->hyper_burst_bytes;
    return pulp_hyper_cycles(p, first);
}
