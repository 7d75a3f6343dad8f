/* mcusim merge [--out DIR] DIR...: joins the points/ of sweep folders (the
 * shards of one sweep) into one folder and writes its summary files. The
 * summary depends only on the set of points, so it is byte-identical to the
 * one of the unsharded run. Default output: the first DIR. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../config/file_read.h"
#include "../report/json.h"
#include "../report/report.h"
#include "../report/sweep_runner.h"
#include "cli_common.h"
#include "cli_paths.h"
#include "commands.h"

/* The experiment the shards were swept from, via the first sweep.json. */
static experiment *load_from_meta(char *const *dirs, size_t n, char *meta_text_out[1], size_t *meta_len)
{
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/sweep.json", dirs[i]);
        size_t len;
        char err[256];
        char *text = file_read_regular(path, (size_t)16 << 20, &len, err, sizeof err);
        if (!text) {
            if (access(path, F_OK) != 0) continue;   /* a folder without one */
            fprintf(stderr, "mcusim merge: %s: %s\n", path, err);
            return NULL;
        }
        json_value *doc = json_parse(text, len, err, sizeof err);
        const json_value *p = json_get(doc, "experiment_path"), *set = json_get(doc, "set");
        if (!doc || !p || p->type != JSON_STRING || !set || set->type != JSON_ARRAY) {
            fprintf(stderr, "mcusim merge: %s: not a sweep description%s%s\n", path,
                    doc ? "" : ": ", doc ? "" : err);
            json_free(doc);
            free(text);
            return NULL;
        }
        cli_overrides o = {0};
        for (size_t k = 0; k < set->n; k++)
            if (set->items[k].type == JSON_STRING) cli_overrides_add(&o, set->items[k].text);
        experiment *e = cli_load_experiment(p->text, &o);
        cli_overrides_free(&o);
        json_free(doc);
        if (e) {
            *meta_text_out = text;
            *meta_len = len;
        } else {
            free(text);
        }
        return e;
    }
    fprintf(stderr, "mcusim merge: none of the folders has a sweep.json\n");
    return NULL;
}

/* Rewrites every point into out/points (the JSON round-trips exactly). */
static int copy_points(const char *out, const run_stats *rows, size_t n, char *err, size_t errlen)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/points", out);
    if (report_make_dirs(dir, err, errlen)) return -1;
    int grid = 0;
    for (size_t i = 0; i < n; i++) grid |= rows[i].sweep[0] != '\0';
    for (size_t i = 0; i < n; i++) {
        char id[32], path[4200];
        sweep_point_id(rows[i].chips, rows[i].grid_index, grid, id, sizeof id);
        snprintf(path, sizeof path, "%s/%s.json", dir, id);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f) { snprintf(err, errlen, "out of memory"); return -1; }
        run_stats_write_json(f, &rows[i]);
        fclose(f);
        int rc = report_write_file_atomic(path, buf, len, err, errlen);
        free(buf);
        if (rc) return -1;
    }
    return 0;
}

int cmd_merge(int argc, char **argv)
{
    const char *out = NULL;
    char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    size_t nd = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (argv[i][0] == '-') { free(dirs); return cli_usage_error("merge", "unknown option '%s'", argv[i]); }
        else dirs[nd++] = argv[i];
    }
    if (nd == 0) { free(dirs); return cli_usage_error("merge", "usage: mcusim merge [--out DIR] DIR..."); }
    if (!out) out = dirs[0];
    if (cli_check_output_dir("merge", "--out", out)) { free(dirs); return 2; }
    char *meta = NULL;
    size_t meta_len = 0;
    experiment *e = load_from_meta(dirs, nd, &meta, &meta_len);
    if (!e) { free(dirs); return 2; }
    char err[1024], path[4096];
    run_stats *rows = NULL;
    size_t n = 0;
    int rc = 1;
    snprintf(path, sizeof path, "%s/sweep.json", out);
    if (report_read_points((const char *const *)dirs, nd, &rows, &n, err, sizeof err) ||
        copy_points(out, rows, n, err, sizeof err) ||
        report_write_file_atomic(path, meta, meta_len, err, sizeof err) ||
        report_write_experiment(out, e, rows, n, err, sizeof err)) {
        fprintf(stderr, "mcusim merge: %s\n", err);
    } else {
        printf("mcusim merge: %zu points from %zu folders; summary in %s/\n", n, nd, out);
        rc = 0;
    }
    report_free_rows(rows, n);
    experiment_destroy(e);
    free(meta);
    free(dirs);
    return rc;
}
