/* Model files: a model's dimensions in YAML, each with its source in a
 * comment. The shipped ones are configs/models/NAME.yaml, found by name in
 * the configs folder the command line uses (passed in, never a global);
 * `workload.model: PATH.yaml` names a file of one's own. Keys: `name`
 * (optional, default the file name without .yaml) and the keys of
 * model_dims_specs, every size required (arch, n_kv_heads, bottleneck and
 * n_ffn optional). configs/models/README.md documents them. */
#ifndef MCUSIM_MODEL_FILE_H
#define MCUSIM_MODEL_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "../../workloads/workload.h"
#include "../config/cfg.h"

#define MODEL_NAMES_MAX 256

/* Binds a model map (a model file's root, or the `dims:` block of model:
 * custom) into *out: every size required, the model's own rules checked
 * (model_dims_check) and reported at the key at fault. `path` prefixes key
 * paths in messages: "" for a file, whose map may hold a `name`;
 * "workload.dims" for custom, which has none. `name` is the model's name
 * when the map gives none. */
int model_file_map_bind(const cfg_node *map, const char *path, const char *name, model_dims *out,
                        cfg_error *err);

/* Loads the model file at path (errors FILE:LINE:COL: key: message). */
int model_file_load(const char *path, model_dims *out, cfg_error *err);

/* Whether a workload.model value names a file (holds a '/' or ends in .yaml
 * or .yml) rather than a model of configs/models/. */
bool model_file_is_path(const char *model);

/* The names of configs_dir/models/NAME.yaml, sorted, into names (each up to
 * 63 characters; longer ones are skipped); how many. 0 when the folder is
 * missing. */
size_t model_file_names(const char *configs_dir, char (*names)[64], size_t cap);

/* Resolves a workload.model value written at node `at`: a name is looked up
 * as configs_dir/models/NAME.yaml (unknown: did-you-mean over the files
 * found), a path is taken relative to the file that wrote it. Loads it into
 * *out and writes the file's absolute path into file (len bytes). Errors
 * are reported at `at` (workload.model) or inside the model file. */
int model_file_resolve(const char *configs_dir, const cfg_node *at, const char *model,
                       model_dims *out, char *file, size_t len, cfg_error *err);

#endif
