/* summary.json: the CSV rows as objects plus each point's per-chip,
 * per-component breakdown. Wall time is left out so that two runs of the
 * same sweep (or a sharded one and its merge) give identical bytes. */
#include <inttypes.h>

#include "json.h"
#include "report_internal.h"

static void num_member(FILE *out, const char *key, double v)
{
    fprintf(out, ", \"%s\": ", key);
    json_write_double(out, v);
}

/* `, "key": {"cluster": v, ...}` over the components of one view (node.h). */
static void comp_member(FILE *out, const char *key, const double *v, bool (*in)(component))
{
    fprintf(out, ",\n     \"%s\": {", key);
    for (int c = 0, n = 0; c < COMP__COUNT; c++) {
        if (!in((component)c)) continue;
        fprintf(out, "%s\"%s\": ", n++ ? ", " : "", component_name((component)c));
        json_write_double(out, v[c]);
    }
    fputc('}', out);
}

static void write_totals(FILE *out, const report_row *r)
{
    comp_member(out, "energy_mj_by_component", r->comp_energy_mj, component_has_energy);
    comp_member(out, "leakage_mj_by_component", r->comp_leakage_mj, component_has_energy);
    comp_member(out, "busy_ms_by_component", r->comp_busy_ms, component_has_time);
    comp_member(out, "time_ms_by_component", r->comp_time_ms, component_has_time);
}

static void write_row(FILE *out, const report_row *r)
{
    const run_stats *s = r->s;
    fputs("    {\"experiment\": ", out);
    json_write_string(out, s->experiment);
    fputs(", \"model\": ", out);
    json_write_string(out, s->model);
    fputs(", \"mode\": ", out);
    json_write_string(out, s->mode);
    fputs(", \"scope\": ", out);
    json_write_string(out, s->scope);
    fputs(", \"sweep\": ", out);
    json_write_string(out, s->sweep);
    fprintf(out, ", \"grid_index\": %" PRIu32 ",\n     \"chips\": %" PRIu32 ", \"cycles\": %" PRIu64,
            s->grid_index, s->chips, s->cycles);
    num_member(out, "latency_ms", r->latency_ms);
    num_member(out, "energy_mj", r->energy_mj);
    num_member(out, "edp_mj_ms", r->edp_mj_ms);
    num_member(out, "speedup", r->speedup);
    num_member(out, "edp_gain", r->edp_gain);
    num_member(out, "energy_mcu_mj", r->energy_mcu_mj);
    num_member(out, "edp_mcu_mj_ms", r->edp_mcu_mj_ms);
    num_member(out, "edp_gain_mcu", r->edp_gain_mcu);
    fprintf(out, ",\n     \"offchip_bytes\": %" PRIu64 ", \"link_bytes\": %" PRIu64
                 ", \"sim_events\": %" PRIu64 ", \"functional\": %s, \"check_run\": %s"
                 ", \"check_passed\": %s",
            s->offchip_bytes, s->link_bytes, s->sim_events, s->functional ? "true" : "false",
            s->check_run ? "true" : "false", s->check_passed ? "true" : "false");
    num_member(out, "clock_hz", s->clock_hz);
    write_totals(out, r);
    fputs(",\n     \"per_chip\": [", out);
    for (uint32_t k = 0; s->per_chip && k < s->chips; k++) {
        fputs(k ? ",\n" : "\n", out);
        report_write_chip_json(out, &s->per_chip[k], "       ");
    }
    fputs("]}", out);
}

int report_write_summary_json(FILE *out, const experiment *e, const report_row *rows, size_t n,
                              const report_provenance *prov)
{
    fputs("{\n  \"experiment\": ", out);
    json_write_string(out, e->name);
    fputs(",\n  \"description\": ", out);
    json_write_string(out, e->description);
    report_provenance_json(out, prov, n);
    fputs(",\n  \"components\": [", out);
    for (int c = 0; c < COMP__COUNT; c++) {
        fprintf(out, "%s\n    {\"name\": \"%s\", \"energy\": %s, \"time\": %s, \"on_mcu\": %s, "
                     "\"doc\": ",
                c ? "," : "", component_name((component)c),
                component_has_energy((component)c) ? "true" : "false",
                component_has_time((component)c) ? "true" : "false",
                component_on_mcu((component)c) ? "true" : "false");
        json_write_string(out, component_doc((component)c));
        fputc('}', out);
    }
    fputs("],\n  \"rows\": [\n", out);
    for (size_t i = 0; i < n; i++) {
        write_row(out, &rows[i]);
        fputs(i + 1 < n ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
    return ferror(out) ? -1 : 0;
}
