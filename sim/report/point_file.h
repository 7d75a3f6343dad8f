/* One point file (OUT/points/<id>.json) of a sweep: written atomically, and
 * read back only through a judgement against what the plan expects of it. */
#ifndef MCUSIM_POINT_FILE_H
#define MCUSIM_POINT_FILE_H

#include <stddef.h>

#include "point_stamp.h"
#include "../flow/run_stats.h"

/* What a plan expects of one point: its stamp and its --sweep label. */
typedef struct planned_point {
    point_stamp stamp;
    char sweep[256];             /* "key=v;key=v", "" without a grid */
    /* Why the point is not simulated, or "": a grid combination whose
     * partitioner cannot split this chip count (the sweep runs the others
     * and lists these in its summary as not applicable). */
    char not_applicable[240];
} planned_point;

typedef enum point_status {
    POINT_OK,        /* valid, and stamped for exactly this point */
    POINT_MISSING,   /* no file */
    POINT_BAD,       /* unreadable, truncated, out of range, or another point's data */
    POINT_STALE      /* valid data of another configuration, version or mode, or unstamped */
} point_status;

/* Largest point file read (a 4096-chip point is about 5 MB). */
#define POINT_FILE_MAX_BYTES (64u << 20)

/* Judges the file at path as the point `want` (its file stem must be
 * want->stamp.id). On POINT_OK *out holds the point (free its per_chip);
 * otherwise *out is empty and why says what is wrong. */
point_status point_file_load(const char *path, const planned_point *want, run_stats *out,
                             char *why, size_t cap);

/* Reads and validates a file without a plan (schema, ranges, and that it
 * holds the point its file name says); its stamp is not compared. */
int point_file_read_unplanned(const char *path, run_stats *out, char *why, size_t cap);

/* Validates s and writes it to path atomically (temporary + rename). */
int point_file_write(const char *path, const run_stats *s, char *err, size_t errlen);

/* The points of a plan found in one or more sweep folders. */
typedef struct point_collection {
    run_stats *rows;             /* valid, correctly stamped; plan order */
    size_t n_rows;
    char **missing;              /* ids of planned points without such a file */
    size_t n_missing;
    char **rejected;             /* "FILE: why" for files of planned ids that were bad or stale */
    size_t n_rejected;
    char **unplanned;            /* "FILE: not in this sweep's plan" for the other *.json */
    size_t n_unplanned;
} point_collection;

/* Looks for every planned point in DIR/points/ of each dir; where several
 * dirs hold a valid file of one id, the last dir's wins. Never removes or
 * changes a file. -1 only when a folder cannot be read or out of memory. */
int point_collect(const char *const *dirs, size_t n_dirs, const planned_point *plan, size_t n_plan,
                  point_collection *out, char *err, size_t errlen);
void point_collection_free(point_collection *c);

#endif
