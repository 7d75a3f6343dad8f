/* summary.md: the rows as a Markdown table, the published figures beside
 * the simulated ones when the experiment has a `reference` block, and links
 * to the plots. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "metrics.h"
#include "report_internal.h"
#include "stat_fields.h"

static void cell(FILE *out, double v)
{
    char b[64];
    report_fmt_num(b, sizeof b, v);
    fprintf(out, " %s |", b[0] ? b : "–");
}

/* Whether a summary.md column shows (md_show): the scope column only when
 * the rows differ (a common scope is in the header line), the sweep column
 * when some row has assignments, the throughput columns when some row had
 * several inferences in flight. */
static bool md_shown(const stat_field *f, const report_row *rows, size_t n)
{
    if (f->md_when == MD_ALWAYS) return true;
    if (f->md_when == MD_IF_IN_FLIGHT) {
        for (size_t i = 0; i < n; i++)
            if (rows[i].s->in_flight > 1) return true;
        return false;
    }
    char first[512], text[512];
    for (size_t i = 0; i < n; i++) {
        stat_cell_text(f, &rows[i], OUT_CSV, text, sizeof text);
        if (f->md_when == MD_IF_ANY && text[0]) return true;
        if (i == 0) snprintf(first, sizeof first, "%s", text);
        else if (f->md_when == MD_IF_DIFFERENT && strcmp(first, text)) return true;
    }
    return false;
}

/* The columns of the table: the fields with a summary.md place, in it. */
static size_t md_columns(const report_row *rows, size_t n, const stat_field **cols, size_t cap)
{
    size_t nf, nc = 0;
    const stat_field *fs = stat_fields(&nf);
    for (int col = 1; col <= (int)nf; col++)
        for (size_t i = 0; i < nf && nc < cap; i++)
            if (fs[i].md_col == col && stat_field_in(&fs[i], OUT_MD) && md_shown(&fs[i], rows, n))
                cols[nc++] = &fs[i];
    return nc;
}

static const char *md_align(const stat_field *f)
{
    switch (f->type) {
    case STAT_STR: return ":---";
    case STAT_TEXT: return ":---:";
    default: return "---:";
    }
}

void report_main_table_md(FILE *out, const report_row *rows, size_t n)
{
    const stat_field *cols[64];
    size_t nc = md_columns(rows, n, cols, 64);
    fputc('|', out);
    for (size_t c = 0; c < nc; c++) fprintf(out, " %s |", cols[c]->md);
    fputs("\n|", out);
    for (size_t c = 0; c < nc; c++) fprintf(out, "%s|", md_align(cols[c]));
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        fputc('|', out);
        for (size_t c = 0; c < nc; c++) {
            char cell[512];
            stat_cell_text(cols[c], &rows[i], OUT_MD, cell, sizeof cell);
            fprintf(out, " %s |", cell);
        }
        fputc('\n', out);
    }
}

static const report_row *find_base_row(const report_row *rows, size_t n, uint64_t chips)
{
    for (size_t i = 0; i < n; i++)
        if (!rows[i].s->sweep[0] && rows[i].s->chips == chips) return &rows[i];
    return NULL;
}

/* One line per published figure: the metric it is compared with (the
 * reference names it, which says what the figure covers), simulated,
 * published, relative error. */
static void reference_table(FILE *out, const experiment *e, const report_row *rows, size_t n)
{
    fputs("\n## Simulated against published\n\n", out);
    fputs("| chips | metric | simulated | published | error (%) |\n", out);
    fputs("|---:|:---|---:|---:|---:|\n", out);
    for (size_t k = 0; k < e->n_reference; k++) {
        const reference_row *ref = &e->reference[k];
        const report_row *r = find_base_row(rows, n, ref->chips);
        for (size_t i = 0; i < ref->n; i++) {
            const metric_def *m = metric_find(ref->v[i].metric);
            double sim = r && m ? metric_value(m, r) : NAN, pub = ref->v[i].value;
            fprintf(out, "| %" PRIu64 " | `%s` (%s) |", ref->chips, ref->v[i].metric,
                    m ? metric_unit(m) : "?");
            cell(out, sim);
            cell(out, pub);
            if (isnan(sim)) fputs(" – |", out);
            else fprintf(out, " %+.1f |", (sim - pub) / pub * 100.0);
            fputc('\n', out);
        }
    }
    fprintf(out, "\nReference: %s\n\nErrors are (simulated − published) / published, against the "
                 "rows without --sweep assignments. Node `%s`: where its parameters come from a "
                 "calibration overlay (configs/calibration/), that file lists the published "
                 "figures it was fitted to and its residuals; every other published figure is "
                 "held out.\n",
            e->reference_citation[0] ? e->reference_citation : "(no citation given)",
            node_display_name(e->node_model, e->node_params));
}

int report_write_markdown(FILE *out, const experiment *e, const report_table *t,
                          const char *const *plots, size_t n_plots, const report_provenance *prov)
{
    const report_row *rows = t->rows;
    size_t n = t->n;
    fprintf(out, "# %s\n\n", e->name);
    if (e->description[0]) fprintf(out, "%s\n\n", e->description);
    if (n) {
        const run_stats *s = rows[0].s;
        const char *scope = report_common_scope(rows, n);
        fprintf(out, "Model `%s`, mode `%s`, %s run. One inference: %s. Speedup and EDP gain are "
                     "relative to the 1-chip row of the same sweep point; energy covers every "
                     "component, off-chip memory included, and the MCU columns leave the "
                     "off-chip memory device out.\n\n",
                s->model, s->mode, s->functional ? "functional" : "timing-only",
                scope ? scope : "see the scope column (it differs by row)");
    }
    report_provenance_md(out, prov, n);
    report_main_table_md(out, rows, n);
    if (e->n_reference && e->reference) reference_table(out, e, rows, n);
    report_chips_md(out, t);
    report_top_ops_md(out, t);
    if (n_plots) {
        fputs("\n## Plots\n\n", out);
        for (size_t i = 0; i < n_plots; i++) fprintf(out, "![%s](%s)\n", plots[i], plots[i]);
    }
    return ferror(out) ? -1 : 0;
}
