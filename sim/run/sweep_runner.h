/* The sweep driver: the points of a sweep plan (sweep_plan.h), each run in
 * its own forked process (SystemC allows one simulation per process), which
 * writes its run_stats JSON atomically to POINTS_DIR/<point id>.json. The
 * simulation itself is a callback, so this file knows nothing of SystemC.
 * It lives above sim/report/ because it writes, validates and resumes
 * point files through it (point_file.h). */
#ifndef MCUSIM_SWEEP_RUNNER_H
#define MCUSIM_SWEEP_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../experiment/sweep_plan.h"
#include "../report/point_file.h"

/* Simulates one point in the child process and fills *out. Returns 0, or
 * the exit code (1 simulation failure, 2 bad config) with err set; a
 * result with a failed --check is still recorded. Or
 * SWEEP_POINT_INFEASIBLE with the reason in err: the point cannot be built
 * as configured (the workload does not split over its chips, the program
 * does not fit the node), which is an answer, not a failure: the child
 * records it (point_infeasible.h) and the parent counts it in
 * res->infeasible. */
#define SWEEP_POINT_INFEASIBLE 3
typedef int (*sweep_point_fn)(const sweep_point *p, void *ctx, run_stats *out, char *err,
                              size_t errlen);

typedef struct sweep_options {
    unsigned jobs;                /* parallel processes, >= 1 */
    unsigned shard_i, shard_n;    /* run index % shard_n == shard_i - 1; 1/1 = all */
    const char *points_dir;       /* must exist */
    const char *verb;             /* prefix of messages, e.g. "mcusim sweep" */
    const char *config_note;      /* extra text for failure lines (the --set list) */
    /* What every point of the plan must be (indexed by plan index, required):
     * its file is stamped with it, and only a file matching it counts. */
    const planned_point *planned;
    double point_timeout_s;       /* a point running longer is killed and fails; 0 = never */
    bool progress;                /* done/total, rate, elapsed, ETA on stderr */
    bool resume;                  /* skip points whose file is valid and stamped for them */
    /* Called in the parent with the statistics of each selected point whose
     * file proved valid and stamped for it: when its child finished, or when
     * resume reuses it (s is freed after the call). NULL: nobody asks. Saves
     * a caller that needs every point's figures a second read of its file. */
    void (*on_point)(void *ctx, size_t index, const run_stats *s);
    void *on_point_ctx;
    /* Called in the parent just before it forks point p, with the ctx of the
     * point function: what it prepares there (a configuration loaded once
     * for the points that share it) the child inherits. Returns 0, or the
     * point's failure code (the point then fails without a process). NULL:
     * nothing to prepare. */
    int (*before_fork)(const sweep_point *p, void *ctx, char *err, size_t errlen);
} sweep_options;

/* Test hooks (tests only, never set otherwise): the child of the point whose
 * id equals $MCUSIM_TEST_CRASH_POINT aborts before simulating; the one named
 * by $MCUSIM_TEST_HANG_POINT never returns (like a plug-in stuck in a loop). */
#define SWEEP_TEST_CRASH_ENV "MCUSIM_TEST_CRASH_POINT"
#define SWEEP_TEST_HANG_ENV "MCUSIM_TEST_HANG_POINT"

typedef struct sweep_result {
    size_t selected, ok, failed;
    size_t not_applicable;        /* selected points the plan marks not applicable: not run */
    size_t resumed;               /* selected points reused: valid file stamped for them */
    size_t infeasible;            /* selected points recorded infeasible (run now or resumed) */
    size_t rerun;                 /* selected points whose existing file was bad or stale */
    size_t timed_out;             /* of the failed: killed after point_timeout_s */
    int interrupted;              /* signal (SIGINT/SIGTERM) that stopped the sweep, or 0 */
    double wall_s;
} sweep_result;

/* Removes "<x>.tmp.<pid>" files of points_dir whose writer process no
 * longer exists (a killed run); a live writer's (a concurrent shard's) stay. */
void sweep_remove_temporaries(const char *points_dir);

/* Runs every selected point. A point succeeds only when its process exits 0
 * and its file then exists, validates and carries its planned stamp (or
 * exits SWEEP_POINT_INFEASIBLE and its infeasible record does).
 * Returns -1 only when the driver itself could not work (fork failed...);
 * failing points are counted in res->failed. It never removes a point file.
 * On SIGINT or SIGTERM it starts no new point, terminates the running ones,
 * removes their temporary files and returns 0 with res->interrupted set: the
 * finished point files stay, and a rerun with resume completes the sweep. */
int sweep_run(const sweep_plan *plan, const sweep_options *o, sweep_point_fn fn, void *ctx,
              sweep_result *res, char *err, size_t errlen);

#endif
