/* README.md of an output folder (run --out, sweep, merge): what the folder
 * holds, for a reader who opens it cold. The experiment in one line, the
 * key table, a link to every plot and file with what it shows, and every
 * column with its unit and meaning, generated from the statistics table
 * (stat_fields.c) and the components the nodes declared, never typed by
 * hand. No date or host: a rerun writes the same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_internal.h"
#include "stat_fields.h"

/* What a plot shows, from its name (report_plots.c names them). */
static void plot_caption(const char *name, char *out, size_t cap)
{
    bool pct = strstr(name, "_pct") != NULL;
    const char *g = strstr(name, "_g");
    char group[48] = "";
    if (g && g[2] >= '0' && g[2] <= '9')
        snprintf(group, sizeof group, ", sweep-grid combination %d", atoi(g + 2));
    if (!strncmp(name, "speedup", 7))
        snprintf(out, cap, "speedup over one chip against chips, with linear scaling (×, log axes)");
    else if (!strncmp(name, "energy", 6))
        snprintf(out, cap, "energy per inference against chips, with and without the off-chip "
                           "memory (mJ)");
    else if (!strncmp(name, "edp", 3))
        snprintf(out, cap, "energy-delay product against chips, with and without the off-chip "
                           "memory (mJ·ms, log axis)");
    else if (!strncmp(name, "breakdown_time", 14))
        snprintf(out, cap, "where the time goes: each chip count's critical path stacked per "
                           "component, %s%s",
                 pct ? "as shares of the latency (%)" : "mean per chip (ms); bars reach the latency",
                 group);
    else if (!strncmp(name, "breakdown_energy", 16))
        snprintf(out, cap, "energy by component, all chips, %s%s",
                 pct ? "as shares of the energy (%)" : "in mJ", group);
    else snprintf(out, cap, "a plot");
}

static bool exists(const char *dir, const char *name)
{
    char path[4400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static void files(FILE *out, const char *dir, const report_table *t)
{
    fputs("\n## Files\n\n", out);
    fputs("- [summary.md](summary.md): the table above, published figures beside the simulated "
          "ones (when the experiment has a `reference` block), provenance, plots\n", out);
    fputs("- [summary.csv](summary.csv): one row per point; its columns are below\n", out);
    fputs("- [summary.json](summary.json): the same rows, each point's per-chip breakdown "
          "and the components with their views and docs\n", out);
    if (report_table_has_ops(t))
        fputs("- [ops.csv](ops.csv): one row per executed op of every chip of every point "
              "(`--stats ops`); its columns are below\n", out);
    if (report_table_has_chips(t))
        fputs("- [chips.csv](chips.csv): one row per chip of every point whose chips do not all "
              "have one node (`system.chips`), the straggler marked; its columns are below\n",
              out);
    if (exists(dir, "provenance.json"))
        fputs("- [provenance.json](provenance.json): mcusim version, git describe, mode, the "
              "resolved configuration and its SHA-256, host, date, command line\n", out);
    if (exists(dir, "sweep.json"))
        fputs("- [sweep.json](sweep.json): the sweep's plan (chip counts, `--sweep` axes, every "
              "point's id and hash), which `merge` and `--resume` check against\n", out);
    if (exists(dir, "points"))
        fputs("- [points/](points/): one stamped JSON file per point (run_stats with its "
              "per-chip breakdown), re-read by `merge` and `--resume`\n", out);
    if (exists(dir, "ops"))
        fputs("- [ops/](ops/): each point's per-op rows (`--stats ops`), which ops.csv is "
              "written from\n", out);
}

void report_column_docs_md(FILE *out, const report_column_doc *columns, size_t n)
{
    fputs("| column | unit | meaning |\n|---|---|---|\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "| `%s` | %s | %s |\n", columns[i].name,
                columns[i].unit[0] ? columns[i].unit : "–", columns[i].doc);
}

/* summary.csv's columns, in its order: per-component ones as a pattern,
 * with the components listed after. */
void report_columns_md(FILE *out)
{
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    fputs("| column | unit | in summary.md | meaning |\n|---|---|---|---|\n", out);
    for (size_t i = 0; i < nf; i++) {
        const stat_field *f = &fs[i];
        if (!stat_field_in(f, OUT_CSV)) continue;
        char name[96];
        if (f->level == STAT_ROW_COMP) snprintf(name, sizeof name, f->csv, "<c>");
        else snprintf(name, sizeof name, "%s", f->key);
        fprintf(out, "| `%s` | %s | %s | %s |\n", name, f->unit[0] ? f->unit : "–",
                stat_field_in(f, OUT_MD) ? f->md : "", f->doc);
    }
}

static void components(FILE *out, const component_set *cs)
{
    fputs("\n`<c>` is each component the node declares (an energy column for those with an "
          "energy view, busy and time columns for those with a time view):\n\n"
          "| component | energy | time | on the MCU | what it covers |\n|---|:---:|:---:|:---:|---|\n",
          out);
    for (uint32_t k = 0; k < cs->n; k++)
        fprintf(out, "| `%s` | %s | %s | %s | %s |\n", cs->c[k].name, cs->c[k].energy ? "✓" : "",
                cs->c[k].time ? "✓" : "", cs->c[k].on_mcu ? "✓" : "", cs->c[k].doc);
}

int report_write_index_md(FILE *out, const char *dir, const experiment *e, const report_table *t,
                          const char *const *plots, size_t n_plots)
{
    fprintf(out, "# %s\n\n", e->name);
    if (e->description[0]) fprintf(out, "%s\n\n", e->description);
    fputs("The index of this folder, generated by mcusim (do not edit by hand): the key table, "
          "every file and plot, and every column with its unit, from the statistics table "
          "(sim/report/stat_fields.c) and the components the node declares.\n\n",
          out);
    if (t->n) {
        const run_stats *s = t->rows[0].s;
        const char *scope = report_common_scope(t->rows, t->n);
        fprintf(out, "Model `%s`, mode `%s`, %s; %zu point%s. One inference: %s.\n\n", s->model,
                s->mode, s->functional ? "functional" : "timing-only", t->n, t->n == 1 ? "" : "s",
                scope ? scope : "differs by point (the scope column)");
        report_main_table_md(out, t->rows, t->n);
    } else {
        fputs("No point has results (see summary.md).\n", out);
    }
    files(out, dir, t);
    if (n_plots) {
        fputs("\n## Plots\n\n", out);
        for (size_t i = 0; i < n_plots; i++) {
            char cap[300];
            plot_caption(plots[i], cap, sizeof cap);
            fprintf(out, "- [%s](%s): %s\n", plots[i], plots[i], cap);
        }
    }
    fputs("\n## Columns of summary.csv\n\n", out);
    report_columns_md(out);
    components(out, &t->comps);
    if (report_table_has_ops(t)) {
        fputs("\n## Columns of ops.csv\n\n", out);
        report_ops_columns_md(out);
    }
    if (report_table_has_chips(t)) {
        fputs("\n## Columns of chips.csv\n\n", out);
        report_chips_columns_md(out);
    }
    return ferror(out) ? -1 : 0;
}
