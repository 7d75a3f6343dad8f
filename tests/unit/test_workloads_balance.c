/* workload.partition.balance (tensor partitioner): `capacity` weighs each
 * chip's share of the work by the speed and memory its node states
 * (workload_params.capacity). Checked here against independent arithmetic:
 * - the shares: proportional to speed, capped by memory when the model
 *   fits the chips together, summing to 1;
 * - the item split: equal shares give wl_split's even split, unequal ones
 *   put every item where it ends earliest;
 * - on identical chips (or chips that cannot say, capacity NULL) capacity
 *   builds the very program equal builds, llama (GQA too) and MobileBERT,
 *   both ffn_split policies;
 * - a faster chip takes more of every phase, a chip with less memory less,
 *   no weight is held twice, and the output equals the 1-chip output bit
 *   for bit over many chip counts and speeds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "partition_internal.h"
#include "partition_tensor.h"
#include "test_workloads_fixture.h"
#include "workload.h"

static double sum(const double *v, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++) s += v[i];
    return s;
}

static void test_shares(void)
{
    double sh[4];
    wl_capacity_shares(NULL, 4, 1000, sh);
    for (int i = 0; i < 4; i++) CU_ASSERT_DOUBLE_EQUAL(sh[i], 0.25, 1e-15);

    /* memory to spare: speed alone, 2:1:1 */
    chip_capacity fast[3] = {{2e9, 1u << 30}, {1e9, 1u << 30}, {1e9, 1u << 30}};
    wl_capacity_shares(fast, 3, 1e6, sh);
    CU_ASSERT_DOUBLE_EQUAL(sh[0], 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sh[1], 0.25, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sh[2], 0.25, 1e-12);

    /* equal speeds, chip 0 holds a sixth of the model: it takes a sixth,
     * the other the rest */
    chip_capacity mem[2] = {{1e9, 100}, {1e9, 1000}};
    wl_capacity_shares(mem, 2, 600, sh);
    CU_ASSERT_DOUBLE_EQUAL(sh[0], 100.0 / 600, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sh[1], 500.0 / 600, 1e-12);

    /* a cap that frees room for the others: chip 0 would take 3/5 by speed
     * but holds 1/5; the rest shares 4/5 by speed 1:1 */
    chip_capacity mix[3] = {{3e9, 200}, {1e9, 1000}, {1e9, 1000}};
    wl_capacity_shares(mix, 3, 1000, sh);
    CU_ASSERT_DOUBLE_EQUAL(sh[0], 0.2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sh[1], 0.4, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sh[2], 0.4, 1e-12);

    /* the model does not fit the chips together: speed alone */
    chip_capacity tight[2] = {{3e9, 100}, {1e9, 100}};
    wl_capacity_shares(tight, 2, 1000, sh);
    CU_ASSERT_DOUBLE_EQUAL(sh[0], 0.75, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sh[1], 0.25, 1e-12);

    CU_ASSERT_DOUBLE_EQUAL(sum(sh, 2), 1.0, 1e-12);
}

/* Equal shares give wl_split's counts: the first total mod n one more. */
static void test_fill_equal_is_even(void)
{
    const uint64_t totals[] = {1, 3, 8, 31, 512, 1376};
    const uint32_t ns[] = {1, 2, 3, 5, 8, 9, 16, 64};
    for (size_t t = 0; t < 6; t++)
        for (size_t k = 0; k < 8; k++) {
            uint32_t n = ns[k];
            double share[64], load[64] = {0};
            uint32_t count[64];
            for (uint32_t c = 0; c < n; c++) share[c] = 1.0 / n;
            uint32_t min_each = totals[t] >= n ? 1 : 0;
            wl_fill_by_share(n, share, load, 7, totals[t], min_each, count);
            for (uint32_t c = 0; c < n; c++) {
                uint32_t lo, hi;
                wl_split(totals[t], n, c, &lo, &hi);
                CU_ASSERT_EQUAL(count[c], hi - lo);
            }
        }
}

/* Unequal shares: every item sits where it ends earliest, so no chip's
 * last item would end later than one more item on any other chip
 * (count_c / share_c <= (count_d + 1) / share_d), which is the split with
 * the least time count/share at its most; every item given once. */
static void test_fill_follows_shares(void)
{
    const double share[4] = {0.4, 0.3, 0.2, 0.1};
    const uint64_t totals[] = {10, 97, 1376};
    for (size_t t = 0; t < 3; t++) {
        double load[4] = {0};
        uint32_t count[4], n = 0;
        wl_fill_by_share(4, share, load, 3, totals[t], 1, count);
        for (uint32_t c = 0; c < 4; c++) {
            CU_ASSERT(count[c] >= 1);
            CU_ASSERT_DOUBLE_EQUAL(load[c], 3.0 * count[c], 1e-9);
            for (uint32_t d = 0; d < 4; d++)
                CU_ASSERT(count[c] == 1 ||
                          count[c] / share[c] <= (count[d] + 1) / share[d] + 1e-9);
            n += count[c];
        }
        CU_ASSERT_EQUAL(n, totals[t]);
    }
}

static char *dump(const system_program *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    system_program_dump(p, NULL, f);
    fclose(f);
    return text;
}

static workload_params with(workload_params w, int balance, int ffn_split,
                            const chip_capacity *caps)
{
    tensor_params_of(&w)->balance = balance;
    tensor_params_of(&w)->ffn_split = ffn_split;
    w.capacity = caps;
    return w;
}

/* Identical chips, or none that can say: capacity is equal, op for op. */
static void test_identical_chips_are_equal(void)
{
    workload_params ws[] = {
        fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 6, 5, &(model_dims){.n_layers = 1}),
        fx_workload("smollm2-135m", MODE_AUTOREGRESSIVE, 4, 5, &(model_dims){.n_layers = 1}),
        fx_workload("mobilebert", MODE_PROMPT, 4, 5, &(model_dims){.n_layers = 1}),
    };
    const uint32_t chips[] = {1, 2, 3, 4, 5, 8, 16};
    chip_capacity same[16];
    for (int c = 0; c < 16; c++) same[c] = (chip_capacity){4.2e10, 10u << 20};
    for (size_t i = 0; i < 3; i++)
        for (int split = 0; split < 2; split++)
            for (size_t k = 0; k < 7; k++) {
                if (ws[i].dims.arch == ARCH_MOBILEBERT && (split || chips[k] > ws[i].dims.n_heads))
                    continue;
                workload_params eq = with(ws[i], BALANCE_EQUAL, split, NULL);
                system_program *a = fx_build(&eq, chips[k], false);
                char *ta = dump(a);
                for (int have = 0; have < 2; have++) {
                    workload_params cap = with(ws[i], BALANCE_CAPACITY, split, have ? same : NULL);
                    system_program *b = fx_build(&cap, chips[k], false);
                    char *tb = dump(b);
                    CU_ASSERT_STRING_EQUAL(ta, tb);
                    free(tb);
                    system_program_destroy(b);
                }
                free(ta);
                system_program_destroy(a);
            }
}

static uint64_t chip_bytes(const chip_program *c, buf_role role)
{
    uint64_t s = 0;
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (c->bufs[b].role == role) s += prog_buffer_bytes(&c->bufs[b]);
    return s;
}

/* FFN columns chip c holds: the rows of its block-0 W2 slice. */
static uint32_t ffn_cols(const chip_program *c)
{
    for (uint32_t b = 0; b < c->n_bufs; b++)
        if (!strcmp(c->bufs[b].name, "b0.ffn.w2")) return c->bufs[b].rows;
    return 0;
}

/* A chip twice as fast as the others takes about twice their FFN columns
 * (even: the FFN phase on its own) and more weights; nothing is held
 * twice, every column once. */
static void test_faster_chip_takes_more(void)
{
    workload_params w = fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 6, 5,
                                    &(model_dims){.n_layers = 1});
    const uint32_t chips[] = {2, 3, 5, 12};
    for (size_t k = 0; k < 4; k++) {
        uint32_t n = chips[k];
        chip_capacity caps[12];
        for (uint32_t c = 0; c < n; c++) caps[c] = (chip_capacity){c == 1 ? 2e10 : 1e10, 1u << 30};
        workload_params cap = with(w, BALANCE_CAPACITY, FFN_SPLIT_EVEN, caps);
        system_program *p = fx_build(&cap, n, false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), fx_llama_weight_bytes(&w.dims));
        uint32_t total = 0;
        double per_speed = (double)w.dims.ffn_hidden / (double)(n + 1);   /* columns per 1e10 */
        for (uint32_t c = 0; c < n; c++) {
            uint32_t cols = ffn_cols(&p->chips[c]);
            total += cols;
            double want = per_speed * (c == 1 ? 2 : 1);
            CU_ASSERT(fabs((double)cols - want) <= 1.0 + 1e-9);
            if (c != 1) CU_ASSERT(chip_bytes(&p->chips[1], BUF_WEIGHT) >
                                  chip_bytes(&p->chips[c], BUF_WEIGHT));
        }
        CU_ASSERT_EQUAL(total, w.dims.ffn_hidden);
        system_program_destroy(p);
    }
}

/* Equal speeds, chip 0 able to hold a tenth of what its equal share would
 * be, the others plenty: chip 0 takes less than any other. */
static void test_small_memory_takes_less(void)
{
    workload_params w = fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 6, 5,
                                    &(model_dims){.n_layers = 1});
    uint64_t all = fx_llama_weight_bytes(&w.dims);
    chip_capacity caps[4] = {{1e10, all / 40}, {1e10, all}, {1e10, all}, {1e10, all}};
    workload_params cap = with(w, BALANCE_CAPACITY, FFN_SPLIT_BALANCED, caps);
    system_program *p = fx_build(&cap, 4, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    uint64_t held0 = chip_bytes(&p->chips[0], BUF_WEIGHT) + chip_bytes(&p->chips[0], BUF_KV_CACHE);
    for (uint32_t c = 1; c < 4; c++)
        CU_ASSERT(held0 < chip_bytes(&p->chips[c], BUF_WEIGHT));
    CU_ASSERT_EQUAL(fx_role_bytes(p, BUF_WEIGHT), all);
    system_program_destroy(p);
}

/* Unequal chips, bit for bit the 1-chip output: llama (autoregressive and
 * prompt with the LM head, grouped-query attention) and MobileBERT. */
static void test_bit_exact(void)
{
    chip_capacity caps[64];
    for (uint32_t c = 0; c < 64; c++)
        caps[c] = (chip_capacity){1e10 * (1 + (c * 7) % 5), (uint64_t)(1 + (c * 3) % 4) << 20};
    struct { workload_params w; uint32_t chips[6]; } cases[] = {
        {fx_workload("tinyllama-42m", MODE_AUTOREGRESSIVE, 6, 5, &(model_dims){.n_layers = 2}),
         {2, 3, 5, 9, 16, 64}},
        {fx_workload("stories15m", MODE_PROMPT, 5, 3, &(model_dims){.n_layers = 1}),
         {2, 3, 4, 7, 13, 33}},
        {fx_workload("smollm2-135m", MODE_AUTOREGRESSIVE, 4, 5, &(model_dims){.n_layers = 1}),
         {2, 3, 4, 5, 8, 17}},
        {fx_workload("mobilebert", MODE_PROMPT, 4, 5, &(model_dims){.n_layers = 1}),
         {2, 3, 4, 4, 3, 2}},
    };
    cases[1].w.head = true;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int split = 0; split < 2; split++) {
            if (cases[i].w.dims.arch == ARCH_MOBILEBERT && split) continue;
            workload_params w = with(cases[i].w, BALANCE_CAPACITY, split, caps);
            fx_check_equal_over(&w, cases[i].chips, 6);
        }
}

static int register_tests(void)
{
    ADD_SUITE("balance", TEST(test_shares), TEST(test_fill_equal_is_even),
              TEST(test_fill_follows_shares), TEST(test_identical_chips_are_equal),
              TEST(test_faster_chip_takes_more), TEST(test_small_memory_takes_less),
              TEST(test_bit_exact));
    return 0;
}

CUNIT_MAIN(register_tests)
