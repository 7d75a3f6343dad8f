/* The components a system's results are broken down by. A node model
 * declares its own (models/: a cluster, an NPU, memories...) and where the
 * engine's two go among them; every layer above (the SystemC engine, the
 * statistics, the report columns) iterates over the declared list and never
 * names a node's component. Two views share the list: energy, and time
 * (busy activity and the critical path); a component has one or both.
 *
 * The engine's own components, the same whatever the node: `link` (the
 * chip-to-chip links: wire time, the link model's energy) and `wait`
 * (waiting on peers or a busy link, and after finishing while the others
 * ran; time only).
 *
 * Fixed-size arrays keep the C plain: at most COMPONENTS_MAX components
 * (the node's and the engine's together); a declaration beyond it is an
 * error, not a truncation. */
#ifndef MCUSIM_COMPONENT_H
#define MCUSIM_COMPONENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COMPONENTS_MAX 16
#define COMPONENT_NAME_MAX 16    /* with the NUL: [a-z0-9_], at most 15 characters */
#define COMPONENT_DOC_MAX 160

typedef struct component_decl {
    char name[COMPONENT_NAME_MAX];   /* "cluster": summary.csv's energy_cluster_mj... */
    bool energy, time;               /* the views it has (at least one) */
    bool on_mcu;                     /* on the MCU die (energy_mcu counts it) */
    /* Books the node's leakage: its energy is the sum of every component's
     * leakage (kept apart per component as leakage_j). At most one. */
    bool leakage;
    char doc[COMPONENT_DOC_MAX];     /* one line: what its energy and time cover */
} component_decl;

typedef enum system_component { SYSTEM_LINK, SYSTEM_WAIT, SYSTEM__COUNT } system_component;

typedef struct component_set {
    uint32_t n;
    component_decl c[COMPONENTS_MAX];
    uint32_t system[SYSTEM__COUNT];  /* where the engine's link and wait are in c[] */
} component_set;

void component_set_init(component_set *s);
/* Appends one of the node's components; -1 when the set is full or the
 * name is too long (component_set_check says what else is wrong). */
int component_set_add(component_set *s, const char *name, bool energy, bool time, bool on_mcu,
                      const char *doc);
/* Appends the engine's component k here: a node places link and wait among
 * its own (their order is the report's column order). */
int component_set_add_system(component_set *s, system_component k);
/* Appends the engine's components the node did not place, so the set is
 * complete; -1 when it does not fit. */
int component_set_finish(component_set *s);

/* Adds the components of s that u lacks, each right after the one before
 * it in s (so a set merged with itself or a subset is unchanged, and
 * another node's extra components land next to their neighbours), ORs the
 * views of those both have, and records where the engine's link and wait
 * are. The union of the components of nodes of one system (a chip of its
 * own node) and of the rows of one summary. -1 when more than
 * COMPONENTS_MAX together (u is then partly merged). */
int component_set_merge(component_set *u, const component_set *s);

/* Index of the component called name, or -1. */
int component_set_find(const component_set *s, const char *name);
/* Index of the leakage component, or -1 when none books it. */
int component_set_leakage(const component_set *s);

/* Checks a set declared by a node model or read from a file: 1..
 * COMPONENTS_MAX components, names of [a-z0-9_] (1..15 characters: they
 * become column names) and unique, every component with a view and a doc
 * of printable characters, at most one leakage component (with an energy
 * view), and the engine's link (energy and time) and wait (time only) at
 * the indices recorded. 0, or -1 with one line in why. */
int component_set_check(const component_set *s, char *why, size_t len);

/* The engine's component k as declared (name, views, doc). */
const component_decl *component_system_decl(system_component k);

#endif
