// A chip's off-chip memory port as a TLM-2.0 target: one access at a time.
// The node model prices the access (tx_ext::busy) and says which of its
// memory levels goes through the port (node_layout.stream_level); the
// target serialises.
#ifndef MCUSIM_MEMORY_PORT_H
#define MCUSIM_MEMORY_PORT_H

#include <systemc>
#include <tlm>

#include "lt_socket.h"

#include "sysc_internal.h"

namespace mcusim {

class memory_port : public sc_core::sc_module {
public:
    lt_target_socket<memory_port> socket;
    memory_port(sc_core::sc_module_name name, run_context *ctx);

private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    run_context *ctx_;
    sc_core::sc_time busy_until_;
};

} // namespace mcusim

#endif
