/* libFuzzer harness for the config loader: the input is written as a YAML file
 * and goes through experiment_load (parse, !include/base resolution, binding,
 * validation, partition checks) exactly as `mcusim validate` would take it.
 * The file sits two directories below a scratch root that links to the shipped
 * configs/nodes, configs/links and tests/bad_configs/parts, so seeds taken
 * from configs/ and tests/bad_configs/ resolve their includes.
 *
 * Leading lines "#set key.path=value" (at most 4) become --set overrides, so
 * the override path is fuzzed too; YAML sees them as comments.
 *
 * Oracle beyond the sanitizers: a rejected input must carry a message, a
 * location and no NUL-less buffers; an accepted one must print. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "experiment.h"
#include "fuzz_common.h"

/* The scratch tree is created once per process; libFuzzer calls the target
 * millions of times and a mkdtemp per input would dominate the run. */
static char g_input_path[1024];

static int make_link(const char *root, const char *name, const char *target)
{
    char path[1024];
    if (snprintf(path, sizeof path, "%s/%s", root, name) >= (int)sizeof path) return -1;
    return symlink(target, path);
}

static char g_root[] = "/tmp/mcusim-fuzz-XXXXXX";

/* Leaves /tmp as it was: the regression replay runs in every `make test`. */
static void remove_scratch(void)
{
    static const char *const rel[] = {"experiments/x/in.yaml", "experiments/x/parts", "experiments/x",
                                       "experiments", "nodes", "links", "configs", ""};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", g_root, rel[i]);
        remove(path);
    }
}

static int setup_scratch(void)
{
    char *root = g_root;
    if (!mkdtemp(root)) return -1;
    atexit(remove_scratch);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/experiments", root);
    if (mkdir_p(dir)) return -1;
    snprintf(dir, sizeof dir, "%s/experiments/x", root);
    if (mkdir_p(dir)) return -1;
    if (make_link(root, "nodes", MCUSIM_SOURCE_DIR "/configs/nodes") ||
        make_link(root, "links", MCUSIM_SOURCE_DIR "/configs/links") ||
        make_link(root, "configs", MCUSIM_SOURCE_DIR "/configs") ||   /* parts/good.yaml: ../../../configs */
        make_link(dir, "parts", MCUSIM_SOURCE_DIR "/tests/bad_configs/parts"))
        return -1;
    return snprintf(g_input_path, sizeof g_input_path, "%s/in.yaml", dir) < (int)sizeof g_input_path ? 0 : -1;
}

static void check_error(const cfg_error *err)
{
    /* Every rejection must say something and end its strings. */
    if (memchr(err->msg, '\0', sizeof err->msg) == NULL ||
        memchr(err->file, '\0', sizeof err->file) == NULL ||
        memchr(err->path, '\0', sizeof err->path) == NULL)
        fuzz_die("cfg_error field not NUL-terminated");
    if (err->msg[0] == '\0') fuzz_die("rejected input without a message");
    if (err->line < 0 || err->col < 0) fuzz_die("negative error location");
}

static size_t collect_overrides(const uint8_t *data, size_t size, char sets[4][256],
                                const char *overrides[4])
{
    size_t n = 0, at = 0;
    while (n < 4 && size - at > 5 && memcmp(data + at, "#set ", 5) == 0) {
        at += 5;
        size_t len = 0;
        while (at + len < size && data[at + len] != '\n') len++;
        if (len >= 256) len = 255;
        memcpy(sets[n], data + at, len);
        sets[n][len] = '\0';
        overrides[n] = sets[n];
        n++;
        while (at < size && data[at] != '\n') at++;
        if (at < size) at++;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (g_input_path[0] == '\0' && setup_scratch() != 0) fuzz_die("cannot set up scratch dir");
    FILE *f = fopen(g_input_path, "wb");
    if (!f) fuzz_die("cannot write fuzz input");
    if (size && fwrite(data, 1, size, f) != size) fuzz_die("short write");
    fclose(f);

    char sets[4][256];
    const char *overrides[4];
    size_t n_over = collect_overrides(data, size, sets, overrides);
    cfg_error err;
    memset(&err, 0, sizeof err);
    experiment *e = experiment_load(g_input_path, MCUSIM_SOURCE_DIR "/configs", overrides, n_over, &err);
    if (!e) {
        check_error(&err);
        return 0;
    }
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
        experiment_print_resolved(e, sink);
        fclose(sink);
    }
    experiment_destroy(e);
    return 0;
}
