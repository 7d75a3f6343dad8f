/* Shared by the test_workloads_* executables, which all check partitions the
 * same way: resolve a workload, run its N-chip program with real data, and
 * hold the output bit for bit to the model graph run whole on one chip; count what a program
 * holds; and compare each op's recorded work with what its kernel reports.
 * Header-only like test_models_fixture.h, so tests/CMakeLists.txt needs no
 * extra source per executable. */
#ifndef TEST_WORKLOADS_FIXTURE_H
#define TEST_WORKLOADS_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "test_model_dims.h"
#include "workload.h"

/* A shipped model with its published dims (test_model_dims.h), the
 * non-zero fields of *over (NULL: none) replacing the model's own; the
 * default partitioner (tensor) with its default parameters. */
static inline workload_params fx_workload(const char *model, int mode, uint64_t seq_len,
                                          uint64_t seed, const model_dims *over)
{
    workload_params w;
    memset(&w, 0, sizeof w);
    snprintf(w.model, sizeof w.model, "%s", model);
    w.mode = mode;
    w.seq_len = seq_len;
    w.seed = seed;
    CU_ASSERT_FATAL(tmd_published(model, &w.dims) == 0);
    if (over) tmd_overlay(&w.dims, over);
    return w;
}

/* The same workload with partitioner `name` (its parameters zeroed: their
 * defaults for the shipped entries). */
static inline workload_params fx_with_partitioner(workload_params w, const char *name)
{
    snprintf(w.partitioner, sizeof w.partitioner, "%s", name);
    memset(&w.partition, 0, sizeof w.partition);
    return w;
}

/* The N-chip program, with data if `functional`; NULL (reason on stderr) if
 * the partitioner refuses. */
static inline system_program *fx_build(const workload_params *w, uint32_t chips, bool functional)
{
    char err[512] = "";
    system_program *p = partition_build(w, chips, functional, err, sizeof err);
    if (!p) fprintf(stderr, "build %u chips: %s\n", chips, err);
    return p;
}

/* Runs a built program (NULL fails the test) with real data, calling
 * `hook` (may be NULL) before every op; returns a malloc'd copy of its
 * output (every chip's part in chip order: the root's activations, or the
 * logits slices) and its size, and destroys the program. */
static inline int8_t *fx_output_of(system_program *p, functional_hook hook, void *ctx,
                                   size_t *bytes)
{
    char err[512] = "";
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    int rc = functional_run_hooked(p, hook, ctx, err, sizeof err);
    if (rc) fprintf(stderr, "run: %s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    *bytes = system_program_output_bytes(p);
    int8_t *copy = malloc(*bytes ? *bytes : 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    CU_ASSERT_EQUAL_FATAL(system_program_output_copy(p, copy), 0);
    system_program_destroy(p);
    return copy;
}

/* The N-chip program's output (see fx_output_of). */
static inline int8_t *fx_run_out(const workload_params *w, uint32_t chips, functional_hook hook,
                                 void *ctx, size_t *bytes)
{
    return fx_output_of(fx_build(w, chips, true), hook, ctx, bytes);
}

/* The reference output (malloc'd): the model graph run whole on one chip
 * (partition_reference, what --check compares with), asserted to vary: an
 * output of one repeated value would make the equality checks below
 * meaningless. */
static inline int8_t *fx_reference_out(const workload_params *w, size_t *bytes)
{
    char err[512] = "";
    system_program *p = partition_reference(w, true, err, sizeof err);
    if (!p) fprintf(stderr, "reference: %s\n", err);
    int8_t *ref = fx_output_of(p, NULL, NULL, bytes);
    size_t distinct = 0;
    for (size_t i = 1; i < *bytes; i++) distinct += ref[i] != ref[0];
    CU_ASSERT(distinct > *bytes / 4);
    return ref;
}

/* Each chips[i]-chip run gives `ref` bit for bit. */
static inline void fx_check_same_out(const workload_params *w, const int8_t *ref, size_t ref_bytes,
                                     const uint32_t *chips, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t bytes;
        int8_t *out = fx_run_out(w, chips[i], NULL, NULL, &bytes);
        CU_ASSERT_EQUAL(bytes, ref_bytes);
        bool same = bytes == ref_bytes && memcmp(ref, out, ref_bytes) == 0;
        if (!same)
            fprintf(stderr, "%s (partitioner '%s'): %u chips differ from the whole model on 1 chip\n",
                    w->dims.name, w->partitioner, chips[i]);
        CU_ASSERT(same);
        free(out);
    }
}

/* The partitioner's 1-chip run and each chips[i]-chip run give the model
 * graph's output (the reference) bit for bit. */
static inline void fx_check_equal_over(const workload_params *w, const uint32_t *chips, size_t n)
{
    size_t b1;
    int8_t *ref = fx_reference_out(w, &b1);
    const uint32_t one = 1;
    fx_check_same_out(w, ref, b1, &one, 1);
    fx_check_same_out(w, ref, b1, chips, n);
    free(ref);
}

/* A functional_hook that flips one bit of chip `chip`'s partial just before
 * its `skip`-th reduction (0: the first), so a test can show the N-chip
 * output really depends on every chip's partial sums. */
typedef struct fx_corrupt_reduce {
    uint32_t chip, skip;
    bool done;
} fx_corrupt_reduce;

static inline void fx_corrupt_reduce_hook(system_program *p, uint32_t chip, uint32_t op, void *vctx)
{
    fx_corrupt_reduce *ctx = vctx;
    const prog_op *o = &p->chips[chip].ops[op];
    if (ctx->done || chip != ctx->chip || o->kind != OP_REDUCE) return;
    if (ctx->skip--) return;
    ((uint8_t *)p->chips[chip].bufs[o->in[0]].data)[1] ^= 0x40;
    ctx->done = true;
}

/* Bytes of every buffer with `role`, over all chips. */
static inline uint64_t fx_role_bytes(const system_program *p, buf_role role)
{
    uint64_t s = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t b = 0; b < p->chips[c].n_bufs; b++)
            if (p->chips[c].bufs[b].role == role) s += prog_buffer_bytes(&p->chips[c].bufs[b]);
    return s;
}

static inline uint32_t fx_count_kind(const chip_program *c, op_kind k)
{
    uint32_t n = 0;
    for (uint32_t o = 0; o < c->n_ops; o++) n += c->ops[o].kind == k;
    return n;
}

/* Weight bytes of a llama model counted independently of the partitioner:
 * q and o projections (n_heads wide), k and v (n_kv_heads wide), three FFN
 * matrices and two norm gammas per block, plus the final norm (int8
 * throughout). */
static inline uint64_t fx_llama_weight_bytes(const model_dims *d)
{
    uint64_t E = d->dim, HP = d->n_heads * d->head_dim, KP = d->n_kv_heads * d->head_dim;
    return d->n_layers * (2 * E * HP + 2 * E * KP + 3 * E * d->ffn_hidden + 2 * E) + E;
}

/* Every compute op of c (built with data) records the work its kernel
 * reports when executed; returns how many ops were checked. */
static inline uint32_t fx_check_work_matches_kernels(chip_program *c)
{
    char err[256];
    uint32_t checked = 0;
    for (uint32_t o = 0; o < c->n_ops; o++) {
        const prog_op *op = &c->ops[o];
        if (!op_is_compute(op->kind)) continue;
        op_work done;
        CU_ASSERT_EQUAL_FATAL(exec_compute_op_work(c, op, &done, err, sizeof err), 0);
        if (memcmp(&done, &op->work, sizeof done) != 0)
            fprintf(stderr, "work mismatch at %s (%s)\n", op->label, op_kind_name(op->kind));
        CU_ASSERT(memcmp(&done, &op->work, sizeof done) == 0);
        checked++;
    }
    return checked;
}

#endif
