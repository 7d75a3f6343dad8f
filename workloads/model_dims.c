/* The YAML parameter tables of `workload:` and `workload.dims:` (also the
 * keys of a model file, configs/models/NAME.yaml, which holds each model's
 * dimensions with their sources), the model's own rules and the workload's
 * cross-field checks. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "workload.h"

static const char *const arch_names[] = {"llama", "mobilebert", NULL};
static const char *const mode_names[] = {"autoregressive", "prompt", NULL};

#define OFF(f) offsetof(workload_params, f)
const param_spec workload_param_specs[] = {
    {"model", PARAM_STRING, DIM_NONE, OFF(model), 0, 0, "tinyllama-42m", NULL,
     "a model of configs/models/ by name (tinyllama-42m, stories15m, mobilebert, ...), a model "
     "file of one's own (PATH.yaml, relative to this file), or custom (every dim under dims)"},
    {"partitioner", PARAM_STRING, DIM_NONE, OFF(partitioner), 0, 0, "tensor", NULL,
     "how the inference is split over the chips: a partitioner by name (README, Partitioners; "
     "tensor is the paper's); its parameters under workload.partition"},
    {"mode", PARAM_ENUM, DIM_NONE, OFF(mode), 0, 0, "autoregressive", mode_names,
     "autoregressive: one new token against a KV cache of seq_len; prompt: seq_len tokens"},
    {"seq_len", PARAM_UINT, DIM_NONE, OFF(seq_len), 1, 65536, "128", NULL,
     "prompt length S, or KV-cache length in autoregressive mode (assumed default 128: a "
     "short story context for TinyStories models)"},
    {"seed", PARAM_UINT, DIM_NONE, OFF(seed), 0, 18446744073709551615.0, "1", NULL,
     "seed of the pseudo-random int8 weights, inputs and KV cache (splitmix64)"},
    {"blocks", PARAM_UINT, DIM_NONE, OFF(blocks), 0, 1 << 20, "0", NULL,
     "Transformer blocks simulated, the first N (1..n_layers; default all); the final norm "
     "follows the last one"},
    {"head", PARAM_BOOL, DIM_NONE, OFF(head), 0, 0, "false", NULL,
     "llama only: also the embedding lookup and the LM-head GEMV after the final norm, vocab "
     "sliced over chips (classifier tied to the embedding as in llama2.c; prompt mode: the "
     "last position's logits only)"},
    {"in_flight", PARAM_UINT, DIM_NONE, OFF(in_flight), 1, WORKLOAD_IN_FLIGHT_MAX, "1", NULL,
     "independent inferences in the system at once, entering back to back (autoregressive: "
     "sequences, each with its own KV cache and input; prompt: prompts); each chip starts its "
     "part of inference k+1 when its part of k is done. latency_ms is the first's, "
     "tokens_per_s the steady-state rate; energy and bytes are per inference"},
};
const size_t workload_param_count = sizeof workload_param_specs / sizeof workload_param_specs[0];
#undef OFF

/* The keys of a model file, and of `workload.dims`, which overrides the
 * model's dims field by field (arch only with model: custom). */
#define OFF(f) offsetof(model_dims, f)
const param_spec model_dims_specs[] = {
    {"arch", PARAM_ENUM, DIM_NONE, OFF(arch), 0, 0, "llama", arch_names,
     "block structure: llama (RMSNorm, RoPE, SwiGLU) or mobilebert (bottlenecks, NoNorm, "
     "stacked FFNs); in workload.dims only with model: custom"},
    {"dim", PARAM_UINT, DIM_NONE, OFF(dim), 0, 1 << 16, "0", NULL, "E, embedding size"},
    {"n_layers", PARAM_UINT, DIM_NONE, OFF(n_layers), 0, 1024, "0", NULL,
     "number of Transformer blocks"},
    {"n_heads", PARAM_UINT, DIM_NONE, OFF(n_heads), 0, 4096, "0", NULL,
     "H, attention heads (scale-up study: 64 with E and P unchanged)"},
    {"n_kv_heads", PARAM_UINT, DIM_NONE, OFF(n_kv_heads), 0, 4096, "0", NULL,
     "heads with their own K/V; 0 = n_heads; fewer (dividing n_heads) is grouped-query "
     "attention, llama only"},
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

uint32_t workload_in_flight(const workload_params *w)
{
    return w->in_flight ? (uint32_t)w->in_flight : 1;
}

uint64_t workload_data_seed(const workload_params *w, uint32_t inference)
{
    return w->seed + inference;
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

int model_dims_check(const model_dims *d, char *err, size_t errlen)
{
    if (!d->dim || !d->n_layers || !d->n_heads || !d->head_dim || !d->ffn_hidden || !d->max_seq)
        return fail(err, errlen,
                    "dim, n_layers, n_heads, head_dim, ffn_hidden and max_seq must all be set "
                    "(> 0)%.0llu%.0llu", 0, 0);
    /* Grouped-query attention: each K/V head serves a whole group of
     * n_heads / n_kv_heads query heads, so the groups must be equal. */
    if (d->n_kv_heads && (d->n_kv_heads > d->n_heads || d->n_heads % d->n_kv_heads))
        return fail(err, errlen,
                    "n_kv_heads: %llu must divide n_heads %llu (grouped-query attention: each "
                    "K/V head serves an equal group of query heads)",
                    (unsigned long long)d->n_kv_heads, (unsigned long long)d->n_heads);
    if (d->arch == ARCH_LLAMA) {
        if (d->head_dim % 2)
            return fail(err, errlen, "head_dim: %llu must be even for RoPE%.0llu",
                        (unsigned long long)d->head_dim, 0);
    } else if (d->arch == ARCH_MOBILEBERT) {
        if (d->n_kv_heads && d->n_kv_heads != d->n_heads)
            return fail(err, errlen,
                        "n_kv_heads: %llu differs from n_heads %llu; mobilebert has no "
                        "grouped-query attention (every head has its own K and V)",
                        (unsigned long long)d->n_kv_heads, (unsigned long long)d->n_heads);
        if (!d->bottleneck || !d->n_ffn)
            return fail(err, errlen, "mobilebert needs bottleneck and n_ffn > 0%.0llu%.0llu", 0,
                        0);
        if (d->n_heads * d->head_dim != d->bottleneck)
            return fail(err, errlen,
                        "bottleneck: %llu must equal n_heads*head_dim = %llu (mobilebert "
                        "attention runs over the bottleneck)",
                        (unsigned long long)d->bottleneck,
                        (unsigned long long)(d->n_heads * d->head_dim));
    } else {
        return fail(err, errlen, "arch: unknown architecture %llu%.0llu",
                    (unsigned long long)d->arch, 0);
    }
    return 0;
}

/* model_dims_check's message as a workload key: "dims.KEY: ..." when it
 * names a key, else "dims: ...". */
static int dims_fail(const model_dims *d, char *err, size_t errlen)
{
    char msg[400];
    if (model_dims_check(d, msg, sizeof msg) == 0) return 0;
    size_t key = strcspn(msg, ": ");
    if (key > 0 && msg[key] == ':') snprintf(err, errlen, "dims.%s", msg);
    else snprintf(err, errlen, "dims: %s", msg);
    return -1;
}

int workload_check(const workload_params *w, char *err, size_t errlen)
{
    const model_dims *d = &w->dims;
    if (dims_fail(d, err, errlen)) return -1;
    if (d->arch == ARCH_LLAMA) {
        uint64_t kv = w->mode == MODE_AUTOREGRESSIVE ? w->seq_len + 1 : w->seq_len;
        if (kv > d->max_seq)
            return fail(err, errlen,
                        "seq_len: %llu tokens (with the new token in autoregressive mode) "
                        "exceed the model's max_seq %llu",
                        (unsigned long long)kv, (unsigned long long)d->max_seq);
    } else {
        if (w->mode == MODE_AUTOREGRESSIVE)
            return fail(err, errlen,
                        "mode: mobilebert is an encoder; use mode: prompt%.0llu%.0llu", 0, 0);
        if (w->seq_len > d->max_seq)
            return fail(err, errlen, "seq_len: %llu exceeds the model's max_seq %llu",
                        (unsigned long long)w->seq_len, (unsigned long long)d->max_seq);
    }
    if (w->seq_len == 0) return fail(err, errlen, "seq_len: must be > 0%.0llu%.0llu", 0, 0);
    if (w->blocks && workload_check_blocks(w->blocks, d, err, errlen)) return -1;
    if (w->head && d->arch != ARCH_LLAMA) {
        snprintf(err, errlen,
                 "head: %s has no LM head; its task heads are out of scope (use head: false)",
                 d->name);
        return -1;
    }
    if (w->in_flight > WORKLOAD_IN_FLIGHT_MAX)
        return fail(err, errlen, "in_flight: %llu is more than %llu inferences at once",
                    (unsigned long long)w->in_flight, WORKLOAD_IN_FLIGHT_MAX);
    if (w->head && !d->vocab)
        return fail(err, errlen, "dims.vocab: the LM head needs a vocabulary size > 0%.0llu%.0llu",
                    0, 0);
    return 0;
}
