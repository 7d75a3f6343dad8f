/* Parameters by full key, as calibrate and sensitivity use them: found
 * through the spec tables (node and link), refused with a reason when they
 * are not numbers, and written as text that the loader reads back exactly. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cunit_main.h"
#include "param_ref.h"

static experiment *load_with(const char *set)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/configs/experiments/paper/tinyllama_ar.yaml", MCUSIM_SOURCE_DIR);
    cfg_error err;
    memset(&err, 0, sizeof err);
    experiment *e = experiment_load(path, MCUSIM_SOURCE_DIR "/configs", set ? &set : NULL, set ? 1 : 0, &err);
    if (!e) cfg_error_print(&err, stderr);
    return e;
}

static experiment *load(void)
{
    return load_with(NULL);
}

static void test_every_table_entry_listed(void)
{
    experiment *e = load();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    size_t n = param_ref_count(e);
    CU_ASSERT_EQUAL(n, e->node_model->n_params + e->link_ops->n_params);
    param_ref all[256];
    CU_ASSERT_EQUAL_FATAL(param_ref_list(e, all, 256), n);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(all[i].index, i);
        CU_ASSERT_TRUE(strncmp(all[i].key, all[i].link ? "system.link." : "system.node.", 12) == 0);
        /* each key finds itself, when numeric */
        param_ref r;
        char msg[256];
        int rc = param_ref_find(e, all[i].key, &r, msg, sizeof msg);
        CU_ASSERT_EQUAL(rc == 0, param_ref_spec_is_numeric(all[i].spec));
        if (rc == 0) CU_ASSERT_PTR_EQUAL(r.spec, all[i].spec);
    }
    experiment_destroy(e);
}

static void test_find_refusals(void)
{
    experiment *e = load_with("system.link.lane_rate=2.5 Gbps");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    param_ref r;
    char msg[256];
    CU_ASSERT_EQUAL(param_ref_find(e, "system.node.hyperram.bandwith", &r, msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "did you mean 'system.node.hyperram.bandwidth'"));
    CU_ASSERT_EQUAL(param_ref_find(e, "system.node.npu.offload", &r, msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "not a number"));
    CU_ASSERT_EQUAL(param_ref_find(e, "workload.seq_len", &r, msg, sizeof msg), -1);
    CU_ASSERT_EQUAL(param_ref_find(e, "system.link.lane_rate", &r, msg, sizeof msg), 0);
    CU_ASSERT_TRUE(r.link);
    CU_ASSERT_EQUAL(param_ref_get(e, &r), 2.5e9);   /* reads the bound value */
    experiment_destroy(e);
}

/* Text in a given unit, and the exact text, read back by the loader's rules. */
static void test_text_round_trip(void)
{
    experiment *e = load();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    param_ref bw, l2, lanes, eff;
    char msg[256], t[96];
    double back;
    CU_ASSERT_EQUAL_FATAL(param_ref_find(e, "system.node.hyperram.bandwidth", &bw, msg, sizeof msg), 0);
    CU_ASSERT_EQUAL_FATAL(param_ref_find(e, "system.node.l2.size", &l2, msg, sizeof msg), 0);
    CU_ASSERT_EQUAL_FATAL(param_ref_find(e, "system.link.lanes", &lanes, msg, sizeof msg), 0);
    CU_ASSERT_EQUAL_FATAL(param_ref_find(e, "system.node.cluster.inner_loop_efficiency", &eff, msg, sizeof msg), 0);

    param_ref_value_text(&bw, 1.23456789e9, "GB/s", 9, t, sizeof t);
    CU_ASSERT_STRING_EQUAL(t, "1.23456789 GB/s");
    param_ref_value_text(&bw, 1.23456789e9, "MB/s", 4, t, sizeof t);
    CU_ASSERT_STRING_EQUAL(t, "1235 MB/s");
    /* digits 0: the shortest text that reads back to exactly the value */
    const double awkward[] = {1.0 / 3.0 * 1e9, 299999851.0, 2e8, 0.1 * 3e9};
    for (size_t i = 0; i < sizeof awkward / sizeof awkward[0]; i++) {
        param_ref_value_text(&bw, awkward[i], NULL, 0, t, sizeof t);
        CU_ASSERT_EQUAL(param_ref_value_parse(&bw, t, &back, msg, sizeof msg), 0);
        CU_ASSERT_EQUAL(back, awkward[i]);
    }
    param_ref_value_text(&eff, 0.6, NULL, 0, t, sizeof t);
    CU_ASSERT_STRING_EQUAL(t, "0.6");
    /* whole numbers: integers and byte sizes are rounded, and exact whatever the digits */
    CU_ASSERT_TRUE(param_ref_is_integer(&l2) && param_ref_is_integer(&lanes) && !param_ref_is_integer(&bw));
    param_ref_value_text(&lanes, 2.6, NULL, 9, t, sizeof t);
    CU_ASSERT_STRING_EQUAL(t, "3");
    param_ref_value_text(&l2, 1677721.6, "MiB", 3, t, sizeof t);
    CU_ASSERT_EQUAL(param_ref_value_parse(&l2, t, &back, msg, sizeof msg), 0);
    CU_ASSERT_EQUAL(back, 1677722.0);
    CU_ASSERT_EQUAL(param_ref_value_parse(&lanes, "2.5", &back, msg, sizeof msg), -1);
    CU_ASSERT_EQUAL(param_ref_value_parse(&bw, "200 MHz", &back, msg, sizeof msg), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "frequency"));
    char sym[32];
    param_ref_unit_symbol("  200 MB/s ", sym, sizeof sym);
    CU_ASSERT_STRING_EQUAL(sym, "MB/s");
    param_ref_unit_symbol("0.5", sym, sizeof sym);
    CU_ASSERT_STRING_EQUAL(sym, "");
    experiment_destroy(e);
}

static int register_tests(void)
{
    ADD_SUITE("param_ref", TEST(test_every_table_entry_listed), TEST(test_find_refusals),
              TEST(test_text_round_trip));
    return 0;
}

CUNIT_MAIN(register_tests)
