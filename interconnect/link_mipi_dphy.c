/* MIPI D-PHY link in high-speed mode (FACTS.md "Chip-to-chip link (MIPI)").
 *
 * D-PHY sends raw bits in HS mode, so the only overheads are the packet
 * framing (CSI-2/DSI long packets: 4 B header, 2 B CRC footer per packet of
 * at most max_payload bytes) and the HS entry/exit sequence paid once per
 * transfer (the lanes return to low-power state between transfers):
 *
 *   wire_bytes = payload + packets * (header + footer)
 *   time       = startup + 8 * wire_bytes / (lanes * lane_rate)
 *   energy     = 8 * wire_bytes * energy_per_bit
 *
 * Byte striping over lanes is treated as perfectly even; an empty payload
 * sends nothing and costs nothing. */
#include <stddef.h>
#include <stdio.h>

#include "../core/link.h"
#include "../core/units.h"
#include "link_common.h"
#include "link_packets.h"

typedef struct dphy_params {
    uint64_t lanes;
    double lane_rate;        /* bit/s per lane */
    double max_payload;      /* bytes per packet */
    uint64_t header_bytes;
    uint64_t footer_bytes;
    double startup;          /* s, HS entry + exit per transfer */
    double energy_per_bit;   /* J/bit on the wire, both ends */
} dphy_params;

static const param_spec dphy_specs[] = {
    {"lanes", PARAM_UINT, DIM_NONE, offsetof(dphy_params, lanes), 1, 4, "4", NULL,
     "data lanes, 1-4 (MIPI D-PHY spec; FACTS.md)"},
    {"lane_rate", PARAM_QUANTITY, DIM_BITRATE, offsetof(dphy_params, lane_rate), 1e6, 20e9,
     "1.5 Gbps", NULL, "HS bit rate per lane: 1.5 (v1.1) / 2.5 (v1.2) / 4.5 Gbps (v2.1) (FACTS.md, firm)"},
    {"max_payload", PARAM_QUANTITY, DIM_BYTES, offsetof(dphy_params, max_payload), 1, 65535,
     "4 KiB", NULL, "payload bytes per packet; CSI-2/DSI word count is 16 bit, so <= 65535 (assumed 4 KiB)"},
    {"header_bytes", PARAM_UINT, DIM_NONE, offsetof(dphy_params, header_bytes), 0, 64, "4", NULL,
     "packet header bytes (CSI-2/DSI long packet: 4; FACTS.md, approx)"},
    {"footer_bytes", PARAM_UINT, DIM_NONE, offsetof(dphy_params, footer_bytes), 0, 64, "2", NULL,
     "packet footer bytes (CSI-2/DSI CRC: 2; FACTS.md, approx)"},
    {"startup", PARAM_QUANTITY, DIM_TIME, offsetof(dphy_params, startup), 0, 1e-3, "300 ns", NULL,
     "HS entry + exit per transfer (FACTS.md: ~100s of ns, approx)"},
    {"energy_per_bit", PARAM_QUANTITY, DIM_ENERGY_PER_BIT, offsetof(dphy_params, energy_per_bit), 0,
     1e-9, "5 pJ/bit", NULL, "energy per wire bit, both ends (FACTS.md: 2-10 pJ/bit, assumed)"},
};

static int dphy_create(const void *params, link_model **out, char *err, size_t errlen)
{
    const dphy_params *p = params;
    if (p->lanes < 1 || p->lanes > 4) {
        snprintf(err, errlen, "lanes: %llu, D-PHY has 1 to 4 data lanes",
                 (unsigned long long)p->lanes);
        return -1;
    }
    char v[32];
    if (!(p->lane_rate > 0)) {
        unit_format(p->lane_rate, DIM_BITRATE, v, sizeof v);
        snprintf(err, errlen, "lane_rate: %s, must be positive", v);
        return -1;
    }
    if (!(p->max_payload >= 1)) {
        unit_format(p->max_payload, DIM_BYTES, v, sizeof v);
        snprintf(err, errlen, "max_payload: %s, a packet must carry at least 1 B", v);
        return -1;
    }
    return link_instance_new(p, sizeof *p, out, err, errlen);
}

static link_cost dphy_transfer(const link_model *m, uint64_t payload_bytes)
{
    if (payload_bytes == 0) return (link_cost){0.0, 0.0, 0};
    const dphy_params *p = link_instance_params(m);
    uint64_t wire = link_packet_wire_bytes(payload_bytes, (uint64_t)p->max_payload,
                                           p->header_bytes, p->footer_bytes);
    return link_line_cost(wire, p->startup, (double)p->lanes * p->lane_rate, p->energy_per_bit);
}

const link_model_ops link_mipi_dphy_ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION,
    .name = "mipi_dphy",
    .description = "MIPI D-PHY HS mode: 1-4 lanes, packet framing, HS entry/exit per transfer",
    LINK_OPS_PARAMS(dphy_specs, dphy_params),
    .create = dphy_create,
    .transfer = dphy_transfer,
    .destroy = link_instance_free,
};
