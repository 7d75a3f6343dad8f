// TLM-2.0 sockets for blocking transport only (loosely timed), which is all
// the engine uses. The convenience sockets of tlm_utils give every socket a
// payload event queue, events and spawn helpers for the non-blocking
// protocol, each a named object in the kernel's tables at elaboration: a
// third of the elaboration of a 64-chip point, for nothing b_transport
// uses. A call goes through exactly as it did: the initiator's
// socket->b_transport() reaches the target module's member function.
#ifndef MCUSIM_LT_SOCKET_H
#define MCUSIM_LT_SOCKET_H

#include <systemc>
#include <tlm>

namespace mcusim {

// Target: b_transport goes to a member function of the owner; the
// non-blocking and debug calls are answered as unsupported.
template <typename M>
class lt_target_socket : public tlm::tlm_target_socket<32> {
public:
    using callback = void (M::*)(tlm::tlm_generic_payload &, sc_core::sc_time &);
    lt_target_socket(const char *name, M *owner, callback cb)
        : tlm::tlm_target_socket<32>(name), fw_(owner, cb)
    {
        bind(fw_);
    }

private:
    struct fw : tlm::tlm_fw_transport_if<> {
        fw(M *m, callback cb) : m_(m), cb_(cb) {}
        void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &t) override
        {
            (m_->*cb_)(gp, t);
        }
        tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &,
                                           sc_core::sc_time &) override
        {
            gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
            return tlm::TLM_COMPLETED;
        }
        bool get_direct_mem_ptr(tlm::tlm_generic_payload &, tlm::tlm_dmi &) override { return false; }
        unsigned int transport_dbg(tlm::tlm_generic_payload &) override { return 0; }
        M *m_;
        callback cb_;
    } fw_;
};

// Initiator: the backward path, never used by blocking transport.
class lt_initiator_socket : public tlm::tlm_initiator_socket<32> {
public:
    explicit lt_initiator_socket(const char *name) : tlm::tlm_initiator_socket<32>(name)
    {
        bind(bw_);
    }

private:
    struct bw : tlm::tlm_bw_transport_if<> {
        tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &, tlm::tlm_phase &,
                                           sc_core::sc_time &) override
        {
            return tlm::TLM_COMPLETED;
        }
        void invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) override {}
    } bw_;
};

} // namespace mcusim

#endif
