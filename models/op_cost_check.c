/* Defensive check of one op's cost (see op_cost_check.h). */
#include "op_cost_check.h"

#include <math.h>
#include <stdio.h>

int node_op_cost_check(const op_cost *c, const component_set *s, char *err, size_t errlen)
{
    uint32_t n = s->n < COMPONENTS_MAX ? s->n : COMPONENTS_MAX;
    for (uint32_t k = 0; k < n; k++)
        if (!isfinite(c->energy_j[k]) || c->energy_j[k] < 0) {
            snprintf(err, errlen, "returned energy_j[%s] = %g J: must be finite and >= 0",
                     s->c[k].name, c->energy_j[k]);
            return -1;
        }
    const char *what = NULL;
    unsigned long long v = 0;
    if (c->cycles > OP_MAX_CYCLES) what = "cycles", v = c->cycles;
    for (uint32_t k = 0; k < n && !what; k++)
        if (c->busy_cycles[k] > OP_MAX_CYCLES || c->time_cycles[k] > OP_MAX_CYCLES)
            what = s->c[k].name,
            v = c->busy_cycles[k] > c->time_cycles[k] ? c->busy_cycles[k] : c->time_cycles[k];
    if (!what) return 0;
    snprintf(err, errlen, "returned %llu cycles (%s): more than 2^62, the most a run can count",
             v, what);
    return -1;
}
