/* Example out-of-tree link model: a serial link with bit errors and
 * per-packet retransmission, priced at its expected cost.
 *
 * A packet of b wire bits arrives intact with probability (1 - ber)^b, so the
 * number of times it is sent is geometric with mean 1 / (1 - ber)^b, and every
 * failed attempt also waits a retransmission timeout:
 *
 *   attempts   = 1 / (1 - ber)^b                (expected, per packet)
 *   time       = latency + sum over packets of attempts * b / bandwidth
 *                        + (attempts - 1) * retry_timeout
 *   energy     = energy_per_bit * sum of attempts * b
 *
 * This file is self-contained on purpose: copy it, rename the model, change
 * the cost function, build it as a shared library (see README "Writing a link
 * model") and name it in a config with `link: {plugin: path/to/lib.so, ...}`. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "link.h"

typedef struct lossy_params {
    double bandwidth;        /* bit/s */
    double latency;          /* s per transfer */
    double max_payload;      /* bytes per packet */
    uint64_t header_bytes;   /* framing + CRC per packet */
    double bit_error_rate;
    double retry_timeout;    /* s lost per failed attempt */
    double energy_per_bit;   /* J per bit sent (including resent bits) */
} lossy_params;

struct link_model {
    lossy_params p;
};

static const param_spec lossy_specs[] = {
    {"bandwidth", PARAM_QUANTITY, DIM_BITRATE, offsetof(lossy_params, bandwidth), 1e3, 1e12,
     "1 Gbps", NULL, "raw bit rate (example value)"},
    {"latency", PARAM_QUANTITY, DIM_TIME, offsetof(lossy_params, latency), 0, 1, "200 ns", NULL,
     "fixed latency per transfer (example value)"},
    {"max_payload", PARAM_QUANTITY, DIM_BYTES, offsetof(lossy_params, max_payload), 1, 1e6, "1 KiB",
     NULL, "payload bytes per packet (example value)"},
    {"header_bytes", PARAM_UINT, DIM_NONE, offsetof(lossy_params, header_bytes), 0, 1024, "8", NULL,
     "header + CRC bytes per packet (example value)"},
    {"bit_error_rate", PARAM_DOUBLE, DIM_NONE, offsetof(lossy_params, bit_error_rate), 0, 1e-2,
     "1e-6", NULL, "probability that one wire bit flips (example value)"},
    {"retry_timeout", PARAM_QUANTITY, DIM_TIME, offsetof(lossy_params, retry_timeout), 0, 1, "1 us",
     NULL, "time lost detecting a bad packet before resending it (example value)"},
    {"energy_per_bit", PARAM_QUANTITY, DIM_ENERGY_PER_BIT, offsetof(lossy_params, energy_per_bit), 0,
     1e-9, "5 pJ/bit", NULL, "energy per bit sent, both ends (example value)"},
};

static int lossy_create(const void *params, link_model **out, char *err, size_t errlen)
{
    const lossy_params *p = params;
    /* Start a message with the key it is about: mcusim then reports it at
     * that key's FILE:LINE:COL (or at the map around it). */
    if (!(p->bandwidth > 0)) {
        snprintf(err, errlen, "bandwidth: %g bit/s, must be positive", p->bandwidth);
        return -1;
    }
    if (!(p->max_payload >= 1)) {
        snprintf(err, errlen, "max_payload: %g B, a packet must carry at least 1 B", p->max_payload);
        return -1;
    }
    if (p->bit_error_rate < 0 || p->bit_error_rate >= 1) {
        snprintf(err, errlen, "bit_error_rate: %g, must be in [0, 1)", p->bit_error_rate);
        return -1;
    }
    link_model *m = malloc(sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->p = *p;
    *out = m;
    return 0;
}

/* Expected attempts, wire bits actually sent and time spent for one packet. */
static void packet_cost(const lossy_params *p, uint64_t payload, double *bits_sent, double *time)
{
    double bits = 8.0 * (double)(payload + p->header_bytes);
    double attempts = 1.0 / pow(1.0 - p->bit_error_rate, bits);
    *bits_sent = attempts * bits;
    *time = *bits_sent / p->bandwidth + (attempts - 1.0) * p->retry_timeout;
}

static link_cost lossy_transfer(const link_model *m, uint64_t payload_bytes)
{
    link_cost c = {0.0, 0.0, 0};
    if (payload_bytes == 0) return c;
    const lossy_params *p = &m->p;
    uint64_t max = (uint64_t)p->max_payload;
    uint64_t full = payload_bytes / max, rest = payload_bytes % max;
    double bits_full, time_full, bits_rest = 0, time_rest = 0;
    packet_cost(p, max, &bits_full, &time_full);
    if (rest) packet_cost(p, rest, &bits_rest, &time_rest);
    double bits = (double)full * bits_full + bits_rest;
    c.time_s = p->latency + (double)full * time_full + time_rest;
    c.energy_j = bits * p->energy_per_bit;
    c.wire_bytes = (uint64_t)llround(bits / 8.0);
    return c;
}

static void lossy_destroy(link_model *m)
{
    free(m);
}

static const link_model_ops lossy_ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION,
    .name = "lossy_serial",
    .description = "example plug-in: serial link with bit errors, expected cost of retransmission",
    .params = lossy_specs,
    .n_params = sizeof lossy_specs / sizeof lossy_specs[0],
    .params_size = sizeof(lossy_params),
    .create = lossy_create,
    .transfer = lossy_transfer,
    .destroy = lossy_destroy,
};

/* The one symbol mcusim looks for (MCUSIM_LINK_SYMBOL). */
const link_model_ops *mcusim_link_model(void)
{
    return &lossy_ops;
}
