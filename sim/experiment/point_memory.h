/* The memory one simulated point will take, estimated before anything is
 * built, and the limit it is held to (`--max-memory`). The dims a config
 * allows reach programs of many GB and hours of building; a run that cannot
 * fit is refused up front with the estimate, instead of swapping for minutes
 * and being killed. */
#ifndef MCUSIM_POINT_MEMORY_H
#define MCUSIM_POINT_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "experiment.h"

typedef struct point_memory {
    double program_bytes;   /* ops and buffer tables (collectives expanded), growth slack */
    double tensor_bytes;    /* buffer contents, functional only */
    double check_bytes;     /* the 1-chip reference program of --check */
    double engine_bytes;    /* SystemC modules and thread stacks, in-flight payloads, trace */
    double total_bytes;
} point_memory;

/* Estimate for e on `chips` chips. */
void point_memory_estimate(const experiment *e, uint32_t chips, bool functional, bool check,
                           bool trace, point_memory *out);

/* Half the physical memory, shared by `jobs` processes running at once
 * (jobs >= 1); 0 when the system does not say. */
uint64_t point_memory_default_limit(unsigned jobs);

/* 0 when the estimate is within max_bytes (0 = no limit); otherwise -1 and
 * one line in err: "needs about 14.2 GiB (tensors 13.9 GiB, program ...),
 * more than the 4 GiB --max-memory allows". */
int point_memory_check(const experiment *e, uint32_t chips, bool functional, bool check,
                       bool trace, uint64_t max_bytes, char *err, size_t errlen);

#endif
