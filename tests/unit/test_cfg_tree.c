/* The YAML tree: locations, !include, base: merges, cycles, duplicate keys,
 * syntax errors and --set overrides. Files are written to a fresh temporary
 * folder so each test states its own inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "cunit_main.h"
#include "test_scratch.h"

static char dir[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static cfg_node *load(const char *name, cfg_error *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    memset(err, 0, sizeof *err);
    return cfg_load_file(path, err);
}

static int setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcusim_cfg_tree_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static void test_locations(void)
{
    write_file("loc.yaml", "a: 1\nb:\n  c: hello\n  d: [1, 2]\n");
    cfg_error err;
    cfg_node *root = load("loc.yaml", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const cfg_node *c = cfg_get_path(root, "b.c");
    CU_ASSERT_STRING_EQUAL(cfg_scalar(c), "hello");
    CU_ASSERT_EQUAL(cfg_node_line(c), 3);
    CU_ASSERT_EQUAL(cfg_node_col(c), 6);
    const cfg_node *d = cfg_get_path(root, "b.d");
    CU_ASSERT_EQUAL(cfg_node_kind(d), CFG_SEQ);
    CU_ASSERT_EQUAL(cfg_size(d), 2);
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_seq_at(d, 1)), "2");
    CU_ASSERT_PTR_NOT_NULL(strstr(cfg_node_file(c), "loc.yaml"));
    CU_ASSERT_PTR_NULL(cfg_get_path(root, "b.zz"));
    CU_ASSERT_EQUAL(cfg_map_key_line(cfg_get_path(root, "b"), 1), 4);
    cfg_destroy(root);
}

static void test_include_relative_and_location(void)
{
    char sub[512];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0700);
    write_file("sub/inner.yaml", "x: 1\n\ny: 2 MiB\n");
    write_file("outer.yaml", "top:\n  node: !include sub/inner.yaml\n");
    cfg_error err;
    cfg_node *root = load("outer.yaml", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const cfg_node *y = cfg_get_path(root, "top.node.y");
    CU_ASSERT_STRING_EQUAL(cfg_scalar(y), "2 MiB");
    /* The included value remembers its own file and line. */
    CU_ASSERT_PTR_NOT_NULL(strstr(cfg_node_file(y), "inner.yaml"));
    CU_ASSERT_EQUAL(cfg_node_line(y), 3);
    cfg_destroy(root);
}

static void test_missing_include_reported_at_includer(void)
{
    write_file("miss.yaml", "a: 1\nb: !include nowhere.yaml\n");
    cfg_error err;
    CU_ASSERT_PTR_NULL(load("miss.yaml", &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.file, "miss.yaml"));
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT_EQUAL(err.col, 4);
    CU_ASSERT_STRING_EQUAL(err.path, "b");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "nowhere.yaml"));
}

static void test_include_cycle(void)
{
    write_file("cyc_a.yaml", "x: !include cyc_b.yaml\n");
    write_file("cyc_b.yaml", "y: !include cyc_a.yaml\n");
    cfg_error err;
    CU_ASSERT_PTR_NULL(load("cyc_a.yaml", &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "include cycle"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.file, "cyc_b.yaml"));
    CU_ASSERT_EQUAL(err.line, 1);
    write_file("self.yaml", "base: self.yaml\n");
    CU_ASSERT_PTR_NULL(load("self.yaml", &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "include cycle"));
}

static void test_base_deep_merge(void)
{
    write_file("base.yaml", "a: 1\nm:\n  p: 10\n  q: 20\nlist: [1, 2]\n");
    write_file("derived.yaml", "base: base.yaml\nm:\n  q: 21\n  r: 30\nlist: [3]\nnew: yes\n");
    cfg_error err;
    cfg_node *root = load("derived.yaml", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_PTR_NULL(cfg_map_get(root, "base"));
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_get_path(root, "a")), "1");
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_get_path(root, "m.p")), "10");
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_get_path(root, "m.q")), "21");
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_get_path(root, "m.r")), "30");
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_get_path(root, "new")), "yes");
    /* Lists are replaced, not concatenated. */
    CU_ASSERT_EQUAL(cfg_size(cfg_get_path(root, "list")), 1);
    /* The overriding value points at the file that wrote it. */
    CU_ASSERT_PTR_NOT_NULL(strstr(cfg_node_file(cfg_get_path(root, "m.q")), "derived.yaml"));
    CU_ASSERT_PTR_NOT_NULL(strstr(cfg_node_file(cfg_get_path(root, "m.p")), "base.yaml"));
    cfg_destroy(root);
}

/* A merged map remembers the file it was built on (the outermost base when
 * bases chain); maps written whole have none. */
static void test_base_file_remembered(void)
{
    write_file("bf_a.yaml", "x: 1\n");
    write_file("bf_b.yaml", "base: bf_a.yaml\ny: 2\n");
    write_file("bf_c.yaml", "inner: {base: bf_b.yaml, z: 3}\nplain: {w: 4}\n");
    cfg_error err;
    cfg_node *root = load("bf_c.yaml", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    const char *b = cfg_map_base_file(cfg_map_get(root, "inner"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL(strstr(b, "bf_b.yaml"));
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_get_path(root, "inner.x")), "1");
    CU_ASSERT_PTR_NULL(cfg_map_base_file(cfg_map_get(root, "plain")));
    CU_ASSERT_PTR_NULL(cfg_map_base_file(root));
    CU_ASSERT_PTR_NULL(cfg_map_base_file(cfg_get_path(root, "inner.x")));
    cfg_destroy(root);
}

static void test_duplicate_key(void)
{
    write_file("dup.yaml", "a: 1\nb:\n  c: 2\n  c: 3\n");
    cfg_error err;
    CU_ASSERT_PTR_NULL(load("dup.yaml", &err));
    CU_ASSERT_EQUAL(err.line, 4);
    CU_ASSERT_EQUAL(err.col, 3);
    CU_ASSERT_STRING_EQUAL(err.path, "b.c");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "duplicate key"));
}

static void test_syntax_error(void)
{
    const char *text = "a: 1\nb:\n  c: 2\n d: 3\n";
    cfg_error err;
    memset(&err, 0, sizeof err);
    CU_ASSERT_PTR_NULL(cfg_load_string(text, strlen(text), "mem.yaml", &err));
    CU_ASSERT_STRING_EQUAL(err.file, "mem.yaml");
    CU_ASSERT_EQUAL(err.line, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "YAML syntax error"));
    const char *unclosed = "a: [1, 2\n";
    CU_ASSERT_PTR_NULL(cfg_load_string(unclosed, strlen(unclosed), "u.yaml", &err));
    CU_ASSERT_TRUE(err.line >= 1);
}

static void test_error_line_format(void)
{
    cfg_error err;
    cfg_fail(&err, "f.yaml", 3, 7, "a.b", "bad %s\nsecond", "thing");
    char buf[1024];
    FILE *mem = fmemopen(buf, sizeof buf, "w");
    cfg_error_print(&err, mem);
    fclose(mem);
    CU_ASSERT_STRING_EQUAL(buf, "f.yaml:3:7: a.b: bad thing second\n");
}

static void test_override(void)
{
    const char *text = "a:\n  b: 1\n  c: [1, 2]\nscalar: x\n";
    cfg_error err;
    cfg_node *root = cfg_load_string(text, strlen(text), "o.yaml", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_EQUAL(cfg_apply_override(root, "a.b=2 MiB", &err), 0);
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_get_path(root, "a.b")), "2 MiB");
    CU_ASSERT_STRING_EQUAL(cfg_node_file(cfg_get_path(root, "a.b")), "--set");
    CU_ASSERT_EQUAL(cfg_node_col(cfg_get_path(root, "a.b")), 5);
    CU_ASSERT_EQUAL(cfg_apply_override(root, "a.c=[4, 8, 16]", &err), 0);
    CU_ASSERT_EQUAL(cfg_size(cfg_get_path(root, "a.c")), 3);
    CU_ASSERT_EQUAL(cfg_apply_override(root, "new.deep.key=5", &err), 0);
    CU_ASSERT_STRING_EQUAL(cfg_scalar(cfg_get_path(root, "new.deep.key")), "5");
    CU_ASSERT_EQUAL(cfg_apply_override(root, "scalar.x=1", &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a map"));
    CU_ASSERT_EQUAL(cfg_apply_override(root, "noequals", &err), -1);
    CU_ASSERT_STRING_EQUAL(err.file, "--set");
    CU_ASSERT_EQUAL(cfg_apply_override(root, "a.b=[1,", &err), -1);
    CU_ASSERT_STRING_EQUAL(err.file, "--set");
    cfg_destroy(root);
}

static void test_empty_and_null(void)
{
    cfg_error err;
    cfg_node *root = cfg_load_string("", 0, "e.yaml", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    CU_ASSERT_EQUAL(cfg_node_kind(root), CFG_NULL);
    cfg_destroy(root);
    const char *text = "a: ~\nb: 'null'\n";
    root = cfg_load_string(text, strlen(text), "n.yaml", &err);
    CU_ASSERT_EQUAL(cfg_node_kind(cfg_map_get(root, "a")), CFG_NULL);
    CU_ASSERT_EQUAL(cfg_node_kind(cfg_map_get(root, "b")), CFG_SCALAR);
    cfg_destroy(root);
    const char *two = "a: 1\n---\nb: 2\n";
    CU_ASSERT_PTR_NULL(cfg_load_string(two, strlen(two), "two.yaml", &err));
    const char *alias = "a: &x 1\nb: *x\n";
    CU_ASSERT_PTR_NULL(cfg_load_string(alias, strlen(alias), "al.yaml", &err));
    CU_ASSERT_EQUAL(err.line, 2);
}

/* The scratch folder goes away with the test run. */
static void remove_dir(void)
{
    rm_rf(dir);
}

static int register_tests(void)
{
    if (setup() != 0) return -1;
    atexit(remove_dir);
    ADD_SUITE("cfg_tree", TEST(test_locations), TEST(test_include_relative_and_location),
              TEST(test_missing_include_reported_at_includer), TEST(test_include_cycle),
              TEST(test_base_deep_merge), TEST(test_base_file_remembered), TEST(test_duplicate_key), TEST(test_syntax_error),
              TEST(test_error_line_format), TEST(test_override), TEST(test_empty_and_null));
    return 0;
}

CUNIT_MAIN(register_tests)
