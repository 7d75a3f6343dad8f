/* The `pipeline` and `hybrid` partitioners and inferences in flight.
 * - Both are bit-exact against the model graph run whole on one chip, at
 *   every chip count they accept (llama autoregressive and prompt, with and
 *   without the LM head, MobileBERT), both block assignments.
 * - pipeline: no collective, one send per stage boundary, the weights of
 *   the model exactly once (plus the tied table once more with the head);
 *   `balanced` lowers the busiest chip's MACs where a stage also runs the
 *   LM head; chips beyond the blocks are refused naming hybrid.
 * - hybrid: one stage is the tensor program itself; every collective stays
 *   inside its stage's group; the stream goes root to root; shapes that do
 *   not divide or exceed the blocks or the tensor limit are refused.
 * - in_flight: every inference's output is the 1-chip reference of its own
 *   input (they differ from each other), weights are shared and everything
 *   else is per inference. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "model_graph.h"
#include "partition_pipeline.h"
#include "test_workloads_fixture.h"

/* A vocabulary of 512 keeps the LM head's table small: the tests run in
 * the sanitizer build too. */
static workload_params with(const char *model, int mode, uint64_t seq, uint64_t blocks, bool head,
                            const char *partitioner)
{
    workload_params w = fx_workload(model, mode, seq, 7, head ? &(model_dims){.vocab = 512} : NULL);
    w.blocks = blocks;
    w.head = head;
    return fx_with_partitioner(w, partitioner);
}

static void set_param(workload_params *w, size_t offset, const void *v, size_t size)
{
    memcpy(w->partition.bytes + offset, v, size);
}

/* ---- pipeline ---- */

static void test_pipeline_bit_exact(void)
{
    const uint32_t chips[] = {2, 3, 4};
    workload_params ws[] = {
        with("stories15m", MODE_AUTOREGRESSIVE, 9, 4, false, "pipeline"),
        with("stories15m", MODE_PROMPT, 6, 4, false, "pipeline"),
        with("stories15m", MODE_AUTOREGRESSIVE, 5, 4, true, "pipeline"),
        with("tinyllama-42m", MODE_PROMPT, 4, 4, true, "pipeline"),
        with("mobilebert", MODE_PROMPT, 6, 4, false, "pipeline"),
    };
    for (int assign = 0; assign < 2; assign++)
        for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
            set_param(&ws[i], offsetof(pipeline_params, assign), &assign, sizeof assign);
            fx_check_equal_over(&ws[i], chips, sizeof chips / sizeof chips[0]);
        }
}

static void test_pipeline_structure(void)
{
    workload_params w = with("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 5, false, "pipeline");
    model_dims five = w.dims;
    five.n_layers = 5;
    for (uint32_t n = 1; n <= 5; n++) {
        system_program *p = fx_build(&w, n, false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        /* non-replicating without the head: the model's weights exactly once */
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), fx_llama_weight_bytes(&five));
        uint32_t sends = 0;
        for (uint32_t c = 0; c < n; c++) {
            const chip_program *cp = &p->chips[c];
            CU_ASSERT_EQUAL(fx_count_kind(cp, OP_REDUCE) + fx_count_kind(cp, OP_BCAST), 0);
            CU_ASSERT_EQUAL(fx_count_kind(cp, OP_SEND), c + 1 < n ? 1u : 0u);
            CU_ASSERT_EQUAL(fx_count_kind(cp, OP_RECV), c > 0 ? 1u : 0u);
            for (uint32_t o = 0; o < cp->n_ops; o++)
                if (cp->ops[o].kind == OP_SEND) {
                    CU_ASSERT_EQUAL(cp->ops[o].peer, (int32_t)c + 1);
                    CU_ASSERT_EQUAL(cp->ops[o].bytes, (uint64_t)w.dims.dim);   /* S x E int8 */
                    sends++;
                }
        }
        CU_ASSERT_EQUAL(sends, n - 1);
        /* the output is the last stage's */
        for (uint32_t c = 0; c < n; c++)
            CU_ASSERT_EQUAL(system_program_output_part(p, c) != NULL, c == n - 1);
        system_program_destroy(p);
    }
    /* with the LM head the tied table sits on the first and the last stage */
    workload_params h = with("stories15m", MODE_AUTOREGRESSIVE, 8, 3, true, "pipeline");
    system_program *one = fx_build(&h, 1, false), *three = fx_build(&h, 3, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    CU_ASSERT_PTR_NOT_NULL_FATAL(three);
    uint64_t table = h.dims.vocab * h.dims.dim;   /* 512 x 288 */
    CU_ASSERT_EQUAL(fx_role_bytes(three, BUF_WEIGHT), fx_role_bytes(one, BUF_WEIGHT) + table);
    system_program_destroy(one);
    system_program_destroy(three);
}

static uint64_t max_chip_macs(const system_program *p)
{
    uint64_t best = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        uint64_t m = 0;
        for (uint32_t o = 0; o < p->chips[c].n_ops; o++) m += p->chips[c].ops[o].work.macs;
        if (m > best) best = m;
    }
    return best;
}

/* The LM head is worth several blocks of MACs in autoregressive mode: the
 * even split leaves its stage the busiest, balanced takes blocks off it. */
static void test_pipeline_balanced(void)
{
    /* the published vocabulary (built without data: the table costs nothing) */
    workload_params w = fx_with_partitioner(
        fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 7, NULL), "pipeline");
    w.head = true;
    system_program *even = fx_build(&w, 4, false);
    int balanced = PIPELINE_ASSIGN_BALANCED;
    set_param(&w, offsetof(pipeline_params, assign), &balanced, sizeof balanced);
    system_program *bal = fx_build(&w, 4, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(even);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bal);
    CU_ASSERT(max_chip_macs(bal) < max_chip_macs(even));
    system_program_destroy(even);
    system_program_destroy(bal);
    /* without a heavy prologue or epilogue both give the same stages */
    workload_params plain = with("stories15m", MODE_PROMPT, 4, 6, false, "pipeline");
    char err[256];
    model_graph *g = model_graph_create(&plain, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    for (uint32_t n = 1; n <= 6; n++) {
        uint32_t a0[8], a1[8], b0[8], b1[8];
        CU_ASSERT_EQUAL(partition_pipeline_stage_blocks(g, PIPELINE_ASSIGN_EVEN, n, a0, a1, err, sizeof err), 0);
        CU_ASSERT_EQUAL(partition_pipeline_stage_blocks(g, PIPELINE_ASSIGN_BALANCED, n, b0, b1, err, sizeof err), 0);
        for (uint32_t s = 0; s < n; s++) {
            CU_ASSERT(a1[s] > a0[s] && b1[s] > b0[s]);   /* every stage has a block */
            CU_ASSERT_EQUAL(a1[s] - a0[s] + 1 >= b1[s] - b0[s] && b1[s] - b0[s] + 1 >= a1[s] - a0[s], 1);
        }
        CU_ASSERT_EQUAL(a0[0], 0);
        CU_ASSERT_EQUAL(b1[n - 1], 6);
    }
    model_graph_destroy(g);
}

static void test_pipeline_refuses(void)
{
    workload_params w = with("stories15m", MODE_AUTOREGRESSIVE, 8, 3, false, "pipeline");
    char err[512] = "";
    CU_ASSERT_PTR_NULL(partition_build(&w, 4, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "pipeline: 3 blocks cannot be split over 4 chips (a stage "
                                       "needs at least one block); use hybrid"));
}

/* ---- hybrid ---- */

static workload_params hybrid(const char *model, int mode, uint64_t seq, uint64_t blocks,
                              bool head, uint64_t group, uint64_t stages)
{
    workload_params w = with(model, mode, seq, blocks, head, "hybrid");
    set_param(&w, offsetof(hybrid_params, group), &group, sizeof group);
    set_param(&w, offsetof(hybrid_params, stages), &stages, sizeof stages);
    return w;
}

/* chips[i]-chip runs of w against the whole model on one chip (a fixed
 * shape may refuse the 1-chip run itself). */
static void same_as_reference(const workload_params *w, const uint32_t *chips, size_t n)
{
    size_t bytes;
    int8_t *ref = fx_reference_out(w, &bytes);
    fx_check_same_out(w, ref, bytes, chips, n);
    free(ref);
}

static void test_hybrid_bit_exact(void)
{
    const uint32_t chips[] = {2, 4, 6, 8};
    workload_params ws[] = {
        hybrid("stories15m", MODE_AUTOREGRESSIVE, 9, 3, false, 0, 0),
        hybrid("stories15m", MODE_PROMPT, 5, 4, true, 0, 0),
        hybrid("tinyllama-42m", MODE_AUTOREGRESSIVE, 6, 2, true, 0, 2),
    };
    fx_check_equal_over(&ws[0], chips, sizeof chips / sizeof chips[0]);
    fx_check_equal_over(&ws[1], chips, sizeof chips / sizeof chips[0]);
    same_as_reference(&ws[2], chips, sizeof chips / sizeof chips[0]);
    /* MobileBERT: groups up to its 4 heads */
    const uint32_t mb_chips[] = {2, 4, 8, 12};
    workload_params mb = hybrid("mobilebert", MODE_PROMPT, 6, 4, false, 0, 0);
    fx_check_equal_over(&mb, mb_chips, sizeof mb_chips / sizeof mb_chips[0]);
    workload_params mb4 = hybrid("mobilebert", MODE_PROMPT, 6, 4, false, 4, 0);
    same_as_reference(&mb4, mb_chips + 1, 3);
}

static void test_hybrid_structure(void)
{
    /* one stage: the tensor partitioner's program itself */
    workload_params t = with("stories15m", MODE_AUTOREGRESSIVE, 8, 2, true, "tensor");
    workload_params h = hybrid("stories15m", MODE_AUTOREGRESSIVE, 8, 2, true, 0, 1);
    system_program *a = fx_build(&t, 3, false), *b = fx_build(&h, 3, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    for (uint32_t c = 0; c < 3; c++) {
        CU_ASSERT_EQUAL(a->chips[c].n_ops, b->chips[c].n_ops);
        CU_ASSERT_EQUAL(a->chips[c].n_bufs, b->chips[c].n_bufs);
        for (uint32_t o = 0; o < a->chips[c].n_ops && o < b->chips[c].n_ops; o++)
            CU_ASSERT(memcmp(&a->chips[c].ops[o], &b->chips[c].ops[o], sizeof(prog_op)) == 0);
    }
    system_program_destroy(a);
    system_program_destroy(b);
    /* 3 stages of 4: collectives inside each group, the stream root to root */
    workload_params w = hybrid("stories15m", MODE_PROMPT, 4, 3, false, 4, 3);
    system_program *p = fx_build(&w, 12, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    for (uint32_t c = 0; c < 12; c++) {
        const chip_program *cp = &p->chips[c];
        for (uint32_t o = 0; o < cp->n_ops; o++) {
            const prog_op *op = &cp->ops[o];
            if (op->kind == OP_REDUCE || op->kind == OP_BCAST) {
                CU_ASSERT_EQUAL(op->group_size, 4);
                CU_ASSERT_EQUAL(op->group_first, c / 4 * 4);
            }
            if (op->kind == OP_SEND) {
                CU_ASSERT(c % 4 == 0 && c < 8);
                CU_ASSERT_EQUAL(op->peer, (int32_t)c + 4);
            }
            if (op->kind == OP_RECV) CU_ASSERT(c % 4 == 0 && c > 0);
        }
    }
    CU_ASSERT_PTR_NOT_NULL(system_program_output_part(p, 8));
    system_program_destroy(p);
}

static void refused(workload_params w, uint32_t chips, const char *want)
{
    char err[512] = "";
    system_program *p = partition_build(&w, chips, false, err, sizeof err);
    CU_ASSERT_PTR_NULL(p);
    system_program_destroy(p);
    if (!strstr(err, want)) fprintf(stderr, "\nwant '%s', got '%s'\n", want, err);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
}

static void test_hybrid_refuses(void)
{
    refused(hybrid("stories15m", MODE_PROMPT, 4, 4, false, 3, 0), 8,
            "hybrid: group 3 does not divide 8 chips");
    refused(hybrid("stories15m", MODE_PROMPT, 4, 4, false, 0, 16), 8,
            "hybrid: stages 16 is more than the 8 chips");
    refused(hybrid("stories15m", MODE_PROMPT, 4, 2, false, 2, 0), 8,
            "hybrid: 4 stages need at least 4 blocks, the workload simulates 2");
    refused(hybrid("stories15m", MODE_PROMPT, 4, 2, false, 2, 2), 8,
            "hybrid: group 2 x stages 2 is 4 chips, not 8");
    refused(hybrid("mobilebert", MODE_PROMPT, 4, 2, false, 8, 0), 8,
            "hybrid: groups of 8 chips: mobilebert has 4 heads, cannot split over 8 chips");
    refused(hybrid("mobilebert", MODE_PROMPT, 4, 2, false, 0, 0), 16,
            "hybrid: 16 chips have no split into stages of at least one block (2 blocks)");
}

/* ---- in flight ---- */

/* Inference k's output of a built program after its functional run. */
static int8_t *output_of(const system_program *p, uint32_t k, size_t *bytes)
{
    *bytes = system_program_output_bytes_of(p, k);
    int8_t *v = malloc(*bytes ? *bytes : 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL_FATAL(system_program_output_copy_of(p, k, v), 0);
    return v;
}

static void check_in_flight(workload_params w, uint32_t chips, uint32_t m)
{
    char err[512] = "";
    w.in_flight = m;
    system_program *p = fx_build(&w, chips, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->inferences, m);
    CU_ASSERT_EQUAL_FATAL(functional_run(p, err, sizeof err), 0);
    int8_t *first = NULL;
    size_t first_bytes = 0;
    for (uint32_t k = 0; k < m; k++) {
        size_t got_bytes, want_bytes;
        int8_t *got = output_of(p, k, &got_bytes);
        system_program *ref = partition_reference_of(&w, k, true, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
        int8_t *want = fx_output_of(ref, NULL, NULL, &want_bytes);
        bool same = got_bytes == want_bytes && memcmp(got, want, got_bytes) == 0;
        if (!same)
            fprintf(stderr, "\n%s, %u chips, inference %u of %u differs from its reference\n",
                    w.partitioner, chips, k, m);
        CU_ASSERT(same);
        /* each sequence has its own input: its output is not the first's */
        if (k == 0) first = got, first_bytes = got_bytes;
        else {
            CU_ASSERT(got_bytes == first_bytes && memcmp(got, first, got_bytes) != 0);
            free(got);
        }
        free(want);
    }
    free(first);
    system_program_destroy(p);
}

static void test_in_flight_bit_exact(void)
{
    check_in_flight(with("stories15m", MODE_AUTOREGRESSIVE, 7, 2, false, "tensor"), 3, 3);
    check_in_flight(with("stories15m", MODE_AUTOREGRESSIVE, 7, 3, true, "pipeline"), 3, 4);
    check_in_flight(with("stories15m", MODE_PROMPT, 5, 2, true, "tensor"), 2, 2);
    check_in_flight(hybrid("stories15m", MODE_AUTOREGRESSIVE, 6, 2, false, 2, 2), 4, 3);
    check_in_flight(with("mobilebert", MODE_PROMPT, 4, 2, false, "pipeline"), 2, 2);
    check_in_flight(with("stories15m", MODE_PROMPT, 4, 1, false, "replicate"), 2, 2);
}

/* Weights once, KV cache and ops per inference; every op knows its own. */
static void test_in_flight_shares_weights(void)
{
    workload_params w = with("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 2, false, "pipeline");
    system_program *one = fx_build(&w, 2, false);
    w.in_flight = 5;
    system_program *five = fx_build(&w, 2, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    CU_ASSERT_PTR_NOT_NULL_FATAL(five);
    CU_ASSERT_EQUAL(fx_role_bytes(five, BUF_WEIGHT), fx_role_bytes(one, BUF_WEIGHT));
    CU_ASSERT_EQUAL(fx_role_bytes(five, BUF_KV_CACHE), 5 * fx_role_bytes(one, BUF_KV_CACHE));
    CU_ASSERT_EQUAL(fx_role_bytes(five, BUF_ACTIVATION), 5 * fx_role_bytes(one, BUF_ACTIVATION));
    for (uint32_t c = 0; c < 2; c++) {
        CU_ASSERT_EQUAL(five->chips[c].n_ops, 5 * one->chips[c].n_ops);
        /* a chip runs its part of inference k before any of k + 1 */
        uint32_t last = 0;
        for (uint32_t o = 0; o < five->chips[c].n_ops; o++) {
            CU_ASSERT(five->chips[c].ops[o].inference >= last);
            last = five->chips[c].ops[o].inference;
        }
        CU_ASSERT_EQUAL(last, 4);
    }
    system_program_destroy(one);
    system_program_destroy(five);
}

static int register_tests(void)
{
    ADD_SUITE("pipeline_hybrid", TEST(test_pipeline_bit_exact), TEST(test_pipeline_structure),
              TEST(test_pipeline_balanced), TEST(test_pipeline_refuses),
              TEST(test_hybrid_bit_exact), TEST(test_hybrid_structure),
              TEST(test_hybrid_refuses), TEST(test_in_flight_bit_exact),
              TEST(test_in_flight_shares_weights));
    return 0;
}

CUNIT_MAIN(register_tests)
