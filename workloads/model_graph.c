/* Building a model graph (see model_graph.h): the shapes of one inference
 * from the mode, then the architecture's builder. */
#include "model_graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t graph_add_value(model_graph *g, const char *name, uint32_t rows, uint32_t cols, dtype t,
                        buf_role role)
{
    graph_value *grown = realloc(g->values, (g->n_values + 1) * sizeof *grown);
    if (!grown) return GRAPH_NONE;
    g->values = grown;
    graph_value *v = &g->values[g->n_values];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name);
    v->rows = rows;
    v->cols = cols;
    v->type = t;
    v->role = role;
    return (int32_t)g->n_values++;
}

int graph_add_op(model_graph *g, graph_section s, const graph_op *op)
{
    if (g->n_ops[s] == g->cap_ops[s]) {
        uint32_t cap = g->cap_ops[s] ? 2 * g->cap_ops[s] : 16;
        graph_op *grown = realloc(g->ops[s], cap * sizeof *grown);
        if (!grown) return -1;
        g->ops[s] = grown;
        g->cap_ops[s] = cap;
    }
    g->ops[s][g->n_ops[s]++] = *op;
    return 0;
}

graph_op graph_op_init(graph_op_kind kind, const char *name)
{
    graph_op op;
    memset(&op, 0, sizeof op);
    op.kind = kind;
    snprintf(op.name, sizeof op.name, "%s", name);
    op.in[0] = op.in[1] = op.in[2] = op.out = GRAPH_NONE;
    op.w.id = op.bias.id = GRAPH_NONE;
    return op;
}

graph_tensor graph_tensor_of(int32_t id, uint32_t key_mul, uint32_t key_add, int32_t mult)
{
    graph_tensor t = {id, key_mul, key_add, mult};
    return t;
}

model_graph *model_graph_create(const workload_params *w, char *err, size_t errlen)
{
    model_graph *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    bool ar = w->mode == MODE_AUTOREGRESSIVE;
    g->arch = w->dims.arch;
    g->seed = w->seed;
    g->S = ar ? 1 : (uint32_t)w->seq_len;
    g->pos0 = ar ? (uint32_t)w->seq_len : 0;
    g->T = ar ? (uint32_t)w->seq_len + 1 : (uint32_t)w->seq_len;
    g->blocks = workload_blocks(w);
    g->stream = g->output = GRAPH_NONE;
    int rc;
    switch (w->dims.arch) {
    case ARCH_LLAMA: rc = graph_build_llama(g, w); break;
    case ARCH_MOBILEBERT: rc = graph_build_mobilebert(g, w); break;
    default:
        snprintf(err, errlen, "dims.arch: no model graph for architecture %d", w->dims.arch);
        model_graph_destroy(g);
        return NULL;
    }
    if (rc != 0) {
        snprintf(err, errlen, "out of memory building the model graph");
        model_graph_destroy(g);
        return NULL;
    }
    return g;
}

void model_graph_destroy(model_graph *g)
{
    if (!g) return;
    for (int s = 0; s < GRAPH__SECTIONS; s++) free(g->ops[s]);
    free(g->values);
    free(g);
}
