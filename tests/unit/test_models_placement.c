/* Placement: weights stationary in L2 exactly when they fit beside the live
 * activations, a deterministic greedy split otherwise, clear errors when
 * not even spilled activations fit, and the mechanism behind super-linear
 * scaling (a 1/N weight share that fits drops the off-chip bytes to zero). */
#include <stdio.h>

#include "cunit_main.h"
#include "test_models_fixture.h"

/* A chain of GEMMs x_i[1 x k] * w_i[k x n_i] -> x_{i+1}; every activation is
 * i8 [1 x 1024] (the GEMM output is i32 [1 x n] to a separate buffer). */
static system_program *chain_program(const uint32_t *n, size_t count, uint32_t k)
{
    system_program *sp = system_program_create(1, false);
    chip_program *c = &sp->chips[0];
    int32_t x = chip_add_buffer(c, false, "x0", DT_I8, 1, k, BUF_ACTIVATION);
    for (size_t i = 0; i < count; i++) {
        char name[32];
        snprintf(name, sizeof name, "w%zu", i);
        int32_t w = chip_add_buffer(c, false, name, DT_I8, k, n[i], BUF_WEIGHT);
        snprintf(name, sizeof name, "y%zu", i);
        int32_t y = chip_add_buffer(c, false, name, DT_I32, 1, n[i], BUF_ACTIVATION);
        prog_op op = prog_op_init(OP_GEMM, name);
        op.in[0] = x, op.in[1] = w, op.out = y, op.m = 1, op.n = n[i], op.k = k;
        chip_add_op(c, &op);
        x = y;
    }
    return sp;
}

static void test_liveness_peak_not_sum(void)
{
    uint32_t n[] = {256, 256, 256};
    system_program *sp = chain_program(n, 3, 256);
    pulp_params p = fx_params();
    placement_report r;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    /* at op i, x_i and y_i are live: the largest pair is two 1 KiB i32 rows */
    CU_ASSERT_EQUAL(r.activation_peak_bytes, 2 * 256 * 4);
    CU_ASSERT_EQUAL(r.weight_bytes, 3 * 256 * 256);
    system_program_destroy(sp);
}

static void test_weights_on_chip_iff_they_fit(void)
{
    uint32_t n[] = {512, 256, 128};
    system_program *sp = chain_program(n, 3, 256);
    pulp_params p = fx_params();
    p.l2_reserved = 4096;
    uint64_t weights = 256 * (512 + 256 + 128);
    uint64_t peak = 512 * 4 + 256 * 4;   /* at op 1: y0 and y1 (i32) */
    placement_report r;
    char err[256];

    p.l2_size = (double)(p.l2_reserved + peak + weights);
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_TRUE(r.weights_on_chip);
    CU_ASSERT_EQUAL(r.streamed_bytes_per_inference, 0);
    CU_ASSERT_TRUE(r.used[MEM_L2] <= r.capacity[MEM_L2]);
    for (uint32_t b = 0; b < sp->chips[0].n_bufs; b++)
        CU_ASSERT_EQUAL(sp->chips[0].bufs[b].home, MEM_L2);

    p.l2_size -= 1;
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_FALSE(r.weights_on_chip);
    uint64_t off = 0;
    for (uint32_t b = 0; b < sp->chips[0].n_bufs; b++) {
        const prog_buffer *buf = &sp->chips[0].bufs[b];
        if (buf->home == MEM_HYPERRAM) {
            CU_ASSERT_EQUAL(buf->role, BUF_WEIGHT);
            off += prog_buffer_bytes(buf);
        }
    }
    /* each streamed weight is read once per inference by its one GEMM */
    CU_ASSERT_EQUAL(r.streamed_bytes_per_inference, off);
    CU_ASSERT_TRUE(off > 0);
    CU_ASSERT_TRUE(r.used[MEM_L2] <= r.capacity[MEM_L2]);
    system_program_destroy(sp);
}

static void test_greedy_keeps_largest_that_fit(void)
{
    uint32_t n[] = {100, 300, 200};   /* weights 256 x n bytes */
    system_program *sp = chain_program(n, 3, 256);
    pulp_params p = fx_params();
    p.l2_stream_buffer = 1000;
    uint64_t peak = 300 * 4 + 200 * 4;   /* at op 2: y1 (i32 300) + y2 (i32 200) */
    /* room for the 300-col tensor and not one more of the others */
    p.l2_size = (double)(peak + p.l2_stream_buffer + 256 * 300 + 256 * 50);
    placement_report r;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    const chip_program *c = &sp->chips[0];
    CU_ASSERT_EQUAL(c->bufs[3].home, MEM_L2);        /* w1, the largest */
    CU_ASSERT_EQUAL(c->bufs[1].home, MEM_HYPERRAM);  /* w0 */
    CU_ASSERT_EQUAL(c->bufs[5].home, MEM_HYPERRAM);  /* w2 */
    CU_ASSERT_EQUAL(r.streamed_bytes_per_inference, 256 * (100 + 200));
    system_program_destroy(sp);
}

static void test_kv_cache_goes_off_chip_when_full(void)
{
    uint32_t n[] = {64};
    system_program *sp = chain_program(n, 1, 64);
    chip_program *c = &sp->chips[0];
    int32_t kv = chip_add_buffer(c, false, "kv", DT_I8, 128, 64, BUF_KV_CACHE);
    int32_t s = chip_add_buffer(c, false, "scores", DT_I32, 1, 128, BUF_ACTIVATION);
    prog_op op = prog_op_init(OP_GEMM, "qk");
    op.in[0] = 0, op.in[1] = kv, op.out = s, op.m = 1, op.n = 128, op.k = 64;
    op.p.gemm.trans_b = true;
    chip_add_op(c, &op);
    pulp_params p = fx_params();
    p.l2_stream_buffer = 0;
    uint64_t peak = 64 + 128 * 4;
    p.l2_size = (double)(peak + 64 * 64 + 100);   /* weights fit, the 8 KiB cache does not */
    placement_report r;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_TRUE(r.weights_on_chip);
    CU_ASSERT_EQUAL(c->bufs[kv].home, MEM_HYPERRAM);
    CU_ASSERT_EQUAL(r.kv_bytes, 128 * 64);
    CU_ASSERT_EQUAL(r.streamed_bytes_per_inference, 128 * 64);
    system_program_destroy(sp);
}

/* What is homed off chip is counted against hyperram.size: exactly the
 * sum of the HyperRAM-homed buffers, accepted at that size, refused one
 * byte below it with the key named. */
static void test_offchip_share_must_fit_hyperram(void)
{
    uint32_t n[] = {64};
    system_program *sp = chain_program(n, 1, 64);
    chip_program *c = &sp->chips[0];
    int32_t kv = chip_add_buffer(c, false, "kv", DT_I8, 128, 64, BUF_KV_CACHE);
    int32_t s = chip_add_buffer(c, false, "scores", DT_I32, 1, 128, BUF_ACTIVATION);
    prog_op op = prog_op_init(OP_GEMM, "qk");
    op.in[0] = 0, op.in[1] = kv, op.out = s, op.m = 1, op.n = 128, op.k = 64;
    op.p.gemm.trans_b = true;
    chip_add_op(c, &op);
    pulp_params p = fx_params();
    p.l2_stream_buffer = 0;
    p.l2_size = (double)(64 + 128 * 4 + 100);   /* only the activations stay on chip */
    placement_report r;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    uint64_t off = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (c->bufs[b].home == MEM_HYPERRAM) off += prog_buffer_bytes(&c->bufs[b]);
    CU_ASSERT_EQUAL(off, 128 * 64 + 64 * 64);   /* the K cache and the weight */
    CU_ASSERT_EQUAL(r.used[MEM_HYPERRAM], off);
    CU_ASSERT_EQUAL(r.capacity[MEM_HYPERRAM], (uint64_t)p.hyper_size);

    p.hyper_size = (double)off;
    CU_ASSERT_EQUAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    p.hyper_size = (double)(off - 1);
    CU_ASSERT_NOT_EQUAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "hyperram.size"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "chip 0"));
    system_program_destroy(sp);
}

static void test_activations_too_big_names_op(void)
{
    uint32_t n[] = {4096};
    system_program *sp = chain_program(n, 1, 64);
    pulp_params p = fx_params();
    p.l2_size = 8192;   /* y0 alone is 16 KiB; not even the 64 KiB staging buffer fits */
    placement_report r;
    char err[512] = "";
    CU_ASSERT_NOT_EQUAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "y0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "8192"));
    system_program_destroy(sp);
}

/* TinyLlama-42M block weights (E 512, FFN 1376, 8 blocks) split N ways,
 * autoregressive (m = 1), KV cache of 128 positions, on the shipped node. */
static system_program *tinyllama_share(uint32_t chips)
{
    const uint32_t E = 512, F = 1376, L = 8, S = 128;
    system_program *sp = system_program_create(1, false);
    chip_program *c = &sp->chips[0];
    int32_t x = chip_add_buffer(c, false, "x", DT_I8, 1, E, BUF_RESIDUAL);
    for (uint32_t l = 0; l < L; l++) {
        struct { uint32_t k, n; } g[7] = {{E, E / chips}, {E, E / chips}, {E, E / chips},
                                          {E / chips, E},  {E, F / chips}, {E, F / chips},
                                          {F / chips, E}};
        chip_add_buffer(c, false, "k", DT_I8, S, E / chips, BUF_KV_CACHE);
        chip_add_buffer(c, false, "v", DT_I8, S, E / chips, BUF_KV_CACHE);
        for (int i = 0; i < 7; i++) {
            int32_t a = chip_add_buffer(c, false, "a", DT_I8, 1, g[i].k, BUF_ACTIVATION);
            int32_t w = chip_add_buffer(c, false, "w", DT_I8, g[i].k, g[i].n, BUF_WEIGHT);
            int32_t y = chip_add_buffer(c, false, "y", DT_I32, 1, g[i].n, BUF_PARTIAL);
            prog_op op = prog_op_init(OP_GEMM, "blk.gemm");
            op.in[0] = a, op.in[1] = w, op.out = y, op.m = 1, op.n = g[i].n, op.k = g[i].k;
            chip_add_op(c, &op);
        }
    }
    (void)x;
    return sp;
}

static void test_tinyllama_streams_on_one_chip_fits_on_sixteen(void)
{
    pulp_params p = fx_params();
    /* shipped Siracusa memory sizes, written here by hand */
    p.l2_size = 2 << 20, p.l2_reserved = 128 << 10, p.l2_stream_buffer = 64 << 10;
    p.l1_size = 256 << 10;
    p.hyper_bandwidth = 200e6;
    p.hyper_size = 64 << 20;
    double t[2];
    uint32_t chips[2] = {1, 16};
    for (int i = 0; i < 2; i++) {
        system_program *sp = tinyllama_share(chips[i]);
        pulp_node *m = fx_model(&p);
        placement_report r;
        char err[256];
        CU_ASSERT_EQUAL_FATAL(pulp_place(m, &sp->chips[0], &r, err, sizeof err), 0);
        uint64_t total = 0, hyper = 0;
        for (uint32_t o = 0; o < sp->chips[0].n_ops; o++) {
            pulp_cost c;
            CU_ASSERT_EQUAL_FATAL(pulp_op_cost(m, &sp->chips[0], &sp->chips[0].ops[o], &c), 0);
            total += c.cycles;
            hyper += c.bytes[MEM_HYPERRAM];
        }
        t[i] = (double)total;
        if (chips[i] == 1) {
            CU_ASSERT_FALSE(r.weights_on_chip);
            CU_ASSERT_TRUE(r.weight_bytes > 25000000);
            /* most of the 25.3 MB cannot stay: at least weights - L2 stream */
            CU_ASSERT_TRUE(hyper >= r.weight_bytes - (uint64_t)p.l2_size);
        } else {
            CU_ASSERT_TRUE(r.weights_on_chip);
            CU_ASSERT_EQUAL(hyper, 0);
            CU_ASSERT_EQUAL(r.streamed_bytes_per_inference, 0);
        }
        CU_ASSERT_EQUAL(hyper, r.streamed_bytes_per_inference);
        pulp_node_destroy(m);
        system_program_destroy(sp);
    }
    /* compute-only ops of one chip's share: super-linear once streaming stops */
    CU_ASSERT_TRUE(t[0] / t[1] > 16.0);
}

/* A weight memory takes whole weight tensors first, largest first while
 * they fit; L2 takes what is left by the usual rule, and only what fits in
 * neither streams. KV cache and activations never go there. */
static void test_weights_fill_wmem_first(void)
{
    uint32_t n[] = {512, 256, 128};
    system_program *sp = chain_program(n, 3, 256);
    pulp_params p = fx_params();
    p.wmem_cluster_bytes_per_cycle = 32;
    p.wmem_npu_bytes_per_cycle = 32;
    placement_report r;
    char err[256];
    chip_program *c = &sp->chips[0];

    /* room for w0 (128 KiB) and w2 (32 KiB) but not w1 (64 KiB) beside w0 */
    p.wmem_size = 256 * 512 + 256 * 128 + 1000;
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    for (uint32_t b = 0; b < c->n_bufs; b++) {
        const prog_buffer *x = &c->bufs[b];
        if (x->role != BUF_WEIGHT) CU_ASSERT_NOT_EQUAL(x->home, MEM_WMEM);
    }
    CU_ASSERT_EQUAL(c->bufs[1].home, MEM_WMEM);   /* w0, the largest */
    CU_ASSERT_EQUAL(c->bufs[3].home, MEM_L2);     /* w1 did not fit beside it */
    CU_ASSERT_EQUAL(c->bufs[5].home, MEM_WMEM);   /* w2 did */
    CU_ASSERT_EQUAL(r.capacity[MEM_WMEM], (uint64_t)p.wmem_size);
    CU_ASSERT_EQUAL(r.used[MEM_WMEM], 256 * 512 + 256 * 128);
    CU_ASSERT_TRUE(r.weights_on_chip);
    CU_ASSERT_EQUAL(r.streamed_bytes_per_inference, 0);

    /* an L2 too small for w1 beside the activations: w1 streams, the wmem
     * weights stay */
    p.l2_size = 32 * 1024;
    p.l2_stream_buffer = 1024;
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c->bufs[1].home, MEM_WMEM);
    CU_ASSERT_EQUAL(c->bufs[3].home, MEM_HYPERRAM);
    CU_ASSERT_EQUAL(c->bufs[5].home, MEM_WMEM);
    CU_ASSERT_FALSE(r.weights_on_chip);
    CU_ASSERT_EQUAL(r.streamed_bytes_per_inference, 256 * 256);

    /* without a weight memory the same chip streams more */
    p.wmem_size = 0;
    CU_ASSERT_EQUAL_FATAL(fx_place(&p, sp, &r, err, sizeof err), 0);
    CU_ASSERT_EQUAL(r.used[MEM_WMEM], 0);
    for (uint32_t b = 0; b < c->n_bufs; b++) CU_ASSERT_NOT_EQUAL(c->bufs[b].home, MEM_WMEM);
    CU_ASSERT_TRUE(r.streamed_bytes_per_inference > 256 * 256);
    system_program_destroy(sp);
}

static int register_tests(void)
{
    ADD_SUITE("models_placement", TEST(test_liveness_peak_not_sum),
              TEST(test_weights_on_chip_iff_they_fit), TEST(test_greedy_keeps_largest_that_fit),
              TEST(test_kv_cache_goes_off_chip_when_full), TEST(test_offchip_share_must_fit_hyperram),
              TEST(test_activations_too_big_names_op),
              TEST(test_tinyllama_streams_on_one_chip_fits_on_sixteen),
              TEST(test_weights_fill_wmem_first));
    return 0;
}

CUNIT_MAIN(register_tests)
