/* llama2.c checkpoint reader on a tiny checkpoint written here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "llama2c.h"

enum { E = 8, F = 12, L = 2, H = 2, V = 5, SEQ = 4 };

/* tensor t's element i: distinct, signed, known */
static float val(int t, size_t i)
{
    return (float)((int)((i * 7 + (size_t)t * 3) % 23) - 11) * 0.01f * (float)(t + 1);
}

static void put(FILE *f, int t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        float v = val(t, i);
        fwrite(&v, sizeof v, 1, f);
    }
}

static const char *write_ckpt(int truncate)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/tiny_llama2c_%d.bin", MCUSIM_BINARY_DIR, truncate);
    FILE *f = fopen(path, "wb");
    int32_t h[7] = {E, F, L, H, H, -V, SEQ};
    fwrite(h, sizeof h[0], 7, f);
    put(f, 100, (size_t)V * E);     /* token embedding */
    put(f, 101, (size_t)L * E);     /* rms_att */
    for (int t = 0; t < 4; t++) put(f, t, (size_t)L * E * E); /* wq wk wv wo */
    put(f, 102, (size_t)L * E);     /* rms_ffn */
    put(f, 4, (size_t)L * F * E);   /* w1 */
    put(f, 5, (size_t)L * E * F);   /* w2 */
    if (!truncate) put(f, 6, (size_t)L * F * E); /* w3 */
    fclose(f);
    return path;
}

static void test_load_and_quantise(void)
{
    char err[256] = "";
    llama2c_ckpt *c = llama2c_load(write_ckpt(0), err, sizeof err);
    if (!c) fprintf(stderr, "%s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->dims.dim, E);
    CU_ASSERT_EQUAL(c->dims.head_dim, E / H);
    CU_ASSERT_EQUAL(c->dims.vocab, V);
    CU_ASSERT_EQUAL(c->shared_classifier, 0);
    const int tensors[] = {L2C_WQ, L2C_WO, L2C_W2, L2C_W3};
    const size_t sizes[] = {E * E, E * E, E * F, F * E};
    for (int k = 0; k < 4; k++) {
        int t = tensors[k];
        size_t layer = 1, n = sizes[k];
        /* layer 1's values follow layer 0's in the stacked file tensor */
        float amax = 0;
        for (size_t i = 0; i < n; i++) amax = fmaxf(amax, fabsf(val(t, layer * n + i)));
        float s = c->scale[layer * L2C__COUNT + (size_t)t];
        CU_ASSERT_DOUBLE_EQUAL(s, amax / 127.0, 1e-7);
        const int8_t *q = c->w[layer * L2C__COUNT + (size_t)t];
        int peak = 0;
        for (size_t i = 0; i < n; i++) {
            CU_ASSERT(fabsf(q[i] * s - val(t, layer * n + i)) <= s / 2 + 1e-6f);
            peak |= abs(q[i]) == 127;
        }
        CU_ASSERT(peak);
    }
    llama2c_free(c);
}

static void test_truncated_rejected(void)
{
    char err[256] = "";
    CU_ASSERT_PTR_NULL(llama2c_load(write_ckpt(1), err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "truncated"));
    CU_ASSERT_PTR_NULL(llama2c_load("/nonexistent/ckpt.bin", err, sizeof err));
}

static int register_tests(void)
{
    ADD_SUITE("llama2c", TEST(test_load_and_quantise), TEST(test_truncated_rejected));
    return 0;
}

CUNIT_MAIN(register_tests)
