/* Loading one link model from a config map (see link_choice.h). */
#include "link_choice.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/file_read.h"
#include "../../interconnect/link_check.h"

static const char *const link_keys[] = {"model", "plugin", NULL};

/* At n, about `path` or its `key` when key is not "". */
static int fail_at(cfg_error *err, const cfg_node *n, const char *path, const char *key,
                   const char *msg)
{
    char full[256];
    snprintf(full, sizeof full, "%s%s%s", path, key[0] ? "." : "", key);
    return cfg_fail_at(err, n, full, msg);
}

static int open_plugin(const cfg_node *plugin, const char *path, link_choice *out,
                       cfg_error *err)
{
    const char *p = cfg_scalar(plugin);
    if (!p) return fail_at(err, plugin, path, "plugin", "expected a file path");
    char *file = path_relative_to(cfg_node_file(plugin), p);
    if (!file) return fail_at(err, plugin, path, "plugin", "out of memory");
    /* Kept absolute so the printed config still finds it from anywhere. */
    char real[PATH_MAX];
    const char *keep = realpath(file, real) ? real : file;
    if (strlen(keep) >= sizeof out->plugin_path) {
        free(file);
        return fail_at(err, plugin, path, "plugin", "plug-in path too long");
    }
    memcpy(out->plugin_path, keep, strlen(keep) + 1);
    char msg[400];
    out->ops = link_plugin_open(file, &out->plugin, msg, sizeof msg);
    free(file);
    return out->ops ? 0 : fail_at(err, plugin, path, "plugin", msg);
}

static int unknown_model(const cfg_node *model, const char *name, const char *path,
                         cfg_error *err)
{
    const link_model_ops *const *all = link_builtin_models();
    const char *names[64];
    char list[400] = "";
    size_t n = 0, used = 0;
    for (; n < 64 && all[n]; n++) {
        names[n] = all[n]->name;
        if (used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", n ? ", " : "",
                                     all[n]->name);
    }
    const char *hint = name ? text_did_you_mean(name, names, n) : NULL;
    char msg[600];
    if (hint)
        snprintf(msg, sizeof msg, "unknown link model '%s' (did you mean '%s'?); built-ins: %s",
                 name, hint, list);
    else
        snprintf(msg, sizeof msg, "unknown link model '%s'; built-ins: %s", name ? name : "",
                 list);
    return fail_at(err, model, path, "model", msg);
}

static int open_model(const cfg_node *link, const char *path, link_choice *out, cfg_error *err)
{
    const cfg_node *model = cfg_map_get(link, "model");
    const cfg_node *plugin = cfg_map_get(link, "plugin");
    if (model && plugin)
        return fail_at(err, plugin, path, "plugin",
                       "give either model: NAME or plugin: PATH, not both");
    if (plugin) return open_plugin(plugin, path, out, err);
    if (!model)
        return fail_at(err, link, path, "",
                       "missing 'model: NAME' (see `mcusim links`) or 'plugin: PATH'");
    const char *name = cfg_scalar(model);
    out->ops = name ? link_find_builtin(name) : NULL;
    if (!out->ops) return unknown_model(model, name, path, err);
    char why[700];
    if (link_ops_check(out->ops, NULL, why, sizeof why) != 0)
        return fail_at(err, model, path, "model", why);
    return 0;
}

static int load(const cfg_node *link, const char *path, link_choice *out, cfg_error *err)
{
    if (cfg_node_kind(link) != CFG_MAP) return fail_at(err, link, path, "", "expected a map");
    if (open_model(link, path, out, err) != 0) return -1;
    const link_model_ops *ops = out->ops;
    out->params = calloc(1, ops->params_size ? ops->params_size : 1);
    if (!out->params) return fail_at(err, link, path, "", "out of memory");
    if (cfg_bind(link, path, ops->params, ops->n_params, link_keys, out->params, err) != 0) {
        /* `--set system.link.model=X` replaces only the model: the map it
         * sits in is merged, so the old model's keys stay and may not be X's */
        const cfg_node *model = cfg_map_get(link, "model");
        if (model && !strcmp(cfg_node_file(model), "--set") && strstr(err->msg, "unknown key")) {
            size_t used = strlen(err->msg);
            snprintf(err->msg + used, sizeof err->msg - used,
                     " of model '%s': --set %s.model changes the model only and the rest of "
                     "the map stays (it is merged); replace the whole map with --set "
                     "'%s={model: %s, ...}'",
                     ops->name, path, path, ops->name);
        }
        return -1;
    }
    /* A trial instance: cross-field rules of the model fail now, not mid-sweep. */
    link_model *m = NULL;
    char msg[400] = "";
    if (ops->create(out->params, &m, msg, sizeof msg) != 0)
        return cfg_fail_keyed(err, link, path, msg[0] ? msg : "link model rejected its parameters");
    if (ops->destroy) ops->destroy(m);
    return 0;
}

int link_choice_load(const cfg_node *link, const char *path, link_choice *out, cfg_error *err)
{
    memset(out, 0, sizeof *out);
    if (load(link, path, out, err) == 0) return 0;
    link_choice_free(out);
    return -1;
}

void link_choice_free(link_choice *c)
{
    if (!c) return;
    free(c->params);
    if (c->plugin) link_plugin_close(c->plugin);
    memset(c, 0, sizeof *c);
}

void link_choice_print(const link_model_ops *ops, const void *params, const char *plugin_path,
                       int indent, FILE *out)
{
    if (plugin_path && plugin_path[0])
        fprintf(out, "%*splugin: %s  # %s\n", indent, "", plugin_path, ops->name);
    else
        fprintf(out, "%*smodel: %s  # %s\n", indent, "", ops->name,
                ops->description ? ops->description : "");
    cfg_print_bound(out, indent, ops->params, ops->n_params, params);
}
