/* Inside collectives/: the state behind collective_steps (collective.h),
 * shared by the emission functions (steps.c) and the expansion driver
 * (expand.c). Entries never see it. */
#ifndef MCUSIM_STEPS_INTERNAL_H
#define MCUSIM_STEPS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collective.h"

/* One collective of a program, as every chip of its group wrote it. Rank r
 * is chip first + (r + root_off) mod n: the whole system is first 0, n
 * chips, root_off the program's root; a group (prog_op.group_*) is its own
 * chips rooted at its first. */
typedef struct collective_site {
    collective c;          /* what the entry sees */
    uint32_t id;           /* prog_op.collective of the op */
    uint64_t offset;       /* first byte within the buffer */
    char label[48];
    uint32_t first, n, root_off;
    uint32_t inference;    /* prog_op.inference of the op: its steps' */
    int32_t *buf;          /* the buffer id on each chip (of the program) */
} collective_site;

/* A growable list of ops: one chip's steps of one collective. */
typedef struct step_list {
    prog_op *v;
    size_t n, cap;
} step_list;

struct collective_steps {
    const collective_site *site;   /* the collective being expanded (its ranks) */
    step_list *per_chip;           /* one list per chip of the program (not rank) */
    /* the algorithm's levels, to mark each transfer (NULL: none) */
    uint32_t (*pair_level)(const void *params, uint32_t a, uint32_t b);
    const void *params;
    uint32_t next_tag;
    bool failed;                   /* out of memory: the expansion fails */
    bool bad_step;                 /* the entry named a rank or bytes outside the collective */
};

/* Consecutive accumulating receives into the same bytes (a leader summing
 * its group) keep the running sum in L1 between them: the generic pass
 * after every expansion, whatever the algorithm. */
void collective_mark_running_sums(chip_program *c);

#endif
