/* The `pipeline` partitioner: contiguous runs of blocks per chip, each
 * chip a stage that computes its blocks whole (graph_whole.h: every weight
 * of its blocks, every head) and passes the residual stream (the graph's
 * `stream` value, S×E int8) to the next chip with a point-to-point send
 * over that pair's link. Stage 0 also runs the prologue (the embedded input,
 * or the embedding lookup with head: true) and the last stage the
 * epilogue (the final norm, and the LM head with head: true), whose output
 * is the inference's. With the tied embedding of llama2.c's models
 * (head: true) the table is held by the first stage for the lookup and by
 * the last for the LM head: the one weight a pipeline of two or more stages
 * stores twice. No collective runs at all.
 *
 * Stages = chips (a stage needs at least one block, so chips <= blocks;
 * `hybrid` splits each stage's blocks over a group of chips). Blocks go to
 * stages by `partition.assign`:
 *   even      block counts differ by at most one, the first stages taking
 *             the extra blocks (wl_split);
 *   balanced  the contiguous split that minimises the largest stage's
 *             estimated work (then evens out the others): the MACs of its linears, attention and LM
 *             head plus one per element of its element-wise ops, prologue
 *             and epilogue included (stage_work). Blocks of a model cost the
 *             same, so this only moves blocks away from a stage that also
 *             runs a heavy prologue or epilogue (the LM head with head:
 *             true: 16 M MACs in TinyLlama-42M, about five blocks' worth in
 *             autoregressive mode). In autoregressive mode MACs equal the
 *             weight bytes a linear streams, so the estimate also tracks
 *             memory-bound stages; it ignores the link and where each
 *             stage's weights fit.
 * One inference's latency is the sum of the stages (and the transfers):
 * a pipeline pays off in throughput, with several inferences in flight
 * (workload.in_flight). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_whole.h"
#include "partition_pipeline.h"
#include "partitioner.h"

static const char *const assign_names[] = {"even", "balanced", NULL};

static const param_spec specs[] = {
    {"assign", PARAM_ENUM, DIM_NONE, offsetof(pipeline_params, assign), 0, 0, "even",
     assign_names,
     "blocks per stage: even (counts differ by at most one, the first stages take the extra) "
     "or balanced (the contiguous split with the smallest largest stage, by estimated work: "
     "MACs plus element-wise ops, prologue and epilogue included)"},
};

/* ---- work estimate ---- */

static double graph_op_work(const model_graph *g, const graph_op *op)
{
    double S = g->S;
    switch (op->kind) {
    case GOP_LINEAR: return S * op->k * op->n;
    case GOP_ATTENTION: {
        double keys = op->attn.kv_cache ? g->T : g->S;
        return (double)op->attn.heads * 2 * S * keys * op->attn.head_dim;
    }
    case GOP_LM_HEAD: return (double)op->k * op->n;
    case GOP_EMBED: return S * op->k;
    case GOP_INPUT: return 0;
    case GOP_NORM:
    case GOP_ACT:
    case GOP_MUL:
    case GOP_ADD:
    case GOP_SLICE: return S * op->n;
    }
    return 0;
}

static double section_work(const model_graph *g, graph_section s)
{
    double w = 0;
    for (uint32_t i = 0; i < g->n_ops[s]; i++) w += graph_op_work(g, &g->ops[s][i]);
    return w;
}

/* The work of a stage running blocks [l0, l1) of `blocks`, with the
 * prologue when it is the first and the epilogue when it is the last. */
static double stage_work(const model_graph *g, uint32_t l0, uint32_t l1)
{
    double w = (l1 - l0) * section_work(g, GRAPH_BLOCK);
    if (l0 == 0) w += section_work(g, GRAPH_PROLOGUE);
    if (l1 == g->blocks) w += section_work(g, GRAPH_EPILOGUE);
    return w;
}

/* Contiguous split of g->blocks over n stages (n <= blocks) minimising the
 * largest stage_work, then (among those) the sum of the squared works, so
 * the stages the largest does not decide are even too: cell [s][i] holds
 * the best split of the first i blocks over s stages, `from` where its
 * last stage starts. Remaining ties go to the split whose earlier stages
 * take more blocks, like even's. */
typedef struct split_cost {
    double max, squares;
} split_cost;

static int balanced_split(const model_graph *g, uint32_t n, uint32_t *l0, char *err, size_t errlen)
{
    uint32_t L = g->blocks;
    size_t cells = (size_t)(n + 1) * (L + 1);
    split_cost *best = malloc(cells * sizeof *best);
    uint32_t *from = calloc(cells, sizeof *from);
    if (!best || !from) {
        free(best);
        free(from);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
#define AT(s, i) ((size_t)(s) * (L + 1) + (i))
    for (size_t c = 0; c < cells; c++) best[c] = (split_cost){DBL_MAX, DBL_MAX};
    best[AT(0, 0)] = (split_cost){0, 0};
    for (uint32_t s = 1; s <= n; s++)
        for (uint32_t i = s; i <= L; i++)
            for (uint32_t j = s - 1; j < i; j++) {
                split_cost prev = best[AT(s - 1, j)], *cur = &best[AT(s, i)];
                if (prev.max == DBL_MAX) continue;
                double w = stage_work(g, j, i);
                split_cost c = {prev.max > w ? prev.max : w, prev.squares + w * w};
                if (c.max < cur->max || (c.max == cur->max && c.squares <= cur->squares)) {
                    *cur = c;
                    from[AT(s, i)] = j;
                }
            }
    for (uint32_t s = n, i = L; s >= 1; s--) {
        l0[s - 1] = from[AT(s, i)];
        i = l0[s - 1];
    }
#undef AT
    free(best);
    free(from);
    return 0;
}

int partition_pipeline_stage_blocks(const model_graph *g, int assign, uint32_t n, uint32_t *l0,
                          uint32_t *l1, char *err, size_t errlen)
{
    if (n == 0 || n > g->blocks) {
        snprintf(err, errlen, "%u stages for %u blocks", n, g->blocks);
        return -1;
    }
    if (assign == PIPELINE_ASSIGN_EVEN) {
        for (uint32_t s = 0; s < n; s++) wl_split(g->blocks, n, s, &l0[s], &l1[s]);
        return 0;
    }
    if (balanced_split(g, n, l0, err, errlen)) return -1;
    for (uint32_t s = 0; s < n; s++) l1[s] = s + 1 < n ? l0[s + 1] : g->blocks;
    return 0;
}

void partition_pipeline_describe(pbuild *b, const char *what, const uint32_t *l0, const uint32_t *l1,
                       uint32_t n)
{
    char *d = b->p->description;
    size_t cap = sizeof b->p->description, len = strlen(d);
    int k = snprintf(d + len, cap - len, "; %s, blocks per stage:", what);
    for (uint32_t s = 0; s < n && k > 0 && (len += (size_t)k) < cap; s++)
        k = l1[s] - l0[s] == 1 ? snprintf(d + len, cap - len, " %u", l0[s])
                               : snprintf(d + len, cap - len, " %u-%u", l0[s], l1[s] - 1);
}

/* ---- the entry ---- */

static int check(const workload_params *w, const model_graph *g, const void *params,
                 uint32_t n_chips, char *err, size_t errlen)
{
    (void)w;
    (void)params;
    if (n_chips > g->blocks) {
        snprintf(err, errlen,
                 "pipeline: %u block%s cannot be split over %u chips (a stage needs at least one "
                 "block); use hybrid", g->blocks, g->blocks == 1 ? "" : "s", n_chips);
        return -1;
    }
    return 0;
}

static int build(pbuild *b, const void *params)
{
    const pipeline_params *pp = params;
    const model_graph *g = b->g;
    uint32_t n = b->n;
    uint32_t *l0 = calloc(n, sizeof *l0), *l1 = calloc(n, sizeof *l1);
    graph_chip *gc = calloc(n, sizeof *gc);
    if (!l0 || !l1 || !gc) {
        snprintf(b->err, b->errlen, "out of memory");
        b->failed = 1;
    } else if (partition_pipeline_stage_blocks(g, pp->assign, n, l0, l1, b->err, b->errlen)) {
        b->failed = 1;
    }
    for (uint32_t s = 0; s < n && !b->failed; s++) graph_chip_setup(b, s, &gc[s]);
    for (uint32_t s = 0; s < n && !b->failed; s++) {
        if (s == 0) graph_emit_section(b, &gc[s], GRAPH_PROLOGUE, 0);
        for (uint32_t l = l0[s]; l < l1[s] && !b->failed; l++)
            graph_emit_section(b, &gc[s], GRAPH_BLOCK, l);
        if (s + 1 < n) {
            char lb[32];
            snprintf(lb, sizeof lb, "b%u.stream", l1[s] - 1);
            pb_transfer(b, lb, s, gc[s].val[g->stream], s + 1, gc[s + 1].val[g->stream]);
            continue;
        }
        graph_emit_section(b, &gc[s], GRAPH_EPILOGUE, 0);
        if (!b->failed) pb_output(b, s, gc[s].val[g->output]);
    }
    if (!b->failed && n > 1) partition_pipeline_describe(b, "pipeline", l0, l1, n);
    for (uint32_t s = 0; gc && s < n; s++) graph_chip_release(&gc[s]);
    free(gc);
    free(l0);
    free(l1);
    return b->failed ? -1 : 0;
}

/* Exactly what build emits: every chip the graph's values and scratch,
 * its blocks, the first the prologue, the last the epilogue, a send and a
 * receive per stage boundary. */
static void estimate(const workload_params *w, const model_graph *g, const void *params,
                     uint32_t n_chips, program_size *out)
{
    (void)w;
    const pipeline_params *pp = params;
    memset(out, 0, sizeof *out);
    uint32_t n = n_chips <= g->blocks ? n_chips : g->blocks;
    uint32_t *l0 = calloc(n ? n : 1, sizeof *l0), *l1 = calloc(n ? n : 1, sizeof *l1);
    char err[64];
    if (!l0 || !l1 || partition_pipeline_stage_blocks(g, pp->assign, n, l0, l1, err, sizeof err)) {
        free(l0);
        free(l1);
        out->ops = out->buffers = out->data_bytes = INFINITY;
        return;
    }
    program_size block;
    memset(&block, 0, sizeof block);
    bool table = false;
    graph_section_size(g, GRAPH_BLOCK, &table, &block);
    for (uint32_t s = 0; s < n; s++) {
        table = false;
        graph_setup_size(g, out);
        if (s == 0) graph_section_size(g, GRAPH_PROLOGUE, &table, out);
        if (s + 1 == n) graph_section_size(g, GRAPH_EPILOGUE, &table, out);
        partition_size_add(out, &block, l1[s] - l0[s]);
    }
    const graph_value *sv = &g->values[g->stream];
    out->ops += 2.0 * (n - 1);
    if (n > 1) out->max_coll_bytes = (double)sv->rows * sv->cols * (double)dtype_size(sv->type);
    free(l0);
    free(l1);
}

static const partitioner_ops ops = {check, build, estimate, NULL, NULL};

const registry_entry partitioner_pipeline = {
    "pipeline",
    "contiguous runs of blocks per chip (one stage each, chips <= blocks), the residual stream "
    "passed chip to chip over the pair's link; latency of one inference, throughput with "
    "workload.in_flight",
    specs, sizeof specs / sizeof specs[0], sizeof(pipeline_params), &ops, NULL,
};
