/* The metric table (see metrics.h). */
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "stat_fields.h"

/* Not a summary column: the mean power of one MCU (over the run: with
 * several inferences in flight, their energy over the makespan). */
static double power_mcu_mw(const report_row *r)
{
    uint32_t m = r->s->in_flight > 1 ? r->s->in_flight : 1;
    if (m == 1)
        return r->latency_ms > 0 && r->s->chips
                   ? r->energy_mcu_mj / r->latency_ms / r->s->chips * 1e3
                   : NAN;
    return r->makespan_ms > 0 && r->s->chips
               ? r->energy_mcu_mj * m / r->makespan_ms / r->s->chips * 1e3
               : NAN;
}

static const char one_chip_ratio[] = "it is 1 by definition on 1 chip";

/* name, relative, min_chips, why, sensitivity; then unit, doc and value
 * only where the metric is not a field of the statistics table */
static const metric_def metrics[] = {
    {"latency_ms", false, 1, NULL, .sensitivity = true},
    {"energy_mj", false, 1, NULL, .sensitivity = true},
    {"edp_mj_ms", false, 1, NULL, .sensitivity = false},
    {"speedup", true, 2, one_chip_ratio, .sensitivity = true},
    {"edp_gain", true, 2, one_chip_ratio, .sensitivity = true},
    {"offchip_bytes", false, 1, NULL, .sensitivity = false},
    {"link_bytes", false, 2, "a 1-chip run moves no bytes over links", .sensitivity = false},
    {"cycles", false, 1, NULL, .sensitivity = false},
    {"energy_mcu_mj", false, 1, NULL, .sensitivity = true},
    {"edp_mcu_mj_ms", false, 1, NULL, .sensitivity = false},
    {"edp_gain_mcu", true, 2, one_chip_ratio, .sensitivity = true},
    {"tokens_per_s", false, 1, NULL, .sensitivity = false},
    {"power_mcu_mw", false, 1, NULL, .sensitivity = false, .unit = "mW",
     .doc = "mean power of one MCU over the run: energy_mcu_mj / latency / chips (with "
            "in_flight > 1, the run's MCU energy / makespan / chips)",
     .value = power_mcu_mw},
};

const char *metric_unit(const metric_def *m)
{
    const stat_field *f = m->value ? NULL : stat_field_find(m->name);
    return f ? f->unit : m->unit ? m->unit : "?";
}

const char *metric_doc(const metric_def *m)
{
    const stat_field *f = m->value ? NULL : stat_field_find(m->name);
    return f ? f->doc : m->doc ? m->doc : "";
}

double metric_value(const metric_def *m, const report_row *r)
{
    if (m->value) return m->value(r);
    const stat_field *f = stat_field_find(m->name);
    if (!f || (f->level != STAT_RUN && f->level != STAT_ROW)) return NAN;
    const void *p = stat_row_field(f, r);
    switch (f->type) {
    case STAT_U32: return (double)*(const uint32_t *)p;
    case STAT_U64: return (double)*(const uint64_t *)p;
    case STAT_F64: return *(const double *)p;
    default: return NAN;
    }
}

size_t metric_count(void)
{
    return sizeof metrics / sizeof metrics[0];
}

const metric_def *metric_at(size_t i)
{
    return i < metric_count() ? &metrics[i] : NULL;
}

const metric_def *metric_find(const char *name)
{
    for (size_t i = 0; i < metric_count(); i++)
        if (strcmp(metrics[i].name, name) == 0) return &metrics[i];
    return NULL;
}

void metric_names(char *buf, size_t cap)
{
    size_t used = 0;
    if (cap) buf[0] = '\0';
    for (size_t i = 0; i < metric_count() && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", metrics[i].name);
}

double metric_eval(const metric_def *m, const run_stats *point, const run_stats *base)
{
    if (point->chips == 1) base = point;
    if (m->relative && !base) return NAN;
    /* The two points as one group of the report: same experiment and grid
     * combination, so report_rows_build relates the point to its base. */
    run_stats pair[2];
    size_t n = 1;
    pair[0] = *point;
    pair[0].grid_index = 0;
    if (base && base != point) {
        pair[1] = *base;
        pair[1].grid_index = 0;
        memcpy(pair[1].experiment, pair[0].experiment, sizeof pair[1].experiment);
        n = 2;
    }
    report_table t;
    char err[128];
    if (report_rows_build(pair, n, &t, err, sizeof err) != 0) return NAN;
    double v = NAN;
    for (size_t i = 0; i < n; i++)
        if (t.rows[i].s == &pair[0]) v = metric_value(m, &t.rows[i]);
    report_table_free(&t);
    return v;
}
