/* Grouped-query attention (n_kv_heads < n_heads) in the tensor partitioner:
 * - every chip count 1..64 gives the model graph's output bit for bit
 *   (what --check compares), in both modes and with the LM head;
 * - a chip holds whole K/V groups: the K/V cache of each K/V head it owns
 *   and the q columns of exactly that group's query heads; chips beyond the
 *   K/V-head count hold FFN slices only;
 * - no weight and no K/V is held twice: the chips' weight bytes add up to
 *   the model's, counted independently, and the K/V bytes to n_kv_heads
 *   caches per block;
 * - the dims rules (groups must be equal; MobileBERT has none). */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "partition_tensor.h"
#include "test_workloads_fixture.h"

/* TinyLlama's dims with 8 query heads over 2 K/V heads (groups of 4), the
 * first `blocks` blocks. */
static workload_params gqa_tiny(int mode, uint64_t seq, uint64_t blocks)
{
    return fx_workload("tinyllama-42m", mode, seq, 7,
                       &(model_dims){.n_layers = blocks, .n_kv_heads = 2});
}

static void test_bit_exact_1_to_64(void)
{
    workload_params w = gqa_tiny(MODE_AUTOREGRESSIVE, 6, 1);
    uint32_t chips[64];
    for (uint32_t i = 0; i < 64; i++) chips[i] = i + 1;
    fx_check_equal_over(&w, chips, 64);
}

static void test_bit_exact_prompt_head_balanced(void)
{
    static const uint32_t chips[] = {2, 3, 5, 8, 9, 13};
    workload_params p = gqa_tiny(MODE_PROMPT, 5, 2);
    fx_check_equal_over(&p, chips, sizeof chips / sizeof chips[0]);
    p.head = true;
    fx_check_equal_over(&p, chips, sizeof chips / sizeof chips[0]);
    workload_params b = gqa_tiny(MODE_AUTOREGRESSIVE, 6, 2);
    tensor_params_of(&b)->ffn_split = FFN_SPLIT_BALANCED;
    fx_check_equal_over(&b, chips, sizeof chips / sizeof chips[0]);
    /* SmolLM2-135M's own grouping: 9 query heads over 3 K/V heads */
    workload_params s = fx_workload("smollm2-135m", MODE_AUTOREGRESSIVE, 4, 2,
                                    &(model_dims){.n_layers = 1});
    fx_check_equal_over(&s, chips, sizeof chips / sizeof chips[0]);
}

/* The output really depends on the chips holding the other groups: a bit
 * flipped in one chip's attention partial changes it. */
static void test_every_group_counts(void)
{
    workload_params w = gqa_tiny(MODE_AUTOREGRESSIVE, 6, 1);
    size_t rb, bytes;
    int8_t *ref = fx_reference_out(&w, &rb);
    fx_corrupt_reduce bad = {1, 0, false};
    int8_t *out = fx_run_out(&w, 2, fx_corrupt_reduce_hook, &bad, &bytes);
    CU_ASSERT_TRUE(bad.done);
    CU_ASSERT(bytes == rb && memcmp(ref, out, rb) != 0);
    free(ref);
    free(out);
}

static uint32_t count_role(const chip_program *c, buf_role role)
{
    uint32_t n = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++) n += c->bufs[b].role == role;
    return n;
}

/* Query heads chip c computes in block 0: its rope_q ops. */
static uint32_t query_heads(const chip_program *c)
{
    uint32_t n = 0;
    for (uint32_t o = 0; o < c->n_ops; o++)
        n += c->ops[o].kind == OP_ROPE && !strncmp(c->ops[o].label, "b0.h", 4) &&
             strstr(c->ops[o].label, ".rope_q") != NULL;
    return n;
}

static void test_whole_groups_no_duplicates(void)
{
    workload_params ws[] = {gqa_tiny(MODE_AUTOREGRESSIVE, 6, 2),
                            fx_workload("smollm2-135m", MODE_AUTOREGRESSIVE, 4, 2,
                                        &(model_dims){.n_layers = 2})};
    static const uint32_t chips[] = {1, 2, 3, 4, 7, 64};
    CU_ASSERT_EQUAL(ws[0].dims.n_kv_heads, 2);
    CU_ASSERT_EQUAL(ws[1].dims.n_kv_heads, 3);   /* the model's own grouping stays */
    for (size_t i = 0; i < 2; i++) {
        const model_dims *d = &ws[i].dims;
        uint32_t G = (uint32_t)(d->n_heads / d->n_kv_heads), L = (uint32_t)d->n_layers;
        uint64_t T = ws[i].seq_len + 1;
        for (size_t k = 0; k < sizeof chips / sizeof chips[0]; k++) {
            uint32_t n = chips[k];
            system_program *p = fx_build(&ws[i], n, false);
            CU_ASSERT_PTR_NOT_NULL_FATAL(p);
            uint32_t groups = 0;
            for (uint32_t c = 0; c < n; c++) {
                const chip_program *cp = &p->chips[c];
                /* a K and a V cache per K/V head owned, per block */
                uint32_t caches = count_role(cp, BUF_KV_CACHE);
                CU_ASSERT_EQUAL(caches % (2 * L), 0);
                uint32_t own = caches / (2 * L);
                CU_ASSERT_EQUAL(query_heads(cp), own * G);
                if (c >= d->n_kv_heads) CU_ASSERT_EQUAL(own, 0);
                if (n <= d->n_kv_heads) CU_ASSERT(own >= 1);
                groups += own;
            }
            CU_ASSERT_EQUAL(groups, d->n_kv_heads);
            CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), fx_llama_weight_bytes(d));
            CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_KV_CACHE),
                            (uint64_t)L * d->n_kv_heads * 2 * T * d->head_dim);
            system_program_destroy(p);
        }
    }
}

static void test_dims_rules(void)
{
    char err[256];
    workload_params w = gqa_tiny(MODE_AUTOREGRESSIVE, 6, 1);
    w.dims.n_kv_heads = 3;
    CU_ASSERT_PTR_NULL(partition_build(&w, 2, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "n_kv_heads: 3 must divide n_heads 8"));
    workload_params m = fx_workload("mobilebert", MODE_PROMPT, 8, 1,
                                    &(model_dims){.n_layers = 1, .n_kv_heads = 2});
    CU_ASSERT_PTR_NULL(partition_build(&m, 2, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "mobilebert has no grouped-query attention"));
}

static int register_tests(void)
{
    ADD_SUITE("gqa", TEST(test_bit_exact_1_to_64), TEST(test_bit_exact_prompt_head_balanced),
              TEST(test_every_group_counts), TEST(test_whole_groups_no_duplicates),
              TEST(test_dims_rules));
    return 0;
}

CUNIT_MAIN(register_tests)
