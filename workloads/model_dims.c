/* Built-in model dimensions, the YAML parameter tables of `workload:` and
 * `workload.dims:`, and the cross-field checks. Sources: llama2.c model
 * cards (stories15M, stories42M) and Sun et al. 2020 (MobileBERT). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "workload.h"

const char *const model_builtin_names[] = {"tinyllama-42m", "stories15m", "mobilebert", NULL};

static const char *const arch_names[] = {"llama", "mobilebert", NULL};
static const char *const mode_names[] = {"autoregressive", "prompt", NULL};
static const char *const ffn_split_names[] = {"even", "balanced", NULL};

static void set_dims(model_dims *d, const char *name, int arch, uint64_t dim, uint64_t layers,
                     uint64_t heads, uint64_t head_dim, uint64_t ffn, uint64_t vocab,
                     uint64_t max_seq, uint64_t bottleneck, uint64_t n_ffn)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name);
    d->arch = arch;
    d->dim = dim;
    d->n_layers = layers;
    d->n_heads = heads;
    d->n_kv_heads = heads;
    d->head_dim = head_dim;
    d->ffn_hidden = ffn;
    d->vocab = vocab;
    d->max_seq = max_seq;
    d->bottleneck = bottleneck;
    d->n_ffn = n_ffn;
}

int model_dims_builtin(const char *name, model_dims *d)
{
    if (!name) return -1;
    if (!strcmp(name, "tinyllama-42m")) /* llama2.c stories42M */
        set_dims(d, name, ARCH_LLAMA, 512, 8, 8, 64, 1376, 32000, 1024, 0, 1);
    else if (!strcmp(name, "stories15m")) /* llama2.c stories15M */
        set_dims(d, name, ARCH_LLAMA, 288, 6, 6, 48, 768, 32000, 256, 0, 1);
    else if (!strcmp(name, "mobilebert")) /* Sun et al. 2020, MobileBERT (not tiny) */
        set_dims(d, name, ARCH_MOBILEBERT, 512, 24, 4, 32, 512, 30522, 512, 128, 4);
    else
        return -1;
    return 0;
}

void model_dims_overlay(model_dims *base, const model_dims *over, bool take_arch)
{
    if (take_arch) base->arch = over->arch;
#define OVER(f) if (over->f) base->f = over->f
    OVER(dim);
    OVER(n_layers);
    OVER(n_heads);
    OVER(head_dim);
    OVER(ffn_hidden);
    OVER(vocab);
    OVER(max_seq);
    OVER(bottleneck);
    OVER(n_ffn);
#undef OVER
    /* Scaling heads without naming kv heads means "all heads have K/V". */
    base->n_kv_heads = over->n_kv_heads ? over->n_kv_heads : base->n_heads;
}

int workload_resolve(workload_params *w, const model_dims *over, char *err, size_t errlen)
{
    bool custom = !strcmp(w->model, "custom");
    if (custom) {
        memset(&w->dims, 0, sizeof w->dims);
        snprintf(w->dims.name, sizeof w->dims.name, "custom");
        w->dims.n_ffn = 1;
    } else if (model_dims_builtin(w->model, &w->dims)) {
        snprintf(err, errlen, "model: unknown model '%s' (built-ins: tinyllama-42m, "
                              "stories15m, mobilebert, or custom with a dims block)",
                 w->model);
        return -1;
    }
    if (over) model_dims_overlay(&w->dims, over, custom);
    return 0;
}

#define OFF(f) offsetof(workload_params, f)
const param_spec workload_param_specs[] = {
    {"model", PARAM_STRING, DIM_NONE, OFF(model), 0, 0, "tinyllama-42m", NULL,
     "built-in model: tinyllama-42m (llama2.c stories42M), stories15m, mobilebert, or custom"},
    {"mode", PARAM_ENUM, DIM_NONE, OFF(mode), 0, 0, "autoregressive", mode_names,
     "autoregressive: one new token against a KV cache of seq_len; prompt: seq_len tokens"},
    {"seq_len", PARAM_UINT, DIM_NONE, OFF(seq_len), 1, 65536, "128", NULL,
     "prompt length S, or KV-cache length in autoregressive mode (assumed default 128: a "
     "short story context for TinyStories models)"},
    {"seed", PARAM_UINT, DIM_NONE, OFF(seed), 0, 18446744073709551615.0, "1", NULL,
     "seed of the pseudo-random int8 weights, inputs and KV cache (splitmix64)"},
    {"ffn_split", PARAM_ENUM, DIM_NONE, OFF(ffn_split), 0, 0, "even", ffn_split_names,
     "llama FFN slicing: even (equal column counts: the paper's 'FFN sliced', shortest FFN "
     "phase) or balanced (chips with fewer or no heads take more columns so weight + KV "
     "bytes per chip are even: shares fit L2 sooner)"},
    {"blocks", PARAM_UINT, DIM_NONE, OFF(blocks), 0, 1 << 20, "0", NULL,
     "Transformer blocks simulated, the first N (1..n_layers; default all); the final norm "
     "follows the last one"},
    {"head", PARAM_BOOL, DIM_NONE, OFF(head), 0, 0, "false", NULL,
     "llama only: also the embedding lookup and the LM-head GEMV after the final norm, vocab "
     "sliced over chips (classifier tied to the embedding as in llama2.c; prompt mode: the "
     "last position's logits only)"},
};
const size_t workload_param_count = sizeof workload_param_specs / sizeof workload_param_specs[0];
#undef OFF

/* Dims keys override the built-in model field by field; 0 keeps the built-in
 * value (see model_dims_overlay). arch is read only for model: custom. */
#define OFF(f) offsetof(model_dims, f)
const param_spec model_dims_specs[] = {
    {"arch", PARAM_ENUM, DIM_NONE, OFF(arch), 0, 0, "llama", arch_names,
     "block structure (used with model: custom): llama (RMSNorm, RoPE, SwiGLU) or mobilebert"},
    {"dim", PARAM_UINT, DIM_NONE, OFF(dim), 0, 1 << 16, "0", NULL, "E, embedding size"},
    {"n_layers", PARAM_UINT, DIM_NONE, OFF(n_layers), 0, 1024, "0", NULL,
     "number of Transformer blocks"},
    {"n_heads", PARAM_UINT, DIM_NONE, OFF(n_heads), 0, 4096, "0", NULL,
     "H, attention heads (scale-up study: 64 with E and P unchanged)"},
    {"n_kv_heads", PARAM_UINT, DIM_NONE, OFF(n_kv_heads), 0, 4096, "0", NULL,
     "heads with their own K/V; 0 = n_heads (grouped-query attention is not supported)"},
    {"head_dim", PARAM_UINT, DIM_NONE, OFF(head_dim), 0, 4096, "0", NULL, "P, head size"},
    {"ffn_hidden", PARAM_UINT, DIM_NONE, OFF(ffn_hidden), 0, 1 << 20, "0", NULL,
     "FFN inner size"},
    {"vocab", PARAM_UINT, DIM_NONE, OFF(vocab), 0, 1 << 24, "0", NULL,
     "vocabulary size V (embedding and classifier, simulated with head: true)"},
    {"max_seq", PARAM_UINT, DIM_NONE, OFF(max_seq), 0, 1 << 20, "0", NULL,
     "longest sequence the model supports"},
    {"bottleneck", PARAM_UINT, DIM_NONE, OFF(bottleneck), 0, 1 << 16, "0", NULL,
     "MobileBERT intra-block bottleneck size"},
    {"n_ffn", PARAM_UINT, DIM_NONE, OFF(n_ffn), 0, 64, "0", NULL,
     "stacked FFNs per block (MobileBERT 4)"},
};
const size_t model_dims_count = sizeof model_dims_specs / sizeof model_dims_specs[0];
#undef OFF

static int fail(char *err, size_t errlen, const char *msg, unsigned long long a,
                unsigned long long b)
{
    snprintf(err, errlen, msg, a, b);
    return -1;
}

uint32_t workload_blocks(const workload_params *w)
{
    return (uint32_t)(w->blocks ? w->blocks : w->dims.n_layers);
}

int workload_check_blocks(uint64_t blocks, const model_dims *d, char *err, size_t errlen)
{
    if (blocks >= 1 && blocks <= d->n_layers) return 0;
    snprintf(err, errlen, "blocks: %llu is outside 1..%llu (%s has n_layers %llu)",
             (unsigned long long)blocks, (unsigned long long)d->n_layers, d->name,
             (unsigned long long)d->n_layers);
    return -1;
}

void workload_scope(const workload_params *w, char *buf, size_t cap)
{
    const model_dims *d = &w->dims;
    bool llama = d->arch == ARCH_LLAMA, prompt = w->mode == MODE_PROMPT;
    char what[64];
    if (prompt)
        snprintf(what, sizeof what, "%llu-token %s", (unsigned long long)w->seq_len,
                 llama ? "prompt" : "sequence");
    else
        snprintf(what, sizeof what, "one token");
    const char *head = !llama      ? ""
                       : !w->head  ? "; no LM head"
                       : prompt    ? "; embedding + LM head (last position)"
                                   : "; embedding + LM head";
    snprintf(buf, cap, "%s; %u of %llu blocks%s", what, workload_blocks(w),
             (unsigned long long)d->n_layers, head);
}

int workload_check(const workload_params *w, char *err, size_t errlen)
{
    const model_dims *d = &w->dims;
    if (!d->dim || !d->n_layers || !d->n_heads || !d->head_dim || !d->ffn_hidden || !d->max_seq)
        return fail(err, errlen,
                    "dims: dim, n_layers, n_heads, head_dim, ffn_hidden and max_seq must all "
                    "be set (> 0)%.0llu%.0llu", 0, 0);
    if (d->n_kv_heads && d->n_kv_heads != d->n_heads)
        return fail(err, errlen,
                    "dims.n_kv_heads: %llu differs from n_heads %llu; grouped-query attention "
                    "is not supported",
                    (unsigned long long)d->n_kv_heads, (unsigned long long)d->n_heads);
    if (d->arch == ARCH_LLAMA) {
        if (d->head_dim % 2)
            return fail(err, errlen, "dims.head_dim: %llu must be even for RoPE%.0llu",
                        (unsigned long long)d->head_dim, 0);
        uint64_t kv = w->mode == MODE_AUTOREGRESSIVE ? w->seq_len + 1 : w->seq_len;
        if (kv > d->max_seq)
            return fail(err, errlen,
                        "seq_len: %llu tokens (with the new token in autoregressive mode) "
                        "exceed the model's max_seq %llu",
                        (unsigned long long)kv, (unsigned long long)d->max_seq);
    } else if (d->arch == ARCH_MOBILEBERT) {
        if (!d->bottleneck || !d->n_ffn)
            return fail(err, errlen, "dims: mobilebert needs bottleneck and n_ffn > 0%.0llu%.0llu",
                        0, 0);
        if (d->n_heads * d->head_dim != d->bottleneck)
            return fail(err, errlen,
                        "dims: mobilebert attention runs over the bottleneck: n_heads*head_dim "
                        "= %llu must equal bottleneck %llu",
                        (unsigned long long)(d->n_heads * d->head_dim),
                        (unsigned long long)d->bottleneck);
        if (w->mode == MODE_AUTOREGRESSIVE)
            return fail(err, errlen,
                        "mode: mobilebert is an encoder; use mode: prompt%.0llu%.0llu", 0, 0);
        if (w->seq_len > d->max_seq)
            return fail(err, errlen, "seq_len: %llu exceeds the model's max_seq %llu",
                        (unsigned long long)w->seq_len, (unsigned long long)d->max_seq);
    } else {
        return fail(err, errlen, "dims.arch: unknown architecture %llu%.0llu",
                    (unsigned long long)d->arch, 0);
    }
    if (w->seq_len == 0) return fail(err, errlen, "seq_len: must be > 0%.0llu%.0llu", 0, 0);
    if (w->blocks && workload_check_blocks(w->blocks, d, err, errlen)) return -1;
    if (w->head && d->arch != ARCH_LLAMA) {
        snprintf(err, errlen,
                 "head: %s has no LM head; its task heads are out of scope (use head: false)",
                 d->name);
        return -1;
    }
    if (w->head && !d->vocab)
        return fail(err, errlen, "dims.vocab: the LM head needs a vocabulary size > 0%.0llu%.0llu",
                    0, 0);
    return 0;
}
