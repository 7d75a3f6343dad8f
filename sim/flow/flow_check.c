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
 * (the logits slices of a vocab-sliced LM head live on every chip) and,
 * with several inferences in flight, by the inference. */
static void describe_mismatch(const system_program *p, uint32_t k, const uint8_t *want,
                              const uint8_t *got, size_t n_want, size_t n_got, char *err,
                              size_t errlen)
{
    char which[48] = "";
    if (p->inferences > 1) snprintf(which, sizeof which, " of in-flight inference %u", k);
    if (n_want != n_got) {
        snprintf(err, errlen, "--check: %u-chip output%s has %zu bytes, the 1-chip run %zu",
                 p->n_chips, which, n_got, n_want);
        return;
    }
    size_t at = 0;
    while (at < n_want && want[at] == got[at]) at++;
    size_t start = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        const prog_buffer *b = system_program_output_part_of(p, k, c);
        if (!b) continue;
        size_t len = prog_buffer_bytes(b);
        if (at < start + len) {
            snprintf(err, errlen,
                     "--check: %u-chip output%s differs from the 1-chip run at byte %zu of %zu "
                     "(chip %u's '%s', byte %zu)",
                     p->n_chips, which, at, n_want, c, b->name, at - start);
            return;
        }
        start += len;
    }
}

/* Both outputs of inference k whole: every chip's part in chip order (the
 * root's activations, or the logits slices of every chip). */
static int compare_outputs(const system_program *ref, const system_program *p, uint32_t k,
                           bool *passed, char *err, size_t errlen)
{
    size_t n_want = system_program_output_bytes(ref);
    size_t n_got = system_program_output_bytes_of(p, k);
    uint8_t *want = malloc(n_want ? n_want : 1), *got = malloc(n_got ? n_got : 1);
    int rc = 0;
    if (!want || !got) {
        rc = fail(err, errlen, "--check: ", "out of memory");
    } else if (system_program_output_copy(ref, want) != 0 ||
               system_program_output_copy_of(p, k, got) != 0) {
        rc = fail(err, errlen, "--check: ", "an output part holds no data");
    } else {
        *passed = n_want == n_got && n_want > 0 && memcmp(want, got, n_want) == 0;
        if (!*passed) {
            describe_mismatch(p, k, want, got, n_want, n_got, err, errlen);
            rc = 1;
        }
    }
    free(want);
    free(got);
    return rc;
}

/* The reference of inference k: the whole model run on one chip
 * functionally, from its model graph, with that inference's own input and
 * KV cache (partition_reference_of: the replicate partitioner's 1-chip
 * program, whatever partitioner is simulated). */
static int check_one(const experiment *e, const system_program *p, uint32_t k, bool *passed,
                     char *err, size_t errlen)
{
    char why[256] = "";
    system_program *ref = partition_reference_of(&e->workload, k, true, why, sizeof why);
    if (!ref) return fail(err, errlen, "--check: 1-chip program: ", why);
    int rc = functional_run(ref, why, sizeof why) != 0
                 ? fail(err, errlen, "--check: 1-chip functional run: ", why)
                 : compare_outputs(ref, p, k, passed, err, errlen);
    system_program_destroy(ref);
    return rc;
}

/* Every in-flight inference against its own reference; the first that
 * differs is the one reported. */
int flow_check_against_one_chip(const experiment *e, const system_program *p, bool *passed,
                                char *err, size_t errlen)
{
    *passed = true;
    for (uint32_t k = 0; k < (p->inferences ? p->inferences : 1); k++) {
        bool ok = false;
        int rc = check_one(e, p, k, &ok, err, errlen);
        if (rc || !ok) {
            *passed = false;
            return rc ? rc : 1;
        }
    }
    return 0;
}
