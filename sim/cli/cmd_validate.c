/* `mcusim validate FILE [--set k=v]...`: load, check, print the resolved values. */
#include <stdio.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"

int cmd_validate(int argc, char **argv)
{
    const char *file = NULL;
    cli_overrides o = {0};
    int rc = 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--set") == 0 || strncmp(a, "--set=", 6) == 0) {
            const char *v = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) { rc = cli_usage_error("validate", "--set needs key.path=value"); goto out; }
            if (cli_overrides_add(&o, v) != 0) {
                rc = cli_usage_error("validate", "--set expects key.path=value, got '%s'", v);
                goto out;
            }
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
                                         "[--set key.path=value]...)");
        goto out;
    }
    experiment *e = cli_load_experiment(file, &o);
    if (e) {
        experiment_print_resolved(e, stdout);
        experiment_destroy(e);
        rc = 0;
    }
out:
    cli_overrides_free(&o);
    return rc;
}
