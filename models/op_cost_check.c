/* Defensive check of one op's cost (see op_cost_check.h). */
#include "op_cost_check.h"

#include <math.h>
#include <stdio.h>

int node_op_cost_check(const op_cost *c, char *err, size_t errlen)
{
    for (int k = 0; k < COMP__COUNT; k++)
        if (!isfinite(c->energy_j[k]) || c->energy_j[k] < 0) {
            snprintf(err, errlen, "returned energy_j[%s] = %g J: must be finite and >= 0",
                     component_name((component)k), c->energy_j[k]);
            return -1;
        }
    const char *what = NULL;
    unsigned long long v = 0;
    if (c->cycles > OP_MAX_CYCLES) what = "cycles", v = c->cycles;
    for (int k = 0; k < COMP__COUNT && !what; k++)
        if (c->busy_cycles[k] > OP_MAX_CYCLES || c->time_cycles[k] > OP_MAX_CYCLES)
            what = component_name((component)k),
            v = c->busy_cycles[k] > c->time_cycles[k] ? c->busy_cycles[k] : c->time_cycles[k];
    if (!what) return 0;
    snprintf(err, errlen, "returned %llu cycles (%s): more than 2^62, the most a run can count",
             v, what);
    return -1;
}
