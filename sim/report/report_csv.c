/* summary.csv: a column per field of the table (stat_fields.c) that is in
 * the CSV, in the table's order (the DESIGN.md contract columns first), a
 * per-component field giving a column per component that has its view. */
#include <math.h>
#include <string.h>

#include "csv.h"
#include "report_internal.h"
#include "stat_fields.h"

static void write_header(FILE *out, const component_set *cs)
{
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    int col = 0;
    for (size_t i = 0; i < nf; i++) {
        const stat_field *f = &fs[i];
        if (!stat_field_in(f, OUT_CSV)) continue;
        if (f->level != STAT_ROW_COMP) {
            fprintf(out, "%s%s", col++ ? "," : "", f->key);
            continue;
        }
        for (uint32_t c = 0; c < cs->n; c++) {
            if (!stat_field_component_has(f, &cs->c[c])) continue;
            char name[96];
            snprintf(name, sizeof name, f->csv, cs->c[c].name);
            fprintf(out, "%s%s", col++ ? "," : "", name);
        }
    }
    fputc('\n', out);
}

static void write_row(FILE *out, const component_set *cs, const report_row *r)
{
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    int col = 0;
    for (size_t i = 0; i < nf; i++) {
        const stat_field *f = &fs[i];
        if (!stat_field_in(f, OUT_CSV)) continue;
        if (f->level != STAT_ROW_COMP) {
            char cell[512];
            stat_cell_text(f, r, OUT_CSV, cell, sizeof cell);
            if (col++) fputc(',', out);
            csv_write_text(out, cell);
            continue;
        }
        const double *v = stat_row_field(f, r);
        for (uint32_t c = 0; c < cs->n; c++) {
            if (!stat_field_component_has(f, &cs->c[c])) continue;
            if (col++) fputc(',', out);
            if (!isnan(v[c])) fprintf(out, "%.9g", v[c]);
        }
    }
    fputc('\n', out);
}

int report_write_csv(FILE *out, const report_table *t)
{
    write_header(out, &t->comps);
    for (size_t i = 0; i < t->n; i++) write_row(out, &t->comps, &t->rows[i]);
    return ferror(out) ? -1 : 0;
}
