/* MobileBERT partition: N-chip output equals 1 chip bit for bit, weights are
 * never replicated (bytes equal an independent parameter count of the block),
 * 7 reductions per block, recorded op work equals the kernels' report, and
 * more chips than heads or autoregressive mode are refused. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "test_workloads_fixture.h"
#include "workload.h"

/* layers 0 keeps the model's own depth */
static workload_params mb(uint64_t seq, uint64_t layers)
{
    return fx_workload("mobilebert", MODE_PROMPT, seq, 11, &(model_dims){.n_layers = layers});
}

static void test_chips_match_one_chip(void)
{
    workload_params w = mb(8, 2);
    size_t b1;
    int8_t *ref = fx_reference_out(&w, &b1);
    CU_ASSERT_EQUAL(b1, 8 * w.dims.dim);
    /* a saturated output would make equality meaningless too */
    size_t saturated = 0;
    for (size_t i = 0; i < b1; i++) saturated += ref[i] == 127 || ref[i] == -128;
    CU_ASSERT(saturated < b1 / 10);
    const uint32_t chips[] = {2, 3, 4};
    fx_check_same_out(&w, ref, b1, chips, 3);
    free(ref);
}

static void test_corrupted_partial_caught(void)
{
    workload_params w = mb(4, 1);
    size_t b0, b1;
    int8_t *good = fx_run_out(&w, 3, NULL, NULL, &b0);
    /* reductions 0 (bottleneck) and 6 (output bottleneck) of block 0 */
    const uint32_t skips[] = {0, 6};
    for (int i = 0; i < 2; i++) {
        fx_corrupt_reduce ctx = {2, skips[i], false};
        int8_t *bad = fx_run_out(&w, 3, fx_corrupt_reduce_hook, &ctx, &b1);
        CU_ASSERT(ctx.done);
        CU_ASSERT(memcmp(good, bad, b0) != 0);
        free(bad);
    }
    free(good);
}

/* Parameters of one MobileBERT block from the paper's structure: int8
 * matrices, int32 biases, int8 NoNorm gamma and int32 beta. */
static uint64_t block_param_bytes(uint64_t E, uint64_t B, uint64_t F, uint64_t NF)
{
    uint64_t lin_in = 2 * (E * B + 4 * B);                 /* input + attention bottleneck */
    uint64_t norm_bn = 2 * (B + 4 * B);                    /* their NoNorms */
    uint64_t qkv = 2 * (B * B + 4 * B) + (E * B + 4 * B);  /* Q, K from 128; V from 512 */
    uint64_t attn_out = B * B + 4 * B + (B + 4 * B);       /* Wo + NoNorm */
    uint64_t ffn = (B * F + 4 * F) + (F * B + 4 * B) + (B + 4 * B);
    uint64_t out = B * E + 4 * E + (E + 4 * E);
    return lin_in + norm_bn + qkv + attn_out + NF * ffn + out;
}

static void test_weights_not_replicated_and_seven_reduces(void)
{
    workload_params w = mb(16, 0);
    const model_dims *d = &w.dims;
    uint64_t expect = d->n_layers * block_param_bytes(d->dim, d->bottleneck, d->ffn_hidden,
                                                      d->n_ffn);
    char err[256];
    for (uint32_t n = 1; n <= 4; n++) {
        system_program *p = partition_build(&w, n, false, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), expect);
        for (uint32_t c = 0; c < n; c++)
            CU_ASSERT_EQUAL(fx_count_kind(&p->chips[c], OP_REDUCE), 7 * d->n_layers);
        system_program_destroy(p);
    }
}

static void test_work_matches_kernels(void)
{
    workload_params w = mb(5, 1);
    char err[256];
    for (uint32_t n = 1; n <= 3; n += 2) {
        system_program *p = partition_build(&w, n, true, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT(fx_check_work_matches_kernels(&p->chips[n - 1]) > 20);
        system_program_destroy(p);
    }
}

static void test_refusals(void)
{
    workload_params w = mb(8, 1);
    char err[256] = "";
    CU_ASSERT_PTR_NULL(partition_build(&w, 5, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "has 4 heads, cannot split over 5 chips"));
    w.mode = MODE_AUTOREGRESSIVE;
    err[0] = 0;
    CU_ASSERT_NOT_EQUAL(workload_check(&w, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "encoder"));
    CU_ASSERT_PTR_NULL(partition_build(&w, 1, false, err, sizeof err));
}

static int register_tests(void)
{
    ADD_SUITE("workloads_mobilebert", TEST(test_chips_match_one_chip),
              TEST(test_corrupted_partial_caught),
              TEST(test_weights_not_replicated_and_seven_reduces),
              TEST(test_work_matches_kernels), TEST(test_refusals));
    return 0;
}

CUNIT_MAIN(register_tests)
