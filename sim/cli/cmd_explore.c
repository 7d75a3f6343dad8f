/* mcusim explore EXPERIMENT.yaml: searches the experiment's explore:
 * section (explore_spec.h) with timing-only points through the sweep
 * runner, in parallel (-j), sharded (--shard I/N, joined by `mcusim
 * merge`) and resumable (--resume), and writes the points, the Pareto
 * front, the best point per objective, the plots and summary.md
 * (explore_report.h) to --out (default results/explore/<experiment>/).
 *
 * Output folder: explore.json (the plan: explore_record.h), provenance.json,
 * points/<id>.json (stamped like a sweep's) and <id>.infeasible.json (a
 * point that cannot be built as configured, with the reason), then the
 * report files. Everything wrong with the command line or the explore:
 * section is found before a point runs or a file is written. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../core/file_read.h"
#include "../experiment/point_memory.h"
#include "../experiment/point_plan.h"
#include "../../collectives/topology.h"
#include "../../workloads/partitioner.h"
#include "../explore/explore_record.h"
#include "../explore/explore_report.h"
#include "../explore/explore_results.h"
#include "../report/point_infeasible.h"
#include "../report/point_stamp.h"
#include "../report/provenance.h"
#include "../report/report.h"
#include "../flow/simulate.h"
#include "build_info.h"
#include "cli_common.h"
#include "cli_paths.h"
#include "commands.h"
#include "explore_plan.h"

#define DEFAULT_POINT_TIMEOUT_S 3600.0
#define MODE "timing-only"

static const char usage[] =
    "usage: mcusim explore EXPERIMENT.yaml [--set key.path=value]... [-j JOBS] [--shard I/N]\n"
    "                      [--resume] [--max-memory SIZE] [--point-timeout SECONDS] [--out DIR]\n";

typedef struct explore_args {
    const char *path, *out;
    cli_overrides sets;
    unsigned jobs, shard_i, shard_n;
    double point_timeout_s;
    int resume;
    uint64_t max_memory;
} explore_args;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int parse_args(int argc, char **argv, explore_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--resume")) { a->resume = 1; continue; }
        if ((v = cli_opt_value("--set", argc, argv, &i))) {
            if (!v[0] || cli_overrides_add(&a->sets, v))
                return cli_usage_error("explore", "--set '%s': expected key.path=value", v);
        } else if ((v = cli_opt_value("-j", argc, argv, &i))) {
            if (cli_parse_jobs("explore", v, &a->jobs)) return 2;
        } else if ((v = cli_opt_value("--shard", argc, argv, &i))) {
            char extra;
            if (sscanf(v, "%u/%u%c", &a->shard_i, &a->shard_n, &extra) != 2 || a->shard_n == 0 ||
                a->shard_i < 1 || a->shard_i > a->shard_n)
                return cli_usage_error("explore", "--shard '%s': expected I/N with 1 <= I <= N", v);
        } else if ((v = cli_opt_value("--out", argc, argv, &i))) {
            if (!v[0]) return cli_usage_error("explore", "--out needs a folder");
            a->out = v;
        } else if ((v = cli_opt_value("--max-memory", argc, argv, &i))) {
            if (cli_parse_size("explore", "--max-memory", v, &a->max_memory)) return 2;
        } else if ((v = cli_opt_value("--point-timeout", argc, argv, &i))) {
            if (cli_parse_timeout(v, &a->point_timeout_s))
                return cli_usage_error("explore", "--point-timeout '%s': expected seconds, > 0 and "
                                       "at most a year", v);
        } else if (argv[i][0] == '-') {
            return cli_usage_error("explore", "unknown option '%s'\n%s", argv[i], usage);
        } else if (a->path) {
            return cli_usage_error("explore", "more than one experiment file ('%s')", argv[i]);
        } else {
            a->path = argv[i];
        }
    }
    if (!a->path) return cli_usage_error("explore", "no experiment file given\n%s", usage);
    return 0;
}

/* ---- one point, in its child process ---- */

/* What the points being forked need, prepared in the parent and inherited
 * by each child: the configurations of the current family (the run list
 * keeps a family's points together, by chip count), each loaded once, and
 * the family's program at the current chip count, built once when more
 * than one point uses it (each child places and simulates its own copy). */
typedef struct loaded {
    uint32_t combo;
    experiment *e;
} loaded;

typedef struct point_ctx {
    const explore_args *a;
    const explore_plan *plan;
    uint32_t family;
    loaded *exps;
    size_t n_exps, cap_exps;
    size_t prog_chips;            /* chips index of prog_cache, or SIZE_MAX */
    system_program *prog_cache;
    const experiment *cur;        /* the forked point's */
    system_program *prog;         /* its program, or NULL: it builds its own */
} point_ctx;

static void drop_family(point_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_exps; i++) experiment_destroy(ctx->exps[i].e);
    ctx->n_exps = 0;
    system_program_destroy(ctx->prog_cache);
    ctx->prog_cache = NULL;
    ctx->prog_chips = SIZE_MAX;
}

static experiment *load_point(const point_ctx *ctx, const sweep_point *p, char *err, size_t errlen,
                              int *rc)
{
    cli_overrides o = {0};
    for (size_t i = 0; i < ctx->a->sets.n; i++) cli_overrides_add(&o, ctx->a->sets.v[i]);
    for (size_t i = 0; i < p->n_assign; i++) cli_overrides_add(&o, p->assign[i]);
    experiment *e = cli_load_experiment_quietly(ctx->a->path, &o);
    cli_overrides_free(&o);
    if (!e) {
        snprintf(err, errlen, "bad configuration (see the message above)");
        *rc = 2;
        return NULL;
    }
    /* still the configuration the plan stamped (the file may have been edited) */
    point_stamp now;
    if (stamp_point(e, p->chips, p->id, MODE, &now) ||
        strcmp(now.config_sha256, ctx->plan->run_planned[p->index].stamp.config_sha256)) {
        experiment_destroy(e);
        snprintf(err, errlen, "the configuration changed while the exploration ran (was %s edited?)",
                 ctx->a->path);
        *rc = 1;
        return NULL;
    }
    return e;
}

static int before_fork(const sweep_point *p, void *vctx, char *err, size_t errlen)
{
    point_ctx *ctx = vctx;
    const explore_plan *plan = ctx->plan;
    size_t sel_i = plan->run[p->index], j = (size_t)(plan->sel.points[sel_i] % plan->spec.chips.n);
    ctx->cur = NULL;
    ctx->prog = NULL;
    if (plan->family[sel_i] != ctx->family) {
        drop_family(ctx);
        ctx->family = plan->family[sel_i];
    }
    for (size_t i = 0; i < ctx->n_exps && !ctx->cur; i++)
        if (ctx->exps[i].combo == p->grid_index) ctx->cur = ctx->exps[i].e;
    if (!ctx->cur) {
        int rc = 0;
        experiment *e = load_point(ctx, p, err, errlen, &rc);
        if (!e) return rc;
        if (ctx->n_exps == ctx->cap_exps) {
            size_t cap = ctx->cap_exps ? ctx->cap_exps * 2 : 16;
            loaded *v = realloc(ctx->exps, cap * sizeof *v);
            if (!v) {
                experiment_destroy(e);
                snprintf(err, errlen, "out of memory");
                return 1;
            }
            ctx->exps = v;
            ctx->cap_exps = cap;
        }
        ctx->exps[ctx->n_exps++] = (loaded){p->grid_index, e};
        ctx->cur = e;
    }
    if (plan->run_shared[p->index] < 2) return 0;
    if (ctx->prog_chips != j) {
        system_program_destroy(ctx->prog_cache);
        char why[512];
        system_program *prog = partition_build(&ctx->cur->workload, p->chips, false, why, sizeof why);
        if (prog && topology_expand(&ctx->cur->topology, prog, why, sizeof why) != 0) {
            system_program_destroy(prog);
            prog = NULL;   /* the child builds it and says why it cannot */
        }
        ctx->prog_cache = prog;
        ctx->prog_chips = j;
    }
    ctx->prog = ctx->prog_cache;
    return 0;
}

/* Whether a point that did not simulate cannot be built at all (the
 * partitioner cannot split it, its program does not fit the node): that is
 * an answer of the exploration, not a failure. */
static bool cannot_build(const experiment *e, uint32_t chips, char *why, size_t cap)
{
    point_request r = {chips, false, false, false, 0, NULL};
    point_plan p;
    if (point_plan_build(e, &r, &p, why, cap) == 0) {
        point_plan_free(&p);
        return false;
    }
    return true;
}

static int simulate_point(const sweep_point *p, void *vctx, run_stats *out, char *err, size_t errlen)
{
    const point_ctx *ctx = vctx;
    const experiment *e = ctx->cur;   /* before_fork loaded it for this point */
    if (!e) {
        snprintf(err, errlen, "internal: no configuration loaded for the point");
        return 1;
    }
    sim_options so = {.chips = p->chips, .functional = false, .max_memory = ctx->a->max_memory,
                      .program = ctx->prog};
    int rc = mcusim_simulate(e, &so, out, err, errlen);
    char why[1024];
    if (rc && !out->per_chip && cannot_build(e, p->chips, why, sizeof why)) {
        snprintf(err, errlen, "%s", why);
        rc = SWEEP_POINT_INFEASIBLE;
    }
    return rc;
}

/* ---- results ---- */

typedef struct collect_ctx {
    const explore_plan *plan;
    explore_results *res;
    double spent_s;            /* in on_point: the exploration's share of the run */
    int failed;
} collect_ctx;

static void on_point(void *vctx, size_t index, const run_stats *s)
{
    collect_ctx *c = vctx;
    double t0 = now_s();
    if (explore_results_add(c->res, c->plan->run[index], s)) c->failed = 1;
    c->spent_s += now_s() - t0;
}

/* Left-out notes: "FILE: why" for files of planned points that were bad or
 * stale, and files of points/ that are not of this plan. */
typedef struct notes {
    char **v;
    size_t n, cap;
} notes;

static void note_add(notes *ns, const char *file, const char *why)
{
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 16;
        char **v = realloc(ns->v, cap * sizeof *v);
        if (!v) return;
        ns->v = v;
        ns->cap = cap;
    }
    size_t len = strlen(file) + strlen(why) + 3;
    char *s = malloc(len);
    if (!s) return;
    snprintf(s, len, "%s: %s", file, why);
    ns->v[ns->n++] = s;
}

static void notes_free(notes *ns)
{
    for (size_t i = 0; i < ns->n; i++) free(ns->v[i]);
    free(ns->v);
    memset(ns, 0, sizeof *ns);
}

/* Every chosen point the run did not hand over: not run (a duplicate, a
 * combination that does not load), resumed, another shard's, or failed;
 * from the folders in order, the first valid file winning. */
static int collect(const explore_plan *p, explore_results *res, const char *const *dirs,
                   size_t n_dirs, notes *left, size_t *src)
{
    for (size_t i = 0; src && i < p->sel.n; i++) src[i] = SIZE_MAX;
    for (size_t i = 0; i < p->sel.n; i++) {
        if (p->note[i]) {
            int rc = p->duplicate[i] ? explore_results_set_duplicate(res, i, p->note[i])
                                     : explore_results_set_infeasible(res, i, p->note[i]);
            if (rc) return -1;
            continue;
        }
        if (explore_results_status(res, i) != EXPLORE_MISSING) continue;
        for (size_t d = 0; d < n_dirs && explore_results_status(res, i) == EXPLORE_MISSING; d++) {
            char path[4200], why[600], reason[POINT_INFEASIBLE_REASON_MAX];
            snprintf(path, sizeof path, "%s/points/%s.json", dirs[d], p->planned[i].stamp.id);
            run_stats s;
            point_status st = point_file_load(path, &p->planned[i], &s, why, sizeof why);
            if (st == POINT_OK) {
                int rc = explore_results_add(res, i, &s);
                free(s.per_chip);
                if (rc) return -1;
                if (src) src[i] = d;
                continue;
            }
            if (st != POINT_MISSING) note_add(left, path, why);
            snprintf(path, sizeof path, "%s/points", dirs[d]);
            char ipath[4300];
            point_infeasible_path(path, p->planned[i].stamp.id, ipath, sizeof ipath);
            st = point_infeasible_load(ipath, &p->planned[i], reason, sizeof reason, why, sizeof why);
            if (st == POINT_OK) {
                if (explore_results_set_infeasible(res, i, reason)) return -1;
                if (src) src[i] = d;
            } else if (st != POINT_MISSING) {
                note_add(left, ipath, why);
            }
        }
    }
    return explore_results_finish(res);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Files of points/ that are no point of this plan (another exploration's,
 * or stray): named, never removed. */
static void unplanned_files(const explore_plan *p, const char *dir, notes *left)
{
    char pdir[4200];
    snprintf(pdir, sizeof pdir, "%s/points", dir);
    DIR *d = opendir(pdir);
    if (!d) return;
    const char **ids = malloc((p->sel.n ? p->sel.n : 1) * sizeof *ids);
    if (!ids) { closedir(d); return; }
    for (size_t i = 0; i < p->sel.n; i++) ids[i] = p->planned[i].stamp.id;
    qsort(ids, p->sel.n, sizeof *ids, by_id);
    struct dirent *de;
    while ((de = readdir(d))) {
        char stem[256];
        size_t n = strlen(de->d_name);
        const char *suffix = n > 16 && !strcmp(de->d_name + n - 16, ".infeasible.json")
                                 ? ".infeasible.json"
                                 : n > 5 && !strcmp(de->d_name + n - 5, ".json") ? ".json" : NULL;
        if (!suffix || n - strlen(suffix) >= sizeof stem) continue;
        snprintf(stem, sizeof stem, "%.*s", (int)(n - strlen(suffix)), de->d_name);
        const char *key = stem;
        if (bsearch(&key, ids, p->sel.n, sizeof *ids, by_id)) continue;
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", pdir, de->d_name);
        note_add(left, path, "not a point of this exploration's plan");
    }
    closedir(d);
    free(ids);
    if (left->n) qsort(left->v, left->n, sizeof *left->v, by_id);
}

static int write_record(const char *dir, const explore_plan *p, const char *command_line,
                        const char *const *merged, size_t n_merged, char *err, size_t errlen)
{
    char abs[PATH_MAX];
    if (!realpath(p->path, abs)) snprintf(abs, sizeof abs, "%s", p->path);
    const char **notes_v = calloc(p->sel.n ? p->sel.n : 1, sizeof *notes_v);
    if (!notes_v) { snprintf(err, errlen, "out of memory"); return -1; }
    for (size_t i = 0; i < p->sel.n; i++) notes_v[i] = p->note[i] ? p->note[i] : "";
    explore_record r = {abs, p->sets->v, p->sets->n, stamp_version(), MODE, p->config_sha256,
                        p->spec_sha256, p->planned, notes_v, p->sel.n};
    size_t len;
    char *text = explore_record_text(&r, &len);
    free(notes_v);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, EXPLORE_RECORD_FILE);
    int rc = text ? report_write_file_atomic(path, text, len, err, errlen) : -1;
    if (!text) snprintf(err, errlen, "out of memory");
    free(text);
    provenance_info prov = {.version = stamp_version(), .git_describe = mcusim_git_describe(),
                            .mode = MODE, .config_text = p->config_text,
                            .config_sha256 = p->config_sha256, .command_line = command_line,
                            .merged_from = merged, .n_merged_from = n_merged};
    return rc || provenance_write(dir, &prov, err, errlen) ? -1 : 0;
}

static int report(const char *dir, const explore_plan *p, const explore_results *res,
                  const notes *left, explore_summary *sum)
{
    explore_report r = {dir, p->e, &p->spec, &p->sel, res, p->planned, p->baseline,
                        stamp_version(), MODE, p->config_sha256, p->spec_sha256,
                        (const char *const *)left->v, left->n};
    char err[1024];
    if (explore_report_write(&r, sum, err, sizeof err)) {
        fprintf(stderr, "mcusim explore: %s\n", err);
        return -1;
    }
    return 0;
}

/* ---- the verb ---- */

typedef struct timings {
    double plan_s, run_s, on_point_s, report_s;
} timings;

static int run_points(const explore_args *a, const explore_plan *p, const char *points,
                      unsigned jobs, collect_ctx *cc, sweep_result *res)
{
    sweep_plan plan = explore_plan_runner(p);
    point_ctx ctx = {.a = a, .plan = p, .family = UINT32_MAX, .prog_chips = SIZE_MAX};
    sweep_options so = {.jobs = jobs, .shard_i = a->shard_i ? a->shard_i : 1,
                        .shard_n = a->shard_n ? a->shard_n : 1, .points_dir = points,
                        .verb = "mcusim explore", .config_note = NULL, .planned = p->run_planned,
                        .point_timeout_s = a->point_timeout_s > 0 ? a->point_timeout_s
                                                                  : DEFAULT_POINT_TIMEOUT_S,
                        .progress = isatty(STDERR_FILENO), .resume = a->resume != 0,
                        .on_point = on_point, .on_point_ctx = cc, .before_fork = before_fork};
    char err[1024];
    int rc = sweep_run(&plan, &so, simulate_point, &ctx, res, err, sizeof err);
    drop_family(&ctx);
    free(ctx.exps);
    if (rc) {
        fprintf(stderr, "mcusim explore: %s\n", err);
        return 1;
    }
    return 0;
}

static int explore_run(explore_args *a, const char *command_line)
{
    double t0 = now_s();
    timings t = {0};
    experiment *e = cli_load_experiment(a->path, &a->sets);
    if (!e) return 2;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned jobs = a->jobs ? a->jobs : (unsigned)(ncpu > 0 ? ncpu : 1);
    if (!a->max_memory) a->max_memory = point_memory_default_limit(jobs);
    char out[4096], points[4200];
    if (a->out) snprintf(out, sizeof out, "%s", a->out);
    else snprintf(out, sizeof out, "results/explore/%s", e->name);
    if (snprintf(points, sizeof points, "%s/points", out) >= (int)sizeof points) {
        experiment_destroy(e);
        return cli_usage_error("explore", "--out: path too long");
    }
    explore_plan p;
    int rc = explore_plan_build(a->path, &a->sets, e, a->max_memory, &p);
    if (!rc && cli_check_output_dir("explore", a->out ? "--out" : "output folder", out)) rc = 2;
    if (rc) {
        explore_plan_free(&p);
        return rc;
    }
    char err[1024];
    if (report_make_dirs(points, err, sizeof err) ||
        write_record(out, &p, command_line, NULL, 0, err, sizeof err)) {
        fprintf(stderr, "mcusim explore: %s\n", err);
        explore_plan_free(&p);
        return 1;
    }
    sweep_remove_temporaries(points);
    explore_results *res = explore_results_create(&p.spec, &p.sel);
    collect_ctx cc = {&p, res, 0, 0};
    sweep_result sr;
    memset(&sr, 0, sizeof sr);
    t.plan_s = now_s() - t0;
    double t1 = now_s();
    rc = res ? run_points(a, &p, points, jobs, &cc, &sr) : 1;
    t.run_s = now_s() - t1;
    t.on_point_s = cc.spent_s;
    if (!res) fprintf(stderr, "mcusim explore: out of memory\n");
    if (rc || sr.interrupted) {
        if (sr.interrupted)
            fprintf(stderr, "mcusim explore: interrupted by signal %d after %zu of %zu points; "
                    "finished points are in %s/, rerun with --resume to complete\n",
                    sr.interrupted, sr.ok + sr.resumed + sr.infeasible, sr.selected, points);
        explore_results_destroy(res);
        explore_plan_free(&p);
        return sr.interrupted ? 128 + sr.interrupted : rc;
    }
    double t2 = now_s();
    notes left = {0};
    const char *dirs[1] = {out};
    explore_summary sum;
    memset(&sum, 0, sizeof sum);
    if (cc.failed || collect(&p, res, dirs, 1, &left, NULL)) {
        fprintf(stderr, "mcusim explore: out of memory\n");
        rc = 1;
    } else {
        unplanned_files(&p, out, &left);
        for (size_t i = 0; i < left.n && i < 10; i++)
            fprintf(stderr, "mcusim explore: left out of the summary: %s\n", left.v[i]);
        if (left.n > 10) fprintf(stderr, "mcusim explore: left out of the summary: %zu more\n", left.n - 10);
        rc = report(out, &p, res, &left, &sum) ? 1 : 0;
    }
    t.report_s = now_s() - t2;
    if (!rc) {
        double own = t.plan_s + t.on_point_s + t.report_s, sim = t.run_s - t.on_point_s;
        printf("mcusim explore: %s: %zu points chosen: %zu simulated, %zu infeasible, %zu "
               "duplicates, %zu missing; %zu run now (%zu failed), %zu resumed; Pareto front of "
               "%zu points in %s/\n",
               p.e->name, p.sel.n, sum.simulated, sum.infeasible, sum.duplicate, sum.missing,
               sr.selected - sr.resumed, sr.failed, sr.resumed, sum.front, out);
        printf("mcusim explore: %.2f s: points %.2f s (%.1f points/s), exploration's own work "
               "%.2f s (plan %.2f, results %.2f, report %.2f) = %.1f %% of the points' time\n",
               now_s() - t0, sim, sim > 0 ? (double)(sr.selected - sr.resumed) / sim : 0, own,
               t.plan_s, t.on_point_s, t.report_s, sim > 0 ? own / sim * 100 : 0);
        if (sr.failed) {
            fprintf(stderr, "mcusim explore: %zu of %zu points failed\n", sr.failed, sr.selected);
            rc = 1;
        }
    }
    notes_free(&left);
    explore_results_destroy(res);
    explore_plan_free(&p);
    return rc;
}

int cmd_explore(int argc, char **argv)
{
    explore_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc == 0) {
        char *line = cli_command_line(argc, argv);
        rc = explore_run(&a, line ? line : "mcusim explore");
        free(line);
    }
    cli_overrides_free(&a.sets);
    return rc;
}

/* ---- mcusim merge of exploration folders ---- */

bool explore_is_folder(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, EXPLORE_RECORD_FILE);
    return access(path, F_OK) == 0;
}

/* Copies dirs[d]/points/<name> to out/points/<name> (out is not that dir). */
static int copy_file(const char *from, const char *to, char *err, size_t errlen)
{
    char why[200];
    size_t len;
    char *data = file_read_regular(from, POINT_FILE_MAX_BYTES, &len, why, sizeof why);
    if (!data) { snprintf(err, errlen, "%s: %s", from, why); return -1; }
    int rc = report_write_file_atomic(to, data, len, err, errlen);
    free(data);
    return rc;
}

/* Every joined point's file into out/points, from the folder it was read
 * from, unless that is out itself. */
static int copy_points(const explore_plan *p, const explore_results *res, char *const *dirs,
                       const size_t *src, const char *out, char *err, size_t errlen)
{
    char odir[4200], oreal[PATH_MAX];
    snprintf(odir, sizeof odir, "%s/points", out);
    if (report_make_dirs(odir, err, errlen)) return -1;
    if (!realpath(odir, oreal)) oreal[0] = '\0';
    for (size_t i = 0; i < p->sel.n; i++) {
        if (src[i] == SIZE_MAX) continue;
        const char *suffix = explore_results_status(res, i) == EXPLORE_SIMULATED ? ".json"
                                                                                 : ".infeasible.json";
        char pdir[4200], dreal[PATH_MAX], from[4400], to[4400];
        snprintf(pdir, sizeof pdir, "%s/points", dirs[src[i]]);
        if (realpath(pdir, dreal) && !strcmp(dreal, oreal)) continue;
        snprintf(from, sizeof from, "%s/%s%s", pdir, p->planned[i].stamp.id, suffix);
        snprintf(to, sizeof to, "%s/%s%s", odir, p->planned[i].stamp.id, suffix);
        if (copy_file(from, to, err, errlen)) return -1;
    }
    return 0;
}

int explore_merge(int argc, char **argv)
{
    const char *out = NULL;
    int allow_partial = 0;
    char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    size_t n_dirs = 0;
    if (!dirs) return cli_usage_error("merge", "out of memory");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strncmp(argv[i], "--out=", 6)) out = argv[i] + 6;
        else if (!strcmp(argv[i], "--allow-partial")) allow_partial = 1;
        else if (argv[i][0] != '-') dirs[n_dirs++] = argv[i];
        else {
            free(dirs);
            return cli_usage_error("merge", "unknown option '%s'; usage: mcusim merge [--out DIR] "
                                   "[--allow-partial] DIR...", argv[i]);
        }
    }
    if (!out) out = dirs[0];
    int rc = 2;
    char err[9000], exp_path[4096], *first_text = NULL, **sets = NULL;
    size_t n_sets = 0;
    cli_overrides o = {0};
    explore_plan p;
    memset(&p, 0, sizeof p);
    explore_results *res = NULL;
    notes left = {0};
    char *line = NULL, *text = NULL;
    size_t *src = NULL;
    if (cli_check_output_dir("merge", "--out", out)) goto done;
    if (explore_record_read(dirs[0], &first_text, exp_path, sizeof exp_path, &sets, &n_sets, err,
                            sizeof err)) {
        fprintf(stderr, "mcusim merge: %s\n", err);
        goto done;
    }
    for (size_t k = 0; k < n_sets; k++) cli_overrides_add(&o, sets[k]);
    experiment *e = cli_load_experiment(exp_path, &o);
    if (!e) goto done;
    if ((rc = explore_plan_build(exp_path, &o, e, 0, &p)) != 0) goto done;
    rc = 2;
    const char **notes_v = calloc(p.sel.n ? p.sel.n : 1, sizeof *notes_v);
    if (!notes_v) goto done;
    for (size_t i = 0; i < p.sel.n; i++) notes_v[i] = p.note[i] ? p.note[i] : "";
    explore_record r = {exp_path, (const char *const *)sets, n_sets, stamp_version(), MODE,
                        p.config_sha256, p.spec_sha256, p.planned, notes_v, p.sel.n};
    text = explore_record_text(&r, NULL);
    free(notes_v);
    for (size_t d = 0; text && d < n_dirs; d++) {
        char *t = NULL, path[4096], **s2 = NULL;
        size_t n2 = 0;
        int bad = explore_record_read(dirs[d], &t, path, sizeof path, &s2, &n2, err, sizeof err);
        explore_record_free_sets(s2, n2);
        if (!bad && explore_record_compare(text, t, err, sizeof err)) {
            fprintf(stderr, "mcusim merge: %s is not a shard of this exploration (%s, as planned "
                    "again now): %s\n", dirs[d], exp_path, err);
            free(t);
            goto done;
        }
        free(t);
        if (bad) {
            fprintf(stderr, "mcusim merge: %s\n", err);
            goto done;
        }
    }
    src = calloc(p.sel.n ? p.sel.n : 1, sizeof *src);
    if (!text || !src || !(res = explore_results_create(&p.spec, &p.sel)) ||
        collect(&p, res, (const char *const *)dirs, n_dirs, &left, src)) {
        fprintf(stderr, "mcusim merge: out of memory\n");
        goto done;
    }
    size_t missing = 0;
    for (size_t i = 0; i < p.sel.n; i++) missing += explore_results_status(res, i) == EXPLORE_MISSING;
    if ((missing || left.n) && !allow_partial) {
        if (left.n)
            fprintf(stderr, "mcusim merge: %s%s; --allow-partial leaves such files out\n", left.v[0],
                    left.n > 1 ? " (and more bad or stale point files)" : "");
        else {
            char ids[1024];
            size_t len = 0;
            for (size_t i = 0, shown = 0; i < p.sel.n && len < sizeof ids; i++)
                if (explore_results_status(res, i) == EXPLORE_MISSING && shown++ < 10)
                    len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%s", shown > 1 ? ", " : "",
                                            p.planned[i].stamp.id);
            fprintf(stderr, "mcusim merge: incomplete: %zu of %zu chosen points are in none of the "
                    "folders (%s%s); --allow-partial writes a partial summary\n",
                    missing, p.sel.n, ids, missing > 10 ? ", ..." : "");
        }
        goto done;
    }
    line = cli_command_line(argc, argv);
    explore_summary sum;
    rc = 1;
    if (copy_points(&p, res, dirs, src, out, err, sizeof err) ||
        write_record(out, &p, line ? line : "mcusim merge", (const char *const *)dirs, n_dirs, err,
                     sizeof err)) {
        fprintf(stderr, "mcusim merge: %s\n", err);
        goto done;
    }
    if (report(out, &p, res, &left, &sum)) goto done;
    printf("mcusim merge: exploration %s: %zu points chosen (%zu simulated, %zu infeasible, %zu "
           "missing) from %zu folders; Pareto front of %zu points in %s/\n",
           p.e->name, p.sel.n, sum.simulated, sum.infeasible, sum.missing, n_dirs, sum.front, out);
    rc = 0;
done:
    free(src);
    free(line);
    free(text);
    free(first_text);
    notes_free(&left);
    explore_results_destroy(res);
    explore_plan_free(&p);
    cli_overrides_free(&o);
    explore_record_free_sets(sets, n_sets);
    free(dirs);
    return rc;
}
