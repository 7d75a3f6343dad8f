/* summary.md: the rows as a Markdown table, the published figures beside
 * the simulated ones when the experiment has a `reference` block, and links
 * to the plots. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "metrics.h"
#include "report_internal.h"

static void cell(FILE *out, double v)
{
    char b[64];
    report_fmt_num(b, sizeof b, v);
    fprintf(out, " %s |", b[0] ? b : "–");
}

static int has_grid(const report_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].s->sweep[0]) return 1;
    return 0;
}

/* The scope goes in the header line when every row shares it, else in a
 * column of its own. */
static void main_table(FILE *out, const report_row *rows, size_t n)
{
    int grid = has_grid(rows, n), scopes = !report_common_scope(rows, n);
    fprintf(out, "| chips |%s%s latency (ms) | energy (mJ) | EDP (mJ·ms) | speedup | EDP gain |"
                 " energy MCUs (mJ) | EDP gain MCUs | off-chip (B) | link (B) | check |\n",
            grid ? " sweep |" : "", scopes ? " scope |" : "");
    fprintf(out, "|---:|%s%s---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n",
            grid ? ":---|" : "", scopes ? ":---|" : "");
    for (size_t i = 0; i < n; i++) {
        const report_row *r = &rows[i];
        fprintf(out, "| %" PRIu32 " |", r->s->chips);
        if (grid) fprintf(out, r->s->sweep[0] ? " `%s` |" : " (base)%s |", r->s->sweep);
        if (scopes) fprintf(out, " %s |", r->s->scope);
        cell(out, r->latency_ms);
        cell(out, r->energy_mj);
        cell(out, r->edp_mj_ms);
        cell(out, r->speedup);
        cell(out, r->edp_gain);
        cell(out, r->energy_mcu_mj);
        cell(out, r->edp_gain_mcu);
        fprintf(out, " %" PRIu64 " | %" PRIu64 " | %s |\n", r->s->offchip_bytes, r->s->link_bytes,
                !r->s->check_run ? "–" : r->s->check_passed ? "bit-exact" : "**MISMATCH**");
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
            double sim = r && m ? m->value(r) : NAN, pub = ref->v[i].value;
            fprintf(out, "| %" PRIu64 " | `%s` (%s) |", ref->chips, ref->v[i].metric,
                    m ? m->unit : "?");
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
            e->reference_citation[0] ? e->reference_citation : "(no citation given)", e->node.name);
}

int report_write_markdown(FILE *out, const experiment *e, const report_row *rows, size_t n,
                          const char *const *plots, size_t n_plots, const report_provenance *prov)
{
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
    main_table(out, rows, n);
    if (e->n_reference && e->reference) reference_table(out, e, rows, n);
    if (n_plots) {
        fputs("\n## Plots\n\n", out);
        for (size_t i = 0; i < n_plots; i++) fprintf(out, "![%s](%s)\n", plots[i], plots[i]);
    }
    return ferror(out) ? -1 : 0;
}
