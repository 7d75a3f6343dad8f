/* Registries: everything a researcher varies is a named entry of one, in the
 * style of a driver table. An entry is {name, doc, param_spec, ops}: its YAML
 * parameters are bound through the param_spec table (into a struct of
 * params_size bytes) and checked by param_specs_check before any binding;
 * `ops` is the kind's own table of functions (a collective's expansion, a
 * partitioner's build, a node model's costs...). A kind's registry is a
 * NULL-terminated array of entries plus a find by name; `mcusim list` prints
 * every kind with its entries and parameters. Adding an entry is one new file
 * plus one line in its kind's registry. Link models keep their own table
 * (core/link.h, the plug-in ABI) and are listed alike. */
#ifndef MCUSIM_REGISTRY_H
#define MCUSIM_REGISTRY_H

#include <stddef.h>

#include "param_spec.h"

typedef struct registry_entry {
    const char *name;            /* how a config names it: "reduction_tree", "tensor" */
    const char *doc;             /* one line for `mcusim list` */
    const param_spec *params;    /* its YAML parameters (may be NULL when n_params is 0) */
    size_t n_params;
    size_t params_size;          /* bytes of the struct they bind into */
    const void *ops;             /* the kind's function table */
    /* An older name that still works with a warning ("ring" for "chain"),
     * or NULL. */
    const char *deprecated_alias;
} registry_entry;

/* A kind of registry, for listings: "collectives", its doc, its entries. */
typedef struct registry_kind {
    const char *name;
    const char *doc;
    const registry_entry *const *(*entries)(void);   /* NULL-terminated */
} registry_kind;

/* The entry called `name` (or whose deprecated alias it is: *deprecated is
 * then set, else cleared; may be NULL) in a NULL-terminated list, or NULL. */
const registry_entry *registry_find(const registry_entry *const *entries, const char *name,
                                    int *deprecated);

/* "reduction_tree, chain, star" into buf: the names, for messages. */
void registry_names(const registry_entry *const *entries, char *buf, size_t len);

#endif
