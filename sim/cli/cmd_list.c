/* `mcusim list [KIND]...`: every registry, its entries, each entry's doc,
 * parameters (units, ranges, defaults, docs: param_print.h, as `mcusim
 * links` prints them) and deprecated aliases. The kinds are the seams of
 * docs/ARCHITECTURE.md: link models, collectives, partitioners, node models,
 * model files and timing backends. Everything is printed from the
 * registries and files themselves, so a new entry shows up without an edit
 * here; a new kind of registry is one line in `kinds` below. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../collectives/topology.h"
#include "../../workloads/partitioner.h"
#include "../config/cfg.h"
#include "../experiment/model_file.h"
#include "../flow/timing_backend.h"
#include "cli_common.h"
#include "commands.h"
#include "param_print.h"

/* "== nodes (node models): doc": the kind as written on the command line,
 * what its registry calls itself when that differs. */
static void print_header(FILE *out, const char *kind, const char *what, const char *doc)
{
    fprintf(out, "== %s", kind);
    if (strcmp(kind, what) != 0) fprintf(out, " (%s)", what);
    fprintf(out, ": %s\n", doc);
}

static void print_entry(FILE *out, const registry_entry *e)
{
    fprintf(out, "\n%s: %s\n", e->name, e->doc ? e->doc : "");
    if (e->deprecated_alias)
        fprintf(out, "    deprecated alias: %s (still accepted, with a warning)\n",
                e->deprecated_alias);
    param_print_table(out, e->params, e->n_params);
}

static int print_registry(FILE *out, const char *kind, const registry_kind *k)
{
    print_header(out, kind, k->name, k->doc);
    const registry_entry *const *all = k->entries();
    for (size_t i = 0; all[i]; i++) print_entry(out, all[i]);
    return 0;
}

static int list_links(FILE *out, const char *configs_dir)
{
    (void)configs_dir;
    print_header(out, "links", "link models",
                 "what moving bytes between two chips costs (system.link: {model: NAME, ...}; "
                 "per chip pair or topology level: system.links; out-of-tree plug-ins: "
                 "`mcusim links PLUGIN.so`)");
    const link_model_ops *const *all = link_builtin_models();
    for (size_t i = 0; all[i]; i++) {
        fprintf(out, "\n%s: %s\n", all[i]->name, all[i]->description ? all[i]->description : "");
        param_print_table(out, all[i]->params, all[i]->n_params);
    }
    return 0;
}

static int list_collectives(FILE *out, const char *configs_dir)
{
    (void)configs_dir;
    return print_registry(out, "collectives", collective_registry());
}

static int list_partitioners(FILE *out, const char *configs_dir)
{
    (void)configs_dir;
    return print_registry(out, "partitioners", partitioner_registry());
}

static int list_nodes(FILE *out, const char *configs_dir)
{
    (void)configs_dir;
    return print_registry(out, "nodes", node_model_registry());
}

static int list_backends(FILE *out, const char *configs_dir)
{
    (void)configs_dir;
    return print_registry(out, "backends", timing_backend_registry());
}

/* The model files `workload.model: NAME` finds (model_file_names, the same
 * lookup), each loaded as a run would load it, with its dimensions. */
static int list_models(FILE *out, const char *configs_dir)
{
    fprintf(out, "== models (model files): a model's dimensions, one file each "
                 "(workload.model: NAME is %s/models/NAME.yaml; workload.dims overrides any "
                 "key); their keys:\n", configs_dir);
    param_print_table(out, model_dims_specs, model_dims_count);
    char (*names)[64] = calloc(MODEL_NAMES_MAX, sizeof *names);
    if (!names) {
        fprintf(stderr, "mcusim list: out of memory\n");
        return 2;
    }
    size_t n = model_file_names(configs_dir, names, MODEL_NAMES_MAX);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[PATH_MAX + 80];
        snprintf(path, sizeof path, "%s/models/%s.yaml", configs_dir, names[i]);
        model_dims d;
        cfg_error err;
        memset(&err, 0, sizeof err);
        if (model_file_load(path, &d, &err) != 0) {
            cfg_error_print(&err, stderr);
            rc = 2;
            break;
        }
        fprintf(out, "\n%s: %s (name in reports: %s)\n   ", names[i], path, d.name);
        for (size_t k = 0; k < model_dims_count; k++) {
            fprintf(out, " %s ", model_dims_specs[k].key);
            cfg_print_value(out, &model_dims_specs[k], &d);
            fputs(k + 1 < model_dims_count ? "," : "\n", out);
        }
    }
    free(names);
    return rc;
}

typedef struct list_kind {
    const char *name;   /* as written on the command line */
    int (*print)(FILE *out, const char *configs_dir);   /* 0, or 2 with a line on stderr */
} list_kind;

static const list_kind kinds[] = {
    {"links", list_links},         {"collectives", list_collectives},
    {"partitioners", list_partitioners}, {"nodes", list_nodes},
    {"models", list_models},       {"backends", list_backends},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static const char usage[] =
    "usage: mcusim list [KIND]...   KIND: links, collectives, partitioners, nodes, models, "
    "backends";

static const list_kind *find_kind(const char *name)
{
    for (size_t i = 0; i < N_KINDS; i++)
        if (strcmp(kinds[i].name, name) == 0) return &kinds[i];
    const char *names[N_KINDS];
    for (size_t i = 0; i < N_KINDS; i++) names[i] = kinds[i].name;
    const char *hint = text_did_you_mean(name, names, N_KINDS);
    cli_usage_error("list", "unknown kind '%s'%s%s%s; kinds: links, collectives, partitioners, "
                            "nodes, models, backends", name, hint ? " (did you mean '" : "",
                    hint ? hint : "", hint ? "'?)" : "");
    return NULL;
}

int cmd_list(int argc, char **argv)
{
    const list_kind **chosen = calloc((size_t)argc + N_KINDS, sizeof *chosen);
    if (!chosen) return cli_usage_error("list", "out of memory");
    size_t n = 0;
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        if (argv[i][0] == '-') rc = cli_usage_error("list", "unknown option '%s'\n%s", argv[i], usage);
        else if (!(chosen[n++] = find_kind(argv[i]))) rc = 2;
    }
    if (rc == 0 && n == 0)
        for (size_t i = 0; i < N_KINDS; i++) chosen[n++] = &kinds[i];
    /* Into memory first: a model file that does not load prints its one
     * error line and nothing else. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = rc == 0 ? open_memstream(&text, &len) : NULL;
    if (rc == 0 && !out) rc = cli_usage_error("list", "out of memory");
    char configs[PATH_MAX];
    cli_configs_dir(configs, sizeof configs);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i) fputc('\n', out);
        rc = chosen[i]->print(out, configs);
    }
    if (out && fclose(out) != 0 && rc == 0) rc = cli_usage_error("list", "out of memory");
    if (rc == 0) fwrite(text, 1, len, stdout);
    free(text);
    free(chosen);
    return rc;
}
