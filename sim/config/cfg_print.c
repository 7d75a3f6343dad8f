/* Printing bound structs back as YAML, each value in readable units with its
 * doc as a comment, so `mcusim validate` output can be pasted into a config. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cfg.h"

static bool plain_safe(const char *s)
{
    if (!*s) return false;
    for (const char *c = s; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || strchr("_-./+", *c);
        if (!ok) return false;
    }
    /* Words YAML would read as something other than a string. */
    static const char *const reserved[] = {"true", "false", "yes", "no", "null", "on", "off", "~"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(s, reserved[i]) == 0) return false;
    return true;
}

static void print_string(FILE *out, const char *s)
{
    if (plain_safe(s)) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *c = s; *c; c++) {
        if (*c == '"' || *c == '\\') fputc('\\', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

void cfg_print_value(FILE *out, const param_spec *s, const void *obj)
{
    const char *field = (const char *)obj + s->offset;
    char buf[96];
    switch (s->type) {
    case PARAM_BOOL: fputs(*(const bool *)field ? "true" : "false", out); break;
    case PARAM_UINT: fprintf(out, "%" PRIu64, *(const uint64_t *)field); break;
    case PARAM_INT: fprintf(out, "%" PRId64, *(const int64_t *)field); break;
    case PARAM_DOUBLE: fprintf(out, "%.10g", *(const double *)field); break;
    case PARAM_QUANTITY:
        unit_format(*(const double *)field, s->dim, buf, sizeof buf);
        fputs(buf, out);
        break;
    case PARAM_ENUM: {
        int v = *(const int *)field;
        int n = 0;
        while (s->enum_names && s->enum_names[n]) n++;
        if (v >= 0 && v < n) fputs(s->enum_names[v], out);
        else fprintf(out, "%d", v);
        break;
    }
    case PARAM_STRING: print_string(out, field); break;
    case PARAM_UINT_LIST: {
        const param_uint_list *l = (const param_uint_list *)field;
        fputc('[', out);
        for (size_t i = 0; i < l->n; i++)
            fprintf(out, "%s%" PRIu64, i ? ", " : "", l->v[i]);
        fputc(']', out);
        break;
    }
    }
}

size_t cfg_key_shared_prefix(const char *a, const char *b)
{
    size_t last = 0, i = 0;
    while (a[i] && a[i] == b[i]) {
        i++;
        if (a[i] == '.' && b[i] == '.') last = i + 1;
    }
    return last;
}

void cfg_print_bound(FILE *out, int indent, const param_spec *specs, size_t n_specs,
                     const void *obj)
{
    const char *prev = "";
    for (size_t i = 0; i < n_specs; i++) {
        const char *key = specs[i].key;
        size_t start = cfg_key_shared_prefix(prev, key);
        int depth = 0;
        for (size_t j = 0; j < start; j++) depth += key[j] == '.';
        /* Open the map headers this key needs that the previous key did not. */
        const char *p = key + start;
        const char *dot;
        while ((dot = strchr(p, '.')) != NULL) {
            fprintf(out, "%*s%.*s:\n", indent + 2 * depth, "", (int)(dot - p), p);
            depth++;
            p = dot + 1;
        }
        fprintf(out, "%*s%s: ", indent + 2 * depth, "", p);
        cfg_print_value(out, &specs[i], obj);
        if (specs[i].doc && specs[i].doc[0]) fprintf(out, "  # %s", specs[i].doc);
        fputc('\n', out);
        prev = key;
    }
}
