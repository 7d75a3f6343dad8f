/* Checks of a link model's table and of its results (see link_check.h). */
#include "link_check.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void link_describe(const link_model_ops *ops, const char *plugin_path, char *buf, size_t len)
{
    const char *name = ops && ops->name ? ops->name : "?";
    if (plugin_path && plugin_path[0])
        snprintf(buf, len, "link plug-in '%s' (%s)", name, plugin_path);
    else
        snprintf(buf, len, "link model '%s' (built-in)", name);
}

int link_ops_check(const link_model_ops *ops, const char *plugin_path, char *err,
                   size_t errlen)
{
    static const char *const reserved[] = {"model", "plugin", NULL};
    char who[600];
    link_describe(ops, plugin_path, who, sizeof who);
    if (!ops->description) {
        snprintf(err, errlen, "%s: description is NULL", who);
        return -1;
    }
    char why[700];
    if (param_specs_check(ops->params, ops->n_params, ops->params_size, reserved, why,
                          sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", who, why);
        return -1;
    }
    return 0;
}

int link_cost_check(const char *who, uint64_t payload, const link_cost *c, char *err,
                    size_t errlen)
{
    uint64_t wire_max = payload > (UINT64_MAX - LINK_MAX_WIRE_EXTRA) / LINK_MAX_WIRE_FACTOR
                            ? UINT64_MAX
                            : payload * LINK_MAX_WIRE_FACTOR + LINK_MAX_WIRE_EXTRA;
    const char *bad = NULL;
    char value[64], rule[160];
    if (!isfinite(c->time_s) || c->time_s < 0 || c->time_s > LINK_MAX_TIME_S) {
        bad = "time_s";
        snprintf(value, sizeof value, "%g s", c->time_s);
        snprintf(rule, sizeof rule, "must be finite, >= 0 and at most %g s", LINK_MAX_TIME_S);
    } else if (!isfinite(c->energy_j) || c->energy_j < 0 || c->energy_j > LINK_MAX_ENERGY_J) {
        bad = "energy_j";
        snprintf(value, sizeof value, "%g J", c->energy_j);
        snprintf(rule, sizeof rule, "must be finite, >= 0 and at most %g J", LINK_MAX_ENERGY_J);
    } else if (c->wire_bytes < payload || c->wire_bytes > wire_max) {
        bad = "wire_bytes";
        snprintf(value, sizeof value, "%llu", (unsigned long long)c->wire_bytes);
        snprintf(rule, sizeof rule, "must be at least the payload and at most %u x payload + "
                 "%llu", LINK_MAX_WIRE_FACTOR, (unsigned long long)LINK_MAX_WIRE_EXTRA);
    }
    if (!bad) return 0;
    snprintf(err, errlen, "%s: transfer(bytes=%llu) returned %s = %s: %s", who,
             (unsigned long long)payload, bad, value, rule);
    return -1;
}
