/* Every statistic a point yields, described once: its key, unit, dimension,
 * aggregation and doc, where it lives (run_stats, chip_stats, or derived
 * in a summary row) and which outputs show it. The point file (write and
 * read-back, so merge and --resume), summary.csv, the summary.json rows,
 * summary.md, the per-chip table of `mcusim run` and the README's column
 * list are all written from this table, so a field added here appears in
 * each of them (and round-trips, tests/unit/test_report_fields.c). The
 * metric table of calibrate/sensitivity (metrics.c) takes the unit and doc
 * of every metric that is also a field from here. */
#ifndef MCUSIM_STAT_FIELDS_H
#define MCUSIM_STAT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../flow/run_stats.h"

struct report_row;

typedef enum stat_level {
    STAT_RUN,         /* a member of run_stats, stored in the point file */
    STAT_ROW,         /* derived for a summary row (report_row), not stored */
    STAT_ROW_COMP,    /* derived per row and component: a column per component */
    STAT_CHIP,        /* a member of chip_stats, stored per chip */
    STAT_CHIP_COMP,   /* a chip_stats array per component: a {component: value} map */
    STAT_CHIP_LEVEL,  /* a chip_stats array per memory level: a {level: value} map */
} stat_level;

typedef enum stat_type {
    STAT_STR,    /* char[] (size = its capacity) */
    STAT_U32,
    STAT_U64,
    STAT_F64,    /* NaN: not defined for this row (an empty CSV cell, JSON null) */
    STAT_BOOL,
    STAT_TEXT,   /* derived text: text() */
} stat_type;

/* Outputs. A field is in every output its level has unless `only` lists
 * the ones it is in: RUN fields in the point file and the summaries; ROW
 * and ROW_COMP fields in the summaries (never stored); CHIP fields in the
 * point file, summary.json's per_chip and, with a `run` header, `mcusim
 * run`'s chip table. */
typedef enum stat_out {
    OUT_POINT = 1u << 0,   /* the point files (what merge and --resume read back) */
    OUT_CSV = 1u << 1,     /* summary.csv */
    OUT_JSON = 1u << 2,    /* summary.json: its rows, and per_chip */
    OUT_MD = 1u << 3,      /* summary.md's table */
    OUT_RUN = 1u << 4,     /* `mcusim run`'s table of chips */
} stat_out;
#define OUT_EVERYWHERE 0u

/* When a summary.md column shows: always, when some row has a value
 * (non-empty text), when the rows' values differ (a common value is
 * stated above the table), or when some row ran several inferences in
 * flight. For a CHIP field, when `mcusim run`'s chip table shows it:
 * MD_IF_DIFFERENT, only when the chips' values differ. */
typedef enum md_show {
    MD_ALWAYS,
    MD_IF_ANY,
    MD_IF_DIFFERENT,
    MD_IF_IN_FLIGHT   /* when some row has several inferences in flight (throughput) */
} md_show;

typedef struct stat_field {
    /* The CSV column and JSON member; per component (ROW_COMP), the
     * summary.json map, whose CSV columns are `csv` with the component's
     * name ("energy_%s_mj"). */
    const char *key;
    const char *csv;
    const char *unit;          /* "ms", "mJ", "B", "x" (a ratio), "" (none) */
    const char *dimension;     /* "time", "energy", "bytes", "ratio", "text"... */
    const char *aggregation;   /* how it is formed over chips and rows */
    const char *doc;
    stat_level level;
    size_t offset;             /* in run_stats, report_row or chip_stats (by level) */
    size_t size;               /* of that member (arrays: all of it) */
    stat_type type;
    /* Per component: the view a component must have to have this field
     * (energy or time); 0 for other levels. */
    int view;
    const char *group;         /* CHIP: the JSON object it sits in ("placement"), or NULL */
    unsigned only;             /* stat_out mask, or OUT_EVERYWHERE */
    int md_col;                /* summary.md column order (1, 2, ...), 0: not in it */
    const char *md;            /* summary.md header */
    md_show md_when;
    const char *run;           /* `mcusim run` chip-table header (CHIP fields) */
    /* STAT_TEXT, or another rendering for summary.md/summary.csv (a STR
     * field may have one): the text of a row for output o, into buf. */
    void (*text)(const struct report_row *r, stat_out o, char *buf, size_t cap);
} stat_field;

#define STAT_VIEW_ENERGY 1
#define STAT_VIEW_TIME 2

/* The table, in summary.csv's column order. */
const stat_field *stat_fields(size_t *n);
/* The run or row (summary column) field called key, or NULL; per-chip
 * fields share some keys with them (offchip_bytes, energy_j) and are not
 * found here. */
const stat_field *stat_field_find(const char *key);
/* Whether f appears in output o (its level's outputs, then `only`). */
bool stat_field_in(const stat_field *f, stat_out o);
/* Whether component c of a set has per-component field f. */
bool stat_field_component_has(const stat_field *f, const component_decl *c);

/* A RUN or ROW field of summary row r as the text of a cell of output o
 * (summary.csv: numbers as %.9g, NaN empty, flags 0/1; summary.md: %.6g,
 * NaN as a dash, flags yes/no; or the field's own text()). */
void stat_cell_text(const stat_field *f, const struct report_row *r, stat_out o, char *buf,
                    size_t cap);
/* Where a RUN or ROW field of r lives (in r->s or in r itself). */
const void *stat_row_field(const stat_field *f, const struct report_row *r);

/* The README's column list, generated from the table (a Markdown table). */
void stat_fields_markdown(FILE *out);

#endif
