/* The conformance harness of `mcusim links --check`: the properties every
 * link model (built-in or plug-in) must have, checked by calling it, so a
 * plug-in author can run it in CI. */
#ifndef MCUSIM_LINK_CONFORMANCE_H
#define MCUSIM_LINK_CONFORMANCE_H

#include <stddef.h>
#include <stdio.h>

#include "../../core/link.h"

/* Binds the model's parameters (defaults, then each "key=value" of sets),
 * then checks and prints one line per property to out:
 *   table            the parameter table passes the load-time checks
 *   round-trip       the bound values, printed as `validate` prints them and
 *                    bound again, are the same bytes
 *   create           an instance builds from them
 *   finite           every probed result is finite and non-negative (and
 *                    within the bounds every run checks, link_check.h)
 *   monotone         time, energy and wire bytes never fall as the payload grows
 *   zero-bytes       moving 0 bytes costs no more than moving 1 (the set-up)
 *   deterministic    the same call, and a second instance, give the same result
 * Returns the number of failed properties, or -1 (message in err) when the
 * parameters cannot be bound at all. */
int link_conformance(const link_model_ops *ops, const char *plugin_path,
                     const char *const *sets, size_t n_sets, FILE *out, char *err,
                     size_t errlen);

#endif
