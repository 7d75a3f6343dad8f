/* Inside collectives/: the state behind collective_steps (collective.h),
 * shared by the emission functions (steps.c) and the expansion driver
 * (expand.c). Entries never see it. */
#ifndef MCUSIM_STEPS_INTERNAL_H
#define MCUSIM_STEPS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collective.h"

/* One collective of a program, as every chip wrote it. */
typedef struct collective_site {
    collective c;          /* what the entry sees */
    uint32_t id;           /* prog_op.collective of the op */
    uint64_t offset;       /* first byte within the buffer */
    char label[48];
    int32_t *buf;          /* the buffer id on each chip */
} collective_site;

/* A growable list of ops: one chip's steps of one collective. */
typedef struct step_list {
    prog_op *v;
    size_t n, cap;
} step_list;

struct collective_steps {
    uint32_t n, root;
    const collective_site *site;   /* the collective being expanded */
    step_list *per_chip;           /* n lists, indexed by chip (not rank) */
    uint32_t next_tag;
    bool failed;                   /* out of memory: the expansion fails */
    bool bad_step;                 /* the entry named a rank or bytes outside the collective */
};

/* Consecutive accumulating receives into the same bytes (a leader summing
 * its group) keep the running sum in L1 between them: the generic pass
 * after every expansion, whatever the algorithm. */
void collective_mark_running_sums(chip_program *c);

#endif
