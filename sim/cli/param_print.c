/* Printing parameter tables (see param_print.h). */
#include "param_print.h"

#include <stdbool.h>

static const char *type_name(const param_spec *s)
{
    switch (s->type) {
    case PARAM_BOOL: return "bool";
    case PARAM_UINT: return "integer >= 0";
    case PARAM_INT: return "integer";
    case PARAM_DOUBLE: return "number";
    case PARAM_QUANTITY: return unit_dim_name(s->dim);
    case PARAM_ENUM: return "one of";
    case PARAM_STRING: return "string";
    case PARAM_UINT_LIST: return "list of integers";
    }
    return "?";
}

void param_print(FILE *out, const param_spec *s)
{
    fprintf(out, "    %-16s %s", s->key, type_name(s));
    if (s->type == PARAM_QUANTITY) fprintf(out, " (%s)", unit_dim_examples(s->dim));
    if (s->type == PARAM_ENUM)
        for (size_t i = 0; s->enum_names && s->enum_names[i]; i++)
            fprintf(out, "%s%s", i ? ", " : " ", s->enum_names[i]);
    bool numeric = s->type == PARAM_UINT || s->type == PARAM_INT || s->type == PARAM_DOUBLE ||
                   s->type == PARAM_QUANTITY || s->type == PARAM_UINT_LIST;
    if (numeric && !(s->min == 0.0 && s->max == 0.0)) {
        char lo[64], hi[64];
        unit_dim d = s->type == PARAM_QUANTITY ? s->dim : DIM_NONE;
        unit_format(s->min, d, lo, sizeof lo);
        unit_format(s->max, d, hi, sizeof hi);
        fprintf(out, ", range [%s, %s]", lo, hi);
    }
    fprintf(out, ", %s%s\n", s->default_text ? "default " : "required",
            s->default_text ? s->default_text : "");
    if (s->doc && s->doc[0]) fprintf(out, "        %s\n", s->doc);
}

void param_print_table(FILE *out, const param_spec *specs, size_t n)
{
    if (n == 0) fprintf(out, "    (no parameters)\n");
    for (size_t i = 0; i < n; i++) param_print(out, &specs[i]);
}
