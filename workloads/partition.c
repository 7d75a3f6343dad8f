/* partition_build: validates the request and dispatches to the
 * architecture's partitioner. */
#include <stdio.h>
#include <string.h>

#include "partition_internal.h"

system_program *partition_build(const workload_params *w, uint32_t n_chips, bool functional,
                                char *err, size_t errlen)
{
    if (workload_check(w, err, errlen)) return NULL;
    const model_dims *d = &w->dims;
    if (n_chips == 0) {
        snprintf(err, errlen, "chips: must be at least 1");
        return NULL;
    }
    /* MobileBERT splits every sliced dimension by heads; llama lets chips
     * beyond the head count hold FFN slices only (see partition_llama.c). */
    if (d->arch == ARCH_MOBILEBERT && n_chips > d->n_heads) {
        snprintf(err, errlen, "%s has %llu heads, cannot split over %u chips", d->name,
                 (unsigned long long)d->n_heads, n_chips);
        return NULL;
    }
    if (n_chips > d->ffn_hidden) {
        snprintf(err, errlen, "%s has an FFN hidden size of %llu, cannot split over %u chips%s",
                 d->name, (unsigned long long)d->ffn_hidden, n_chips,
                 d->arch == ARCH_LLAMA && n_chips > d->n_heads
                     ? " (chips beyond the head count take no attention work; they hold FFN "
                       "slices only, so every chip needs at least one FFN column)"
                     : "");
        return NULL;
    }
    if (w->head && n_chips > d->vocab) {
        snprintf(err, errlen, "%s has a vocabulary of %llu, cannot slice the LM head over %u chips",
                 d->name, (unsigned long long)d->vocab, n_chips);
        return NULL;
    }
    system_program *p = system_program_create(n_chips, functional);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pbuild b = {.w = w, .p = p, .n = n_chips, .fn = functional, .err = err, .errlen = errlen};
    bool ar = w->mode == MODE_AUTOREGRESSIVE;
    b.S = ar ? 1 : (uint32_t)w->seq_len;
    b.pos0 = ar ? (uint32_t)w->seq_len : 0;
    b.T = ar ? (uint32_t)w->seq_len + 1 : (uint32_t)w->seq_len;
    b.blocks = workload_blocks(w);
    char scope[WORKLOAD_SCOPE_MAX];
    workload_scope(w, scope, sizeof scope);
    snprintf(p->description, sizeof p->description, "%s %s %s=%llu on %u chip%s (%s)", d->name,
             ar ? "autoregressive" : "prompt", ar ? "kv" : "seq",
             (unsigned long long)w->seq_len, n_chips, n_chips == 1 ? "" : "s", scope);
    if (n_chips > d->n_heads) {
        size_t len = strlen(p->description);
        snprintf(p->description + len, sizeof p->description - len,
                 "; chips %llu..%u take no attention work, they hold FFN slices only",
                 (unsigned long long)d->n_heads, n_chips - 1);
    }
    int rc = d->arch == ARCH_MOBILEBERT ? partition_mobilebert(&b) : partition_llama(&b);
    if (rc) {
        system_program_destroy(p);
        return NULL;
    }
    return p;
}
