/* How big partition_build's program will be, computed from the dims alone
 * without building it: the dims allowed by the config reach programs of
 * tens of GB, which must be refused before a byte is allocated. The
 * formulas follow partition_llama.c and partition_mobilebert.c step by step;
 * tests/unit/test_workloads_estimate.c holds them to the real builds. */
#ifndef MCUSIM_PARTITION_ESTIMATE_H
#define MCUSIM_PARTITION_ESTIMATE_H

#include <stdint.h>

#include "workload.h"

typedef struct program_size {
    /* Doubles: with dims at their maxima the counts pass 2^64 bytes. */
    double ops;             /* all chips, collectives not yet expanded */
    double collectives;     /* OP_REDUCE/OP_BCAST ops per chip (each chip takes part in all) */
    double buffers;         /* all chips */
    double data_bytes;      /* tensor bytes of all buffers (allocated when functional) */
    double max_coll_bytes;  /* the largest buffer a collective moves */
} program_size;

/* The program of w on n_chips chips (n_chips >= 1; the chip count is not
 * checked against the heads here, partition_build does that). */
void partition_estimate(const workload_params *w, uint32_t n_chips, program_size *out);

#endif
