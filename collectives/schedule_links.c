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

/* One pass over the ops (a 64-chip program has ~10 000 of them and few
 * pairs): each chip's pairs collected as they come, duplicates dropped per
 * chip, then the whole list sorted. */
int topology_links(const system_program *p, uint32_t (**pairs)[2], size_t *n_pairs)
{
    size_t k = 0, cap = 16;
    uint32_t(*v)[2] = malloc(cap * sizeof *v);
    if (!v) return -1;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        size_t first = k;   /* this chip's pairs start here */
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
            const prog_op *op = &p->chips[c].ops[i];
            if (!is_link(p, c, op)) continue;
            bool seen = false;
            for (size_t j = first; j < k && !seen; j++) seen = v[j][1] == (uint32_t)op->peer;
            if (seen) continue;
            if (k == cap) {
                uint32_t(*nv)[2] = realloc(v, 2 * cap * sizeof *v);
                if (!nv) { free(v); return -1; }
                v = nv;
                cap *= 2;
            }
            v[k][0] = c;
            v[k][1] = (uint32_t)op->peer;
            k++;
        }
    }
    qsort(v, k, sizeof *v, cmp_pair);
    *pairs = v;
    *n_pairs = k;
    return 0;
}
