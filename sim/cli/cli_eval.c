/* One timing-only point for the evaluation pool (see cli_eval.h). Runs in
 * the pool's child process. */
#include "cli_eval.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../flow/simulate.h"
#include "cli_common.h"

int cli_eval_timing_only(const eval_job *job, void *ctx, run_stats *out, char *err,
                         size_t errlen)
{
    (void)ctx;
    cfg_error ce;
    memset(&ce, 0, sizeof ce);
    char configs[PATH_MAX];
    experiment *e = experiment_load(job->experiment, cli_configs_dir(configs, sizeof configs),
                                    job->sets, job->n_sets, &ce);
    if (!e) {
        memset(err, 0, errlen);   /* what fmemopen leaves stays terminated */
        FILE *f = errlen > 1 ? fmemopen(err, errlen - 1, "w") : NULL;
        if (f) {
            cfg_error_print(&ce, f);
            fclose(f);
        }
        return 2;
    }
    sim_options so = {.chips = job->chips, .functional = false, .check = false,
                      .flip_src = -1, .flip_dst = -1};
    char why[512] = "";
    int rc = mcusim_simulate(e, &so, out, why, sizeof why);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", e->path, why[0] ? why : "(no message)");
        run_stats_free(out);
    }
    experiment_destroy(e);
    return rc;
}
