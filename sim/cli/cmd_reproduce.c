/* mcusim reproduce [--out DIR] [--timing-only] [--no-check] [-j N] [--max-memory SIZE]
 * [--point-timeout SECONDS]: the paper set, twice. Every
 * configs/experiments/<set>/<name>.yaml of each set (in name order) is swept
 * into DIR/<set>/<experiment name>/ (default DIR: results, relative to the
 * current directory; each with its own README.md index), DIR/<set>/README.md
 * lists the experiments and gathers their tables, plots and files,
 * DIR/README.md lists the sets, and the sensitivity of the calibration
 * point is written to DIR/<set>/sensitivity-<experiment>-c<N>/. Every
 * README explains the columns from the statistics table. The sets: `paper`, the
 * experiments with the calibrated node (docs/FIDELITY.md),
 * `paper-datasheet`, the same with the node's datasheet values, and
 * `beyond`, comparisons beyond the paper (one experiment each, varying what
 * it compares with sweep.vary; no sensitivity).
 *
 * Default: functional runs with --check (every N-chip output compared bit
 * for bit with the 1-chip run), since the arithmetic of these small models
 * is cheap; --timing-only skips the arithmetic and the check (same timing
 * and energy), --no-check keeps the arithmetic but skips the comparison. */
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/file_read.h"
#include "../report/report.h"
#include "cli_common.h"
#include "cli_paths.h"
#include "commands.h"

typedef struct repro_args {
    const char *out, *jobs, *max_memory, *point_timeout;
    const char *command_line;   /* recorded in every experiment's provenance.json */
    int timing_only, no_check;
} repro_args;

static int parse(int argc, char **argv, repro_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--timing-only")) a->timing_only = 1;
        else if (!strcmp(o, "--no-check")) a->no_check = 1;
        else if (!strcmp(o, "--out") && i + 1 < argc) a->out = argv[++i];
        else if ((!strcmp(o, "-j") || !strcmp(o, "--jobs")) && i + 1 < argc) a->jobs = argv[++i];
        else if (!strncmp(o, "-j", 2) && o[2] >= '0' && o[2] <= '9') a->jobs = o + 2;
        else if (!strncmp(o, "--out=", 6)) a->out = o + 6;
        else if (!strncmp(o, "--jobs=", 7)) a->jobs = o + 7;
        else if (!strcmp(o, "--max-memory") && i + 1 < argc) a->max_memory = argv[++i];
        else if (!strncmp(o, "--max-memory=", 13)) a->max_memory = o + 13;
        else if (!strcmp(o, "--point-timeout") && i + 1 < argc) a->point_timeout = argv[++i];
        else if (!strncmp(o, "--point-timeout=", 16)) a->point_timeout = o + 16;
        else
            return cli_usage_error("reproduce", "unexpected '%s'; usage: mcusim reproduce [--out DIR] "
                                   "[--timing-only] [--no-check] [-j N] [--max-memory SIZE] "
                                   "[--point-timeout SECONDS]", o);
    }
    double t;
    if (a->point_timeout && cli_parse_timeout(a->point_timeout, &t))
        return cli_usage_error("reproduce", "--point-timeout '%s': expected seconds, > 0 and at most a year",
                               a->point_timeout);
    return 0;
}

/* The experiment's summary.md under a second-level heading, with its plot
 * links made relative to DIR. */
static void append_summary(FILE *md, const char *out, const char *name, int sweep_rc)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s/summary.md", out, name);
    size_t len;
    char why[128];
    char *text = file_read_regular(path, (size_t)16 << 20, &len, why, sizeof why);
    fprintf(md, "## %s\n\n", name);
    if (sweep_rc)
        fprintf(md, "**Incomplete:** %s; rows are missing below (the reasons are in the log of "
                    "`mcusim reproduce`).\n\n",
                sweep_rc == 2 ? "the experiment could not be loaded" : "some points failed to simulate");
    if (!text) {
        fprintf(md, "No summary: every point of this experiment failed (see the log).\n\n");
        return;
    }
    char *line = text;
    if (!strncmp(line, "# ", 2)) line = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line);
    if (*line == '\n') line++;
    for (char *next; *line; line = next) {
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : line + strlen(line);
        int len = (int)(next - line);
        if (!strncmp(line, "## ", 3)) fprintf(md, "#%.*s", len, line);
        else if (!strncmp(line, "![", 2) && strstr(line, "](")) {
            char *paren = strstr(line, "](") + 2;
            fprintf(md, "%.*s%s/%.*s", (int)(paren - line), line, name, (int)(next - paren), paren);
        } else {
            fprintf(md, "%.*s", len, line);
        }
    }
    fprintf(md, "\nFiles: [the folder's index](%s/README.md), [summary.md](%s/summary.md), "
                "[summary.csv](%s/summary.csv), [summary.json](%s/summary.json), "
                "[provenance.json](%s/provenance.json), [sweep.json](%s/sweep.json), "
                "[points/](%s/points/).\n\n",
            name, name, name, name, name, name, name);
    free(text);
}

/* One set of experiments: where its configs are, its README's title and
 * what it says of the parameters, and the point whose sensitivity it shows
 * (the one the calibration targets). */
typedef struct repro_set {
    const char *folder, *title, *params;
    const char *sens_experiment;
    const char *sens_chips;
} repro_set;

static const repro_set sets[] = {
    {"paper", "Reproduction of the paper experiments",
     "Every figure below is simulated from the parameters in `configs/` (sources in their YAML\n"
     "comments). The node is the calibrated overlay `configs/calibration/siracusa_paper.yaml`:\n"
     "four parameters fitted within physical bounds to the published TinyLlama-42M\n"
     "autoregressive figures (8 chips against 1) and Deeploy's chip power, by `mcusim calibrate\n"
     "configs/calibration/paper_tinyllama_ar.yaml` (docs/FIDELITY.md). Published figures, where\n"
     "an experiment has a `reference` block, are shown beside the simulated ones; the same\n"
     "experiments with the node's datasheet values are in `../paper-datasheet/`.\n",
     "tinyllama_ar", "8"},
    {"paper-datasheet", "The paper experiments with datasheet values",
     "Every figure below is simulated from the parameters in `configs/` (sources in their YAML\n"
     "comments), with the reading of docs/FIDELITY.md and none of its calibrated values: the\n"
     "node is `configs/nodes/siracusa_lean.yaml`. Published figures, where an experiment has\n"
     "a `reference` block, are shown beside the simulated ones and were not used for anything\n"
     "here; `../paper/` holds the same experiments with the calibrated node.\n",
     "tinyllama_ar", "8"},
    {"beyond", "Beyond the paper",
     "Comparisons the paper does not make, each one experiment of `configs/experiments/beyond/`\n"
     "built on a paper-set experiment (`base:`) and varying what it compares with `sweep.vary`,\n"
     "so its table is the comparison; every parameter's source is in the YAML comments. Points\n"
     "a variant cannot split (a pipeline stage needs a block) are listed as not applicable\n"
     "under their experiment's table, not simulated. README \"Pipeline and hybrid\n"
     "partitioning\", \"All-reduce variants\" and \"Heterogeneous systems\" explain the\n"
     "figures.\n",
     NULL, NULL},
};

/* What one experiment of a set is: its name (its folder) and description. */
typedef struct repro_exp {
    char *name, *description;
    int rc;
} repro_exp;

/* The columns every summary.csv below shares, explained once. */
static void columns_section(FILE *md)
{
    fputs("## Columns\n\n"
          "Every experiment's `summary.csv` has these columns (its folder's README.md lists "
          "the components `<c>` its node declares); `summary.md` shows those with a header:\n\n",
          md);
    report_columns_md(md);
    fputc('\n', md);
}

static int write_readme(const char *out, const repro_set *set, const repro_exp *x, size_t n,
                        const char *sens_dir, int sens_rc, const repro_args *a)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *md = open_memstream(&buf, &len);
    if (!md) return -1;
    fprintf(md, "# %s\n\nGenerated by `mcusim reproduce`; do not edit by hand. %s\n", set->title,
            set->params);
    fprintf(md, "Runs: %s.\n\n",
            a->timing_only ? "timing-only (no arithmetic; identical timing and energy)"
            : a->no_check  ? "functional (real integer kernels)"
                           : "functional (real integer kernels), every N-chip output checked bit "
                             "for bit against the 1-chip run");
    for (size_t i = 0; i < n; i++)
        fprintf(md, "- [%s](#%s): %s ([folder](%s/), [index](%s/README.md))\n", x[i].name,
                x[i].name, x[i].description[0] ? x[i].description : "(no description)",
                x[i].name, x[i].name);
    if (sens_dir)
        fprintf(md, "- [sensitivity](#sensitivity): elasticities of the calibration point "
                    "([folder](%s/))\n", sens_dir);
    fprintf(md, "- [columns](#columns): what every column means, with its unit\n");
    fputc('\n', md);
    for (size_t i = 0; i < n; i++) append_summary(md, out, x[i].name, x[i].rc);
    if (sens_dir) {
        fprintf(md, "## sensitivity\n\n");
        if (sens_rc)
            fprintf(md, "**Missing:** `mcusim sensitivity` failed (see the log).\n\n");
        else
            fprintf(md, "`mcusim sensitivity` of `%s` at %s chips: every numeric node and link "
                        "parameter moved by ±20 %%, elasticities in [sensitivity.csv](%s/sensitivity.csv), "
                        "the 15 largest per metric in the tornado plots:\n\n"
                        "![latency](%s/tornado_latency_ms.svg)\n![energy](%s/tornado_energy_mcu_mj.svg)\n"
                        "![speedup](%s/tornado_speedup.svg)\n![EDP gain](%s/tornado_edp_gain_mcu.svg)\n\n",
                    set->sens_experiment, set->sens_chips, sens_dir, sens_dir, sens_dir, sens_dir,
                    sens_dir);
    }
    columns_section(md);
    fclose(md);
    char path[4200], err[512];
    snprintf(path, sizeof path, "%s/README.md", out);
    int rc = report_write_file_atomic(path, buf, len, err, sizeof err);
    if (rc) fprintf(stderr, "mcusim reproduce: %s\n", err);
    free(buf);
    return rc;
}

/* One experiment through `mcusim sweep`, with the same code path a user gets. */
static int sweep_one(const char *yaml, const char *dir, const repro_args *a)
{
    char *argv[14];
    int argc = 0;
    argv[argc++] = "sweep";
    argv[argc++] = (char *)yaml;
    argv[argc++] = "--out";
    argv[argc++] = (char *)dir;
    if (a->jobs) { argv[argc++] = "-j"; argv[argc++] = (char *)a->jobs; }
    if (a->max_memory) { argv[argc++] = "--max-memory"; argv[argc++] = (char *)a->max_memory; }
    if (a->point_timeout) { argv[argc++] = "--point-timeout"; argv[argc++] = (char *)a->point_timeout; }
    if (a->timing_only) argv[argc++] = "--timing-only";
    else if (!a->no_check) argv[argc++] = "--check";
    argv[argc] = NULL;
    return sweep_command(argc, argv, a->command_line);
}

/* The calibration point's sensitivity, through `mcusim sensitivity`. */
static int sensitivity_one(const char *yaml, const char *chips, const char *dir, const repro_args *a)
{
    char *argv[10];
    int argc = 0;
    argv[argc++] = "sensitivity";
    argv[argc++] = (char *)yaml;
    argv[argc++] = "--chips";
    argv[argc++] = (char *)chips;
    argv[argc++] = "--out";
    argv[argc++] = (char *)dir;
    if (a->jobs) { argv[argc++] = "-j"; argv[argc++] = (char *)a->jobs; }
    argv[argc] = NULL;
    return cmd_sensitivity(argc, argv);
}

/* Sweeps every experiment of one set into root/<set>/ and writes its README. */
static int reproduce_set(const char *root, const repro_set *set, const repro_args *a, bool *ran,
                         repro_exp **ran_exps, size_t *n_exps)
{
    *ran_exps = NULL;
    *n_exps = 0;
    char pattern[4096], err[512], home[4096], out[4096];
    const char *dir_home = cli_project_dir(home, sizeof home);
    snprintf(pattern, sizeof pattern, "%s/configs/experiments/%s/*.yaml", dir_home, set->folder);
    snprintf(out, sizeof out, "%s/%s", root, set->folder);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        *ran = false;   /* a configs/ folder of one's own may hold one set only */
        fprintf(stderr, "mcusim reproduce: no experiment matches %s; set '%s' skipped\n", pattern,
                set->folder);
        return 0;
    }
    *ran = true;
    if (report_make_dirs(out, err, sizeof err)) {
        fprintf(stderr, "mcusim reproduce: %s\n", err);
        globfree(&g);
        return 1;
    }
    int rc = 0;
    repro_exp *x = calloc(g.gl_pathc, sizeof *x);
    size_t n = 0;
    for (size_t i = 0; x && i < g.gl_pathc; i++) {
        experiment *e = cli_load_experiment(g.gl_pathv[i], NULL);
        if (!e) { rc = rc ? rc : 2; continue; }
        x[n].name = strdup(e->name);
        x[n].description = strdup(e->description);
        experiment_destroy(e);
        if (!x[n].name || !x[n].description) {
            free(x[n].name);
            free(x[n].description);
            rc = rc ? rc : 1;
            continue;
        }
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/%s", out, x[n].name);
        int r = sweep_one(g.gl_pathv[i], dir, a);
        x[n].rc = r;
        if (r && !rc) rc = r;
        n++;
    }
    char yaml[4200] = "", sens[64] = "", sens_dir[4300] = "";
    if (set->sens_experiment) {
        snprintf(yaml, sizeof yaml, "%s/configs/experiments/%s/%s.yaml", dir_home, set->folder,
                 set->sens_experiment);
        snprintf(sens, sizeof sens, "sensitivity-%s-c%s", set->sens_experiment, set->sens_chips);
        snprintf(sens_dir, sizeof sens_dir, "%s/%s", out, sens);
    }
    /* the calibration point's sensitivity, where the set has that experiment */
    bool has_sens = set->sens_experiment && access(yaml, F_OK) == 0;
    int sens_rc = has_sens ? sensitivity_one(yaml, set->sens_chips, sens_dir, a) : 0;
    if (sens_rc && !rc) rc = sens_rc;
    if (write_readme(out, set, x, n, has_sens ? sens : NULL, sens_rc, a) && !rc) rc = 1;
    *ran_exps = x;
    *n_exps = n;
    globfree(&g);
    return rc;
}

static void free_exps(repro_exp *x, size_t n)
{
    for (size_t i = 0; x && i < n; i++) {
        free(x[i].name);
        free(x[i].description);
    }
    free(x);
}

/* DIR/README.md: the sets, and the experiments of each, one line each. */
static int write_root_readme(const char *root, const bool *ran, repro_exp *const *x,
                             const size_t *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *md = open_memstream(&buf, &len);
    if (!md) return -1;
    fputs("# mcusim results\n\nGenerated by `mcusim reproduce`; do not edit by hand. Each set "
          "folder has a README.md with the tables, plots and files of its experiments, and "
          "each experiment folder a README.md indexing its own files and columns.\n\n",
          md);
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        if (!ran[k]) continue;
        fprintf(md, "## [%s](%s/README.md)\n\n%s\n\n", sets[k].folder, sets[k].folder,
                sets[k].title);
        for (size_t i = 0; i < n[k]; i++)
            fprintf(md, "- [%s](%s/%s/README.md): %s\n", x[k][i].name, sets[k].folder,
                    x[k][i].name, x[k][i].description[0] ? x[k][i].description : "(no description)");
        fputc('\n', md);
    }
    columns_section(md);
    fclose(md);
    char path[4200], err[512];
    snprintf(path, sizeof path, "%s/README.md", root);
    int rc = report_write_file_atomic(path, buf, len, err, sizeof err);
    if (rc) fprintf(stderr, "mcusim reproduce: %s\n", err);
    free(buf);
    return rc;
}

int cmd_reproduce(int argc, char **argv)
{
    repro_args a = {0};
    int rc = parse(argc, argv, &a);
    if (rc) return rc;
    uint64_t bytes;   /* checked here so a typo stops before the first sweep */
    if (a.max_memory && cli_parse_size("reproduce", "--max-memory", a.max_memory, &bytes)) return 2;
    const char *root = a.out ? a.out : "results";
    if (cli_check_output_dir("reproduce", "--out", root)) return 2;
    char *line = cli_command_line(argc, argv);
    a.command_line = line ? line : "mcusim reproduce";
    enum { N_SETS = sizeof sets / sizeof sets[0] };
    size_t ran = 0, n[N_SETS] = {0};
    bool did[N_SETS] = {false};
    repro_exp *x[N_SETS] = {NULL};
    for (size_t i = 0; i < N_SETS; i++) {
        int r = reproduce_set(root, &sets[i], &a, &did[i], &x[i], &n[i]);
        if (r && !rc) rc = r;
        ran += did[i];
    }
    if (ran && write_root_readme(root, did, x, n) && !rc) rc = 1;
    for (size_t i = 0; i < N_SETS; i++) free_exps(x[i], n[i]);
    free(line);
    if (!ran) {
        fprintf(stderr, "mcusim reproduce: no experiment set found under configs/experiments/\n");
        return 2;
    }
    return rc;
}
