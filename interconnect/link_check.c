/* Checks of a link model's table and of its results (see link_check.h). */
#include "link_check.h"

#include <math.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/config/cfg.h"

void link_describe(const link_model_ops *ops, const char *plugin_path, char *buf, size_t len)
{
    const char *name = ops && ops->name ? ops->name : "?";
    if (plugin_path && plugin_path[0])
        snprintf(buf, len, "link plug-in '%s' (%s)", name, plugin_path);
    else
        snprintf(buf, len, "link model '%s' (built-in)", name);
}

/* Size and alignment of the field a parameter of this type binds into;
 * 0 for an unknown type. */
static size_t type_size(param_type t, size_t *align)
{
    switch (t) {
    case PARAM_BOOL: *align = alignof(bool); return sizeof(bool);
    case PARAM_UINT: *align = alignof(uint64_t); return sizeof(uint64_t);
    case PARAM_INT: *align = alignof(int64_t); return sizeof(int64_t);
    case PARAM_DOUBLE:
    case PARAM_QUANTITY: *align = alignof(double); return sizeof(double);
    case PARAM_ENUM: *align = alignof(int); return sizeof(int);
    case PARAM_STRING: *align = 1; return PARAM_STRING_MAX;
    case PARAM_UINT_LIST: *align = alignof(param_uint_list); return sizeof(param_uint_list);
    }
    *align = 1;
    return 0;
}

static bool numeric(param_type t)
{
    return t == PARAM_UINT || t == PARAM_INT || t == PARAM_DOUBLE || t == PARAM_QUANTITY ||
           t == PARAM_UINT_LIST;
}

/* A NULL-terminated list of names can only be walked so far before an
 * unterminated one would be read past its end. */
#define ENUM_NAMES_MAX 256

static const char *enum_problem(const param_spec *s)
{
    if (!s->enum_names) return "PARAM_ENUM without enum_names";
    if (!s->enum_names[0]) return "PARAM_ENUM with no names (enum_names[0] is NULL)";
    for (size_t i = 0; i < ENUM_NAMES_MAX; i++) {
        if (!s->enum_names[i]) return NULL;
        if (!s->enum_names[i][0]) return "an empty enum name";
    }
    return "enum_names is not NULL-terminated within 256 names";
}

/* "a.b" and "a.b.c" cannot both be keys: one is a value, the other a map. */
static bool key_nests(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    return strncmp(outer, inner, n) == 0 && inner[n] == '.';
}

static bool key_well_formed(const char *k)
{
    if (!k[0] || k[0] == '.' || k[strlen(k) - 1] == '.' || strstr(k, "..")) return false;
    return true;
}

/* The default binds like a written value would: parses, has the right
 * unit, lies in [min, max]. Bound into a scratch struct, never the real one. */
static int default_problem(const param_spec *s, size_t params_size, char *why, size_t len)
{
    if (!s->default_text) return 0;   /* required key */
    void *scratch = calloc(1, params_size);
    if (!scratch) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    cfg_error e;
    memset(&e, 0, sizeof e);
    int rc = cfg_bind(NULL, "", s, 1, NULL, scratch, &e);
    free(scratch);
    if (rc != 0) snprintf(why, len, "default '%s': %s", s->default_text, e.msg);
    return rc;
}

static int spec_problem(const link_model_ops *ops, size_t i, char *why, size_t len)
{
    const param_spec *s = &ops->params[i];
    if (!s->key || !key_well_formed(s->key))
        return snprintf(why, len, "key is %s", s->key ? "not a dotted name" : "NULL"), -1;
    if (!strcmp(s->key, "model") || !strcmp(s->key, "plugin"))
        return snprintf(why, len, "key is reserved (it selects the link model)"), -1;
    for (size_t j = 0; j < i; j++) {
        const char *o = ops->params[j].key;
        if (o && !strcmp(o, s->key)) return snprintf(why, len, "duplicate key"), -1;
        if (o && (key_nests(o, s->key) || key_nests(s->key, o)))
            return snprintf(why, len, "key clashes with '%s' (a value cannot also be a map)", o),
                   -1;
    }
    size_t align, size = type_size(s->type, &align);
    if (!size) return snprintf(why, len, "unknown type %d", (int)s->type), -1;
    if ((unsigned)s->dim >= DIM__COUNT || (s->type != PARAM_QUANTITY && s->dim != DIM_NONE))
        return snprintf(why, len, "unit dimension %d is not valid for this type", (int)s->dim),
               -1;
    if (s->offset > ops->params_size || size > ops->params_size - s->offset)
        return snprintf(why, len, "offset %zu + %zu bytes of its type is past params_size %zu",
                        s->offset, size, ops->params_size),
               -1;
    if (s->offset % align)
        return snprintf(why, len, "offset %zu is not aligned for its type (%zu)", s->offset,
                        align),
               -1;
    if (numeric(s->type) && !(s->min <= s->max))
        return snprintf(why, len, "min %g is not <= max %g", s->min, s->max), -1;
    if (s->type == PARAM_ENUM && enum_problem(s))
        return snprintf(why, len, "%s", enum_problem(s)), -1;
    if (!s->doc) return snprintf(why, len, "doc is NULL"), -1;
    return default_problem(s, ops->params_size, why, len);
}

/* A table with more entries than this is a garbage n_params. */
#define LINK_MAX_PARAMS 4096

int link_ops_check(const link_model_ops *ops, const char *plugin_path, char *err,
                   size_t errlen)
{
    char who[600];
    link_describe(ops, plugin_path, who, sizeof who);
    if (!ops->description) {
        snprintf(err, errlen, "%s: description is NULL", who);
        return -1;
    }
    if (ops->n_params > LINK_MAX_PARAMS) {
        snprintf(err, errlen, "%s: n_params %zu is more than %d", who, ops->n_params,
                 LINK_MAX_PARAMS);
        return -1;
    }
    if (ops->n_params && !ops->params) {
        snprintf(err, errlen, "%s: params is NULL but n_params is %zu", who, ops->n_params);
        return -1;
    }
    for (size_t i = 0; i < ops->n_params; i++) {
        char why[600];
        if (spec_problem(ops, i, why, sizeof why) != 0) {
            const char *k = ops->params[i].key;
            snprintf(err, errlen, "%s: params[%zu] '%.64s': %s", who, i, k ? k : "(null)", why);
            return -1;
        }
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
