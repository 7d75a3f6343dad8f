/* The pieces of one point's flow (simulate.h), each in its own file. */
#ifndef MCUSIM_FLOW_INTERNAL_H
#define MCUSIM_FLOW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../experiment/point_plan.h"
#include "simulate.h"
#include "timing_backend.h"

/* flow_hooks.c: the hooks a backend calls, bound to a built point: the
 * node model's op costs, the kernels, each chip pair's own link model
 * (system.link or the system.links override naming it), the node layout. */
void flow_hooks_bind(const point_plan *m, timing_hooks *out);

/* flow_totals.c: what every chip draws whatever it does (the node's
 * always-on power) over the whole makespan, then the run's totals from
 * the per-chip figures. */
int flow_finish_totals(const point_plan *m, const timing_result *res, run_stats *out);

/* flow_check.c: --check. Compares p's output with the whole model run on
 * one chip in plain C; *passed set, 0 when equal, else 1 with err naming
 * the first differing byte and the chip part it falls in. */
int flow_check_against_one_chip(const experiment *e, const system_program *p, bool *passed,
                                char *err, size_t errlen);

#endif
