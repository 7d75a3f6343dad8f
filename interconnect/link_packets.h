/* Packetisation shared by the MIPI PHY models: a payload is cut into packets
 * of at most max_payload bytes, each framed by a header and a footer (CSI-2 /
 * DSI long packets: 4 B header, 2 B CRC footer). Internal to interconnect/. */
#ifndef MCUSIM_LINK_PACKETS_H
#define MCUSIM_LINK_PACKETS_H

#include <stdint.h>

static inline uint64_t link_packet_count(uint64_t payload_bytes, uint64_t max_payload)
{
    return max_payload ? (payload_bytes + max_payload - 1) / max_payload : 1;
}

/* Bytes on the wire: the payload plus the framing of every packet. */
static inline uint64_t link_packet_wire_bytes(uint64_t payload_bytes, uint64_t max_payload,
                                              uint64_t header_bytes, uint64_t footer_bytes)
{
    return payload_bytes +
           link_packet_count(payload_bytes, max_payload) * (header_bytes + footer_bytes);
}

#endif
