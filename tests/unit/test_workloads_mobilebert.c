/* MobileBERT partition: N-chip output equals 1 chip bit for bit, weights are
 * never replicated (bytes equal an independent parameter count of the block),
 * 7 reductions per block, recorded op work equals the kernels' report, and
 * more chips than heads or autoregressive mode are refused. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "workload.h"

static workload_params mb(uint64_t seq, uint64_t layers)
{
    workload_params w;
    memset(&w, 0, sizeof w);
    snprintf(w.model, sizeof w.model, "mobilebert");
    w.mode = MODE_PROMPT;
    w.seq_len = seq;
    w.seed = 11;
    model_dims over;
    memset(&over, 0, sizeof over);
    over.n_layers = layers;
    char err[256];
    CU_ASSERT_FATAL(workload_resolve(&w, &over, err, sizeof err) == 0);
    return w;
}

static int8_t *run_out(const workload_params *w, uint32_t chips, functional_hook hook,
                       void *ctx, size_t *bytes)
{
    char err[512] = "";
    system_program *p = partition_build(w, chips, true, err, sizeof err);
    if (!p) fprintf(stderr, "build: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    int rc = functional_run_hooked(p, hook, ctx, err, sizeof err);
    if (rc) fprintf(stderr, "run: %s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    prog_buffer *o = &p->chips[p->root].bufs[p->output_buf];
    *bytes = prog_buffer_bytes(o);
    int8_t *copy = malloc(*bytes);
    memcpy(copy, o->data, *bytes);
    system_program_destroy(p);
    return copy;
}

static void test_chips_match_one_chip(void)
{
    workload_params w = mb(8, 2);
    size_t b1, bn;
    int8_t *ref = run_out(&w, 1, NULL, NULL, &b1);
    CU_ASSERT_EQUAL(b1, 8 * w.dims.dim);
    /* a saturated or constant output would make equality meaningless */
    size_t distinct = 0, saturated = 0;
    for (size_t i = 0; i < b1; i++) {
        distinct += ref[i] != ref[0];
        saturated += ref[i] == 127 || ref[i] == -128;
    }
    CU_ASSERT(distinct > b1 / 4);
    CU_ASSERT(saturated < b1 / 10);
    for (uint32_t n = 2; n <= 4; n++) {
        int8_t *out = run_out(&w, n, NULL, NULL, &bn);
        CU_ASSERT(bn == b1 && memcmp(ref, out, b1) == 0);
        if (bn == b1 && memcmp(ref, out, b1)) fprintf(stderr, "%u chips differ\n", n);
        free(out);
    }
    free(ref);
}

typedef struct corrupt_ctx {
    uint32_t chip, skip;
    bool done;
} corrupt_ctx;

/* flips a bit of the chip's partial at its `skip`-th reduction */
static void corrupt_hook(system_program *p, uint32_t chip, uint32_t op, void *vctx)
{
    corrupt_ctx *ctx = vctx;
    const prog_op *o = &p->chips[chip].ops[op];
    if (ctx->done || chip != ctx->chip || o->kind != OP_REDUCE) return;
    if (ctx->skip--) return;
    ((uint8_t *)p->chips[chip].bufs[o->in[0]].data)[1] ^= 0x40;
    ctx->done = true;
}

static void test_corrupted_partial_caught(void)
{
    workload_params w = mb(4, 1);
    size_t b0, b1;
    int8_t *good = run_out(&w, 3, NULL, NULL, &b0);
    /* reductions 0 (bottleneck) and 6 (output bottleneck) of block 0 */
    const uint32_t skips[] = {0, 6};
    for (int i = 0; i < 2; i++) {
        corrupt_ctx ctx = {2, skips[i], false};
        int8_t *bad = run_out(&w, 3, corrupt_hook, &ctx, &b1);
        CU_ASSERT(ctx.done);
        CU_ASSERT(memcmp(good, bad, b0) != 0);
        free(bad);
    }
    free(good);
}

static uint64_t weight_bytes(const system_program *p)
{
    uint64_t s = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t b = 0; b < p->chips[c].n_bufs; b++)
            if (p->chips[c].bufs[b].role == BUF_WEIGHT)
                s += prog_buffer_bytes(&p->chips[c].bufs[b]);
    return s;
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
        CU_ASSERT_EQUAL(weight_bytes(p), expect);
        for (uint32_t c = 0; c < n; c++) {
            uint32_t reduces = 0;
            for (uint32_t o = 0; o < p->chips[c].n_ops; o++)
                reduces += p->chips[c].ops[o].kind == OP_REDUCE;
            CU_ASSERT_EQUAL(reduces, 7 * d->n_layers);
        }
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
        chip_program *c = &p->chips[n - 1];
        uint32_t checked = 0;
        for (uint32_t o = 0; o < c->n_ops; o++) {
            const prog_op *op = &c->ops[o];
            if (!op_is_compute(op->kind)) continue;
            op_work done;
            CU_ASSERT_EQUAL_FATAL(exec_compute_op_work(c, op, &done, err, sizeof err), 0);
            if (memcmp(&done, &op->work, sizeof done) != 0)
                fprintf(stderr, "work mismatch at %s\n", op->label);
            CU_ASSERT(memcmp(&done, &op->work, sizeof done) == 0);
            checked++;
        }
        CU_ASSERT(checked > 20);
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
