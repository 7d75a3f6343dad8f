/* Partitioner + functional executor: an N-chip run must give the 1-chip
 * output bit for bit; weights are never replicated; op work matches what the
 * kernels report when executed. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "workload.h"

static workload_params wl(const char *model, int mode, uint64_t seq, uint64_t heads)
{
    workload_params w;
    memset(&w, 0, sizeof w);
    snprintf(w.model, sizeof w.model, "%s", model);
    w.mode = mode;
    w.seq_len = seq;
    w.seed = 7;
    model_dims over;
    memset(&over, 0, sizeof over);
    over.n_heads = heads;
    char err[256];
    CU_ASSERT_FATAL(workload_resolve(&w, &over, err, sizeof err) == 0);
    return w;
}

/* Runs the N-chip program; returns a malloc'd copy of the root output. */
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

static void check_equal_over(const workload_params *w, const uint32_t *chips, size_t n)
{
    size_t b1, bn;
    int8_t *ref = run_out(w, 1, NULL, NULL, &b1);
    /* an output of all zeros or one value would make equality meaningless */
    size_t distinct = 0;
    for (size_t i = 1; i < b1; i++) distinct += ref[i] != ref[0];
    CU_ASSERT(distinct > b1 / 4);
    for (size_t i = 0; i < n; i++) {
        int8_t *out = run_out(w, chips[i], NULL, NULL, &bn);
        CU_ASSERT_EQUAL(bn, b1);
        if (bn == b1 && memcmp(ref, out, b1) != 0)
            fprintf(stderr, "%s: %u chips differ from 1 chip\n", w->dims.name, chips[i]);
        CU_ASSERT(bn == b1 && memcmp(ref, out, b1) == 0);
        free(out);
    }
    free(ref);
}

static void test_stories15m_prompt(void)
{
    workload_params w = wl("stories15m", MODE_PROMPT, 5, 0);
    const uint32_t chips[] = {2, 3, 4, 6};
    check_equal_over(&w, chips, 4);
}

static void test_stories15m_ar(void)
{
    workload_params w = wl("stories15m", MODE_AUTOREGRESSIVE, 9, 0);
    const uint32_t chips[] = {2, 4, 6};
    check_equal_over(&w, chips, 3);
}

static void test_tinyllama_ar(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 16, 0);
    const uint32_t chips[] = {2, 3, 4, 8};
    check_equal_over(&w, chips, 4);
}

static void test_tinyllama_prompt(void)
{
    workload_params w = wl("tinyllama-42m", MODE_PROMPT, 4, 0);
    const uint32_t chips[] = {8};
    check_equal_over(&w, chips, 1);
}

static void test_tinyllama_64_heads(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 4, 64);
    CU_ASSERT_EQUAL(w.dims.n_kv_heads, 64);
    const uint32_t chips[] = {16, 32, 64};
    check_equal_over(&w, chips, 3);
}

typedef struct corrupt_ctx {
    uint32_t chip;
    bool done;
} corrupt_ctx;

static void corrupt_hook(system_program *p, uint32_t chip, uint32_t op, void *vctx)
{
    corrupt_ctx *ctx = vctx;
    const prog_op *o = &p->chips[chip].ops[op];
    if (ctx->done || chip != ctx->chip || o->kind != OP_REDUCE) return;
    ((uint8_t *)p->chips[chip].bufs[o->in[0]].data)[1] ^= 0x40;
    ctx->done = true;
}

static void test_corrupted_partial_differs(void)
{
    workload_params w = wl("stories15m", MODE_PROMPT, 3, 0);
    size_t b0, b1;
    int8_t *good = run_out(&w, 2, NULL, NULL, &b0);
    corrupt_ctx ctx = {1, false};
    int8_t *bad = run_out(&w, 2, corrupt_hook, &ctx, &b1);
    CU_ASSERT(ctx.done);
    CU_ASSERT(memcmp(good, bad, b0) != 0);
    free(good);
    free(bad);
}

static uint64_t role_bytes(const system_program *p, buf_role role)
{
    uint64_t s = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t b = 0; b < p->chips[c].n_bufs; b++)
            if (p->chips[c].bufs[b].role == role) s += prog_buffer_bytes(&p->chips[c].bufs[b]);
    return s;
}

static void test_no_replication_and_two_reduces(void)
{
    workload_params w = wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 32, 0);
    char err[256];
    system_program *one = partition_build(&w, 1, false, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    const model_dims *d = &w.dims;
    /* independent count: 4 E×E-class projections + 3 FFN matrices per block,
     * two norm gammas per block and the final norm */
    uint64_t E = d->dim, HP = d->n_heads * d->head_dim;
    uint64_t expect = d->n_layers * (3 * E * HP + HP * E + 3 * E * d->ffn_hidden + 2 * E) + E;
    CU_ASSERT_EQUAL(role_bytes(one, BUF_WEIGHT), expect);
    for (uint32_t n = 2; n <= 8; n++) {
        system_program *p = partition_build(&w, n, false, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL(role_bytes(p, BUF_WEIGHT), expect);
        CU_ASSERT_EQUAL(role_bytes(p, BUF_KV_CACHE), role_bytes(one, BUF_KV_CACHE));
        for (uint32_t c = 0; c < n; c++) {
            uint32_t reduces = 0;
            for (uint32_t o = 0; o < p->chips[c].n_ops; o++) {
                CU_ASSERT_PTR_NULL(p->chips[c].bufs[0].data);
                reduces += p->chips[c].ops[o].kind == OP_REDUCE;
            }
            CU_ASSERT_EQUAL(reduces, 2 * d->n_layers);
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
        chip_program *c = &p->chips[0];
        for (uint32_t o = 0; o < c->n_ops; o++) {
            const prog_op *op = &c->ops[o];
            if (!op_is_compute(op->kind)) continue;
            op_work done;
            CU_ASSERT_EQUAL_FATAL(exec_compute_op_work(c, op, &done, err, sizeof err), 0);
            if (memcmp(&done, &op->work, sizeof done) != 0)
                fprintf(stderr, "work mismatch at %s (%s)\n", op->label,
                        op_kind_name(op->kind));
            CU_ASSERT(memcmp(&done, &op->work, sizeof done) == 0);
        }
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
