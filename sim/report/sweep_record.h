/* sweep.json: how a sweep folder was made and what its plan expects of
 * every point (id, config hash, --sweep label), so that `mcusim merge` can
 * tell shards of one sweep from folders of different sweeps, name the
 * missing points and check every point file without re-running anything. */
#ifndef MCUSIM_SWEEP_RECORD_H
#define MCUSIM_SWEEP_RECORD_H

#include <stddef.h>

#include "point_file.h"
#include "../experiment/sweep_plan.h"

typedef struct sweep_record {
    char experiment_path[4096];   /* absolute, to reload the experiment */
    char **sets;                  /* the --set assignments, in order */
    size_t n_sets;
    char version[32];
    char mode[24];
    char config_sha256[SHA256_HEX_LEN + 1];   /* of the resolved config after --set */
    uint64_t chips[64];
    size_t n_chips;
    sweep_axis axes[SWEEP_MAX_AXES];
    size_t n_axes;
    planned_point *points;        /* the whole plan (every shard), plan order */
    size_t n_points;
} sweep_record;

/* Writes dir/sweep.json atomically. */
int sweep_record_write(const char *dir, const sweep_record *r, char *err, size_t errlen);

/* Reads dir/sweep.json; -1 with err naming the file and the problem
 * (missing, not JSON, a sweep.json of an older mcusim without stamps...). */
int sweep_record_read(const char *dir, sweep_record *r, char *err, size_t errlen);

/* 0 when a and b describe the same sweep (the experiment path may differ:
 * shards run on other machines); else -1 with what differs. */
int sweep_record_compare(const sweep_record *a, const sweep_record *b, char *why, size_t cap);

void sweep_record_free(sweep_record *r);

#endif
