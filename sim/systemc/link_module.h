// One direction of a chip-to-chip link as a TLM-2.0 target. The link model
// prices a transfer; the link carries one transfer at a time (busy-until), so
// contention shows up as waiting; with shared PHYs the sender's TX and the
// receiver's RX are also held for the transfer. On completion the real payload bytes are
// in the receiver's mailbox (the sender's wire process returns then).
#ifndef MCUSIM_LINK_MODULE_H
#define MCUSIM_LINK_MODULE_H

#include <systemc>
#include <tlm>

#include "lt_socket.h"

#include "sysc_internal.h"

namespace mcusim {

class link_module : public sc_core::sc_module {
public:
    lt_target_socket<link_module> socket;
    link_module(sc_core::sc_module_name name, run_context *ctx, uint32_t src, uint32_t dst,
                int trace_tid);

private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    run_context *ctx_;
    uint32_t src_, dst_;
    int trace_tid_;
    sc_core::sc_time busy_until_;
};

} // namespace mcusim

#endif
