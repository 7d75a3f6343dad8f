/* The `hybrid` partitioner: P pipeline stages of G chips each (G·P =
 * chips). Stage s holds chips s·G .. s·G+G-1 and a contiguous run of
 * blocks (assigned as the pipeline's, partition.assign); inside the stage
 * its blocks are split over its G chips exactly as the tensor partitioner
 * splits them over G chips (partition_llama.c / partition_mobilebert.c run
 * over the stage's chip group, ffn_split included), its reductions and
 * broadcasts running over the group's chips with the system's collective
 * (system.topology, applied to the group: rank 0 is the stage's first chip,
 * levels count inside the group). Between stages the residual stream goes
 * from the stage's root (its first chip) to the next stage's root, a
 * point-to-point send over that pair's link. Stage 0 runs the prologue, the
 * last stage the epilogue; with head: true each of them holds the
 * vocab-sliced embedding over its own group (the tied table stored twice
 * when P > 1, as in the pipeline). P = 1 is the tensor partitioner's
 * program exactly; G = 1 a pipeline whose stages run the tensor split on
 * one chip each (the same arithmetic as `pipeline`'s whole blocks).
 *
 * Shape: `group` (G) or `stages` (P), or both (G·P must be the chip
 * count), or neither: then the split closest to square (smallest |G - P|,
 * ties to more stages) among those the model allows, P at most the blocks
 * simulated and G within the tensor split's limit (llama: the FFN hidden
 * size; MobileBERT: its heads). 8 chips: 2 × 4 stages; 16: 4 × 4; 64: 8 × 8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_whole.h"
#include "partition_pipeline.h"
#include "partition_tensor.h"
#include "partitioner.h"

static const char *const assign_names[] = {"even", "balanced", NULL};
static const char *const ffn_split_names[] = {"even", "balanced", NULL};

static const param_spec specs[] = {
    {"group", PARAM_UINT, DIM_NONE, offsetof(hybrid_params, group), 0, 4096, "0", NULL,
     "chips per stage (the tensor group G); 0: chips / stages, or the split closest to square "
     "when stages is 0 too"},
    {"stages", PARAM_UINT, DIM_NONE, offsetof(hybrid_params, stages), 0, 4096, "0", NULL,
     "pipeline stages P (G x P = chips); 0: chips / group, or automatic"},
    {"assign", PARAM_ENUM, DIM_NONE, offsetof(hybrid_params, assign), 0, 0, "even", assign_names,
     "blocks per stage, as the pipeline's: even or balanced (by estimated work)"},
    {"ffn_split", PARAM_ENUM, DIM_NONE, offsetof(hybrid_params, ffn_split), 0, 0, "even",
     ffn_split_names, "llama FFN slicing inside each stage, as the tensor partitioner's"},
};

/* The shape (G, P) of n chips, or -1 with a message naming the partitioner. */
static int shape(const workload_params *w, const model_graph *g, const hybrid_params *h,
                 uint32_t n, uint32_t *G, uint32_t *P, char *err, size_t errlen)
{
    char why[300];
    if (h->group && h->stages) {
        if (h->group * h->stages != n) {
            snprintf(err, errlen, "hybrid: group %llu x stages %llu is %llu chips, not %u",
                     (unsigned long long)h->group, (unsigned long long)h->stages,
                     (unsigned long long)(h->group * h->stages), n);
            return -1;
        }
        *G = (uint32_t)h->group, *P = (uint32_t)h->stages;
    } else if (h->group || h->stages) {
        uint64_t given = h->group ? h->group : h->stages;
        if (given > n) {
            snprintf(err, errlen, "hybrid: %s %llu is more than the %u chips",
                     h->group ? "group" : "stages", (unsigned long long)given, n);
            return -1;
        }
        if (n % given) {
            snprintf(err, errlen, "hybrid: %s %llu does not divide %u chips",
                     h->group ? "group" : "stages", (unsigned long long)given, n);
            return -1;
        }
        *G = h->group ? (uint32_t)given : n / (uint32_t)given;
        *P = n / *G;
    } else {
        bool found = false;
        uint32_t best = 0;
        for (uint32_t p = 1; p <= n; p++) {
            uint32_t q = n / p;
            if (n % p || p > g->blocks || partition_tensor_split_check(w, q, why, sizeof why)) continue;
            uint32_t d = q > p ? q - p : p - q;
            if (!found || d <= best) *G = q, *P = p, best = d, found = true;
        }
        if (!found) {
            snprintf(err, errlen,
                     "hybrid: %u chips have no split into stages of at least one block (%u "
                     "blocks) and tensor groups the model can split", n, g->blocks);
            return -1;
        }
    }
    if (*P > g->blocks) {
        snprintf(err, errlen,
                 "hybrid: %u stages need at least %u blocks, the workload simulates %u (a stage "
                 "needs at least one block)", *P, *P, g->blocks);
        return -1;
    }
    if (partition_tensor_split_check(w, *G, why, sizeof why)) {
        snprintf(err, errlen, "hybrid: groups of %u chips: %s", *G, why);
        return -1;
    }
    return 0;
}

static int check(const workload_params *w, const model_graph *g, const void *params,
                 uint32_t n_chips, char *err, size_t errlen)
{
    uint32_t G, P;
    return shape(w, g, params, n_chips, &G, &P, err, errlen);
}

/* One stage's tensor split over its chip group, either architecture. */
typedef struct stage {
    llama_split *llama;
    mobilebert_split *mb;
} stage;

static void view(pbuild *b, uint32_t first, uint32_t n)
{
    b->first = first;
    b->n = n;
}

static int build(pbuild *b, const void *params)
{
    const hybrid_params *h = params;
    const model_graph *g = b->g;
    bool mb = b->w->dims.arch == ARCH_MOBILEBERT;
    uint32_t N = b->n, G = 0, P = 0;
    if (shape(b->w, g, h, N, &G, &P, b->err, b->errlen)) return -1;
    uint32_t *l0 = calloc(P, sizeof *l0), *l1 = calloc(P, sizeof *l1);
    stage *st = calloc(P, sizeof *st);
    if (!l0 || !l1 || !st) {
        snprintf(b->err, b->errlen, "out of memory");
        b->failed = 1;
    } else if (partition_pipeline_stage_blocks(g, h->assign, P, l0, l1, b->err, b->errlen)) {
        b->failed = 1;
    }
    for (uint32_t s = 0; s < P && !b->failed; s++) {
        view(b, s * G, G);
        /* every chip of a tensor group alike: balance is the tensor partitioner's */
        if (mb) st[s].mb = partition_mobilebert_split_begin(b, BALANCE_EQUAL);
        else st[s].llama = partition_llama_split_begin(b, h->ffn_split, BALANCE_EQUAL);
    }
    for (uint32_t s = 0; s < P && !b->failed; s++) {
        if (s > 0) {
            /* the previous stage's root hands its stream to this one's */
            view(b, (s - 1) * G, G);
            int32_t from = mb ? partition_mobilebert_split_stream(b, st[s - 1].mb)
                              : partition_llama_split_stream(b, st[s - 1].llama);
            view(b, s * G, G);
            int32_t to = mb ? partition_mobilebert_split_stream(b, st[s].mb) : partition_llama_split_stream(b, st[s].llama);
            view(b, 0, N);
            char lb[32];
            snprintf(lb, sizeof lb, "b%u.stream", l1[s - 1] - 1);
            pb_transfer(b, lb, (s - 1) * G + b->p->root, from, s * G + b->p->root, to);
        }
        view(b, s * G, G);
        if (s == 0) {
            if (mb) partition_mobilebert_split_prologue(b, st[s].mb);
            else partition_llama_split_prologue(b, st[s].llama);
        }
        for (uint32_t l = l0[s]; l < l1[s] && !b->failed; l++) {
            if (mb) partition_mobilebert_split_block(b, st[s].mb, l);
            else partition_llama_split_block(b, st[s].llama, l);
        }
        if (s + 1 == P) {
            if (mb) partition_mobilebert_split_epilogue(b, st[s].mb);
            else partition_llama_split_epilogue(b, st[s].llama);
        }
    }
    view(b, 0, N);
    if (!b->failed) {
        char what[64];
        snprintf(what, sizeof what, "hybrid: %u stage%s of %u chip%s", P, P == 1 ? "" : "s", G,
                 G == 1 ? "" : "s");
        partition_pipeline_describe(b, what, l0, l1, P);
    }
    for (uint32_t s = 0; st && s < P; s++) {
        partition_llama_split_end(st[s].llama);
        partition_mobilebert_split_end(st[s].mb);
    }
    free(st);
    free(l0);
    free(l1);
    return b->failed ? -1 : 0;
}

/* The tensor estimate of each stage's blocks on its G chips, plus a send
 * and a receive per stage boundary. The tensor estimate counts a prologue
 * and an epilogue per stage, a few ops and buffers more than built. */
static void estimate(const workload_params *w, const model_graph *g, const void *params,
                     uint32_t n_chips, program_size *out)
{
    const hybrid_params *h = params;
    memset(out, 0, sizeof *out);
    uint32_t G = 0, P = 0;
    char err[300];
    uint32_t *l0 = NULL, *l1 = NULL;
    if (shape(w, g, h, n_chips, &G, &P, err, sizeof err) == 0) {
        l0 = calloc(P, sizeof *l0);
        l1 = calloc(P, sizeof *l1);
    }
    if (!l0 || !l1 || partition_pipeline_stage_blocks(g, h->assign, P, l0, l1, err, sizeof err)) {
        /* a shape the check refuses: as if tensor over all chips */
        free(l0);
        free(l1);
        partition_tensor_estimate(w, n_chips, out);
        return;
    }
    for (uint32_t s = 0; s < P; s++) {
        workload_params ws = *w;
        ws.dims.n_layers = l1[s] - l0[s];
        ws.blocks = ws.dims.n_layers;
        program_size one;
        partition_tensor_estimate_stage(&ws, G, s + 1 == P, &one);
        partition_size_add(out, &one, 1);
        if (one.collectives > out->collectives) out->collectives = one.collectives;
        if (one.max_coll_bytes > out->max_coll_bytes) out->max_coll_bytes = one.max_coll_bytes;
    }
    out->ops += 2.0 * (P - 1);
    free(l0);
    free(l1);
}

static const char *param_unused(const workload_params *w, const char *key)
{
    return partition_tensor_param_unused(w, key);
}

static const partitioner_ops ops = {check, build, estimate, param_unused, NULL};

const registry_entry partitioner_hybrid = {
    "hybrid",
    "pipeline stages of tensor groups: group (G) chips per stage, stages (P), G x P = chips; "
    "each stage's blocks split as tensor over its group, the stream passed root to root",
    specs, sizeof specs / sizeof specs[0], sizeof(hybrid_params), &ops, NULL,
};
