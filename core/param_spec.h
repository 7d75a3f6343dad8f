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
#include <stdio.h>

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

/* "true or false", "a non-negative integer", "a quantity with a unit"...:
 * what a value of this type looks like, for messages. */
const char *param_type_word(param_type t);

/* Binds the text of one scalar value (not a list) into obj's field of
 * spec s: checks the type, the unit's dimension, the range and enum names.
 * 0, or -1 with one line in why ("value 2000 Gbps out of range [1 kbps,
 * 1000 Gbps]", "unknown value 'medium' (did you mean 'median'?); expected
 * one of ..."). The YAML layer adds where the text was written. */
int param_parse(const param_spec *s, const char *text, void *obj, char *why, size_t len);
/* One element of a PARAM_UINT_LIST (or a PARAM_UINT): a non-negative
 * decimal integer within [min, max]. */
int param_parse_uint(const param_spec *s, const char *text, uint64_t *out, char *why,
                     size_t len);

/* Checks a parameter table handed over by an extension (a link model, a
 * registry entry) before anything is bound through it: every key non-empty,
 * dotted, unique, not in `reserved` (NULL-terminated, may be NULL) and not
 * both a value and a map; a known type and unit dimension; offset + size of
 * its type within params_size and aligned; min <= max; enum names present
 * and terminated; a doc; a default that binds (param_parse). 0, or -1 with
 * "params[i] 'key': problem" in why. At most PARAM_SPECS_MAX entries. */
#define PARAM_SPECS_MAX 4096
int param_specs_check(const param_spec *specs, size_t n, size_t params_size,
                      const char *const *reserved, char *why, size_t len);

#endif
