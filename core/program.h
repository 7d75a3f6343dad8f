/* The per-chip program IR: the single thing the node model (models/), the
 * collective scheduler (collectives/) and the SystemC layer (sim/) consume.
 *
 * A system_program holds one chip_program per chip. A chip program is a flat
 * list of typed ops over a table of buffers. Every buffer carries real bytes
 * when the program is functional (data != NULL) and only its shape in
 * timing-only mode; ops and costs are identical in both modes.
 *
 * Life of a program:
 *   partition_build()   (workloads/)    emits compute ops + OP_REDUCE/OP_BCAST
 *                                       (OP_ALLREDUCE when the collective
 *                                       ends its sums on every chip)
 *   topology_expand()   (collectives/)  rewrites the collectives into
 *                                       OP_SEND/OP_RECV steps between chips
 *   node_place()        (models/)       sets each buffer's home level (one
 *                                       the node model declares); ops reading
 *                                       an off-chip buffer pay the stream in
 *                                       their own cost
 *   simulation          (sim/ or functional_run()) walks the ops.
 */
#ifndef MCUSIM_PROGRAM_H
#define MCUSIM_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum dtype { DT_I8, DT_U8, DT_I32 } dtype;
size_t dtype_size(dtype t);

/* Where a buffer lives: an index into the memory levels its node model
 * declares (models/: L1, L2, an off-chip RAM, a weight memory...), so a node
 * with other levels needs no edit here. MEM_LEVEL_NONE until node_place()
 * homes it. At most MEM_LEVELS_MAX levels. */
typedef uint8_t mem_level;
#define MEM_LEVELS_MAX 8
#define MEM_LEVEL_NONE ((mem_level)0xff)
#define MEM_LEVEL_NAME_MAX 16

typedef struct mem_level_decl {
    char name[MEM_LEVEL_NAME_MAX];   /* "L2": dumps and placement reports */
    bool off_chip;                   /* a device beside the MCU, not on its die */
} mem_level_decl;

typedef struct mem_level_set {
    uint32_t n;
    mem_level_decl v[MEM_LEVELS_MAX];
} mem_level_set;

/* The level's name in `levels`, or "?" (also when levels is NULL). */
const char *mem_level_name(const mem_level_set *levels, mem_level m);
/* Levels of at most MEM_LEVELS_MAX, named with 1..15 characters of
 * [A-Za-z0-9_] and unique. 0, or -1 with one line in why. */
int mem_level_set_check(const mem_level_set *levels, char *why, size_t len);

typedef enum buf_role {
    BUF_WEIGHT,      /* constant parameters (int8 weights, int32 biases, norm gammas) */
    BUF_KV_CACHE,    /* persistent per-chip K/V of its own heads */
    BUF_ACTIVATION,  /* transient activations */
    BUF_PARTIAL,     /* int32 partial sums exchanged by collectives */
    BUF_RESIDUAL     /* the residual stream, held where reductions land */
} buf_role;
const char *buf_role_name(buf_role r);

typedef struct prog_buffer {
    char name[48];          /* "b3.wq", "b3.attn_partial" */
    dtype type;
    uint32_t rows, cols;    /* logical 2-D shape, row-major */
    buf_role role;
    mem_level home;         /* where it lives; set by node_place(), MEM_LEVEL_NONE before */
    void *data;             /* rows*cols*dtype_size bytes, or NULL in timing-only */
} prog_buffer;

static inline size_t prog_buffer_bytes(const prog_buffer *b)
{
    return (size_t)b->rows * b->cols * dtype_size(b->type);
}

typedef enum op_kind {
    /* compute (executed by workloads/exec.c on the chip's own buffers) */
    OP_GEMM,        /* out[m×n] i32 (+)= in0[m×k] i8 · in1 (k×n, or n×k if trans_b) i8 */
    OP_REQUANT,     /* out i8 = requant(in0 i32 [+ in1]): optional in1 is an int32
                       bias row (1×n) added to every row before the rescale */
    OP_SOFTMAX,     /* out u8 rows = softmax(in0 i32 scores · scale), causal mask */
    OP_NORM,        /* out i8 = norm(in0) with gamma/beta buffers in1/in2 */
    OP_ACT,         /* out i8 = act(in0 i8) elementwise: GELU, SiLU, ReLU */
    OP_ROPE,        /* in-place rotary embedding on in0 i8 (heads × head_dim per row) */
    OP_ADD,         /* out = requant(in0 + in1) (residual add) */
    OP_MUL,         /* out = requant(in0 * in1) (SwiGLU gate) */
    OP_COPY,        /* out[dst_row.., dst_col..] = in0[src_row.., src_col..], m rows
                       × n cols, row strides = the buffers' cols (KV-cache append,
                       column slicing, embedding row lookup); an int8 source into
                       an int32 destination is sign-extended (op_copy_widens) */
    /* memory traffic made explicit by the node model */
    OP_DMA,         /* move `bytes` of buffer in0 from src_level to dst_level */
    /* communication */
    OP_REDUCE,      /* collective: sum in0 (i32) over all chips into in0 on the root */
    OP_BCAST,       /* collective: copy in0 from the root to every chip */
    OP_ALLREDUCE,   /* collective: sum in0 (i32) over all chips into in0 on every chip */
    OP_SEND,        /* send `bytes` of in0 (from element offset) to `peer` with `tag` */
    OP_RECV,        /* receive into in0 (at offset) from `peer` with `tag`; accumulate
                       (int32 add) instead of overwrite when `accumulate` */
    OP_BARRIER,     /* all chips */
    OP__COUNT
} op_kind;
const char *op_kind_name(op_kind k);
bool op_is_compute(op_kind k);
bool op_is_comm(op_kind k);

/* Where a collective algorithm leaves an all-chip sum (collectives/), which
 * decides how a partitioner emits what follows a reduction:
 * REDUCE_ON_ROOT: OP_REDUCE, the root computes from the sum (norm, residual,
 *   requantisation) and OP_BCASTs what the chips need next;
 * REDUCE_ON_ALL: OP_ALLREDUCE, every chip ends with the sum and computes
 *   from it itself, with nothing to broadcast. */
typedef enum reduce_result { REDUCE_ON_ROOT, REDUCE_ON_ALL } reduce_result;

typedef enum norm_kind { NORM_RMS, NORM_LAYER, NORM_NONORM } norm_kind;
typedef enum act_kind { ACT_GELU, ACT_SILU, ACT_RELU } act_kind;

/* int32 -> int8: y = clamp(round(x * mult / 2^shift) + zero_point, -128, 127),
 * rounding halves away from zero (k_requant1 in kernels/kernels.h is the
 * definition). */
typedef struct requant_params {
    int32_t mult;
    int32_t shift;
    int32_t zero_point;
} requant_params;

/* What an op does, in units the cost model prices. Filled by the partitioner
 * from the kernels' own work reports, so cost and function never disagree. */
typedef struct op_work {
    uint64_t macs;         /* int8 multiply-accumulates */
    uint64_t elem_ops;     /* simple element ops: add, compare, shift, requant */
    uint64_t special_ops;  /* exp / division / square-root class steps */
    uint64_t bytes_read;   /* operand bytes the kernel touches */
    uint64_t bytes_written;
} op_work;

typedef struct prog_op {
    op_kind kind;
    char label[48];        /* "b3.attn.wq"; shown in dumps and traces */
    int32_t in[3];         /* buffer ids, -1 = unused */
    int32_t out;           /* buffer id, -1 = unused */
    uint32_t m, n, k;      /* GEMM dims; elementwise ops use m rows × n cols */
    op_work work;

    union {
        struct { bool trans_b; bool accumulate; } gemm;
        struct { requant_params q; } requant;
        struct { requant_params in_scale; uint32_t heads; uint32_t q_offset; bool causal; } softmax;
        struct { norm_kind kind; requant_params q; int32_t eps; } norm;
        struct { act_kind kind; requant_params q; } act;
        struct { uint32_t heads; uint32_t head_dim; uint32_t pos0; } rope;
        struct { requant_params qa, qb; } add;   /* per-input rescale before saturation */
        struct { requant_params q; } mul;
        struct { uint32_t dst_row; uint32_t src_col, dst_col; uint32_t src_row; } copy;
    } p;

    /* OP_DMA */
    mem_level src_level, dst_level;
    /* OP_SEND / OP_RECV */
    int32_t peer;          /* other chip, -1 for collectives */
    uint32_t tag;          /* pairs a SEND with its RECV */
    uint64_t offset;       /* first byte within the buffer */
    uint64_t bytes;        /* payload (also DMA size) */
    bool accumulate;       /* RECV: int32 add into the buffer */
    /* RECV accumulate, set by topology_expand when consecutive receives add
     * into the same bytes (a leader summing its group): the running sum is
     * already in L1 from the previous receive (sum_in_l1) and stays there
     * for the next (sum_stays_in_l1). The node model honours them when the
     * sum and a payload fit L1; the arithmetic does not depend on them. */
    bool sum_in_l1, sum_stays_in_l1;
    uint32_t collective;   /* id of the collective op a step came from, or
                              PROG_NOT_COLLECTIVE (a partitioner's own send/receive) */
    /* OP_REDUCE / OP_BCAST / OP_ALLREDUCE: the chips taking part, group_first ..
     * group_first + group_size - 1, rooted at group_first (a tensor group
     * inside a larger system); group_size 0: every chip, rooted at the
     * program's root. */
    uint32_t group_first, group_size;
    /* OP_SEND / OP_RECV of an expanded collective: the topology level of the
     * transfer between its ranks (collective_ops.pair_level; what
     * system.links `level: L` names), 0 for none (a point-to-point send of
     * a partitioner, or a collective without levels). */
    uint32_t level;
    /* Which of the program's in-flight inferences the op belongs to (0..
     * system_program.inferences - 1): when it ends, that inference has got
     * that far. Collective steps take their collective's. */
    uint32_t inference;
} prog_op;

#define PROG_NOT_COLLECTIVE UINT32_MAX

typedef struct chip_program {
    uint32_t chip;
    prog_buffer *bufs;
    uint32_t n_bufs, cap_bufs;
    prog_op *ops;
    uint32_t n_ops, cap_ops;
} chip_program;

typedef struct system_program {
    uint32_t n_chips;
    uint32_t root;           /* chip where reductions land */
    /* Independent inferences the program runs (workload.in_flight), each
     * chip running its part of one after the other: 1 unless several are
     * in flight. */
    uint32_t inferences;
    /* n_chips entries per inference (inference k's at k * n_chips): the
     * buffer id of each chip's part of its output, -1 = none. An output is
     * the parts concatenated in chip order: the root's final activations
     * alone, or every chip's slice of the logits when the LM head is
     * vocab-sliced. */
    int32_t *output_bufs;
    bool functional;         /* buffers hold data */
    chip_program *chips;     /* n_chips entries */
    char description[256];   /* "tinyllama-42m autoregressive kv=128 on 8 chips" */
} system_program;

system_program *system_program_create(uint32_t n_chips, bool functional);
void system_program_destroy(system_program *p);

/* Builders. Return the new id, or -1 on allocation failure. A functional
 * program allocates zeroed data for each buffer. */
int32_t chip_add_buffer(chip_program *c, bool functional, const char *name, dtype t,
                        uint32_t rows, uint32_t cols, buf_role role);
int32_t chip_add_op(chip_program *c, const prog_op *op);
/* Inserts before position `at` (used to add DMA ops); returns 0 or -1. */
int chip_insert_op(chip_program *c, uint32_t at, const prog_op *op);
/* An op with every buffer id set to -1 and every field zeroed. */
prog_op prog_op_init(op_kind kind, const char *label);

/* Chip `chip`'s part of the output, or NULL when it holds none. */
const prog_buffer *system_program_output_part(const system_program *p, uint32_t chip);
/* Bytes of the whole output (every chip's part). */
size_t system_program_output_bytes(const system_program *p);
/* Copies the whole output, parts in chip order, into dst
 * (system_program_output_bytes long); -1 if a part holds no data. */
int system_program_output_copy(const system_program *p, void *dst);
/* The same for in-flight inference `inference` (the three above are
 * inference 0's). */
const prog_buffer *system_program_output_part_of(const system_program *p, uint32_t inference,
                                                 uint32_t chip);
size_t system_program_output_bytes_of(const system_program *p, uint32_t inference);
int system_program_output_copy_of(const system_program *p, uint32_t inference, void *dst);
/* Makes room for the outputs of `inferences` inferences (new entries -1). */
int system_program_set_inferences(system_program *p, uint32_t inferences);

/* An OP_COPY from an int8 into an int32 buffer: it sign-extends each value,
 * work for the cores rather than a plain move. */
bool op_copy_widens(const chip_program *c, const prog_op *op);

/* Human-readable dump for `mcusim run --dump-program`: buffers with shape,
 * role, bytes and home level (named from `levels`, the node's; may be NULL);
 * ops with operands, dims, work and peers. */
void system_program_dump(const system_program *p, const mem_level_set *levels, FILE *out);

#endif
