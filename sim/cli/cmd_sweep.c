/* mcusim sweep: chips × grid of --sweep values, one forked process per
 * point (sweep_runner), then the summary files of the points present.
 *
 * Output folder (default results/<experiment name>/, relative to the
 * current directory):
 *   points/<id>.json   one run_stats per point; id = c0004, or g002-c0004
 *                      when --sweep gives a grid (g = grid combination)
 *   sweep.json         how the sweep was invoked, so `mcusim merge` can
 *                      reload the experiment
 *   summary.csv/.json/.md, *.svg
 * Grid rows carry their assignments in the `sweep` column
 * ("key.path=value;key.path=value"); speedup is against the 1-chip row of
 * the same grid combination. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../experiment/point_memory.h"
#include "../report/json.h"
#include "../report/report.h"
#include "../report/sweep_runner.h"
#include "../systemc/simulate.h"
#include "cli_common.h"
#include "cli_paths.h"
#include "commands.h"

typedef struct sweep_args {
    const char *path, *out, *chips_text;
    cli_overrides sets;
    sweep_axis axes[SWEEP_MAX_AXES];
    size_t n_axes;
    unsigned jobs, shard_i, shard_n;
    int timing_only, check, resume;
    uint64_t max_memory;      /* per point; 0 until defaulted in run_sweep */
} sweep_args;

static const char *usage =
    "usage: mcusim sweep EXPERIMENT.yaml [--chips 1,2,4] [--sweep key.path=v1,v2,...]...\n"
    "                    [--set key.path=value]... [-j JOBS] [--shard I/N] [--timing-only]\n"
    "                    [--check] [--resume] [--max-memory SIZE] [--out DIR]\n";

static int parse_shard(const char *t, sweep_args *a)
{
    char extra;
    if (sscanf(t, "%u/%u%c", &a->shard_i, &a->shard_n, &extra) != 2 || a->shard_n == 0 ||
        a->shard_i < 1 || a->shard_i > a->shard_n)
        return -1;
    return 0;
}

static int parse_args(int argc, char **argv, sweep_args *a)
{
    char err[512];
    char opt[64];
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *inline_val = NULL;
        /* -j4 and --key=value spellings */
        if (!strncmp(o, "-j", 2) && o[2] && o[1] != '-') {
            snprintf(opt, sizeof opt, "-j");
            inline_val = o + 2;
            o = opt;
        } else if (!strncmp(o, "--", 2) && strchr(o, '=') && (size_t)(strchr(o, '=') - o) < sizeof opt) {
            snprintf(opt, sizeof opt, "%.*s", (int)(strchr(o, '=') - o), o);
            inline_val = strchr(o, '=') + 1;
            o = opt;
        }
        int has_val = inline_val || i + 1 < argc;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) { fputs(usage, stdout); return -1; }
        if (inline_val && (!strcmp(o, "--timing-only") || !strcmp(o, "--check") || !strcmp(o, "--resume")))
            return cli_usage_error("sweep", "%s takes no value", o);
        if (!strcmp(o, "--timing-only")) { a->timing_only = 1; continue; }
        if (!strcmp(o, "--check")) { a->check = 1; continue; }
        if (!strcmp(o, "--resume")) { a->resume = 1; continue; }
        if (o[0] != '-') {
            if (a->path) return cli_usage_error("sweep", "more than one experiment file ('%s')", o);
            a->path = o;
            continue;
        }
        if (!has_val) return cli_usage_error("sweep", "%s needs a value\n%s", o, usage);
        const char *v = inline_val ? inline_val : argv[++i];
        if (!strcmp(o, "--chips")) a->chips_text = v;
        else if (!strcmp(o, "--out")) a->out = v;
        else if (!strcmp(o, "--set")) {
            if (cli_overrides_add(&a->sets, v)) return cli_usage_error("sweep", "--set '%s': expected key.path=value", v);
        } else if (!strcmp(o, "--sweep")) {
            if (a->n_axes == SWEEP_MAX_AXES) return cli_usage_error("sweep", "at most %d --sweep axes", SWEEP_MAX_AXES);
            if (sweep_axis_parse(v, &a->axes[a->n_axes++], err, sizeof err))
                return cli_usage_error("sweep", "--sweep %s", err);
        } else if (!strcmp(o, "-j") || !strcmp(o, "--jobs")) {
            char *end;
            long j = strtol(v, &end, 10);
            if (*end || j < 1 || j > 1024) return cli_usage_error("sweep", "-j '%s': expected 1..1024", v);
            a->jobs = (unsigned)j;
        } else if (!strcmp(o, "--max-memory")) {
            if (cli_parse_size("sweep", "--max-memory", v, &a->max_memory)) return 2;
        } else if (!strcmp(o, "--shard")) {
            if (parse_shard(v, a)) return cli_usage_error("sweep", "--shard '%s': expected I/N with 1 <= I <= N", v);
        } else {
            return cli_usage_error("sweep", "unknown option '%s'\n%s", o, usage);
        }
    }
    if (!a->path) return cli_usage_error("sweep", "no experiment file given\n%s", usage);
    if (a->check && a->timing_only)
        return cli_usage_error("sweep", "--check compares the output bits, which --timing-only "
                                        "does not compute: give one of them");
    return 0;
}

typedef struct point_ctx {
    const sweep_args *a;
} point_ctx;

/* Runs in the child process: load with --set and this point's assignments,
 * then simulate. */
static int simulate_point(const sweep_point *p, void *vctx, run_stats *out, char *err, size_t errlen)
{
    const sweep_args *a = ((point_ctx *)vctx)->a;
    cli_overrides o = {0};
    for (size_t i = 0; i < a->sets.n; i++) cli_overrides_add(&o, a->sets.v[i]);
    for (size_t i = 0; i < p->n_assign; i++) cli_overrides_add(&o, p->assign[i]);
    experiment *e = cli_load_experiment(a->path, &o);
    cli_overrides_free(&o);
    if (!e) {
        snprintf(err, errlen, "bad configuration (see the message above)");
        return 2;
    }
    sim_options so = {.chips = p->chips, .functional = !a->timing_only, .check = a->check,
                      .max_memory = a->max_memory};
    int rc = mcusim_simulate(e, &so, out, err, errlen);
    experiment_destroy(e);
    return rc;
}

static int write_meta(const char *out, const sweep_args *a, char *err, size_t errlen)
{
    char abs[PATH_MAX], path[4096];
    if (!realpath(a->path, abs)) snprintf(abs, sizeof abs, "%s", a->path);
    if (snprintf(path, sizeof path, "%s/sweep.json", out) >= (int)sizeof path) {
        snprintf(err, errlen, "%.200s...: output folder path too long", out);
        return -1;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) { snprintf(err, errlen, "out of memory"); return -1; }
    fputs("{\n  \"experiment_path\": ", f);
    json_write_string(f, abs);
    fputs(",\n  \"set\": [", f);
    for (size_t i = 0; i < a->sets.n; i++) {
        if (i) fputs(", ", f);
        json_write_string(f, a->sets.v[i]);
    }
    fprintf(f, "],\n  \"timing_only\": %s\n}\n", a->timing_only ? "true" : "false");
    fclose(f);
    int rc = report_write_file_atomic(path, buf, len, err, errlen);
    free(buf);
    return rc;
}

/* Point files of an earlier sweep with other chips or values would end up
 * in the summary: remove those that are not part of this plan. */
static void drop_stale_points(const char *points_dir, const sweep_plan *plan)
{
    DIR *d = opendir(points_dir);
    if (!d) return;
    size_t total = sweep_plan_size(plan);
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json")) continue;
        int keep = 0;
        for (size_t i = 0; i < total && !keep; i++) {
            sweep_point p;
            sweep_plan_point(plan, i, &p);
            keep = strlen(p.id) == len - 5 && !strncmp(p.id, de->d_name, len - 5);
        }
        if (!keep) {
            char path[4096];
            if (snprintf(path, sizeof path, "%s/%s", points_dir, de->d_name) < (int)sizeof path)
                remove(path);
        }
    }
    closedir(d);
}

static void config_note(const sweep_args *a, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < a->sets.n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s--set %s", i ? " " : "", a->sets.v[i]);
}

/* Reads the points present and writes the summary files. */
static int summarise(const char *out, const experiment *e, size_t *n_rows, uint64_t *events)
{
    char err[1024];
    run_stats *rows;
    const char *dirs[] = {out};
    if (report_read_points(dirs, 1, &rows, n_rows, err, sizeof err) ||
        report_write_experiment(out, e, rows, *n_rows, err, sizeof err)) {
        fprintf(stderr, "mcusim sweep: %s\n", err);
        return -1;
    }
    *events = 0;
    for (size_t i = 0; i < *n_rows; i++) *events += rows[i].sim_events;
    report_free_rows(rows, *n_rows);
    return 0;
}

static int run_sweep(sweep_args *a, const experiment *e)
{
    param_uint_list chips = e->chips;
    char err[1024];
    if (a->chips_text && cli_parse_chips(a->chips_text, &chips, err, sizeof err))
        return cli_usage_error("sweep", "--chips: %s", err);
    if (chips.n == 0) return cli_usage_error("sweep", "%s: no chip counts (sweep.chips or --chips)", a->path);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned jobs = a->jobs ? a->jobs : (unsigned)(ncpu > 0 ? ncpu : 1);
    /* Points run -j at a time: by default they share half the RAM. */
    if (!a->max_memory) a->max_memory = point_memory_default_limit(jobs);
    for (size_t i = 0; i < chips.n; i++)
        if (point_memory_check(e, (uint32_t)chips.v[i], !a->timing_only, a->check != 0, false,
                               a->max_memory, err, sizeof err))
            return cli_usage_error("sweep", "%s: %s", a->path, err);
    char out[4096], points[4200];
    if (a->out) snprintf(out, sizeof out, "%s", a->out);
    else snprintf(out, sizeof out, "results/%s", e->name);
    snprintf(points, sizeof points, "%s/points", out);
    if (cli_check_output_dir("sweep", a->out ? "--out" : "output folder", out)) return 2;
    if (report_make_dirs(points, err, sizeof err) || write_meta(out, a, err, sizeof err)) {
        fprintf(stderr, "mcusim sweep: %s\n", err);
        return 1;
    }
    sweep_plan plan = {.chips = chips.v, .n_chips = chips.n, .axes = a->axes, .n_axes = a->n_axes};
    drop_stale_points(points, &plan);
    sweep_remove_temporaries(points);   /* left by a run killed with SIGKILL */
    char note[2048];
    config_note(a, note, sizeof note);
    sweep_options so = {.jobs = jobs,
                        .shard_i = a->shard_i ? a->shard_i : 1, .shard_n = a->shard_n ? a->shard_n : 1,
                        .points_dir = points, .verb = "mcusim sweep", .config_note = note,
                        .progress = isatty(STDERR_FILENO), .resume = a->resume != 0};
    point_ctx ctx = {.a = a};
    sweep_result res;
    if (sweep_run(&plan, &so, simulate_point, &ctx, &res, err, sizeof err)) {
        fprintf(stderr, "mcusim sweep: %s\n", err);
        return 1;
    }
    if (res.interrupted) {
        /* A summary of a partial sweep would read as a complete one: write none. */
        fprintf(stderr, "mcusim sweep: interrupted by signal %d after %zu of %zu points; "
                "finished points are in %s/, rerun with --resume to complete\n",
                res.interrupted, res.ok + res.resumed, res.selected, points);
        return 128 + res.interrupted;
    }
    size_t n_rows;
    uint64_t events;
    if (summarise(out, e, &n_rows, &events)) return 1;
    printf("mcusim sweep: %s: %zu of %zu points ran (%zu failed, %zu resumed) in %.2f s, "
           "%llu events; summary of %zu points in %s/\n",
           e->name, res.ok, res.selected, res.failed, res.resumed, res.wall_s,
           (unsigned long long)events, n_rows, out);
    if (res.failed)
        fprintf(stderr, "mcusim sweep: %zu of %zu points failed\n", res.failed, res.selected);
    return res.failed ? 1 : 0;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        cli_overrides_free(&a.sets);
        return rc < 0 ? 0 : rc;
    }
    experiment *e = cli_load_experiment(a.path, &a.sets);
    if (!e) {
        cli_overrides_free(&a.sets);
        return 2;
    }
    rc = run_sweep(&a, e);
    experiment_destroy(e);
    cli_overrides_free(&a.sets);
    return rc;
}
