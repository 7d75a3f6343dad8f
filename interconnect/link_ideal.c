/* The ideal link: moves any payload in zero time for zero energy. It is the
 * bound every real link is compared against (how much of a run's latency is
 * communication at all), not a piece of hardware. */
#include <stdlib.h>

#include "../core/link.h"

struct link_model {
    int unused;   /* ISO C forbids empty structs */
};

static int ideal_create(const void *params, link_model **out, char *err, size_t errlen)
{
    (void)params;
    (void)err;
    (void)errlen;
    *out = calloc(1, sizeof **out);
    return *out ? 0 : -1;
}

static link_cost ideal_transfer(const link_model *m, uint64_t payload_bytes)
{
    (void)m;
    link_cost c = {0.0, 0.0, payload_bytes};
    return c;
}

static void ideal_destroy(link_model *m)
{
    free(m);
}

const link_model_ops link_ideal_ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION,
    .name = "ideal",
    .description = "zero time, zero energy: the bound on what communication can cost",
    .params = NULL,
    .n_params = 0,
    .params_size = 0,
    .create = ideal_create,
    .transfer = ideal_transfer,
    .destroy = ideal_destroy,
};
