/* Test plug-in: a link model whose parameter table has exactly one defect,
 * chosen at build time by BAD_SPEC (tests/plugins/CMakeLists.txt builds one
 * library per defect). mcusim must refuse each at load, naming the plug-in
 * and the key, before binding anything through the table
 * (tests/unit/test_interconnect_plugin.c). BAD_SPEC 0 is a correct table. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "link.h"

#ifndef BAD_SPEC
#define BAD_SPEC 0
#endif

typedef struct spec_params {
    double rate;
    uint64_t count;
    int mode;
} spec_params;

struct link_model {
    spec_params p;
};

/* Only some variants name these; unused ones are not an error here. */
__attribute__((unused)) static const char *const modes[] = {"fast", "slow", NULL};
__attribute__((unused)) static const char *const no_modes[] = {NULL};

#define RATE_OFFSET offsetof(spec_params, rate)
#define COUNT_OFFSET offsetof(spec_params, count)

static const param_spec specs[] = {
    {"rate", PARAM_QUANTITY, DIM_BITRATE,
#if BAD_SPEC == 1      /* offset_past_size: the field would be written past the struct */
     sizeof(spec_params) + 64,
#elif BAD_SPEC == 2    /* offset_misaligned */
     RATE_OFFSET + 1,
#else
     RATE_OFFSET,
#endif
#if BAD_SPEC == 3      /* min_above_max */
     1e9, 1e3,
#else
     1e3, 1e12,
#endif
#if BAD_SPEC == 4      /* default_unparsable */
     "fast please",
#elif BAD_SPEC == 5    /* default_out_of_range */
     "2000 Gbps",
#elif BAD_SPEC == 6    /* default_wrong_unit */
     "1 MiB",
#else
     "1 Gbps",
#endif
     NULL, "bit rate (test fixture)"},
#if BAD_SPEC == 7      /* duplicate_key */
    {"rate", PARAM_UINT, DIM_NONE, COUNT_OFFSET, 0, 10, "1", NULL, "again (test fixture)"},
#elif BAD_SPEC == 8    /* unknown_type */
    {"count", (param_type)42, DIM_NONE, COUNT_OFFSET, 0, 10, "1", NULL, "(test fixture)"},
#elif BAD_SPEC == 9    /* unknown_dimension */
    {"count", PARAM_QUANTITY, (unit_dim)99, COUNT_OFFSET, 0, 10, "1", NULL, "(test fixture)"},
#elif BAD_SPEC == 10   /* reserved_key */
    {"plugin", PARAM_UINT, DIM_NONE, COUNT_OFFSET, 0, 10, "1", NULL, "(test fixture)"},
#elif BAD_SPEC == 11   /* null_key */
    {NULL, PARAM_UINT, DIM_NONE, COUNT_OFFSET, 0, 10, "1", NULL, "(test fixture)"},
#elif BAD_SPEC == 12   /* key_value_and_map */
    {"rate.max", PARAM_UINT, DIM_NONE, COUNT_OFFSET, 0, 10, "1", NULL, "(test fixture)"},
#else
    {"count", PARAM_UINT, DIM_NONE, COUNT_OFFSET, 0, 10, "1", NULL, "(test fixture)"},
#endif
#if BAD_SPEC == 13     /* enum_names_null */
    {"mode", PARAM_ENUM, DIM_NONE, offsetof(spec_params, mode), 0, 1, "fast", NULL,
     "(test fixture)"},
#elif BAD_SPEC == 14   /* enum_names_empty */
    {"mode", PARAM_ENUM, DIM_NONE, offsetof(spec_params, mode), 0, 1, "fast", no_modes,
     "(test fixture)"},
#elif BAD_SPEC == 15   /* enum_default_unknown */
    {"mode", PARAM_ENUM, DIM_NONE, offsetof(spec_params, mode), 0, 1, "medium", modes,
     "(test fixture)"},
#elif BAD_SPEC == 16   /* string_past_size: a 256-byte string field in a small struct */
    {"mode", PARAM_STRING, DIM_NONE, offsetof(spec_params, mode), 0, 0, "x", NULL,
     "(test fixture)"},
#else
    {"mode", PARAM_ENUM, DIM_NONE, offsetof(spec_params, mode), 0, 1, "fast", modes,
     "(test fixture)"},
#endif
};

static int spec_create(const void *params, link_model **out, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    link_model *m = malloc(sizeof *m);
    if (!m) return -1;
    m->p = *(const spec_params *)params;
    *out = m;
    return 0;
}

static link_cost spec_transfer(const link_model *m, uint64_t payload)
{
    link_cost c = {8.0 * (double)payload / m->p.rate, 0.0, payload};
    return c;
}

static void spec_destroy(link_model *m)
{
    free(m);
}

static const link_model_ops ops = {
    .abi_version = MCUSIM_LINK_ABI_VERSION,
    .name = "bad_spec",
    .description = "test fixture: a parameter table with one defect",
    .params = specs,
    .n_params = sizeof specs / sizeof specs[0],
    .params_size = sizeof(spec_params),
    .create = spec_create,
    .transfer = spec_transfer,
    .destroy = spec_destroy,
};

const link_model_ops *mcusim_link_model(void)
{
    return &ops;
}
