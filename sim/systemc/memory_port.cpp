#include "memory_port.h"

namespace mcusim {

memory_port::memory_port(sc_core::sc_module_name name, run_context *ctx)
    : sc_module(name), socket("socket", this, &memory_port::b_transport), ctx_(ctx),
      busy_until_(sc_core::SC_ZERO_TIME)
{
}

// Loosely timed: no wait() here, the finish time goes back as annotated delay.
void memory_port::b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay)
{
    tx_ext *x = nullptr;
    gp.get_extension(x);
    if (!x) {
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    sc_core::sc_time issue = sc_core::sc_time_stamp() + delay;
    x->start = issue > busy_until_ ? issue : busy_until_;
    x->end = x->start + x->busy;
    busy_until_ = x->end;
    delay = x->end - sc_core::sc_time_stamp();
    ctx_->events++;
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

} // namespace mcusim
