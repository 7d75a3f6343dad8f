/* The `tensor` partitioner, the paper's: non-replicating tensor
 * parallelism, attention split by heads (by K/V-head groups with
 * grouped-query attention) and FFN sliced, two reductions per llama block
 * (partition_llama.c); MobileBERT's split is its own
 * (partition_mobilebert.c, seven reductions per block). Its limits: the
 * FFN hidden size (every chip holds at least one column), MobileBERT's
 * head count (every dimension is split with the heads) and, with the LM
 * head, the vocabulary. */
#include <stdio.h>
#include <string.h>

#include "partition_internal.h"
#include "partition_tensor.h"
#include "partitioner.h"

static const char *const ffn_split_names[] = {"even", "balanced", NULL};
static const char *const balance_names[] = {"equal", "capacity", NULL};

static const param_spec specs[] = {
    {"ffn_split", PARAM_ENUM, DIM_NONE, offsetof(tensor_params, ffn_split), 0, 0, "even",
     ffn_split_names,
     "llama FFN slicing: even (equal column counts: the paper's 'FFN sliced', shortest FFN "
     "phase) or balanced (chips with fewer or no heads take more columns so weight + KV "
     "bytes per chip are even: shares fit L2 sooner)"},
    {"balance", PARAM_ENUM, DIM_NONE, offsetof(tensor_params, balance), 0, 0, "equal",
     balance_names,
     "how much work each chip takes: equal (every chip alike) or capacity (heads and FFN "
     "columns, as ffn_split says, in proportion to each chip's speed, the MAC/s of the engine "
     "its GEMMs run on, and fitting its memory where they can: for chips of different nodes, "
     "system.chips)"},
};

int partition_tensor_split_check(const workload_params *w, uint32_t n_chips, char *err, size_t errlen)
{
    const model_dims *d = &w->dims;
    /* MobileBERT splits every sliced dimension by heads; llama lets chips
     * beyond the K/V-head count hold FFN slices only (see partition_llama.c). */
    if (d->arch == ARCH_MOBILEBERT && n_chips > d->n_heads) {
        snprintf(err, errlen,
                 "%s has %llu heads, cannot split over %u chips (partitioner tensor: at most "
                 "%llu chips, one head each)",
                 d->name, (unsigned long long)d->n_heads, n_chips,
                 (unsigned long long)d->n_heads);
        return -1;
    }
    if (n_chips > d->ffn_hidden) {
        snprintf(err, errlen,
                 "%s has an FFN hidden size of %llu, cannot split over %u chips (partitioner "
                 "tensor: at most %llu chips, one FFN column each%s)",
                 d->name, (unsigned long long)d->ffn_hidden, n_chips,
                 (unsigned long long)d->ffn_hidden,
                 d->arch == ARCH_LLAMA && n_chips > d->n_kv_heads
                     ? (d->n_kv_heads < d->n_heads
                            ? "; chips beyond the K/V-head count take no attention work, they "
                              "hold FFN slices only"
                            : "; chips beyond the head count take no attention work, they hold "
                              "FFN slices only")
                     : "");
        return -1;
    }
    if (w->head && n_chips > d->vocab) {
        snprintf(err, errlen,
                 "%s has a vocabulary of %llu, cannot slice the LM head over %u chips "
                 "(partitioner tensor: at most %llu chips, one vocabulary row each)",
                 d->name, (unsigned long long)d->vocab, n_chips, (unsigned long long)d->vocab);
        return -1;
    }
    return 0;
}

static int check(const workload_params *w, const model_graph *g, const void *params,
                 uint32_t n_chips, char *err, size_t errlen)
{
    (void)g;
    (void)params;
    return partition_tensor_split_check(w, n_chips, err, errlen);
}

static int build(pbuild *b, const void *params)
{
    const tensor_params *t = params;
    const model_dims *d = &b->w->dims;
    /* a chip holds whole K/V groups (partition_llama.c): chips beyond the
     * K/V heads hold FFN slices only */
    if (d->arch == ARCH_LLAMA && b->n > d->n_kv_heads) {
        size_t len = strlen(b->p->description);
        snprintf(b->p->description + len, sizeof b->p->description - len,
                 "; chips %llu..%u take no attention work, they hold FFN slices only",
                 (unsigned long long)d->n_kv_heads, b->n - 1);
    }
    return d->arch == ARCH_MOBILEBERT ? partition_mobilebert(b, t->balance)
                                      : partition_llama(b, t->ffn_split, t->balance);
}

static void estimate(const workload_params *w, const model_graph *g, const void *params,
                     uint32_t n_chips, program_size *out)
{
    (void)g;
    (void)params;
    partition_tensor_estimate(w, n_chips, out);
}

/* ffn_split slices llama's one FFN; MobileBERT's four stacked FFNs follow
 * its heads (partition_mobilebert.c). */
const char *partition_tensor_param_unused(const workload_params *w, const char *key)
{
    if (!strcmp(key, "ffn_split") && w->dims.arch == ARCH_MOBILEBERT)
        return "slices a llama FFN; this model's stacked FFNs are split with its heads";
    return NULL;
}

static bool reads_capacity(const workload_params *w, const void *params)
{
    (void)w;
    return ((const tensor_params *)params)->balance == BALANCE_CAPACITY;
}

static const partitioner_ops ops = {check, build, estimate, partition_tensor_param_unused,
                                    reads_capacity};

const registry_entry partitioner_tensor = {
    "tensor",
    "the paper's non-replicating tensor parallelism: attention split by heads, FFN sliced, two "
    "reductions per llama block (MobileBERT: seven)",
    specs, sizeof specs / sizeof specs[0], sizeof(tensor_params), &ops, NULL,
};
