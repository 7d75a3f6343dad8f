/* The table of built-in link models. A new built-in is one file defining its
 * link_model_ops plus one line here; out-of-tree models need neither (see
 * link_plugin.c and README "Writing a link model"). */
#include <string.h>

#include "../core/link.h"

extern const link_model_ops link_ideal_ops;
extern const link_model_ops link_mipi_dphy_ops;
extern const link_model_ops link_mipi_cphy_ops;
extern const link_model_ops link_serdes_ops;

static const link_model_ops *const builtins[] = {
    &link_ideal_ops,
    &link_mipi_dphy_ops,
    &link_mipi_cphy_ops,
    &link_serdes_ops,
    NULL,
};

const link_model_ops *const *link_builtin_models(void)
{
    return builtins;
}

const link_model_ops *link_find_builtin(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; builtins[i]; i++)
        if (strcmp(builtins[i]->name, name) == 0) return builtins[i];
    return NULL;
}
