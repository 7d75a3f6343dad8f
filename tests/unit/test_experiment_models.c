/* Model files and the workload's partitioner keys, as the loader reads them.
 * - the files of configs/models/ give exactly the published dims
 *   (test_model_dims.h, written from the models' definitions).
 * - workload.model: NAME is looked up in the configs folder passed in;
 *   PATH.yaml relative to the experiment; custom keeps dims inline; an
 *   unknown name gets a did-you-mean over the files found.
 * - Bad model files fail at FILE:LINE:COL of the key at fault.
 * - workload.partitioner picks a registry entry, workload.partition binds
 *   its parameters, and the old workload.ffn_split still works with a
 *   warning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cunit_main.h"
#include "experiment.h"
#include "model_file.h"
#include "partition_tensor.h"
#include "test_model_dims.h"
#include "test_scratch.h"

#define CONFIGS MCUSIM_SOURCE_DIR "/configs"

static char dir[256];

static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

/* An experiment (node and link from configs/) with `workload` as its
 * workload map, written to name. */
static const char *write_exp(const char *name, const char *workload)
{
    char text[2048];
    snprintf(text, sizeof text,
             "system:\n"
             "  node: !include %s/configs/nodes/siracusa.yaml\n"
             "  link: !include %s/configs/links/mipi_dphy.yaml\n"
             "workload: %s\n"
             "sweep: {chips: [1]}\n",
             MCUSIM_SOURCE_DIR, MCUSIM_SOURCE_DIR, workload);
    return write_file(name, text);
}

static experiment *load(const char *path, const char *configs, cfg_error *err)
{
    memset(err, 0, sizeof *err);
    return experiment_load(path, configs, NULL, 0, err);
}

static bool same_dims(const model_dims *a, const model_dims *b)
{
    return !strcmp(a->name, b->name) && a->arch == b->arch && a->dim == b->dim &&
           a->n_layers == b->n_layers && a->n_heads == b->n_heads &&
           a->n_kv_heads == b->n_kv_heads && a->head_dim == b->head_dim &&
           a->ffn_hidden == b->ffn_hidden && a->vocab == b->vocab && a->max_seq == b->max_seq &&
           a->bottleneck == b->bottleneck && a->n_ffn == b->n_ffn;
}

static void test_shipped_models_are_published_dims(void)
{
    char names[16][64];
    size_t n = model_file_names(CONFIGS, names, 16);
    CU_ASSERT_EQUAL(n, 4);
    static const char *const shipped[] = {"mobilebert", "smollm2-135m", "stories15m",
                                          "tinyllama-42m"};
    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_STRING_EQUAL(names[i], shipped[i]);   /* sorted */
        char path[512];
        snprintf(path, sizeof path, "%s/models/%s.yaml", CONFIGS, shipped[i]);
        model_dims got, want;
        cfg_error err;
        memset(&err, 0, sizeof err);
        int rc = model_file_load(path, &got, &err);
        if (rc) cfg_error_print(&err, stdout);
        CU_ASSERT_EQUAL_FATAL(rc, 0);
        CU_ASSERT_EQUAL_FATAL(tmd_published(shipped[i], &want), 0);
        CU_ASSERT(same_dims(&got, &want));
    }
    /* FACTS.md: TinyLlama-42M blocks hold 4·E² + 3·E·1376 weights each, 25.3 M in all */
    model_dims d;
    cfg_error err;
    CU_ASSERT_EQUAL_FATAL(model_file_load(CONFIGS "/models/tinyllama-42m.yaml", &d, &err), 0);
    uint64_t per_block = 4 * d.dim * d.n_heads * d.head_dim + 3 * d.dim * d.ffn_hidden;
    CU_ASSERT(per_block * d.n_layers > 25200000 && per_block * d.n_layers < 25400000);
    /* SmolLM2-135M: 30 blocks of q, o (E·HP each), k, v (E·KP each: grouped-query) and
     * three FFN matrices, two norms per block and the final one, plus the tied V×E
     * embedding: about 134.5 M parameters, the model's "135M" */
    CU_ASSERT_EQUAL_FATAL(model_file_load(CONFIGS "/models/smollm2-135m.yaml", &d, &err), 0);
    uint64_t HP = d.n_heads * d.head_dim, KP = d.n_kv_heads * d.head_dim;
    uint64_t params = d.n_layers * (2 * d.dim * HP + 2 * d.dim * KP + 3 * d.dim * d.ffn_hidden +
                                    2 * d.dim) + d.dim + d.vocab * d.dim;
    CU_ASSERT(params > 134000000 && params < 135000000);
}

/* Model files are found in the configs folder passed in, and only there. */
static void test_found_in_configs_dir(void)
{
    char models[512];
    snprintf(models, sizeof models, "%s/home", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(models, 0755), 0);
    snprintf(models, sizeof models, "%s/home/models", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(models, 0755), 0);
    write_file("home/models/tiny.yaml",
               "dim: 64\nn_layers: 2\nn_heads: 2\nhead_dim: 32\nffn_hidden: 96\nvocab: 100\n"
               "max_seq: 64\n");
    const char *p = write_exp("tiny_exp.yaml", "{model: tiny, seq_len: 8}");
    char home[512];
    snprintf(home, sizeof home, "%s/home", dir);
    cfg_error err;
    experiment *e = load(p, home, &err);
    if (!e) cfg_error_print(&err, stdout);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->workload.dims.name, "tiny");   /* the file's name */
    CU_ASSERT_EQUAL(e->workload.dims.dim, 64);
    CU_ASSERT_EQUAL(e->workload.dims.n_kv_heads, 2);
    CU_ASSERT_EQUAL(e->workload.dims.n_ffn, 1);
    CU_ASSERT_STRING_EQUAL(e->workload.model, "tiny");
    experiment_destroy(e);
    /* the shipped folder does not have it: unknown, with the names found */
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_STRING_EQUAL(err.path, "workload.model");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown model 'tiny'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "mobilebert, smollm2-135m, stories15m, tinyllama-42m"));
    /* no folder at all: only files and custom */
    CU_ASSERT_PTR_NULL(load(p, NULL, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no configs folder"));
}

static void test_unknown_model_did_you_mean(void)
{
    const char *p = write_exp("typo.yaml", "{model: stories51m}");
    cfg_error err;
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "did you mean 'stories15m'"));
    CU_ASSERT_EQUAL(err.line, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.file, "typo.yaml"));
    p = write_exp("slash.yaml", "{model: \"a b\"}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "neither a model name"));
}

/* A model file of one's own, relative to the experiment; its path is kept
 * absolute so the printed configuration loads from anywhere. */
static void test_model_file_by_path(void)
{
    write_file("mine.yaml", "name: mine\narch: mobilebert\ndim: 64\nn_layers: 1\nn_heads: 2\n"
                            "head_dim: 16\nbottleneck: 32\nffn_hidden: 48\nn_ffn: 2\n"
                            "vocab: 10\nmax_seq: 16\n");
    const char *p = write_exp("by_path.yaml", "{model: ./mine.yaml, mode: prompt, seq_len: 8, "
                                              "dims: {n_layers: 2}}");
    cfg_error err;
    experiment *e = load(p, NULL, &err);
    if (!e) cfg_error_print(&err, stdout);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    const model_dims *d = &e->workload.dims;
    CU_ASSERT_STRING_EQUAL(d->name, "mine");
    CU_ASSERT_EQUAL(d->arch, ARCH_MOBILEBERT);
    CU_ASSERT_EQUAL(d->n_layers, 2);   /* the dims overlay still applies */
    CU_ASSERT_EQUAL(d->n_ffn, 2);
    CU_ASSERT_EQUAL(e->workload.model[0], '/');
    CU_ASSERT_PTR_NOT_NULL(strstr(e->workload.model, "/mine.yaml"));
    experiment_destroy(e);
    p = write_exp("by_path_missing.yaml", "{model: ./nope.yaml}");
    CU_ASSERT_PTR_NULL(load(p, NULL, &err));
    CU_ASSERT_STRING_EQUAL(err.path, "workload.model");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot open model file"));
}

/* A bad model file fails at the key at fault, in the model file. */
static void expect_model_error(const char *model_text, const char *path, int line,
                               const char *needle)
{
    write_file("bad_model.yaml", model_text);
    const char *p = write_exp("uses_bad_model.yaml", "{model: bad_model.yaml}");
    cfg_error err;
    experiment *e = load(p, CONFIGS, &err);
    CU_ASSERT_PTR_NULL(e);
    experiment_destroy(e);
    if (strcmp(err.path, path) || err.line != line || !strstr(err.msg, needle))
        printf("\n  got %s:%d:%d: %s: %s\n", err.file, err.line, err.col, err.path, err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.file, "bad_model.yaml"));
    CU_ASSERT_STRING_EQUAL(err.path, path);
    CU_ASSERT_EQUAL(err.line, line);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
}

static void test_bad_model_files(void)
{
    static const char *const ok_tail = "ffn_hidden: 96\nvocab: 100\nmax_seq: 64\n";
    char text[512];
    snprintf(text, sizeof text, "dim: 64\nn_layers: 2\nn_heads: 2\nhead_dim: 31\n%s", ok_tail);
    expect_model_error(text, "head_dim", 4, "even for RoPE");
    snprintf(text, sizeof text, "dim: 64\nn_layers: 2\nn_heads: 2\n%s", ok_tail);
    expect_model_error(text, "head_dim", 1, "missing required key 'head_dim'");
    snprintf(text, sizeof text, "dim: 64\nn_layer: 2\nn_heads: 2\nhead_dim: 32\n%s", ok_tail);
    expect_model_error(text, "n_layer", 2, "did you mean 'n_layers'");
    snprintf(text, sizeof text, "name: a/b\ndim: 64\nn_layers: 2\nn_heads: 2\nhead_dim: 32\n%s",
             ok_tail);
    expect_model_error(text, "name", 1, "cannot name a model");
    snprintf(text, sizeof text,
             "arch: mobilebert\ndim: 64\nn_layers: 2\nn_heads: 2\nhead_dim: 32\nbottleneck: 48\n%s",
             ok_tail);
    expect_model_error(text, "bottleneck", 6, "48 must equal n_heads*head_dim = 64");
    expect_model_error("- dim: 64\n", "", 1, "a model is a map");
    snprintf(text, sizeof text, "dim: 64 MiB\nn_layers: 2\nn_heads: 2\nhead_dim: 32\n%s",
             ok_tail);
    expect_model_error(text, "dim", 1, "");
}

/* K/V heads under workload.dims: a model without grouping scaled to more
 * heads gives each head its K/V; a grouped model (SmolLM2-135M) keeps its
 * K/V heads unless they are written, and a count that does not divide the
 * heads is refused at its key. */
static void test_kv_heads_follow(void)
{
    static const struct {
        const char *workload;
        uint64_t heads, kv;
    } cases[] = {
        {"{model: smollm2-135m, seq_len: 8}", 9, 3},
        {"{model: smollm2-135m, seq_len: 8, dims: {n_layers: 2}}", 9, 3},
        {"{model: smollm2-135m, seq_len: 8, dims: {n_heads: 18, head_dim: 32}}", 18, 3},
        {"{model: smollm2-135m, seq_len: 8, dims: {n_kv_heads: 9}}", 9, 9},
        {"{model: tinyllama-42m, seq_len: 8, dims: {n_heads: 64, head_dim: 8}}", 64, 64},
        {"{model: tinyllama-42m, seq_len: 8, dims: {n_kv_heads: 2}}", 8, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cfg_error err;
        experiment *e = load(write_exp("kv.yaml", cases[i].workload), CONFIGS, &err);
        if (!e) cfg_error_print(&err, stdout);
        CU_ASSERT_PTR_NOT_NULL_FATAL(e);
        CU_ASSERT_EQUAL(e->workload.dims.n_heads, cases[i].heads);
        CU_ASSERT_EQUAL(e->workload.dims.n_kv_heads, cases[i].kv);
        experiment_destroy(e);
    }
    cfg_error err;
    CU_ASSERT_PTR_NULL(load(write_exp("kv.yaml", "{model: smollm2-135m, dims: {n_kv_heads: 2}}"),
                            CONFIGS, &err));
    CU_ASSERT_STRING_EQUAL(err.path, "workload.dims.n_kv_heads");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "2 must divide n_heads 9"));
}

/* model: custom stays: a model written inline, by the model-file rules. */
static void test_custom_inline(void)
{
    const char *p = write_exp("custom.yaml",
                              "{model: custom, seq_len: 8, dims: {dim: 64, n_layers: 1, "
                              "n_heads: 2, head_dim: 32, ffn_hidden: 32, vocab: 16, max_seq: 64}}");
    cfg_error err;
    experiment *e = load(p, CONFIGS, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->workload.dims.name, "custom");
    CU_ASSERT_EQUAL(e->workload.dims.n_kv_heads, 2);
    experiment_destroy(e);
    p = write_exp("custom_odd.yaml", "{model: custom, dims: {dim: 64, n_layers: 1, n_heads: 2, "
                                     "head_dim: 33, ffn_hidden: 32, vocab: 16, max_seq: 64}}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_STRING_EQUAL(err.path, "workload.dims.head_dim");
    /* an inline model is called custom: a name would not survive the printout */
    p = write_exp("custom_named.yaml", "{model: custom, dims: {name: x, dim: 64, n_layers: 1, "
                                       "n_heads: 2, head_dim: 32, ffn_hidden: 32, vocab: 16, "
                                       "max_seq: 64}}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_STRING_EQUAL(err.path, "workload.dims.name");
}

static void test_partitioner_and_params(void)
{
    const char *p = write_exp("part.yaml", "{model: stories15m, partitioner: replicate}");
    cfg_error err;
    experiment *e = load(p, CONFIGS, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->workload.partitioner, "replicate");
    CU_ASSERT_EQUAL(e->n_warnings, 0);
    experiment_destroy(e);
    p = write_exp("default_part.yaml", "{model: stories15m}");
    e = load(p, CONFIGS, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->workload.partitioner, "tensor");
    CU_ASSERT_EQUAL(tensor_params_of(&e->workload)->ffn_split, FFN_SPLIT_EVEN);
    experiment_destroy(e);
    p = write_exp("balanced.yaml", "{model: stories15m, partition: {ffn_split: balanced}}");
    e = load(p, CONFIGS, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(tensor_params_of(&e->workload)->ffn_split, FFN_SPLIT_BALANCED);
    experiment_destroy(e);
    /* unknown partitioner: did-you-mean and the list */
    p = write_exp("bad_part.yaml", "{model: stories15m, partitioner: replicat}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_STRING_EQUAL(err.path, "workload.partitioner");
    CU_ASSERT_EQUAL(err.line, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "did you mean 'replicate'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "tensor, replicate"));
    /* a key no partitioner takes is refused; another partitioner's is
     * ignored, so a file can switch partitioner (sweep.vary, --set) */
    p = write_exp("bad_param.yaml", "{model: stories15m, partition: {ffn_splt: even}}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_STRING_EQUAL(err.path, "workload.partition.ffn_splt");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "did you mean 'ffn_split'"));
    p = write_exp("none_param.yaml",
                  "{model: stories15m, partitioner: replicate, partition: {ffn_split: balanced}}");
    e = load(p, CONFIGS, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->workload.partitioner, "replicate");
    experiment_destroy(e);
    p = write_exp("other_param.yaml",
                  "{model: stories15m, partitioner: pipeline, partition: {stages: 2, assign: balanced}}");
    e = load(p, CONFIGS, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(*(const int *)(const void *)e->workload.partition.bytes, 1);   /* balanced */
    experiment_destroy(e);
    p = write_exp("none_param2.yaml",
                  "{model: stories15m, partitioner: replicate, partition: {stage: 2}}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown key 'stage' (did you mean 'stages'?)"));
}

/* workload.ffn_split, the spelling before the registry, still binds into
 * the tensor partitioner's parameters, with a located warning. */
static void test_deprecated_ffn_split(void)
{
    const char *p = write_exp("old.yaml", "{model: stories15m, ffn_split: balanced}");
    cfg_error err;
    experiment *e = load(p, CONFIGS, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(tensor_params_of(&e->workload)->ffn_split, FFN_SPLIT_BALANCED);
    CU_ASSERT_EQUAL_FATAL(e->n_warnings, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e->warnings[0], "old.yaml:4:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e->warnings[0], "workload.ffn_split: deprecated, write "
                                                  "workload.partition.ffn_split"));
    experiment_destroy(e);
    p = write_exp("old_bad.yaml", "{model: stories15m, ffn_split: balance}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_STRING_EQUAL(err.path, "workload.ffn_split");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "did you mean 'balanced'"));
    p = write_exp("old_twice.yaml",
                  "{model: stories15m, ffn_split: even, partition: {ffn_split: even}}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "given twice"));
    p = write_exp("old_replicate.yaml",
                  "{model: stories15m, partitioner: replicate, ffn_split: even}");
    CU_ASSERT_PTR_NULL(load(p, CONFIGS, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "partitioner 'replicate' does not take"));
}

/* The printed configuration loads back to the same workload (validate's
 * output is itself an experiment). */
static void test_printed_config_reloads(void)
{
    write_file("mine2.yaml", "dim: 64\nn_layers: 2\nn_heads: 2\nhead_dim: 32\nffn_hidden: 96\n"
                             "vocab: 100\nmax_seq: 64\n");
    const char *p = write_exp("print.yaml", "{model: mine2.yaml, seq_len: 8, "
                                            "partition: {ffn_split: balanced}}");
    cfg_error err;
    experiment *e = load(p, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    char printed[512];
    snprintf(printed, sizeof printed, "%s/printed.yaml", dir);
    FILE *f = fopen(printed, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    experiment_print_resolved(e, f);
    fclose(f);
    experiment *again = load(printed, NULL, &err);
    if (!again) cfg_error_print(&err, stdout);
    CU_ASSERT_PTR_NOT_NULL_FATAL(again);
    CU_ASSERT(same_dims(&e->workload.dims, &again->workload.dims));
    CU_ASSERT_STRING_EQUAL(again->workload.partitioner, "tensor");
    CU_ASSERT_EQUAL(tensor_params_of(&again->workload)->ffn_split, FFN_SPLIT_BALANCED);
    CU_ASSERT_STRING_EQUAL(again->workload.model, e->workload.model);
    experiment_destroy(again);
    experiment_destroy(e);
}

static void remove_dir(void)
{
    rm_rf(dir);
}

static int register_tests(void)
{
    snprintf(dir, sizeof dir, "/tmp/mcusim_models_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    atexit(remove_dir);
    ADD_SUITE("experiment_models", TEST(test_shipped_models_are_published_dims),
              TEST(test_found_in_configs_dir), TEST(test_unknown_model_did_you_mean),
              TEST(test_model_file_by_path), TEST(test_bad_model_files), TEST(test_custom_inline),
              TEST(test_kv_heads_follow),
              TEST(test_partitioner_and_params), TEST(test_deprecated_ffn_split),
              TEST(test_printed_config_reloads));
    return 0;
}

CUNIT_MAIN(register_tests)
