/* run_stats <-> JSON. The layout is the point file of a sweep and the row
 * of summary.json; every field round-trips (doubles printed with %.17g). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"

/* Time maps list the components that have time, energy maps those that
 * have energy (node.h); the others are 0 by definition and left out. */
typedef bool (*comp_view)(component c);

static void write_comp_u64(FILE *out, const uint64_t *v, comp_view in)
{
    fputc('{', out);
    for (int c = 0, n = 0; c < COMP__COUNT; c++)
        if (in((component)c))
            fprintf(out, "%s\"%s\": %" PRIu64, n++ ? ", " : "", component_name((component)c), v[c]);
    fputc('}', out);
}

static void write_comp_double(FILE *out, const double *v, comp_view in)
{
    fputc('{', out);
    for (int c = 0, n = 0; c < COMP__COUNT; c++) {
        if (!in((component)c)) continue;
        fprintf(out, "%s\"%s\": ", n++ ? ", " : "", component_name((component)c));
        json_write_double(out, v[c]);
    }
    fputc('}', out);
}

static void write_placement(FILE *out, const placement_report *p)
{
    fprintf(out,
            "{\"weight_bytes\": %" PRIu64 ", \"kv_bytes\": %" PRIu64
            ", \"activation_peak_bytes\": %" PRIu64 ", \"l2_capacity\": %" PRIu64
            ", \"l2_used\": %" PRIu64 ", \"wmem_capacity\": %" PRIu64
            ", \"wmem_used\": %" PRIu64 ", \"weights_on_chip\": %s"
            ", \"streamed_bytes_per_inference\": %" PRIu64
            ", \"spilled_activation_bytes\": %" PRIu64
            ", \"spilled_activation_buffers\": %" PRIu32
            ", \"activation_demand_bytes\": %" PRIu64 "}",
            p->weight_bytes, p->kv_bytes, p->activation_peak_bytes, p->l2_capacity, p->l2_used,
            p->wmem_capacity, p->wmem_used, p->weights_on_chip ? "true" : "false",
            p->streamed_bytes_per_inference, p->spilled_activation_bytes,
            p->spilled_activation_buffers, p->activation_demand_bytes);
}

/* Shared with the summary.json writer: one chip's breakdown object. */
void report_write_chip_json(FILE *out, const chip_stats *c, const char *indent)
{
    fprintf(out, "%s{\"busy_cycles\": ", indent);
    write_comp_u64(out, c->busy_cycles, component_has_time);
    fprintf(out, ",\n%s \"time_cycles\": ", indent);
    write_comp_u64(out, c->time_cycles, component_has_time);
    fprintf(out, ",\n%s \"energy_j\": ", indent);
    write_comp_double(out, c->energy_j, component_has_energy);
    fprintf(out, ",\n%s \"leakage_j\": ", indent);
    write_comp_double(out, c->leakage_j, component_has_energy);
    fprintf(out, ",\n%s \"offchip_bytes\": %" PRIu64 ", \"link_bytes_sent\": %" PRIu64
                 ", \"link_wire_bytes_sent\": %" PRIu64 ", \"finish_s\": ",
            indent, c->offchip_bytes, c->link_bytes_sent, c->link_wire_bytes_sent);
    json_write_double(out, c->finish_s);
    fprintf(out, ",\n%s \"placement\": ", indent);
    write_placement(out, &c->placement);
    fputc('}', out);
}

static void write_field_str(FILE *out, const char *key, const char *v)
{
    fprintf(out, "  \"%s\": ", key);
    json_write_string(out, v);
    fputs(",\n", out);
}

static void write_field_double(FILE *out, const char *key, double v)
{
    fprintf(out, "  \"%s\": ", key);
    json_write_double(out, v);
    fputs(",\n", out);
}

/* Only stamped results carry it; a plain run's JSON stays as it was. */
static void write_stamp(FILE *out, const point_stamp *t)
{
    if (!t->config_sha256[0]) return;
    fputs("  \"stamp\": {\"id\": ", out);
    json_write_string(out, t->id);
    fputs(", \"config_sha256\": ", out);
    json_write_string(out, t->config_sha256);
    fputs(", \"mcusim_version\": ", out);
    json_write_string(out, t->version);
    fputs(", \"mode\": ", out);
    json_write_string(out, t->mode);
    fputs("},\n", out);
}

int run_stats_write_json(FILE *out, const run_stats *s)
{
    fputs("{\n", out);
    write_stamp(out, &s->stamp);
    write_field_str(out, "experiment", s->experiment);
    write_field_str(out, "model", s->model);
    write_field_str(out, "mode", s->mode);
    write_field_str(out, "scope", s->scope);
    write_field_str(out, "sweep", s->sweep);
    fprintf(out, "  \"grid_index\": %" PRIu32 ",\n", s->grid_index);
    fprintf(out, "  \"chips\": %" PRIu32 ",\n", s->chips);
    write_field_double(out, "clock_hz", s->clock_hz);
    fprintf(out, "  \"cycles\": %" PRIu64 ",\n", s->cycles);
    write_field_double(out, "latency_s", s->latency_s);
    write_field_double(out, "energy_j", s->energy_j);
    fprintf(out, "  \"offchip_bytes\": %" PRIu64 ",\n", s->offchip_bytes);
    fprintf(out, "  \"link_bytes\": %" PRIu64 ",\n", s->link_bytes);
    fprintf(out, "  \"sim_events\": %" PRIu64 ",\n", s->sim_events);
    write_field_double(out, "wall_s", s->wall_s);
    fprintf(out, "  \"functional\": %s,\n", s->functional ? "true" : "false");
    fprintf(out, "  \"check_run\": %s,\n", s->check_run ? "true" : "false");
    fprintf(out, "  \"check_passed\": %s,\n", s->check_passed ? "true" : "false");
    fputs("  \"per_chip\": [", out);
    for (uint32_t i = 0; s->per_chip && i < s->chips; i++) {
        fputs(i ? ",\n" : "\n", out);
        report_write_chip_json(out, &s->per_chip[i], "    ");
    }
    fputs("\n  ]\n}\n", out);
    return ferror(out) ? -1 : 0;
}

static int read_comp_u64(const json_value *o, const char *key, uint64_t *v, comp_view in,
                         char *err, size_t el)
{
    const json_value *m = json_get(o, key);
    if (!m || m->type != JSON_OBJECT) { snprintf(err, el, "missing object '%s'", key); return -1; }
    for (int c = 0; c < COMP__COUNT; c++)
        if (in((component)c) && json_get_u64(m, component_name((component)c), &v[c], err, el))
            return -1;
    return 0;
}

static int read_comp_double(const json_value *o, const char *key, double *v, comp_view in,
                            char *err, size_t el)
{
    const json_value *m = json_get(o, key);
    if (!m || m->type != JSON_OBJECT) { snprintf(err, el, "missing object '%s'", key); return -1; }
    for (int c = 0; c < COMP__COUNT; c++)
        if (in((component)c) && json_get_double(m, component_name((component)c), &v[c], err, el))
            return -1;
    return 0;
}

static int read_u32(const json_value *o, const char *key, uint32_t *out, char *err, size_t el)
{
    uint64_t v;
    if (json_get_u64(o, key, &v, err, el)) return -1;
    if (v > UINT32_MAX) { snprintf(err, el, "member '%s' out of range", key); return -1; }
    *out = (uint32_t)v;
    return 0;
}

static int read_placement(const json_value *o, placement_report *p, char *err, size_t el)
{
    if (!o || o->type != JSON_OBJECT) { snprintf(err, el, "missing object 'placement'"); return -1; }
    return json_get_u64(o, "weight_bytes", &p->weight_bytes, err, el) ||
                   json_get_u64(o, "kv_bytes", &p->kv_bytes, err, el) ||
                   json_get_u64(o, "activation_peak_bytes", &p->activation_peak_bytes, err, el) ||
                   json_get_u64(o, "l2_capacity", &p->l2_capacity, err, el) ||
                   json_get_u64(o, "l2_used", &p->l2_used, err, el) ||
                   json_get_u64(o, "wmem_capacity", &p->wmem_capacity, err, el) ||
                   json_get_u64(o, "wmem_used", &p->wmem_used, err, el) ||
                   json_get_bool(o, "weights_on_chip", &p->weights_on_chip, err, el) ||
                   json_get_u64(o, "streamed_bytes_per_inference",
                                &p->streamed_bytes_per_inference, err, el) ||
                   json_get_u64(o, "spilled_activation_bytes", &p->spilled_activation_bytes,
                                err, el) ||
                   read_u32(o, "spilled_activation_buffers", &p->spilled_activation_buffers,
                            err, el) ||
                   json_get_u64(o, "activation_demand_bytes", &p->activation_demand_bytes,
                                err, el)
               ? -1
               : 0;
}

static int read_chip(const json_value *o, chip_stats *c, char *err, size_t el)
{
    if (o->type != JSON_OBJECT) { snprintf(err, el, "per_chip entry is not an object"); return -1; }
    /* time_cycles is required like every other member: a point file from
     * before it existed fails with "missing object 'time_cycles'" (re-run
     * that point) rather than reporting a breakdown of zeros. */
    return read_comp_u64(o, "busy_cycles", c->busy_cycles, component_has_time, err, el) ||
                   read_comp_u64(o, "time_cycles", c->time_cycles, component_has_time, err, el) ||
                   read_comp_double(o, "energy_j", c->energy_j, component_has_energy, err, el) ||
                   read_comp_double(o, "leakage_j", c->leakage_j, component_has_energy, err, el) ||
                   json_get_u64(o, "offchip_bytes", &c->offchip_bytes, err, el) ||
                   json_get_u64(o, "link_bytes_sent", &c->link_bytes_sent, err, el) ||
                   json_get_u64(o, "link_wire_bytes_sent", &c->link_wire_bytes_sent, err, el) ||
                   json_get_double(o, "finish_s", &c->finish_s, err, el) ||
                   read_placement(json_get(o, "placement"), &c->placement, err, el)
               ? -1
               : 0;
}

static int read_top(const json_value *o, run_stats *s, char *err, size_t el)
{
    return json_get_string(o, "experiment", s->experiment, sizeof s->experiment, err, el) ||
                   json_get_string(o, "model", s->model, sizeof s->model, err, el) ||
                   json_get_string(o, "mode", s->mode, sizeof s->mode, err, el) ||
                   json_get_string(o, "scope", s->scope, sizeof s->scope, err, el) ||
                   json_get_string(o, "sweep", s->sweep, sizeof s->sweep, err, el) ||
                   read_u32(o, "grid_index", &s->grid_index, err, el) ||
                   read_u32(o, "chips", &s->chips, err, el) ||
                   json_get_double(o, "clock_hz", &s->clock_hz, err, el) ||
                   json_get_u64(o, "cycles", &s->cycles, err, el) ||
                   json_get_double(o, "latency_s", &s->latency_s, err, el) ||
                   json_get_double(o, "energy_j", &s->energy_j, err, el) ||
                   json_get_u64(o, "offchip_bytes", &s->offchip_bytes, err, el) ||
                   json_get_u64(o, "link_bytes", &s->link_bytes, err, el) ||
                   json_get_u64(o, "sim_events", &s->sim_events, err, el) ||
                   json_get_double(o, "wall_s", &s->wall_s, err, el) ||
                   json_get_bool(o, "functional", &s->functional, err, el) ||
                   json_get_bool(o, "check_run", &s->check_run, err, el) ||
                   json_get_bool(o, "check_passed", &s->check_passed, err, el)
               ? -1
               : 0;
}

/* Absent = unstamped (an older point file); present = all four strings. */
static int read_stamp(const json_value *doc, point_stamp *t, char *err, size_t el)
{
    const json_value *o = json_get(doc, "stamp");
    if (!o) return 0;
    if (o->type != JSON_OBJECT) { snprintf(err, el, "member 'stamp' is not an object"); return -1; }
    return json_get_string(o, "id", t->id, sizeof t->id, err, el) ||
                   json_get_string(o, "config_sha256", t->config_sha256, sizeof t->config_sha256, err, el) ||
                   json_get_string(o, "mcusim_version", t->version, sizeof t->version, err, el) ||
                   json_get_string(o, "mode", t->mode, sizeof t->mode, err, el)
               ? -1
               : 0;
}

int run_stats_read_json(const char *text, size_t len, run_stats *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    json_value *doc = json_parse(text, len, err, errlen);
    if (!doc) return -1;
    int rc = -1;
    if (doc->type != JSON_OBJECT) { snprintf(err, errlen, "run stats: not a JSON object"); goto done; }
    if (read_top(doc, out, err, errlen) || read_stamp(doc, &out->stamp, err, errlen)) goto done;
    const json_value *pc = json_get(doc, "per_chip");
    if (!pc || pc->type != JSON_ARRAY || pc->n != out->chips) {
        snprintf(err, errlen, "per_chip must be an array of %" PRIu32 " entries", out->chips);
        goto done;
    }
    out->per_chip = calloc(out->chips ? out->chips : 1, sizeof *out->per_chip);
    if (!out->per_chip) { snprintf(err, errlen, "out of memory"); goto done; }
    for (uint32_t i = 0; i < out->chips; i++)
        if (read_chip(&pc->items[i], &out->per_chip[i], err, errlen)) goto done;
    rc = 0;
done:
    if (rc) { free(out->per_chip); out->per_chip = NULL; }
    json_free(doc);
    return rc;
}
