/* Which link model carries each directed chip pair (system.link for all,
 * system.links overrides by level or by pair). Built once per point from
 * the expanded program, so the timing hook only looks a pair up. */
#ifndef MCUSIM_LINK_MAP_H
#define MCUSIM_LINK_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "../core/link.h"
#include "topology.h"

typedef struct link_map link_map;   /* opaque */

typedef struct link_map_rule {
    uint32_t level;                 /* >= 1: every pair whose sends the schedule put at this
                                       level (prog_op.level: a collective's level among its
                                       ranks, inside its group when it runs in one) */
    const uint32_t (*pairs)[2];     /* level 0: these directed (src, dst) pairs */
    size_t n_pairs;
    const link_model_ops *ops;
    const void *params;             /* bound parameters, handed to ops->create */
    const char *name;               /* the model in messages (link_describe) */
    const char *where;              /* the rule in messages ("system.links[1]") */
} link_map_rule;

/* One model instance for the default (dflt: its level and pairs are
 * ignored) and one per rule; every pair p's sends use gets the rule that
 * names it, or the default. Pairs naming a chip outside p are skipped (a
 * smaller point of a sweep). NULL with a one-line reason when a model
 * refuses its parameters, a level rule meets a collective without levels,
 * or two rules name the same pair. */
link_map *link_map_create(const system_topology *t, const system_program *p,
                          const link_map_rule *dflt, const link_map_rule *rules, size_t n_rules,
                          char *err, size_t errlen);
void link_map_destroy(link_map *m);

/* Time and energy of `bytes` over the idle link src -> dst, and the
 * name of its model; any pair not in the schedule is the default's. */
link_cost link_map_transfer(const link_map *m, uint32_t src, uint32_t dst, uint64_t bytes);
const char *link_map_name(const link_map *m, uint32_t src, uint32_t dst);
/* The rule carrying src -> dst (its index), or -1 for the default. */
int link_map_rule_of(const link_map *m, uint32_t src, uint32_t dst);

#endif
