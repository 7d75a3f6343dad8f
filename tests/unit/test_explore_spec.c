/* The explore: section: axes from lists, ranges (with units, log spaced)
 * and included files, each value as the --set text that reloads it; the
 * chips axis; objectives and constraints; and every error at the line and
 * column of what it is about. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../sim/explore/explore_spec.h"
#include "../../sim/explore/explore_value.h"
#include "cunit_main.h"
#include "test_scratch.h"

#define CONFIGS MCUSIM_SOURCE_DIR "/configs"

static char dir[256];

/* dir/NAME: base on the paper's tinyllama_ar, then body. */
static const char *write_exp(const char *name, const char *body)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fprintf(f, "base: %s/configs/experiments/paper/tinyllama_ar.yaml\n%s", MCUSIM_SOURCE_DIR, body);
    fclose(f);
    return path;
}

/* Loads name and its explore: section; 0, or -1 with err (the experiment
 * itself must load). */
static int load(const char *name, const char *body, explore_spec *s, cfg_error *err,
                experiment **out)
{
    const char *path = write_exp(name, body);
    memset(err, 0, sizeof *err);
    experiment *e = experiment_load(path, CONFIGS, NULL, 0, err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    int rc = explore_spec_load(e, s, err);
    if (out) *out = e;
    else experiment_destroy(e);
    return rc;
}

static void test_full_section(void)
{
    char links[600];
    snprintf(links, sizeof links, "%s/configs/links", MCUSIM_SOURCE_DIR);
    char body[3000];
    snprintf(body, sizeof body,
             "explore:\n"
             "  space:\n"
             "    chips: {from: 1, to: 16, step: 5}\n"
             "    system.topology.fan_in: [2, 4]\n"
             "    system.node.l2.size: {from: 512 KiB, to: 2 MiB, step: 512 KiB}\n"
             "    system.node.clock: {from: 90 MHz, to: 360 MHz, count: 3, scale: log}\n"
             "    workload.seq_len: {from: 1, to: 8, count: 7, scale: log}\n"
             "    system.link: [!include %s/serdes.yaml, {model: ideal}, {base: %s/mipi_dphy.yaml, lanes: 2}]\n"
             "  constraints: [\"latency_ms <= 5\", \"energy_mj>0.1\"]\n"
             "  objectives: [latency_ms, {max: speedup}, {min: energy_mj}]\n"
             "  max_points: 77\n"
             "  seed: 9\n",
             links, links);
    explore_spec s;
    cfg_error err;
    experiment *e;
    CU_ASSERT_EQUAL_FATAL(load("full.yaml", body, &s, &err, &e), 0);
    CU_ASSERT_EQUAL(s.chips.n, 4);
    CU_ASSERT_TRUE(s.chip_counts[0] == 1 && s.chip_counts[1] == 6 && s.chip_counts[3] == 16);
    CU_ASSERT_EQUAL(s.n_axes, 5);
    CU_ASSERT_STRING_EQUAL(s.axes[0].key, "system.topology.fan_in");
    CU_ASSERT_STRING_EQUAL(s.axes[0].values[1].text, "4");
    /* a range in the unit of from, whole numbers where they are */
    CU_ASSERT_EQUAL(s.axes[1].n, 4);
    CU_ASSERT_STRING_EQUAL(s.axes[1].values[0].text, "512 KiB");
    CU_ASSERT_STRING_EQUAL(s.axes[1].values[3].text, "2048 KiB");
    /* log spaced: 90, 180, 360 MHz */
    CU_ASSERT_EQUAL(s.axes[2].n, 3);
    CU_ASSERT_STRING_EQUAL(s.axes[2].values[1].text, "180 MHz");
    /* whole-number log range: 1 1.41 2 2.83 4 5.66 8 rounded, the repeated 1 dropped */
    CU_ASSERT_EQUAL(s.axes[3].n, 6);
    CU_ASSERT_STRING_EQUAL(s.axes[3].values[1].text, "2");
    CU_ASSERT_STRING_EQUAL(s.axes[3].values[2].text, "3");
    CU_ASSERT_STRING_EQUAL(s.axes[3].values[4].text, "6");
    /* files as --set texts relative to the experiment, maps in flow style */
    CU_ASSERT_EQUAL(s.axes[4].n, 3);
    char rel[600];
    CU_ASSERT_EQUAL(explore_relative_path(e->path, MCUSIM_SOURCE_DIR "/configs/links/serdes.yaml",
                                          rel, sizeof rel), 0);
    char want[700];
    snprintf(want, sizeof want, "!include %s", rel);
    CU_ASSERT_STRING_EQUAL(s.axes[4].values[0].text, want);
    CU_ASSERT_STRING_EQUAL(s.axes[4].values[1].text, "{model: ideal}");
    CU_ASSERT_PTR_NOT_NULL(strstr(s.axes[4].values[2].text, "{base: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(s.axes[4].values[2].text, "mipi_dphy.yaml, lanes: 2}"));
    CU_ASSERT_EQUAL(s.n_objectives, 3);
    CU_ASSERT_EQUAL(s.objectives[1].goal, EXPLORE_MAX);
    CU_ASSERT_STRING_EQUAL(s.objectives[1].metric->name, "speedup");
    CU_ASSERT_TRUE(s.needs_one_chip);
    CU_ASSERT_EQUAL(s.n_constraints, 2);
    CU_ASSERT_STRING_EQUAL(s.constraints[1].text, "energy_mj > 0.1");
    CU_ASSERT_TRUE(explore_constraint_holds(&s.constraints[0], 5));
    CU_ASSERT_FALSE(explore_constraint_holds(&s.constraints[0], 5.01));
    CU_ASSERT_FALSE(explore_constraint_holds(&s.constraints[1], NAN));
    CU_ASSERT_EQUAL(s.max_points, 77);
    CU_ASSERT_EQUAL(s.seed, 9);
    CU_ASSERT_EQUAL(explore_grid_size(&s), 4ull * 2 * 4 * 3 * 6 * 3);
    char *text = explore_spec_text(&s);
    CU_ASSERT_PTR_NOT_NULL(text && strstr(text, "objective max speedup"));
    free(text);
    explore_spec_free(&s);
    experiment_destroy(e);
}

static void test_chips_default_to_sweep_chips(void)
{
    explore_spec s;
    cfg_error err;
    CU_ASSERT_EQUAL_FATAL(load("dflt.yaml", "explore:\n  space:\n    system.topology.fan_in: [2]\n"
                                            "  objectives: [latency_ms]\n", &s, &err, NULL), 0);
    CU_ASSERT_EQUAL(s.chips.n, 7);
    CU_ASSERT_EQUAL(s.chip_counts[6], 64);
    CU_ASSERT_EQUAL(s.max_points, EXPLORE_DEFAULT_MAX_POINTS);
    explore_spec_free(&s);
}

/* Each bad section fails at line:col with a message containing `needle`
 * (line 1 is base:, so the explore: key is on line 2). */
static void expect_error(const char *body, int line, int col, const char *needle)
{
    explore_spec s;
    cfg_error err;
    int rc = load("bad.yaml", body, &s, &err, NULL);
    CU_ASSERT_EQUAL(rc, -1);
    if (rc != -1) { explore_spec_free(&s); return; }
    char where[64];
    snprintf(where, sizeof where, "%d:%d", err.line, err.col);
    if (err.line != line || err.col != col || !strstr(err.msg, needle))
        fprintf(stderr, "\n  got %s %s: %s (want %d:%d ...%s...)\n", where, err.path, err.msg, line,
                col, needle);
    CU_ASSERT_EQUAL(err.line, line);
    CU_ASSERT_EQUAL(err.col, col);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
    explore_spec_free(&s);
}

static void test_errors_located(void)
{
    expect_error("explore:\n  space:\n    chips: [1]\n  objectives: [latency]\n", 5, 16,
                 "unknown metric 'latency'; metrics: latency_ms, energy_mj");
    expect_error("explore:\n  space:\n    chips: [1]\n  objectives: [latncy_ms]\n", 5, 16,
                 "did you mean 'latency_ms'");
    expect_error("explore:\n  space:\n    chips: [1]\n  objectives: [latency_ms]\n"
                 "  constraints: [\"energy_mj << 3\"]\n", 6, 17, "not a number");
    expect_error("explore:\n  space:\n    chips: [1]\n  objectives: [latency_ms]\n"
                 "  constraints: [\"energy_mj = 3\"]\n", 6, 17, "expected \"metric <= number\"");
    expect_error("explore:\n  space:\n    chips: [1]\n  objectives: [latency_ms]\n"
                 "  constraints: [\"energy_mj <= x\"]\n", 6, 17, "not a number");
    expect_error("explore:\n  space:\n    chips: [1, 2]\n    system.topology.fan_in: [2, 4, 2]\n"
                 "  objectives: [latency_ms]\n", 5, 36, "given twice");
    expect_error("explore:\n  space:\n    chips: [1]\n    system.topology: [{kind: star}]\n"
                 "    system.topology.fan_in: [2]\n  objectives: [latency_ms]\n", 6, 5,
                 "overlaps the axis system.topology");
    expect_error("explore:\n  space:\n    sweep.chips: [1]\n  objectives: [latency_ms]\n", 4, 5,
                 "sweep.* cannot be an axis");
    expect_error("explore:\n  space:\n    chips: [0, 2]\n  objectives: [latency_ms]\n", 4, 13,
                 "not a chip count");
    expect_error("explore:\n  space:\n    chips: {from: 4, to: 1, step: 1}\n"
                 "  objectives: [latency_ms]\n", 4, 26, "to is below from");
    expect_error("explore:\n  space:\n    system.node.clock: {from: 90 MHz, to: 1 GiB, count: 2}\n"
                 "  objectives: [latency_ms]\n", 4, 43, "not in the dimension of from");
    expect_error("explore:\n  space:\n    chips: {from: 1, to: 4, step: 1, count: 4}\n"
                 "  objectives: [latency_ms]\n", 4, 12, "a range is");
    expect_error("explore:\n  space:\n    chips: [2, 4]\n  objectives: [{max: speedup}]\n", 5, 16,
                 "must include 1");
    expect_error("explore:\n  space:\n    chips: [1]\n  objectives: []\n", 5, 15,
                 "expected a list of objectives");
    expect_error("explore:\n  space:\n    chips: [1]\n  objectives: [latency_ms]\n  max_points: 0\n",
                 6, 15, "whole number");
    expect_error("explore:\n  spaces:\n    chips: [1]\n", 3, 3, "did you mean 'space'");
    expect_error("explore:\n  space:\n    system.link.lanes: 4\n  objectives: [latency_ms]\n", 4, 24,
                 "expected a list of values");
}

static int init(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcusim_test_explore_spec_%d", (int)getpid());
    return mkdir(dir, 0755);
}

static int cleanup(void)
{
    rm_rf(dir);
    return 0;
}

static int register_tests(void)
{
    CU_pSuite s = CU_add_suite("explore_spec", init, cleanup);
    if (!s || !CU_add_test(s, "full section", test_full_section) ||
        !CU_add_test(s, "chips default", test_chips_default_to_sweep_chips) ||
        !CU_add_test(s, "errors located", test_errors_located))
        return -1;
    return 0;
}

CUNIT_MAIN(register_tests)
