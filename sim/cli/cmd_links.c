/* `mcusim links [PLUGIN.so | NAME]...`: link models and their parameters,
 * printed from the same param_spec tables the loader binds with
 * (param_print.h, shared with `mcusim list`; a plug-in listed exactly as a
 * built-in); `--check` runs the conformance harness (link_conformance.h) on
 * each. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"
#include "link_conformance.h"
#include "param_print.h"

static void print_model(const link_model_ops *m, const char *plugin_path)
{
    printf("\n%s: %s\n", m->name, m->description ? m->description : "");
    if (plugin_path) printf("    plug-in %s\n", plugin_path);
    param_print_table(stdout, m->params, m->n_params);
}

/* A plug-in path (it names a file: a '/' or a .so) or a built-in's name. */
static bool is_path(const char *a)
{
    size_t n = strlen(a);
    return strchr(a, '/') || (n > 3 && !strcmp(a + n - 3, ".so"));
}

/* The table of a built-in or a loaded plug-in (its handle in *handle), or
 * NULL after printing why. */
static const link_model_ops *open_model(const char *arg, void **handle)
{
    *handle = NULL;
    char err[800];
    if (is_path(arg)) {
        const link_model_ops *ops = link_plugin_open(arg, handle, err, sizeof err);
        if (!ops) fprintf(stderr, "mcusim links: %s\n", err);
        return ops;
    }
    const link_model_ops *ops = link_find_builtin(arg);
    if (!ops) {
        const link_model_ops *const *all = link_builtin_models();
        const char *names[64];
        size_t n = 0;
        for (; n < 64 && all[n]; n++) names[n] = all[n]->name;
        const char *hint = text_did_you_mean(arg, names, n);
        fprintf(stderr, "mcusim links: no built-in link model '%s'%s%s%s (a plug-in is a path to "
                        "its .so)\n", arg, hint ? " (did you mean '" : "", hint ? hint : "",
                hint ? "'?)" : "");
    }
    return ops;
}

static const char usage[] =
    "usage: mcusim links [PLUGIN.so | NAME]...\n"
    "       mcusim links --check (PLUGIN.so | NAME)... [--set key=value]...";

int cmd_links(int argc, char **argv)
{
    bool check = false;
    const char **models = calloc((size_t)argc + 1, sizeof *models);
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t n_models = 0, n_sets = 0;
    int rc = 0;
    if (!models || !sets) { rc = cli_usage_error("links", "out of memory"); goto done; }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--check")) check = true;
        else if (!strcmp(argv[i], "--set") && i + 1 < argc) sets[n_sets++] = argv[++i];
        else if (!strncmp(argv[i], "--set=", 6)) sets[n_sets++] = argv[i] + 6;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { puts(usage); goto done; }
        else if (argv[i][0] == '-') { rc = cli_usage_error("links", "unknown option '%s'\n%s", argv[i], usage); goto done; }
        else models[n_models++] = argv[i];
    }
    if (check && n_models == 0) { rc = cli_usage_error("links", "--check needs a model\n%s", usage); goto done; }
    if (n_sets && !check) { rc = cli_usage_error("links", "--set goes with --check\n%s", usage); goto done; }
    if (!check && n_models == 0) {
        printf("Built-in link models (use in an experiment as system.link: {model: NAME, ...}, or\n"
               "for some chip pairs as system.links: [{level: L or pairs: [[src, dst]], "
               "link: {...}}]).\n"
               "Out-of-tree models: system.link: {plugin: path/to/lib.so, ...} "
               "(see interconnect/README.md); `mcusim links PLUGIN.so` lists one.\n");
        const link_model_ops *const *all = link_builtin_models();
        for (size_t i = 0; all[i]; i++) print_model(all[i], NULL);
        goto done;
    }
    for (size_t i = 0; i < n_models; i++) {
        void *h;
        const link_model_ops *ops = open_model(models[i], &h);
        if (!ops) { rc = 2; continue; }
        const char *path = h ? models[i] : NULL;
        if (!check) {
            print_model(ops, path);
        } else {
            char err[800] = "";
            int failed = link_conformance(ops, path, sets, n_sets, stdout, err, sizeof err);
            if (failed < 0) {
                fprintf(stderr, "mcusim links --check: %s: %s\n", models[i], err);
                if (!rc) rc = 2;
            } else if (failed > 0) {
                printf("  %d propert%s failed\n", failed, failed == 1 ? "y" : "ies");
                if (!rc) rc = 1;
            } else {
                printf("  all properties pass\n");
            }
        }
        if (h) link_plugin_close(h);
    }
done:
    free(models);
    free(sets);
    return rc;
}
