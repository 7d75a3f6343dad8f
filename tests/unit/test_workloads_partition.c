/* Partitioner + functional executor: an N-chip run must give the 1-chip
 * output bit for bit; weights are never replicated; op work matches what the
 * kernels report when executed. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "test_workloads_fixture.h"
#include "workload.h"

/* heads 0 keeps the model's own head count */
static workload_params wl(const char *model, int mode, uint64_t seq, uint64_t heads)
{
    return fx_workload(model, mode, seq, 7, &(model_dims){.n_heads = heads});
}

static void test_stories15m_prompt(void)
{
    workload_params w = wl("stories15m", MODE_PROMPT, 5, 0);
    const uint32_t chips[] = {2, 3, 4, 6};
    fx_check_equal_over(&w, chips, 4);
}

static void test_stories15m_ar(void)
{
    workload_params w = wl("stories15m", MODE_AUTOREGRESSIVE, 9, 0);
    const uint32_t chips[] = {2, 4, 6};
    fx_check_equal_over(&w, chips, 3);
}

static void test_tinyllama_ar(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 16, 0);
    const uint32_t chips[] = {2, 3, 4, 8};
    fx_check_equal_over(&w, chips, 4);
}

static void test_tinyllama_prompt(void)
{
    workload_params w = wl("tinyllama-42m", MODE_PROMPT, 4, 0);
    const uint32_t chips[] = {8};
    fx_check_equal_over(&w, chips, 1);
}

static void test_tinyllama_64_heads(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 4, 64);
    CU_ASSERT_EQUAL(w.dims.n_kv_heads, 64);
    const uint32_t chips[] = {16, 32, 64};
    fx_check_equal_over(&w, chips, 3);
}

static void test_corrupted_partial_differs(void)
{
    workload_params w = wl("stories15m", MODE_PROMPT, 3, 0);
    size_t b0, b1;
    int8_t *good = fx_run_out(&w, 2, NULL, NULL, &b0);
    fx_corrupt_reduce ctx = {1, 0, false};
    int8_t *bad = fx_run_out(&w, 2, fx_corrupt_reduce_hook, &ctx, &b1);
    CU_ASSERT(ctx.done);
    CU_ASSERT(memcmp(good, bad, b0) != 0);
    free(good);
    free(bad);
}

static void test_no_replication_and_two_reduces(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 32, 0);
    char err[256];
    system_program *one = partition_build(&w, 1, false, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    const model_dims *d = &w.dims;
    uint64_t expect = fx_llama_weight_bytes(d);
    CU_ASSERT_EQUAL(fx_role_bytes(one, BUF_WEIGHT), expect);
    for (uint32_t n = 2; n <= 8; n++) {
        system_program *p = partition_build(&w, n, false, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), expect);
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_KV_CACHE), fx_role_bytes(one, BUF_KV_CACHE));
        for (uint32_t c = 0; c < n; c++) {
            CU_ASSERT_PTR_NULL(p->chips[c].bufs[0].data); /* timing-only: no data */
            CU_ASSERT_EQUAL(fx_count_kind(&p->chips[c], OP_REDUCE), 2 * d->n_layers);
        }
        system_program_destroy(p);
    }
    system_program_destroy(one);
}

/* MobileBERT splits by heads only; llama beyond its heads is tested in
 * test_workloads_wide.c. */
static void test_too_many_chips(void)
{
    workload_params w = wl("mobilebert", MODE_PROMPT, 8, 0);
    char err[256] = "";
    CU_ASSERT_PTR_NULL(partition_build(&w, 5, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "has 4 heads, cannot split over 5 chips"));
}

/* Every compute op's recorded work equals what the kernels report. */
static void test_work_matches_kernels(void)
{
    const int modes[] = {MODE_PROMPT, MODE_AUTOREGRESSIVE};
    for (int m = 0; m < 2; m++) {
        workload_params w = wl("stories15m", modes[m], 6, 0);
        char err[256];
        system_program *p = partition_build(&w, 1, true, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        fx_check_work_matches_kernels(&p->chips[0]);
        system_program_destroy(p);
    }
}

static void test_timing_only_same_ops(void)
{
    workload_params w = wl("stories15m", MODE_PROMPT, 4, 0);
    char err[256];
    system_program *f = partition_build(&w, 3, true, err, sizeof err);
    system_program *t = partition_build(&w, 3, false, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    for (uint32_t c = 0; c < 3; c++) {
        CU_ASSERT_EQUAL(f->chips[c].n_ops, t->chips[c].n_ops);
        CU_ASSERT_EQUAL(f->chips[c].n_bufs, t->chips[c].n_bufs);
        CU_ASSERT(memcmp(f->chips[c].ops, t->chips[c].ops,
                         f->chips[c].n_ops * sizeof(prog_op)) == 0);
    }
    CU_ASSERT_NOT_EQUAL(functional_run(t, err, sizeof err), 0);
    system_program_destroy(f);
    system_program_destroy(t);
}

static int register_tests(void)
{
    ADD_SUITE("partition", TEST(test_stories15m_prompt), TEST(test_stories15m_ar),
              TEST(test_tinyllama_ar), TEST(test_tinyllama_prompt), TEST(test_tinyllama_64_heads),
              TEST(test_corrupted_partial_differs), TEST(test_no_replication_and_two_reduces),
              TEST(test_too_many_chips), TEST(test_work_matches_kernels),
              TEST(test_timing_only_same_ops));
    return 0;
}

CUNIT_MAIN(register_tests)
