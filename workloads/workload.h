/* Workload description (model dimensions + run mode) and the entry points
 * that turn it into per-chip programs and execute them functionally. */
#ifndef MCUSIM_WORKLOAD_H
#define MCUSIM_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/param_spec.h"
#include "../core/program.h"

typedef enum model_arch { ARCH_LLAMA, ARCH_MOBILEBERT } model_arch;
typedef enum run_mode { MODE_AUTOREGRESSIVE, MODE_PROMPT } run_mode;

typedef struct model_dims {
    char name[64];
    int arch;               /* model_arch (int: bound as PARAM_ENUM) */
    uint64_t dim;           /* E: embedding / hidden size */
    uint64_t n_layers;      /* Transformer blocks */
    uint64_t n_heads;       /* H */
    uint64_t n_kv_heads;    /* = n_heads unless grouped-query */
    uint64_t head_dim;      /* P */
    uint64_t ffn_hidden;    /* FFN inner size */
    uint64_t vocab;
    uint64_t max_seq;
    uint64_t bottleneck;    /* MobileBERT intra-block size (0 for llama) */
    uint64_t n_ffn;         /* stacked FFNs per block (1 for llama, 4 MobileBERT) */
} model_dims;

typedef struct workload_params {
    char model[PARAM_STRING_MAX];  /* built-in name: tinyllama-42m, stories15m, mobilebert, or "custom" */
    model_dims dims;               /* resolved dims (built-in, then `dims:` overrides) */
    int mode;                      /* run_mode */
    uint64_t seq_len;              /* prompt length S, or KV-cache length in autoregressive mode */
    uint64_t seed;                 /* weights and inputs are pseudo-random int8 from it */
    int ffn_split;                 /* ffn_split_policy (llama): how FFN columns go to chips */
    uint64_t blocks;               /* Transformer blocks simulated, the first N; 0 = all of
                                      n_layers (the loader always writes the count) */
    bool head;                     /* llama: embedding lookup before the blocks and the LM
                                      head after the final norm, vocab sliced over chips */
} workload_params;

/* even (0, the default): FFN columns split evenly whatever the heads, which
 * keeps the FFN phase (every chip works on it) as short as possible.
 * balanced: chips holding fewer heads (none, when there are more chips than
 * heads) take more FFN columns, so every chip holds about the same weight and
 * KV-cache bytes, which can make shares fit L2 at a lower chip count, at the
 * price of a longer FFN phase on the chips that took more. With equal head
 * counts both are the same split. */
typedef enum ffn_split_policy { FFN_SPLIT_EVEN, FFN_SPLIT_BALANCED } ffn_split_policy;

/* Parameter tables for config binding. `workload:` keys other than `dims`
 * come from workload_param_specs; `workload.dims` from model_dims_specs. */
extern const param_spec workload_param_specs[];
extern const size_t workload_param_count;
extern const param_spec model_dims_specs[];
extern const size_t model_dims_count;

/* Fills dims with a built-in model; -1 if unknown. */
int model_dims_builtin(const char *name, model_dims *dims);
extern const char *const model_builtin_names[]; /* NULL-terminated */

/* Overlays a `dims:` block bound with model_dims_specs onto base: every
 * non-zero field replaces the base value; arch only when take_arch (model:
 * custom). n_kv_heads follows n_heads unless given. */
void model_dims_overlay(model_dims *base, const model_dims *over, bool take_arch);

/* Fills w->dims from w->model (built-in, or zeroes for "custom") and then
 * overlays `over` (may be NULL). -1 with a message for an unknown model. */
int workload_resolve(workload_params *w, const model_dims *over, char *err, size_t errlen);

/* Cross-field checks after binding (head_dim*heads vs dim rules, seq_len <=
 * max_seq, ...). Returns 0 or -1 with a message naming the key. */
int workload_check(const workload_params *w, char *err, size_t errlen);

/* Blocks simulated: w->blocks, or all n_layers when it is 0. */
uint32_t workload_blocks(const workload_params *w);
/* blocks must be 1..n_layers: 0, or -1 with a message "blocks: ..." naming
 * the model's n_layers. */
int workload_check_blocks(uint64_t blocks, const model_dims *d, char *err, size_t errlen);

/* What one simulated inference covers, stated in every summary: "one
 * token; 8 of 8 blocks; no LM head", "128-token prompt; 8 of 8 blocks;
 * embedding + LM head (last position)", "128-token sequence; 24 of 24
 * blocks" (MobileBERT: its task heads are out of scope). Semicolons, not
 * commas, so summary.csv stays splittable on commas (like `sweep`). */
#define WORKLOAD_SCOPE_MAX 128
void workload_scope(const workload_params *w, char *buf, size_t cap);

/* Builds the N-chip tensor-parallel program. Emits OP_REDUCE/OP_BCAST
 * collectives (not yet expanded). Returns NULL with a message when the model
 * cannot be partitioned as asked (e.g. more chips than heads). */
system_program *partition_build(const workload_params *w, uint32_t n_chips, bool functional,
                                char *err, size_t errlen);

/* Executes one compute op on its chip's buffers (no timing). */
int exec_compute_op(chip_program *c, const prog_op *op, char *err, size_t errlen);
/* As exec_compute_op, also returning the work the kernels reported. */
int exec_compute_op_work(chip_program *c, const prog_op *op, op_work *done, char *err,
                         size_t errlen);

/* Runs a whole (expanded) system program functionally without SystemC:
 * chips step in lock-step, sends are delivered to matching receives.
 * Detects deadlock (every chip blocked) as an error. */
int functional_run(system_program *p, char *err, size_t errlen);

/* As functional_run, calling hook(p, chip, op_index, ctx) just before a chip
 * executes each op (tests use it to inject faults). hook may be NULL. */
typedef void (*functional_hook)(system_program *p, uint32_t chip, uint32_t op_index, void *ctx);
int functional_run_hooked(system_program *p, functional_hook hook, void *ctx, char *err,
                          size_t errlen);

/* The work a compute op does, by the same formulas as the kernels' own
 * accounting (tests check the two agree); c supplies buffer types. */
op_work op_work_of(const chip_program *c, const prog_op *op);

#endif
