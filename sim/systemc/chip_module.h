// One chip: an SC_THREAD walking its chip_program. Compute ops wait the node
// model's cycles (off-chip traffic goes to the chip's memory port), sends
// are TLM-2.0 transactions with the real payload through the link to the
// peer, receives block on the mailbox, barriers on the shared barrier.
#ifndef MCUSIM_CHIP_MODULE_H
#define MCUSIM_CHIP_MODULE_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#include "lt_socket.h"

#include "sysc_internal.h"

namespace mcusim {

class chip_module : public sc_core::sc_module {
public:
    using isocket = lt_initiator_socket;
    isocket mem_socket;                               // to this chip's memory port
    std::map<uint32_t, std::unique_ptr<isocket>> link_sockets;   // by peer

    SC_HAS_PROCESS(chip_module);
    chip_module(sc_core::sc_module_name name, run_context *ctx, uint32_t chip);
    isocket &link_socket(uint32_t peer);

private:
    void run();
    bool step(const prog_op &op);
    bool compute(const prog_op &op);
    bool send(const prog_op &op);
    // A send on the wire: what its process needs once the chip has moved on.
    struct transfer {
        const prog_op *op = nullptr;    // the send (its label names it in messages)
        uint32_t peer = 0, tag = 0, inference = 0;
        uint64_t bytes = 0;
        int32_t buf = -1;
        std::vector<uint8_t> payload;   // copied at issue; empty in timing-only runs
        bool done = false;
        sc_core::sc_time start;         // on the wire from (set when done)
        size_t row = SIZE_MAX;          // the send's op row (--stats ops), or none
    };
    void wire(std::shared_ptr<transfer> t);
    static void wire_loop(run_context *ctx, wire_worker *w);
    void wait_sends_from(int32_t buf);
    bool recv(const prog_op &op);
    std::string who(const prog_op &op) const;
    bool node_side(const prog_op &op, op_cost &c);
    void barrier_wait();
    void add_cost(const op_cost &c, const sc_core::sc_time &from);
    uint64_t abs_cycles(const sc_core::sc_time &t) const;
    void book(uint32_t k, const sc_core::sc_time &until);
    void book_op(const uint64_t (&parts)[COMPONENTS_MAX], const sc_core::sc_time &until);
    void slice(const prog_op &op, const sc_core::sc_time &start, uint64_t cycles, uint64_t bytes);
    // --stats ops: the row booked from now on (op_stats.h), and the one
    // being booked (nullptr when rows are not collected).
    void open_row(op_row_kind kind, const prog_op *op, uint32_t index);
    op_record *row();

    run_context *ctx_;
    uint32_t chip_;
    chip_program *prog_;
    chip_stats *st_;
    // From the node's layout: how many components, where the engine's link
    // and wait are, and the off-chip stream's level and component (-1: none).
    uint32_t n_comp_, link_, wait_;
    int32_t stream_level_, stream_comp_;
    // Simulated time up to which time_cycles has been attributed; every
    // stretch of this chip's timeline is booked exactly once, in order.
    sc_core::sc_time booked_ = sc_core::SC_ZERO_TIME;
    // Sends whose payload is still on the wire, in all and per buffer.
    std::vector<std::shared_ptr<transfer>> in_flight_;
    lazy_event send_done_;
    // This chip's rows (ctx_->ops[chip_]) when collected, else nullptr.
    std::vector<op_record> *rows_ = nullptr;
};

} // namespace mcusim

#endif
