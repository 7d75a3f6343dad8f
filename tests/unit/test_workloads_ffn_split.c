/* workload.partition.ffn_split (tensor partitioner) for llama: `even` slices the FFN into equal column
 * counts, `balanced` gives chips with fewer (or no) heads more columns so
 * every chip holds about the same bytes. Either way the output equals the
 * 1-chip output bit for bit, no weight is replicated, and with equal head
 * counts both policies build the same program. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "partition_tensor.h"
#include "test_workloads_fixture.h"
#include "workload.h"

static workload_params wl(int policy, uint64_t layers)
{
    workload_params w = fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 6, 5,
                                    &(model_dims){.n_layers = layers});
    tensor_params_of(&w)->ffn_split = policy;
    return w;
}

/* Bytes of one chip's buffers with `role`. */
static uint64_t chip_role_bytes(const chip_program *c, buf_role role)
{
    uint64_t s = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (c->bufs[b].role == role) s += prog_buffer_bytes(&c->bufs[b]);
    return s;
}

/* Weight + KV-cache bytes of the most loaded chip. */
static uint64_t max_chip_bytes(const system_program *p)
{
    uint64_t m = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        uint64_t b = chip_role_bytes(&p->chips[c], BUF_WEIGHT) +
                     chip_role_bytes(&p->chips[c], BUF_KV_CACHE);
        if (b > m) m = b;
    }
    return m;
}

/* FFN columns chip c holds: the rows of its block-0 W2 slice. */
static uint32_t ffn_cols(const chip_program *c)
{
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (!strcmp(c->bufs[b].name, "b0.ffn.w2")) return c->bufs[b].rows;
    return 0;
}

static void test_balanced_is_bit_exact(void)
{
    workload_params w = wl(FFN_SPLIT_BALANCED, 2);
    const uint32_t chips[] = {2, 3, 5, 8, 16, 64};
    fx_check_equal_over(&w, chips, sizeof chips / sizeof chips[0]);
}

/* Equal head counts: the two policies are the same split. */
static void test_equal_heads_same_program(void)
{
    const uint32_t chips[] = {1, 2, 4, 8};
    for (size_t i = 0; i < 4; i++) {
        workload_params we = wl(FFN_SPLIT_EVEN, 1), wb = wl(FFN_SPLIT_BALANCED, 1);
        system_program *a = fx_build(&we, chips[i], false), *b = fx_build(&wb, chips[i], false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        for (uint32_t c = 0; c < chips[i]; c++) {
            CU_ASSERT_EQUAL(ffn_cols(&a->chips[c]), ffn_cols(&b->chips[c]));
            CU_ASSERT_EQUAL(a->chips[c].n_ops, b->chips[c].n_ops);
        }
        system_program_destroy(a);
        system_program_destroy(b);
    }
}

/* More chips than heads, or heads that do not divide: balanced moves FFN
 * columns to the chips with fewer heads, never raises the most loaded
 * chip's bytes, keeps every column exactly once, and replicates nothing. */
static void test_balanced_evens_bytes(void)
{
    const uint32_t chips[] = {3, 5, 16, 32};
    for (size_t i = 0; i < 4; i++) {
        workload_params we = wl(FFN_SPLIT_EVEN, 1), wb = wl(FFN_SPLIT_BALANCED, 1);
        system_program *a = fx_build(&we, chips[i], false), *b = fx_build(&wb, chips[i], false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        CU_ASSERT(max_chip_bytes(b) < max_chip_bytes(a));
        CU_ASSERT_EQUAL(fx_role_bytes(a, BUF_WEIGHT), fx_role_bytes(b, BUF_WEIGHT));
        CU_ASSERT_EQUAL(fx_role_bytes(b, BUF_WEIGHT), fx_llama_weight_bytes(&wb.dims));
        uint32_t total = 0, min_heads_cols = UINT32_MAX, max_heads_cols = 0;
        for (uint32_t c = 0; c < chips[i]; c++) {
            uint32_t cols = ffn_cols(&b->chips[c]);
            CU_ASSERT(cols >= 1);
            total += cols;
            bool has_head = fx_count_kind(&b->chips[c], OP_SOFTMAX) > 0;
            if (has_head && cols > max_heads_cols) max_heads_cols = cols;
            if (!has_head && cols < min_heads_cols) min_heads_cols = cols;
        }
        CU_ASSERT_EQUAL(total, wb.dims.ffn_hidden);
        if (chips[i] > wb.dims.n_heads) CU_ASSERT(min_heads_cols > max_heads_cols);
        system_program_destroy(a);
        system_program_destroy(b);
    }
}

static int register_tests(void)
{
    ADD_SUITE("ffn_split", TEST(test_balanced_is_bit_exact), TEST(test_equal_heads_same_program),
              TEST(test_balanced_evens_bytes));
    return 0;
}

CUNIT_MAIN(register_tests)
