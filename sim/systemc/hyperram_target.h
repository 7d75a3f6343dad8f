// A chip's HyperRAM as a TLM-2.0 target: one access at a time on its port.
// The node model prices the access (tx_ext::busy); the target serialises.
#ifndef MCUSIM_HYPERRAM_TARGET_H
#define MCUSIM_HYPERRAM_TARGET_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "sysc_internal.h"

namespace mcusim {

class hyperram_target : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<hyperram_target> socket;
    hyperram_target(sc_core::sc_module_name name, run_context *ctx);

private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    run_context *ctx_;
    sc_core::sc_time busy_until_;
};

} // namespace mcusim

#endif
