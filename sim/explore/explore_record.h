/* explore.json: what an exploration folder is the plan of (the experiment,
 * its --set list, the version and mode, the hash of the resolved
 * configuration and of the explore: section, and every chosen point's id,
 * configuration hash, --sweep label and note), written before any point
 * runs. `mcusim merge` plans again and joins only folders whose record is
 * that plan (the experiment's path may differ: shards run elsewhere). */
#ifndef MCUSIM_EXPLORE_RECORD_H
#define MCUSIM_EXPLORE_RECORD_H

#include <stddef.h>

#include "../report/point_file.h"

#define EXPLORE_RECORD_FILE "explore.json"

typedef struct explore_record {
    const char *experiment_path;     /* absolute */
    const char *const *sets;
    size_t n_sets;
    const char *version, *mode, *config_sha256, *spec_sha256;
    const planned_point *points;
    const char *const *notes;        /* per point: "" or why it is not simulated */
    size_t n_points;
} explore_record;

/* The record as JSON text (malloc'd), the experiment path on its own line. */
char *explore_record_text(const explore_record *r, size_t *len);

/* Reads DIR/explore.json: its text (malloc'd), and the experiment path and
 * --set list it names (sets malloc'd, free with explore_record_free_sets).
 * -1 with err naming the file and what is wrong. */
int explore_record_read(const char *dir, char **text, char *experiment_path, size_t cap,
                        char ***sets, size_t *n_sets, char *err, size_t errlen);
void explore_record_free_sets(char **sets, size_t n);

/* 0 when two record texts are the same plan (all but the experiment path
 * equal); else -1 with the first line that differs. */
int explore_record_compare(const char *a, const char *b, char *why, size_t cap);

#endif
