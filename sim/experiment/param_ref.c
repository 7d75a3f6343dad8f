/* Hardware parameters of an experiment by full key (see param_ref.h). */
#include "param_ref.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NODE_PREFIX "system.node."
#define LINK_PREFIX "system.link."

bool param_ref_spec_is_numeric(const param_spec *s)
{
    return s->type == PARAM_UINT || s->type == PARAM_INT || s->type == PARAM_DOUBLE ||
           s->type == PARAM_QUANTITY;
}

bool param_ref_is_integer(const param_ref *r)
{
    const param_spec *s = r->spec;
    return s->type == PARAM_UINT || s->type == PARAM_INT ||
           (s->type == PARAM_QUANTITY && s->dim == DIM_BYTES);
}

unit_dim param_ref_dim(const param_ref *r)
{
    return r->spec->type == PARAM_QUANTITY ? r->spec->dim : DIM_NONE;
}

static size_t link_count(const experiment *e)
{
    return e->link_ops ? e->link_ops->n_params : 0;
}

static size_t node_count(const experiment *e)
{
    return e->node_model ? e->node_model->n_params : 0;
}

size_t param_ref_count(const experiment *e)
{
    return node_count(e) + link_count(e);
}

static void make_ref(const experiment *e, size_t i, param_ref *r)
{
    bool link = i >= node_count(e);
    r->link = link;
    r->index = i;
    r->spec = link ? &e->link_ops->params[i - node_count(e)] : &e->node_model->params[i];
    snprintf(r->key, sizeof r->key, "%s%s", link ? LINK_PREFIX : NODE_PREFIX, r->spec->key);
}

size_t param_ref_list(const experiment *e, param_ref *out, size_t cap)
{
    size_t n = param_ref_count(e);
    for (size_t i = 0; i < n && i < cap; i++) make_ref(e, i, &out[i]);
    return n < cap ? n : cap;
}

static const char *type_name(param_type t)
{
    switch (t) {
    case PARAM_BOOL: return "true/false";
    case PARAM_ENUM: return "a name from a list";
    case PARAM_STRING: return "a string";
    case PARAM_UINT_LIST: return "a list";
    default: return "a number";
    }
}

int param_ref_find(const experiment *e, const char *key, param_ref *out, char *msg, size_t cap)
{
    bool node = strncmp(key, NODE_PREFIX, strlen(NODE_PREFIX)) == 0;
    bool link = strncmp(key, LINK_PREFIX, strlen(LINK_PREFIX)) == 0;
    if (!node && !link) {
        snprintf(msg, cap, "'%s' is not a parameter of system.node or system.link", key);
        return -1;
    }
    size_t n = param_ref_count(e);
    const char **names = calloc(n ? n : 1, sizeof *names);
    param_ref *all = calloc(n ? n : 1, sizeof *all);
    int rc = -1;
    if (!names || !all) {
        snprintf(msg, cap, "out of memory");
        goto done;
    }
    param_ref_list(e, all, n);
    for (size_t i = 0; i < n; i++) {
        names[i] = all[i].key;
        if (strcmp(all[i].key, key) != 0) continue;
        if (!param_ref_spec_is_numeric(all[i].spec)) {
            snprintf(msg, cap, "'%s' is %s, not a number that can be fitted", key,
                     type_name(all[i].spec->type));
            goto done;
        }
        *out = all[i];
        rc = 0;
        goto done;
    }
    const char *hint = text_did_you_mean(key, names, n);
    if (hint)
        snprintf(msg, cap, "unknown parameter '%s' (did you mean '%s'?)", key, hint);
    else
        snprintf(msg, cap, "unknown parameter '%s' of the %s model '%s'", key,
                 node ? "node" : "link", node ? e->node_model->name : e->link_ops->name);
done:
    free(names);
    free(all);
    return rc;
}

static const char *field_of(const experiment *e, const param_ref *r)
{
    const char *base = r->link ? (const char *)e->link_params : (const char *)e->node_params;
    return base + r->spec->offset;
}

double param_ref_get(const experiment *e, const param_ref *r)
{
    const char *f = field_of(e, r);
    switch (r->spec->type) {
    case PARAM_UINT: return (double)*(const uint64_t *)f;
    case PARAM_INT: return (double)*(const int64_t *)f;
    case PARAM_DOUBLE:
    case PARAM_QUANTITY: return *(const double *)f;
    default: return NAN;
    }
}

bool param_ref_in_range(const param_ref *r, double v)
{
    const param_spec *s = r->spec;
    if (s->min == 0.0 && s->max == 0.0) return true;
    return v >= s->min && v <= s->max;
}

void param_ref_unit_symbol(const char *text, char *sym, size_t cap)
{
    const char *p = text ? text : "";
    while (*p == ' ') p++;
    char *end = NULL;
    strtod(p, &end);
    if (!end || end == p) end = (char *)p;
    while (*end == ' ') end++;
    size_t len = strlen(end);
    while (len > 0 && (end[len - 1] == ' ' || end[len - 1] == '\t')) len--;
    snprintf(sym, cap, "%.*s", (int)len, end);
}

/* SI factor of a unit symbol of the dimension, or 0 when it is not one. */
static double unit_factor(unit_dim dim, const char *sym)
{
    char text[64], msg[256];
    double f = 0;
    snprintf(text, sizeof text, "1 %s", sym);
    return unit_parse(text, dim, &f, msg, sizeof msg) == 0 ? f : 0;
}

int param_ref_value_parse(const param_ref *r, const char *text, double *v, char *msg, size_t cap)
{
    const param_spec *s = r->spec;
    if (s->type == PARAM_UINT || s->type == PARAM_INT) {
        const char *p = text;
        bool neg = *p == '-';
        if (neg && s->type == PARAM_INT) p++;
        if (!*p) goto not_integer;
        for (const char *c = p; *c; c++)
            if (*c < '0' || *c > '9') goto not_integer;
        errno = 0;
        unsigned long long u = strtoull(p, NULL, 10);
        if (errno == ERANGE) {
            snprintf(msg, cap, "integer '%s' is too large", text);
            return -1;
        }
        *v = neg ? -(double)u : (double)u;
        return 0;
    not_integer:
        snprintf(msg, cap, "expected an integer, got '%s'", text);
        return -1;
    }
    return unit_parse(text, param_ref_dim(r), v, msg, cap);
}

/* "%.*g" of q, with a unit after it when sym is not empty. */
static void print_q(char *buf, size_t cap, int digits, double q, const char *sym)
{
    if (sym[0]) snprintf(buf, cap, "%.*g %s", digits, q, sym);
    else snprintf(buf, cap, "%.*g", digits, q);
}

void param_ref_value_text(const param_ref *r, double v, const char *unit, int digits, char *buf,
                          size_t cap)
{
    const param_spec *s = r->spec;
    if (s->type == PARAM_UINT) {
        snprintf(buf, cap, "%" PRIu64, v <= 0 ? (uint64_t)0 : (uint64_t)llround(v));
        return;
    }
    if (s->type == PARAM_INT) {
        snprintf(buf, cap, "%" PRId64, (int64_t)llround(v));
        return;
    }
    char sym[32] = "";
    double factor = 1.0;
    if (s->type == PARAM_QUANTITY) {
        if (param_ref_is_integer(r)) v = round(v);
        if (unit && unit[0] && unit_factor(s->dim, unit) > 0) {
            snprintf(sym, sizeof sym, "%s", unit);
        } else {
            char readable[96];
            unit_format(v, s->dim, readable, sizeof readable);
            param_ref_unit_symbol(readable, sym, sizeof sym);
        }
        factor = unit_factor(s->dim, sym);
        if (!(factor > 0)) { sym[0] = '\0'; factor = 1.0; }
    }
    double q = v / factor;
    /* A whole number of bytes is written exactly, whatever `digits` asks. */
    if (digits > 0 && !param_ref_is_integer(r)) {
        print_q(buf, cap, digits, q, sym);
        return;
    }
    char msg[256];
    for (int d = 1; d <= 17; d++) {
        double back;
        print_q(buf, cap, d, q, sym);
        if (param_ref_value_parse(r, buf, &back, msg, sizeof msg) == 0 && back == v) return;
    }
    print_q(buf, cap, 17, q, sym);
}
