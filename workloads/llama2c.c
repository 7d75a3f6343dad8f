/* llama2.c float32 checkpoint reader with per-tensor int8 quantisation. */
#include "llama2c.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

float llama2c_quantise(const float *w, size_t n, int8_t *q)
{
    float amax = 0;
    for (size_t i = 0; i < n; i++) amax = fmaxf(amax, fabsf(w[i]));
    float scale = amax > 0 ? amax / 127.0f : 1.0f;
    for (size_t i = 0; i < n; i++) {
        long v = lroundf(w[i] / scale);
        q[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
    }
    return scale;
}

void llama2c_free(llama2c_ckpt *c)
{
    if (!c) return;
    if (c->w)
        for (uint64_t i = 0; i < c->dims.n_layers * L2C__COUNT; i++) free(c->w[i]);
    free(c->w);
    free(c->scale);
    free(c);
}

static int skip_floats(FILE *f, uint64_t n)
{
    return fseek(f, (long)(n * sizeof(float)), SEEK_CUR);
}

/* Reads `layers` consecutive tensors of `per` floats into slot t of each layer. */
static int read_stack(FILE *f, llama2c_ckpt *c, int t, uint64_t per, float *tmp)
{
    for (uint64_t l = 0; l < c->dims.n_layers; l++) {
        size_t k = l * L2C__COUNT + (size_t)t;
        if (fread(tmp, sizeof(float), per, f) != per) return -1;
        c->w[k] = malloc(per);
        if (!c->w[k]) return -1;
        c->scale[k] = llama2c_quantise(tmp, per, c->w[k]);
    }
    return 0;
}

static int read_all(FILE *f, llama2c_ckpt *c)
{
    const model_dims *d = &c->dims;
    uint64_t E = d->dim, F = d->ffn_hidden, L = d->n_layers, HP = d->n_heads * d->head_dim;
    uint64_t KVP = d->n_kv_heads * d->head_dim;
    float *tmp = malloc((E * (F > HP ? F : HP) + 1) * sizeof *tmp);
    if (!tmp) return -1;
    int rc = skip_floats(f, d->vocab * E) || skip_floats(f, L * E) ||
             read_stack(f, c, L2C_WQ, HP * E, tmp) || read_stack(f, c, L2C_WK, KVP * E, tmp) ||
             read_stack(f, c, L2C_WV, KVP * E, tmp) || read_stack(f, c, L2C_WO, E * HP, tmp) ||
             skip_floats(f, L * E) || read_stack(f, c, L2C_W1, F * E, tmp) ||
             read_stack(f, c, L2C_W2, E * F, tmp) || read_stack(f, c, L2C_W3, F * E, tmp);
    free(tmp);
    return rc ? -1 : 0;
}

llama2c_ckpt *llama2c_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open checkpoint", path);
        return NULL;
    }
    int32_t h[7];
    llama2c_ckpt *c = calloc(1, sizeof *c);
    if (!c || fread(h, sizeof h[0], 7, f) != 7) {
        snprintf(err, errlen, "%s: short llama2.c header", path);
        goto fail;
    }
    for (int i = 0; i < 7; i++)
        if ((i != 5 && h[i] <= 0) || h[5] == 0) {
            snprintf(err, errlen, "%s: header field %d is %d, not a llama2.c checkpoint", path,
                     i, (int)h[i]);
            goto fail;
        }
    if (h[0] % h[3] || h[3] % h[4]) {
        snprintf(err, errlen, "%s: dim %d not divisible by n_heads %d", path, h[0], h[3]);
        goto fail;
    }
    snprintf(c->dims.name, sizeof c->dims.name, "llama2c");
    c->dims.arch = ARCH_LLAMA;
    c->dims.dim = (uint64_t)h[0];
    c->dims.ffn_hidden = (uint64_t)h[1];
    c->dims.n_layers = (uint64_t)h[2];
    c->dims.n_heads = (uint64_t)h[3];
    c->dims.n_kv_heads = (uint64_t)h[4];
    c->dims.head_dim = (uint64_t)(h[0] / h[3]);
    c->shared_classifier = h[5] > 0;
    c->dims.vocab = (uint64_t)(h[5] > 0 ? h[5] : -h[5]);
    c->dims.max_seq = (uint64_t)h[6];
    c->dims.n_ffn = 1;
    c->w = calloc(c->dims.n_layers * L2C__COUNT, sizeof *c->w);
    c->scale = calloc(c->dims.n_layers * L2C__COUNT, sizeof *c->scale);
    if (!c->w || !c->scale || read_all(f, c)) {
        snprintf(err, errlen, "%s: truncated checkpoint (or out of memory)", path);
        goto fail;
    }
    fclose(f);
    return c;
fail:
    fclose(f);
    llama2c_free(c);
    return NULL;
}
