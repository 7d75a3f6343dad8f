/* Nothing a link model hands mcusim is trusted: neither its parameter table
 * (an offset past params_size would make binding write outside the struct)
 * nor what transfer() returns (a NaN, negative or huge time would flow into
 * the results as a plausible-looking number). Built-ins and plug-ins go
 * through the same checks; every message names the model and where it
 * came from. */
#ifndef MCUSIM_LINK_CHECK_H
#define MCUSIM_LINK_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "../core/link.h"

/* The sane bounds of one transfer: at most this long, this much energy,
 * and wire bytes at most LINK_MAX_WIRE_FACTOR x payload + LINK_MAX_WIRE_EXTRA
 * (framing, line codes and retransmissions stay far below). */
#define LINK_MAX_TIME_S 1e6
#define LINK_MAX_ENERGY_J 1e6
#define LINK_MAX_WIRE_FACTOR 1024u
#define LINK_MAX_WIRE_EXTRA ((uint64_t)1 << 20)

/* "link plug-in 'NAME' (PATH)" or "link model 'NAME' (built-in)" into buf:
 * how messages name a model. plugin_path NULL or "" means built-in. */
void link_describe(const link_model_ops *ops, const char *plugin_path, char *buf, size_t len);

/* Every entry of ops->params: key (non-empty, unique, not 'model' or
 * 'plugin', not both a value and a map), known type and unit dimension,
 * offset + size of its type within params_size and aligned, min <= max,
 * enum names present, a default that parses and lies in range; and the
 * description every listing prints. 0, or -1 with "WHO: params[i] 'key':
 * problem" in err (WHO from link_describe). */
int link_ops_check(const link_model_ops *ops, const char *plugin_path, char *err,
                   size_t errlen);

/* One transfer() result for payload bytes: time finite, >= 0, at most
 * LINK_MAX_TIME_S; energy finite, >= 0, at most LINK_MAX_ENERGY_J; wire
 * bytes >= payload and within the bound above. 0, or -1 with "WHO:
 * transfer(bytes=N) returned time_s = V: must be ..." in err. `who` is a
 * link_describe text. */
int link_cost_check(const char *who, uint64_t payload, const link_cost *c, char *err,
                    size_t errlen);

#endif
