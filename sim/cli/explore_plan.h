/* Everything `mcusim explore` decides before a point runs, and what
 * `mcusim merge` decides again to check the folders it joins: the
 * explore: section, every value of every axis loaded on its own (an error
 * located at the value), the points chosen, each chosen configuration
 * loaded and every point stamped like a sweep point. A combination of
 * values that does not load together is an answer (infeasible, with the
 * loader's message), two chosen points of one configuration are run once
 * (the later one is a duplicate). */
#ifndef MCUSIM_EXPLORE_PLAN_H
#define MCUSIM_EXPLORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "../explore/explore_sample.h"
#include "../report/point_file.h"
#include "../report/sha256.h"
#include "../run/sweep_runner.h"
#include "cli_common.h"

typedef struct explore_plan {
    const char *path;                 /* the experiment file */
    const cli_overrides *sets;
    experiment *e;                    /* the experiment after --set (owned) */
    explore_spec spec;
    explore_selection sel;
    planned_point *planned;           /* per chosen point: id, stamp, --sweep label */
    char **note;                      /* per chosen point: NULL, or why it is not run */
    bool *duplicate;                  /* note says "same configuration as ..." */
    bool *baseline;                   /* the experiment's own configuration */
    /* Points whose configurations differ only outside the workload and
     * the topology (link, node) share one program: its family. */
    uint32_t *family;                 /* per chosen point, in order of first appearance */
    size_t *run;                      /* chosen points to simulate: by family, chips, point */
    size_t n_run;
    planned_point *run_planned;       /* their planned points, in that order */
    uint32_t *run_shared;             /* per run point: run points of its family and chip count */
    char *config_text;                /* resolved experiment after --set */
    char config_sha256[SHA256_HEX_LEN + 1];
    char spec_sha256[SHA256_HEX_LEN + 1];
} explore_plan;

/* Plans the exploration of e (loaded from path with sets; the plan takes
 * it). Prints one located error line and returns 2 on a problem; 0 with
 * *out filled (free with explore_plan_free). `max_memory` (bytes) bounds
 * each point's estimated memory, checked for every chip count. */
int explore_plan_build(const char *path, const cli_overrides *sets, experiment *e,
                       uint64_t max_memory, explore_plan *out);
void explore_plan_free(explore_plan *p);

/* The sweep runner's plan of the points to simulate (listed points). */
sweep_plan explore_plan_runner(const explore_plan *p);

/* The runner's point i (an index into p->run) as a sweep point. */
void explore_plan_point(const explore_plan *p, size_t i, sweep_point *out);

#endif
