/* The generic pass after every expansion (see steps_internal.h): a leader
 * summing its group receives into the same bytes several times in a row,
 * and the node model keeps the running sum in L1 between those receives
 * when it fits beside a payload. Whatever the algorithm, the marks follow
 * from the ops alone. */
#include "steps_internal.h"

void collective_mark_running_sums(chip_program *c)
{
    for (uint32_t i = 0; i + 1 < c->n_ops; i++) {
        prog_op *a = &c->ops[i], *b = &c->ops[i + 1];
        if (a->kind == OP_RECV && b->kind == OP_RECV && a->accumulate && b->accumulate &&
            a->in[0] == b->in[0] && a->offset == b->offset && a->bytes == b->bytes) {
            a->sum_stays_in_l1 = true;
            b->sum_in_l1 = true;
        }
    }
}
