/* report_write_experiment: every summary file of one experiment, each
 * written atomically into dir (created if missing), and last the folder's
 * index, README.md, which names them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_internal.h"

/* mkdir -p */
int report_make_dirs(const char *dir, char *err, size_t errlen)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) {
        snprintf(err, errlen, "%s: path too long", dir);
        return -1;
    }
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: %s", buf, strerror(errno));
            return -1;
        }
        *p = saved;
        if (!saved) return 0;
    }
}

static int write_with(const char *dir, const char *name, int (*fn)(FILE *, const void *),
                      const void *ctx, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    fn(m.f, ctx);
    return membuf_commit(&m, path, err, errlen);
}

typedef struct ctx {
    const char *dir;
    const experiment *e;
    const report_table *t;
    const plot_list *plots;
    const report_provenance *prov;
} ctx;

static int csv_fn(FILE *f, const void *p)
{
    const ctx *c = p;
    return report_write_csv(f, c->t);
}

static int json_fn(FILE *f, const void *p)
{
    const ctx *c = p;
    return report_write_summary_json(f, c->e, c->t, c->prov);
}

static int ops_fn(FILE *f, const void *p)
{
    const ctx *c = p;
    return report_write_ops_csv(f, c->t);
}

static int chips_fn(FILE *f, const void *p)
{
    const ctx *c = p;
    return report_write_chips_csv(f, c->t);
}

static int index_fn(FILE *f, const void *p)
{
    const ctx *c = p;
    const char *names[sizeof c->plots->names / sizeof c->plots->names[0]];
    for (size_t i = 0; i < c->plots->n; i++) names[i] = c->plots->names[i];
    return report_write_index_md(f, c->dir, c->e, c->t, names, c->plots->n);
}

static int md_fn(FILE *f, const void *p)
{
    const ctx *c = p;
    const char *names[sizeof c->plots->names / sizeof c->plots->names[0]];
    for (size_t i = 0; i < c->plots->n; i++) names[i] = c->plots->names[i];
    return report_write_markdown(f, c->e, c->t, names, c->plots->n, c->prov);
}

int report_write_experiment(const char *dir, const experiment *e, const run_stats *stats,
                            size_t n_rows, char *err, size_t errlen)
{
    return report_write_experiment_with(dir, e, stats, n_rows, NULL, err, errlen);
}

int report_write_experiment_with(const char *dir, const experiment *e, const run_stats *stats,
                                 size_t n_rows, const report_provenance *prov, char *err,
                                 size_t errlen)
{
    if (report_make_dirs(dir, err, errlen)) return -1;
    report_table t;
    if (report_rows_build(stats, n_rows, &t, err, errlen)) return -1;
    plot_list plots = {.n = 0};
    ctx c = {.dir = dir, .e = e, .t = &t, .plots = &plots, .prov = prov};
    int rc = report_write_plots(dir, e, &t, &plots, err, errlen) ||
                     write_with(dir, "summary.csv", csv_fn, &c, err, errlen) ||
                     write_with(dir, "summary.json", json_fn, &c, err, errlen) ||
                     write_with(dir, "summary.md", md_fn, &c, err, errlen) ||
                     (report_table_has_ops(&t) && write_with(dir, "ops.csv", ops_fn, &c, err, errlen)) ||
                     (report_table_has_chips(&t) &&
                      write_with(dir, "chips.csv", chips_fn, &c, err, errlen)) ||
                     write_with(dir, "README.md", index_fn, &c, err, errlen)
                 ? -1
                 : 0;
    report_table_free(&t);
    return rc;
}
