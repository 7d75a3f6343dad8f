/* The sweep driver with a fake simulation: point order and ids, failure
 * isolation, sharded runs joined equal to the unsharded one; a point counts
 * only with a valid file stamped for it (exit 0 without one fails it), resume
 * reuses only such files and re-runs bad or stale ones, a point past its
 * timeout is killed, and a live writer's temporary file is left alone. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../sim/report/point_stamp.h"
#include "../../sim/run/sweep_runner.h"
#include "cunit_main.h"
#include "test_report_synth.h"
#include "test_scratch.h"

static const uint64_t chips[] = {1, 2, 4, 8};

/* What the fake simulation of one point does (by plan index). */
typedef enum fake_kind { FAKE_OK, FAKE_FAIL, FAKE_SILENT_EXIT, FAKE_GARBAGE_EXIT, FAKE_HANG } fake_kind;

typedef struct fake_ctx {
    int special_index;            /* -1: none */
    fake_kind kind;
    const char *points_dir;
} fake_ctx;

static int fake_point(const sweep_point *p, void *vctx, run_stats *out, char *err, size_t errlen)
{
    const fake_ctx *ctx = vctx;
    if (ctx && (size_t)ctx->special_index == p->index) {
        char path[4096];
        switch (ctx->kind) {
        case FAKE_FAIL:
            snprintf(err, errlen, "synthetic failure");
            return 1;
        case FAKE_SILENT_EXIT:   /* a process that "succeeds" without a result */
            _exit(0);
        case FAKE_GARBAGE_EXIT:  /* ... or with half a file */
            snprintf(path, sizeof path, "%s/%s.json", ctx->points_dir, p->id);
            FILE *f = fopen(path, "w");
            if (f) { fputs("{\"experiment\": \"fake\", \"chips\": ", f); fclose(f); }
            _exit(0);
        case FAKE_HANG:
            for (;;) pause();
        case FAKE_OK:
            break;
        }
    }
    synth_stats(out, "fake", p->chips, p->grid_index);
    return 0;
}

/* The stamps a plan expects: a made-up configuration hash per point. */
static planned_point *plan_stamps(const sweep_plan *plan, const char *salt)
{
    size_t n = sweep_plan_size(plan);
    planned_point *pp = calloc(n, sizeof *pp);
    for (size_t i = 0; i < n; i++) {
        sweep_point pt;
        sweep_plan_point(plan, i, &pt);
        char text[128];
        snprintf(text, sizeof text, "%s %s", salt, pt.id);
        sha256_hex(text, strlen(text), pp[i].stamp.config_sha256);
        snprintf(pp[i].stamp.id, sizeof pp[i].stamp.id, "%s", pt.id);
        snprintf(pp[i].stamp.version, sizeof pp[i].stamp.version, "%s", stamp_version());
        snprintf(pp[i].stamp.mode, sizeof pp[i].stamp.mode, "functional");
        snprintf(pp[i].sweep, sizeof pp[i].sweep, "%s", pt.sweep);
    }
    return pp;
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

static char *new_dir(void)
{
    char tmpl[] = "/tmp/mcusim_sweep_XXXXXX";
    char *dir = strdup(mkdtemp(tmpl));
    char pd[4096];
    snprintf(pd, sizeof pd, "%s/points", dir);
    mkdir(pd, 0777);
    return dir;
}

/* Runs plan into dir/points with the stamps of `salt`. */
static void run_in(const char *dir, const sweep_plan *plan, const char *salt, bool resume,
                   int special, fake_kind kind, double timeout_s, sweep_result *res)
{
    char pd[4096], err[256];
    snprintf(pd, sizeof pd, "%s/points", dir);
    planned_point *pp = plan_stamps(plan, salt);
    sweep_options o = {.jobs = 2, .points_dir = pd, .verb = "test sweep", .planned = pp,
                       .point_timeout_s = timeout_s, .resume = resume};
    fake_ctx ctx = {.special_index = special, .kind = kind, .points_dir = pd};
    CU_ASSERT_EQUAL(sweep_run(plan, &o, fake_point, &ctx, res, err, sizeof err), 0);
    free(pp);
}

static char *run_into(const sweep_plan *plan, unsigned si, unsigned sn, int *fail_index,
                      sweep_result *res)
{
    char *dir = new_dir();
    char pd[4096], err[256];
    snprintf(pd, sizeof pd, "%s/points", dir);
    planned_point *pp = plan_stamps(plan, "config A");
    sweep_options o = {.jobs = 2, .shard_i = si, .shard_n = sn, .points_dir = pd,
                       .verb = "test sweep", .planned = pp};
    fake_ctx ctx = {.special_index = fail_index ? *fail_index : -1, .kind = FAKE_FAIL, .points_dir = pd};
    CU_ASSERT_EQUAL(sweep_run(plan, &o, fake_point, &ctx, res, err, sizeof err), 0);
    free(pp);
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

static bool exists(const char *dir, const char *name)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/points/%s", dir, name);
    return stat(path, &st) == 0;
}

/* A process that exits 0 is a success only with a valid file of its point:
 * without one (or with half a file) the point fails. */
static void test_exit_zero_without_a_valid_file_fails(void)
{
    sweep_plan plan;
    sweep_axis axis;
    make_plan(&plan, &axis);
    fake_kind kinds[] = {FAKE_SILENT_EXIT, FAKE_GARBAGE_EXIT};
    for (size_t k = 0; k < 2; k++) {
        char *dir = new_dir();
        sweep_result res;
        run_in(dir, &plan, "config A", false, 6, kinds[k], 0, &res);
        CU_ASSERT_EQUAL(res.failed, 1);
        CU_ASSERT_EQUAL(res.ok, 11);
        rm_rf(dir);
        free(dir);
    }
}

/* Resume reuses a file only when it is valid and stamped for its point:
 * another configuration's files, a truncated file and a file copied over
 * another point's are all re-run; matching files are not. */
static void test_resume_reuses_only_matching_valid_points(void)
{
    sweep_plan plan;
    sweep_axis axis;
    make_plan(&plan, &axis);
    char *dir = new_dir();
    sweep_result res;
    run_in(dir, &plan, "config A", false, -1, FAKE_OK, 0, &res);
    CU_ASSERT_EQUAL_FATAL(res.ok, 12);
    run_in(dir, &plan, "config A", true, -1, FAKE_OK, 0, &res);
    CU_ASSERT_EQUAL(res.resumed, 12);
    CU_ASSERT_EQUAL(res.ok, 0);
    /* another configuration: nothing may be reused */
    run_in(dir, &plan, "config B", true, -1, FAKE_OK, 0, &res);
    CU_ASSERT_EQUAL(res.resumed, 0);
    CU_ASSERT_EQUAL(res.rerun, 12);
    CU_ASSERT_EQUAL(res.ok, 12);
    /* truncate one file, copy another over a third */
    char a[4200], b[4200], c[4200];
    snprintf(a, sizeof a, "%s/points/g000-c0001.json", dir);
    snprintf(b, sizeof b, "%s/points/g000-c0004.json", dir);
    snprintf(c, sizeof c, "%s/points/g000-c0002.json", dir);
    size_t len = 0;
    char *text = synth_slurp(a, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    FILE *f = fopen(a, "w");
    fwrite(text, 1, len / 2, f);
    fclose(f);
    free(text);
    text = synth_slurp(b, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    f = fopen(c, "w");
    fwrite(text, 1, len, f);
    fclose(f);
    free(text);
    run_in(dir, &plan, "config B", true, -1, FAKE_OK, 0, &res);
    CU_ASSERT_EQUAL(res.resumed, 10);
    CU_ASSERT_EQUAL(res.rerun, 2);
    CU_ASSERT_EQUAL(res.ok, 2);
    rm_rf(dir);
    free(dir);
}

/* A point that never returns is killed at its timeout and fails; the
 * others finish, and the sweep does not wait for the stuck one. */
static void test_point_timeout_kills_a_stuck_point(void)
{
    sweep_plan plan;
    sweep_axis axis;
    make_plan(&plan, &axis);
    char *dir = new_dir();
    sweep_result res;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_in(dir, &plan, "config A", false, 3, FAKE_HANG, 0.5, &res);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double el = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    CU_ASSERT_EQUAL(res.failed, 1);
    CU_ASSERT_EQUAL(res.timed_out, 1);
    CU_ASSERT_EQUAL(res.ok, 11);
    CU_ASSERT_TRUE(el >= 0.5 && el < 10);
    CU_ASSERT_FALSE(exists(dir, "g000-c0008.json"));
    rm_rf(dir);
    free(dir);
}

/* Temporaries of a dead writer go; a live writer's (a concurrent shard
 * writing into the same folder) stay. */
static void test_only_dead_writers_temporaries_are_removed(void)
{
    char *dir = new_dir();
    char pd[4096], live[4200], dead[4200];
    snprintf(pd, sizeof pd, "%s/points", dir);
    pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, NULL, 0);   /* its pid is now free: a dead writer */
    snprintf(live, sizeof live, "%s/c0001.json.tmp.%ld", pd, (long)getpid());
    snprintf(dead, sizeof dead, "%s/c0002.json.tmp.%ld", pd, (long)child);
    fclose(fopen(live, "w"));
    fclose(fopen(dead, "w"));
    sweep_remove_temporaries(pd);
    CU_ASSERT_TRUE(exists(dir, strrchr(live, '/') + 1));
    CU_ASSERT_FALSE(exists(dir, strrchr(dead, '/') + 1));
    rm_rf(dir);
    free(dir);
}

static int register_tests(void)
{
    ADD_SUITE("report_sweep", TEST(test_axis_parse), TEST(test_plan_order_and_ids),
              TEST(test_failing_point_does_not_stop_others),
              TEST(test_shards_join_to_the_unsharded_run),
              TEST(test_exit_zero_without_a_valid_file_fails),
              TEST(test_resume_reuses_only_matching_valid_points),
              TEST(test_point_timeout_kills_a_stuck_point),
              TEST(test_only_dead_writers_temporaries_are_removed));
    return 0;
}

CUNIT_MAIN(register_tests)
