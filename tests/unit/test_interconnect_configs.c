/* The shipped link configs and the spec tables work through the real config
 * layer: every YAML file in configs/links binds to its model and builds, and
 * the code defaults are exactly the documented default config. */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cunit_main.h"
#include "link.h"

static const char *const model_key[] = {"model", NULL};

/* Binds `n` to the model's params; returns the blob (caller frees) or NULL. */
static void *bind_link(const link_model_ops *o, const cfg_node *n, cfg_error *e)
{
    void *blob = calloc(1, o->params_size ? o->params_size : 1);
    if (cfg_bind(n, "link", o->params, o->n_params, model_key, blob, e) != 0) {
        cfg_error_print(e, stderr);
        free(blob);
        return NULL;
    }
    return blob;
}

static void check_config(const char *file, int defaults_equal)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/configs/links/%s", MCUSIM_SOURCE_DIR, file);
    cfg_error e;
    memset(&e, 0, sizeof e);
    cfg_node *root = cfg_load_file(path, &e);
    if (!root) cfg_error_print(&e, stderr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const char *name = cfg_scalar(cfg_map_get(root, "model"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(name);
    const link_model_ops *o = link_find_builtin(name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    void *blob = bind_link(o, root, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(blob);
    link_model *m = NULL;
    char err[256] = "";
    CU_ASSERT_EQUAL(o->create(blob, &m, err, sizeof err), 0);
    if (m) {
        link_cost c = o->transfer(m, 4096);
        CU_ASSERT(c.wire_bytes >= 4096);
        CU_ASSERT(c.time_s >= 0 && c.energy_j >= 0);
        o->destroy(m);
    }
    if (defaults_equal) {
        cfg_node *empty = cfg_load_string("{}", 2, "empty", &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
        void *dflt = bind_link(o, empty, &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(dflt);
        CU_ASSERT_EQUAL(memcmp(blob, dflt, o->params_size), 0);
        free(dflt);
        cfg_destroy(empty);
    }
    free(blob);
    cfg_destroy(root);
}

static void test_dphy_config(void) { check_config("mipi_dphy.yaml", 1); }
static void test_cphy_config(void) { check_config("mipi_cphy.yaml", 1); }
static void test_serdes_config(void) { check_config("serdes.yaml", 1); }
static void test_ideal_config(void) { check_config("ideal.yaml", 1); }

static void test_dphy_rejects_bad_units(void)
{
    const link_model_ops *o = link_find_builtin("mipi_dphy");
    cfg_error e;
    const char *bad[] = {"{lane_rate: 1.5 GHz}", "{lanes: 5}", "{energy_per_bit: 5 pJ/B}"};
    for (size_t i = 0; i < 3; i++) {
        cfg_node *n = cfg_load_string(bad[i], strlen(bad[i]), "link", &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(n);
        void *blob = calloc(1, o->params_size);
        CU_ASSERT_NOT_EQUAL(cfg_bind(n, "link", o->params, o->n_params, NULL, blob, &e), 0);
        free(blob);
        cfg_destroy(n);
    }
}

static int register_tests(void)
{
    ADD_SUITE("configs", TEST(test_dphy_config), TEST(test_cphy_config), TEST(test_serdes_config),
              TEST(test_ideal_config), TEST(test_dphy_rejects_bad_units));
    return 0;
}

CUNIT_MAIN(register_tests)
