/* summary.md's "top 10 ops by time" (--stats ops): per point, the ops that
 * take most of the chips' time, grouped by what they compute (op_stats_top),
 * with what bounded them. ops.csv has every row. */
#include <stdio.h>

#include "report_internal.h"
#include "../experiment/sweep_plan.h"

#define TOP_OPS 10

static void point_table(FILE *out, const run_stats *s)
{
    op_group top[TOP_OPS];
    size_t n = op_stats_top(s, top, TOP_OPS);
    fprintf(out, "\n### %u chip%s%s%s%s\n\n", (unsigned)s->chips, s->chips == 1 ? "" : "s",
            s->sweep[0] ? " (`" : "", s->sweep, s->sweep[0] ? "`)" : "");
    fputs("| op | kind | rows | time per chip (ms) | share of time (%) | energy (mJ) | bound by |\n"
          "|:---|:---|---:|---:|---:|---:|:---|\n",
          out);
    double run = (double)s->chips * (double)s->cycles;
    for (size_t i = 0; i < n; i++) {
        const op_group *g = &top[i];
        double ms = s->clock_hz > 0 ? (double)g->cycles / s->chips / s->clock_hz * 1e3 : 0;
        fprintf(out, "| `%s` | %s | %u | %.6g | %.1f | %.6g | ", g->name, g->kind, g->count, ms,
                run > 0 ? 100.0 * (double)g->cycles / run : 0.0, g->energy_j * 1e3);
        if (g->bound >= 0)
            fprintf(out, "%s (%.0f %%)", s->components.c[g->bound].name,
                    g->cycles ? 100.0 * (double)g->time_cycles[g->bound] / (double)g->cycles : 0.0);
        else
            fputs("–", out);
        fputs(" |\n", out);
    }
}

void report_top_ops_md(FILE *out, const report_table *t)
{
    if (!report_table_has_ops(t)) return;
    fprintf(out, "\n## Top %d ops by time\n\n", TOP_OPS);
    fputs("Per point, the ops that take most of the chips' time (`--stats ops`; every row is in "
          "[ops.csv](ops.csv)). An op is its label without block and head (`b3.h2.wq` is `wq`) "
          "nor the peer of a collective step; `rows` counts it over chips and blocks. Its time is "
          "its stretch of each chip's timeline, the waits before it included (for a message, "
          "for a transfer still on the wire), summed over chips and divided by the chip count; "
          "the share is of all chips' time (chips x latency). Energy is dynamic, all chips. "
          "`bound by` is the component with the largest part of its critical-path split (`wait`: "
          "waiting on peers).\n",
          out);
    size_t without = 0;
    for (size_t i = 0; i < t->n; i++) without += !t->rows[i].s->ops;
    if (without) {
        fputs("\nPoints without per-op rows (simulated without `--stats ops`, resumed from such a "
              "run, or their `ops/<point>.json` does not belong to them): ",
              out);
        for (size_t i = 0, k = 0; i < t->n; i++) {
            const run_stats *s = t->rows[i].s;
            if (s->ops) continue;
            char id[32];
            sweep_point_id(s->chips, s->grid_index, s->sweep[0] != '\0', id, sizeof id);
            fprintf(out, "%s`%s`", k++ ? ", " : "", id);
        }
        fputs(".\n", out);
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].s->ops) point_table(out, t->rows[i].s);
}
