/* Lock-step functional executor of a system program, without SystemC.
 * Each pass lets every chip run until it blocks: a RECV waits for its
 * matching SEND (mailbox keyed by src, dst, tag, FIFO), an unexpanded
 * OP_REDUCE/OP_BCAST/OP_ALLREDUCE waits until every chip of its group (all
 * of them unless the op names one) stands at the same collective.
 * A pass in which no chip moves while some are unfinished is a deadlock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "workload.h"

typedef struct msg {
    uint32_t src, dst, tag;
    size_t bytes;
    void *data;
    bool used;
} msg;

typedef struct mailbox {
    msg *m;
    size_t n, cap;
    size_t used;   /* of the n, already delivered */
} mailbox;

static int mb_post(mailbox *mb, uint32_t src, uint32_t dst, uint32_t tag, const void *data,
                   size_t bytes)
{
    if (mb->n == mb->cap) {
        size_t nc = mb->cap ? mb->cap * 2 : 64;
        msg *nm = realloc(mb->m, nc * sizeof *nm);
        if (!nm) return -1;
        mb->m = nm;
        mb->cap = nc;
    }
    msg *m = &mb->m[mb->n];
    m->data = malloc(bytes ? bytes : 1);
    if (!m->data) return -1;
    memcpy(m->data, data, bytes);
    m->src = src;
    m->dst = dst;
    m->tag = tag;
    m->bytes = bytes;
    m->used = false;
    mb->n++;
    return 0;
}

static msg *mb_take(mailbox *mb, uint32_t src, uint32_t dst, uint32_t tag)
{
    for (size_t i = 0; i < mb->n; i++) {
        msg *m = &mb->m[i];
        if (!m->used && m->src == src && m->dst == dst && m->tag == tag) return m;
    }
    return NULL;
}

/* Marks m delivered; once most messages are, drops them keeping the order
 * of the rest (FIFO per key), so a search scans the messages in flight, not
 * every message of the run (a 64-chip ring sends thousands per collective). */
static void mb_delivered(mailbox *mb, msg *m)
{
    m->used = true;
    free(m->data);
    m->data = NULL;
    if (++mb->used * 2 < mb->n || mb->n < 64) return;
    size_t k = 0;
    for (size_t i = 0; i < mb->n; i++)
        if (!mb->m[i].used) mb->m[k++] = mb->m[i];
    mb->n = k;
    mb->used = 0;
}

static void mb_free(mailbox *mb)
{
    for (size_t i = 0; i < mb->n; i++) free(mb->m[i].data);
    free(mb->m);
}

static prog_buffer *buf_of(system_program *p, uint32_t chip, int32_t id)
{
    chip_program *c = &p->chips[chip];
    return (id >= 0 && (uint32_t)id < c->n_bufs) ? &c->bufs[id] : NULL;
}

/* Byte range [offset, offset+bytes) of a SEND/RECV; bytes 0 = whole buffer. */
static int range_of(const prog_op *op, const prog_buffer *b, size_t *off, size_t *len,
                    char *err, size_t errlen)
{
    size_t total = prog_buffer_bytes(b);
    *off = op->offset;
    *len = op->bytes ? op->bytes : total - (op->offset < total ? op->offset : total);
    if (*off + *len > total || !b->data) {
        snprintf(err, errlen, "%s: %s of %zu bytes at %zu outside buffer %s (%zu bytes)",
                 op->label, op_kind_name(op->kind), *len, *off, b->name, total);
        return -1;
    }
    return 0;
}

/* The chips of the collective op of `chip`: first..first+n-1 rooted at
 * root (every chip and the program's root unless the op names a group). */
typedef struct coll_group {
    uint32_t first, n, root;
} coll_group;

static coll_group group_of(const system_program *p, const prog_op *op)
{
    if (op->group_size == 0) return (coll_group){0, p->n_chips, p->root};
    return (coll_group){op->group_first, op->group_size, op->group_first};
}

/* Every chip of g stands at collective `op` (same id): sum into / copy
 * from the group's root; an all-reduce sums into the root, then copies the
 * sum to every chip of the group. */
static int run_collective(system_program *p, const uint32_t *pc, coll_group g, char *err,
                          size_t errlen)
{
    const prog_op *r = &p->chips[g.root].ops[pc[g.root]];
    prog_buffer *rb = buf_of(p, g.root, r->in[0]);
    if (!rb || !rb->data) {
        snprintf(err, errlen, "%s: root buffer missing or timing-only", r->label);
        return -1;
    }
    for (uint32_t c = g.first; c < g.first + g.n; c++) {
        if (c == g.root) continue;
        const prog_op *o = &p->chips[c].ops[pc[c]];
        prog_buffer *b = buf_of(p, c, o->in[0]);
        if (!b || !b->data || prog_buffer_bytes(b) != prog_buffer_bytes(rb)) {
            snprintf(err, errlen, "%s: chip %u buffer does not match the root's", o->label, c);
            return -1;
        }
        if (r->kind == OP_REDUCE || r->kind == OP_ALLREDUCE) {
            if (rb->type != DT_I32) {
                snprintf(err, errlen, "%s: reduce needs an int32 buffer", r->label);
                return -1;
            }
            k_reduce_add_i32(rb->data, b->data, (size_t)rb->rows * rb->cols);
        } else {
            memcpy(b->data, rb->data, prog_buffer_bytes(rb));
        }
    }
    for (uint32_t c = g.first; r->kind == OP_ALLREDUCE && c < g.first + g.n; c++)
        if (c != g.root)
            memcpy(buf_of(p, c, p->chips[c].ops[pc[c]].in[0])->data, rb->data,
                   prog_buffer_bytes(rb));
    return 0;
}

static bool at_collective(system_program *p, const uint32_t *pc, uint32_t chip)
{
    chip_program *c = &p->chips[chip];
    return pc[chip] < c->n_ops &&
           (c->ops[pc[chip]].kind == OP_REDUCE || c->ops[pc[chip]].kind == OP_BCAST ||
            c->ops[pc[chip]].kind == OP_ALLREDUCE);
}

/* Whether every chip of the group of chip c's collective stands at the
 * same collective (id, kind, group): then it can run. */
static bool group_ready(system_program *p, const uint32_t *pc, uint32_t c, coll_group *g)
{
    const prog_op *o = &p->chips[c].ops[pc[c]];
    *g = group_of(p, o);
    if ((uint64_t)g->first + g->n > p->n_chips || g->root >= p->n_chips) return false;
    for (uint32_t m = g->first; m < g->first + g->n; m++) {
        if (!at_collective(p, pc, m)) return false;
        const prog_op *x = &p->chips[m].ops[pc[m]];
        coll_group h = group_of(p, x);
        if (x->collective != o->collective || x->kind != o->kind || h.first != g->first ||
            h.n != g->n)
            return false;
    }
    return true;
}

/* 1 = advanced, 0 = blocked, -1 = error */
static int step(system_program *p, uint32_t chip, uint32_t *pc, mailbox *mb, char *err,
                size_t errlen)
{
    chip_program *c = &p->chips[chip];
    const prog_op *op = &c->ops[pc[chip]];
    if (op_is_compute(op->kind)) {
        if (exec_compute_op(c, op, err, errlen)) return -1;
    } else if (op->kind == OP_SEND || op->kind == OP_RECV) {
        prog_buffer *b = buf_of(p, chip, op->in[0]);
        size_t off, len;
        if (!b) {
            snprintf(err, errlen, "%s: no buffer", op->label);
            return -1;
        }
        if (range_of(op, b, &off, &len, err, errlen)) return -1;
        if (op->peer < 0 || (uint32_t)op->peer >= p->n_chips) {
            snprintf(err, errlen, "%s: peer %d is not a chip", op->label, op->peer);
            return -1;
        }
        if (op->kind == OP_SEND) {
            if (mb_post(mb, chip, (uint32_t)op->peer, op->tag, (char *)b->data + off, len)) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
        } else {
            msg *m = mb_take(mb, (uint32_t)op->peer, chip, op->tag);
            if (!m) return 0;
            if (m->bytes != len) {
                snprintf(err, errlen, "%s: received %zu bytes, expected %zu", op->label,
                         m->bytes, len);
                return -1;
            }
            if (op->accumulate)
                k_reduce_add_i32((int32_t *)((char *)b->data + off), m->data, len / 4);
            else
                memcpy((char *)b->data + off, m->data, len);
            mb_delivered(mb, m);
        }
    }
    /* OP_DMA and OP_BARRIER move no values */
    pc[chip]++;
    return 1;
}

static void describe_deadlock(system_program *p, const uint32_t *pc, char *err, size_t errlen)
{
    size_t used = (size_t)snprintf(err, errlen, "deadlock: every unfinished chip is blocked");
    for (uint32_t c = 0; c < p->n_chips && used < errlen; c++)
        if (pc[c] < p->chips[c].n_ops) {
            const prog_op *o = &p->chips[c].ops[pc[c]];
            used += (size_t)snprintf(err + used, errlen - used, "; chip %u at %s %s", c,
                                     op_kind_name(o->kind), o->label);
        }
}

static int run(system_program *p, functional_hook hook, void *ctx, uint32_t *pc, mailbox *mb,
               char *err, size_t errlen)
{
    for (;;) {
        bool moved = false, done = true;
        for (uint32_t c = 0; c < p->n_chips; c++) {
            while (pc[c] < p->chips[c].n_ops && !at_collective(p, pc, c)) {
                if (hook) hook(p, c, pc[c], ctx);
                int rc = step(p, c, pc, mb, err, errlen);
                if (rc < 0) return -1;
                if (rc == 0) break;
                moved = true;
            }
            if (pc[c] < p->chips[c].n_ops) done = false;
        }
        if (done) return 0;
        for (uint32_t c = 0; c < p->n_chips; c++) {
            coll_group g;
            if (!at_collective(p, pc, c) || !group_ready(p, pc, c, &g)) continue;
            if (hook)
                for (uint32_t m = g.first; m < g.first + g.n; m++) hook(p, m, pc[m], ctx);
            if (run_collective(p, pc, g, err, errlen)) return -1;
            for (uint32_t m = g.first; m < g.first + g.n; m++) pc[m]++;
            moved = true;
        }
        if (!moved) {
            describe_deadlock(p, pc, err, errlen);
            return -1;
        }
    }
}

int functional_run_hooked(system_program *p, functional_hook hook, void *ctx, char *err,
                          size_t errlen)
{
    if (!p->functional) {
        snprintf(err, errlen, "functional_run: the program is timing-only (no data)");
        return -1;
    }
    uint32_t *pc = calloc(p->n_chips, sizeof *pc);
    if (!pc) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    mailbox mb = {0};
    int rc = run(p, hook, ctx, pc, &mb, err, errlen);
    mb_free(&mb);
    free(pc);
    return rc;
}

int functional_run(system_program *p, char *err, size_t errlen)
{
    return functional_run_hooked(p, NULL, NULL, err, errlen);
}
