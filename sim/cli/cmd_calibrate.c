/* `mcusim calibrate CALIB.yaml [-j N] [--out FILE]`: fits the named,
 * bounded parameters of a calibration file to its published targets and
 * writes the overlay file(s) its output: section names (see README
 * "Calibration"). Everything is checked before the first run; files are
 * written only after a fit that converged. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../run/eval_pool.h"
#include "calib_file.h"
#include "calib_fit.h"
#include "calib_overlay.h"
#include "calib_report.h"
#include "cli_common.h"
#include "commands.h"

typedef struct calib_args {
    const char *path, *out;
    unsigned jobs;
} calib_args;

static int parse_args(int argc, char **argv, calib_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *v, *s = argv[i];
        if ((v = cli_opt_value("--jobs", argc, argv, &i)) || (v = cli_opt_value("-j", argc, argv, &i))) {
            if (cli_parse_jobs("calibrate", v, &a->jobs)) return 2;
        } else if ((v = cli_opt_value("--out", argc, argv, &i))) {
            if (!*v) return cli_usage_error("calibrate", "--out needs a file name");
            a->out = v;
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("calibrate", "unknown option '%s' (see 'mcusim calibrate --help')", s);
        } else if (a->path) {
            return cli_usage_error("calibrate", "one calibration file at a time ('%s' and '%s')",
                                   a->path, s);
        } else {
            a->path = s;
        }
    }
    if (!a->path) return cli_usage_error("calibrate", "missing CALIB.yaml (see 'mcusim calibrate --help')");
    return 0;
}

static int write_outputs(const calib_args *a, const calib_spec *c, const calib_result *r)
{
    char err[1024];
    const calib_output *outs[2] = {&c->node_out, &c->link_out};
    for (int k = 0; k < 2; k++) {
        if (!outs[k]->present) continue;
        if (calib_write_overlay(c, k == 1, r, err, sizeof err) != 0) {
            fprintf(stderr, "mcusim calibrate: %s\n", err);
            return 1;
        }
        printf("wrote %s\n", outs[k]->file);
    }
    if (a->out) {
        if (calib_write_json(a->out, c, r, err, sizeof err) != 0) {
            fprintf(stderr, "mcusim calibrate: %s\n", err);
            return 1;
        }
        printf("wrote %s\n", a->out);
    }
    return 0;
}

int cmd_calibrate(int argc, char **argv)
{
    calib_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc;
    cfg_error cerr;
    memset(&cerr, 0, sizeof cerr);
    calib_spec *c = calib_load(a.path, &cerr);
    if (!c) {
        cfg_error_print(&cerr, stderr);
        return 2;
    }
    calib_result r;
    char err[1100];
    unsigned procs = a.jobs ? a.jobs : eval_pool_default_procs();
    rc = calib_fit(c, procs, isatty(STDERR_FILENO), &r, err, sizeof err);
    if (rc) {
        fprintf(stderr, "mcusim calibrate: %s: %s\n", a.path, err);
    } else {
        calib_print(stdout, c, &r);
        if (!r.converged) {
            fprintf(stderr, "mcusim calibrate: %s: the search did not converge within %zu "
                    "evaluations; no file written\n", a.path, r.evals);
            rc = 1;
        } else {
            rc = write_outputs(&a, c, &r);
        }
    }
    calib_result_free(&r);
    calib_destroy(c);
    return rc;
}
