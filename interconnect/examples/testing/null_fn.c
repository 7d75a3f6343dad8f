/* Test fixture: a plug-in whose table lacks its transfer function. */
#include <stddef.h>

#include "link.h"

static int no_create(const void *p, link_model **out, char *err, size_t errlen)
{
    (void)p; (void)err; (void)errlen;
    *out = NULL;
    return 0;
}
static void no_destroy(link_model *m) { (void)m; }

static const link_model_ops ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION,
    .name = "null_fn",
    .description = "test fixture",
    .create = no_create,
    .transfer = NULL,
    .destroy = no_destroy,
};

const link_model_ops *mcusim_link_model(void) { return &ops; }
