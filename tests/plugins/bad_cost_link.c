/* Test plug-in: an honest serial link (1 Gbit/s, 1 us set-up, 1 pJ/bit)
 * whose transfer() returns one bad value, chosen by the `fault` parameter,
 * so tests can prove mcusim refuses every kind of nonsense a plug-in can
 * return (tests/e2e/plugin_results.sh). `fault: none` is the honest link;
 * `fault: refuse` makes create() reject its parameters, as a model's
 * cross-field rule does (tests/bad_configs/link_create_refuses.yaml). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "link.h"

enum fault {
    F_NONE, F_NEGATIVE_TIME, F_NAN_TIME, F_INF_TIME, F_HUGE_TIME, F_NEGATIVE_ENERGY,
    F_NAN_ENERGY, F_WIRE_MAX, F_WIRE_SHORT, F_REFUSE
};
static const char *const fault_names[] = {"none", "negative_time", "nan_time", "inf_time",
                                          "huge_time", "negative_energy", "nan_energy",
                                          "wire_max", "wire_short", "refuse", NULL};

typedef struct bad_params {
    int fault;
} bad_params;

struct link_model {
    bad_params p;
};

static const param_spec specs[] = {
    {"fault", PARAM_ENUM, DIM_NONE, offsetof(bad_params, fault), 0, 0, "none", fault_names,
     "which bad value transfer() returns (test fixture)"},
};

static int bad_create(const void *params, link_model **out, char *err, size_t errlen)
{
    if (((const bad_params *)params)->fault == F_REFUSE) {
        snprintf(err, errlen, "fault: 'refuse' makes create() reject the parameters (test fixture)");
        return -1;
    }
    link_model *m = malloc(sizeof *m);
    if (!m) return -1;
    m->p = *(const bad_params *)params;
    *out = m;
    return 0;
}

static link_cost bad_transfer(const link_model *m, uint64_t payload)
{
    link_cost c = {1e-6 + 8.0 * (double)payload / 1e9, 8.0 * (double)payload * 1e-12, payload};
    switch ((enum fault)m->p.fault) {
    case F_NONE: break;
    case F_NEGATIVE_TIME: c.time_s = -1.0; break;
    case F_NAN_TIME: c.time_s = NAN; break;
    case F_INF_TIME: c.time_s = INFINITY; break;
    case F_HUGE_TIME: c.time_s = 1e300; break;
    case F_NEGATIVE_ENERGY: c.energy_j = -31.993; break;
    case F_NAN_ENERGY: c.energy_j = NAN; break;
    case F_WIRE_MAX: c.wire_bytes = UINT64_MAX; break;
    case F_WIRE_SHORT: c.wire_bytes = payload / 2; break;
    case F_REFUSE: break;
    }
    return c;
}

static void bad_destroy(link_model *m)
{
    free(m);
}

static const link_model_ops ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION,
    .name = "bad_cost",
    .description = "test fixture: a serial link returning the bad value `fault` names",
    .params = specs,
    .n_params = sizeof specs / sizeof specs[0],
    .params_size = sizeof(bad_params),
    .create = bad_create,
    .transfer = bad_transfer,
    .destroy = bad_destroy,
};

const link_model_ops *mcusim_link_model(void)
{
    return &ops;
}
