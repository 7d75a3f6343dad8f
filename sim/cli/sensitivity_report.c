/* The files and the summary of `mcusim sensitivity` (see sensitivity.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/csv.h"
#include "../report/report.h"
#include "../report/svg_plot.h"
#include "sensitivity.h"

static double max_abs_elasticity(const sens_table *t, const sens_row *r)
{
    double m = -1;
    for (size_t k = 0; k < t->n_metrics; k++)
        if (isfinite(r->elasticity[k]) && fabs(r->elasticity[k]) > m) m = fabs(r->elasticity[k]);
    return m;
}

/* qsort has no context argument: sort an index array by precomputed keys. */
typedef struct rank {
    size_t row;
    int skipped;
    double key;
    size_t order;
} rank;

static int rank_cmp(const void *a, const void *b)
{
    const rank *x = a, *y = b;
    if (x->skipped != y->skipped) return x->skipped - y->skipped;
    if (!x->skipped && x->key != y->key) return x->key > y->key ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void sensitivity_sort(sens_table *t)
{
    rank *r = calloc(t->n_rows ? t->n_rows : 1, sizeof *r);
    sens_row *sorted = calloc(t->n_rows ? t->n_rows : 1, sizeof *sorted);
    if (!r || !sorted) {
        free(r);
        free(sorted);
        return;   /* unsorted is still a correct table */
    }
    for (size_t i = 0; i < t->n_rows; i++)
        r[i] = (rank){i, t->rows[i].skipped[0] != 0, max_abs_elasticity(t, &t->rows[i]),
                      t->rows[i].ref.index};
    qsort(r, t->n_rows, sizeof *r, rank_cmp);
    for (size_t i = 0; i < t->n_rows; i++) sorted[i] = t->rows[r[i].row];
    memcpy(t->rows, sorted, t->n_rows * sizeof *sorted);
    free(sorted);
    free(r);
}

/* Rows with an effect on metric k, largest |elasticity| first (at most max). */
static size_t top_rows(const sens_table *t, size_t k, size_t *out, size_t max)
{
    rank *r = calloc(t->n_rows ? t->n_rows : 1, sizeof *r);
    if (!r) return 0;
    size_t n = 0;
    for (size_t i = 0; i < t->n_rows; i++) {
        double e = t->rows[i].elasticity[k];
        if (t->rows[i].skipped[0] || !isfinite(e) || e == 0) continue;
        r[n++] = (rank){i, 0, fabs(e), t->rows[i].ref.index};
    }
    qsort(r, n, sizeof *r, rank_cmp);
    size_t m = n < max ? n : max;
    for (size_t i = 0; i < m; i++) out[i] = r[i].row;
    free(r);
    return m;
}

static void num(FILE *f, double v)
{
    if (isfinite(v)) fprintf(f, "%.6g", v);
}

/* A value in the row's unit, with enough digits to tell low from base. */
static void value_in_unit(FILE *f, const sens_row *r, double v)
{
    double factor = 1;
    if (r->unit[0]) {
        char one[48], msg[128];
        snprintf(one, sizeof one, "1 %s", r->unit);
        if (unit_parse(one, param_ref_dim(&r->ref), &factor, msg, sizeof msg) != 0) factor = 1;
    }
    if (isfinite(v)) fprintf(f, "%.10g", v / factor);
}

static void write_csv(FILE *f, const sens_table *t)
{
    fputs("parameter,unit,base,low,high,low_ratio,high_ratio", f);
    for (size_t k = 0; k < t->n_metrics; k++) {
        const char *m = t->metrics[k]->name;
        fprintf(f, ",%s_elasticity,%s_low_pct,%s_high_pct", m, m, m);
    }
    fputs(",skipped\n", f);
    for (size_t i = 0; i < t->n_rows; i++) {
        const sens_row *r = &t->rows[i];
        csv_write_text(f, r->ref.key);
        fputc(',', f);
        csv_write_text(f, r->unit);
        fputc(',', f);
        value_in_unit(f, r, r->base);
        fputc(',', f);
        if (!r->skipped[0]) value_in_unit(f, r, r->low);
        fputc(',', f);
        if (!r->skipped[0]) value_in_unit(f, r, r->high);
        fputc(',', f);
        if (!r->skipped[0]) num(f, r->low / r->base);
        fputc(',', f);
        if (!r->skipped[0]) num(f, r->high / r->base);
        for (size_t k = 0; k < t->n_metrics; k++) {
            fputc(',', f);
            if (!r->skipped[0]) num(f, r->elasticity[k]);
            fputc(',', f);
            if (!r->skipped[0]) num(f, r->low_pct[k]);
            fputc(',', f);
            if (!r->skipped[0]) num(f, r->high_pct[k]);
        }
        fputc(',', f);
        csv_write_text(f, r->skipped);
        fputc('\n', f);
    }
}

static int commit(const char *dir, const char *name, char *buf, size_t len, int bad, char *err,
                  size_t errlen)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        snprintf(err, errlen, "%.200s...: output folder path too long", dir);
        return -1;
    }
    if (bad) {
        snprintf(err, errlen, "%s: could not format the file", path);
        return -1;
    }
    return report_write_file_atomic(path, buf, len, err, errlen);
}

static int write_tornado(const char *dir, const sens_table *t, size_t k, char *err, size_t errlen)
{
    size_t idx[SENS_TOP_PLOT];
    size_t n = top_rows(t, k, idx, SENS_TOP_PLOT);
    const char *labels[SENS_TOP_PLOT];
    double lo[SENS_TOP_PLOT], hi[SENS_TOP_PLOT];
    for (size_t i = 0; i < n; i++) {
        const sens_row *r = &t->rows[idx[i]];
        /* "system." says nothing on a chart of system parameters */
        labels[i] = strncmp(r->ref.key, "system.", 7) == 0 ? r->ref.key + 7 : r->ref.key;
        lo[i] = r->low_pct[k];
        hi[i] = r->high_pct[k];
    }
    const metric_def *m = t->metrics[k];
    char title[300], xlabel[200], lo_label[64], hi_label[64], name[128];
    snprintf(title, sizeof title, "%s: sensitivity of %s on %u chip%s", t->e->name, m->name,
             t->chips, t->chips == 1 ? "" : "s");
    snprintf(xlabel, sizeof xlabel, "change of %s (%%)", m->name);
    snprintf(lo_label, sizeof lo_label, "parameter -%g %%", 100 * t->delta);
    snprintf(hi_label, sizeof hi_label, "parameter +%g %%", 100 * t->delta);
    snprintf(name, sizeof name, "tornado_%s.svg", m->name);
    char scope[160], sub[200];
    workload_scope(&t->e->workload, scope, sizeof scope);
    snprintf(sub, sizeof sub, "one inference: %s", scope);
    svg_tornado_chart c = {title, xlabel, lo_label, hi_label, n, labels, lo, hi, sub};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int bad = svg_write_tornado(f, &c) != 0;
    bad |= fclose(f) != 0;
    int rc = commit(dir, name, buf, len, bad, err, errlen);
    free(buf);
    return rc;
}

int sensitivity_write(const char *dir, const sens_table *t, char *err, size_t errlen)
{
    if (report_make_dirs(dir, err, errlen) != 0) return -1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    write_csv(f, t);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    int rc = commit(dir, "sensitivity.csv", buf, len, bad, err, errlen);
    free(buf);
    for (size_t k = 0; k < t->n_metrics && rc == 0; k++) rc = write_tornado(dir, t, k, err, errlen);
    return rc;
}

void sensitivity_print_summary(FILE *out, const sens_table *t)
{
    for (size_t k = 0; k < t->n_metrics; k++) {
        size_t idx[SENS_TOP_PRINT];
        size_t n = top_rows(t, k, idx, SENS_TOP_PRINT);
        fprintf(out, "  %-12s", t->metrics[k]->name);
        if (n == 0) fputs(" no parameter changes it", out);
        for (size_t i = 0; i < n; i++) {
            const sens_row *r = &t->rows[idx[i]];
            const char *name = strncmp(r->ref.key, "system.", 7) == 0 ? r->ref.key + 7 : r->ref.key;
            fprintf(out, "%s %s %+.3g", i ? "," : "", name, r->elasticity[k]);
        }
        fputc('\n', out);
    }
}
