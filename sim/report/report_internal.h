/* Shared between the report writers of one experiment; not a public API. */
#ifndef MCUSIM_REPORT_INTERNAL_H
#define MCUSIM_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* One summary row: the point plus the figures derived from it. speedup and
 * edp_gain are NaN when the point's group has no 1-chip row. The
 * per-component figures are indexed by the table's components (the union
 * over its rows) and NaN for a component the row's node does not have. */
typedef struct report_row {
    const run_stats *s;
    /* Per inference: with several in flight (run_stats.in_flight), latency
     * is the first's, energies and bytes the run's divided by in_flight. */
    double latency_ms, energy_mj, edp_mj_ms, speedup, edp_gain;
    uint64_t offchip_bytes, link_bytes;
    /* The run: every in-flight inference done; the steady-state rate. */
    double makespan_ms, tokens_per_s;
    /* The same without the off-chip memory devices: the MCUs (with their
     * link PHYs) only. */
    double energy_mcu_mj, edp_mcu_mj_ms, edp_gain_mcu;
    double comp_energy_mj[COMPONENTS_MAX];   /* summed over chips */
    double comp_leakage_mj[COMPONENTS_MAX];  /* the leakage component's energy split per component */
    double comp_busy_ms[COMPONENTS_MAX];     /* mean over chips; overlapping activity */
    double comp_time_ms[COMPONENTS_MAX];     /* mean over chips; critical path, its share of the cycles x latency_ms: sums to latency_ms exactly */
    /* energies and busy times per inference (the run's / in_flight) */
} report_row;

/* The rows of one summary and the components its columns cover: every
 * component of any row's node, in the nodes' order (rows of one node model
 * and configuration all share one list). */
typedef struct report_table {
    report_row *rows;
    size_t n;
    component_set comps;
} report_table;

/* Rows sorted by (experiment, grid_index, chips): one group per grid
 * combination, contiguous. Caller frees with report_table_free. Fails when
 * the rows' nodes declare more than COMPONENTS_MAX components together. */
int report_rows_build(const run_stats *stats, size_t n, report_table *out, char *err,
                      size_t errlen);
void report_table_free(report_table *t);

/* The scope (what one inference covers) all rows share, or NULL when it
 * differs between them (a sweep over workload.blocks, say). */
const char *report_common_scope(const report_row *rows, size_t n);

/* [first, first+n) of the group starting at row i. */
size_t report_group_end(const report_row *rows, size_t n, size_t i);

/* One chip of s as a JSON object (summary.json's per_chip; the point
 * file's uses the same layout), after `indent`. */
void report_write_chip_json(FILE *out, const run_stats *s, const chip_stats *c, const char *indent);

/* A stored (RUN or CHIP) field of the table as JSON, from its place in base
 * (a run_stats or chip_stats), and back from member f->key of o. */
struct stat_field;
struct json_value;
void stat_write_json_value(FILE *out, const struct stat_field *f, const void *base);
int stat_read_json_value(const struct json_value *o, const struct stat_field *f, void *base,
                         char *err, size_t el);

int report_write_csv(FILE *out, const report_table *t);
int report_write_summary_json(FILE *out, const experiment *e, const report_table *t,
                              const report_provenance *prov);
int report_write_markdown(FILE *out, const experiment *e, const report_table *t,
                          const char *const *plots, size_t n_plots, const report_provenance *prov);

/* summary.md's table of the rows (the fields with a summary.md column). */
void report_main_table_md(FILE *out, const report_row *rows, size_t n);
/* The folder's README.md: the index of what dir holds (report_index.c). */
int report_write_index_md(FILE *out, const char *dir, const experiment *e, const report_table *t,
                          const char *const *plots, size_t n_plots);

/* One column of a CSV with fixed columns (ops.csv, chips.csv): its name (a
 * pattern with <c> for a component or <level> for a memory level where it
 * repeats), unit ("" for none) and meaning; and such columns as a Markdown
 * table (report_index.c). */
typedef struct report_column_doc {
    const char *name;
    const char *unit;
    const char *doc;
} report_column_doc;
void report_column_docs_md(FILE *out, const report_column_doc *columns, size_t n);

/* ops.csv (--stats ops): every point's per-op rows, when some row has them. */
bool report_table_has_ops(const report_table *t);
int report_write_ops_csv(FILE *out, const report_table *t);
/* The columns of ops.csv, with units and meaning, as a Markdown table. */
void report_ops_columns_md(FILE *out);
/* chips.csv and summary.md's "Per chip" section, for the points whose
 * chips differ (report_chips.c); the columns of chips.csv as Markdown. */
bool report_table_has_chips(const report_table *t);
int report_write_chips_csv(FILE *out, const report_table *t);
void report_chips_md(FILE *out, const report_table *t);
void report_chips_columns_md(FILE *out);
/* summary.md's "top ops by time" tables: one per point with rows. */
void report_top_ops_md(FILE *out, const report_table *t);

/* The provenance lines of summary.md (after the header) and the
 * `"provenance": {...}` member of summary.json; nothing when prov is NULL. */
void report_provenance_md(FILE *out, const report_provenance *prov, size_t n_rows);
void report_provenance_json(FILE *out, const report_provenance *prov, size_t n_rows);

/* Each writes one SVG to dir/name atomically; the name is appended to plots. */
typedef struct plot_list {
    char names[80][64];   /* 3 line plots + 4 breakdowns per grid group (at most 16) */
    size_t n;
} plot_list;
int report_write_plots(const char *dir, const experiment *e, const report_table *t,
                       plot_list *plots, char *err, size_t errlen);

/* A FILE* on a growing memory buffer, then committed atomically to a path. */
typedef struct membuf {
    char *data;
    size_t len;
    FILE *f;
} membuf;
int membuf_open(membuf *m);
int membuf_commit(membuf *m, const char *path, char *err, size_t errlen);  /* closes and frees */

/* printf-style number for tables and CSV: empty for NaN. */
void report_fmt_num(char *buf, size_t cap, double v);

#endif
