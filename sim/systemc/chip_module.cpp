#include "chip_module.h"

#include <cmath>
#include <cstring>
#include <string>

extern "C" {
#include "../../workloads/kernels/kernels.h"
}

namespace mcusim {

using sc_core::sc_time;
using sc_core::sc_time_stamp;

chip_module::chip_module(sc_core::sc_module_name name, run_context *ctx, uint32_t chip)
    : sc_module(name), mem_socket("mem_socket"), ctx_(ctx), chip_(chip),
      prog_(&ctx->prog->chips[chip]), st_(&ctx->stats[chip]),
      n_comp_(ctx->hooks->layout->components.n),
      link_(ctx->hooks->layout->components.system[SYSTEM_LINK]),
      wait_(ctx->hooks->layout->components.system[SYSTEM_WAIT]),
      stream_level_(ctx->hooks->layout->stream_level),
      stream_comp_(ctx->hooks->layout->stream_component)
{
    // Ports can only be made inside the constructor: one per peer sent to.
    for (uint32_t i = 0; i < prog_->n_ops; i++) {
        const prog_op &op = prog_->ops[i];
        if (op.kind != OP_SEND || op.peer < 0 || (uint32_t)op.peer == chip ||
            (uint32_t)op.peer >= ctx->prog->n_chips)
            continue;
        auto &s = link_sockets[(uint32_t)op.peer];
        if (!s) s.reset(new isocket(("link_to_" + std::to_string(op.peer)).c_str()));
    }
    if (ctx->collect_ops) rows_ = &ctx->ops[chip];
    SC_THREAD(run);
}

chip_module::isocket &chip_module::link_socket(uint32_t peer)
{
    return *link_sockets.at(peer);
}

// The buffer an op overwrites (its output; in place for RoPE; the receive
// buffer), or -1.
static int32_t written_buffer(const prog_op &op)
{
    if (op.kind == OP_RECV || op.kind == OP_ROPE) return op.in[0];
    return op.kind == OP_SEND ? -1 : op.out;
}

// A new row starts where the previous one ended (booked_): the rows of a
// chip tile its timeline, waits before an op included.
void chip_module::open_row(op_row_kind kind, const prog_op *op, uint32_t index)
{
    if (!rows_) return;
    if (!rows_->empty()) rows_->back().end_cycle = abs_cycles(booked_);
    op_record r;
    memset(&r, 0, sizeof r);
    r.chip = chip_;
    r.row = kind;
    r.index = index;
    if (op) {
        r.kind = op->kind;
        snprintf(r.label, sizeof r.label, "%s", op->label[0] ? op->label : op_kind_name(op->kind));
    } else {
        snprintf(r.label, sizeof r.label, "%s", op_row_kind_name(kind));
    }
    r.start_cycle = r.end_cycle = abs_cycles(booked_);
    rows_->push_back(r);
}

op_record *chip_module::row()
{
    return rows_ && !rows_->empty() ? &rows_->back() : nullptr;
}

void chip_module::run()
{
    for (uint32_t i = 0; i < prog_->n_ops; i++) {
        ctx_->pc[chip_] = i;
        open_row(OP_ROW_OP, &prog_->ops[i], i);
        int32_t writes = written_buffer(prog_->ops[i]);
        if (writes >= 0) wait_sends_from(writes);
        if (!step(prog_->ops[i])) return;
        ctx_->note_done(prog_->ops[i].inference);
    }
    open_row(OP_ROW_DRAIN, nullptr, 0);
    wait_sends_from(-1);   /* the program ends when its last transfer has landed */
    if (op_record *r = row()) r->end_cycle = abs_cycles(booked_);
    ctx_->finished[chip_] = true;
    st_->finish_s = sc_time_stamp().to_seconds();
}

bool chip_module::step(const prog_op &op)
{
    switch (op.kind) {
    case OP_SEND: return send(op);
    case OP_RECV: return recv(op);
    case OP_BARRIER: barrier_wait(); return true;
    case OP_REDUCE:
    case OP_BCAST:
    case OP_ALLREDUCE:
        ctx_->fail("chip " + std::to_string(chip_) + ": op '" + op.label +
                   "': collective was not expanded by the topology");
        return false;
    default: return compute(op);
    }
}

// The op's node-side cost, which ran from `from` until now: to the chip's
// totals, to the op's row, and to the trace's power and bandwidth counters.
void chip_module::add_cost(const op_cost &c, const sc_time &from)
{
    double energy = 0;
    for (uint32_t k = 0; k < n_comp_; k++) {
        st_->busy_cycles[k] += c.busy_cycles[k];
        st_->energy_j[k] += c.energy_j[k];
        energy += c.energy_j[k];
    }
    if (stream_level_ >= 0) st_->offchip_bytes += c.bytes[stream_level_];
    uint32_t n_levels = ctx_->hooks->layout->levels.n;
    if (op_record *r = row()) {
        for (uint32_t k = 0; k < n_comp_; k++) r->energy_j[k] += c.energy_j[k];
        for (uint32_t l = 0; l < n_levels && l < MEM_LEVELS_MAX; l++) r->bytes[l] += c.bytes[l];
    }
    if (ctx_->trace)
        ctx_->trace->activity(chip_, from.to_seconds(), sc_time_stamp().to_seconds(), energy,
                              c.bytes);
}

// Critical-path attribution works on absolute cycle counts: a stretch
// [booked_, until) adds cycles(until) - cycles(booked_), so the stretches
// telescope and their sum is exactly cycles(finish) - however each one rounds.
uint64_t chip_module::abs_cycles(const sc_time &t) const
{
    return ctx_->time_to_cycles(t);
}

void chip_module::book(uint32_t k, const sc_time &until)
{
    if (until <= booked_) return;
    uint64_t d = abs_cycles(until) - abs_cycles(booked_);
    st_->time_cycles[k] += d;
    if (op_record *r = row()) r->time_cycles[k] += d;
    booked_ = until;
}

// Books [booked_, until) split as `parts` (an op's own partition, in cycles).
// The stretch in absolute cycles can differ from sum(parts) by a rounding
// cycle (op times are femtosecond-rounded, link times are not whole cycles);
// that residue goes to the largest part, where it matters least.
void chip_module::book_op(const uint64_t (&parts)[COMPONENTS_MAX], const sc_time &until)
{
    if (until < booked_) return;
    uint64_t span = abs_cycles(until) - abs_cycles(booked_);
    booked_ = until;
    uint64_t p[COMPONENTS_MAX] = {0}, sum = 0;
    uint32_t big = 0;
    for (uint32_t k = 0; k < n_comp_; k++) {
        p[k] = parts[k];
        sum += p[k];
        if (p[k] > p[big]) big = k;
    }
    if (span >= sum) {
        p[big] += span - sum;
    } else {
        // Only rounding gets here; take the excess off the largest parts first.
        uint64_t excess = sum - span;
        while (excess > 0) {
            big = 0;
            for (uint32_t k = 1; k < n_comp_; k++)
                if (p[k] > p[big]) big = k;
            uint64_t take = p[big] < excess ? p[big] : excess;
            p[big] -= take;
            excess -= take;
        }
    }
    op_record *r = row();
    for (uint32_t k = 0; k < n_comp_; k++) {
        st_->time_cycles[k] += p[k];
        if (r) r->time_cycles[k] += p[k];
    }
}

void chip_module::slice(const prog_op &op, const sc_time &start, uint64_t cycles, uint64_t bytes)
{
    if (!ctx_->trace) return;
    ctx_->trace->chip_slice(chip_, op.label[0] ? op.label : op_kind_name(op.kind),
                            op_kind_name(op.kind), start.to_seconds(),
                            (sc_time_stamp() - start).to_seconds(), cycles, bytes);
}

static const prog_buffer *buffer_of(const chip_program *c, int32_t id)
{
    return id >= 0 && (uint32_t)id < c->n_bufs ? &c->bufs[id] : nullptr;
}

// Compute and DMA ops: the node model's cycles; bytes at the node's
// off-chip level also occupy the chip's memory port, which can only stretch
// the op.
bool chip_module::compute(const prog_op &op)
{
    op_cost c{};
    std::string why;
    if (!checked_op_cost(ctx_->hooks, prog_, op, c, why)) {
        ctx_->fail(why);
        return false;
    }
    // c counts this chip's clock (its time); r the run's (what is booked)
    op_cost r = ctx_->on_run_clock(chip_, c);
    sc_time start = sc_time_stamp();
    sc_time t = ctx_->cycles_to_time(chip_, c.cycles);
    uint64_t offchip = stream_level_ >= 0 ? c.bytes[stream_level_] : 0;
    if (offchip > 0) {
        tlm::tlm_generic_payload gp;
        tx_ext x;
        x.busy = ctx_->cycles_to_time(chip_, c.busy_cycles[stream_comp_]);
        const prog_buffer *b = buffer_of(prog_, op.in[0]);
        bool has_data = b && b->data && prog_buffer_bytes(b) >= offchip;
        gp.set_command(op.kind == OP_DMA && op.dst_level == stream_level_ ? tlm::TLM_WRITE_COMMAND
                                                                          : tlm::TLM_READ_COMMAND);
        gp.set_address(0);
        gp.set_data_ptr(has_data ? (unsigned char *)b->data : nullptr);
        gp.set_data_length((unsigned)offchip);
        gp.set_streaming_width((unsigned)offchip);
        gp.set_extension(&x);
        sc_time delay = sc_core::SC_ZERO_TIME;
        mem_socket->b_transport(gp, delay);
        gp.clear_extension(&x);
        if (delay > t) t = delay;
    }
    if (ctx_->functional && op_is_compute(op.kind) && ctx_->hooks->exec_op) {
        char err[256] = "";
        if (ctx_->hooks->exec_op(ctx_->hooks->ctx, prog_, &op, err, sizeof err) != 0) {
            ctx_->fail("chip " + std::to_string(chip_) + ": op '" + op.label + "': " + err);
            return false;
        }
    }
    wait(t);
    ctx_->events++;
    add_cost(r, start);
    uint64_t spent = ctx_->time_to_cycles(t);
    if (spent > r.cycles) st_->busy_cycles[wait_] += spent - r.cycles;
    // A stretch by the shared memory port is waiting on memory, not idling
    // (only an op with off-chip bytes can be stretched, so stream_comp_ is set).
    uint64_t parts[COMPONENTS_MAX];
    memcpy(parts, r.time_cycles, sizeof parts);
    if (spent > r.cycles && stream_comp_ >= 0) parts[stream_comp_] += spent - r.cycles;
    book_op(parts, sc_time_stamp());
    slice(op, start, (uint64_t)llround(t.to_seconds() * ctx_->chip_clock(chip_)), offchip);
    return true;
}

// The node side of a send or receive (descriptor, DMA between the buffer and
// the link peripheral, the accumulate of a receive): the node model's cycles,
// booked as the model partitions them. Shared so both directions account for
// it alike. False (the run has failed) when the model has no cost for op.
bool chip_module::node_side(const prog_op &op, op_cost &c)
{
    std::string why;
    if (!checked_op_cost(ctx_->hooks, prog_, op, c, why)) {
        ctx_->fail(why);
        return false;
    }
    sc_time from = sc_time_stamp();
    wait(ctx_->cycles_to_time(chip_, c.cycles));
    ctx_->events++;
    op_cost r = ctx_->on_run_clock(chip_, c);   // booked in the run's cycles
    add_cost(r, from);
    book_op(r.time_cycles, sc_time_stamp());
    return true;
}

// "chip 3: send 'b0.attn.reduce'": the start of a failure message, made
// only when one is needed.
std::string chip_module::who(const prog_op &op) const
{
    return "chip " + std::to_string(chip_) + ": " + (op.kind == OP_SEND ? "send" : "recv") +
           " '" + op.label + "'";
}

// The node side (descriptor) on the chip's own timeline; then the link
// peripheral's uDMA streams the payload on its own, as on PULP SoCs, so the
// wire runs in a process of its own while the chip goes on with its
// program. The chip waits for a transfer only when it would overwrite the
// buffer being sent (wait_sends_from) and at the end of its program. The
// payload is copied when the send is issued: what arrives is what was sent.
bool chip_module::send(const prog_op &op)
{
    if (op.peer < 0 || (uint32_t)op.peer >= ctx_->prog->n_chips || (uint32_t)op.peer == chip_) {
        ctx_->fail(who(op) + ": bad peer " + std::to_string(op.peer));
        return false;
    }
    const prog_buffer *b = buffer_of(prog_, op.in[0]);
    if (b && op.offset + op.bytes > prog_buffer_bytes(b)) {
        ctx_->fail(who(op) + ": offset+bytes beyond buffer '" + b->name + "'");
        return false;
    }
    sc_time start = sc_time_stamp();
    op_cost c{};
    if (!node_side(op, c)) return false;
    auto t = std::make_shared<transfer>();
    t->op = &op;
    t->peer = (uint32_t)op.peer;
    t->tag = op.tag;
    t->inference = op.inference;
    t->bytes = op.bytes;
    t->buf = op.in[0];
    if (rows_) t->row = rows_->size() - 1;
    if (ctx_->functional && b && b->data) {
        const uint8_t *from = (const uint8_t *)b->data + op.offset;
        t->payload.assign(from, from + op.bytes);
    }
    in_flight_.push_back(t);
    if (!ctx_->idle_wires.empty()) {
        wire_worker *w = ctx_->idle_wires.back();
        ctx_->idle_wires.pop_back();
        w->chip = this;
        w->job = t;
        w->go.notify();
    } else {
        ctx_->wire_workers.emplace_back(new wire_worker());
        wire_worker *w = ctx_->wire_workers.back().get();
        w->chip = this;
        w->job = t;
        run_context *ctx = ctx_;
        sc_core::sc_spawn([ctx, w]() { wire_loop(ctx, w); });
    }
    slice(op, start, c.cycles, op.bytes);
    return true;
}

void chip_module::wire_loop(run_context *ctx, wire_worker *w)
{
    for (;;) {
        w->chip->wire(std::static_pointer_cast<transfer>(std::move(w->job)));
        ctx->idle_wires.push_back(w);
        sc_core::wait(w->go);
    }
}

// One transfer on the wire (in a wire worker's process): blocks in the link until
// the payload is in the receiver's mailbox, then books it to the sender.
void chip_module::wire(std::shared_ptr<transfer> t)
{
    tlm::tlm_generic_payload gp;
    tx_ext x;
    gp.set_command(tlm::TLM_WRITE_COMMAND);
    gp.set_address(t->tag);
    gp.set_data_ptr(t->payload.empty() ? nullptr : t->payload.data());
    gp.set_data_length((unsigned)t->bytes);
    gp.set_streaming_width((unsigned)t->bytes);
    gp.set_extension(&x);
    sc_time delay = sc_core::SC_ZERO_TIME;
    link_socket(t->peer)->b_transport(gp, delay);
    gp.clear_extension(&x);
    if (gp.get_response_status() != tlm::TLM_OK_RESPONSE) {
        ctx_->fail(who(*t->op) + ": link refused the transaction");
        return;
    }
    if (delay > sc_core::SC_ZERO_TIME) wait(delay);
    st_->busy_cycles[link_] += ctx_->time_to_cycles(x.end - x.start);
    st_->energy_j[link_] += x.cost.energy_j;
    st_->link_bytes_sent += t->bytes;
    st_->link_wire_bytes_sent += x.cost.wire_bytes;
    if (rows_ && t->row < rows_->size()) {
        op_record &r = (*rows_)[t->row];
        r.energy_j[link_] += x.cost.energy_j;
        r.link_bytes += t->bytes;
        r.link_wire_bytes += x.cost.wire_bytes;
    }
    if (ctx_->trace)
        ctx_->trace->activity(chip_, x.start.to_seconds(), x.end.to_seconds(), x.cost.energy_j,
                              nullptr);
    t->start = x.start;
    t->done = true;
    ctx_->note_done(t->inference);
    send_done_.get().notify(sc_core::SC_ZERO_TIME);
}

// Until no transfer of buffer `buf` (any buffer when buf < 0) is on the
// wire. The chip then waits on its own transfers: booked as wait while the
// link still carried earlier messages, as link from when the first of them
// went on the wire.
void chip_module::wait_sends_from(int32_t buf)
{
    sc_time from = sc_time_stamp(), first = from;
    bool waited = false, any = false;
    for (;;) {
        bool pending = false;
        for (const auto &t : in_flight_)
            if (!t->done && (buf < 0 || t->buf == buf)) pending = true;
        if (!pending) break;
        wait(send_done_.get());
        ctx_->events++;
        waited = true;
    }
    for (const auto &t : in_flight_)
        if (waited && (buf < 0 || t->buf == buf) && (!any || t->start < first)) {
            first = t->start;
            any = true;
        }
    // forget what has landed
    size_t k = 0;
    for (size_t i = 0; i < in_flight_.size(); i++)
        if (!in_flight_[i]->done) in_flight_[k++] = in_flight_[i];
    in_flight_.resize(k);
    if (!waited) return;
    if (first > from) {
        st_->busy_cycles[wait_] += ctx_->time_to_cycles(first - from);
        book(wait_, first);
    }
    book(link_, sc_time_stamp());
}

bool chip_module::recv(const prog_op &op)
{
    if (op.peer < 0 || (uint32_t)op.peer >= ctx_->prog->n_chips) {
        ctx_->fail(who(op) + ": bad peer " + std::to_string(op.peer));
        return false;
    }
    sc_time waited_from = sc_time_stamp();
    message m;
    while (!ctx_->mailboxes[chip_]->take((uint32_t)op.peer, op.tag, m)) {
        wait(ctx_->mailboxes[chip_]->arrived.get());
        ctx_->events++;
    }
    st_->busy_cycles[wait_] += ctx_->time_to_cycles(sc_time_stamp() - waited_from);
    book(wait_, sc_time_stamp());
    if (ctx_->trace && sc_time_stamp() > waited_from)
        ctx_->trace->chip_slice(chip_, std::string("wait ") + op.label, "wait",
                                waited_from.to_seconds(),
                                (sc_time_stamp() - waited_from).to_seconds(),
                                ctx_->time_to_cycles(sc_time_stamp() - waited_from), 0);
    if (m.bytes != op.bytes) {
        ctx_->fail(who(op) + ": expected " + std::to_string(op.bytes) + " bytes, got " +
                   std::to_string(m.bytes));
        return false;
    }
    prog_buffer *b = op.in[0] >= 0 && (uint32_t)op.in[0] < prog_->n_bufs ? &prog_->bufs[op.in[0]] : nullptr;
    if (b && op.offset + op.bytes > prog_buffer_bytes(b)) {
        ctx_->fail(who(op) + ": offset+bytes beyond buffer '" + b->name + "'");
        return false;
    }
    if (ctx_->functional && b && b->data && !m.data.empty()) {
        uint8_t *dst = (uint8_t *)b->data + op.offset;
        if (op.accumulate) {
            // Buffers and vectors are malloc-aligned and offsets are in whole
            // int32 elements, so these casts are aligned.
            k_reduce_add_i32((int32_t *)dst, (const int32_t *)m.data.data(), op.bytes / 4);
        } else {
            memcpy(dst, m.data.data(), op.bytes);
        }
    }
    sc_time start = sc_time_stamp();
    op_cost c{};
    if (!node_side(op, c)) return false;
    slice(op, start, c.cycles, op.bytes);
    return true;
}

void chip_module::barrier_wait()
{
    barrier &b = ctx_->bar;
    sc_time from = sc_time_stamp();
    if (++b.arrived == b.parties) {
        b.arrived = 0;
        b.generation++;
        b.released.get().notify();
    } else {
        uint64_t g = b.generation;
        while (b.generation == g) {
            wait(b.released.get());
            ctx_->events++;
        }
    }
    st_->busy_cycles[wait_] += ctx_->time_to_cycles(sc_time_stamp() - from);
    book(wait_, sc_time_stamp());
}

} // namespace mcusim
