/* Inside sim/experiment/: the system sections that have files of their own
 * (system.topology, system.links), loaded and printed for experiment.c and
 * experiment_print.c. */
#ifndef MCUSIM_EXPERIMENT_SECTIONS_H
#define MCUSIM_EXPERIMENT_SECTIONS_H

#include <stdio.h>

#include "experiment.h"

/* system.topology (`topo` may be NULL: every default): the collective its
 * `kind` names (a deprecated alias writes a line into `warning`, which is
 * left untouched otherwise), the entry's
 * parameters, `phy`. Parameters of other collectives are ignored, so a file
 * can switch kind over a base or with --set. */
int experiment_topology_load(const cfg_node *topo, system_topology *out, char *warning,
                             size_t wlen, cfg_error *err);
void experiment_topology_print(const system_topology *t, FILE *out);

/* system.links (may be NULL), checked against e->topology and the largest
 * of e->chips: levels the topology has, chips in range, no pair given twice. */
int link_overrides_load(experiment *e, const cfg_node *links, cfg_error *err);
void link_overrides_print(const experiment *e, FILE *out);
void link_overrides_free(experiment *e);

/* sweep.vary (may be NULL): a map of dotted keys, each to a list of
 * distinct scalar values; the keys neither under sweep.* nor one inside
 * another. The values are not loaded here (the sweep loads every
 * combination). */
int experiment_vary_load(experiment *e, const cfg_node *vary, cfg_error *err);
void experiment_vary_print(const experiment *e, FILE *out);

/* A node map at `path` (system.node, system.chips[i].node): its model
 * (model: NAME, default NODE_MODEL_DEFAULT) and the model's parameters
 * bound (calloc'd into *params, the caller frees it), then a trial
 * instance, whose cross-field errors are located at the key they name. */
int experiment_node_load(const cfg_node *node, const char *path, const registry_entry **model,
                         void **params, cfg_error *err);
/* That trial instance alone, for parameters bound another way (set:). */
int experiment_node_trial(const registry_entry *m, const void *params, const cfg_node *section,
                          const char *path, cfg_error *err);

/* system.chips (may be NULL), after system.node and sweep.chips: chips and
 * ranges below the largest of e->chips, no chip named twice, one of node:
 * or set: per entry, each node checked as system.node is. */
int chip_overrides_load(experiment *e, const cfg_node *chips, cfg_error *err);
void chip_overrides_print(const experiment *e, FILE *out);
void chip_overrides_free(experiment *e);

#endif
