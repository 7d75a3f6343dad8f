/* Declarative parameter tables. A module (node model, link model, workload)
 * describes its YAML parameters once as an array of param_spec; the config
 * layer binds a YAML map to the module's plain C struct through it, checking
 * type, unit dimension and range, and rejecting unknown keys with a
 * did-you-mean. `mcusim links` and `mcusim validate` print from the same
 * tables, so documentation and checking never drift apart. Out-of-tree link
 * plug-ins use this header too, so it is part of the plug-in ABI. */
#ifndef MCUSIM_PARAM_SPEC_H
#define MCUSIM_PARAM_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "units.h"

typedef enum param_type {
    PARAM_BOOL,      /* bool */
    PARAM_UINT,      /* uint64_t; min/max apply */
    PARAM_INT,       /* int64_t; min/max apply */
    PARAM_DOUBLE,    /* double, plain number (DIM_NONE); min/max apply */
    PARAM_QUANTITY,  /* double in SI base units of `dim`; min/max in SI */
    PARAM_ENUM,      /* int: index into enum_names */
    PARAM_STRING,    /* char[PARAM_STRING_MAX] */
    PARAM_UINT_LIST  /* param_uint_list; each element checked against min/max */
} param_type;

#define PARAM_STRING_MAX 256
#define PARAM_LIST_MAX 64

typedef struct param_uint_list {
    uint64_t v[PARAM_LIST_MAX];
    size_t n;
} param_uint_list;

typedef struct param_spec {
    const char *key;            /* dotted path inside the section, e.g. "l2.size" */
    param_type type;
    unit_dim dim;               /* PARAM_QUANTITY only */
    size_t offset;              /* offsetof(target struct, field) */
    double min, max;            /* inclusive valid range */
    const char *default_text;   /* YAML text used when absent; NULL = required */
    const char *const *enum_names; /* PARAM_ENUM: NULL-terminated */
    const char *doc;            /* one line: meaning and source */
} param_spec;

#endif
