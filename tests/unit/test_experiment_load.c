/* The experiment loader: shipped paper configs load, dims resolve as the
 * model (file) plus the written overlay, overrides reach every section,
 * and errors name the place they were written. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_main.h"
#include "experiment.h"
#include "test_model_dims.h"
#include "param_ref.h"
#include "test_scratch.h"

#define CONFIGS MCUSIM_SOURCE_DIR "/configs"

static char dir[256];

static const char *paper(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/configs/experiments/paper/%s", MCUSIM_SOURCE_DIR, name);
    return path;
}

/* Writes an experiment into the temp folder; node and link come from configs/. */
static const char *write_exp(const char *name, const char *body)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fprintf(f,
            "system:\n"
            "  node: !include %s/configs/nodes/siracusa.yaml\n"
            "  link: !include %s/configs/links/mipi_dphy.yaml\n"
            "%s",
            MCUSIM_SOURCE_DIR, MCUSIM_SOURCE_DIR, body);
    fclose(f);
    return path;
}

static experiment *load(const char *path, const char *const *ov, size_t n, cfg_error *err)
{
    memset(err, 0, sizeof *err);
    experiment *e = experiment_load(path, CONFIGS, ov, n, err);
    if (!e) cfg_error_print(err, stdout);
    return e;
}

static void test_paper_configs_load(void)
{
    static const char *const files[] = {"tinyllama_ar.yaml", "tinyllama_prompt.yaml",
                                        "mobilebert.yaml", "tinyllama_heads64.yaml"};
    for (size_t i = 0; i < 4; i++) {
        cfg_error err;
        experiment *e = load(paper(files[i]), NULL, 0, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(e);
        CU_ASSERT_PTR_EQUAL(e->link_ops, link_find_builtin("mipi_dphy"));
        CU_ASSERT_TRUE(e->chips.n >= 1);
        /* Every sweep point must be partitionable as the paper study asks. */
        for (size_t c = 0; c < e->chips.n; c++) {
            char perr[256] = "";
            system_program *p =
                partition_build(&e->workload, (uint32_t)e->chips.v[c], false, perr, sizeof perr);
            if (!p) fprintf(stderr, "%s at %llu chips: %s\n", files[i],
                            (unsigned long long)e->chips.v[c], perr);
            CU_ASSERT_PTR_NOT_NULL(p);
            system_program_destroy(p);
        }
        CU_ASSERT_EQUAL(workload_check(&e->workload, err.msg, sizeof err.msg), 0);
        experiment_destroy(e);
    }
}

static void test_heads64_is_model_plus_overlay(void)
{
    cfg_error err;
    experiment *e = load(paper("tinyllama_heads64.yaml"), NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    model_dims base;
    CU_ASSERT_EQUAL_FATAL(tmd_published("tinyllama-42m", &base), 0);
    const model_dims *d = &e->workload.dims;
    CU_ASSERT_EQUAL(d->n_heads, 64);
    CU_ASSERT_EQUAL(d->n_kv_heads, 64);
    CU_ASSERT_EQUAL(d->dim, base.dim);
    CU_ASSERT_EQUAL(d->head_dim, base.head_dim);
    CU_ASSERT_EQUAL(d->n_layers, base.n_layers);
    CU_ASSERT_EQUAL(d->ffn_hidden, base.ffn_hidden);
    CU_ASSERT_EQUAL(d->max_seq, base.max_seq);
    CU_ASSERT_EQUAL(e->chips.v[e->chips.n - 1], 64);
    experiment_destroy(e);
}

static void test_overrides_reach_sections(void)
{
    static const char *const ov[] = {"workload.seq_len=64", "system.link.lanes=2",
                                     "system.topology.fan_in=8", "sweep.chips=[2, 1]",
                                     "system.node.l2.size=4 MiB"};
    cfg_error err;
    experiment *e = load(paper("tinyllama_ar.yaml"), ov, 5, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->workload.seq_len, 64);
    CU_ASSERT_EQUAL(*(const uint64_t *)topology_param(&e->topology, "fan_in"), 8);
    CU_ASSERT_EQUAL(e->chips.n, 2);
    CU_ASSERT_EQUAL(e->chips.v[0], 2);
    param_ref l2;
    char msg[256];
    CU_ASSERT_EQUAL_FATAL(param_ref_find(e, "system.node.l2.size", &l2, msg, sizeof msg), 0);
    CU_ASSERT_DOUBLE_EQUAL(param_ref_get(e, &l2), 4.0 * 1024 * 1024, 0);
    experiment_destroy(e);
}

/* system.node.model picks the registry entry that binds the rest of the
 * node map; absent, the default; unknown, a located error with a hint. */
static void test_node_model_selected_by_name(void)
{
    cfg_error err;
    experiment *e = load(paper("tinyllama_ar.yaml"), NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_PTR_EQUAL(e->node_model, node_model_find(NODE_MODEL_DEFAULT, NULL));
    experiment_destroy(e);
    static const char *const ov[] = {"system.node.model=pulp_clustr"};
    memset(&err, 0, sizeof err);
    e = experiment_load(paper("tinyllama_ar.yaml"), CONFIGS, ov, 1, &err);
    CU_ASSERT_PTR_NULL(e);
    CU_ASSERT_STRING_EQUAL(err.path, "system.node.model");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "did you mean 'pulp_cluster'"));
    experiment_destroy(e);
}

static void test_link_switch_rejects_foreign_params(void)
{
    static const char *const ov[] = {"system.link.model=ideal"};
    cfg_error err;
    memset(&err, 0, sizeof err);
    experiment *e = experiment_load(paper("tinyllama_ar.yaml"), CONFIGS, ov, 1, &err);
    CU_ASSERT_PTR_NULL(e);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.path, "system.link."));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown key"));
    experiment_destroy(e);
}

static void test_defaults_and_name(void)
{
    const char *p = write_exp("plain_name.yaml", "workload: {model: stories15m}\n"
                                                 "sweep: {chips: [1, 3]}\n");
    cfg_error err;
    experiment *e = load(p, NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->name, "plain_name");
    CU_ASSERT_STRING_EQUAL(e->description, "");
    model_dims s15;
    CU_ASSERT_EQUAL_FATAL(tmd_published("stories15m", &s15), 0);
    CU_ASSERT_EQUAL(e->workload.dims.dim, s15.dim);
    CU_ASSERT_EQUAL(e->chips.n, 2);
    CU_ASSERT_EQUAL(e->n_reference, 0);
    experiment_destroy(e);
}

/* A name taken from the file is made a safe folder name; a written one that
 * is not safe is an error at its line (the results folder is results/<name>). */
static void test_name_is_one_safe_folder(void)
{
    static const char *const body = "workload: {model: stories15m}\nsweep: {chips: [1]}\n";
    cfg_error err;
    experiment *e = load(write_exp("my run+2.v3.yaml", body), NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->name, "my_run_2");
    experiment_destroy(e);
    e = load(write_exp(".hidden.yaml", body), NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->name, "experiment");
    experiment_destroy(e);
    static const char *const bad[] = {"name=..", "name=.", "name=a/b", "name=../../x",
                                      "name=\"a b\"", "name=\"\""};
    const char *p = write_exp("named.yaml", body);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        e = experiment_load(p, CONFIGS, &bad[i], 1, &err);
        CU_ASSERT_PTR_NULL(e);
        experiment_destroy(e);
        CU_ASSERT_STRING_EQUAL(err.path, "name");
        CU_ASSERT_STRING_EQUAL(err.file, "--set");
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot name the results folder"));
    }
    static const char *const good[] = {"name=run-1.b_2"};
    e = load(p, good, 1, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->name, "run-1.b_2");
    experiment_destroy(e);
}

static void test_reference_rows(void)
{
    const char *p = write_exp("ref.yaml",
                              "workload: {model: tinyllama-42m}\n"
                              "sweep: {chips: [1]}\n"
                              "reference:\n"
                              "  citation: \"Bochem et al.\"\n"
                              "  rows:\n"
                              "    - {chips: 1, latency_ms: 10.5}\n"
                              "    - {chips: 8, speedup: 6, energy_mj: 0.25}\n");
    cfg_error err;
    experiment *e = load(p, NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->reference_citation, "Bochem et al.");
    CU_ASSERT_EQUAL_FATAL(e->n_reference, 2);
    CU_ASSERT_EQUAL(e->reference[0].chips, 1);
    CU_ASSERT_EQUAL_FATAL(e->reference[0].n, 1);
    CU_ASSERT_STRING_EQUAL(e->reference[0].v[0].metric, "latency_ms");
    CU_ASSERT_DOUBLE_EQUAL(e->reference[0].v[0].value, 10.5, 0);
    CU_ASSERT_EQUAL_FATAL(e->reference[1].n, 2);   /* in the order written */
    CU_ASSERT_STRING_EQUAL(e->reference[1].v[0].metric, "speedup");
    CU_ASSERT_DOUBLE_EQUAL(e->reference[1].v[0].value, 6.0, 0);
    CU_ASSERT_STRING_EQUAL(e->reference[1].v[1].metric, "energy_mj");
    CU_ASSERT_PTR_NOT_NULL(strstr(cfg_node_file(e->reference[1].v[1].at), "ref.yaml"));
    CU_ASSERT(cfg_node_line(e->reference[1].v[1].at) > 0);
    experiment_destroy(e);
    /* a value must be a positive number; chips is required */
    cfg_error err2;
    p = write_exp("ref_bad.yaml", "workload: {model: tinyllama-42m}\n"
                                  "sweep: {chips: [1]}\n"
                                  "reference: {rows: [{chips: 8, speedup: fast}]}\n");
    CU_ASSERT_PTR_NULL(load(p, NULL, 0, &err2));
    CU_ASSERT_STRING_EQUAL(err2.path, "reference.rows[0].speedup");
    p = write_exp("ref_nochips.yaml", "workload: {model: tinyllama-42m}\n"
                                      "sweep: {chips: [1]}\n"
                                      "reference: {rows: [{speedup: 2}]}\n");
    CU_ASSERT_PTR_NULL(load(p, NULL, 0, &err2));
    CU_ASSERT_PTR_NOT_NULL(strstr(err2.msg, "chips"));
}

static void expect_error(const char *name, const char *body, const char *path, int line,
                         const char *needle)
{
    const char *p = write_exp(name, body);
    cfg_error err;
    memset(&err, 0, sizeof err);
    experiment *e = experiment_load(p, CONFIGS, NULL, 0, &err);
    CU_ASSERT_PTR_NULL(e);
    experiment_destroy(e);
    CU_ASSERT_STRING_EQUAL(err.path, path);
    CU_ASSERT_EQUAL(err.line, line);
    if (!strstr(err.msg, needle)) printf("\n  message was: %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.file, name));
}

static void test_errors_are_located(void)
{
    /* Lines count the three system lines write_exp puts first. */
    expect_error("custom.yaml",
                 "workload:\n  model: custom\n  dims: {dim: 64, n_heads: 2, head_dim: 32}\n"
                 "sweep: {chips: [1]}\n",
                 "workload.dims.n_layers", 6, "missing required key 'n_layers'");
    expect_error("kvcheck.yaml",
                 "workload:\n  model: tinyllama-42m\n  seq_len: 5000\nsweep: {chips: [1]}\n",
                 "workload.seq_len", 6, "max_seq");
    expect_error("nochips.yaml", "workload: {}\nsweep: {chips: [4, 2, 4]}\n", "sweep.chips[2]",
                 5, "duplicate");
}

static void test_plugin_path_is_relative_to_yaml(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/plug.yaml", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "system:\n  node: !include %s/configs/nodes/siracusa.yaml\n"
               "  link: {plugin: ./libnot_there.so}\nworkload: {}\nsweep: {chips: [1]}\n",
            MCUSIM_SOURCE_DIR);
    fclose(f);
    cfg_error err;
    memset(&err, 0, sizeof err);
    experiment *e = experiment_load(path, CONFIGS, NULL, 0, &err);
    CU_ASSERT_PTR_NULL(e);
    CU_ASSERT_STRING_EQUAL(err.path, "system.link.plugin");
    CU_ASSERT_EQUAL(err.line, 3);
    /* The library was looked for beside the YAML file, not in the working folder. */
    if (!strstr(err.msg, dir)) printf("\n  message was: %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, dir));
}

/* The scratch folder goes away with the test run. */
static void remove_dir(void)
{
    rm_rf(dir);
}

/* An out-of-tree link model named by a path relative to the YAML file. The
 * example plug-in is built with the rest of the tree (make test). */
static void test_plugin_loads_and_binds(void)
{
    char so[512], rel[1024], path[512];
    snprintf(so, sizeof so, "%s/plugins/libmcusim_example_link.so", MCUSIM_BINARY_DIR);
    CU_ASSERT_EQUAL_FATAL(access(so, R_OK), 0);
    /* dir is /tmp/mcusim_exp_XXXXXX: two levels up is the root. */
    snprintf(rel, sizeof rel, "../..%s", so);
    snprintf(path, sizeof path, "%s/plugged.yaml", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "system:\n  node: !include %s/configs/nodes/siracusa.yaml\n"
               "  link: {plugin: %s, bandwidth: 2 Gbps}\nworkload: {}\nsweep: {chips: [1]}\n",
            MCUSIM_SOURCE_DIR, rel);
    fclose(f);
    cfg_error err;
    experiment *e = load(path, NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_PTR_NOT_NULL(e->link_plugin);
    CU_ASSERT_PTR_NULL(link_find_builtin(e->link_ops->name));
    /* The bound parameters reach the model: a transfer costs what the bound
     * bandwidth says, at least payload bits / 2 Gbps. */
    link_model *m = NULL;
    char msg[256];
    CU_ASSERT_EQUAL_FATAL(e->link_ops->create(e->link_params, &m, msg, sizeof msg), 0);
    link_cost c = e->link_ops->transfer(m, 1000);
    CU_ASSERT_TRUE(c.time_s >= 1000.0 * 8 / 2e9);
    e->link_ops->destroy(m);
    experiment_destroy(e);
    static const char *const typo[] = {"system.link.bandwith=1 Gbps"};
    memset(&err, 0, sizeof err);
    e = experiment_load(path, CONFIGS, typo, 1, &err);
    CU_ASSERT_PTR_NULL(e);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "did you mean 'bandwidth'"));
}

static int register_tests(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcusim_exp_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    atexit(remove_dir);
    ADD_SUITE("experiment", TEST(test_paper_configs_load),
              TEST(test_heads64_is_model_plus_overlay), TEST(test_overrides_reach_sections),
              TEST(test_link_switch_rejects_foreign_params), TEST(test_defaults_and_name), TEST(test_name_is_one_safe_folder),
              TEST(test_reference_rows), TEST(test_errors_are_located),
              TEST(test_node_model_selected_by_name),
              TEST(test_plugin_path_is_relative_to_yaml), TEST(test_plugin_loads_and_binds));
    return 0;
}

CUNIT_MAIN(register_tests)
