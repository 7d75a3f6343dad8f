/* --check: the simulated output against the whole model computed on one
 * chip in plain C (see flow_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_internal.h"

static int fail(char *err, size_t errlen, const char *what, const char *why)
{
    snprintf(err, errlen, "%s%s", what, why);
    return 1;
}

/* Where two outputs first differ, named by the N-chip part it falls in
 * (the logits slices of a vocab-sliced LM head live on every chip). */
static void describe_mismatch(const system_program *p, const uint8_t *want, const uint8_t *got,
                              size_t n_want, size_t n_got, char *err, size_t errlen)
{
    if (n_want != n_got) {
        snprintf(err, errlen, "--check: %u-chip output has %zu bytes, the 1-chip run %zu",
                 p->n_chips, n_got, n_want);
        return;
    }
    size_t at = 0;
    while (at < n_want && want[at] == got[at]) at++;
    size_t start = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        const prog_buffer *b = system_program_output_part(p, c);
        if (!b) continue;
        size_t len = prog_buffer_bytes(b);
        if (at < start + len) {
            snprintf(err, errlen,
                     "--check: %u-chip output differs from the 1-chip run at byte %zu of %zu "
                     "(chip %u's '%s', byte %zu)",
                     p->n_chips, at, n_want, c, b->name, at - start);
            return;
        }
        start += len;
    }
}

/* Both outputs whole: every chip's part in chip order (the root's
 * activations, or the logits slices of every chip). */
static int compare_outputs(const system_program *ref, const system_program *p, bool *passed,
                           char *err, size_t errlen)
{
    size_t n_want = system_program_output_bytes(ref), n_got = system_program_output_bytes(p);
    uint8_t *want = malloc(n_want ? n_want : 1), *got = malloc(n_got ? n_got : 1);
    int rc = 0;
    if (!want || !got) {
        rc = fail(err, errlen, "--check: ", "out of memory");
    } else if (system_program_output_copy(ref, want) != 0 ||
               system_program_output_copy(p, got) != 0) {
        rc = fail(err, errlen, "--check: ", "an output part holds no data");
    } else {
        *passed = n_want == n_got && n_want > 0 && memcmp(want, got, n_want) == 0;
        if (!*passed) {
            describe_mismatch(p, want, got, n_want, n_got, err, errlen);
            rc = 1;
        }
    }
    free(want);
    free(got);
    return rc;
}

/* The reference: the whole model run on one chip functionally, from its
 * model graph (partition_reference: the replicate partitioner's 1-chip
 * program, whatever partitioner is simulated). */
int flow_check_against_one_chip(const experiment *e, const system_program *p, bool *passed,
                                char *err, size_t errlen)
{
    char why[256] = "";
    system_program *ref = partition_reference(&e->workload, true, why, sizeof why);
    if (!ref) return fail(err, errlen, "--check: 1-chip program: ", why);
    int rc = functional_run(ref, why, sizeof why) != 0
                 ? fail(err, errlen, "--check: 1-chip functional run: ", why)
                 : compare_outputs(ref, p, passed, err, errlen);
    system_program_destroy(ref);
    return rc;
}
