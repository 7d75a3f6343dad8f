/* partition_build: validates the request, builds the model graph and hands
 * both to the workload's partitioner (partitioner.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "graph_whole.h"
#include "partitioner.h"

static const registry_entry *find(const workload_params *w, char *err, size_t errlen)
{
    const registry_entry *e = partitioner_find(w->partitioner, NULL);
    if (!e) {
        char names[100];
        registry_names(partitioner_entries(), names, sizeof names);
        snprintf(err, errlen, "partitioner: unknown partitioner '%.100s'; partitioners: %s",
                 w->partitioner, names);
    }
    return e;
}

/* A program of n chips with the shapes of g, described; NULL when out of memory. */
static system_program *start(const workload_params *w, const model_graph *g, pbuild *b,
                             uint32_t n_chips, bool functional, char *err, size_t errlen)
{
    system_program *p = system_program_create(n_chips, functional);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *b = (pbuild){.w = w, .g = g, .p = p, .n = n_chips, .fn = functional, .err = err,
                  .errlen = errlen, .data_seed = workload_data_seed(w, 0)};
    b->S = g->S;
    b->pos0 = g->pos0;
    b->T = g->T;
    b->blocks = g->blocks;
    bool ar = w->mode == MODE_AUTOREGRESSIVE;
    char scope[WORKLOAD_SCOPE_MAX];
    workload_scope(w, scope, sizeof scope);
    snprintf(p->description, sizeof p->description, "%s %s %s=%llu on %u chip%s (%s)",
             w->dims.name, ar ? "autoregressive" : "prompt", ar ? "kv" : "seq",
             (unsigned long long)w->seq_len, n_chips, n_chips == 1 ? "" : "s", scope);
    return p;
}

/* The partitioner's build once per in-flight inference, each appended to
 * every chip's program (so a chip runs its part of inference k+1 right
 * after its part of k), sharing inference 0's weights; the description is
 * inference 0's, with the count. */
static int build_in_flight(pbuild *b, const partitioner_ops *ops, const workload_params *w)
{
    uint32_t m = workload_in_flight(w);
    if (m == 1) return ops->build(b, w->partition.bytes);
    char description[sizeof b->p->description];
    if (system_program_set_inferences(b->p, m) || pb_weights_start(b)) {
        snprintf(b->err, b->errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (uint32_t k = 0; k < m && rc == 0; k++) {
        b->inference = k;
        b->data_seed = workload_data_seed(w, k);
        pb_weights_next_inference(b);
        rc = ops->build(b, w->partition.bytes);
        if (k == 0) memcpy(description, b->p->description, sizeof description);
    }
    pb_weights_free(b);
    if (rc == 0) {
        size_t len = strlen(description);
        snprintf(description + len, sizeof description - len, "; %u inferences in flight", m);
        memcpy(b->p->description, description, sizeof description);
    }
    return rc;
}

system_program *partition_build(const workload_params *w, uint32_t n_chips, bool functional,
                                char *err, size_t errlen)
{
    if (workload_check(w, err, errlen)) return NULL;
    if (n_chips == 0) {
        snprintf(err, errlen, "chips: must be at least 1");
        return NULL;
    }
    const registry_entry *e = find(w, err, errlen);
    if (!e) return NULL;
    const partitioner_ops *ops = e->ops;
    model_graph *g = model_graph_create(w, err, errlen);
    if (!g) return NULL;
    system_program *p = NULL;
    pbuild b;
    if (!ops->check || ops->check(w, g, w->partition.bytes, n_chips, err, errlen) == 0)
        p = start(w, g, &b, n_chips, functional, err, errlen);
    if (p && build_in_flight(&b, ops, w) != 0) {
        system_program_destroy(p);
        p = NULL;
    }
    model_graph_destroy(g);
    return p;
}

int partition_check(const workload_params *w, uint32_t n_chips, char *err, size_t errlen)
{
    if (workload_check(w, err, errlen)) return -1;
    if (n_chips == 0) {
        snprintf(err, errlen, "chips: must be at least 1");
        return -1;
    }
    const registry_entry *e = find(w, err, errlen);
    if (!e) return -1;
    const partitioner_ops *ops = e->ops;
    if (!ops->check) return 0;
    model_graph *g = model_graph_create(w, err, errlen);
    if (!g) return -1;
    int rc = ops->check(w, g, w->partition.bytes, n_chips, err, errlen);
    model_graph_destroy(g);
    return rc;
}

system_program *partition_reference(const workload_params *w, bool functional, char *err,
                                    size_t errlen)
{
    return partition_reference_of(w, 0, functional, err, errlen);
}

system_program *partition_reference_of(const workload_params *w, uint32_t inference,
                                       bool functional, char *err, size_t errlen)
{
    if (workload_check(w, err, errlen)) return NULL;
    model_graph *g = model_graph_create(w, err, errlen);
    if (!g) return NULL;
    pbuild b;
    system_program *p = start(w, g, &b, 1, functional, err, errlen);
    if (p) {
        b.data_seed = workload_data_seed(w, inference);
        graph_chip gc;
        if (graph_chip_setup(&b, 0, &gc) == 0) {
            graph_emit_inference(&b, &gc);
            if (!b.failed) p->output_bufs[0] = gc.val[g->output];
        }
        graph_chip_release(&gc);
        if (b.failed) {
            system_program_destroy(p);
            p = NULL;
        }
    }
    model_graph_destroy(g);
    return p;
}

static void infinite(program_size *out)
{
    out->ops = out->collectives = out->buffers = out->data_bytes = out->max_coll_bytes = INFINITY;
}

void partition_estimate(const workload_params *w, uint32_t n_chips, program_size *out)
{
    char err[256];
    memset(out, 0, sizeof *out);
    const registry_entry *e = find(w, err, sizeof err);
    model_graph *g = e ? model_graph_create(w, err, sizeof err) : NULL;
    if (!g) {
        infinite(out);
        return;
    }
    ((const partitioner_ops *)e->ops)->estimate(w, g, w->partition.bytes, n_chips, out);
    model_graph_destroy(g);
    /* in flight: the weights once, everything else per inference */
    double m = workload_in_flight(w);
    out->ops *= m;
    out->collectives *= m;
    out->buffers = out->weight_buffers + m * (out->buffers - out->weight_buffers);
    out->data_bytes = out->weight_bytes + m * (out->data_bytes - out->weight_bytes);
}

void partition_estimate_reference(const workload_params *w, program_size *out)
{
    char err[256];
    memset(out, 0, sizeof *out);
    model_graph *g = model_graph_create(w, err, sizeof err);
    if (!g) {
        infinite(out);
        return;
    }
    graph_whole_size(g, out);
    model_graph_destroy(g);
}

bool partition_reads_capacity(const workload_params *w)
{
    const registry_entry *e = partitioner_find(w->partitioner, NULL);
    const partitioner_ops *ops = e ? e->ops : NULL;
    return ops && ops->reads_capacity && ops->reads_capacity(w, w->partition.bytes);
}
