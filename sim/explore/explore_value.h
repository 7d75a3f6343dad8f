/* A value written in the explore: section as the text `--set key=VALUE`
 * takes, so that loading the experiment with that assignment gives what
 * was written: a scalar as itself (quoted when YAML would read it
 * otherwise), a map or list in flow style, a file included with `!include`
 * as `!include PATH` and a map built with `base:` as `{base: PATH, ...the
 * keys written beside it}`, PATH relative to the experiment file (what
 * `--set` resolves against). */
#ifndef MCUSIM_EXPLORE_VALUE_H
#define MCUSIM_EXPLORE_VALUE_H

#include <stddef.h>

#include "../config/cfg.h"

/* The text of node n, which was written in file `written_in`, for an
 * experiment at `experiment_path`. 0, or -1 with why (too long, a path that
 * cannot be resolved). */
int explore_value_text(const cfg_node *n, const char *written_in, const char *experiment_path,
                       char *out, size_t cap, char *why, size_t whycap);

/* Path `to` relative to the folder of `from_file`, both resolved first
 * ("../../links/serdes.yaml"). 0, or -1 when either cannot be resolved. */
int explore_relative_path(const char *from_file, const char *to, char *out, size_t cap);

#endif
