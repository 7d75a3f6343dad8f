/* Report writers: the results contract of DESIGN.md. Every file is written to
 * a temporary name in the same folder and renamed, so a killed run leaves no
 * half file. */
#ifndef MCUSIM_REPORT_H
#define MCUSIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../experiment/experiment.h"
#include "../flow/run_stats.h"

/* One point as a JSON object (the row of summary.json, with per-chip,
 * per-component breakdown); and back, for merging shards / sweep children. */
int run_stats_write_json(FILE *out, const run_stats *s);
int run_stats_read_json(const char *text, size_t len, run_stats *out, char *err, size_t errlen);
/* 0 when every stored field (the table's, stat_fields.h), the declared
 * components and levels and the stamp of a and b are equal (NaN equal to
 * NaN); else -1 naming the first that differs in what. */
int run_stats_compare(const run_stats *a, const run_stats *b, char *what, size_t cap);

/* Where a summary's rows come from; summary.md and summary.json state it
 * (the hash, and "partial" with the missing points when there are any). */
typedef struct report_provenance {
    const char *version;                 /* mcusim version */
    const char *mode;                    /* timing-only | functional | functional+check */
    const char *config_sha256;           /* of the resolved configuration (64 hex) */
    size_t planned;                      /* points of the plan */
    const char *const *missing;          /* planned ids without a row */
    size_t n_missing;
    const char *const *left_out;         /* "FILE: why" of point files not used */
    size_t n_left_out;
    /* "ID (key=v;...): why" of planned points not applicable (not
     * simulated: their partitioner cannot split their chip count) */
    const char *const *not_applicable;
    size_t n_not_applicable;
} report_provenance;

/* summary.csv, summary.json, summary.md and the SVG plots for one
 * experiment's rows (sorted by chips by the writer). prov may be NULL
 * (nothing said about provenance). */
int report_write_experiment_with(const char *dir, const experiment *e, const run_stats *rows,
                                 size_t n_rows, const report_provenance *prov, char *err,
                                 size_t errlen);
int report_write_experiment(const char *dir, const experiment *e, const run_stats *rows,
                            size_t n_rows, char *err, size_t errlen);

/* summary.csv's columns with their unit, summary.md header and meaning, as
 * a Markdown table generated from the statistics table (per-component
 * columns as a pattern): what a folder's README.md explains them with. */
void report_columns_md(FILE *out);

/* Whether the chips of s do not all have one node (name, clock or
 * memories differ: system.chips), and then its per-chip table as Markdown
 * (consecutive chips alike grouped, the straggler named): summary.md's
 * "Per chip" section, and what `mcusim run` prints for such a run. */
bool report_chips_differ(const run_stats *s);
void report_chip_groups_md(FILE *out, const run_stats *s);

/* Atomic write helper: writes `len` bytes to path via path.tmp + rename. */
int report_write_file_atomic(const char *path, const char *data, size_t len, char *err,
                             size_t errlen);

/* mkdir -p. */
int report_make_dirs(const char *dir, char *err, size_t errlen);

/* Reads every OUT/points/ *.json of each dir into *rows (sorted by file
 * name, a later dir's point replacing an earlier one of the same name).
 * Caller frees with report_free_rows. */
int report_read_points(const char *const *dirs, size_t n_dirs, run_stats **rows, size_t *n_rows,
                       char *err, size_t errlen);
void report_free_rows(run_stats *rows, size_t n_rows);

#endif
