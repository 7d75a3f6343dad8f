/* partition_estimate against the programs partition_build really builds:
 * ops, collectives, buffers, tensor bytes and the largest collective
 * payload, over both architectures, both modes, chips below, at and above
 * the head count and both FFN splits. The estimate is what refuses a run
 * too big for memory, so it must track the real size closely (within 5 %:
 * a small addition to a partitioner does not need it updated the same day,
 * a structural one does). */
#include <math.h>

#include "cunit_main.h"
#include "partition_estimate.h"
#include "partition_tensor.h"
#include "test_workloads_fixture.h"

typedef struct counted {
    double ops, collectives, buffers, data_bytes, max_coll_bytes;
} counted;

static counted count(const system_program *p)
{
    counted k = {0, 0, 0, 0, 0};
    for (uint32_t c = 0; c < p->n_chips; c++) {
        const chip_program *cp = &p->chips[c];
        k.ops += cp->n_ops;
        k.buffers += cp->n_bufs;
        for (uint32_t b = 0; b < cp->n_bufs; b++) k.data_bytes += (double)prog_buffer_bytes(&cp->bufs[b]);
        for (uint32_t i = 0; i < cp->n_ops; i++) {
            const prog_op *op = &cp->ops[i];
            if (op->kind != OP_REDUCE && op->kind != OP_BCAST) continue;
            if (c == 0) k.collectives++;
            if ((double)op->bytes > k.max_coll_bytes) k.max_coll_bytes = (double)op->bytes;
        }
    }
    return k;
}

static bool near(double est, double real)
{
    return fabs(est - real) <= 0.05 * real;
}

static void check(const workload_params *w, uint32_t chips)
{
    system_program *p = fx_build(w, chips, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    counted k = count(p);
    program_size e;
    partition_estimate(w, chips, &e);
    bool ok = near(e.ops, k.ops) && e.collectives == k.collectives && near(e.buffers, k.buffers) &&
              near(e.data_bytes, k.data_bytes) && e.max_coll_bytes == k.max_coll_bytes;
    if (!ok)
        fprintf(stderr, "\n%s %u chips: estimate ops %.0f coll %.0f bufs %.0f bytes %.0f max %.0f; "
                "built %.0f %.0f %.0f %.0f %.0f\n", p->description, chips, e.ops, e.collectives,
                e.buffers, e.data_bytes, e.max_coll_bytes, k.ops, k.collectives, k.buffers,
                k.data_bytes, k.max_coll_bytes);
    CU_ASSERT_TRUE(ok);
    system_program_destroy(p);
}

static void test_llama_autoregressive(void)
{
    workload_params w = fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 1, NULL);
    static const uint32_t chips[] = {1, 2, 3, 8, 12, 64};
    for (size_t i = 0; i < sizeof chips / sizeof chips[0]; i++) check(&w, chips[i]);
    tensor_params_of(&w)->ffn_split = FFN_SPLIT_BALANCED;
    check(&w, 12);
    workload_params s = fx_workload("stories15m", MODE_AUTOREGRESSIVE, 32, 1, NULL);
    check(&s, 6);
    check(&s, 7);
}

static void test_llama_prompt(void)
{
    workload_params w = fx_workload("tinyllama-42m", MODE_PROMPT, 16, 1, NULL);
    check(&w, 1);
    check(&w, 4);
    check(&w, 16);
}

static void test_mobilebert(void)
{
    workload_params w = fx_workload("mobilebert", MODE_PROMPT, 16, 1, NULL);
    check(&w, 1);
    check(&w, 2);
    check(&w, 4);
    model_dims over = {.n_ffn = 2, .n_layers = 3};
    workload_params v = fx_workload("mobilebert", MODE_PROMPT, 8, 1, &over);
    check(&v, 3);
}

static int register_tests(void)
{
    ADD_SUITE("workloads_estimate", TEST(test_llama_autoregressive), TEST(test_llama_prompt),
              TEST(test_mobilebert));
    return 0;
}

CUNIT_MAIN(register_tests)
