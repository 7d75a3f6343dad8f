/* The nodes of one system when chips differ (system.chips): what the
 * layers above see as the system's layout, and each node's place in it. A
 * node model prices an op over its own components; the engine, the
 * statistics and the reports index every chip alike, so the system's
 * components are every node's, merged in order (component_set_merge: one
 * node's list unchanged, another's extra components next to their
 * neighbours), and each node's costs are moved onto them. Memory levels
 * are indexed by the node models themselves (a buffer's home, an op's
 * bytes), so the nodes of one system must declare the levels they share
 * at the same positions (a node may have more, after them), and stream
 * off chip through the same level and component, or one of them not at
 * all. */
#ifndef MCUSIM_POINT_NODES_H
#define MCUSIM_POINT_NODES_H

#include <stddef.h>
#include <stdint.h>

#include "../../models/node.h"

/* nodes[i] may be NULL (not used): skipped. Fills out with the system's
 * layout and map[i][k] with where component k of nodes[i] sits in it (map
 * may be NULL). 0, or -1 with a one-line reason naming names[i] (the
 * section of the node that does not fit with those before it). */
int point_nodes_layout(node_model *const *nodes, const char *const *names, size_t n,
                       node_layout *out, uint8_t (*map)[COMPONENTS_MAX], char *err,
                       size_t errlen);

/* Moves a cost over a node's own components (`in`) onto the system's
 * (map: point_nodes_layout's row of that node; n_comp its components). */
void point_nodes_cost_onto(const op_cost *in, const uint8_t *map, uint32_t n_comp,
                           op_cost *out);

#endif
