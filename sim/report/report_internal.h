/* Shared between the report writers of one experiment; not a public API. */
#ifndef MCUSIM_REPORT_INTERNAL_H
#define MCUSIM_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* One summary row: the point plus the figures derived from it. speedup and
 * edp_gain are NaN when the point's group has no 1-chip row. */
typedef struct report_row {
    const run_stats *s;
    double latency_ms, energy_mj, edp_mj_ms, speedup, edp_gain;
    /* The same without the off-chip memory devices: the MCUs (with their
     * link PHYs) only. */
    double energy_mcu_mj, edp_mcu_mj_ms, edp_gain_mcu;
    double comp_energy_mj[COMP__COUNT];   /* summed over chips */
    double comp_leakage_mj[COMP__COUNT];  /* the leakage bucket split per component */
    double comp_busy_ms[COMP__COUNT];     /* mean over chips; overlapping activity */
    double comp_time_ms[COMP__COUNT];     /* mean over chips; critical path, its share of the cycles x latency_ms: sums to latency_ms exactly */
} report_row;

/* Rows sorted by (experiment, grid_index, chips): one group per grid
 * combination, contiguous. Caller frees *out. */
int report_rows_build(const run_stats *stats, size_t n, report_row **out, char *err, size_t errlen);

/* The scope (what one inference covers) all rows share, or NULL when it
 * differs between them (a sweep over workload.blocks, say). */
const char *report_common_scope(const report_row *rows, size_t n);

/* [first, first+n) of the group starting at row i. */
size_t report_group_end(const report_row *rows, size_t n, size_t i);

void report_write_chip_json(FILE *out, const chip_stats *c, const char *indent);

int report_write_csv(FILE *out, const report_row *rows, size_t n);
int report_write_summary_json(FILE *out, const experiment *e, const report_row *rows, size_t n,
                              const report_provenance *prov);
int report_write_markdown(FILE *out, const experiment *e, const report_row *rows, size_t n,
                          const char *const *plots, size_t n_plots, const report_provenance *prov);

/* The provenance lines of summary.md (after the header) and the
 * `"provenance": {...}` member of summary.json; nothing when prov is NULL. */
void report_provenance_md(FILE *out, const report_provenance *prov, size_t n_rows);
void report_provenance_json(FILE *out, const report_provenance *prov, size_t n_rows);

/* Each writes one SVG to dir/name atomically; the name is appended to plots. */
typedef struct plot_list {
    char names[32][64];
    size_t n;
} plot_list;
int report_write_plots(const char *dir, const experiment *e, const report_row *rows, size_t n,
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
