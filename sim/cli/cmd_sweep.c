/* mcusim sweep: chips × grid of --sweep values, one forked process per
 * point (sweep_runner), then the summary files of the planned points.
 *
 * Output folder (default results/<experiment name>/, relative to the
 * current directory):
 *   points/<id>.json   one run_stats per point, stamped with the SHA-256 of
 *                      its resolved configuration, the version and the mode;
 *                      id = c0004, or g002-c0004 when --sweep gives a grid
 *   sweep.json         how the sweep was invoked and what every point of its
 *                      plan must be (sweep_record.h), for `mcusim merge`
 *   provenance.json    version, git describe, resolved config and its hash,
 *                      host, date, command line
 *   ops/<id>.json      --stats ops: the point's per-op rows (ops_file.h)
 *   summary.csv/.json/.md, *.svg, README.md, and ops.csv with --stats ops
 * Grid rows carry their assignments in the `sweep` column
 * ("key.path=value;key.path=value"); speedup is against the 1-chip row of
 * the same grid combination.
 *
 * Everything that can be wrong with the command line or the configuration
 * (every --sweep value included) is found before a point runs or a file is
 * written. A point file is never removed: one that is not part of this
 * sweep's plan, or not stamped for it, stays and is left out of the summary. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../experiment/point_memory.h"
#include "../report/json.h"
#include "../report/ops_file.h"
#include "../report/point_stamp.h"
#include "../report/provenance.h"
#include "../report/report.h"
#include "../report/sweep_record.h"
#include "../flow/simulate.h"
#include "build_info.h"
#include "cli_common.h"
#include "cli_paths.h"
#include "commands.h"
#include "sweep_prepare.h"

/* Generous: the largest paper point simulates in seconds; an hour means stuck. */
#define DEFAULT_POINT_TIMEOUT_S 3600.0

typedef struct sweep_args {
    const char *path, *out, *chips_text;
    cli_overrides sets;
    sweep_axis axes[SWEEP_MAX_AXES];
    size_t n_axes;
    unsigned jobs, shard_i, shard_n;
    double point_timeout_s;
    int timing_only, check, resume;
    bool stats_ops;           /* --stats ops */
    uint64_t max_memory;      /* per point; 0 until defaulted in run_sweep */
} sweep_args;

static const char *usage =
    "usage: mcusim sweep EXPERIMENT.yaml [--chips 1,2,4] [--sweep key.path=v1,v2,...]...\n"
    "                    [--set key.path=value]... [-j JOBS] [--shard I/N] [--timing-only]\n"
    "                    [--check] [--resume] [--max-memory SIZE] [--point-timeout SECONDS]\n"
    "                    [--stats ops] [--out DIR]\n";

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
        else if (!strcmp(o, "--stats")) {
            if (cli_parse_stats("sweep", v, &a->stats_ops)) return 2;
        }
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
        } else if (!strcmp(o, "--point-timeout")) {
            if (cli_parse_timeout(v, &a->point_timeout_s))
                return cli_usage_error("sweep", "--point-timeout '%s': expected seconds, > 0 and at most a year", v);
        } else {
            return cli_usage_error("sweep", "unknown option '%s'\n%s", o, usage);
        }
    }
    if (!a->path) return cli_usage_error("sweep", "no experiment file given\n%s", usage);
    if (a->check && a->timing_only)
        return cli_usage_error("sweep", "--check compares the output bits, which --timing-only "
                                        "does not compute: give one of them");
    if (a->out && !a->out[0]) return cli_usage_error("sweep", "--out needs a folder");
    return 0;
}

typedef struct point_ctx {
    const sweep_args *a;
    const planned_point *planned;
    const char *mode;
    const char *ops_dir;      /* --stats ops: where each point's rows go */
} point_ctx;

/* --stats ops: the point's rows into OUT/ops/<id>.json, before its point
 * file (a point file then says its rows were written), once they add up. */
static int write_point_ops(const point_ctx *ctx, const sweep_point *p, run_stats *out, char *err,
                           size_t errlen)
{
    char why[512], path[4200];
    if (!out->ops || op_stats_check(out, why, sizeof why)) {
        snprintf(err, errlen, "per-op statistics do not add up to the point's: %s",
                 out->ops ? why : "out of memory");
        return 1;
    }
    out->stamp = ctx->planned[p->index].stamp;
    snprintf(path, sizeof path, "%s/%s.json", ctx->ops_dir, p->id);
    return ops_file_write(path, out, err, errlen) ? 1 : 0;
}

/* Runs in the child process: load with --set and this point's assignments,
 * check it is still the configuration the plan stamped, then simulate. */
static int simulate_point(const sweep_point *p, void *vctx, run_stats *out, char *err, size_t errlen)
{
    const point_ctx *ctx = vctx;
    const sweep_args *a = ctx->a;
    cli_overrides o = {0};
    for (size_t i = 0; i < a->sets.n; i++) cli_overrides_add(&o, a->sets.v[i]);
    for (size_t i = 0; i < p->n_assign; i++) cli_overrides_add(&o, p->assign[i]);
    experiment *e = cli_load_experiment_quietly(a->path, &o);
    cli_overrides_free(&o);
    if (!e) {
        snprintf(err, errlen, "bad configuration (see the message above)");
        return 2;
    }
    point_stamp now;
    if (stamp_point(e, p->chips, p->id, ctx->mode, &now) ||
        strcmp(now.config_sha256, ctx->planned[p->index].stamp.config_sha256)) {
        experiment_destroy(e);
        snprintf(err, errlen, "the configuration changed while the sweep ran (was %s edited?)", a->path);
        return 1;
    }
    sim_options so = {.chips = p->chips, .functional = !a->timing_only, .check = a->check,
                      .max_memory = a->max_memory, .op_stats = a->stats_ops};
    int rc = mcusim_simulate(e, &so, out, err, errlen);
    experiment_destroy(e);
    /* a --check mismatch is kept as a result, so are its rows */
    bool result = rc == 0 || (rc == 1 && out->check_run && !out->check_passed && out->per_chip);
    if (result && a->stats_ops) {
        char werr[1024];
        if (write_point_ops(ctx, p, out, werr, sizeof werr)) {
            snprintf(err, errlen, "%s", werr);
            return 1;
        }
    }
    return rc;
}

static void config_note(const sweep_args *a, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < a->sets.n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s--set %s", i ? " " : "", a->sets.v[i]);
}

/* What the sweep is, computed once: the plan, every point's stamp, and the
 * resolved configuration after --set with its hash. */
typedef struct sweep_setup {
    param_uint_list chips;
    /* sweep.vary's axes, then --sweep's (sweep_merge_axes) */
    sweep_axis axes[SWEEP_MAX_AXES];
    const vary_axis *origins[SWEEP_MAX_AXES];
    size_t n_axes;
    sweep_plan plan;
    planned_point *planned;
    const char *mode;
    char *config_text;
    char config_sha256[SHA256_HEX_LEN + 1];
    char out[4096], points[4200], ops[4200];
    unsigned jobs;            /* -j, or the number of CPUs */
} sweep_setup;

static int prepare(sweep_args *a, const experiment *e, sweep_setup *s)
{
    char err[1024];
    s->chips = e->chips;
    if (a->chips_text && cli_parse_chips(a->chips_text, &s->chips, err, sizeof err))
        return cli_usage_error("sweep", "--chips: %s", err);
    if (s->chips.n == 0) return cli_usage_error("sweep", "%s: no chip counts (sweep.chips or --chips)", a->path);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    s->jobs = a->jobs ? a->jobs : (unsigned)(ncpu > 0 ? ncpu : 1);
    /* Points run -j at a time: by default they share half the RAM. */
    if (!a->max_memory) a->max_memory = point_memory_default_limit(s->jobs);
    for (size_t i = 0; i < s->chips.n; i++)
        if (point_memory_check(e, (uint32_t)s->chips.v[i], !a->timing_only, a->check != 0, false,
                               a->max_memory, err, sizeof err))
            return cli_usage_error("sweep", "%s: %s", a->path, err);
    int rc = sweep_merge_axes(e, a->axes, a->n_axes, &a->sets, s->axes, s->origins, &s->n_axes);
    if (rc) return rc;
    rc = sweep_check_axes(s->axes, s->n_axes, &a->sets, s->origins);
    if (rc) return rc;
    s->plan = (sweep_plan){.chips = s->chips.v, .n_chips = s->chips.n, .axes = s->axes, .n_axes = s->n_axes};
    if (sweep_plan_size(&s->plan) > SWEEP_MAX_POINTS)
        return cli_usage_error("sweep", "%zu points: more than %d", sweep_plan_size(&s->plan), SWEEP_MAX_POINTS);
    s->mode = stamp_mode(!a->timing_only || a->check, a->check != 0);
    rc = sweep_stamp_plan(a->path, &a->sets, &s->plan, s->origins, s->mode, &s->planned);
    if (rc) return rc;
    size_t len;
    s->config_text = stamp_config_text(e, &len);
    if (!s->config_text) return cli_usage_error("sweep", "out of memory");
    sha256_hex(s->config_text, len, s->config_sha256);
    if (a->out) snprintf(s->out, sizeof s->out, "%s", a->out);
    else snprintf(s->out, sizeof s->out, "results/%s", e->name);
    if (snprintf(s->points, sizeof s->points, "%s/points", s->out) >= (int)sizeof s->points ||
        snprintf(s->ops, sizeof s->ops, "%s/ops", s->out) >= (int)sizeof s->ops)
        return cli_usage_error("sweep", "--out: path too long");
    return cli_check_output_dir("sweep", a->out ? "--out" : "output folder", s->out) ? 2 : 0;
}

static int write_meta(const sweep_args *a, const sweep_setup *s, const char *command_line,
                      char *err, size_t errlen)
{
    sweep_record r;
    memset(&r, 0, sizeof r);
    if (!realpath(a->path, r.experiment_path)) snprintf(r.experiment_path, sizeof r.experiment_path, "%s", a->path);
    r.sets = (char **)a->sets.v;
    r.n_sets = a->sets.n;
    snprintf(r.version, sizeof r.version, "%s", stamp_version());
    snprintf(r.mode, sizeof r.mode, "%s", s->mode);
    snprintf(r.config_sha256, sizeof r.config_sha256, "%s", s->config_sha256);
    memcpy(r.chips, s->chips.v, s->chips.n * sizeof *r.chips);
    r.n_chips = s->chips.n;
    memcpy(r.axes, s->axes, s->n_axes * sizeof *r.axes);
    r.n_axes = s->n_axes;
    r.points = s->planned;
    r.n_points = sweep_plan_size(&s->plan);
    provenance_info p = {.version = stamp_version(), .git_describe = mcusim_git_describe(),
                         .mode = s->mode, .config_text = s->config_text,
                         .config_sha256 = s->config_sha256, .command_line = command_line};
    return sweep_record_write(s->out, &r, err, errlen) || provenance_write(s->out, &p, err, errlen) ? -1 : 0;
}

/* Prints up to `shown` lines of a list, then how many more there were. */
static void note_list(const char *what, char *const *v, size_t n)
{
    const size_t shown = 10;
    for (size_t i = 0; i < n && i < shown; i++) fprintf(stderr, "mcusim sweep: %s: %s\n", what, v[i]);
    if (n > shown) fprintf(stderr, "mcusim sweep: %s: %zu more\n", what, n - shown);
}

/* The summary of every planned point with a valid file stamped for it;
 * everything else in points/ is named and left out. */
static int summarise(const sweep_setup *s, const experiment *e, size_t *n_rows, uint64_t *events,
                     size_t *mismatches)
{
    char err[1024];
    point_collection c;
    const char *dirs[] = {s->out};
    if (point_collect(dirs, 1, s->planned, sweep_plan_size(&s->plan), &c, err, sizeof err)) {
        fprintf(stderr, "mcusim sweep: %s\n", err);
        return -1;
    }
    if (cli_attach_ops("sweep", dirs, 1, c.rows, c.n_rows)) {
        point_collection_free(&c);
        return -1;
    }
    size_t n_left = c.n_rejected + c.n_unplanned;
    const char **left = calloc(n_left ? n_left : 1, sizeof *left);
    if (!left) { point_collection_free(&c); fprintf(stderr, "mcusim sweep: out of memory\n"); return -1; }
    for (size_t i = 0; i < c.n_rejected; i++) left[i] = c.rejected[i];
    for (size_t i = 0; i < c.n_unplanned; i++) left[c.n_rejected + i] = c.unplanned[i];
    size_t n_na;
    char **na = sweep_not_applicable_notes(s->planned, sweep_plan_size(&s->plan), &n_na);
    report_provenance prov = {.version = stamp_version(), .mode = s->mode,
                              .config_sha256 = s->config_sha256, .planned = sweep_plan_size(&s->plan),
                              .missing = (const char *const *)c.missing, .n_missing = c.n_missing,
                              .left_out = left, .n_left_out = n_left,
                              .not_applicable = (const char *const *)na, .n_not_applicable = n_na};
    int rc = report_write_experiment_with(s->out, e, c.rows, c.n_rows, &prov, err, sizeof err);
    if (rc) fprintf(stderr, "mcusim sweep: %s\n", err);
    note_list("left out of the summary", c.rejected, c.n_rejected);
    note_list("left out of the summary", c.unplanned, c.n_unplanned);
    if (c.n_missing) {
        char ids[1024];
        cli_ids_line(ids, sizeof ids, c.missing, c.n_missing);
        fprintf(stderr, "mcusim sweep: partial summary: %zu of %zu planned points (missing %s)\n",
                c.n_rows, prov.planned, ids);
    }
    *n_rows = c.n_rows;
    *events = 0;
    *mismatches = 0;
    for (size_t i = 0; i < c.n_rows; i++) {
        *events += c.rows[i].sim_events;
        *mismatches += c.rows[i].check_run && !c.rows[i].check_passed;
    }
    free(left);
    sweep_notes_free(na, n_na);
    point_collection_free(&c);
    return rc;
}

static int run_sweep(const sweep_args *a, const experiment *e, sweep_setup *s,
                     const char *command_line)
{
    char err[1024];
    if (report_make_dirs(s->points, err, sizeof err) ||
        (a->stats_ops && report_make_dirs(s->ops, err, sizeof err)) ||
        write_meta(a, s, command_line, err, sizeof err)) {
        fprintf(stderr, "mcusim sweep: %s\n", err);
        return 1;
    }
    sweep_remove_temporaries(s->points);   /* left by a run killed with SIGKILL */
    sweep_remove_temporaries(s->ops);
    char note[2048];
    config_note(a, note, sizeof note);
    sweep_options so = {.jobs = s->jobs,
                        .shard_i = a->shard_i ? a->shard_i : 1, .shard_n = a->shard_n ? a->shard_n : 1,
                        .points_dir = s->points, .verb = "mcusim sweep", .config_note = note,
                        .planned = s->planned,
                        .point_timeout_s = a->point_timeout_s > 0 ? a->point_timeout_s : DEFAULT_POINT_TIMEOUT_S,
                        .progress = isatty(STDERR_FILENO), .resume = a->resume != 0};
    point_ctx ctx = {.a = a, .planned = s->planned, .mode = s->mode, .ops_dir = s->ops};
    sweep_result res;
    if (sweep_run(&s->plan, &so, simulate_point, &ctx, &res, err, sizeof err)) {
        fprintf(stderr, "mcusim sweep: %s\n", err);
        return 1;
    }
    if (res.interrupted) {
        /* A summary of a partial sweep would read as a complete one: write none. */
        fprintf(stderr, "mcusim sweep: interrupted by signal %d after %zu of %zu points; "
                "finished points are in %s/, rerun with --resume to complete\n",
                res.interrupted, res.ok + res.resumed, res.selected, s->points);
        return 128 + res.interrupted;
    }
    size_t n_rows, mismatches;
    uint64_t events;
    if (summarise(s, e, &n_rows, &events, &mismatches)) return 1;
    char na[64] = "";
    if (res.not_applicable) snprintf(na, sizeof na, ", %zu not applicable", res.not_applicable);
    printf("mcusim sweep: %s: %zu of %zu points ran (%zu failed, %zu resumed%s) in %.2f s, "
           "%llu events; summary of %zu points in %s/\n",
           e->name, res.ok, res.selected, res.failed, res.resumed, na, res.wall_s,
           (unsigned long long)events, n_rows, s->out);
    if (res.failed)
        fprintf(stderr, "mcusim sweep: %zu of %zu points failed\n", res.failed, res.selected);
    if (mismatches)
        fprintf(stderr, "mcusim sweep: %zu points of the summary failed --check (MISMATCH rows)\n",
                mismatches);
    return res.failed || mismatches ? 1 : 0;
}

int sweep_command(int argc, char **argv, const char *command_line)
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
    sweep_setup s;
    memset(&s, 0, sizeof s);
    rc = prepare(&a, e, &s);
    if (rc == 0) rc = run_sweep(&a, e, &s, command_line);
    free(s.planned);
    free(s.config_text);
    experiment_destroy(e);
    cli_overrides_free(&a.sets);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    char *line = cli_command_line(argc, argv);
    int rc = sweep_command(argc, argv, line ? line : "mcusim sweep");
    free(line);
    return rc;
}
