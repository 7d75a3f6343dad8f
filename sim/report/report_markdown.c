/* summary.md: the rows as a Markdown table, the published figures beside
 * the simulated ones when the experiment has a `reference` block, and links
 * to the plots. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

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

static void main_table(FILE *out, const report_row *rows, size_t n)
{
    int grid = has_grid(rows, n);
    fprintf(out, "| chips |%s latency (ms) | energy (mJ) | EDP (mJ·ms) | speedup | EDP gain |"
                 " off-chip (B) | link (B) | check |\n",
            grid ? " sweep |" : "");
    fprintf(out, "|---:|%s---:|---:|---:|---:|---:|---:|---:|:---:|\n", grid ? ":---|" : "");
    for (size_t i = 0; i < n; i++) {
        const report_row *r = &rows[i];
        fprintf(out, "| %" PRIu32 " |", r->s->chips);
        if (grid) fprintf(out, r->s->sweep[0] ? " `%s` |" : " (base)%s |", r->s->sweep);
        cell(out, r->latency_ms);
        cell(out, r->energy_mj);
        cell(out, r->edp_mj_ms);
        cell(out, r->speedup);
        cell(out, r->edp_gain);
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

/* sim, ref, relative error in percent. */
static void triple(FILE *out, double sim, double ref)
{
    cell(out, sim);
    cell(out, ref);
    cell(out, isnan(ref) || ref == 0 ? NAN : (sim - ref) / ref * 100.0);
}

static void reference_table(FILE *out, const experiment *e, const report_row *rows, size_t n)
{
    fputs("\n## Simulated against published\n\n", out);
    fputs("| chips | latency sim (ms) | latency ref (ms) | err (%) | energy sim (mJ) |"
          " energy ref (mJ) | err (%) | speedup sim | speedup ref | err (%) |\n",
          out);
    fputs("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n", out);
    for (size_t k = 0; k < e->n_reference; k++) {
        const reference_row *ref = &e->reference[k];
        const report_row *r = find_base_row(rows, n, ref->chips);
        fprintf(out, "| %" PRIu64 " |", ref->chips);
        triple(out, r ? r->latency_ms : NAN, ref->latency_ms);
        triple(out, r ? r->energy_mj : NAN, ref->energy_mj);
        triple(out, r ? r->speedup : NAN, ref->speedup);
        fputc('\n', out);
    }
    fprintf(out, "\nReference: %s\n\nErrors are (simulated − reference) / reference, against the "
                 "rows without --sweep assignments; nothing in the simulator is fitted to these "
                 "figures.\n",
            e->reference_citation[0] ? e->reference_citation : "(no citation given)");
}

int report_write_markdown(FILE *out, const experiment *e, const report_row *rows, size_t n,
                          const char *const *plots, size_t n_plots, const report_provenance *prov)
{
    fprintf(out, "# %s\n\n", e->name);
    if (e->description[0]) fprintf(out, "%s\n\n", e->description);
    if (n) {
        const run_stats *s = rows[0].s;
        fprintf(out, "Model `%s`, mode `%s`, %s run. Speedup and EDP gain are relative to the "
                     "1-chip row of the same sweep point.\n\n",
                s->model, s->mode, s->functional ? "functional" : "timing-only");
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
