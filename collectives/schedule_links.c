/* topology_links: the directed chip pairs a program's sends use, each
 * once, sorted: one link module each in the SystemC layer, one entry each
 * in the link map. */
#include <stdlib.h>

#include "topology.h"

static int cmp_pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

static bool is_link(const system_program *p, uint32_t c, const prog_op *op)
{
    return op->kind == OP_SEND && op->peer >= 0 && (uint32_t)op->peer < p->n_chips &&
           (uint32_t)op->peer != c;
}

int topology_links(const system_program *p, uint32_t (**pairs)[2], size_t *n_pairs)
{
    size_t n = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) n += is_link(p, c, &p->chips[c].ops[i]);
    uint32_t(*v)[2] = malloc((n ? n : 1) * sizeof *v);
    if (!v) return -1;
    size_t k = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
            const prog_op *op = &p->chips[c].ops[i];
            if (!is_link(p, c, op)) continue;
            v[k][0] = c;
            v[k][1] = (uint32_t)op->peer;
            k++;
        }
    qsort(v, k, sizeof *v, cmp_pair);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || cmp_pair(v[u - 1], v[i]) != 0) {
            v[u][0] = v[i][0];
            v[u][1] = v[i][1];
            u++;
        }
    *pairs = v;
    *n_pairs = u;
    return 0;
}
