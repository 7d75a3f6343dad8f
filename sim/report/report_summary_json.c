/* summary.json: the rows as objects (the fields of the table that are in
 * it, stat_fields.c) plus each point's per-chip, per-component breakdown and
 * the list of components with their views and docs. Wall time is left out
 * so that two runs of the same sweep (or a sharded one and its merge) give
 * identical bytes. */
#include <inttypes.h>
#include <math.h>

#include "json.h"
#include "report_internal.h"
#include "stat_fields.h"

/* `"key": {"cluster": v, ...}` over the components that have the field and
 * that the row's node has (NaN: it does not). */
static void comp_member(FILE *out, const stat_field *f, const component_set *cs, const double *v)
{
    fprintf(out, ",\n     \"%s\": {", f->key);
    for (uint32_t c = 0, n = 0; c < cs->n; c++) {
        if (!stat_field_component_has(f, &cs->c[c]) || isnan(v[c])) continue;
        fprintf(out, "%s\"%s\": ", n++ ? ", " : "", cs->c[c].name);
        json_write_double(out, v[c]);
    }
    fputc('}', out);
}

/* One row: the fields of the table that are in summary.json, in its order,
 * eight to a line; the per-component maps a line each; per_chip. */
static void write_row(FILE *out, const component_set *cs, const report_row *r)
{
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    int n = 0;
    for (size_t i = 0; i < nf; i++) {
        const stat_field *f = &fs[i];
        if (f->level > STAT_ROW || !stat_field_in(f, OUT_JSON)) continue;
        fputs(n == 0 ? "    {" : n % 8 ? ", " : ",\n     ", out);
        fprintf(out, "\"%s\": ", f->key);
        if (f->level == STAT_RUN) stat_write_json_value(out, f, r->s);
        else json_write_double(out, *(const double *)stat_row_field(f, r));
        n++;
    }
    for (size_t i = 0; i < nf; i++)
        if (fs[i].level == STAT_ROW_COMP && stat_field_in(&fs[i], OUT_JSON))
            comp_member(out, &fs[i], cs, stat_row_field(&fs[i], r));
    const run_stats *s = r->s;
    fputs(",\n     \"per_chip\": [", out);
    for (uint32_t k = 0; s->per_chip && k < s->chips; k++) {
        fputs(k ? ",\n" : "\n", out);
        report_write_chip_json(out, s, &s->per_chip[k], "       ");
    }
    fputs("]}", out);
}

int report_write_summary_json(FILE *out, const experiment *e, const report_table *t,
                              const report_provenance *prov)
{
    const component_set *cs = &t->comps;
    size_t n = t->n;
    fputs("{\n  \"experiment\": ", out);
    json_write_string(out, e->name);
    fputs(",\n  \"description\": ", out);
    json_write_string(out, e->description);
    report_provenance_json(out, prov, n);
    fputs(",\n  \"components\": [", out);
    for (uint32_t c = 0; c < cs->n; c++) {
        fprintf(out, "%s\n    {\"name\": \"%s\", \"energy\": %s, \"time\": %s, \"on_mcu\": %s, "
                     "\"doc\": ",
                c ? "," : "", cs->c[c].name, cs->c[c].energy ? "true" : "false",
                cs->c[c].time ? "true" : "false", cs->c[c].on_mcu ? "true" : "false");
        json_write_string(out, cs->c[c].doc);
        fputc('}', out);
    }
    fputs("],\n  \"rows\": [\n", out);
    for (size_t i = 0; i < n; i++) {
        write_row(out, cs, &t->rows[i]);
        fputs(i + 1 < n ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
    return ferror(out) ? -1 : 0;
}
