/* One link model as a config names it, `{model: NAME, ...}` or `{plugin:
 * PATH, ...}` with the model's parameters beside: the table found (or
 * loaded), its parameters bound and tried on a trial instance. system.link
 * and every system.links override are loaded the same way. */
#ifndef MCUSIM_LINK_CHOICE_H
#define MCUSIM_LINK_CHOICE_H

#include <stdio.h>

#include "../../core/link.h"
#include "../config/cfg.h"

typedef struct link_choice {
    const link_model_ops *ops;          /* built-in or plug-in table */
    void *params;                       /* struct of ops->params_size, bound */
    void *plugin;                       /* dlopen handle or NULL */
    char plugin_path[PARAM_STRING_MAX]; /* absolute, so a printed config still finds it */
} link_choice;

/* Loads the link map `link` written at `path` ("system.link"). 0, or -1
 * with err located at the offending key; out holds nothing to free then. */
int link_choice_load(const cfg_node *link, const char *path, link_choice *out, cfg_error *err);
void link_choice_free(link_choice *c);

/* Prints the choice as YAML at `indent` (model or plugin line, then every
 * parameter with its doc): a map link_choice_load reads back. */
void link_choice_print(const link_model_ops *ops, const void *params, const char *plugin_path,
                       int indent, FILE *out);

#endif
