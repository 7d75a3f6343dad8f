/* summary.csv: the DESIGN.md contract columns first, in contract order,
 * then extras (the scope of one inference, sweep assignments, check,
 * energy without the off-chip memory, per-component energy, busy time and
 * critical-path time; each component only in the views it has, node.h). */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report_internal.h"

static const char *const contract_columns =
    "experiment,model,mode,chips,cycles,latency_ms,energy_mj,edp_mj_ms,speedup,edp_gain,"
    "offchip_bytes,link_bytes";

static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) { fputs(s, out); return; }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_num(FILE *out, double v)
{
    fputc(',', out);
    if (!isnan(v)) fprintf(out, "%.9g", v);
}

static void write_header(FILE *out)
{
    fputs(contract_columns, out);
    fputs(",scope,sweep,functional,check,sim_events,energy_mcu_mj,edp_mcu_mj_ms,edp_gain_mcu", out);
    for (int c = 0; c < COMP__COUNT; c++)
        if (component_has_energy((component)c))
            fprintf(out, ",energy_%s_mj", component_name((component)c));
    for (int c = 0; c < COMP__COUNT; c++)
        if (component_has_time((component)c))
            fprintf(out, ",busy_%s_ms", component_name((component)c));
    for (int c = 0; c < COMP__COUNT; c++)
        if (component_has_time((component)c))
            fprintf(out, ",time_%s_ms", component_name((component)c));
    fputc('\n', out);
}

static void write_row(FILE *out, const report_row *r)
{
    const run_stats *s = r->s;
    csv_field(out, s->experiment);
    fputc(',', out);
    csv_field(out, s->model);
    fputc(',', out);
    csv_field(out, s->mode);
    fprintf(out, ",%" PRIu32 ",%" PRIu64, s->chips, s->cycles);
    csv_num(out, r->latency_ms);
    csv_num(out, r->energy_mj);
    csv_num(out, r->edp_mj_ms);
    csv_num(out, r->speedup);
    csv_num(out, r->edp_gain);
    fprintf(out, ",%" PRIu64 ",%" PRIu64 ",", s->offchip_bytes, s->link_bytes);
    csv_field(out, s->scope);
    fputc(',', out);
    csv_field(out, s->sweep);
    fprintf(out, ",%d,%s,%" PRIu64, s->functional ? 1 : 0,
            !s->check_run ? "" : s->check_passed ? "pass" : "FAIL", s->sim_events);
    csv_num(out, r->energy_mcu_mj);
    csv_num(out, r->edp_mcu_mj_ms);
    csv_num(out, r->edp_gain_mcu);
    for (int c = 0; c < COMP__COUNT; c++)
        if (component_has_energy((component)c)) csv_num(out, r->comp_energy_mj[c]);
    for (int c = 0; c < COMP__COUNT; c++)
        if (component_has_time((component)c)) csv_num(out, r->comp_busy_ms[c]);
    for (int c = 0; c < COMP__COUNT; c++)
        if (component_has_time((component)c)) csv_num(out, r->comp_time_ms[c]);
    fputc('\n', out);
}

int report_write_csv(FILE *out, const report_row *rows, size_t n)
{
    write_header(out);
    for (size_t i = 0; i < n; i++) write_row(out, &rows[i]);
    return ferror(out) ? -1 : 0;
}
