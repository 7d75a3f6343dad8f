/* workload.blocks: simulating the first N blocks. Its N-chip output equals
 * the 1-chip output bit for bit and equals the output of a model that only
 * has N layers; it emits exactly the ops of those N blocks of a full run (the
 * last of them shaped like the model's last block); the weights held are N
 * blocks' worth. And the scope string every summary prints. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "test_workloads_fixture.h"
#include "workload.h"

static workload_params wl(const char *model, int mode, uint64_t seq, uint64_t blocks)
{
    workload_params w = fx_workload(model, mode, seq, 9, NULL);
    w.blocks = blocks;
    return w;
}

static void test_bit_exact(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 2);
    const uint32_t chips[] = {2, 3, 4, 8, 16, 64};
    fx_check_equal_over(&w, chips, sizeof chips / sizeof chips[0]);
    workload_params m = wl("mobilebert", MODE_PROMPT, 6, 2);
    const uint32_t mchips[] = {2, 3, 4};
    fx_check_equal_over(&m, mchips, sizeof mchips / sizeof mchips[0]);
}

/* Blocks are generated per layer, so the first N blocks of a deep model are
 * a model N layers deep: same output bytes. */
static void test_same_as_shallow_model(void)
{
    const char *models[] = {"tinyllama-42m", "mobilebert"};
    for (int i = 0; i < 2; i++) {
        int mode = i ? MODE_PROMPT : MODE_AUTOREGRESSIVE;
        workload_params deep = wl(models[i], mode, 5, 2);
        workload_params shallow = fx_workload(models[i], mode, 5, 9, &(model_dims){.n_layers = 2});
        size_t a, b;
        int8_t *x = fx_run_out(&deep, 2, NULL, NULL, &a);
        int8_t *y = fx_run_out(&shallow, 2, NULL, NULL, &b);
        CU_ASSERT(a == b && memcmp(x, y, a) == 0);
        free(x);
        free(y);
    }
}

/* Block of an op from its label "b<l>.…", or -1 for ops outside the blocks
 * (input, final norm, embedding, head). */
static int block_of(const char *label)
{
    if (label[0] != 'b' || label[1] < '0' || label[1] > '9') return -1;
    char *end;
    long l = strtol(label + 1, &end, 10);
    return *end == '.' ? (int)l : -1;
}

/* ops[c][l + 1]: chip c's op count of block l; [c][0]: outside the blocks. */
static uint32_t *count_by_block(const system_program *p, uint32_t layers)
{
    uint32_t *n = calloc((size_t)p->n_chips * (layers + 1), sizeof *n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t o = 0; o < p->chips[c].n_ops; o++) {
            int l = block_of(p->chips[c].ops[o].label);
            CU_ASSERT_FATAL(l < (int)layers);
            n[c * (layers + 1) + (uint32_t)(l + 1)]++;
        }
    return n;
}

/* blocks: N emits, per chip, block l < N-1 exactly as the full run does,
 * block N-1 as the full run's last block (no broadcast after it, the final
 * norm), nothing of later blocks, and the same ops outside the blocks. */
static void check_block_ops(const workload_params *full, uint32_t chips)
{
    uint32_t L = (uint32_t)full->dims.n_layers, stride = L + 1;
    system_program *pf = fx_build(full, chips, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pf);
    uint32_t *nf = count_by_block(pf, L);
    const uint32_t Ns[] = {1, 2, L - 1};
    for (size_t i = 0; i < 3; i++) {
        workload_params w = *full;
        w.blocks = Ns[i];
        uint32_t N = Ns[i];
        system_program *p = fx_build(&w, chips, false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        uint32_t *n = count_by_block(p, L);
        for (uint32_t c = 0; c < chips; c++) {
            const uint32_t *f = nf + c * stride, *g = n + c * stride;
            CU_ASSERT_EQUAL(g[0], f[0]);
            for (uint32_t l = 0; l + 1 < N; l++) CU_ASSERT_EQUAL(g[l + 1], f[l + 1]);
            CU_ASSERT_EQUAL(g[N], f[L]);
            for (uint32_t l = N; l < L; l++) CU_ASSERT_EQUAL(g[l + 1], 0);
            uint32_t sum = 0;
            for (uint32_t l = 0; l <= L; l++) sum += g[l];
            CU_ASSERT_EQUAL(sum, p->chips[c].n_ops);
        }
        free(n);
        system_program_destroy(p);
    }
    free(nf);
    system_program_destroy(pf);
}

static void test_emits_n_blocks_ops(void)
{
    workload_params ar = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 0);
    check_block_ops(&ar, 3);
    check_block_ops(&ar, 16); /* chips without heads */
    workload_params head = ar;
    head.head = true;
    check_block_ops(&head, 5);
    workload_params pr = wl("stories15m", MODE_PROMPT, 4, 0);
    check_block_ops(&pr, 4);
    workload_params mb = wl("mobilebert", MODE_PROMPT, 4, 0);
    check_block_ops(&mb, 2);
}

/* The weights held are N blocks' worth (counted independently of the
 * partitioner) and the reductions two per simulated block. */
static void test_weights_and_reductions(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 3);
    model_dims three = w.dims;
    three.n_layers = 3;
    const uint32_t chips[] = {1, 4, 16};
    for (size_t i = 0; i < 3; i++) {
        system_program *p = fx_build(&w, chips[i], false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), fx_llama_weight_bytes(&three));
        for (uint32_t c = 0; c < chips[i]; c++)
            CU_ASSERT_EQUAL(fx_count_kind(&p->chips[c], OP_REDUCE), 2 * 3);
        system_program_destroy(p);
    }
}

static void check_scope(const workload_params *w, const char *want)
{
    char got[WORKLOAD_SCOPE_MAX];
    workload_scope(w, got, sizeof got);
    if (strcmp(got, want)) fprintf(stderr, "scope '%s', want '%s'\n", got, want);
    CU_ASSERT_STRING_EQUAL(got, want);
    /* and the program says so too */
    system_program *p = fx_build(w, 2, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL(strstr(p->description, want));
    system_program_destroy(p);
}

static void test_scope_strings(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 128, 0);
    check_scope(&w, "one token; 8 of 8 blocks; no LM head");
    w.head = true;
    check_scope(&w, "one token; 8 of 8 blocks; embedding + LM head");
    w = wl("tinyllama-42m", MODE_PROMPT, 128, 2);
    check_scope(&w, "128-token prompt; 2 of 8 blocks; no LM head");
    w.head = true;
    check_scope(&w, "128-token prompt; 2 of 8 blocks; embedding + LM head (last position)");
    w = wl("mobilebert", MODE_PROMPT, 128, 0);
    check_scope(&w, "128-token sequence; 24 of 24 blocks");
    w.blocks = 24; /* the count written out is the same scope as the default */
    check_scope(&w, "128-token sequence; 24 of 24 blocks");
}

static void test_checks(void)
{
    char err[256] = "";
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 8);
    CU_ASSERT_EQUAL(workload_check(&w, err, sizeof err), 0);
    CU_ASSERT_EQUAL(workload_blocks(&w), 8);
    w.blocks = 0; /* the C default: all */
    CU_ASSERT_EQUAL(workload_check(&w, err, sizeof err), 0);
    CU_ASSERT_EQUAL(workload_blocks(&w), 8);
    w.blocks = 9;
    CU_ASSERT_NOT_EQUAL(workload_check(&w, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(err, "blocks: 9 is outside 1..8 (tinyllama-42m has n_layers 8)");
    CU_ASSERT_PTR_NULL(partition_build(&w, 2, false, err, sizeof err));
    CU_ASSERT_NOT_EQUAL(workload_check_blocks(0, &w.dims, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "blocks: 0 is outside 1..8"));
}

static int register_tests(void)
{
    ADD_SUITE("blocks", TEST(test_bit_exact), TEST(test_same_as_shallow_model),
              TEST(test_emits_n_blocks_ops), TEST(test_weights_and_reductions),
              TEST(test_scope_strings), TEST(test_checks));
    return 0;
}

CUNIT_MAIN(register_tests)
