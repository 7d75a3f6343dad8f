/* The system's collective topology: which collective algorithm (an entry
 * of the collectives registry) with which parameters, and how a chip's
 * links share its PHYs. topology_expand rewrites every OP_REDUCE / OP_BCAST
 * of a program into OP_SEND / OP_RECV steps. The schedule is data (the ops
 * of each chip's program), so `--dump-program` shows exactly what runs. */
#ifndef MCUSIM_TOPOLOGY_H
#define MCUSIM_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/param_spec.h"
#include "../core/program.h"
#include "../core/registry.h"

/* Whether a chip can talk to several peers at once: a property of the
 * system, not of the algorithm. The schedule is the same either way; the
 * SystemC layer enforces the sharing. */
typedef enum topo_phy {
    TOPO_PHY_PER_PEER,    /* a point-to-point link per directed chip pair */
    TOPO_PHY_SHARED       /* one transmit and one receive PHY per chip, shared by all peers */
} topo_phy;

/* Room for any entry's parameter struct (checked over the registry). */
#define TOPOLOGY_PARAMS_MAX 256

typedef struct system_topology {
    const registry_entry *collective;   /* an entry of collective_registry() */
    union {
        max_align_t align;
        unsigned char bytes[TOPOLOGY_PARAMS_MAX];
    } params;                           /* its bound parameters */
    int phy;                            /* topo_phy */
} system_topology;

/* The collectives registry: its kind for listings, its NULL-terminated
 * entries (the first is the default), and a find that also knows each
 * entry's deprecated alias (*deprecated set then; may be NULL). */
const registry_kind *collective_registry(void);
const registry_entry *const *collective_entries(void);
const registry_entry *collective_find(const char *name, int *deprecated);

/* Keys of system.topology besides the entry's parameters ({"kind", "phy", NULL}). */
extern const char *const topology_system_keys[];

/* The collective `name` (or alias) with every default applied, phy
 * per_peer. 0, or -1 with a reason. */
int topology_init(system_topology *t, const char *name, char *err, size_t errlen);
/* Sets one parameter (an entry parameter or "phy") from its YAML text. */
int topology_set(system_topology *t, const char *key, const char *text, char *err, size_t errlen);
/* The field of parameter `key`, or NULL. */
const void *topology_param(const system_topology *t, const char *key);
/* The table of system.topology minus `kind`: the entry's parameters with
 * offsets into struct topology, then `phy`; what binding and printing use.
 * Returns the count (at most cap are written). */
size_t topology_specs(const system_topology *t, param_spec *out, size_t cap);

/* A collective with its expansion, every parameter within its range. */
int topology_check(const system_topology *t, char *err, size_t errlen);

/* Rewrites every OP_REDUCE/OP_BCAST/OP_ALLREDUCE of p into OP_SEND/OP_RECV
 * steps (an OP_ALLREDUCE through an entry whose sums end on the root: its
 * reduce, then its broadcast of the sum), then
 * marks running sums (consecutive accumulating receives into the same
 * bytes). p is untouched on error. */
int topology_expand(const system_topology *t, system_program *p, char *err, size_t errlen);

/* Where the collective leaves an all-chip sum (REDUCE_ON_ROOT without one). */
reduce_result topology_reduce_result(const system_topology *t);
/* The note an entry adds to its deprecated alias's warning, or NULL. */
const char *collective_alias_note(const registry_entry *e);

/* At most how many messages one collective sends on n chips. */
uint64_t topology_messages(const system_topology *t, uint32_t n);
/* Whether the algorithm groups its transfers in levels; how many on n
 * chips; the level of the directed pair src -> dst on n chips whose root
 * is `root` (0: not a pair of the schedule, or no levels). */
bool topology_has_levels(const system_topology *t);
uint32_t topology_levels(const system_topology *t, uint32_t n);
uint32_t topology_pair_level(const system_topology *t, uint32_t n, uint32_t root, uint32_t src,
                             uint32_t dst);

/* The point-to-point links a program's sends use: (src, dst) pairs, one
 * direction each, sorted, each once; sends to no valid other chip are left
 * out (the engine reports them). Caller frees *pairs. 0, or -1 out of memory. */
int topology_links(const system_program *p, uint32_t (**pairs)[2], size_t *n_pairs);

#endif
