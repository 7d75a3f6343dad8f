/* ops.csv (--stats ops): one line per row of op_stats.h, for every point of
 * a summary in the table's order, one file for the whole sweep so "which op
 * dominates at 8 chips?" is a filter on `chips` and a sort on `cycles`, and
 * the same op can be followed across chip counts. Per-component and
 * per-level columns follow the nodes' declarations (the union over the
 * points, empty where a point's node lacks one); their description is the
 * table below, which also documents the file (README, the folder index). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "report_internal.h"
#include "../experiment/sweep_plan.h"

static const report_column_doc columns[] = {
    {"point", "", "the point (its file points/<point>.json): c0008, or g002-c0008 in a --sweep grid"},
    {"sweep", "", "the point's --sweep assignments (key.path=value;...), empty for the base point"},
    {"chips", "", "chips of the point"},
    {"chip", "", "the chip the row belongs to (0 is the root)"},
    {"row", "", "op (an op of the chip's program), drain (waiting for its last transfers to land), "
                "tail (finished, waiting for the other chips), static (always-on power over the run)"},
    {"index", "", "the op's position in the chip's program (--dump-program), empty for other rows"},
    {"block", "", "the model block the op belongs to (from its label, b3.…), empty when none"},
    {"label", "", "the op's label (--dump-program), or the row kind"},
    {"kind", "", "the op's kind (gemm, softmax, dma, send, recv...), or the row kind"},
    {"start_cycle", "cycles", "where the row's stretch of the chip's timeline starts: the rows of a "
                              "chip follow each other from 0 to the run's cycles"},
    {"end_cycle", "cycles", "where it ends"},
    {"cycles", "cycles", "end_cycle - start_cycle: the op, with the waits the chip did before it "
                         "(for its message, for a transfer still on the wire)"},
    {"bound", "", "the component with the most cycles of the row's critical-path split: what bounded it"},
    {"time_<c>_cycles", "cycles", "critical-path split of the row per component with a time view; "
                                  "adds up to cycles, and over a chip's rows to its time_cycles"},
    {"energy_nj", "nJ", "energy of the row, all its components (dynamic; the static row: leakage "
                        "and always-on power over the whole run)"},
    {"energy_<c>_nj", "nJ", "energy of the row per component with an energy view; over a chip's "
                            "rows, the chip's energy_j (a send's row holds its transfer's link energy)"},
    {"bytes_<level>", "B", "bytes the op moved at each memory level the node declares (the off-chip "
                           "level's sum over a chip is its offchip_bytes)"},
    {"link_bytes", "B", "payload a send put on its link"},
    {"link_wire_bytes", "B", "what that payload took on the wire (headers, framing, line coding)"},
};

void report_ops_columns_md(FILE *out)
{
    report_column_docs_md(out, columns, sizeof columns / sizeof columns[0]);
}

bool report_table_has_ops(const report_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].s->ops) return true;
    return false;
}

/* The memory levels of every point, by name, in the order they appear. */
static void union_levels(const report_table *t, mem_level_set *u)
{
    memset(u, 0, sizeof *u);
    for (size_t i = 0; i < t->n; i++) {
        const mem_level_set *l = &t->rows[i].s->levels;
        for (uint32_t k = 0; k < l->n && k < MEM_LEVELS_MAX; k++) {
            bool have = false;
            for (uint32_t j = 0; j < u->n; j++) have |= !strcmp(u->v[j].name, l->v[k].name);
            if (!have && u->n < MEM_LEVELS_MAX) u->v[u->n++] = l->v[k];
        }
    }
}

static int level_find(const mem_level_set *l, const char *name)
{
    for (uint32_t k = 0; k < l->n && k < MEM_LEVELS_MAX; k++)
        if (!strcmp(l->v[k].name, name)) return (int)k;
    return -1;
}

static void write_row(FILE *out, const run_stats *s, const char *point, const op_record *r,
                      const component_set *u, const mem_level_set *lv)
{
    const component_set *cs = &s->components;
    fprintf(out, "%s,", point);
    csv_write_text(out, s->sweep);
    fprintf(out, ",%" PRIu32 ",%" PRIu32 ",%s,", s->chips, r->chip, op_row_kind_name(r->row));
    if (r->row == OP_ROW_OP) fprintf(out, "%" PRIu32, r->index);
    int block = op_record_block(r);
    fputc(',', out);
    if (block >= 0) fprintf(out, "%d", block);
    int bound = op_record_bound(r, cs);
    fputc(',', out);
    csv_write_text(out, r->label);
    fprintf(out, ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%s", op_record_kind(r), r->start_cycle, r->end_cycle, r->end_cycle - r->start_cycle,
            bound >= 0 ? cs->c[bound].name : "");
    for (uint32_t j = 0; j < u->n; j++) {
        if (!u->c[j].time) continue;
        int k = component_set_find(cs, u->c[j].name);
        if (k >= 0 && cs->c[k].time) fprintf(out, ",%" PRIu64, r->time_cycles[k]);
        else fputc(',', out);
    }
    double total = 0;
    for (uint32_t k = 0; k < cs->n; k++) total += r->energy_j[k];
    fprintf(out, ",%.9g", total * 1e9);
    for (uint32_t j = 0; j < u->n; j++) {
        if (!u->c[j].energy) continue;
        int k = component_set_find(cs, u->c[j].name);
        if (k >= 0 && cs->c[k].energy) fprintf(out, ",%.9g", r->energy_j[k] * 1e9);
        else fputc(',', out);
    }
    for (uint32_t j = 0; j < lv->n; j++) {
        int k = level_find(&s->levels, lv->v[j].name);
        if (k >= 0) fprintf(out, ",%" PRIu64, r->bytes[k]);
        else fputc(',', out);
    }
    fprintf(out, ",%" PRIu64 ",%" PRIu64 "\n", r->link_bytes, r->link_wire_bytes);
}

int report_write_ops_csv(FILE *out, const report_table *t)
{
    const component_set *u = &t->comps;
    mem_level_set lv;
    union_levels(t, &lv);
    fputs("point,sweep,chips,chip,row,index,block,label,kind,start_cycle,end_cycle,cycles,bound", out);
    for (uint32_t j = 0; j < u->n; j++)
        if (u->c[j].time) fprintf(out, ",time_%s_cycles", u->c[j].name);
    fputs(",energy_nj", out);
    for (uint32_t j = 0; j < u->n; j++)
        if (u->c[j].energy) fprintf(out, ",energy_%s_nj", u->c[j].name);
    for (uint32_t j = 0; j < lv.n; j++) fprintf(out, ",bytes_%s", lv.v[j].name);
    fputs(",link_bytes,link_wire_bytes\n", out);
    for (size_t i = 0; i < t->n; i++) {
        const run_stats *s = t->rows[i].s;
        char point[32];
        sweep_point_id(s->chips, s->grid_index, s->sweep[0] != '\0', point, sizeof point);
        for (size_t k = 0; s->ops && k < s->n_ops; k++) write_row(out, s, point, &s->ops[k], u, &lv);
    }
    return ferror(out) ? -1 : 0;
}
