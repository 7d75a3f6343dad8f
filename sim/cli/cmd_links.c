/* `mcusim links`: the built-in link models and their parameters, printed
 * from the same param_spec tables the loader binds with. */
#include <stdio.h>

#include "cli_common.h"
#include "commands.h"

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

static void print_param(const param_spec *s)
{
    printf("    %-16s %s", s->key, type_name(s));
    if (s->type == PARAM_QUANTITY) printf(" (%s)", unit_dim_examples(s->dim));
    if (s->type == PARAM_ENUM)
        for (size_t i = 0; s->enum_names && s->enum_names[i]; i++)
            printf("%s%s", i ? ", " : " ", s->enum_names[i]);
    bool numeric = s->type == PARAM_UINT || s->type == PARAM_INT || s->type == PARAM_DOUBLE ||
                   s->type == PARAM_QUANTITY || s->type == PARAM_UINT_LIST;
    if (numeric && !(s->min == 0.0 && s->max == 0.0)) {
        char lo[64], hi[64];
        unit_dim d = s->type == PARAM_QUANTITY ? s->dim : DIM_NONE;
        unit_format(s->min, d, lo, sizeof lo);
        unit_format(s->max, d, hi, sizeof hi);
        printf(", range [%s, %s]", lo, hi);
    }
    printf(", %s%s\n", s->default_text ? "default " : "required", s->default_text ? s->default_text : "");
    if (s->doc && s->doc[0]) printf("        %s\n", s->doc);
}

int cmd_links(int argc, char **argv)
{
    if (argc > 1) return cli_usage_error("links", "takes no arguments (got '%s')", argv[1]);
    printf("Built-in link models (use in an experiment as system.link: {model: NAME, ...}, or\n"
           "for some chip pairs as system.links: [{level: L or pairs: [[src, dst]], "
           "link: {...}}]).\n"
           "Out-of-tree models: system.link: {plugin: path/to/lib.so, ...} "
           "(see interconnect/README.md).\n");
    const link_model_ops *const *all = link_builtin_models();
    for (size_t i = 0; all[i]; i++) {
        const link_model_ops *m = all[i];
        printf("\n%s: %s\n", m->name, m->description ? m->description : "");
        if (m->n_params == 0) printf("    (no parameters)\n");
        for (size_t j = 0; j < m->n_params; j++) print_param(&m->params[j]);
    }
    return 0;
}
