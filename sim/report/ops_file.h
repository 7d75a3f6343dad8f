/* The per-op rows of one sweep point on disk (OUT/ops/<id>.json), beside
 * its point file: a sweep point runs in a process of its own, so its rows
 * reach the summary (ops.csv, the top-ops tables) through this file, and
 * --resume and merge find them again. Like a point file it is written
 * atomically and used only when it proves to belong to its point: the
 * same stamp (point, configuration, version, mode), the same components
 * and levels, and rows that add up to the point's figures (op_stats_check). */
#ifndef MCUSIM_OPS_FILE_H
#define MCUSIM_OPS_FILE_H

#include <stddef.h>

#include "../flow/run_stats.h"

/* Largest ops file read (a 64-chip prompt point is a few MB). */
#define OPS_FILE_MAX_BYTES (512u << 20)

/* Writes s->ops (and s->stamp, its components and levels) to path. */
int ops_file_write(const char *path, const run_stats *s, char *err, size_t errlen);

/* Reads path into s->ops when it belongs to s (see above). 0; 1 when there
 * is no file; -1 with why when it does not belong (s->ops stays NULL). */
int ops_file_load(const char *path, run_stats *s, char *why, size_t cap);

/* For each row without ops, the file of its point in DIR/ops/ of the
 * last dir that has one that belongs. Points left without rows are the
 * summary's to name; a file that does not belong is one line in notes
 * (malloc'd "FILE: why" strings, *n_notes of them; may be NULL). -1 only
 * when out of memory. */
int ops_attach(const char *const *dirs, size_t n_dirs, run_stats *rows, size_t n_rows,
               char ***notes, size_t *n_notes);

#endif
