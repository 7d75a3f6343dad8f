/* The table of statistics (see stat_fields.h). Its order is summary.csv's
 * column order: the contract columns of DESIGN.md first. */
#include "stat_fields.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "report_internal.h"

/* Where a field lives; the type and the rest follow as designated members. */
#define AT(lvl, type, m) .level = lvl, .offset = offsetof(type, m), .size = sizeof(((type *)0)->m)
#define RUN(m) AT(STAT_RUN, run_stats, m)
#define ROW(m) AT(STAT_ROW, report_row, m)
#define ROW_COMP(m) AT(STAT_ROW_COMP, report_row, m), .type = STAT_F64
#define CHIP(m) AT(STAT_CHIP, chip_stats, m)
#define CHIP_COMP(m) AT(STAT_CHIP_COMP, chip_stats, m)
#define PLACE_AT(m) \
    .offset = offsetof(chip_stats, placement) + offsetof(placement_report, m), \
    .size = sizeof(((placement_report *)0)->m), .group = "placement"
#define PLACE(m) .level = STAT_CHIP, PLACE_AT(m)
#define PLACE_LEVEL(m) .level = STAT_CHIP_LEVEL, PLACE_AT(m), .type = STAT_U64

/* summary.csv says pass/FAIL, summary.md bit-exact/MISMATCH; nothing when
 * --check did not run. */
static void check_text(const report_row *r, stat_out o, char *buf, size_t cap)
{
    const run_stats *s = r->s;
    bool md = o == OUT_MD;
    snprintf(buf, cap, "%s", !s->check_run ? (md ? "–" : "")
                             : s->check_passed ? (md ? "bit-exact" : "pass")
                                               : (md ? "**MISMATCH**" : "FAIL"));
}

/* summary.md marks the rows without assignments as the base point. */
static void sweep_text(const report_row *r, stat_out o, char *buf, size_t cap)
{
    if (o != OUT_MD) snprintf(buf, cap, "%s", r->s->sweep);
    else if (r->s->sweep[0]) snprintf(buf, cap, "`%s`", r->s->sweep);
    else snprintf(buf, cap, "(base)");
}

static const char one_run[] = "the run";
static const char base_ratio[] = "the 1-chip row's over this row's (same sweep point)";
static const char one_chip[] = "one chip";

#define POINT_JSON (OUT_POINT | OUT_JSON)

static const stat_field fields[] = {
    {"experiment", NULL, "", "text", one_run, "experiment name (its results folder)",
     RUN(experiment), .type = STAT_STR},
    {"model", NULL, "", "text", one_run, "workload model (workload.model)", RUN(model), .type = STAT_STR},
    {"mode", NULL, "", "text", one_run, "autoregressive or prompt", RUN(mode), .type = STAT_STR},
    {"chips", NULL, "", "count", one_run, "chips the model is split over", RUN(chips),
     .type = STAT_U32, .md_col = 1, .md = "chips"},
    {"cycles", NULL, "cycles", "cycles", "the run: makespan",
     "makespan in node clock cycles (chip 0's node; every in-flight inference; with in_flight "
     "1 the latency rounded to a whole cycle)", RUN(cycles), .type = STAT_U64},
    {"latency_ms", NULL, "ms", "time", "the run: the first inference's end on any chip",
     "time of one inference: from the start to the end of its last op on any chip (the first "
     "of in_flight; with in_flight 1 the makespan of all chips)", ROW(latency_ms),
     .type = STAT_F64, .md_col = 5, .md = "latency (ms)"},
    {"energy_mj", NULL, "mJ", "energy", "sum over chips and components, / in_flight",
     "energy of one inference, all chips and components (static included); with several in "
     "flight the run's energy divided by in_flight", ROW(energy_mj), .type = STAT_F64,
     .md_col = 7, .md = "energy (mJ)"},
    {"edp_mj_ms", NULL, "mJ*ms", "energy x time", "energy_mj x latency_ms",
     "energy-delay product, energy_mj * latency_ms", ROW(edp_mj_ms), .type = STAT_F64, .md_col = 8,
     .md = "EDP (mJ·ms)"},
    {"speedup", NULL, "x", "ratio", base_ratio, "latency of the 1-chip run over this run's",
     ROW(speedup), .type = STAT_F64, .md_col = 9, .md = "speedup"},
    {"edp_gain", NULL, "x", "ratio", base_ratio, "EDP of the 1-chip run over this run's",
     ROW(edp_gain), .type = STAT_F64, .md_col = 10, .md = "EDP gain"},
    {"offchip_bytes", NULL, "B", "bytes", "sum over chips, / in_flight",
     "off-chip memory traffic of one inference: bytes at the node's off-chip level (HyperRAM "
     "on the shipped nodes), summed over chips (the run's / in_flight, rounded down)",
     ROW(offchip_bytes), .type = STAT_U64, .md_col = 13, .md = "off-chip (B)"},
    {"link_bytes", NULL, "B", "bytes", "sum over chips, / in_flight",
     "payload bytes over all chip-to-chip links of one inference, summed over the sending "
     "chips: payload, not wire bytes (a link model may add headers, framing or line coding: "
     "link_wire_bytes_sent per chip; the run's / in_flight, rounded down)", ROW(link_bytes),
     .type = STAT_U64, .md_col = 14, .md = "link (B)"},
    {"scope", NULL, "", "text", one_run,
     "what one inference covers (blocks simulated, LM head or not)", RUN(scope), .type = STAT_STR,
     .md_col = 3, .md = "scope", .md_when = MD_IF_DIFFERENT},
    {"sweep", NULL, "", "text", one_run,
     "the point's --sweep assignments (key.path=value;...), empty for the base point",
     RUN(sweep), .type = STAT_STR, .md_col = 2, .md = "sweep", .md_when = MD_IF_ANY,
     .text = sweep_text},
    /* the sweep column names the grid point already */
    {"grid_index", NULL, "", "count", one_run,
     "index of the point's combination in the sweep grid (rows sort by it, then chips)",
     RUN(grid_index), .type = STAT_U32, .only = POINT_JSON},
    {"functional", NULL, "", "flag", one_run, "the real arithmetic ran (not --timing-only)",
     RUN(functional), .type = STAT_BOOL, .only = POINT_JSON | OUT_CSV},
    /* check_run and check_passed in one readable column */
    {"check", NULL, "", "text", one_run, "--check: pass, FAIL, or empty when it did not run",
     ROW(s), .type = STAT_TEXT, .only = OUT_CSV | OUT_MD, .md_col = 15, .md = "check",
     .text = check_text},
    {"check_run", NULL, "", "flag", one_run, "the output was compared with a 1-chip run",
     RUN(check_run), .type = STAT_BOOL, .only = POINT_JSON},
    {"check_passed", NULL, "", "flag", one_run, "... and matched it bit for bit",
     RUN(check_passed), .type = STAT_BOOL, .only = POINT_JSON},
    {"sim_events", NULL, "", "count", one_run,
     "SystemC waits and transactions of the run (the simulator's speed)", RUN(sim_events),
     .type = STAT_U64, .only = POINT_JSON | OUT_CSV},
    {"energy_mcu_mj", NULL, "mJ", "energy", "sum over chips and their on-MCU components",
     "energy of one inference on the MCUs and their link PHYs, without the off-chip memory "
     "devices (per inference as energy_mj)", ROW(energy_mcu_mj), .type = STAT_F64, .md_col = 11,
     .md = "energy MCUs (mJ)"},
    {"edp_mcu_mj_ms", NULL, "mJ*ms", "energy x time", "energy_mcu_mj x latency_ms",
     "energy_mcu_mj * latency_ms", ROW(edp_mcu_mj_ms), .type = STAT_F64},
    {"edp_gain_mcu", NULL, "x", "ratio", base_ratio,
     "edp_mcu_mj_ms of the 1-chip run over this run's", ROW(edp_gain_mcu), .type = STAT_F64,
     .md_col = 12, .md = "EDP gain MCUs"},
    /* raw figures the summaries show in other units, and the host's time */
    {"clock_hz", NULL, "Hz", "frequency", one_run,
     "chip 0's clock (every chip's when they share a node): what every cycle figure of the "
     "run counts",
     RUN(clock_hz), .type = STAT_F64, .only = POINT_JSON},
    {"latency_s", NULL, "s", "time", "the run: makespan of all chips",
     "the run's makespan in seconds (makespan_ms; latency_ms with in_flight 1)", RUN(latency_s),
     .type = STAT_F64, .only = OUT_POINT},
    {"energy_j", NULL, "J", "energy", "sum over chips and components",
     "the run's energy in joules (energy_mj x in_flight)", RUN(energy_j), .type = STAT_F64,
     .only = OUT_POINT},
    {"offchip_bytes", NULL, "B", "bytes", "sum over chips",
     "the run's off-chip memory traffic (every in-flight inference)", RUN(offchip_bytes),
     .type = STAT_U64, .only = OUT_POINT},
    {"link_bytes", NULL, "B", "bytes", "sum over chips",
     "the run's payload bytes over all chip-to-chip links", RUN(link_bytes), .type = STAT_U64,
     .only = OUT_POINT},
    {"first_done_s", NULL, "s", "time", "the run: the first inference's end on any chip",
     "latency_ms in seconds: when the first in-flight inference completed", RUN(first_done_s),
     .type = STAT_F64, .only = OUT_POINT},
    /* not in a summary: two runs of one sweep give the same bytes */
    {"wall_s", NULL, "s", "time", one_run, "host time the point took", RUN(wall_s), .type = STAT_F64,
     .only = OUT_POINT},

    /* per component, over the components the node declares (summary.json
     * has their list with views and docs) */
    {"energy_mj_by_component", "energy_%s_mj", "mJ", "energy", "sum over chips",
     "energy of each component (components with an energy view); `leakage` is the static "
     "power of the chips over the whole run, an energy, not the `wait` time",
     ROW_COMP(comp_energy_mj),
     .view = STAT_VIEW_ENERGY},
    /* the leakage split is summary.json's only: the leakage column has its sum */
    {"leakage_mj_by_component", NULL, "mJ", "energy", "sum over chips",
     "the leakage component's energy, split per component", ROW_COMP(comp_leakage_mj),
     .view = STAT_VIEW_ENERGY, .only = OUT_JSON},
    {"busy_ms_by_component", "busy_%s_ms", "ms", "time", "mean over chips",
     "busy time of each component (with a time view): activity, which overlaps inside an op",
     ROW_COMP(comp_busy_ms), .view = STAT_VIEW_TIME},
    {"time_ms_by_component", "time_%s_ms", "ms", "time", "mean over chips",
     "critical-path time of each component (with a time view): what bounded the run; adds "
     "up to latency_ms; `wait` is time spent waiting on peers or a busy link, a time, not an "
     "energy (a waiting chip still draws its leakage and always-on power)",
     ROW_COMP(comp_time_ms), .view = STAT_VIEW_TIME},

    /* several inferences in flight (workload.in_flight): the run's pace */
    {"in_flight", NULL, "", "count", one_run,
     "inferences in the system at once (workload.in_flight), entering back to back: "
     "independent sequences (autoregressive) or prompts", RUN(in_flight), .type = STAT_U32,
     .md_col = 4, .md = "in flight", .md_when = MD_IF_IN_FLIGHT},
    {"tokens_per_inference", NULL, "", "count", one_run,
     "tokens one inference computes: 1 (autoregressive) or seq_len (prompt)",
     RUN(tokens_per_inference), .type = STAT_U64, .only = POINT_JSON},
    {"makespan_ms", NULL, "ms", "time", "the run: makespan of all chips",
     "time until every in-flight inference completed (latency_ms with in_flight 1)",
     ROW(makespan_ms), .type = STAT_F64},
    {"tokens_per_s", NULL, "1/s", "rate", "tokens_per_inference x in-flight completion rate",
     "steady-state throughput: tokens_per_inference x min((in_flight - 1) / (makespan - "
     "latency), in_flight / latency), the rate at which inferences complete once the system "
     "is full, capped by what in_flight independent inferences of this latency can sustain; "
     "with in_flight 1, tokens_per_inference / latency", ROW(tokens_per_s), .type = STAT_F64,
     .md_col = 6, .md = "tokens/s", .md_when = MD_IF_IN_FLIGHT},

    /* per chip */
    {"busy_cycles", NULL, "cycles", "cycles", one_chip,
     "busy cycles per component (time view): activity, overlaps inside an op",
     CHIP_COMP(busy_cycles), .type = STAT_U64, .view = STAT_VIEW_TIME, .only = POINT_JSON},
    {"time_cycles", NULL, "cycles", "cycles", one_chip,
     "critical-path cycles per component (time view); add up to cycles",
     CHIP_COMP(time_cycles), .type = STAT_U64, .view = STAT_VIEW_TIME, .only = POINT_JSON},
    {"energy_j", NULL, "J", "energy", one_chip, "energy per component (energy view)",
     CHIP_COMP(energy_j), .type = STAT_F64, .view = STAT_VIEW_ENERGY, .only = POINT_JSON},
    {"leakage_j", NULL, "J", "energy", one_chip,
     "the leakage component's energy split per component (energy view)",
     CHIP_COMP(leakage_j), .type = STAT_F64, .view = STAT_VIEW_ENERGY, .only = POINT_JSON},
    {"offchip_bytes", NULL, "B", "bytes", one_chip,
     "the chip's off-chip memory traffic (bytes at its node's off-chip level)",
     CHIP(offchip_bytes), .type = STAT_U64, .run = "offchip B"},
    {"link_bytes_sent", NULL, "B", "bytes", one_chip,
     "payload bytes the chip sent (not what went on the wire)",
     CHIP(link_bytes_sent), .type = STAT_U64, .run = "link out B"},
    {"link_wire_bytes_sent", NULL, "B", "bytes", one_chip,
     "bytes the chip put on the wire (headers and encoding included)",
     CHIP(link_wire_bytes_sent), .type = STAT_U64, .run = "wire out B"},
    {"finish_s", NULL, "s", "time", one_chip, "when the chip's program ended", CHIP(finish_s),
     .type = STAT_F64, .run = "finish s"},
    /* `mcusim run` shows these two only when the chips differ */
    {"node", NULL, "", "text", one_chip,
     "the chip's node: its name (system.node, or the system.chips entry naming the chip)",
     CHIP(node), .type = STAT_STR, .run = "node", .md_when = MD_IF_DIFFERENT},
    {"clock_hz", NULL, "Hz", "frequency", one_chip,
     "the chip's clock (its node's; its op cycles count it, the run's cycles chip 0's)",
     CHIP(clock_hz), .type = STAT_F64, .run = "clock Hz", .md_when = MD_IF_DIFFERENT},
    {"weight_bytes", NULL, "B", "bytes", one_chip, "the chip's share of the weights",
     PLACE(weight_bytes), .type = STAT_U64, .run = "weights B"},
    {"kv_bytes", NULL, "B", "bytes", one_chip, "the chip's KV cache", PLACE(kv_bytes),
     .type = STAT_U64, .run = "KV B"},
    {"activation_peak_bytes", NULL, "B", "bytes", one_chip,
     "largest live activation set with staging buffers", PLACE(activation_peak_bytes),
     .type = STAT_U64, .only = POINT_JSON},
    {"capacity", NULL, "B", "bytes", one_chip,
     "bytes of each memory level buffers can be homed in, the off-chip memory included (0: no home, a scratch memory)",
     PLACE_LEVEL(capacity), .only = POINT_JSON},
    {"used", NULL, "B", "bytes", one_chip, "bytes of each memory level the placement uses",
     PLACE_LEVEL(used), .run = "used"},
    {"weights_on_chip", NULL, "", "flag", one_chip, "no weight is homed off chip",
     PLACE(weights_on_chip), .type = STAT_BOOL, .run = "weights on chip"},
    {"streamed_bytes_per_inference", NULL, "B", "bytes", one_chip,
     "off-chip traffic the placement implies (weights, KV cache, spilled activations)",
     PLACE(streamed_bytes_per_inference), .type = STAT_U64, .only = POINT_JSON},
    {"spilled_activation_bytes", NULL, "B", "bytes", one_chip,
     "transient buffers homed off chip because the live set did not fit",
     PLACE(spilled_activation_bytes), .type = STAT_U64, .run = "spilled B"},
    {"spilled_activation_buffers", NULL, "", "count", one_chip, "how many buffers spilled",
     PLACE(spilled_activation_buffers), .type = STAT_U32, .only = POINT_JSON},
    {"activation_demand_bytes", NULL, "B", "bytes", one_chip,
     "the live activation peak before spilling", PLACE(activation_demand_bytes), .type = STAT_U64,
     .only = POINT_JSON},
};

const stat_field *stat_fields(size_t *n)
{
    *n = sizeof fields / sizeof fields[0];
    return fields;
}

const stat_field *stat_field_find(const char *key)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].key, key) == 0 && fields[i].level <= STAT_ROW_COMP) return &fields[i];
    return NULL;
}

static unsigned level_outputs(stat_level l)
{
    switch (l) {
    case STAT_RUN: return OUT_POINT | OUT_CSV | OUT_JSON | OUT_MD;
    case STAT_ROW:
    case STAT_ROW_COMP: return OUT_CSV | OUT_JSON | OUT_MD;
    case STAT_CHIP:
    case STAT_CHIP_COMP:
    case STAT_CHIP_LEVEL: return OUT_POINT | OUT_JSON | OUT_RUN;
    }
    return 0;
}

bool stat_field_in(const stat_field *f, stat_out o)
{
    if (!(level_outputs(f->level) & o)) return false;
    if (f->only && !(f->only & o)) return false;
    /* a column needs its place and header; a per-component column its pattern */
    if (o == OUT_MD) return f->md_col > 0 && f->md;
    if (o == OUT_CSV && f->level == STAT_ROW_COMP) return f->csv != NULL;
    if (o == OUT_RUN && f->level >= STAT_CHIP) return f->run != NULL;
    return true;
}

bool stat_field_component_has(const stat_field *f, const component_decl *c)
{
    return f->view == STAT_VIEW_ENERGY ? c->energy : f->view == STAT_VIEW_TIME ? c->time : true;
}

static const char *level_name(stat_level l)
{
    switch (l) {
    case STAT_RUN: return "run";
    case STAT_ROW: return "row (derived)";
    case STAT_ROW_COMP: return "row, per component";
    case STAT_CHIP: return "chip";
    case STAT_CHIP_COMP: return "chip, per component";
    case STAT_CHIP_LEVEL: return "chip, per memory level";
    }
    return "?";
}

void stat_fields_markdown(FILE *out)
{
    static const struct { stat_out o; const char *name; } outs[] = {
        {OUT_CSV, "csv"}, {OUT_JSON, "json"}, {OUT_MD, "md"}, {OUT_POINT, "point"},
        {OUT_RUN, "run"}};
    fputs("| field | unit | dimension | of | aggregation | in | meaning |\n", out);
    fputs("|---|---|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const stat_field *f = &fields[i];
        char key[128];
        if (f->level == STAT_ROW_COMP && f->csv) {
            char pattern[64];
            snprintf(pattern, sizeof pattern, f->csv, "<c>");
            snprintf(key, sizeof key, "`%s` (`%s`)", pattern, f->key);
        } else if (f->group) {
            snprintf(key, sizeof key, "`%s.%s`", f->group, f->key);
        } else {
            snprintf(key, sizeof key, "`%s`", f->key);
        }
        fprintf(out, "| %s | %s | %s | %s | %s | ", key, f->unit[0] ? f->unit : "–", f->dimension,
                level_name(f->level), f->aggregation);
        for (size_t k = 0, n = 0; k < sizeof outs / sizeof outs[0]; k++)
            if (stat_field_in(f, outs[k].o)) fprintf(out, "%s%s", n++ ? ", " : "", outs[k].name);
        fprintf(out, " | %s |\n", f->doc);
    }
}

static const void *row_base(const stat_field *f, const report_row *r)
{
    return f->level == STAT_RUN ? (const void *)r->s : (const void *)r;
}

void stat_cell_text(const stat_field *f, const report_row *r, stat_out o, char *buf, size_t cap)
{
    if (f->text) {
        f->text(r, o, buf, cap);
        return;
    }
    const void *p = (const char *)row_base(f, r) + f->offset;
    switch (f->type) {
    case STAT_STR: snprintf(buf, cap, "%s", (const char *)p); return;
    case STAT_U32: snprintf(buf, cap, "%" PRIu32, *(const uint32_t *)p); return;
    case STAT_U64: snprintf(buf, cap, "%" PRIu64, *(const uint64_t *)p); return;
    case STAT_F64: {
        double v = *(const double *)p;
        if (o == OUT_MD) report_fmt_num(buf, cap, v);
        else if (isnan(v)) buf[0] = '\0';
        else snprintf(buf, cap, "%.9g", v);
        if (o == OUT_MD && !buf[0]) snprintf(buf, cap, "–");
        return;
    }
    case STAT_BOOL:
        snprintf(buf, cap, "%s", *(const bool *)p ? (o == OUT_MD ? "yes" : "1")
                                                  : (o == OUT_MD ? "no" : "0"));
        return;
    case STAT_TEXT: buf[0] = '\0'; return;
    }
}

const void *stat_row_field(const stat_field *f, const report_row *r)
{
    return (const char *)row_base(f, r) + f->offset;
}
