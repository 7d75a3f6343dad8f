/* The `replicate` partitioner: every chip computes the whole inference on
 * its own, from the model graph emitted whole (graph_whole.c), with every
 * weight on every chip and no communication at all. The output is the
 * root's (every chip holds the same bytes), so --check compares exactly
 * what the 1-chip run computes. It is the test oracle of the other
 * partitioners, and its timing is the 1-chip timing on every chip: chips
 * share nothing, so N of them take as long as one and use N times the
 * energy. Any chip count works. */
#include <stdio.h>
#include <string.h>

#include "graph_whole.h"
#include "partitioner.h"

static int build(pbuild *b, const void *params)
{
    (void)params;
    for (uint32_t c = 0; c < b->n && !b->failed; c++) {
        graph_chip gc;
        if (graph_chip_setup(b, c, &gc) == 0) {
            graph_emit_inference(b, &gc);
            if (c == b->p->root && !b->failed) pb_output(b, c, gc.val[b->g->output]);
        }
        graph_chip_release(&gc);
    }
    if (!b->failed) {
        size_t len = strlen(b->p->description);
        snprintf(b->p->description + len, sizeof b->p->description - len,
                 "; replicated: every chip computes the whole model");
    }
    return b->failed ? -1 : 0;
}

static void estimate(const workload_params *w, const model_graph *g, const void *params,
                     uint32_t n_chips, program_size *out)
{
    (void)w;
    (void)params;
    program_size one;
    graph_whole_size(g, &one);
    memset(out, 0, sizeof *out);
    partition_size_add(out, &one, n_chips);
}

static const partitioner_ops ops = {NULL, build, estimate, NULL, NULL};

const registry_entry partitioner_replicate = {
    "replicate",
    "every chip computes the whole model (all weights replicated, no communication; output: "
    "the root's): the test oracle, 1-chip timing on every chip",
    NULL, 0, 0, &ops, NULL,
};
