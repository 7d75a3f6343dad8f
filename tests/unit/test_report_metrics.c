/* The metric table of calibrate and sensitivity: every metric equals the
 * summary.csv column of the same name for the same points, and the ratios
 * match a computation from the synthetic figures themselves. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/report/metrics.h"
#include "../../sim/report/stat_fields.h"
#include "cunit_main.h"
#include "test_report_synth.h"
#include "test_scratch.h"

static void test_table_well_formed(void)
{
    CU_ASSERT_TRUE(metric_count() >= 8);
    static const char *const required[] = {"latency_ms", "energy_mj", "edp_mj_ms", "speedup",
                                           "edp_gain", "offchip_bytes", "link_bytes", "cycles"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        CU_ASSERT_PTR_NOT_NULL(metric_find(required[i]));
    CU_ASSERT_PTR_NULL(metric_find("latency"));
    for (size_t i = 0; i < metric_count(); i++) {
        const metric_def *m = metric_at(i);
        CU_ASSERT_PTR_EQUAL(metric_find(m->name), m);   /* names are unique */
        CU_ASSERT_TRUE(metric_unit(m)[0] && metric_doc(m)[0]);
        /* a metric is a field of the statistics table, or brings its own */
        const stat_field *f = stat_field_find(m->name);
        CU_ASSERT_TRUE((f && !m->value && !m->unit && !m->doc) || (!f && m->value));
        CU_ASSERT_TRUE(m->min_chips >= 1);
        CU_ASSERT_TRUE(m->min_chips == 1 || (m->min_chips_why && m->min_chips_why[0]));
    }
    char names[512];
    metric_names(names, sizeof names);
    CU_ASSERT_PTR_NOT_NULL(strstr(names, "edp_gain"));
}

static void test_ratios_from_the_figures(void)
{
    run_stats one, eight;
    synth_stats(&one, "x", 1, 0);
    synth_stats(&eight, "x", 8, 0);
    double l1 = synth_latency_s(1, 0) * 1e3, l8 = synth_latency_s(8, 0) * 1e3;
    double e1 = synth_energy_j(1, 0) * 1e3, e8 = synth_energy_j(8, 0) * 1e3;
    CU_ASSERT_DOUBLE_EQUAL(metric_eval(metric_find("latency_ms"), &eight, NULL), l8, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(metric_eval(metric_find("energy_mj"), &eight, NULL), e8, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(metric_eval(metric_find("edp_mj_ms"), &eight, NULL), e8 * l8, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(metric_eval(metric_find("speedup"), &eight, &one), l1 / l8, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(metric_eval(metric_find("edp_gain"), &eight, &one),
                           (e1 * l1) / (e8 * l8), 1e-12);
    CU_ASSERT_EQUAL(metric_eval(metric_find("link_bytes"), &eight, NULL), (double)eight.link_bytes);
    CU_ASSERT_EQUAL(metric_eval(metric_find("cycles"), &eight, NULL), (double)eight.cycles);
    /* A ratio without its base cannot be computed; on 1 chip it is 1. */
    CU_ASSERT_TRUE(isnan(metric_eval(metric_find("speedup"), &eight, NULL)));
    CU_ASSERT_EQUAL(metric_eval(metric_find("speedup"), &one, NULL), 1.0);
    /* A base that is not a 1-chip run is no base. */
    CU_ASSERT_TRUE(isnan(metric_eval(metric_find("edp_gain"), &eight, &eight)));
    free(one.per_chip);
    free(eight.per_chip);
}

/* Value of column `name` in the data line of `chips` of a summary.csv. */
static double csv_value(char *csv, const char *name, unsigned chips)
{
    char *save = NULL, *line = strtok_r(csv, "\n", &save);
    size_t nc = 0, want = SIZE_MAX, chips_col = SIZE_MAX;
    for (char *p = line, *tok; (tok = strsep(&p, ",")) && nc < 128; nc++) {
        if (!strcmp(tok, name)) want = nc;
        if (!strcmp(tok, "chips")) chips_col = nc;
    }
    if (want == SIZE_MAX || chips_col == SIZE_MAX) return NAN;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *f[128];
        size_t n = 0;
        for (char *p = line, *tok; (tok = strsep(&p, ",")) && n < 128;) f[n++] = tok;
        if (n > want && strtoul(f[chips_col], NULL, 10) == chips) return strtod(f[want], NULL);
    }
    return NAN;
}

static void test_equal_to_summary_csv(void)
{
    run_stats rows[2];
    synth_stats(&rows[0], "synthetic", 1, 0);
    synth_stats(&rows[1], "synthetic", 8, 0);
    char dir[] = "/tmp/mcusim_metrics_XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    experiment *e = calloc(1, sizeof *e);
    snprintf(e->name, sizeof e->name, "synthetic");
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(report_write_experiment(dir, e, rows, 2, err, sizeof err), 0);
    char path[600];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    char *csv = synth_slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    size_t checked = 0;
    for (size_t i = 0; i < metric_count(); i++) {
        const metric_def *m = metric_at(i);
        char *copy = strdup(csv);
        double col = csv_value(copy, m->name, 8);
        free(copy);
        if (isnan(col)) continue;   /* a metric need not be a CSV column */
        double v = metric_eval(m, &rows[1], &rows[0]);
        /* the CSV prints 6 significant digits */
        CU_ASSERT_DOUBLE_EQUAL(v / col, 1.0, 1e-5);
        checked++;
    }
    CU_ASSERT_TRUE(checked >= 8);
    free(csv);
    free(e);
    free(rows[0].per_chip);
    free(rows[1].per_chip);
    rm_rf(dir);
}

static int register_tests(void)
{
    ADD_SUITE("metrics", TEST(test_table_well_formed), TEST(test_ratios_from_the_figures),
              TEST(test_equal_to_summary_csv));
    return 0;
}

CUNIT_MAIN(register_tests)
