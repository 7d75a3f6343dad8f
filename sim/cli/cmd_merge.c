/* mcusim merge [--out DIR] [--allow-partial] DIR...: joins the points/ of
 * sweep folders (the shards of one sweep) into one folder and writes its
 * summary files. The summary depends only on the set of points, so it is
 * byte-identical to the one of the unsharded run. Default output: the first
 * DIR.
 *
 * Only shards of one sweep are joined: every folder's sweep.json must
 * describe the same plan (version, mode, configuration hash, chips, axes),
 * the experiment must still resolve to that configuration, and every point
 * file of a planned point must be valid and stamped for it. A missing point
 * or a bad file is refused (exit 2, naming them) unless --allow-partial is
 * given; the summary then says "partial". Nothing is written before every
 * check passed. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../report/ops_file.h"
#include "../report/point_stamp.h"
#include "../report/provenance.h"
#include "../report/report.h"
#include "../report/sweep_record.h"
#include "build_info.h"
#include "cli_common.h"
#include "cli_paths.h"
#include "commands.h"
#include "sweep_prepare.h"

static const char usage[] = "usage: mcusim merge [--out DIR] [--allow-partial] DIR...";

typedef struct merge_args {
    const char *out;
    char **dirs;
    size_t n_dirs;
    int allow_partial;
} merge_args;

static int parse(int argc, char **argv, merge_args *a)
{
    a->dirs = calloc((size_t)argc + 1, sizeof *a->dirs);
    if (!a->dirs) return cli_usage_error("merge", "out of memory");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) a->out = argv[++i];
        else if (!strncmp(argv[i], "--out=", 6)) a->out = argv[i] + 6;
        else if (!strcmp(argv[i], "--allow-partial")) a->allow_partial = 1;
        else if (argv[i][0] == '-') return cli_usage_error("merge", "unknown option '%s'; %s", argv[i], usage);
        else a->dirs[a->n_dirs++] = argv[i];
    }
    if (a->n_dirs == 0) return cli_usage_error("merge", "%s", usage);
    if (a->out && !a->out[0]) return cli_usage_error("merge", "--out needs a folder");
    if (!a->out) a->out = a->dirs[0];
    return cli_check_output_dir("merge", "--out", a->out) ? 2 : 0;
}

/* Every folder's plan, all equal to the first. */
static int read_records(const merge_args *a, sweep_record *recs)
{
    char err[4600];
    for (size_t i = 0; i < a->n_dirs; i++) {
        if (sweep_record_read(a->dirs[i], &recs[i], err, sizeof err)) {
            fprintf(stderr, "mcusim merge: %s\n", err);
            return 2;
        }
        if (i && sweep_record_compare(&recs[0], &recs[i], err, sizeof err)) {
            fprintf(stderr, "mcusim merge: %s and %s are not shards of one sweep: %s\n", a->dirs[0],
                    a->dirs[i], err);
            return 2;
        }
    }
    return 0;
}

/* The experiment the shards were swept from, still resolving to the
 * configuration they were stamped with. */
static experiment *load_experiment(const sweep_record *r, char **config_text)
{
    cli_overrides o = {0};
    for (size_t k = 0; k < r->n_sets; k++) cli_overrides_add(&o, r->sets[k]);
    experiment *e = cli_load_experiment(r->experiment_path, &o);
    cli_overrides_free(&o);
    if (!e) return NULL;
    size_t len;
    char sha[SHA256_HEX_LEN + 1] = "";
    *config_text = stamp_config_text(e, &len);
    if (*config_text) sha256_hex(*config_text, len, sha);
    if (strcmp(sha, r->config_sha256)) {
        fprintf(stderr, "mcusim merge: %s no longer resolves to the configuration of the sweep "
                "(config sha256 %.12s, the sweep's %.12s%s%s%s): restore it or re-run the sweep\n",
                r->experiment_path, sha, r->config_sha256,
                strcmp(r->version, stamp_version()) ? "; the sweep ran mcusim " : "",
                strcmp(r->version, stamp_version()) ? r->version : "",
                strcmp(r->version, stamp_version()) ? ", this is another version" : "");
        experiment_destroy(e);
        free(*config_text);
        *config_text = NULL;
        return NULL;
    }
    return e;
}

/* Refuses what cannot be joined silently (one line, exit 2), or notes it. */
static int judge(const merge_args *a, const point_collection *c, size_t planned)
{
    if (c->n_rejected && !a->allow_partial) {
        fprintf(stderr, "mcusim merge: %s%s; --allow-partial leaves such files out\n", c->rejected[0],
                c->n_rejected > 1 ? " (and more bad or stale point files)" : "");
        return 2;
    }
    char ids[1024];
    cli_ids_line(ids, sizeof ids, c->missing, c->n_missing);
    if (c->n_missing && !a->allow_partial) {
        fprintf(stderr, "mcusim merge: incomplete: %zu of %zu planned points are in none of the "
                "folders (%s); --allow-partial writes a partial summary\n",
                c->n_missing, planned, ids);
        return 2;
    }
    for (size_t i = 0; i < c->n_rejected; i++)
        fprintf(stderr, "mcusim merge: left out: %s\n", c->rejected[i]);
    for (size_t i = 0; i < c->n_unplanned; i++)
        fprintf(stderr, "mcusim merge: left out: %s\n", c->unplanned[i]);
    if (c->n_missing)
        fprintf(stderr, "mcusim merge: partial summary: %zu of %zu planned points (missing %s)\n",
                c->n_rows, planned, ids);
    return 0;
}

/* Rewrites every joined point into out/points (validated again on the way). */
static int copy_points(const char *out, const run_stats *rows, size_t n, char *err, size_t errlen)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/points", out);
    if (report_make_dirs(dir, err, errlen)) return -1;
    for (size_t i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.json", dir, rows[i].stamp.id);
        if (point_file_write(path, &rows[i], err, errlen)) return -1;
        if (!rows[i].ops) continue;
        /* and its per-op rows (--stats ops), which ops.csv is written from */
        snprintf(path, sizeof path, "%s/ops", out);
        if (report_make_dirs(path, err, errlen)) return -1;
        snprintf(path, sizeof path, "%s/ops/%s.json", out, rows[i].stamp.id);
        if (ops_file_write(path, &rows[i], err, errlen)) return -1;
    }
    return 0;
}

static int write_all(const merge_args *a, const sweep_record *r, const experiment *e,
                     const char *config_text, const point_collection *c, const char *command_line)
{
    size_t n_left = c->n_rejected + c->n_unplanned;
    const char **left = calloc(n_left ? n_left : 1, sizeof *left);
    if (!left) { fprintf(stderr, "mcusim merge: out of memory\n"); return 1; }
    for (size_t i = 0; i < c->n_rejected; i++) left[i] = c->rejected[i];
    for (size_t i = 0; i < c->n_unplanned; i++) left[c->n_rejected + i] = c->unplanned[i];
    size_t n_na;
    char **na = sweep_not_applicable_notes(r->points, r->n_points, &n_na);
    report_provenance prov = {.version = r->version, .mode = r->mode, .config_sha256 = r->config_sha256,
                              .planned = r->n_points, .missing = (const char *const *)c->missing,
                              .n_missing = c->n_missing, .left_out = left, .n_left_out = n_left,
                              .not_applicable = (const char *const *)na, .n_not_applicable = n_na};
    provenance_info p = {.version = stamp_version(), .git_describe = mcusim_git_describe(),
                         .mode = r->mode, .config_text = config_text, .config_sha256 = r->config_sha256,
                         .command_line = command_line, .merged_from = (const char *const *)a->dirs,
                         .n_merged_from = a->n_dirs};
    char err[4600];
    int rc = copy_points(a->out, c->rows, c->n_rows, err, sizeof err) ||
                     sweep_record_write(a->out, r, err, sizeof err) ||
                     provenance_write(a->out, &p, err, sizeof err) ||
                     report_write_experiment_with(a->out, e, c->rows, c->n_rows, &prov, err, sizeof err)
                 ? 1
                 : 0;
    if (rc) fprintf(stderr, "mcusim merge: %s\n", err);
    else
        printf("mcusim merge: %zu of %zu points from %zu folders%s; summary in %s/\n", c->n_rows,
               r->n_points, a->n_dirs, c->n_missing ? " (partial)" : "", a->out);
    free(left);
    sweep_notes_free(na, n_na);
    return rc;
}

int cmd_merge(int argc, char **argv)
{
    /* exploration folders are planned again and joined by explore's merge */
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-' && (i == 1 || strcmp(argv[i - 1], "--out")) && explore_is_folder(argv[i]))
            return explore_merge(argc, argv);
    merge_args a = {0};
    int rc = parse(argc, argv, &a);
    sweep_record *recs = rc ? NULL : calloc(a.n_dirs, sizeof *recs);
    experiment *e = NULL;
    char *config_text = NULL, *line = NULL;
    point_collection c = {0};
    if (rc) goto done;
    rc = 2;
    if (!recs || (rc = read_records(&a, recs)) != 0) {
        if (!recs) fprintf(stderr, "mcusim merge: out of memory\n");
        goto done;
    }
    rc = 2;
    if (!(e = load_experiment(&recs[0], &config_text))) goto done;
    char err[1024];
    if (point_collect((const char *const *)a.dirs, a.n_dirs, recs[0].points, recs[0].n_points, &c,
                      err, sizeof err)) {
        fprintf(stderr, "mcusim merge: %s\n", err);
        goto done;
    }
    if ((rc = judge(&a, &c, recs[0].n_points)) != 0) goto done;
    if (cli_attach_ops("merge", (const char *const *)a.dirs, a.n_dirs, c.rows, c.n_rows)) {
        rc = 1;
        goto done;
    }
    line = cli_command_line(argc, argv);
    rc = write_all(&a, &recs[0], e, config_text, &c, line ? line : "mcusim merge");
done:
    point_collection_free(&c);
    for (size_t i = 0; recs && i < a.n_dirs; i++) sweep_record_free(&recs[i]);
    free(recs);
    if (e) experiment_destroy(e);
    free(config_text);
    free(line);
    free(a.dirs);
    return rc;
}
