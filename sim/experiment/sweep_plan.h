/* The points of a sweep: every chip count times every combination of the
 * --sweep values (the grid), or a list of points (an exploration's sample),
 * in a fixed order, and the id that names each
 * point's file. Pure data: the sweep runner (sim/run/) runs the points,
 * the point files and sweep.json (sim/report/) name them by it. */
#ifndef MCUSIM_SWEEP_PLAN_H
#define MCUSIM_SWEEP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWEEP_MAX_AXES 8
#define SWEEP_MAX_VALUES 64
#define SWEEP_VALUE_MAX 96

typedef struct sweep_axis {
    char key[128];
    char values[SWEEP_MAX_VALUES][SWEEP_VALUE_MAX];
    size_t n;
} sweep_axis;

/* "key.path=v1,v2,v3" -> axis. -1 with a message on a malformed text. */
int sweep_axis_parse(const char *text, sweep_axis *out, char *err, size_t errlen);

struct sweep_point;

typedef struct sweep_plan {
    const uint64_t *chips;
    size_t n_chips;
    const sweep_axis *axes;
    size_t n_axes;
    /* A plan that is a list rather than the whole grid (an exploration
     * samples it): n_listed points, point i filled in by listed() with
     * everything but its index. NULL: chips x every combination of axes. */
    void (*listed)(const void *ctx, size_t i, struct sweep_point *out);
    const void *listed_ctx;
    size_t n_listed;
} sweep_plan;

typedef struct sweep_point {
    size_t index;                 /* grid_index * n_chips + chip position */
    uint32_t chips;
    uint32_t grid_index;          /* mixed radix over axes, last axis fastest */
    char id[32];                  /* file name stem: c0004, or g002-c0004 with a grid */
    char sweep[256];              /* "key=v;key=v", empty without a grid */
    char assign[SWEEP_MAX_AXES][256];   /* "key=v", for --set style overrides */
    size_t n_assign;
} sweep_point;

size_t sweep_plan_size(const sweep_plan *p);
/* The point file stem: c0004, or g002-c0004 for grid combination 2. */
void sweep_point_id(uint32_t chips, uint32_t grid_index, bool has_grid, char *buf, size_t cap);
void sweep_plan_point(const sweep_plan *p, size_t index, sweep_point *out);

#endif
