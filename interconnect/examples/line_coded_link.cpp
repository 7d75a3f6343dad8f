// Example out-of-tree link model in C++: the C ABI of core/link.h works from
// C++ as it is. A serial link with a line code (8b/10b: 10 wire bits per
// byte) and a fixed set-up per transfer, split into packets with a header:
//
//   packets    = ceil(payload / max_payload)
//   wire bytes = (payload + packets * header_bytes) * code_bits / 8
//   time       = setup + wire bytes * 8 / lane_rate / lanes
//   energy     = wire bytes * 8 * energy_per_bit
//
// The model is a class; mcusim sees only the table of plain functions and
// the one extern "C" symbol. Build it like any plug-in (interconnect/README
// "Writing a link model"): g++ -std=c++17 -O2 -fPIC -shared -I core ...
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <new>

#include "link.h"

namespace {

struct params {
    double lane_rate;       // bit/s per lane
    uint64_t lanes;
    double setup;           // s per transfer
    double max_payload;     // bytes per packet
    uint64_t header_bytes;  // per packet
    uint64_t code_bits;     // wire bits per byte (10 for 8b/10b)
    double energy_per_bit;  // J per wire bit, both ends
};

const param_spec specs[] = {
    {"lane_rate", PARAM_QUANTITY, DIM_BITRATE, offsetof(params, lane_rate), 1e3, 1e12, "2.5 Gbps",
     nullptr, "line rate per lane (example value)"},
    {"lanes", PARAM_UINT, DIM_NONE, offsetof(params, lanes), 1, 64, "1", nullptr,
     "lanes striped in parallel (example value)"},
    {"setup", PARAM_QUANTITY, DIM_TIME, offsetof(params, setup), 0, 1, "500 ns", nullptr,
     "fixed cost per transfer: link training, DMA descriptors (example value)"},
    {"max_payload", PARAM_QUANTITY, DIM_BYTES, offsetof(params, max_payload), 1, 1e6, "2 KiB",
     nullptr, "payload bytes per packet (example value)"},
    {"header_bytes", PARAM_UINT, DIM_NONE, offsetof(params, header_bytes), 0, 1024, "8", nullptr,
     "header and CRC bytes per packet (example value)"},
    {"code_bits", PARAM_UINT, DIM_NONE, offsetof(params, code_bits), 8, 64, "10", nullptr,
     "wire bits per byte of the line code: 10 for 8b/10b (example value)"},
    {"energy_per_bit", PARAM_QUANTITY, DIM_ENERGY_PER_BIT, offsetof(params, energy_per_bit), 0,
     1e-9, "3 pJ/bit", nullptr, "energy per wire bit, both ends (example value)"},
};

class line_coded {
public:
    explicit line_coded(const params &p) : p_(p) {}
    link_cost transfer(uint64_t payload) const
    {
        link_cost c{0.0, 0.0, 0};
        if (payload == 0) return c;
        auto max = static_cast<uint64_t>(p_.max_payload);
        uint64_t packets = (payload + max - 1) / max;
        uint64_t framed = payload + packets * p_.header_bytes;
        c.wire_bytes = (framed * p_.code_bits + 7) / 8;
        double bits = static_cast<double>(c.wire_bytes) * 8.0;
        c.time_s = p_.setup + bits / (p_.lane_rate * static_cast<double>(p_.lanes));
        c.energy_j = bits * p_.energy_per_bit;
        return c;
    }

private:
    params p_;
};

}  // namespace

// The instance type core/link.h declares: here a wrapper around the class.
struct link_model {
    line_coded impl;
};

namespace {

int create(const void *bound, link_model **out, char *err, size_t errlen)
{
    const auto *p = static_cast<const params *>(bound);
    // A message starting with its key is reported at that key's FILE:LINE:COL.
    if (!(p->lane_rate > 0)) {
        std::snprintf(err, errlen, "lane_rate: %g bit/s, must be positive", p->lane_rate);
        return -1;
    }
    if (p->lanes == 0) {
        std::snprintf(err, errlen, "lanes: 0, a link needs a lane");
        return -1;
    }
    if (!(p->max_payload >= 1)) {
        std::snprintf(err, errlen, "max_payload: %g B, a packet must carry at least 1 B",
                      p->max_payload);
        return -1;
    }
    *out = new (std::nothrow) link_model{line_coded(*p)};
    if (!*out) {
        std::snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

link_cost transfer(const link_model *m, uint64_t payload_bytes)
{
    return m->impl.transfer(payload_bytes);
}

void destroy(link_model *m)
{
    delete m;
}

const link_model_ops ops = {
    MCUSIM_LINK_ABI_VERSION,
    "line_coded",
    "example C++ plug-in: serial link with a line code, packets and a set-up per transfer",
    specs,
    sizeof specs / sizeof specs[0],
    sizeof(params),
    create,
    transfer,
    destroy,
};

}  // namespace

// The one symbol mcusim looks for (MCUSIM_LINK_SYMBOL), with C linkage.
extern "C" const link_model_ops *mcusim_link_model(void)
{
    return &ops;
}
