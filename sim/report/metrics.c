/* The metric table (see metrics.h). */
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static double latency_ms(const report_row *r) { return r->latency_ms; }
static double energy_mj(const report_row *r) { return r->energy_mj; }
static double edp_mj_ms(const report_row *r) { return r->edp_mj_ms; }
static double speedup(const report_row *r) { return r->speedup; }
static double edp_gain(const report_row *r) { return r->edp_gain; }
static double offchip_bytes(const report_row *r) { return (double)r->s->offchip_bytes; }
static double link_bytes(const report_row *r) { return (double)r->s->link_bytes; }
static double cycles(const report_row *r) { return (double)r->s->cycles; }
static double energy_mcu_mj(const report_row *r) { return r->energy_mcu_mj; }
static double edp_mcu_mj_ms(const report_row *r) { return r->edp_mcu_mj_ms; }
static double edp_gain_mcu(const report_row *r) { return r->edp_gain_mcu; }
static double power_mcu_mw(const report_row *r)
{
    return r->latency_ms > 0 && r->s->chips ? r->energy_mcu_mj / r->latency_ms / r->s->chips * 1e3
                                            : NAN;
}

static const char one_chip_ratio[] = "it is 1 by definition on 1 chip";

static const metric_def metrics[] = {
    {"latency_ms", "ms", "time of one inference (makespan of all chips)", false, 1, NULL, true,
     latency_ms},
    {"energy_mj", "mJ", "energy of one inference, all chips and components (static included)",
     false, 1, NULL, true, energy_mj},
    {"edp_mj_ms", "mJ*ms", "energy-delay product, energy_mj * latency_ms", false, 1, NULL, false,
     edp_mj_ms},
    {"speedup", "x", "latency of the 1-chip run over this run's", true, 2, one_chip_ratio, true,
     speedup},
    {"edp_gain", "x", "EDP of the 1-chip run over this run's", true, 2, one_chip_ratio, true,
     edp_gain},
    {"offchip_bytes", "B", "HyperRAM traffic of one inference, all chips", false, 1, NULL, false,
     offchip_bytes},
    {"link_bytes", "B", "payload bytes over all chip-to-chip links", false, 2,
     "a 1-chip run moves no bytes over links", false, link_bytes},
    {"cycles", "cycles", "makespan in cluster clock cycles", false, 1, NULL, false, cycles},
    {"energy_mcu_mj", "mJ",
     "energy of one inference on the MCUs and their link PHYs, without the off-chip memory "
     "devices", false, 1, NULL, true, energy_mcu_mj},
    {"edp_mcu_mj_ms", "mJ*ms", "energy_mcu_mj * latency_ms", false, 1, NULL, false,
     edp_mcu_mj_ms},
    {"edp_gain_mcu", "x", "edp_mcu_mj_ms of the 1-chip run over this run's", true, 2,
     one_chip_ratio, true, edp_gain_mcu},
    {"power_mcu_mw", "mW", "mean power of one MCU over the inference: energy_mcu_mj / latency / "
     "chips", false, 1, NULL, false, power_mcu_mw},
};

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
        if (t.rows[i].s == &pair[0]) v = m->value(&t.rows[i]);
    report_table_free(&t);
    return v;
}
