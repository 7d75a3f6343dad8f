/* Shared bits of the fuzz harnesses and their regression driver. */
#ifndef MCUSIM_FUZZ_COMMON_H
#define MCUSIM_FUZZ_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken oracle is a finding: abort so libFuzzer saves the input and the
 * regression driver fails loudly. */
static inline void fuzz_die(const char *why)
{
    fprintf(stderr, "fuzz oracle: %s\n", why);
    abort();
}

static inline int mkdir_p(const char *dir)
{
    return (mkdir(dir, 0700) == 0 || errno == EEXIST) ? 0 : -1;
}

#endif
