/* Per-chip figures of a system whose chips differ (system.chips: another
 * node, another clock or memory): chips.csv, a line per chip of every such
 * point, and summary.md's "Per chip" tables, consecutive chips alike
 * grouped, with the straggler (the chip that ends last, so the makespan's)
 * named. A system of one node has neither: its chips' figures are in
 * summary.json and the point files. The columns are the table below, which
 * also documents the file (README, the folder index). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "report_internal.h"
#include "../experiment/sweep_plan.h"

static const report_column_doc columns[] = {
    {"point", "", "the point (its file points/<point>.json): c0064, or g002-c0064 in a sweep grid"},
    {"sweep", "", "the point's --sweep assignments, empty for the base point"},
    {"chips", "", "chips of the point"},
    {"chip", "", "the chip (0 is the root)"},
    {"node", "", "its node's name (system.node, or the system.chips entry naming the chip)"},
    {"clock_hz", "Hz", "its node's clock (its op cycles count it)"},
    {"finish_ms", "ms", "when its program ended (the latest is the latency)"},
    {"busy_ms", "ms", "its critical path outside waits: latency_ms - wait_ms"},
    {"wait_ms", "ms", "its critical-path wait: on peers or a busy link, and after it ended while "
                      "others ran"},
    {"straggler", "", "1 for the chip that ends last (the lowest on a tie), else 0"},
    {"time_<c>_ms", "ms", "its critical-path time per component with a time view (adds up to "
                          "latency_ms)"},
    {"busy_<c>_ms", "ms", "its busy time per component with a time view (activity, overlaps "
                          "inside an op)"},
    {"energy_mj", "mJ", "its energy, all components, static included"},
    {"energy_<c>_mj", "mJ", "its energy per component with an energy view"},
    {"weight_bytes", "B", "its share of the weights"},
    {"kv_bytes", "B", "its KV cache"},
    {"weights_on_chip", "", "1 when no weight of it is homed off chip"},
    {"offchip_bytes", "B", "its off-chip memory traffic"},
    {"link_bytes_sent", "B", "payload bytes it sent"},
};

void report_chips_columns_md(FILE *out)
{
    report_column_docs_md(out, columns, sizeof columns / sizeof columns[0]);
}

/* Chips a and b of s have the same node: name, clock and memories. */
static bool alike(const run_stats *s, uint32_t a, uint32_t b)
{
    const chip_stats *x = &s->per_chip[a], *y = &s->per_chip[b];
    return !strcmp(x->node, y->node) && x->clock_hz == y->clock_hz &&
           !memcmp(x->placement.capacity, y->placement.capacity, sizeof x->placement.capacity);
}

bool report_chips_differ(const run_stats *s)
{
    for (uint32_t c = 1; s->per_chip && c < s->chips; c++)
        if (!alike(s, 0, c)) return true;
    return false;
}

bool report_table_has_chips(const report_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (report_chips_differ(t->rows[i].s)) return true;
    return false;
}

/* The chip that ends last; the lowest on a tie. */
static uint32_t straggler(const run_stats *s)
{
    uint32_t last = 0;
    for (uint32_t c = 1; c < s->chips; c++)
        if (s->per_chip[c].finish_s > s->per_chip[last].finish_s) last = c;
    return last;
}

/* Critical-path cycles as ms: each its share of the cycles times the
 * latency, as summary.csv's time columns (they add up to latency_ms). */
static double path_ms(const run_stats *s, uint64_t cycles)
{
    if (!s->cycles) return 0;
    return (double)cycles / (double)s->cycles * s->latency_s * 1e3;
}

static double wait_ms(const run_stats *s, uint32_t c)
{
    uint32_t w = s->components.system[SYSTEM_WAIT];
    return w < s->components.n ? path_ms(s, s->per_chip[c].time_cycles[w]) : 0;
}

static double chip_energy(const run_stats *s, uint32_t c)
{
    double e = 0;
    for (uint32_t k = 0; k < s->components.n; k++) e += s->per_chip[c].energy_j[k];
    return e;
}

static void write_chip_row(FILE *out, const run_stats *s, const char *point, uint32_t c,
                           uint32_t last, const component_set *u)
{
    const chip_stats *x = &s->per_chip[c];
    const component_set *cs = &s->components;
    fprintf(out, "%s,", point);
    csv_write_text(out, s->sweep);
    fprintf(out, ",%" PRIu32 ",%" PRIu32 ",", s->chips, c);
    csv_write_text(out, x->node);
    double wait = wait_ms(s, c);
    fprintf(out, ",%.9g,%.9g,%.9g,%.9g,%d", x->clock_hz, x->finish_s * 1e3,
            s->latency_s * 1e3 - wait, wait, c == last);
    for (int view = 0; view < 2; view++)
        for (uint32_t j = 0; j < u->n; j++) {
            if (!u->c[j].time) continue;
            int k = component_set_find(cs, u->c[j].name);
            if (k < 0 || !cs->c[k].time) {
                fputc(',', out);
                continue;
            }
            double ms = view == 0 ? path_ms(s, x->time_cycles[k])
                                  : (double)x->busy_cycles[k] / s->clock_hz * 1e3;
            fprintf(out, ",%.9g", ms);
        }
    fprintf(out, ",%.9g", chip_energy(s, c) * 1e3);
    for (uint32_t j = 0; j < u->n; j++) {
        if (!u->c[j].energy) continue;
        int k = component_set_find(cs, u->c[j].name);
        if (k >= 0 && cs->c[k].energy) fprintf(out, ",%.9g", x->energy_j[k] * 1e3);
        else fputc(',', out);
    }
    fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%d,%" PRIu64 ",%" PRIu64 "\n",
            x->placement.weight_bytes, x->placement.kv_bytes, x->placement.weights_on_chip,
            x->offchip_bytes, x->link_bytes_sent);
}

int report_write_chips_csv(FILE *out, const report_table *t)
{
    const component_set *u = &t->comps;
    fputs("point,sweep,chips,chip,node,clock_hz,finish_ms,busy_ms,wait_ms,straggler", out);
    for (uint32_t j = 0; j < u->n; j++)
        if (u->c[j].time) fprintf(out, ",time_%s_ms", u->c[j].name);
    for (uint32_t j = 0; j < u->n; j++)
        if (u->c[j].time) fprintf(out, ",busy_%s_ms", u->c[j].name);
    fputs(",energy_mj", out);
    for (uint32_t j = 0; j < u->n; j++)
        if (u->c[j].energy) fprintf(out, ",energy_%s_mj", u->c[j].name);
    fputs(",weight_bytes,kv_bytes,weights_on_chip,offchip_bytes,link_bytes_sent\n", out);
    for (size_t i = 0; i < t->n; i++) {
        const run_stats *s = t->rows[i].s;
        if (!report_chips_differ(s)) continue;
        char point[32];
        sweep_point_id(s->chips, s->grid_index, s->sweep[0] != '\0', point, sizeof point);
        uint32_t last = straggler(s);
        for (uint32_t c = 0; c < s->chips; c++) write_chip_row(out, s, point, c, last, u);
    }
    return ferror(out) ? -1 : 0;
}

static void num_cell(FILE *out, double v)
{
    char b[64];
    report_fmt_num(b, sizeof b, v);
    fprintf(out, " %s |", b[0] ? b : "–");
}

void report_chip_groups_md(FILE *out, const run_stats *s)
{
    uint32_t last = straggler(s);
    double others = 0;
    for (uint32_t c = 0; c < s->chips; c++)
        if (c != last) others += wait_ms(s, c);
    fputs("| chips | node | clock (MHz) | weights (B, mean) | finish (ms, latest) | busy (ms, "
          "mean) | wait (ms, mean) | energy (mJ, sum) |\n", out);
    fputs("|:---|:---|---:|---:|---:|---:|---:|---:|\n", out);
    for (uint32_t a = 0; a < s->chips;) {
        uint32_t b = a + 1;
        while (b < s->chips && alike(s, a, b)) b++;
        double weights = 0, finish = 0, wait = 0, energy = 0;
        for (uint32_t c = a; c < b; c++) {
            weights += (double)s->per_chip[c].placement.weight_bytes;
            if (s->per_chip[c].finish_s * 1e3 > finish) finish = s->per_chip[c].finish_s * 1e3;
            wait += wait_ms(s, c);
            energy += chip_energy(s, c) * 1e3;
        }
        double n = (double)(b - a), lat = s->latency_s * 1e3;
        if (b - a == 1) fprintf(out, "| %" PRIu32, a);
        else fprintf(out, "| %" PRIu32 "-%" PRIu32, a, b - 1);
        fprintf(out, "%s | %s |", last >= a && last < b ? " (straggler)" : "",
                s->per_chip[a].node);
        num_cell(out, s->per_chip[a].clock_hz / 1e6);
        num_cell(out, weights / n);
        num_cell(out, finish);
        num_cell(out, lat - wait / n);
        num_cell(out, wait / n);
        num_cell(out, energy);
        fputc('\n', out);
        a = b;
    }
    char fin[64], w[64];
    report_fmt_num(fin, sizeof fin, s->per_chip[last].finish_s * 1e3);
    report_fmt_num(w, sizeof w, s->chips > 1 ? others / (s->chips - 1) : 0);
    fprintf(out, "\nStraggler: chip %" PRIu32 " (%s, %.6g MHz) ends last, at %s ms; the other "
                 "chips wait %s ms on average (critical-path wait, the tail after their end "
                 "included).\n",
            last, s->per_chip[last].node, s->per_chip[last].clock_hz / 1e6, fin, w);
}

void report_chips_md(FILE *out, const report_table *t)
{
    if (!report_table_has_chips(t)) return;
    fputs("\n## Per chip\n\nThe chips of these points do not all have one node "
          "(system.chips): consecutive chips alike are grouped; busy is each chip's critical "
          "path outside waits, wait its waiting on peers or a busy link and after its end. "
          "Every chip: chips.csv.\n",
          out);
    for (size_t i = 0; i < t->n; i++) {
        const run_stats *s = t->rows[i].s;
        if (!report_chips_differ(s)) continue;
        char point[32];
        sweep_point_id(s->chips, s->grid_index, s->sweep[0] != '\0', point, sizeof point);
        fprintf(out, "\n### %s: %" PRIu32 " chips%s%s%s\n\n", point, s->chips,
                s->sweep[0] ? " (`" : "", s->sweep, s->sweep[0] ? "`)" : "");
        report_chip_groups_md(out, s);
    }
}
