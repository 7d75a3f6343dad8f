/* workload.head: true (llama): the embedding lookup and the LM head with
 * the vocabulary sliced over chips. The N-chip logits (every chip's slice in
 * chip order) equal the 1-chip logits bit for bit; the slices are contiguous
 * and together hold the embedding exactly once; the looked-up rows and the
 * logits equal a direct computation from the table; the head costs E × V
 * MACs over all chips and one reduction more than the blocks. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "partition_internal.h"
#include "test_workloads_fixture.h"
#include "workload.h"

static workload_params head_wl(const char *model, int mode, uint64_t seq, uint64_t blocks)
{
    workload_params w = fx_workload(model, mode, seq, 5, NULL);
    w.head = true;
    w.blocks = blocks;
    return w;
}

static void test_ar_bit_exact(void)
{
    workload_params w = head_wl("tinyllama-42m", MODE_AUTOREGRESSIVE, 8, 0);
    size_t bytes;
    int8_t *ref = fx_reference_out(&w, &bytes);
    CU_ASSERT_EQUAL(bytes, 4 * w.dims.vocab); /* int32 logits over the whole vocabulary */
    const uint32_t chips[] = {2, 3, 4, 8, 16, 64};
    fx_check_same_out(&w, ref, bytes, chips, sizeof chips / sizeof chips[0]);
    free(ref);
}

static void test_prompt_bit_exact(void)
{
    workload_params w = head_wl("tinyllama-42m", MODE_PROMPT, 5, 2);
    const uint32_t chips[] = {3, 8, 64};
    fx_check_equal_over(&w, chips, sizeof chips / sizeof chips[0]);
}

/* stories15m: 6 heads, and 32000 = 3·10667 − 1, so the first two of three
 * chips hold one vocab row more. */
static void test_uneven_vocab_bit_exact(void)
{
    workload_params w = head_wl("stories15m", MODE_AUTOREGRESSIVE, 6, 2);
    const uint32_t chips[] = {3, 7, 16};
    fx_check_equal_over(&w, chips, sizeof chips / sizeof chips[0]);
}

/* Sum over chips of the MACs of their LM-head GEMMs. */
static uint64_t head_macs(const system_program *p)
{
    uint64_t macs = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t o = 0; o < p->chips[c].n_ops; o++)
            if (!strcmp(p->chips[c].ops[o].label, "head.logits"))
                macs += p->chips[c].ops[o].work.macs;
    return macs;
}

static void test_slices_macs_and_reductions(void)
{
    const int modes[] = {MODE_AUTOREGRESSIVE, MODE_PROMPT};
    for (int m = 0; m < 2; m++) {
        workload_params w = head_wl("tinyllama-42m", modes[m], 16, 0);
        const model_dims *d = &w.dims;
        const uint32_t chips[] = {1, 2, 3, 8, 64};
        for (size_t i = 0; i < sizeof chips / sizeof chips[0]; i++) {
            uint32_t n = chips[i];
            system_program *p = fx_build(&w, n, false);
            CU_ASSERT_PTR_NOT_NULL_FATAL(p);
            CU_ASSERT_EQUAL(head_macs(p), d->dim * d->vocab);
            /* the blocks' weights plus the V×E embedding, nothing twice */
            CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT),
                            fx_llama_weight_bytes(d) + d->vocab * d->dim);
            uint32_t next = 0; /* slices contiguous in chip order, the first V mod N larger */
            for (uint32_t c = 0; c < n; c++) {
                const prog_buffer *out = system_program_output_part(p, c);
                CU_ASSERT_PTR_NOT_NULL_FATAL(out);
                uint64_t want = d->vocab / n + (c < d->vocab % n ? 1 : 0);
                CU_ASSERT_EQUAL(out->cols, want);
                CU_ASSERT_EQUAL(out->type, DT_I32);
                next += out->cols;
                CU_ASSERT_EQUAL(fx_count_kind(&p->chips[c], OP_REDUCE), 2 * d->n_layers + 1);
            }
            CU_ASSERT_EQUAL(next, d->vocab);
            system_program_destroy(p);
        }
    }
}

/* What the test reads from the running program: the root's residual just
 * after the lookup (when block 0's norm is about to read it) and the LM
 * head's input on the root. */
typedef struct probe {
    int8_t *embedded;  /* S×E */
    int8_t *head_in;   /* E */
    uint32_t S, E;
} probe;

static void probe_hook(system_program *p, uint32_t chip, uint32_t op, void *vctx)
{
    probe *pr = vctx;
    const prog_op *o = &p->chips[chip].ops[op];
    if (chip != p->root) return;
    const prog_buffer *in = &p->chips[chip].bufs[o->in[0] >= 0 ? o->in[0] : 0];
    if (!strcmp(o->label, "b0.attn.norm"))
        memcpy(pr->embedded, in->data, (size_t)pr->S * pr->E);
    if (!strcmp(o->label, "head.logits")) memcpy(pr->head_in, in->data, pr->E);
}

/* The full V×E table: every chip's slice in chip order. */
static int8_t *gather_table(const system_program *p, uint64_t vocab, uint32_t E)
{
    int8_t *t = malloc(vocab * E);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    size_t at = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t b = 0; b < p->chips[c].n_bufs; b++) {
            const prog_buffer *buf = &p->chips[c].bufs[b];
            if (strcmp(buf->name, "embed.table")) continue;
            CU_ASSERT_FATAL(at + prog_buffer_bytes(buf) <= vocab * E);
            memcpy(t + at, buf->data, prog_buffer_bytes(buf));
            at += prog_buffer_bytes(buf);
        }
    CU_ASSERT_EQUAL(at, vocab * E);
    return t;
}

/* The lookup puts each input token's table row in the residual stream and
 * the logits are the head input times every table row, computed here
 * directly (int64) from the gathered table. */
static void check_direct(const workload_params *w, uint32_t n)
{
    const model_dims *d = &w->dims;
    bool ar = w->mode == MODE_AUTOREGRESSIVE;
    uint32_t S = ar ? 1 : (uint32_t)w->seq_len, E = (uint32_t)d->dim;
    uint64_t pos0 = ar ? w->seq_len : 0;
    probe pr = {malloc((size_t)S * E), malloc(E), S, E};
    CU_ASSERT_PTR_NOT_NULL_FATAL(pr.embedded);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pr.head_in);
    system_program *p = fx_build(w, n, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    int8_t *table = gather_table(p, d->vocab, E);
    char err[256];
    CU_ASSERT_EQUAL_FATAL(functional_run_hooked(p, probe_hook, &pr, err, sizeof err), 0);
    for (uint32_t s = 0; s < S; s++) {
        uint32_t tok = wl_token(w->seed, pos0 + s, d->vocab);
        CU_ASSERT(memcmp(pr.embedded + (size_t)s * E, table + (size_t)tok * E, E) == 0);
    }
    size_t bytes = system_program_output_bytes(p);
    CU_ASSERT_EQUAL_FATAL(bytes, 4 * d->vocab);
    int32_t *logits = malloc(bytes);
    CU_ASSERT_PTR_NOT_NULL_FATAL(logits);
    CU_ASSERT_EQUAL_FATAL(system_program_output_copy(p, logits), 0);
    uint64_t wrong = 0, nonzero = 0;
    for (uint64_t v = 0; v < d->vocab; v++) {
        int64_t sum = 0;
        for (uint32_t e = 0; e < E; e++) sum += (int64_t)pr.head_in[e] * table[v * E + e];
        wrong += sum != logits[v];
        nonzero += sum != 0;
    }
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT(nonzero > d->vocab / 2);
    free(logits);
    free(table);
    free(pr.embedded);
    free(pr.head_in);
    system_program_destroy(p);
}

static void test_lookup_and_logits_direct(void)
{
    workload_params ar = head_wl("stories15m", MODE_AUTOREGRESSIVE, 6, 1);
    check_direct(&ar, 1);
    check_direct(&ar, 5);
    workload_params pr = head_wl("stories15m", MODE_PROMPT, 7, 1);
    check_direct(&pr, 4);
}

/* The widening lookup copy, the zeroing GEMM and the trans_b head GEMM all
 * record the work their kernels report. */
static void test_work_matches_kernels(void)
{
    const int modes[] = {MODE_AUTOREGRESSIVE, MODE_PROMPT};
    for (int m = 0; m < 2; m++) {
        workload_params w = head_wl("stories15m", modes[m], 4, 1);
        system_program *p = fx_build(&w, 2, true);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        uint32_t lookups = 0;
        for (uint32_t c = 0; c < 2; c++) {
            fx_check_work_matches_kernels(&p->chips[c]);
            for (uint32_t o = 0; o < p->chips[c].n_ops; o++)
                if (!strcmp(p->chips[c].ops[o].label, "embed.lookup")) {
                    CU_ASSERT(op_copy_widens(&p->chips[c], &p->chips[c].ops[o]));
                    lookups++;
                }
        }
        CU_ASSERT_EQUAL(lookups, modes[m] == MODE_PROMPT ? 4 : 1); /* one per input token */
        system_program_destroy(p);
    }
}

/* A bit flipped in one chip's lookup partial just before the lookup's
 * reduction changes the logits: every chip's partial really travels. */
static void test_corrupted_lookup_partial(void)
{
    workload_params w = head_wl("stories15m", MODE_AUTOREGRESSIVE, 4, 1);
    size_t b0, b1;
    int8_t *good = fx_run_out(&w, 4, NULL, NULL, &b0);
    fx_corrupt_reduce ctx = {3, 0, false};
    int8_t *bad = fx_run_out(&w, 4, fx_corrupt_reduce_hook, &ctx, &b1);
    CU_ASSERT(ctx.done);
    CU_ASSERT(b0 == b1 && memcmp(good, bad, b0) != 0);
    free(good);
    free(bad);
}

static void test_refusals(void)
{
    char err[256] = "";
    workload_params m = fx_workload("mobilebert", MODE_PROMPT, 8, 1, NULL);
    m.head = true;
    CU_ASSERT_NOT_EQUAL(workload_check(&m, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "head: mobilebert has no LM head"));
    workload_params w = head_wl("stories15m", MODE_AUTOREGRESSIVE, 4, 1);
    w.dims.vocab = 5;
    CU_ASSERT_PTR_NULL(partition_build(&w, 6, false, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "vocabulary of 5, cannot slice the LM head over 6 chips"));
    w.dims.vocab = 0;
    CU_ASSERT_NOT_EQUAL(workload_check(&w, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "dims.vocab"));
}

static int register_tests(void)
{
    ADD_SUITE("head", TEST(test_ar_bit_exact), TEST(test_prompt_bit_exact),
              TEST(test_uneven_vocab_bit_exact), TEST(test_slices_macs_and_reductions),
              TEST(test_lookup_and_logits_direct), TEST(test_work_matches_kernels),
              TEST(test_corrupted_lookup_partial), TEST(test_refusals));
    return 0;
}

CUNIT_MAIN(register_tests)
