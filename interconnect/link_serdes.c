/* A generic serial link (SerDes): a line rate, a fixed latency per transfer
 * (serialiser, CDR lock, flight time), and a line code that spends some of
 * the line rate on encoding (8b/10b: 0.8, 64b/66b: 64/66):
 *
 *   wire_bytes = ceil(payload / efficiency)
 *   time       = latency + 8 * wire_bytes / bandwidth
 *   energy     = 8 * wire_bytes * energy_per_bit
 *
 * No default here comes from a primary source for an MCU-class SerDes: they
 * are engineering assumptions to be replaced per study. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/link.h"
#include "../core/units.h"
#include "link_common.h"

typedef struct serdes_params {
    double bandwidth;        /* line rate, bit/s */
    double latency;          /* s per transfer */
    double efficiency;       /* payload bits per line bit */
    double energy_per_bit;   /* J per line bit */
} serdes_params;

static const param_spec serdes_specs[] = {
    {"bandwidth", PARAM_QUANTITY, DIM_BITRATE, offsetof(serdes_params, bandwidth), 1e6, 1e12,
     "10 Gbps", NULL, "line rate (assumed: short-reach SerDes class)"},
    {"latency", PARAM_QUANTITY, DIM_TIME, offsetof(serdes_params, latency), 0, 1e-3, "100 ns", NULL,
     "fixed latency per transfer (assumed)"},
    {"efficiency", PARAM_DOUBLE, DIM_NONE, offsetof(serdes_params, efficiency), 0.01, 1, "0.8", NULL,
     "line-code efficiency: 8b/10b = 0.8, 64b/66b = 0.9697 (definition of the codes)"},
    {"energy_per_bit", PARAM_QUANTITY, DIM_ENERGY_PER_BIT, offsetof(serdes_params, energy_per_bit), 0,
     1e-9, "5 pJ/bit", NULL, "energy per line bit, both ends (FACTS.md: 2-10 pJ/bit, assumed)"},
};

static int serdes_create(const void *params, link_model **out, char *err, size_t errlen)
{
    const serdes_params *p = params;
    if (!(p->bandwidth > 0)) {
        char v[32];
        unit_format(p->bandwidth, DIM_BITRATE, v, sizeof v);
        snprintf(err, errlen, "bandwidth: %s, must be positive", v);
        return -1;
    }
    if (!(p->efficiency > 0) || p->efficiency > 1) {
        snprintf(err, errlen, "efficiency: %g, a line code keeps a fraction in (0, 1] of the bits",
                 p->efficiency);
        return -1;
    }
    return link_instance_new(p, sizeof *p, out, err, errlen);
}

static link_cost serdes_transfer(const link_model *m, uint64_t payload_bytes)
{
    if (payload_bytes == 0) return (link_cost){0.0, 0.0, 0};
    const serdes_params *p = link_instance_params(m);
    /* The relative slack keeps 100 / 0.8 at 125, not 126, despite rounding. */
    uint64_t wire = (uint64_t)ceil((double)payload_bytes / p->efficiency * (1.0 - 1e-12));
    return link_line_cost(wire, p->latency, p->bandwidth, p->energy_per_bit);
}

const link_model_ops link_serdes_ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION,
    .name = "serdes",
    .description = "generic SerDes: line rate, latency per transfer, line-code efficiency, pJ/bit",
    LINK_OPS_PARAMS(serdes_specs, serdes_params),
    .create = serdes_create,
    .transfer = serdes_transfer,
    .destroy = link_instance_free,
};
