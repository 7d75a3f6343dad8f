/* Link plug-ins: the example builds, loads and prices transfers differently
 * from the built-ins; each way a plug-in can be broken is a clear one-line
 * error. The .so files are built by interconnect/examples/CMakeLists.txt as
 * dependencies of this test. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "link.h"
#include "link_check.h"

#define PLUGIN_DIR MCUSIM_BINARY_DIR "/plugins/"

static void set_param(const link_model_ops *ops, void *blob, const char *key, double v)
{
    for (size_t i = 0; i < ops->n_params; i++) {
        const param_spec *s = &ops->params[i];
        if (strcmp(s->key, key) != 0) continue;
        char *f = (char *)blob + s->offset;
        if (s->type == PARAM_UINT) {
            uint64_t u = (uint64_t)v;
            memcpy(f, &u, sizeof u);
        } else {
            memcpy(f, &v, sizeof v);
        }
        return;
    }
    CU_FAIL(key);
}

/* Example plug-in with the given bit error rate; other values fixed. */
static link_model *lossy(const link_model_ops *o, double ber)
{
    void *blob = calloc(1, o->params_size);
    set_param(o, blob, "bandwidth", 1e9);
    set_param(o, blob, "latency", 200e-9);
    set_param(o, blob, "max_payload", 1000);
    set_param(o, blob, "header_bytes", 8);
    set_param(o, blob, "bit_error_rate", ber);
    set_param(o, blob, "retry_timeout", 1e-6);
    set_param(o, blob, "energy_per_bit", 5e-12);
    link_model *m = NULL;
    char err[256];
    CU_ASSERT_EQUAL(o->create(blob, &m, err, sizeof err), 0);
    free(blob);
    return m;
}

static void test_example_loads_and_prices(void)
{
    void *h = NULL;
    char err[512] = "";
    const link_model_ops *o = link_plugin_open(PLUGIN_DIR "libmcusim_example_link.so", &h, err,
                                               sizeof err);
    if (!o) fprintf(stderr, "%s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_STRING_EQUAL(o->name, "lossy_serial");
    CU_ASSERT_PTR_NULL(link_find_builtin(o->name));

    /* Error-free: 2500 B = 2 full packets + 500 B, 8 B framing each. */
    link_model *clean = lossy(o, 0.0);
    link_cost c = o->transfer(clean, 2500);
    double bits = 8.0 * (2500 + 3 * 8);
    CU_ASSERT(fabs(c.time_s - (200e-9 + bits / 1e9)) < 1e-15);
    CU_ASSERT(fabs(c.energy_j - bits * 5e-12) < 1e-18);

    /* Bit errors only ever add time and energy. */
    link_model *noisy = lossy(o, 1e-5);
    link_cost n = o->transfer(noisy, 2500);
    CU_ASSERT(n.time_s > c.time_s);
    CU_ASSERT(n.energy_j > c.energy_j);
    /* Expected cost of one 1000 B packet at ber 1e-5, computed here. */
    double b = 8.0 * 1008, att = 1.0 / pow(1 - 1e-5, b);
    link_cost one = o->transfer(noisy, 1000);
    CU_ASSERT(fabs(one.time_s - (200e-9 + att * b / 1e9 + (att - 1) * 1e-6)) < 1e-15);

    o->destroy(clean);
    o->destroy(noisy);
    link_plugin_close(h);
}

/* Opens `path`, expects failure with `needle` in the single-line message. */
static void expect_error(const char *path, const char *needle)
{
    void *h = (void *)1;
    char err[512] = "";
    CU_ASSERT_PTR_NULL(link_plugin_open(path, &h, err, sizeof err));
    CU_ASSERT_PTR_NULL(h);
    if (!strstr(err, needle)) fprintf(stderr, "\nwanted '%s' in: %s\n", needle, err);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, needle));
    CU_ASSERT_PTR_NULL(strchr(err, '\n'));
}

static void test_missing_file(void)
{
    expect_error(PLUGIN_DIR "no_such_plugin.so", "not found");
}

static void test_not_a_library(void)
{
    /* A source file is a file but not a shared object. */
    expect_error(MCUSIM_SOURCE_DIR "/core/link.h", "not a loadable shared library");
}

static void test_missing_symbol(void)
{
    expect_error(PLUGIN_DIR "libmcusim_test_link_no_symbol.so", MCUSIM_LINK_SYMBOL);
}

static void test_abi_mismatch(void)
{
    expect_error(PLUGIN_DIR "libmcusim_test_link_bad_abi.so", "ABI version");
}

static void test_null_function(void)
{
    expect_error(PLUGIN_DIR "libmcusim_test_link_null_fn.so", "transfer is NULL");
}

/* Each defect of a parameter table (tests/plugins/bad_spec_link.c, one
 * library per defect) is refused at load, before anything is bound through
 * the table, naming the plug-in, its path and the entry. */
static void test_spec_defects_refused(void)
{
    static const struct {
        const char *defect, *needle;
    } cases[] = {
        {"offset_past_size", "params[0] 'rate': offset 88 + 8 bytes of its type is past params_size 24"},
        {"offset_misaligned", "params[0] 'rate': offset 1 is not aligned"},
        {"min_above_max", "params[0] 'rate': min 1e+09 is not <= max 1000"},
        {"default_unparsable", "params[0] 'rate': default 'fast please'"},
        {"default_out_of_range", "params[0] 'rate': default '2000 Gbps': value 2000 Gbps out of range [1 kbps, 1000 Gbps]"},
        {"default_wrong_unit", "params[0] 'rate': default '1 MiB': unit 'MiB' is a size in bytes"},
        {"duplicate_key", "params[1] 'rate': duplicate key"},
        {"unknown_type", "params[1] 'count': unknown type 42"},
        {"unknown_dimension", "params[1] 'count': unit dimension 99 is not valid"},
        {"reserved_key", "params[1] 'plugin': key is reserved"},
        {"null_key", "params[1] '(null)': key is NULL"},
        {"key_value_and_map", "params[1] 'rate.max': key clashes with 'rate'"},
        {"enum_names_null", "params[2] 'mode': PARAM_ENUM without enum_names"},
        {"enum_names_empty", "params[2] 'mode': PARAM_ENUM with no names"},
        {"enum_default_unknown", "params[2] 'mode': default 'medium': unknown value 'medium'"},
        {"string_past_size", "params[2] 'mode': offset 16 + 256 bytes of its type is past params_size 24"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512], who[600];
        snprintf(path, sizeof path, PLUGIN_DIR "libmcusim_test_bad_spec_%s.so", cases[i].defect);
        snprintf(who, sizeof who, "link plug-in 'bad_spec' (%s): ", path);
        expect_error(path, who);
        expect_error(path, cases[i].needle);
    }
    /* The same source without a defect loads. */
    void *h = NULL;
    char err[512] = "";
    const link_model_ops *o = link_plugin_open(PLUGIN_DIR "libmcusim_test_bad_spec_ok.so", &h,
                                               err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(o);
    if (!o) fprintf(stderr, "\n%s\n", err);
    link_plugin_close(h);
}

/* The built-in tables pass the same checks a plug-in's must. */
static void test_builtin_tables_pass(void)
{
    for (const link_model_ops *const *b = link_builtin_models(); *b; b++) {
        char err[512] = "";
        CU_ASSERT_EQUAL(link_ops_check(*b, NULL, err, sizeof err), 0);
        if (err[0]) fprintf(stderr, "\n%s\n", err);
    }
}

static int register_tests(void)
{
    ADD_SUITE("plugin", TEST(test_example_loads_and_prices), TEST(test_missing_file),
              TEST(test_not_a_library), TEST(test_missing_symbol), TEST(test_abi_mismatch),
              TEST(test_null_function), TEST(test_spec_defects_refused),
              TEST(test_builtin_tables_pass));
    return 0;
}

CUNIT_MAIN(register_tests)
