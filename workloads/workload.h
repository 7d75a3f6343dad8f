/* Workload description (model dimensions, partitioner, run mode) and the
 * entry points that turn it into per-chip programs and execute them
 * functionally. */
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

/* A partitioner's own parameters (workload.partition), bound through its
 * registry entry's param table: stored inline so a workload stays a plain
 * value to copy. Each entry's params_size must fit (the registry test
 * checks). */
#define PARTITION_PARAMS_MAX 256
typedef union partition_params {
    max_align_t align_;
    unsigned char bytes[PARTITION_PARAMS_MAX];
} partition_params;

/* What one chip brings to a split that balances by capacity (the tensor
 * partitioner's balance: capacity), as its node states it: a speed (MAC/s
 * of the engine its GEMMs run on; only ratios between chips count) and the
 * bytes of weights and KV cache it holds on chip. */
typedef struct chip_capacity {
    double speed;
    uint64_t hold_bytes;
} chip_capacity;

typedef struct workload_params {
    /* As written: a model name (configs/models/NAME.yaml), a model file of
     * one's own (made absolute by the loader), or "custom" (dims inline). */
    char model[PARAM_STRING_MAX];
    char partitioner[PARAM_STRING_MAX]; /* registry name (partitioner.h); "" = the default */
    partition_params partition;    /* the partitioner's parameters */
    model_dims dims;               /* resolved dims (model file, then `dims:` overrides) */
    int mode;                      /* run_mode */
    uint64_t seq_len;              /* prompt length S, or KV-cache length in autoregressive mode */
    uint64_t seed;                 /* weights and inputs are pseudo-random int8 from it */
    uint64_t blocks;               /* Transformer blocks simulated, the first N; 0 = all of
                                      n_layers (the loader always writes the count) */
    bool head;                     /* llama: embedding lookup before the blocks and the LM
                                      head after the final norm, vocab sliced over chips */
    /* Not a `workload:` key: where the system's collective leaves an
     * all-chip sum (system.topology's entry declares it; the loader copies
     * it here). REDUCE_ON_ROOT (a zeroed workload): a partitioner reduces
     * onto the root, which computes from the sum and broadcasts;
     * REDUCE_ON_ALL: it all-reduces and every chip computes from the sum. */
    reduce_result reductions;
    /* Independent inferences in the system at once (0 reads as 1):
     * autoregressive sequences or prompts, entering back to back. Each
     * has its own input, KV cache and activations (inference k's data are
     * drawn from workload_data_seed(w, k)); the weights are shared. */
    uint64_t in_flight;
    /* Not a `workload:` key either: per chip of the point being built
     * (n_chips entries, from each chip's node, set by the point plan on
     * its own copy of the workload), or NULL: every chip alike. Only a
     * split that balances by capacity reads it. */
    const chip_capacity *capacity;
} workload_params;

#define WORKLOAD_IN_FLIGHT_MAX 256ULL
/* w->in_flight, 1 when 0. */
uint32_t workload_in_flight(const workload_params *w);
/* The seed of inference k's input, KV cache and token ids: w->seed + k, so
 * inference 0 is the single inference of in_flight 1. Weights always draw
 * from w->seed. */
uint64_t workload_data_seed(const workload_params *w, uint32_t inference);

/* Parameter tables for config binding. `workload:` keys other than `dims`
 * and `partition` come from workload_param_specs; `workload.dims` (and a
 * model file) from model_dims_specs. */
extern const param_spec workload_param_specs[];
extern const size_t workload_param_count;
extern const param_spec model_dims_specs[];
extern const size_t model_dims_count;

/* The model's own rules, whatever the workload: every size set, RoPE's
 * even head_dim, MobileBERT's bottleneck = heads·head_dim, supported K/V
 * heads. 0, or -1 with a message starting with the key ("head_dim: ..."). */
int model_dims_check(const model_dims *d, char *err, size_t errlen);

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

/* Builds the N-chip program with the workload's partitioner
 * (w->partitioner, partitioner.h). Emits OP_REDUCE/OP_BCAST collectives, or
 * OP_ALLREDUCE as w->reductions says (not yet expanded). Returns NULL with
 * a message when the model cannot be partitioned as asked (e.g. more chips
 * than the partitioner can use). */
system_program *partition_build(const workload_params *w, uint32_t n_chips, bool functional,
                                char *err, size_t errlen);
/* Whether w's partitioner splits w over n_chips at all (its own limits,
 * after the workload's rules), without building anything: 0, or -1 with
 * the partitioner's reason ("pipeline: 8 blocks cannot be split over 16
 * chips ..."). */
int partition_check(const workload_params *w, uint32_t n_chips, char *err, size_t errlen);
/* Whether w's partitioner reads w->capacity (partitioner_ops.reads_capacity):
 * its programs then depend on the chips' nodes too. */
bool partition_reads_capacity(const workload_params *w);

/* The reference of --check: the whole model computed on one chip from its
 * model graph (the `replicate` partitioner's program at 1 chip), whatever
 * partitioner w names; one inference, with the data of inference 0. */
system_program *partition_reference(const workload_params *w, bool functional, char *err,
                                    size_t errlen);
/* The same with the data of inference `inference` of w's in_flight
 * (workload_data_seed): what that in-flight inference must output. */
system_program *partition_reference_of(const workload_params *w, uint32_t inference,
                                       bool functional, char *err, size_t errlen);

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
