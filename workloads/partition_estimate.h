/* How big partition_build's program will be, computed from the dims alone
 * without building it: the dims allowed by the config reach programs of
 * tens of GB, which must be refused before a byte is allocated. Each
 * partitioner estimates its own program (partitioner.h), following what it
 * emits step by step; tests/unit/test_workloads_estimate.c holds every
 * estimate to the real builds. */
#ifndef MCUSIM_PARTITION_ESTIMATE_H
#define MCUSIM_PARTITION_ESTIMATE_H

#include <stdint.h>

#include "workload.h"

typedef struct program_size {
    /* Doubles: with dims at their maxima the counts pass 2^64 bytes. */
    double ops;             /* all chips, collectives not yet expanded */
    double collectives;     /* OP_REDUCE/OP_BCAST ops per chip (the most any chip takes part in) */
    double buffers;         /* all chips */
    double data_bytes;      /* tensor bytes of all buffers (allocated when functional) */
    double max_coll_bytes;  /* the largest buffer a collective or a transfer moves */
    /* Of buffers and data_bytes, the weights': what several inferences in
     * flight share (workload.in_flight), while the rest is per inference. */
    double weight_buffers, weight_bytes;
} program_size;

/* The program of w on n_chips chips with its partitioner (n_chips >= 1;
 * the chip count is not checked against the partitioner's limits here,
 * partition_build does that). An unknown partitioner, or no memory for the
 * model graph, estimates an infinite size, which any limit refuses. */
void partition_estimate(const workload_params *w, uint32_t n_chips, program_size *out);
/* The program of partition_reference (--check's 1-chip whole model). */
void partition_estimate_reference(const workload_params *w, program_size *out);

#endif
