/* The sweep driver with a fake simulation: point order and ids, failure
 * isolation, and sharded runs joined equal to the unsharded one. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../sim/report/sweep_runner.h"
#include "cunit_main.h"
#include "test_report_synth.h"
#include "test_scratch.h"

static const uint64_t chips[] = {1, 2, 4, 8};

static int fake_point(const sweep_point *p, void *ctx, run_stats *out, char *err, size_t errlen)
{
    const int *fail_index = ctx;
    if (fail_index && (size_t)*fail_index == p->index) {
        snprintf(err, errlen, "synthetic failure");
        return 1;
    }
    synth_stats(out, "fake", p->chips, p->grid_index);
    return 0;
}

static void make_plan(sweep_plan *plan, sweep_axis *axis)
{
    char err[256];
    CU_ASSERT_EQUAL_FATAL(sweep_axis_parse("workload.seq_len=64,128,256", axis, err, sizeof err), 0);
    *plan = (sweep_plan){.chips = chips, .n_chips = 4, .axes = axis, .n_axes = 1};
}

static void test_axis_parse(void)
{
    sweep_axis a;
    char err[256];
    CU_ASSERT_EQUAL(sweep_axis_parse("a.b=1,x,3", &a, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(a.key, "a.b");
    CU_ASSERT_EQUAL(a.n, 3);
    CU_ASSERT_STRING_EQUAL(a.values[1], "x");
    CU_ASSERT_NOT_EQUAL(sweep_axis_parse("novalue", &a, err, sizeof err), 0);
    CU_ASSERT_NOT_EQUAL(sweep_axis_parse("k=1,,2", &a, err, sizeof err), 0);
}

static void test_plan_order_and_ids(void)
{
    sweep_plan plan;
    sweep_axis axis;
    make_plan(&plan, &axis);
    CU_ASSERT_EQUAL_FATAL(sweep_plan_size(&plan), 12);
    char prev[32] = "";
    for (size_t i = 0; i < 12; i++) {
        sweep_point p;
        sweep_plan_point(&plan, i, &p);
        CU_ASSERT_EQUAL(p.chips, chips[i % 4]);
        CU_ASSERT_EQUAL(p.grid_index, i / 4);
        /* ids sort like the plan order, so file order = row order */
        CU_ASSERT_TRUE(strcmp(prev, p.id) < 0);
        snprintf(prev, sizeof prev, "%s", p.id);
        char want[160];
        snprintf(want, sizeof want, "workload.seq_len=%s", axis.values[i / 4]);
        CU_ASSERT_STRING_EQUAL(p.assign[0], want);
        CU_ASSERT_STRING_EQUAL(p.sweep, want);
    }
}

static char *run_into(const sweep_plan *plan, unsigned si, unsigned sn, int *fail_index,
                      sweep_result *res)
{
    char tmpl[] = "/tmp/mcusim_sweep_XXXXXX";
    char *dir = strdup(mkdtemp(tmpl));
    char pd[4096], err[256];
    snprintf(pd, sizeof pd, "%s/points", dir);
    mkdir(pd, 0777);
    sweep_options o = {.jobs = 2, .shard_i = si, .shard_n = sn, .points_dir = pd,
                       .verb = "test sweep"};
    CU_ASSERT_EQUAL(sweep_run(plan, &o, fake_point, fail_index, res, err, sizeof err), 0);
    return dir;
}

static void test_failing_point_does_not_stop_others(void)
{
    sweep_plan plan;
    sweep_axis axis;
    make_plan(&plan, &axis);
    int fail = 5;
    sweep_result res;
    char *dir = run_into(&plan, 1, 1, &fail, &res);
    CU_ASSERT_EQUAL(res.selected, 12);
    CU_ASSERT_EQUAL(res.failed, 1);
    CU_ASSERT_EQUAL(res.ok, 11);
    run_stats *rows;
    size_t n;
    char err[256];
    const char *dirs[] = {dir};
    CU_ASSERT_EQUAL_FATAL(report_read_points(dirs, 1, &rows, &n, err, sizeof err), 0);
    CU_ASSERT_EQUAL(n, 11);
    for (size_t i = 0; i < n; i++)   /* point 5 = grid 1, 2 chips */
        CU_ASSERT_FALSE(rows[i].grid_index == 1 && rows[i].chips == 2);
    report_free_rows(rows, n);
    rm_rf(dir);
    free(dir);
}

static char *summary_of(const char *const *dirs, size_t nd, const char *out)
{
    run_stats *rows;
    size_t n;
    char err[256];
    CU_ASSERT_EQUAL(report_read_points(dirs, nd, &rows, &n, err, sizeof err), 0);
    experiment e;
    memset(&e, 0, sizeof e);
    snprintf(e.name, sizeof e.name, "fake");
    CU_ASSERT_EQUAL(report_write_experiment(out, &e, rows, n, err, sizeof err), 0);
    report_free_rows(rows, n);
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.csv", out);
    char *csv = synth_slurp(path, NULL);
    snprintf(path, sizeof path, "%s/summary.json", out);
    char *json = synth_slurp(path, NULL);
    size_t a = strlen(csv), b = strlen(json);
    char *both = malloc(a + b + 1);
    memcpy(both, csv, a);
    memcpy(both + a, json, b + 1);
    free(csv);
    free(json);
    return both;
}

static void test_shards_join_to_the_unsharded_run(void)
{
    sweep_plan plan;
    sweep_axis axis;
    make_plan(&plan, &axis);
    sweep_result r0, r1, r2;
    char *all = run_into(&plan, 1, 1, NULL, &r0);
    char *s1 = run_into(&plan, 1, 2, NULL, &r1);
    char *s2 = run_into(&plan, 2, 2, NULL, &r2);
    CU_ASSERT_EQUAL(r1.selected + r2.selected, r0.selected);
    CU_ASSERT_EQUAL(r1.selected, 6);
    const char *d0[] = {all}, *d12[] = {s1, s2};
    char out0[4200], out12[4200];
    snprintf(out0, sizeof out0, "%s/sum", all);
    snprintf(out12, sizeof out12, "%s/sum", s1);
    char *a = summary_of(d0, 1, out0), *b = summary_of(d12, 2, out12);
    CU_ASSERT_STRING_EQUAL(a, b);
    CU_ASSERT_PTR_NOT_NULL(strstr(a, "workload.seq_len=256"));
    free(a);
    free(b);
    rm_rf(all);
    rm_rf(s1);
    rm_rf(s2);
    free(all);
    free(s1);
    free(s2);
}

static int register_tests(void)
{
    ADD_SUITE("report_sweep", TEST(test_axis_parse), TEST(test_plan_order_and_ids),
              TEST(test_failing_point_does_not_stop_others),
              TEST(test_shards_join_to_the_unsharded_run));
    return 0;
}

CUNIT_MAIN(register_tests)
