/* llama2.c checkpoint reader (Karpathy's run.c format): a header of 7 int32
 * (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
 * negative vocab_size = separate classifier) then float32 tensors in the
 * order token_embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3,
 * rms_final, freq_cis_real, freq_cis_imag[, wcls]. Not yet wired into the
 * partitioner (no `checkpoint:` workload key yet). */
#ifndef MCUSIM_LLAMA2C_H
#define MCUSIM_LLAMA2C_H

#include <stddef.h>
#include <stdint.h>

#include "workload.h"

enum { L2C_WQ, L2C_WK, L2C_WV, L2C_WO, L2C_W1, L2C_W2, L2C_W3, L2C__COUNT };

typedef struct llama2c_ckpt {
    model_dims dims;
    int shared_classifier;
    /* per layer, per L2C_* tensor: int8 values (llama2.c's out×in layout) and
     * the real value of one step: w ~ q * scale */
    int8_t **w;     /* [n_layers * L2C__COUNT] */
    float *scale;   /* [n_layers * L2C__COUNT] */
} llama2c_ckpt;

/* Symmetric per-tensor quantisation: scale = max|w| / 127, q = round(w /
 * scale) (half away from zero); an all-zero tensor gets scale 1. */
float llama2c_quantise(const float *w, size_t n, int8_t *q);

llama2c_ckpt *llama2c_load(const char *path, char *err, size_t errlen);
void llama2c_free(llama2c_ckpt *c);

#endif
