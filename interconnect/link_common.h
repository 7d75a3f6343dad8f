/* What the built-in link models with parameters (mipi_dphy, mipi_cphy,
 * serdes) would otherwise each write out again: an instance that is nothing
 * but a private copy of the bound parameters, the params fields of the ops
 * table, and the pricing of a serial line every one of them ends with. Each
 * model keeps its own validation and its own wire-byte and bit-rate physics.
 * Internal to interconnect/: examples/lossy_link.c deliberately does not use
 * it, so that the example stays one file a user can copy and build alone. */
#ifndef MCUSIM_LINK_COMMON_H
#define MCUSIM_LINK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "../core/link.h"

/* The .params, .n_params and .params_size of a link_model_ops initializer,
 * taken from one spec array and the struct it binds into, so the count and
 * the size cannot drift from what they describe. */
#define LINK_OPS_PARAMS(specs, params_type)                                             \
    .params = (specs), .n_params = sizeof(specs) / sizeof((specs)[0]),                  \
    .params_size = sizeof(params_type)

/* create() after validation: *out becomes a heap copy of the `size` bytes at
 * `params` (the caller's bound struct, which cfg_bind's caller frees).
 * -1 with "out of memory" in err if the copy cannot be made. */
int link_instance_new(const void *params, size_t size, link_model **out, char *err,
                      size_t errlen);

/* The parameters an instance made by link_instance_new holds. */
const void *link_instance_params(const link_model *m);

/* destroy() of an instance made by link_instance_new. */
void link_instance_free(link_model *m);

/* One transfer of wire_bytes over a serial line of `bits_per_s` (all lanes
 * together) that costs `setup_s` once per transfer and `energy_per_bit` per
 * wire bit: time = setup + 8·wire / rate, energy = 8·wire·energy_per_bit. */
link_cost link_line_cost(uint64_t wire_bytes, double setup_s, double bits_per_s,
                         double energy_per_bit);

#endif
