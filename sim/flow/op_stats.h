/* Per-op statistics (`--stats ops`): what every executed op of every chip
 * cost, collected by the engine while it books the run (sim/systemc/
 * chip_module.cpp) and handed back in run_stats as plain C records, so the
 * writers (ops.csv, the "top ops" tables) never reach into the engine.
 *
 * The rows of one chip tile its timeline: each row is the stretch
 * [start_cycle, end_cycle) the engine booked while the chip was at that op
 * (the waits before it included: for a receive the wait for its message,
 * before an op that overwrites a buffer still on the wire the wait for that
 * transfer), split per component exactly as the chip's critical path
 * (time_cycles). Three kinds of rows close the books:
 *   drain   the wait at the program's end for its last transfers to land;
 *   tail    the chip finished, the others still ran (up to the makespan);
 *   static  the power drawn whatever the chip does (leakage, always-on
 *           clocks, off-chip standby) over the whole run: energy only,
 *           added after the simulation (no cycles of its own).
 * So per chip the rows' time_cycles add up to chip_stats.time_cycles (and
 * their cycles to the run's cycles), their energies to chip_stats.energy_j,
 * their bytes at the off-chip level to offchip_bytes and their link bytes
 * to link_bytes_sent / link_wire_bytes_sent (op_stats_check). A send's row
 * carries the energy and bytes of its transfer; the transfer's wire time
 * is on the chip's path only where the chip waited for it (the row of the
 * op that waited, or drain). */
#ifndef MCUSIM_OP_STATS_H
#define MCUSIM_OP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../core/component.h"
#include "../../core/program.h"

typedef enum op_row_kind {
    OP_ROW_OP,        /* an op of the chip's program */
    OP_ROW_DRAIN,     /* end of program: waiting for the last transfers */
    OP_ROW_TAIL,      /* finished; waiting for the other chips to finish */
    OP_ROW_STATIC,    /* always-on power over the run (energy only) */
    OP_ROW__COUNT
} op_row_kind;

#define OP_LABEL_MAX 48

typedef struct op_record {
    uint32_t chip;
    op_row_kind row;
    uint32_t index;                        /* position in the chip's program (OP_ROW_OP) */
    op_kind kind;                          /* OP_ROW_OP only */
    char label[OP_LABEL_MAX];
    uint64_t start_cycle, end_cycle;       /* the stretch of the chip's timeline */
    uint64_t time_cycles[COMPONENTS_MAX];  /* its critical-path split; sums to end - start */
    double energy_j[COMPONENTS_MAX];       /* dynamic (static: the always-on power x latency) */
    uint64_t bytes[MEM_LEVELS_MAX];        /* moved at each memory level */
    uint64_t link_bytes, link_wire_bytes;  /* a send's payload, and what went on the wire */
} op_record;

/* "op", "drain", "tail", "static". Inline: a timing backend labels the
 * rows it books and calls nothing of the flow. */
static inline const char *op_row_kind_name(op_row_kind k)
{
    static const char *const names[OP_ROW__COUNT] = {"op", "drain", "tail", "static"};
    return (unsigned)k < OP_ROW__COUNT ? names[k] : "?";
}
/* The `kind` column of a row: the op's kind, or the row kind. */
const char *op_record_kind(const op_record *r);
/* The block an op belongs to, read from the label convention of the
 * partitioners ("b3.attn.wq": block 3); -1 when the label names none. */
int op_record_block(const op_record *r);
/* The component with the most critical-path cycles in the row (the first
 * declared on a tie), or -1 for a row without cycles. */
int op_record_bound(const op_record *r, const component_set *cs);

struct run_stats;

/* Appends one static row per chip (energy = always_w[chip] x latency_s,
 * what mcusim_simulate adds to each chip after the run: each chip its own
 * node's) and sorts the rows by chip, keeping each chip's order. -1 when
 * out of memory (the rows are then dropped: s->ops NULL). */
int op_stats_add_static(struct run_stats *s, const double (*always_w)[COMPONENTS_MAX]);

/* The books close: for every chip the rows are contiguous from cycle 0 to
 * the run's cycles, each row's time_cycles add up to its stretch, and the
 * sums per component equal the chip's time_cycles, energy_j (to rounding),
 * its off-chip bytes and its link bytes. 0, or -1 with one line in why. */
int op_stats_check(const struct run_stats *s, char *why, size_t cap);

/* The ops that take the most time, grouped by what they compute: the
 * label without its block and head ("b3.h2.wq" -> "wq"), without the peer
 * of a collective step ("b0.attn.reduce<4" -> "attn.reduce"), and the
 * kind; drain and tail rows group by their kind. */
typedef struct op_group {
    char name[OP_LABEL_MAX];
    const char *kind;
    uint32_t count;                         /* rows in the group, over chips and blocks */
    uint64_t cycles;                        /* summed over chips */
    uint64_t time_cycles[COMPONENTS_MAX];
    double energy_j;                        /* dynamic, summed over chips and components */
    int bound;                              /* component with most cycles, or -1 */
} op_group;

/* Up to max groups of s, by cycles (then name); returns how many. The
 * share of the run is cycles / (chips x s->cycles). */
size_t op_stats_top(const struct run_stats *s, op_group *out, size_t max);

#endif
