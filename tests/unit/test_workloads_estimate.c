/* partition_estimate against the programs partition_build really builds:
 * ops, collectives, buffers, tensor bytes and the largest collective
 * payload, over both architectures, both modes, chips below, at and above
 * the head count, grouped-query attention, both FFN splits and reductions
 * onto the root or onto every chip; exactly for the whole model on one
 * chip and replicate. The estimate is what refuses a run
 * too big for memory, so it must track the real size closely (within 5 %:
 * a small addition to a partitioner does not need it updated the same day,
 * a structural one does). */
#include <math.h>

#include "cunit_main.h"
#include "partition_estimate.h"
#include "partition_tensor.h"
#include "test_workloads_fixture.h"

typedef struct counted {
    double ops, collectives, buffers, data_bytes, max_coll_bytes, weight_buffers, weight_bytes;
} counted;

/* collectives: the most any chip takes part in; the largest payload of a
 * collective or of a point-to-point send. */
static counted count(const system_program *p)
{
    counted k = {0, 0, 0, 0, 0, 0, 0};
    for (uint32_t c = 0; c < p->n_chips; c++) {
        const chip_program *cp = &p->chips[c];
        k.ops += cp->n_ops;
        k.buffers += cp->n_bufs;
        for (uint32_t b = 0; b < cp->n_bufs; b++) {
            double bytes = (double)prog_buffer_bytes(&cp->bufs[b]);
            k.data_bytes += bytes;
            if (cp->bufs[b].role == BUF_WEIGHT) k.weight_buffers++, k.weight_bytes += bytes;
        }
        double colls = 0;
        for (uint32_t i = 0; i < cp->n_ops; i++) {
            const prog_op *op = &cp->ops[i];
            if (op->kind != OP_REDUCE && op->kind != OP_BCAST && op->kind != OP_ALLREDUCE &&
                op->kind != OP_SEND)
                continue;
            colls += op->kind != OP_SEND;
            if ((double)op->bytes > k.max_coll_bytes) k.max_coll_bytes = (double)op->bytes;
        }
        if (colls > k.collectives) k.collectives = colls;
    }
    return k;
}

static bool near(double est, double real)
{
    return fabs(est - real) <= 0.05 * real;
}

static void check_one(const workload_params *w, uint32_t chips)
{
    system_program *p = fx_build(w, chips, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    counted k = count(p);
    program_size e;
    partition_estimate(w, chips, &e);
    bool ok = near(e.ops, k.ops) && e.collectives == k.collectives && near(e.buffers, k.buffers) &&
              near(e.data_bytes, k.data_bytes) && e.max_coll_bytes == k.max_coll_bytes &&
              near(e.weight_buffers, k.weight_buffers) && near(e.weight_bytes, k.weight_bytes);
    if (!ok)
        fprintf(stderr, "\n%s %u chips: estimate ops %.0f coll %.0f bufs %.0f bytes %.0f max %.0f "
                "weights %.0f bufs %.0f B; built %.0f %.0f %.0f %.0f %.0f weights %.0f bufs %.0f B\n",
                p->description, chips, e.ops, e.collectives, e.buffers, e.data_bytes,
                e.max_coll_bytes, e.weight_buffers, e.weight_bytes, k.ops, k.collectives,
                k.buffers, k.data_bytes, k.max_coll_bytes, k.weight_buffers, k.weight_bytes);
    CU_ASSERT_TRUE(ok);
    system_program_destroy(p);
}

/* Both ways of emitting reductions: onto the root (broadcasts after its
 * merges) and onto every chip (every chip merges, no broadcast). */
static void check(const workload_params *w, uint32_t chips)
{
    workload_params all = *w;
    all.reductions = REDUCE_ON_ALL;
    check_one(w, chips);
    check_one(&all, chips);
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
    /* grouped-query attention: 9 query heads over 3 K/V heads */
    workload_params g = fx_workload("smollm2-135m", MODE_AUTOREGRESSIVE, 16, 1, NULL);
    static const uint32_t gchips[] = {1, 2, 3, 4, 9, 64};
    for (size_t i = 0; i < sizeof gchips / sizeof gchips[0]; i++) check(&g, gchips[i]);
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

/* The whole model on one chip (graph_whole.c) is counted op by op: its
 * estimate, replicate's at N chips and the --check reference's, are exact. */
static void check_exact(const system_program *p, const program_size *e)
{
    counted k = count(p);
    bool ok = e->ops == k.ops && e->collectives == 0 && k.collectives == 0 &&
              e->buffers == k.buffers && e->data_bytes == k.data_bytes &&
              e->max_coll_bytes == k.max_coll_bytes && e->weight_buffers == k.weight_buffers &&
              e->weight_bytes == k.weight_bytes;
    if (!ok)
        fprintf(stderr, "\n%s: estimate ops %.0f bufs %.0f bytes %.0f; built %.0f %.0f %.0f\n",
                p->description, e->ops, e->buffers, e->data_bytes, k.ops, k.buffers,
                k.data_bytes);
    CU_ASSERT_TRUE(ok);
}

static void test_whole_model(void)
{
    workload_params ws[] = {
        fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 1, NULL),
        fx_workload("stories15m", MODE_PROMPT, 6, 1, NULL),
        fx_workload("mobilebert", MODE_PROMPT, 8, 1, &(model_dims){.n_layers = 3, .n_ffn = 2}),
        fx_workload("stories15m", MODE_PROMPT, 5, 1, NULL),
        fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 4, 1, NULL),
    };
    ws[3].head = ws[4].head = true;
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
        char err[256];
        program_size e;
        system_program *ref = partition_reference(&ws[i], false, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
        partition_estimate_reference(&ws[i], &e);
        check_exact(ref, &e);
        system_program_destroy(ref);
        workload_params r = fx_with_partitioner(ws[i], "replicate");
        for (uint32_t n = 1; n <= 5; n += 4) {
            system_program *p = fx_build(&r, n, false);
            CU_ASSERT_PTR_NOT_NULL_FATAL(p);
            partition_estimate(&r, n, &e);
            check_exact(p, &e);
            system_program_destroy(p);
        }
        /* pipeline stages are whole blocks: exact too, at every stage count,
         * both block assignments, and with inferences in flight */
        workload_params q = fx_with_partitioner(ws[i], "pipeline");
        q.blocks = 3;
        for (uint32_t n = 1; n <= 3; n++)
            for (int assign = 0; assign < 2; assign++)
                for (uint64_t m = 1; m <= 3; m += 2) {
                    *(int *)(void *)q.partition.bytes = assign;
                    q.in_flight = m;
                    system_program *p = fx_build(&q, n, false);
                    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
                    partition_estimate(&q, n, &e);
                    check_exact(p, &e);
                    system_program_destroy(p);
                }
    }
    /* an unknown partitioner cannot be sized: any memory limit refuses it */
    workload_params u = fx_with_partitioner(ws[0], "no-such");
    program_size e;
    partition_estimate(&u, 2, &e);
    CU_ASSERT(isinf(e.data_bytes));
}

/* hybrid: the tensor estimate per stage; several inferences in flight
 * share the weights and multiply the rest */
static void test_hybrid_and_in_flight(void)
{
    workload_params w = fx_with_partitioner(
        fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 1, NULL), "hybrid");
    static const uint32_t chips[] = {2, 4, 8, 16, 64};
    for (size_t i = 0; i < sizeof chips / sizeof chips[0]; i++) check(&w, chips[i]);
    workload_params p = fx_with_partitioner(fx_workload("stories15m", MODE_PROMPT, 8, 1, NULL),
                                            "hybrid");
    check(&p, 6);
    workload_params mb = fx_with_partitioner(
        fx_workload("mobilebert", MODE_PROMPT, 8, 1, &(model_dims){.n_layers = 4}), "hybrid");
    check(&mb, 4);
    check(&mb, 8);
    workload_params t = fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 1, NULL);
    t.in_flight = 3;
    check(&t, 1);
    check(&t, 4);
    w.in_flight = 4;
    check(&w, 8);
}

static int register_tests(void)
{
    ADD_SUITE("workloads_estimate", TEST(test_llama_autoregressive), TEST(test_llama_prompt),
              TEST(test_mobilebert), TEST(test_whole_model), TEST(test_hybrid_and_in_flight));
    return 0;
}

CUNIT_MAIN(register_tests)
