/* `mcusim validate FILE [--set k=v]... [--timing-only] [--max-memory SIZE]`:
 * load, check that every value of sweep.vary loads (cli_check_vary), then
 * everything `run` would check for every chip count of sweep.chips (memory
 * estimate, node and link models, partition, topology, placement;
 * experiment_check_points) of the file as written, then print the resolved
 * values.
 * Nothing is printed on stdout unless every check passed. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../experiment/point_memory.h"
#include "../experiment/point_plan.h"
#include "cli_common.h"
#include "commands.h"

/* Accepts "--opt VALUE" and "--opt=VALUE"; NULL when argv[*i] is not opt. */
static const char *opt_value(const char *opt, int argc, char **argv, int *i, bool *missing)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] != '\0') return NULL;
    if (*i + 1 < argc) return argv[++*i];
    *missing = true;
    return NULL;
}

int cmd_validate(int argc, char **argv)
{
    const char *file = NULL, *v;
    cli_overrides o = {0};
    bool timing_only = false, missing = false;
    uint64_t max_memory = 0;
    int rc = 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((v = opt_value("--set", argc, argv, &i, &missing))) {
            if (cli_overrides_add(&o, v) != 0) {
                rc = cli_usage_error("validate", "--set expects key.path=value, got '%s'", v);
                goto out;
            }
        } else if ((v = opt_value("--max-memory", argc, argv, &i, &missing))) {
            if (cli_parse_size("validate", "--max-memory", v, &max_memory)) goto out;
        } else if (missing) {
            rc = cli_usage_error("validate", "%s needs a value", a);
            goto out;
        } else if (strcmp(a, "--timing-only") == 0) {
            timing_only = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = cli_usage_error("validate", "unknown option '%s' (see 'mcusim validate --help')", a);
            goto out;
        } else if (file) {
            rc = cli_usage_error("validate", "one config file at a time ('%s' and '%s')", file, a);
            goto out;
        } else {
            file = a;
        }
    }
    if (!file) {
        rc = cli_usage_error("validate", "missing FILE.yaml (usage: mcusim validate FILE.yaml "
                                         "[--set key.path=value]... [--timing-only] "
                                         "[--max-memory SIZE])");
        goto out;
    }
    experiment *e = cli_load_experiment(file, &o);
    if (e) {
        cfg_error err;
        memset(&err, 0, sizeof err);
        rc = cli_check_vary(e, file, &o);
        if (rc == 0) {
            rc = experiment_check_points(e, &e->chips, !timing_only,
                                         max_memory ? max_memory : point_memory_default_limit(1),
                                         &err);
            if (rc) cfg_error_print(&err, stderr);
        }
        if (rc == 0) experiment_print_resolved(e, stdout);
        experiment_destroy(e);
    }
out:
    cli_overrides_free(&o);
    return rc;
}
