/* Validation of one point's statistics, wherever they come from (a fresh
 * simulation before its file is written, or a point file read back): the
 * ranges every figure must lie in and the identities the model guarantees. */
#ifndef MCUSIM_RUN_STATS_CHECK_H
#define MCUSIM_RUN_STATS_CHECK_H

#include <stddef.h>

#include "../flow/run_stats.h"

/* 0 when s is plausible; else -1 and a one-line reason naming the field.
 * Checked: names and mode, chips 1..4096 with one per_chip entry each, the
 * node's declared components and memory levels well-formed,
 * every double finite and non-negative, cycles > 0 and latency = cycles /
 * clock, every chip's time_cycles summing exactly to cycles and no busy or
 * finish time beyond the run, energy_j = the sum of every chip's
 * components, offchip/link bytes = the sums over chips, check_passed only
 * with check_run, check_run only functional, and a stamp (when present)
 * well-formed and consistent with chips, grid and mode. */
int run_stats_check(const run_stats *s, char *why, size_t cap);

#endif
