/* Partitioners: how one inference is split over N chips, as a registry
 * (core/registry.h) selected by `workload.partitioner: NAME` with the
 * entry's own parameters under `workload.partition: {...}`. Each entry
 * consumes the model graph (model_graph.h: WHAT the model computes) and
 * emits one program per chip. partition.c knows no entry by name; adding a
 * partitioner is one new file plus one line in partitioner_registry.c. */
#ifndef MCUSIM_PARTITIONER_H
#define MCUSIM_PARTITIONER_H

#include "../core/registry.h"
#include "partition_estimate.h"
#include "workload.h"

struct model_graph;
struct pbuild;

/* The `ops` of a partitioner's registry entry. `params` is the entry's
 * struct (params_size bytes) bound from `workload.partition`. */
typedef struct partitioner_ops {
    /* Whether w splits over n_chips at all: 0, or -1 with a message naming
     * the partitioner and its limit ("... (partitioner tensor: at most 4
     * chips, one head each)"). NULL: any chip count. */
    int (*check)(const workload_params *w, const struct model_graph *g, const void *params,
                 uint32_t n_chips, char *err, size_t errlen);
    /* Emits every chip's program into b (created, shapes from the graph,
     * description set); sets the output (pb_output). 0, or -1 with b->err.
     * With several inferences in flight it is called once per inference
     * (b->inference), appending to the same programs: it must make its
     * weight buffers in the same order each time (pb_buf hands inference
     * k > 0 inference 0's, by that order) and draw data through pb_* (so
     * inference k's input and KV cache come from its own seed). */
    int (*build)(struct pbuild *b, const void *params);
    /* The size of that program without building it (partition_estimate.h). */
    void (*estimate)(const workload_params *w, const struct model_graph *g, const void *params,
                     uint32_t n_chips, program_size *out);
    /* Why parameter `key` (written in workload.partition) does not apply to
     * w (its model, or the entry's other parameters in w->partition), or
     * NULL when it does; the loader then refuses it instead of ignoring it.
     * NULL: every parameter applies. */
    const char *(*param_unused)(const workload_params *w, const char *key);
    /* Whether build reads w->capacity (the chips' speed and memory, for a
     * split that balances by them): then a program depends on the nodes as
     * well as the workload, and is not reused across nodes (explore). NULL:
     * never. */
    bool (*reads_capacity)(const workload_params *w, const void *params);
} partitioner_ops;

/* Every partitioner, NULL-terminated; the first is the default (what an
 * empty workload.partitioner means). */
const registry_entry *const *partitioner_entries(void);
/* The kind, for `mcusim list`. */
const registry_kind *partitioner_registry(void);
/* The partitioner called name ("" = the default), or NULL; *deprecated as
 * registry_find. */
const registry_entry *partitioner_find(const char *name, int *deprecated);

#endif
