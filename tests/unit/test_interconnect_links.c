/* Built-in link models against hand computations from their parameters. The
 * parameters are written through each model's own param_spec table by key, as
 * the config layer does, so the tests also check the tables' offsets and
 * types. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "link.h"

/* Writes `v` into the field `key` of a params blob, typed by the spec. */
static void set_param(const link_model_ops *ops, void *blob, const char *key, double v)
{
    for (size_t i = 0; i < ops->n_params; i++) {
        const param_spec *s = &ops->params[i];
        if (strcmp(s->key, key) != 0) continue;
        char *f = (char *)blob + s->offset;
        switch (s->type) {
        case PARAM_UINT: { uint64_t u = (uint64_t)v; memcpy(f, &u, sizeof u); } break;
        case PARAM_INT: { int64_t x = (int64_t)v; memcpy(f, &x, sizeof x); } break;
        case PARAM_DOUBLE:
        case PARAM_QUANTITY: memcpy(f, &v, sizeof v); break;
        case PARAM_ENUM: { int e = (int)v; memcpy(f, &e, sizeof e); } break;
        default: CU_FAIL("unexpected parameter type"); break;
        }
        CU_ASSERT(v >= s->min && v <= s->max);
        return;
    }
    CU_FAIL(key);
}

typedef struct kv { const char *k; double v; } kv;

/* Creates a model from key/value pairs; every key of the table must be given. */
static link_model *make(const link_model_ops *ops, const kv *kvs, size_t n)
{
    CU_ASSERT_EQUAL_FATAL(n, ops->n_params);
    void *blob = calloc(1, ops->params_size ? ops->params_size : 1);
    for (size_t i = 0; i < n; i++) set_param(ops, blob, kvs[i].k, kvs[i].v);
    link_model *m = NULL;
    char err[256] = "";
    int rc = ops->create(blob, &m, err, sizeof err);
    free(blob);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    return m;
}

#define NKV(a) (sizeof(a) / sizeof(a)[0])
#define REL(a, b) (fabs((a) - (b)) <= 1e-12 * fabs(b) + 1e-30)

static link_model *dphy(double lanes, double rate, double maxp, double startup, double epb)
{
    const kv p[] = {{"lanes", lanes}, {"lane_rate", rate}, {"max_payload", maxp},
                    {"header_bytes", 4}, {"footer_bytes", 2}, {"startup", startup},
                    {"energy_per_bit", epb}};
    return make(link_find_builtin("mipi_dphy"), p, NKV(p));
}

static void test_registry(void)
{
    const link_model_ops *const *all = link_builtin_models();
    const char *want[] = {"ideal", "mipi_dphy", "mipi_cphy", "serdes"};
    for (size_t i = 0; i < 4; i++) {
        const link_model_ops *o = link_find_builtin(want[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(o);
        CU_ASSERT_STRING_EQUAL(o->name, want[i]);
        CU_ASSERT_EQUAL(o->abi_version, MCUSIM_LINK_ABI_VERSION);
        int listed = 0;
        for (size_t j = 0; all[j]; j++) listed += all[j] == o;
        CU_ASSERT_EQUAL(listed, 1);
    }
    CU_ASSERT_PTR_NULL(link_find_builtin("mipi_dphi"));
    CU_ASSERT_PTR_NULL(link_find_builtin(NULL));
}

static void test_ideal_is_free(void)
{
    const link_model_ops *o = link_find_builtin("ideal");
    link_model *m = make(o, NULL, 0);
    for (uint64_t n = 0; n < (1u << 20); n = n * 3 + 1) {
        link_cost c = o->transfer(m, n);
        CU_ASSERT_EQUAL(c.time_s, 0.0);
        CU_ASSERT_EQUAL(c.energy_j, 0.0);
    }
    o->destroy(m);
}

/* 10000 B in 4 KiB packets: 3 packets, 6 B framing each. */
static void test_dphy_hand(void)
{
    const link_model_ops *o = link_find_builtin("mipi_dphy");
    link_model *m = dphy(2, 2.5e9, 4096, 300e-9, 5e-12);
    link_cost c = o->transfer(m, 10000);
    uint64_t wire = 10000 + 3 * 6;
    CU_ASSERT_EQUAL(c.wire_bytes, wire);
    CU_ASSERT(REL(c.time_s, 300e-9 + wire * 8.0 / (2 * 2.5e9)));
    CU_ASSERT(REL(c.energy_j, wire * 8.0 * 5e-12));
    /* Exactly one packet's worth needs one packet; one byte more, two. */
    CU_ASSERT_EQUAL(o->transfer(m, 4096).wire_bytes, 4096 + 6);
    CU_ASSERT_EQUAL(o->transfer(m, 4097).wire_bytes, 4097 + 12);
    CU_ASSERT_EQUAL(o->transfer(m, 0).time_s, 0.0);
    o->destroy(m);
}

static void test_dphy_monotone(void)
{
    const link_model_ops *o = link_find_builtin("mipi_dphy");
    const double rates[] = {1.5e9, 2.5e9, 4.5e9};
    const uint64_t sizes[] = {1, 100, 4096, 65536, 1u << 20};
    for (size_t s = 0; s < 5; s++) {
        double prev_lane = INFINITY;
        for (int lanes = 1; lanes <= 4; lanes++) {
            double prev_rate = INFINITY;
            for (size_t r = 0; r < 3; r++) {
                link_model *m = dphy(lanes, rates[r], 4096, 300e-9, 5e-12);
                double t = o->transfer(m, sizes[s]).time_s;
                CU_ASSERT(t <= prev_rate);
                prev_rate = t;
                if (r == 0) {
                    CU_ASSERT(t <= prev_lane);
                    prev_lane = t;
                }
                /* More payload never takes less time. */
                CU_ASSERT(o->transfer(m, sizes[s] + 1).time_s >= t);
                o->destroy(m);
            }
        }
    }
}

static void test_dphy_rejects_five_lanes(void)
{
    const link_model_ops *o = link_find_builtin("mipi_dphy");
    const kv p[] = {{"lanes", 4}, {"lane_rate", 1.5e9}, {"max_payload", 4096},
                    {"header_bytes", 4}, {"footer_bytes", 2}, {"startup", 0},
                    {"energy_per_bit", 0}};
    void *blob = calloc(1, o->params_size);
    for (size_t i = 0; i < NKV(p); i++) set_param(o, blob, p[i].k, p[i].v);
    uint64_t five = 5;
    for (size_t i = 0; i < o->n_params; i++)
        if (!strcmp(o->params[i].key, "lanes")) memcpy((char *)blob + o->params[i].offset, &five, 8);
    link_model *m = NULL;
    char err[256] = "";
    CU_ASSERT_NOT_EQUAL(o->create(blob, &m, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "lanes"));
    free(blob);
}

static void test_cphy_hand(void)
{
    const link_model_ops *o = link_find_builtin("mipi_cphy");
    const kv p[] = {{"trios", 3}, {"symbol_rate", 2.5e9}, {"bits_per_symbol", 16.0 / 7.0},
                    {"max_payload", 1000}, {"header_bytes", 4}, {"footer_bytes", 2},
                    {"startup", 100e-9}, {"energy_per_bit", 3e-12}};
    link_model *m = make(o, p, NKV(p));
    link_cost c = o->transfer(m, 2500);   /* 3 packets */
    uint64_t wire = 2500 + 3 * 6;
    CU_ASSERT_EQUAL(c.wire_bytes, wire);
    CU_ASSERT(REL(c.time_s, 100e-9 + wire * 8.0 / (3 * 2.5e9 * 16.0 / 7.0)));
    CU_ASSERT(REL(c.energy_j, wire * 8.0 * 3e-12));
    o->destroy(m);
}

static void test_serdes_hand(void)
{
    const link_model_ops *o = link_find_builtin("serdes");
    const kv p[] = {{"bandwidth", 10e9}, {"latency", 50e-9}, {"efficiency", 0.8},
                    {"energy_per_bit", 2e-12}};
    link_model *m = make(o, p, NKV(p));
    link_cost c = o->transfer(m, 1000);   /* 8b/10b: 1250 line bytes */
    CU_ASSERT_EQUAL(c.wire_bytes, 1250);
    CU_ASSERT(REL(c.time_s, 50e-9 + 1250 * 8.0 / 10e9));
    CU_ASSERT(REL(c.energy_j, 1250 * 8.0 * 2e-12));
    CU_ASSERT_EQUAL(o->transfer(m, 1).wire_bytes, 2);   /* 1.25 rounds up */
    o->destroy(m);
}

/* Every table is usable by the config layer: unique keys, a doc line, and a
 * default that the range accepts where the default is a plain number. */
static void test_param_tables(void)
{
    const link_model_ops *const *all = link_builtin_models();
    for (size_t i = 0; all[i]; i++) {
        const link_model_ops *o = all[i];
        CU_ASSERT_PTR_NOT_NULL(o->description);
        for (size_t a = 0; a < o->n_params; a++) {
            const param_spec *s = &o->params[a];
            CU_ASSERT(s->doc && s->doc[0]);
            CU_ASSERT(s->offset < o->params_size);
            CU_ASSERT_PTR_NOT_NULL(s->default_text);
            if (s->type == PARAM_UINT || s->type == PARAM_DOUBLE) {
                double d = strtod(s->default_text, NULL);
                CU_ASSERT(d >= s->min && d <= s->max);
            }
            for (size_t b = a + 1; b < o->n_params; b++)
                CU_ASSERT(strcmp(s->key, o->params[b].key) != 0);
        }
    }
}

static int register_tests(void)
{
    ADD_SUITE("links", TEST(test_registry), TEST(test_ideal_is_free), TEST(test_dphy_hand),
              TEST(test_dphy_monotone), TEST(test_dphy_rejects_five_lanes),
              TEST(test_cphy_hand), TEST(test_serdes_hand), TEST(test_param_tables));
    return 0;
}

CUNIT_MAIN(register_tests)
