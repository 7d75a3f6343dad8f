/* Binding a value's text through its param_spec, and checking a table (see
 * param_spec.h). The YAML layer (sim/config/cfg_bind.c) walks documents and
 * adds locations; how a text becomes a value lives here, once. */
#include "param_spec.h"

#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "did_you_mean.h"

static bool has_range(const param_spec *s) { return !(s->min == 0.0 && s->max == 0.0); }

const char *param_type_word(param_type t)
{
    switch (t) {
    case PARAM_BOOL: return "true or false";
    case PARAM_UINT: return "a non-negative integer";
    case PARAM_INT: return "an integer";
    case PARAM_DOUBLE: return "a number";
    case PARAM_QUANTITY: return "a quantity with a unit";
    case PARAM_ENUM: return "a name";
    case PARAM_STRING: return "a string";
    case PARAM_UINT_LIST: return "a list of integers";
    }
    return "a value";
}

/* -1: not a plain decimal integer; -2: one that does not fit 64 bits. */
static int parse_uint(const char *text, uint64_t *v)
{
    if (!text || !*text) return -1;
    for (const char *c = text; *c; c++)
        if (*c < '0' || *c > '9') return -1;
    errno = 0;
    unsigned long long x = strtoull(text, NULL, 10);
    if (errno == ERANGE) return -2;
    *v = (uint64_t)x;
    return 0;
}

static int parse_int(const char *text, int64_t *v)
{
    const char *digits = (text && (*text == '-' || *text == '+')) ? text + 1 : text;
    uint64_t u;
    if (parse_uint(digits, &u) != 0) return -1;
    bool neg = text[0] == '-';
    if (u > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) return -1;
    *v = neg ? (int64_t)(0 - u) : (int64_t)u;
    return 0;
}

static int fail(char *why, size_t len, const char *fmt, const char *a, const char *b,
                const char *c)
{
    snprintf(why, len, fmt, a, b, c);
    return -1;
}

static int check_range(const param_spec *s, double v, char *why, size_t len)
{
    if (!has_range(s) || (v >= s->min && v <= s->max)) return 0;
    char a[64], b[64], c[64];
    unit_dim dim = s->type == PARAM_QUANTITY ? s->dim : DIM_NONE;
    unit_format(v, dim, a, sizeof a);
    unit_format(s->min, dim, b, sizeof b);
    unit_format(s->max, dim, c, sizeof c);
    return fail(why, len, "value %s out of range [%s, %s]", a, b, c);
}

int param_parse_uint(const param_spec *s, const char *text, uint64_t *out, char *why,
                     size_t len)
{
    uint64_t v;
    int bad = parse_uint(text, &v);
    /* "expected an integer" would be wrong for 2^64: it is one, only too large */
    if (bad == -2) return fail(why, len, "integer '%s' is too large", text, "", "");
    if (bad != 0) return fail(why, len, "expected a non-negative integer, got '%s'", text, "", "");
    if (check_range(s, (double)v, why, len) != 0) return -1;
    *out = v;
    return 0;
}

static int parse_enum(const param_spec *s, const char *text, int *out, char *why, size_t len)
{
    size_t n = 0;
    char names[400] = "";
    size_t used = 0;
    for (; s->enum_names && s->enum_names[n]; n++) {
        if (strcmp(s->enum_names[n], text) == 0) {
            *out = (int)n;
            return 0;
        }
        if (used < sizeof names)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", n ? ", " : "",
                                     s->enum_names[n]);
    }
    const char *hint = text_did_you_mean(text, s->enum_names, n);
    if (hint)
        return fail(why, len, "unknown value '%s' (did you mean '%s'?); expected one of %s", text,
                    hint, names);
    return fail(why, len, "unknown value '%s'; expected one of %s", text, names, "");
}

int param_parse(const param_spec *s, const char *text, void *obj, char *why, size_t len)
{
    char *field = (char *)obj + s->offset;
    switch (s->type) {
    case PARAM_BOOL:
        if (strcmp(text, "true") == 0 || strcmp(text, "yes") == 0) *(bool *)field = true;
        else if (strcmp(text, "false") == 0 || strcmp(text, "no") == 0) *(bool *)field = false;
        else return fail(why, len, "expected true or false, got '%s'", text, "", "");
        return 0;
    case PARAM_UINT:
        return param_parse_uint(s, text, (uint64_t *)field, why, len);
    case PARAM_INT: {
        int64_t v;
        if (parse_int(text, &v) != 0) return fail(why, len, "expected an integer, got '%s'", text, "", "");
        if (check_range(s, (double)v, why, len) != 0) return -1;
        *(int64_t *)field = v;
        return 0;
    }
    case PARAM_DOUBLE:
    case PARAM_QUANTITY: {
        double v;
        unit_dim dim = s->type == PARAM_QUANTITY ? s->dim : DIM_NONE;
        if (unit_parse(text, dim, &v, why, len) != 0) return -1;
        if (check_range(s, v, why, len) != 0) return -1;
        *(double *)field = v;
        return 0;
    }
    case PARAM_ENUM:
        return parse_enum(s, text, (int *)field, why, len);
    case PARAM_STRING:
        if (strlen(text) >= PARAM_STRING_MAX) {
            snprintf(why, len, "string longer than %d characters", PARAM_STRING_MAX - 1);
            return -1;
        }
        snprintf(field, PARAM_STRING_MAX, "%s", text);
        return 0;
    case PARAM_UINT_LIST:
        break;
    }
    snprintf(why, len, "expected %s", param_type_word(s->type));
    return -1;
}

/* ---- checking a table ---- */

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
    return k[0] && k[0] != '.' && k[strlen(k) - 1] != '.' && !strstr(k, "..");
}

static bool reserved_key(const char *const *reserved, const char *k)
{
    for (size_t i = 0; reserved && reserved[i]; i++)
        if (!strcmp(reserved[i], k)) return true;
    return false;
}

/* The default binds like a written value would: into a scratch struct,
 * never the real one. A list default is not a scalar and is not checked
 * here (binding it reports any problem). */
static int default_problem(const param_spec *s, size_t params_size, char *why, size_t len)
{
    if (!s->default_text || s->type == PARAM_UINT_LIST) return 0;
    void *scratch = calloc(1, params_size);
    if (!scratch) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    char msg[400];
    int rc = param_parse(s, s->default_text, scratch, msg, sizeof msg);
    free(scratch);
    if (rc != 0) snprintf(why, len, "default '%s': %s", s->default_text, msg);
    return rc;
}

static int spec_problem(const param_spec *specs, size_t i, size_t params_size,
                        const char *const *reserved, char *why, size_t len)
{
    const param_spec *s = &specs[i];
    if (!s->key || !key_well_formed(s->key))
        return snprintf(why, len, "key is %s", s->key ? "not a dotted name" : "NULL"), -1;
    if (reserved_key(reserved, s->key))
        return snprintf(why, len, "key is reserved (it selects the model)"), -1;
    for (size_t j = 0; j < i; j++) {
        const char *o = specs[j].key;
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
    if (s->offset > params_size || size > params_size - s->offset)
        return snprintf(why, len, "offset %zu + %zu bytes of its type is past params_size %zu",
                        s->offset, size, params_size),
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
    return default_problem(s, params_size, why, len);
}

int param_specs_check(const param_spec *specs, size_t n, size_t params_size,
                      const char *const *reserved, char *why, size_t len)
{
    if (n > PARAM_SPECS_MAX)
        return snprintf(why, len, "%zu parameters: more than %d", n, PARAM_SPECS_MAX), -1;
    if (n && !specs) return snprintf(why, len, "no parameter table but %zu parameters", n), -1;
    for (size_t i = 0; i < n; i++) {
        char msg[600];
        if (spec_problem(specs, i, params_size, reserved, msg, sizeof msg) != 0) {
            const char *k = specs[i].key;
            snprintf(why, len, "params[%zu] '%.64s': %s", i, k ? k : "(null)", msg);
            return -1;
        }
    }
    return 0;
}
