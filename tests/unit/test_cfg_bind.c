/* Binding through param_spec tables: every type, defaults, required keys,
 * ranges, enums, lists, unknown keys with did-you-mean, overlays, printing. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "cunit_main.h"

typedef struct demo {
    bool flag;
    uint64_t count;
    int64_t offset;
    double ratio;
    double size;
    double clock;
    int kind;
    char name[PARAM_STRING_MAX];
    param_uint_list chips;
    double nested_rate;
} demo;

static const char *const kinds[] = {"alpha", "beta", "gamma", NULL};

static const param_spec specs[] = {
    {"flag", PARAM_BOOL, DIM_NONE, offsetof(demo, flag), 0, 0, "false", NULL, "a switch"},
    {"count", PARAM_UINT, DIM_NONE, offsetof(demo, count), 1, 64, NULL, NULL, "required"},
    {"offset", PARAM_INT, DIM_NONE, offsetof(demo, offset), -10, 10, "-2", NULL, "signed"},
    {"ratio", PARAM_DOUBLE, DIM_NONE, offsetof(demo, ratio), 0, 1, "0.5", NULL, "fraction"},
    {"l2_size", PARAM_QUANTITY, DIM_BYTES, offsetof(demo, size), 0, 1e9, "2 MiB", NULL, "L2"},
    {"clock", PARAM_QUANTITY, DIM_FREQUENCY, offsetof(demo, clock), 1, 1e10, "360 MHz", NULL,
     "clock"},
    {"kind", PARAM_ENUM, DIM_NONE, offsetof(demo, kind), 0, 0, "beta", kinds, "which"},
    {"name", PARAM_STRING, DIM_NONE, offsetof(demo, name), 0, 0, "dflt", NULL, "label"},
    {"chips", PARAM_UINT_LIST, DIM_NONE, offsetof(demo, chips), 1, 4096, "[1, 2]", NULL, "list"},
    {"link.rate", PARAM_QUANTITY, DIM_BITRATE, offsetof(demo, nested_rate), 0, 1e12, "1 Gbps",
     NULL, "nested"},
};
static const size_t n_specs = sizeof specs / sizeof specs[0];

static cfg_node *parse(const char *text)
{
    cfg_error err;
    cfg_node *n = cfg_load_string(text, strlen(text), "t.yaml", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    return n;
}

static int bind_text(const char *text, demo *d, cfg_error *err)
{
    cfg_node *n = parse(text);
    memset(d, 0, sizeof *d);
    memset(err, 0, sizeof *err);
    int rc = cfg_bind(n, "sec", specs, n_specs, NULL, d, err);
    cfg_destroy(n);
    return rc;
}

static void expect_fail(const char *text, int line, int col, const char *path, const char *needle)
{
    demo d;
    cfg_error err;
    CU_ASSERT_EQUAL(bind_text(text, &d, &err), -1);
    CU_ASSERT_EQUAL(err.line, line);
    CU_ASSERT_EQUAL(err.col, col);
    CU_ASSERT_STRING_EQUAL(err.path, path);
    if (!strstr(err.msg, needle)) printf("\n  message was: %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
}

static void test_values_and_defaults(void)
{
    demo d;
    cfg_error err;
    int rc = bind_text("count: 7\nl2_size: 1 MiB\nkind: gamma\nflag: true\nchips: [4, 8]\n"
                       "link: {rate: 2 Gbps}\nname: \"x y\"\n",
                       &d, &err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(d.count, 7);
    CU_ASSERT_DOUBLE_EQUAL(d.size, 1048576.0, 0);
    CU_ASSERT_EQUAL(d.kind, 2);
    CU_ASSERT_TRUE(d.flag);
    CU_ASSERT_EQUAL(d.chips.n, 2);
    CU_ASSERT_EQUAL(d.chips.v[1], 8);
    CU_ASSERT_DOUBLE_EQUAL(d.nested_rate, 2e9, 0);
    CU_ASSERT_STRING_EQUAL(d.name, "x y");
    /* Defaults come from each spec's text, parsed like YAML. */
    CU_ASSERT_EQUAL(d.offset, -2);
    CU_ASSERT_DOUBLE_EQUAL(d.ratio, 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(d.clock, 360e6, 0);
}

static void test_defaults_only(void)
{
    demo d;
    cfg_error err;
    CU_ASSERT_EQUAL_FATAL(bind_text("count: 1\n", &d, &err), 0);
    CU_ASSERT_EQUAL(d.kind, 1);
    CU_ASSERT_STRING_EQUAL(d.name, "dflt");
    CU_ASSERT_EQUAL(d.chips.n, 2);
    CU_ASSERT_DOUBLE_EQUAL(d.size, 2.0 * 1048576, 0);
    CU_ASSERT_DOUBLE_EQUAL(d.nested_rate, 1e9, 0);
}

static void test_errors(void)
{
    expect_fail("flag: true\n", 1, 1, "sec.count", "missing required key 'count'");
    expect_fail("count: 1\nl2_sise: 1 MiB\n", 2, 1, "sec.l2_sise",
                "unknown key 'l2_sise' (did you mean 'l2_size'?)");
    expect_fail("count: 1\nzzzzzz: 1\n", 2, 1, "sec.zzzzzz", "unknown key 'zzzzzz'");
    expect_fail("count: 1\nl2_size: 360 MHz\n", 2, 10, "sec.l2_size",
                "is a frequency, expected a size in bytes");
    expect_fail("count: 1\nl2_size: -1 MiB\n", 2, 10, "sec.l2_size", "out of range");
    expect_fail("count: 0\n", 1, 8, "sec.count", "value 0 out of range [1, 64]");
    expect_fail("count: -3\n", 1, 8, "sec.count", "expected a non-negative integer");
    expect_fail("count: 2.5\n", 1, 8, "sec.count", "expected a non-negative integer");
    expect_fail("count: [1]\n", 1, 8, "sec.count", "expected a non-negative integer, got a list");
    expect_fail("count: 1\nkind: gama\n", 2, 7, "sec.kind", "did you mean 'gamma'");
    expect_fail("count: 1\nflag: maybe\n", 2, 7, "sec.flag", "expected true or false");
    expect_fail("count: 1\noffset: 11\n", 2, 9, "sec.offset", "out of range");
    expect_fail("count: 1\nratio: 1.5\n", 2, 8, "sec.ratio", "out of range");
    expect_fail("count: 1\nchips: [1, 0]\n", 2, 12, "sec.chips[1]", "out of range");
    expect_fail("count: 1\nchips: 4\n", 2, 8, "sec.chips", "expected a list");
    expect_fail("count: 1\nlink: {rat: 1 Gbps}\n", 2, 8, "sec.link.rat",
                "did you mean 'rate'");
    expect_fail("count: 1\nlink: 5\n", 2, 7, "sec.link", "expected a map");
    expect_fail("count: 1\nratio: 2 MHz\n", 2, 8, "sec.ratio", "without a unit");
}

static void test_extra_keys_skipped(void)
{
    cfg_node *n = parse("count: 1\ndims: {a: 1}\n");
    static const char *const extra[] = {"dims", NULL};
    demo d;
    cfg_error err;
    CU_ASSERT_EQUAL(cfg_bind(n, "sec", specs, n_specs, extra, &d, &err), 0);
    CU_ASSERT_EQUAL(cfg_bind(n, "sec", specs, n_specs, NULL, &d, &err), -1);
    cfg_destroy(n);
}

static void test_overlay_writes_only_present(void)
{
    demo d;
    memset(&d, 0, sizeof d);
    d.count = 42;
    d.size = 99;
    cfg_node *n = parse("l2_size: 1 KiB\n");
    cfg_error err;
    CU_ASSERT_EQUAL(cfg_bind_overlay(n, "sec", specs, n_specs, NULL, &d, &err), 0);
    CU_ASSERT_EQUAL(d.count, 42);
    CU_ASSERT_DOUBLE_EQUAL(d.size, 1024.0, 0);
    CU_ASSERT_EQUAL(d.kind, 0);
    cfg_destroy(n);
    n = parse("typo: 1\n");
    CU_ASSERT_EQUAL(cfg_bind_overlay(n, "sec", specs, n_specs, NULL, &d, &err), -1);
    cfg_destroy(n);
    CU_ASSERT_EQUAL(cfg_bind_overlay(NULL, "sec", specs, n_specs, NULL, &d, &err), 0);
}

static void test_did_you_mean(void)
{
    static const char *const c[] = {"fan_in", "chunks", "kind"};
    CU_ASSERT_STRING_EQUAL(text_did_you_mean("fanin", c, 3), "fan_in");
    CU_ASSERT_STRING_EQUAL(text_did_you_mean("kidn", c, 3), "kind");
    CU_ASSERT_PTR_NULL(text_did_you_mean("topology", c, 3));
    CU_ASSERT_EQUAL(text_edit_distance("kitten", "sitting"), 3);
    CU_ASSERT_EQUAL(text_edit_distance("", "abc"), 3);
    CU_ASSERT_EQUAL(text_edit_distance("same", "same"), 0);
}

/* What cfg_print_bound writes binds back to the same values. */
static void test_print_round_trip(void)
{
    demo a, b;
    cfg_error err;
    CU_ASSERT_EQUAL_FATAL(bind_text("count: 9\nl2_size: 1536 KiB\nname: \"a: b\"\nkind: alpha\n"
                                    "link: {rate: 1.5 Gbps}\nchips: [1, 4, 16]\n",
                                    &a, &err),
                          0);
    char buf[4096];
    FILE *mem = fmemopen(buf, sizeof buf, "w");
    cfg_print_bound(mem, 0, specs, n_specs, &a);
    fclose(mem);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "# L2"));
    CU_ASSERT_EQUAL_FATAL(bind_text(buf, &b, &err), 0);
    CU_ASSERT_EQUAL(a.count, b.count);
    CU_ASSERT_DOUBLE_EQUAL(a.size, b.size, 0);
    CU_ASSERT_STRING_EQUAL(a.name, b.name);
    CU_ASSERT_EQUAL(a.kind, b.kind);
    CU_ASSERT_DOUBLE_EQUAL(a.nested_rate, b.nested_rate, 0);
    CU_ASSERT_EQUAL(b.chips.n, 3);
    CU_ASSERT_EQUAL(b.chips.v[2], 16);
    CU_ASSERT_EQUAL(a.offset, b.offset);
}

static int register_tests(void)
{
    ADD_SUITE("cfg_bind", TEST(test_values_and_defaults), TEST(test_defaults_only),
              TEST(test_errors), TEST(test_extra_keys_skipped),
              TEST(test_overlay_writes_only_present), TEST(test_did_you_mean),
              TEST(test_print_round_trip));
    return 0;
}

CUNIT_MAIN(register_tests)
