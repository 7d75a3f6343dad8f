/* The node model's own results are checked like a link plug-in's: a NaN or
 * negative energy or an absurd cycle count from a cost formula (a parameter
 * corner nobody tried) would otherwise reach the results as a number. */
#ifndef MCUSIM_OP_COST_CHECK_H
#define MCUSIM_OP_COST_CHECK_H

#include <stddef.h>

#include "node.h"

/* Cycle counts beyond this cannot be converted to and from time exactly
 * (llround, a double mantissa far exceeded): a run longer than this is
 * refused anyway. */
#define OP_MAX_CYCLES ((uint64_t)1 << 62)

/* Over the components of s (the node's layout): every energy finite and
 * >= 0; cycles and each component's cycles at most
 * OP_MAX_CYCLES. 0, or -1 with "returned energy_j[cluster] = nan J: must
 * be finite and >= 0" (what and why, the caller says which op) in err. */
int node_op_cost_check(const op_cost *c, const component_set *s, char *err, size_t errlen);

#endif
