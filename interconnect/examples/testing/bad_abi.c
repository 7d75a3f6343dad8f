/* Test fixture: a plug-in built against a different link ABI version. */
#include "link.h"

static link_cost no_transfer(const link_model *m, uint64_t n)
{
    (void)m;
    link_cost c = {0, 0, n};
    return c;
}
static int no_create(const void *p, link_model **out, char *err, size_t errlen)
{
    (void)p; (void)err; (void)errlen;
    *out = NULL;
    return 0;
}
static void no_destroy(link_model *m) { (void)m; }

static const link_model_ops ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION + 1,
    .name = "bad_abi",
    .description = "test fixture",
    .create = no_create,
    .transfer = no_transfer,
    .destroy = no_destroy,
};

const link_model_ops *mcusim_link_model(void) { return &ops; }
