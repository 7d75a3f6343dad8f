/* MIPI C-PHY link (FACTS.md "Chip-to-chip link (MIPI)").
 *
 * C-PHY sends symbols on 3-wire trios; 16 bits map to 7 symbols, i.e.
 * 16/7 ~ 2.2857 bits per symbol. Packet framing and the HS entry/exit are as
 * for D-PHY (same CSI-2/DSI protocol layer on top):
 *
 *   wire_bytes = payload + packets * (header + footer)
 *   time       = startup + 8 * wire_bytes / (trios * symbol_rate * bits_per_symbol)
 *   energy     = 8 * wire_bytes * energy_per_bit
 *
 * The symbol rate is written as a frequency (2.5 GHz = 2.5 Gsym/s). */
#include <stddef.h>
#include <stdio.h>

#include "../core/link.h"
#include "../core/units.h"
#include "link_common.h"
#include "link_packets.h"

typedef struct cphy_params {
    uint64_t trios;
    double symbol_rate;      /* symbols/s per trio */
    double bits_per_symbol;
    double max_payload;      /* bytes per packet */
    uint64_t header_bytes;
    uint64_t footer_bytes;
    double startup;          /* s per transfer */
    double energy_per_bit;   /* J/bit */
} cphy_params;

static const param_spec cphy_specs[] = {
    {"trios", PARAM_UINT, DIM_NONE, offsetof(cphy_params, trios), 1, 4, "3", NULL,
     "3-wire trios (C-PHY: 1-3 typical; assumed 3)"},
    {"symbol_rate", PARAM_QUANTITY, DIM_FREQUENCY, offsetof(cphy_params, symbol_rate), 1e6, 20e9,
     "2.5 GHz", NULL, "symbols/s per trio, as a frequency: 2.5-6 Gsym/s (FACTS.md, approx)"},
    {"bits_per_symbol", PARAM_DOUBLE, DIM_NONE, offsetof(cphy_params, bits_per_symbol), 1, 3,
     "2.2857", NULL, "16 bits per 7 symbols (FACTS.md: ~2.28, approx)"},
    {"max_payload", PARAM_QUANTITY, DIM_BYTES, offsetof(cphy_params, max_payload), 1, 65535,
     "4 KiB", NULL, "payload bytes per packet, <= 65535 (assumed 4 KiB)"},
    {"header_bytes", PARAM_UINT, DIM_NONE, offsetof(cphy_params, header_bytes), 0, 64, "4", NULL,
     "packet header bytes (CSI-2/DSI: 4; FACTS.md, approx)"},
    {"footer_bytes", PARAM_UINT, DIM_NONE, offsetof(cphy_params, footer_bytes), 0, 64, "2", NULL,
     "packet footer bytes (CSI-2/DSI CRC: 2; FACTS.md, approx)"},
    {"startup", PARAM_QUANTITY, DIM_TIME, offsetof(cphy_params, startup), 0, 1e-3, "300 ns", NULL,
     "HS entry + exit per transfer (FACTS.md: ~100s of ns, approx)"},
    {"energy_per_bit", PARAM_QUANTITY, DIM_ENERGY_PER_BIT, offsetof(cphy_params, energy_per_bit), 0,
     1e-9, "5 pJ/bit", NULL, "energy per wire bit, both ends (FACTS.md: 2-10 pJ/bit, assumed)"},
};

static int cphy_create(const void *params, link_model **out, char *err, size_t errlen)
{
    const cphy_params *p = params;
    char v[32];
    if (p->trios < 1) {
        snprintf(err, errlen, "trios: %llu, a C-PHY link has at least one trio",
                 (unsigned long long)p->trios);
        return -1;
    }
    if (!(p->symbol_rate > 0)) {
        unit_format(p->symbol_rate, DIM_FREQUENCY, v, sizeof v);
        snprintf(err, errlen, "symbol_rate: %s, must be positive", v);
        return -1;
    }
    if (!(p->bits_per_symbol > 0)) {
        snprintf(err, errlen, "bits_per_symbol: %g, must be positive", p->bits_per_symbol);
        return -1;
    }
    if (!(p->max_payload >= 1)) {
        unit_format(p->max_payload, DIM_BYTES, v, sizeof v);
        snprintf(err, errlen, "max_payload: %s, a packet must carry at least 1 B", v);
        return -1;
    }
    return link_instance_new(p, sizeof *p, out, err, errlen);
}

static link_cost cphy_transfer(const link_model *m, uint64_t payload_bytes)
{
    if (payload_bytes == 0) return (link_cost){0.0, 0.0, 0};
    const cphy_params *p = link_instance_params(m);
    uint64_t wire = link_packet_wire_bytes(payload_bytes, (uint64_t)p->max_payload,
                                           p->header_bytes, p->footer_bytes);
    double rate = (double)p->trios * p->symbol_rate * p->bits_per_symbol;
    return link_line_cost(wire, p->startup, rate, p->energy_per_bit);
}

const link_model_ops link_mipi_cphy_ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION,
    .name = "mipi_cphy",
    .description = "MIPI C-PHY: 3-wire trios at ~2.28 bit/symbol, packet framing, HS entry/exit",
    LINK_OPS_PARAMS(cphy_specs, cphy_params),
    .create = cphy_create,
    .transfer = cphy_transfer,
    .destroy = link_instance_free,
};
