/* The per-chip program IR: names, builders and the human-readable dump. */
#include "program.h"

#include <stdlib.h>
#include <string.h>

size_t dtype_size(dtype t)
{
    switch (t) {
    case DT_I8:
    case DT_U8: return 1;
    case DT_I32: return 4;
    }
    return 0;
}

static const char *dtype_name(dtype t)
{
    switch (t) {
    case DT_I8: return "i8";
    case DT_U8: return "u8";
    case DT_I32: return "i32";
    }
    return "?";
}

const char *mem_level_name(const mem_level_set *levels, mem_level m)
{
    if (m == MEM_LEVEL_NONE) return "unplaced";
    return levels && m < levels->n && m < MEM_LEVELS_MAX ? levels->v[m].name : "?";
}

int mem_level_set_check(const mem_level_set *levels, char *why, size_t len)
{
    if (levels->n > MEM_LEVELS_MAX) {
        snprintf(why, len, "%u memory levels: at most %d", levels->n, MEM_LEVELS_MAX);
        return -1;
    }
    for (uint32_t i = 0; i < levels->n; i++) {
        const char *name = levels->v[i].name;
        size_t n = strnlen(name, MEM_LEVEL_NAME_MAX);
        bool ok = n > 0 && n < MEM_LEVEL_NAME_MAX;
        for (size_t k = 0; ok && k < n; k++)
            ok = (name[k] >= 'a' && name[k] <= 'z') || (name[k] >= 'A' && name[k] <= 'Z') ||
                 (name[k] >= '0' && name[k] <= '9') || name[k] == '_';
        for (uint32_t j = 0; ok && j < i; j++) ok = strcmp(levels->v[j].name, name) != 0;
        if (!ok) {
            snprintf(why, len, "memory level %u: name must be unique, 1..%d characters of "
                               "A-Z, a-z, 0-9, _", i, MEM_LEVEL_NAME_MAX - 1);
            return -1;
        }
    }
    return 0;
}

const char *buf_role_name(buf_role r)
{
    static const char *const names[] = {"weight", "kv_cache", "activation", "partial",
                                        "residual"};
    return ((unsigned)r < sizeof names / sizeof names[0]) ? names[r] : "?";
}

const char *op_kind_name(op_kind k)
{
    static const char *const names[OP__COUNT] = {
        "gemm", "requant", "softmax", "norm", "act",  "rope", "add",    "mul",
        "copy", "dma",     "reduce",  "bcast", "allreduce", "send", "recv", "barrier"};
    return ((unsigned)k < OP__COUNT) ? names[k] : "?";
}

bool op_is_compute(op_kind k)
{
    return k <= OP_COPY;
}

bool op_is_comm(op_kind k)
{
    return k >= OP_REDUCE && k <= OP_BARRIER;
}

system_program *system_program_create(uint32_t n_chips, bool functional)
{
    if (n_chips == 0) return NULL;
    system_program *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->chips = calloc(n_chips, sizeof *p->chips);
    p->output_bufs = malloc(n_chips * sizeof *p->output_bufs);
    if (!p->chips || !p->output_bufs) {
        free(p->chips);
        free(p->output_bufs);
        free(p);
        return NULL;
    }
    p->n_chips = n_chips;
    p->inferences = 1;
    p->functional = functional;
    for (uint32_t i = 0; i < n_chips; i++) {
        p->chips[i].chip = i;
        p->output_bufs[i] = -1;
    }
    return p;
}

void system_program_destroy(system_program *p)
{
    if (!p) return;
    for (uint32_t i = 0; i < p->n_chips; i++) {
        chip_program *c = &p->chips[i];
        for (uint32_t b = 0; b < c->n_bufs; b++) free(c->bufs[b].data);
        free(c->bufs);
        free(c->ops);
    }
    free(p->chips);
    free(p->output_bufs);
    free(p);
}

const prog_buffer *system_program_output_part_of(const system_program *p, uint32_t inference,
                                                 uint32_t chip)
{
    if (chip >= p->n_chips || inference >= p->inferences) return NULL;
    int32_t id = p->output_bufs[(size_t)inference * p->n_chips + chip];
    const chip_program *c = &p->chips[chip];
    return id >= 0 && (uint32_t)id < c->n_bufs ? &c->bufs[id] : NULL;
}

size_t system_program_output_bytes_of(const system_program *p, uint32_t inference)
{
    size_t n = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        const prog_buffer *b = system_program_output_part_of(p, inference, c);
        if (b) n += prog_buffer_bytes(b);
    }
    return n;
}

int system_program_output_copy_of(const system_program *p, uint32_t inference, void *dst)
{
    char *at = dst;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        const prog_buffer *b = system_program_output_part_of(p, inference, c);
        if (!b) continue;
        if (!b->data) return -1;
        memcpy(at, b->data, prog_buffer_bytes(b));
        at += prog_buffer_bytes(b);
    }
    return 0;
}

const prog_buffer *system_program_output_part(const system_program *p, uint32_t chip)
{
    return system_program_output_part_of(p, 0, chip);
}

size_t system_program_output_bytes(const system_program *p)
{
    return system_program_output_bytes_of(p, 0);
}

int system_program_output_copy(const system_program *p, void *dst)
{
    return system_program_output_copy_of(p, 0, dst);
}

int system_program_set_inferences(system_program *p, uint32_t inferences)
{
    if (inferences == 0) return -1;
    size_t n = (size_t)inferences * p->n_chips;
    int32_t *v = realloc(p->output_bufs, n * sizeof *v);
    if (!v) return -1;
    for (size_t i = (size_t)p->inferences * p->n_chips; i < n; i++) v[i] = -1;
    p->output_bufs = v;
    p->inferences = inferences;
    return 0;
}

bool op_copy_widens(const chip_program *c, const prog_op *op)
{
    if (op->kind != OP_COPY) return false;
    int32_t a = op->in[0], o = op->out;
    if (a < 0 || o < 0 || (uint32_t)a >= c->n_bufs || (uint32_t)o >= c->n_bufs) return false;
    return c->bufs[a].type == DT_I8 && c->bufs[o].type == DT_I32;
}

/* Grows an array to hold one more element; capacity doubles to keep
 * appends amortised O(1). */
static int grow(void **arr, uint32_t *cap, uint32_t n, size_t elem)
{
    if (n < *cap) return 0;
    uint32_t nc = *cap ? *cap * 2 : 16;
    void *na = realloc(*arr, (size_t)nc * elem);
    if (!na) return -1;
    *arr = na;
    *cap = nc;
    return 0;
}

int32_t chip_add_buffer(chip_program *c, bool functional, const char *name, dtype t,
                        uint32_t rows, uint32_t cols, buf_role role)
{
    if (grow((void **)&c->bufs, &c->cap_bufs, c->n_bufs, sizeof *c->bufs)) return -1;
    prog_buffer *b = &c->bufs[c->n_bufs];
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s", name ? name : "");
    b->type = t;
    b->rows = rows;
    b->cols = cols;
    b->role = role;
    b->home = MEM_LEVEL_NONE;
    if (functional) {
        size_t bytes = prog_buffer_bytes(b);
        b->data = calloc(bytes ? bytes : 1, 1);
        if (!b->data) return -1;
    }
    return (int32_t)c->n_bufs++;
}

int32_t chip_add_op(chip_program *c, const prog_op *op)
{
    if (grow((void **)&c->ops, &c->cap_ops, c->n_ops, sizeof *c->ops)) return -1;
    c->ops[c->n_ops] = *op;
    return (int32_t)c->n_ops++;
}

int chip_insert_op(chip_program *c, uint32_t at, const prog_op *op)
{
    if (at > c->n_ops) return -1;
    if (grow((void **)&c->ops, &c->cap_ops, c->n_ops, sizeof *c->ops)) return -1;
    memmove(&c->ops[at + 1], &c->ops[at], (size_t)(c->n_ops - at) * sizeof *c->ops);
    c->ops[at] = *op;
    c->n_ops++;
    return 0;
}

prog_op prog_op_init(op_kind kind, const char *label)
{
    prog_op op;
    memset(&op, 0, sizeof op);
    op.kind = kind;
    op.in[0] = op.in[1] = op.in[2] = -1;
    op.out = -1;
    op.peer = -1;
    snprintf(op.label, sizeof op.label, "%s", label ? label : "");
    return op;
}

static void dump_buffer(const prog_buffer *b, uint32_t id, const mem_level_set *levels,
                        FILE *out)
{
    fprintf(out, "    buf %3u %-24s %-4s %5u x %-5u %-10s %10zu B  %s\n", id, b->name,
            dtype_name(b->type), b->rows, b->cols, buf_role_name(b->role),
            prog_buffer_bytes(b), mem_level_name(levels, b->home));
}

static void dump_op(const prog_op *op, uint32_t idx, const mem_level_set *levels, FILE *out)
{
    fprintf(out, "    op %4u %-8s %-24s in(%d,%d,%d) out %d", idx, op_kind_name(op->kind),
            op->label, op->in[0], op->in[1], op->in[2], op->out);
    if (op_is_compute(op->kind))
        fprintf(out, " m%u n%u k%u  macs %llu elem %llu special %llu rd %llu wr %llu", op->m,
                op->n, op->k, (unsigned long long)op->work.macs,
                (unsigned long long)op->work.elem_ops, (unsigned long long)op->work.special_ops,
                (unsigned long long)op->work.bytes_read,
                (unsigned long long)op->work.bytes_written);
    if (op->kind == OP_COPY)
        fprintf(out, "  rows %u->%u cols %u->%u", op->p.copy.src_row, op->p.copy.dst_row,
                op->p.copy.src_col, op->p.copy.dst_col);
    else if (op->kind == OP_REQUANT && op->in[1] >= 0)
        fprintf(out, "  +bias");
    else if (op->kind == OP_DMA)
        fprintf(out, " %s -> %s %llu B", mem_level_name(levels, op->src_level),
                mem_level_name(levels, op->dst_level), (unsigned long long)op->bytes);
    else if (op->kind == OP_SEND || op->kind == OP_RECV) {
        fprintf(out, " peer %d tag %u off %llu %llu B%s%s%s", op->peer, op->tag,
                (unsigned long long)op->offset, (unsigned long long)op->bytes,
                op->accumulate ? " acc" : "", op->sum_in_l1 ? " sum-in-L1" : "",
                op->sum_stays_in_l1 ? " sum-stays-in-L1" : "");
        if (op->collective == PROG_NOT_COLLECTIVE) fprintf(out, " point-to-point");
        else fprintf(out, " coll %u", op->collective);
    } else if (op->kind == OP_REDUCE || op->kind == OP_BCAST || op->kind == OP_ALLREDUCE) {
        fprintf(out, " %llu B coll %u", (unsigned long long)op->bytes, op->collective);
        if (op->group_size)
            fprintf(out, " chips %u..%u", op->group_first, op->group_first + op->group_size - 1);
    }
    fputc('\n', out);
}

void system_program_dump(const system_program *p, const mem_level_set *levels, FILE *out)
{
    fprintf(out, "program: %s\n", p->description);
    fprintf(out, "chips %u root %u %s; output:", p->n_chips, p->root,
            p->functional ? "functional" : "timing-only");
    for (uint32_t i = 0; i < p->n_chips; i++)
        if (p->output_bufs[i] >= 0) fprintf(out, " chip %u buf %d", i, p->output_bufs[i]);
    for (uint32_t k = 1; k < p->inferences; k++) {
        fprintf(out, "; inference %u:", k);
        for (uint32_t i = 0; i < p->n_chips; i++) {
            int32_t id = p->output_bufs[(size_t)k * p->n_chips + i];
            if (id >= 0) fprintf(out, " chip %u buf %d", i, id);
        }
    }
    fputc('\n', out);
    for (uint32_t i = 0; i < p->n_chips; i++) {
        const chip_program *c = &p->chips[i];
        fprintf(out, "  chip %u: %u buffers, %u ops\n", c->chip, c->n_bufs, c->n_ops);
        for (uint32_t b = 0; b < c->n_bufs; b++) dump_buffer(&c->bufs[b], b, levels, out);
        for (uint32_t o = 0; o < c->n_ops; o++) dump_op(&c->ops[o], o, levels, out);
    }
}
