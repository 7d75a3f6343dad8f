/* The shipped models' dimensions as their published definitions give them,
 * written here independently of the files of configs/models/: the oracle the
 * model files are held to (test_experiment_models.c), and the dims the
 * partitioner tests build from without reading a config file. These are
 * model definitions, not simulated figures.
 *   stories15M, stories42M (= tinyllama-42m): llama2.c (Karpathy,
 *     github.com/karpathy/llama2.c), README "Models" table (dim, n_layers,
 *     n_heads, n_kv_heads, max context length) and model.py (head_dim =
 *     dim / n_heads; FFN hidden = 4·dim·2/3 rounded up to a multiple of 32;
 *     vocab_size 32000).
 *   MobileBERT: Sun et al., ACL 2020, Table 1, as released in Hugging Face
 *     google/mobilebert-uncased config.json (hidden_size 512,
 *     num_hidden_layers 24, num_attention_heads 4, intra_bottleneck_size
 *     128, intermediate_size 512, num_feedforward_networks 4, vocab_size
 *     30522, max_position_embeddings 512).
 *   SmolLM2-135M: Hugging Face HuggingFaceTB/SmolLM2-135M config.json
 *     (LlamaForCausalLM; hidden_size 576, num_hidden_layers 30,
 *     num_attention_heads 9, num_key_value_heads 3, head_dim 64,
 *     intermediate_size 1536, vocab_size 49152, max_position_embeddings
 *     8192): grouped-query attention, 3 query heads per K/V head. */
#ifndef TEST_MODEL_DIMS_H
#define TEST_MODEL_DIMS_H

#include <stdio.h>
#include <string.h>

#include "workload.h"

/* llama2.c model.py FeedForward: hidden = int(2·4·dim/3), then up to a
 * multiple of 32. */
static inline uint64_t tmd_llama_hidden(uint64_t dim)
{
    uint64_t h = 2 * (4 * dim) / 3;
    return 32 * ((h + 31) / 32);
}

/* Fills *d with the published dims of `name`; 0, or -1 if the name is not
 * one of the shipped models. */
static inline int tmd_published(const char *name, model_dims *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name);
    d->n_ffn = 1;
    if (!strcmp(name, "tinyllama-42m")) {
        d->arch = ARCH_LLAMA;
        d->dim = 512, d->n_layers = 8, d->n_heads = 8, d->n_kv_heads = 8, d->max_seq = 1024;
    } else if (!strcmp(name, "stories15m")) {
        d->arch = ARCH_LLAMA;
        d->dim = 288, d->n_layers = 6, d->n_heads = 6, d->n_kv_heads = 6, d->max_seq = 256;
    } else if (!strcmp(name, "smollm2-135m")) {
        d->arch = ARCH_LLAMA;
        d->dim = 576, d->n_layers = 30, d->n_heads = 9, d->n_kv_heads = 3, d->head_dim = 64;
        d->ffn_hidden = 1536, d->vocab = 49152, d->max_seq = 8192;
        return 0;
    } else if (!strcmp(name, "mobilebert")) {
        d->arch = ARCH_MOBILEBERT;
        d->dim = 512, d->n_layers = 24, d->n_heads = 4, d->n_kv_heads = 4, d->bottleneck = 128;
        d->head_dim = 128 / 4, d->ffn_hidden = 512, d->n_ffn = 4, d->vocab = 30522;
        d->max_seq = 512;
        return 0;
    } else {
        return -1;
    }
    d->head_dim = d->dim / d->n_heads;
    d->ffn_hidden = tmd_llama_hidden(d->dim);
    d->vocab = 32000;
    return 0;
}

/* Every non-zero field of *over replaces d's (as a `dims:` block does);
 * K/V heads follow the heads unless given or the model groups them. */
static inline void tmd_overlay(model_dims *d, const model_dims *over)
{
    bool grouped = d->n_kv_heads != d->n_heads;
#define TMD_OVER(f) if (over->f) d->f = over->f
    TMD_OVER(dim);
    TMD_OVER(n_layers);
    TMD_OVER(n_heads);
    TMD_OVER(head_dim);
    TMD_OVER(ffn_hidden);
    TMD_OVER(vocab);
    TMD_OVER(max_seq);
    TMD_OVER(bottleneck);
    TMD_OVER(n_ffn);
#undef TMD_OVER
    if (over->n_kv_heads) d->n_kv_heads = over->n_kv_heads;
    else if (!grouped) d->n_kv_heads = d->n_heads;
}

#endif
