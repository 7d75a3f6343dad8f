/* Sorting the points of an experiment and deriving the contract figures:
 * speedup and EDP gain are relative to the 1-chip row of the same group. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static int row_cmp(const void *a, const void *b)
{
    const run_stats *x = ((const report_row *)a)->s, *y = ((const report_row *)b)->s;
    int c = strcmp(x->experiment, y->experiment);
    if (c) return c;
    if (x->grid_index != y->grid_index) return x->grid_index < y->grid_index ? -1 : 1;
    if (x->chips != y->chips) return x->chips < y->chips ? -1 : 1;
    return strcmp(x->sweep, y->sweep);
}

static int same_group(const run_stats *a, const run_stats *b)
{
    return strcmp(a->experiment, b->experiment) == 0 && a->grid_index == b->grid_index;
}

size_t report_group_end(const report_row *rows, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && same_group(rows[i].s, rows[j].s)) j++;
    return j;
}

static void derive(report_row *r)
{
    const run_stats *s = r->s;
    r->latency_ms = s->latency_s * 1e3;
    r->energy_mj = s->energy_j * 1e3;
    r->edp_mj_ms = r->energy_mj * r->latency_ms;
    r->speedup = r->edp_gain = r->edp_gain_mcu = NAN;
    r->energy_mcu_mj = 0;
    for (int c = 0; c < COMP__COUNT; c++) {
        double e = 0, leak = 0, busy = 0, time = 0;
        for (uint32_t k = 0; s->per_chip && k < s->chips; k++) {
            e += s->per_chip[k].energy_j[c];
            leak += s->per_chip[k].leakage_j[c];
            busy += (double)s->per_chip[k].busy_cycles[c];
            time += (double)s->per_chip[k].time_cycles[c];
        }
        double to_ms = s->chips && s->clock_hz > 0 ? 1e3 / s->chips / s->clock_hz : 0;
        r->comp_energy_mj[c] = e * 1e3;
        r->comp_leakage_mj[c] = leak * 1e3;
        if (component_on_mcu((component)c)) r->energy_mcu_mj += e * 1e3;
        r->comp_busy_ms[c] = busy * to_ms;
        /* Every chip's time_cycles sum to the run's cycles, so the mean does
         * too. Cycles are the latency rounded to a whole cycle (up to half a
         * cycle off); each component gets its share of the cycles times the
         * latency itself, so the time columns add up to latency_ms exactly. */
        r->comp_time_ms[c] = s->cycles && s->chips
                                 ? time / s->chips / (double)s->cycles * r->latency_ms
                                 : time * to_ms;
    }
    r->edp_mcu_mj_ms = r->energy_mcu_mj * r->latency_ms;
}

static void relate_to_base(report_row *rows, size_t first, size_t end)
{
    const report_row *base = NULL;
    for (size_t i = first; i < end; i++)
        if (rows[i].s->chips == 1) { base = &rows[i]; break; }
    if (!base) return;
    for (size_t i = first; i < end; i++) {
        rows[i].speedup = base->latency_ms / rows[i].latency_ms;
        rows[i].edp_gain = base->edp_mj_ms / rows[i].edp_mj_ms;
        rows[i].edp_gain_mcu = base->edp_mcu_mj_ms / rows[i].edp_mcu_mj_ms;
    }
}

int report_rows_build(const run_stats *stats, size_t n, report_row **out, char *err, size_t errlen)
{
    report_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) { snprintf(err, errlen, "out of memory"); return -1; }
    for (size_t i = 0; i < n; i++) {
        rows[i].s = &stats[i];
        derive(&rows[i]);
    }
    qsort(rows, n, sizeof *rows, row_cmp);
    for (size_t i = 0; i < n; i = report_group_end(rows, n, i))
        relate_to_base(rows, i, report_group_end(rows, n, i));
    *out = rows;
    return 0;
}

const char *report_common_scope(const report_row *rows, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (strcmp(rows[i].s->scope, rows[0].s->scope) != 0) return NULL;
    return n ? rows[0].s->scope : NULL;
}

void report_fmt_num(char *buf, size_t cap, double v)
{
    if (isnan(v)) buf[0] = '\0';
    else snprintf(buf, cap, "%.6g", v);
}
