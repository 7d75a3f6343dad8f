/* Sorting the points of an experiment and deriving the contract figures:
 * speedup and EDP gain are relative to the 1-chip row of the same group. */
#include <math.h>
#include <stdio.h>
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

/* Every row's components, merged in order (component_set_merge). */
static int union_components(const run_stats *stats, size_t n, component_set *u, char *err,
                            size_t errlen)
{
    component_set_init(u);
    for (size_t i = 0; i < n; i++)
        if (component_set_merge(u, &stats[i].components) != 0) {
            snprintf(err, errlen, "the rows' nodes declare more than %d components together",
                     COMPONENTS_MAX);
            return -1;
        }
    return 0;
}

/* Tokens per second once the system is full: inferences complete every
 * (makespan - first) / (m - 1) on average, but m independent inferences
 * of latency L cannot complete faster than m per L (a sequence's next
 * token waits for its previous one), whichever is slower; one inference
 * in flight completes one per L. */
static double tokens_per_s(const run_stats *s, double latency_ms, double makespan_ms)
{
    double m = s->in_flight > 1 ? s->in_flight : 1, tokens = (double)s->tokens_per_inference;
    if (!(latency_ms > 0)) return NAN;
    double rate = m / latency_ms;
    if (m > 1 && makespan_ms > latency_ms) {
        double full = (m - 1) / (makespan_ms - latency_ms);
        if (full < rate) rate = full;
    }
    return tokens * rate * 1e3;
}

/* Per inference: with several in flight the latency is the first's and
 * energies, bytes and busy times are the run's divided by in_flight. */
static void derive(report_row *r, const component_set *u)
{
    const run_stats *s = r->s;
    uint32_t m = s->in_flight > 1 ? s->in_flight : 1;
    double per = 1.0 / m;
    r->makespan_ms = s->latency_s * 1e3;
    r->latency_ms = m > 1 ? s->first_done_s * 1e3 : r->makespan_ms;
    r->energy_mj = m > 1 ? s->energy_j * 1e3 * per : s->energy_j * 1e3;
    r->edp_mj_ms = r->energy_mj * r->latency_ms;
    r->offchip_bytes = s->offchip_bytes / m;
    r->link_bytes = s->link_bytes / m;
    r->tokens_per_s = tokens_per_s(s, r->latency_ms, r->makespan_ms);
    r->speedup = r->edp_gain = r->edp_gain_mcu = NAN;
    r->energy_mcu_mj = 0;
    for (uint32_t j = 0; j < u->n; j++) {
        int c = component_set_find(&s->components, u->c[j].name);
        if (c < 0) {
            r->comp_energy_mj[j] = r->comp_leakage_mj[j] = NAN;
            r->comp_busy_ms[j] = r->comp_time_ms[j] = NAN;
            continue;
        }
        double e = 0, leak = 0, busy = 0, time = 0;
        for (uint32_t k = 0; s->per_chip && k < s->chips; k++) {
            e += s->per_chip[k].energy_j[c];
            leak += s->per_chip[k].leakage_j[c];
            busy += (double)s->per_chip[k].busy_cycles[c];
            time += (double)s->per_chip[k].time_cycles[c];
        }
        double to_ms = s->chips && s->clock_hz > 0 ? 1e3 / s->chips / s->clock_hz : 0;
        if (m > 1) e *= per, leak *= per, busy *= per;
        r->comp_energy_mj[j] = e * 1e3;
        r->comp_leakage_mj[j] = leak * 1e3;
        r->comp_busy_ms[j] = busy * to_ms;
        /* Every chip's time_cycles sum to the run's cycles, so the mean does
         * too. Cycles are the latency rounded to a whole cycle (up to half a
         * cycle off); each component gets its share of the cycles times the
         * latency itself, so the time columns add up to latency_ms exactly. */
        r->comp_time_ms[j] = s->cycles && s->chips
                                 ? time / s->chips / (double)s->cycles * r->latency_ms
                                 : time * to_ms;
    }
    /* the MCUs' energy, over the row's own components in their order */
    for (uint32_t c = 0; c < s->components.n && c < COMPONENTS_MAX; c++) {
        if (!s->components.c[c].on_mcu) continue;
        double e = 0;
        for (uint32_t k = 0; s->per_chip && k < s->chips; k++) e += s->per_chip[k].energy_j[c];
        r->energy_mcu_mj += (m > 1 ? e * per : e) * 1e3;
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

int report_rows_build(const run_stats *stats, size_t n, report_table *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (union_components(stats, n, &out->comps, err, errlen) != 0) return -1;
    report_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) { snprintf(err, errlen, "out of memory"); return -1; }
    for (size_t i = 0; i < n; i++) {
        rows[i].s = &stats[i];
        derive(&rows[i], &out->comps);
    }
    qsort(rows, n, sizeof *rows, row_cmp);
    for (size_t i = 0; i < n; i = report_group_end(rows, n, i))
        relate_to_base(rows, i, report_group_end(rows, n, i));
    out->rows = rows;
    out->n = n;
    return 0;
}

void report_table_free(report_table *t)
{
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
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
