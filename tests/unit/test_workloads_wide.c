/* TinyLlama over more chips than heads: chips beyond the head count hold FFN
 * slices only and contribute a zero attention partial. The N-chip output must
 * still equal the 1-chip output bit for bit, weights must not be replicated,
 * and every block keeps exactly two reductions. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "test_workloads_fixture.h"
#include "workload.h"

/* layers 0 keeps the model's own depth */
static workload_params wl(const char *model, int mode, uint64_t seq, uint64_t layers)
{
    return fx_workload(model, mode, seq, 11, &(model_dims){.n_layers = layers});
}

static void check_equal_over(const workload_params *w, const uint32_t *chips, size_t n)
{
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_FATAL(chips[i] > w->dims.n_heads); /* this file is about wide runs */
    fx_check_equal_over(w, chips, n);
}

static void test_ar_wide_short(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 6, 2);
    const uint32_t chips[] = {16, 32, 64};
    check_equal_over(&w, chips, 3);
}

static void test_ar_64_full_depth(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 5, 0);
    CU_ASSERT_EQUAL(w.dims.n_layers, 8);
    const uint32_t chips[] = {64};
    check_equal_over(&w, chips, 1);
}

static void test_prompt_wide(void)
{
    workload_params w = wl("tinyllama-42m", MODE_PROMPT, 6, 2);
    const uint32_t chips[] = {16, 64};
    check_equal_over(&w, chips, 2);
}

/* stories15m: 6 heads do not divide 16 chips evenly either way. */
static void test_uneven_heads(void)
{
    workload_params w = wl("stories15m", MODE_PROMPT, 4, 2);
    const uint32_t chips[] = {7, 16};
    check_equal_over(&w, chips, 2);
}

static void test_no_replication_two_reduces(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 32, 0);
    const model_dims *d = &w.dims;
    system_program *one = fx_build(&w, 1, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    uint64_t expect = fx_llama_weight_bytes(d);
    CU_ASSERT_EQUAL(fx_role_bytes(one, BUF_WEIGHT), expect);
    const uint32_t sizes[] = {9, 16, 32, 64};
    for (size_t i = 0; i < 4; i++) {
        uint32_t n = sizes[i];
        system_program *p = fx_build(&w, n, false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), expect);
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_KV_CACHE), fx_role_bytes(one, BUF_KV_CACHE));
        for (uint32_t c = 0; c < n; c++) {
            const chip_program *cp = &p->chips[c];
            CU_ASSERT_EQUAL(fx_count_kind(cp, OP_REDUCE), 2 * d->n_layers);
            /* softmax runs once per own head per block: one head on the first
             * H chips, none beyond */
            uint32_t heads = c < d->n_heads ? 1 : 0;
            CU_ASSERT_EQUAL(fx_count_kind(cp, OP_SOFTMAX), heads * d->n_layers);
            uint32_t kv = 0;
            for (uint32_t b = 0; b < cp->n_bufs; b++) kv += cp->bufs[b].role == BUF_KV_CACHE;
            CU_ASSERT_EQUAL(kv, heads * 2 * d->n_layers);
        }
        system_program_destroy(p);
    }
    system_program_destroy(one);
}

/* The headless chip's attention partial is cleared by a real op whose
 * recorded work is what the kernel reports when it runs (k = 0: no MACs, an
 * S×E int32 write), and which leaves zeros over stale data. */
static void test_zero_op_is_honest(void)
{
    workload_params w = wl("tinyllama-42m", MODE_PROMPT, 3, 1);
    system_program *p = fx_build(&w, 12, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    chip_program *c = &p->chips[10];
    const prog_op *z = NULL;
    for (uint32_t o = 0; o < c->n_ops && !z; o++)
        if (strstr(c->ops[o].label, "attn.zero")) z = &c->ops[o];
    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    CU_ASSERT_EQUAL(z->kind, OP_GEMM);
    CU_ASSERT_EQUAL(z->k, 0);
    CU_ASSERT_FALSE(z->p.gemm.accumulate);
    prog_buffer *out = &c->bufs[z->out];
    CU_ASSERT_EQUAL(out->role, BUF_PARTIAL);
    CU_ASSERT_EQUAL((uint64_t)z->m * z->n, (uint64_t)out->rows * out->cols);
    memset(out->data, 0x5a, prog_buffer_bytes(out));
    op_work done;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(exec_compute_op_work(c, z, &done, err, sizeof err), 0);
    CU_ASSERT(memcmp(&done, &z->work, sizeof done) == 0);
    CU_ASSERT_EQUAL(done.macs, 0);
    CU_ASSERT_EQUAL(done.bytes_written, prog_buffer_bytes(out));
    const int32_t *v = out->data;
    size_t nz = 0;
    for (size_t i = 0; i < (size_t)out->rows * out->cols; i++) nz += v[i] != 0;
    CU_ASSERT_EQUAL(nz, 0);
    /* a chip with a head has no clear: its first Wo GEMM overwrites */
    chip_program *h = &p->chips[0];
    for (uint32_t o = 0; o < h->n_ops; o++) CU_ASSERT_PTR_NULL(strstr(h->ops[o].label, "zero"));
    system_program_destroy(p);
}

/* Flips a bit in a headless chip's partial just before the attention reduce
 * of block `block` (before_zero: just before its clear, where it must not matter). */
typedef struct corrupt_ctx {
    uint32_t chip, block;
    bool before_zero, done;
} corrupt_ctx;

static void corrupt_hook(system_program *p, uint32_t chip, uint32_t op, void *vctx)
{
    corrupt_ctx *ctx = vctx;
    const prog_op *o = &p->chips[chip].ops[op];
    if (ctx->done || chip != ctx->chip) return;
    char want[48];
    snprintf(want, sizeof want, "b%u.attn.%s", ctx->block, ctx->before_zero ? "zero" : "reduce");
    if (strcmp(o->label, want) != 0) return;
    int32_t id = ctx->before_zero ? o->out : o->in[0];
    int32_t *v = p->chips[chip].bufs[id].data;
    for (uint32_t i = 0; i < p->chips[chip].bufs[id].cols; i++) v[i] += 1000 + (int32_t)i;
    ctx->done = true;
}

static void test_corrupted_headless_partial(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 4, 2);
    size_t b0, b1, b2;
    int8_t *good = fx_run_out(&w, 16, NULL, NULL, &b0);
    corrupt_ctx bad_ctx = {13, 1, false, false};
    int8_t *bad = fx_run_out(&w, 16, corrupt_hook, &bad_ctx, &b1);
    CU_ASSERT(bad_ctx.done);
    CU_ASSERT(memcmp(good, bad, b0) != 0);
    corrupt_ctx stale_ctx = {13, 1, true, false};
    int8_t *stale = fx_run_out(&w, 16, corrupt_hook, &stale_ctx, &b2);
    CU_ASSERT(stale_ctx.done);
    CU_ASSERT(memcmp(good, stale, b0) == 0);
    free(good);
    free(bad);
    free(stale);
}

static void test_limits(void)
{
    char err[512] = "";
    workload_params m = wl("mobilebert", MODE_PROMPT, 8, 0);
    CU_ASSERT_PTR_NULL(partition_build(&m, (uint32_t)m.dims.n_heads + 1, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "heads, cannot split over"));
    /* llama: more chips than FFN columns leaves a chip with nothing */
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 4, 1);
    model_dims over;
    memset(&over, 0, sizeof over);
    over.ffn_hidden = 12;
    tmd_overlay(&w.dims, &over);
    CU_ASSERT_PTR_NULL(partition_build(&w, 13, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "FFN hidden size of 12, cannot split over 13 chips"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "hold FFN slices only"));
    system_program *p = partition_build(&w, 12, false, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(p);
    if (p) {
        CU_ASSERT_PTR_NOT_NULL(strstr(p->description, "no attention work"));
        system_program_destroy(p);
    }
}

static int register_tests(void)
{
    ADD_SUITE("wide", TEST(test_ar_wide_short), TEST(test_ar_64_full_depth),
              TEST(test_prompt_wide), TEST(test_uneven_heads),
              TEST(test_no_replication_two_reduces), TEST(test_zero_op_is_honest),
              TEST(test_corrupted_headless_partial), TEST(test_limits));
    return 0;
}

CUNIT_MAIN(register_tests)
