/* Collective schedules: rewrites each OP_REDUCE / OP_BCAST into OP_SEND /
 * OP_RECV steps on every chip.
 *
 * Message semantics (shared with sim/): a SEND is eager, it completes once
 * the payload is in the receiver's mailbox; a RECV blocks until the message
 * with its (peer, tag) is there. So a schedule deadlocks only if a chip waits
 * for a message whose SEND sits behind a RECV that transitively waits on it.
 * Every schedule here sends data strictly towards the root (reduce) or away
 * from it (broadcast), and each chip's steps follow that order, so no such
 * cycle exists. A leader receives its members in a fixed order, so the int32
 * sums are the same every run (they would be anyway: wrapping integer
 * addition is associative, but a fixed order also fixes the timing).
 *
 * Chips are renumbered to ranks with the root as rank 0, so the root can be
 * any chip. The k-th collective op of every chip is the same collective; the
 * chips must agree on kind and size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology.h"

static const char *const topo_kind_names[] = {"reduction_tree", "ring", "star", NULL};
static const char *const topo_phy_names[] = {"per_peer", "shared", NULL};

const param_spec topology_param_specs[] = {
    {"kind", PARAM_ENUM, DIM_NONE, offsetof(topology_params, kind), 0, 2, "reduction_tree",
     topo_kind_names, "reduction_tree (groups of fan_in chips, the paper's hierarchical "
     "reduction; FACTS.md), ring (pipelined chain) or star (all with the root)"},
    {"fan_in", PARAM_UINT, DIM_NONE, offsetof(topology_params, fan_in), 2, 64, "4", NULL,
     "reduction_tree group size; the paper leaves it a parameter (FACTS.md), 4 assumed"},
    {"chunks", PARAM_UINT, DIM_NONE, offsetof(topology_params, chunks), 1, 1024, "4", NULL,
     "ring: pipeline chunks per collective (assumed 4)"},
    {"phy", PARAM_ENUM, DIM_NONE, offsetof(topology_params, phy), 0, 1, "per_peer",
     topo_phy_names, "per_peer (a point-to-point link per chip pair: a leader receives from "
     "its whole group at once) or shared (one TX and one RX PHY per chip: transfers into or "
     "out of a chip go one at a time). The paper does not say; per_peer assumed"},
};
const size_t topology_param_count = sizeof topology_param_specs / sizeof topology_param_specs[0];

/* A growable list of ops, one per chip and collective. */
typedef struct op_vec {
    prog_op *v;
    size_t n, cap;
} op_vec;

static int vec_push(op_vec *s, const prog_op *op)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        prog_op *nv = realloc(s->v, nc * sizeof *nv);
        if (!nv) return -1;
        s->v = nv;
        s->cap = nc;
    }
    s->v[s->n++] = *op;
    return 0;
}

/* One collective as every chip sees it. */
typedef struct coll {
    op_kind kind;
    uint32_t id;          /* value for prog_op.collective */
    uint64_t offset;      /* first byte */
    uint64_t bytes;
    uint32_t elem;        /* chunking granule: 4 for int32 reductions */
    char label[48];
    int32_t *buf;         /* buffer id per chip */
} coll;

/* Expansion state: the steps generated so far and the next free tag. */
typedef struct expand_ctx {
    uint32_t n, root;
    op_vec *steps;        /* per chip, for the collective being expanded */
    uint32_t next_tag;
    int failed;
} expand_ctx;

static uint32_t chip_of(const expand_ctx *x, uint64_t rank)
{
    return (uint32_t)((rank + x->root) % x->n);
}

static prog_op step_op(const coll *c, op_kind kind, uint32_t peer, int32_t buf,
                       uint64_t off, uint64_t bytes, uint32_t tag)
{
    prog_op op = prog_op_init(kind, NULL);
    char label[48];
    snprintf(label, sizeof label, "%.30s%c%u", c->label, kind == OP_SEND ? '>' : '<', peer);
    memcpy(op.label, label, sizeof label);
    op.in[0] = buf;
    op.peer = (int32_t)peer;
    op.tag = tag;
    op.offset = c->offset + off;
    op.bytes = bytes;
    op.collective = c->id;
    return op;
}

static void emit_send(expand_ctx *x, const coll *c, uint64_t from, uint64_t to, uint64_t off,
                      uint64_t bytes, uint32_t tag)
{
    uint32_t src = chip_of(x, from), dst = chip_of(x, to);
    prog_op s = step_op(c, OP_SEND, dst, c->buf[src], off, bytes, tag);
    s.work.bytes_read = bytes;
    if (vec_push(&x->steps[src], &s)) x->failed = 1;
}

/* An accumulating RECV also reads the old value and adds one int32 per 4 B. */
static void emit_recv(expand_ctx *x, const coll *c, uint64_t to, uint64_t from, uint64_t off,
                      uint64_t bytes, bool accumulate, uint32_t tag)
{
    uint32_t src = chip_of(x, from), dst = chip_of(x, to);
    prog_op r = step_op(c, OP_RECV, src, c->buf[dst], off, bytes, tag);
    r.accumulate = accumulate;
    r.work.bytes_read = accumulate ? bytes : 0;
    r.work.bytes_written = bytes;
    r.work.elem_ops = accumulate ? bytes / 4 : 0;
    if (vec_push(&x->steps[dst], &r)) x->failed = 1;
}

/* A SEND on rank `from` and its RECV on rank `to`; callers call this in an
 * order that is each rank's execution order. */
static void step_pair(expand_ctx *x, const coll *c, uint64_t from, uint64_t to, uint64_t off,
                      uint64_t bytes, bool accumulate, uint32_t tag)
{
    emit_send(x, c, from, to, off, bytes, tag);
    emit_recv(x, c, to, from, off, bytes, accumulate, tag);
}

/* Tree: at stride s, ranks that are multiples of s form groups of fan_in
 * consecutive members; each member sends to its group's first rank. */
static void tree_reduce(expand_ctx *x, const coll *c, uint64_t k)
{
    for (uint64_t s = 1; s < x->n; s *= k)
        for (uint64_t lead = 0; lead < x->n; lead += s * k)
            for (uint64_t m = lead + s; m < lead + s * k && m < x->n; m += s)
                step_pair(x, c, m, lead, 0, c->bytes, true, x->next_tag++);
}

/* The same tree walked from the top level down, so every leader holds the
 * data before it forwards it. */
static void tree_bcast(expand_ctx *x, const coll *c, uint64_t k)
{
    uint64_t top = 1;
    while (top * k < x->n) top *= k;
    for (uint64_t s = top;; s /= k) {
        for (uint64_t lead = 0; lead < x->n; lead += s * k)
            for (uint64_t m = lead + s; m < lead + s * k && m < x->n; m += s)
                step_pair(x, c, lead, m, 0, c->bytes, false, x->next_tag++);
        if (s == 1) break;
    }
}

static void star(expand_ctx *x, const coll *c)
{
    for (uint64_t m = 1; m < x->n; m++) {
        if (c->kind == OP_REDUCE)
            step_pair(x, c, m, 0, 0, c->bytes, true, x->next_tag++);
        else
            step_pair(x, c, 0, m, 0, c->bytes, false, x->next_tag++);
    }
}

/* Chain n-1 -> ... -> 0 (reduce) or 0 -> ... -> n-1 (broadcast), the data cut
 * into chunks so that rank r forwards chunk i while its neighbour already
 * sends chunk i+1. Each rank's steps are emitted in its own order (receive a
 * chunk, then pass it on), so tags are computed from (sender, chunk) rather
 * than counted. */
static void ring(expand_ctx *x, const coll *c, uint64_t chunks)
{
    uint64_t elems = c->bytes / c->elem;
    if (chunks > elems) chunks = elems ? elems : 1;
    uint32_t base = x->next_tag;
    bool reduce = c->kind == OP_REDUCE;
    for (uint64_t r = 0; r < x->n; r++) {
        bool has_in = reduce ? r + 1 < x->n : r > 0;
        bool has_out = reduce ? r > 0 : r + 1 < x->n;
        uint64_t from = reduce ? r + 1 : r - 1, to = reduce ? r - 1 : r + 1;
        for (uint64_t i = 0; i < chunks; i++) {
            uint64_t lo = elems * i / chunks * c->elem;
            uint64_t hi = i + 1 == chunks ? c->bytes : elems * (i + 1) / chunks * c->elem;
            if (has_in)
                emit_recv(x, c, r, from, lo, hi - lo, reduce, base + (uint32_t)(from * chunks + i));
            if (has_out) emit_send(x, c, r, to, lo, hi - lo, base + (uint32_t)(r * chunks + i));
        }
    }
    x->next_tag = base + (uint32_t)(x->n * chunks);
}

static bool is_collective(op_kind k)
{
    return k == OP_REDUCE || k == OP_BCAST;
}

static uint32_t count_collectives(const chip_program *c)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->n_ops; i++) n += is_collective(c->ops[i].kind);
    return n;
}

/* Reads the j-th collective of chip `chip` (at op index `at`) into c, or
 * checks it against what chip 0 said. */
static int read_collective(const system_program *p, uint32_t chip, uint32_t at, coll *c,
                           char *err, size_t errlen)
{
    const chip_program *cp = &p->chips[chip];
    const prog_op *op = &cp->ops[at];
    int32_t b = op->in[0];
    if (b < 0 || (uint32_t)b >= cp->n_bufs) {
        snprintf(err, errlen, "chip %u op %u '%s': %s without a valid buffer", chip, at, op->label,
                 op_kind_name(op->kind));
        return -1;
    }
    const prog_buffer *buf = &cp->bufs[b];
    uint64_t size = prog_buffer_bytes(buf);
    uint64_t bytes = op->bytes ? op->bytes : (op->offset < size ? size - op->offset : 0);
    if (op->offset + bytes > size) {
        snprintf(err, errlen, "chip %u op %u '%s': bytes %llu at offset %llu exceed buffer '%s' "
                 "(%llu B)", chip, at, op->label, (unsigned long long)bytes,
                 (unsigned long long)op->offset, buf->name, (unsigned long long)size);
        return -1;
    }
    if (op->kind == OP_REDUCE && (buf->type != DT_I32 || bytes % 4 || op->offset % 4)) {
        snprintf(err, errlen, "chip %u op %u '%s': OP_REDUCE needs whole int32 elements", chip,
                 at, op->label);
        return -1;
    }
    if (chip == 0) {
        c->kind = op->kind;
        c->id = op->collective;
        c->offset = op->offset;
        c->bytes = bytes;
        c->elem = op->kind == OP_REDUCE ? 4 : (uint32_t)dtype_size(buf->type);
        memcpy(c->label, op->label, sizeof c->label);
    } else if (c->kind != op->kind || c->bytes != bytes || c->offset != op->offset ||
               c->id != op->collective) {
        snprintf(err, errlen, "chip %u op %u '%s': collective does not match chip 0's '%s' "
                 "(kind, id, offset or size)", chip, at, op->label, c->label);
        return -1;
    }
    c->buf[chip] = b;
    return 0;
}

/* Finds every chip's collectives, in order, and checks the chips agree. */
static coll *gather(const system_program *p, uint32_t *n_coll, char *err, size_t errlen)
{
    uint32_t n = count_collectives(&p->chips[0]);
    for (uint32_t c = 1; c < p->n_chips; c++) {
        if (count_collectives(&p->chips[c]) != n) {
            snprintf(err, errlen, "chip %u has %u collectives, chip 0 has %u", c,
                     count_collectives(&p->chips[c]), n);
            return NULL;
        }
    }
    coll *cs = calloc(n ? n : 1, sizeof *cs);
    if (!cs) goto oom;
    for (uint32_t j = 0; j < n; j++) {
        cs[j].buf = calloc(p->n_chips, sizeof *cs[j].buf);
        if (!cs[j].buf) goto oom;
    }
    for (uint32_t c = 0; c < p->n_chips; c++) {
        uint32_t j = 0;
        const chip_program *cp = &p->chips[c];
        for (uint32_t i = 0; i < cp->n_ops; i++) {
            if (!is_collective(cp->ops[i].kind)) continue;
            if (read_collective(p, c, i, &cs[j], err, errlen)) goto fail;
            j++;
        }
    }
    *n_coll = n;
    return cs;
oom:
    snprintf(err, errlen, "out of memory expanding collectives");
fail:
    if (cs)
        for (uint32_t j = 0; j < n; j++) free(cs[j].buf);
    free(cs);
    return NULL;
}

static void expand_one(expand_ctx *x, const topology_params *t, const coll *c)
{
    switch ((topo_kind)t->kind) {
    case TOPO_REDUCTION_TREE:
        if (c->kind == OP_REDUCE)
            tree_reduce(x, c, t->fan_in);
        else
            tree_bcast(x, c, t->fan_in);
        break;
    case TOPO_RING: ring(x, c, t->chunks); break;
    case TOPO_STAR: star(x, c); break;
    }
}

/* Replaces chip c's collectives by their steps (steps[j] for the j-th). */
static int rewrite_chip(chip_program *cp, op_vec *const *steps, uint32_t chip)
{
    uint32_t n_old = cp->n_ops;
    prog_op *old = malloc((n_old ? n_old : 1) * sizeof *old);
    if (!old) return -1;
    memcpy(old, cp->ops, n_old * sizeof *old);
    cp->n_ops = 0;
    int rc = 0;
    uint32_t j = 0;
    for (uint32_t i = 0; i < n_old && !rc; i++) {
        if (!is_collective(old[i].kind)) {
            rc = chip_add_op(cp, &old[i]) < 0;
            continue;
        }
        const op_vec *v = &steps[j++][chip];
        for (size_t s = 0; s < v->n && !rc; s++) rc = chip_add_op(cp, &v->v[s]) < 0;
    }
    free(old);
    return rc ? -1 : 0;
}

static int check_params(const topology_params *t, const system_program *p, char *err,
                        size_t errlen)
{
    if (t->kind < TOPO_REDUCTION_TREE || t->kind > TOPO_STAR) {
        snprintf(err, errlen, "topology.kind: unknown kind %d", t->kind);
        return -1;
    }
    if (t->kind == TOPO_REDUCTION_TREE && t->fan_in < 2) {
        snprintf(err, errlen, "topology.fan_in: %llu, a group needs at least 2 chips",
                 (unsigned long long)t->fan_in);
        return -1;
    }
    if (t->kind == TOPO_RING && t->chunks < 1) {
        snprintf(err, errlen, "topology.chunks: must be at least 1");
        return -1;
    }
    if (p->n_chips == 0 || p->root >= p->n_chips) {
        snprintf(err, errlen, "program: root chip %u outside 0..%u", p->root,
                 p->n_chips ? p->n_chips - 1 : 0);
        return -1;
    }
    return 0;
}

/* Consecutive accumulating receives into the same bytes (a leader summing
 * its group) keep the running sum in L1 between them. */
static void mark_running_sums(chip_program *c)
{
    for (uint32_t i = 0; i + 1 < c->n_ops; i++) {
        prog_op *a = &c->ops[i], *b = &c->ops[i + 1];
        if (a->kind == OP_RECV && b->kind == OP_RECV && a->accumulate && b->accumulate &&
            a->in[0] == b->in[0] && a->offset == b->offset && a->bytes == b->bytes) {
            a->sum_stays_in_l1 = true;
            b->sum_in_l1 = true;
        }
    }
}

int topology_expand(const topology_params *t, system_program *p, char *err, size_t errlen)
{
    if (check_params(t, p, err, errlen)) return -1;
    uint32_t n_coll = 0;
    coll *cs = gather(p, &n_coll, err, errlen);
    if (!cs) return -1;
    int rc = 0;
    op_vec **steps = calloc(n_coll ? n_coll : 1, sizeof *steps);
    expand_ctx x = {p->n_chips, p->root, NULL, 0, steps == NULL};
    for (uint32_t j = 0; j < n_coll && !x.failed; j++) {
        steps[j] = calloc(p->n_chips, sizeof **steps);
        if (!steps[j]) {
            x.failed = 1;
            break;
        }
        x.steps = steps[j];
        expand_one(&x, t, &cs[j]);
    }
    if (x.failed) rc = -1;
    /* Nothing is modified until every collective has been expanded. */
    for (uint32_t c = 0; c < p->n_chips && !rc; c++) rc = rewrite_chip(&p->chips[c], steps, c);
    for (uint32_t c = 0; c < p->n_chips && !rc; c++) mark_running_sums(&p->chips[c]);
    if (rc) snprintf(err, errlen, "out of memory expanding collectives");
    for (uint32_t j = 0; j < n_coll; j++) {
        for (uint32_t c = 0; steps && steps[j] && c < p->n_chips; c++) free(steps[j][c].v);
        if (steps) free(steps[j]);
        free(cs[j].buf);
    }
    free(steps);
    free(cs);
    return rc;
}

static int cmp_pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

int topology_links(const system_program *p, uint32_t (**pairs)[2], size_t *n_pairs)
{
    size_t n = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) n += p->chips[c].ops[i].kind == OP_SEND;
    uint32_t(*v)[2] = malloc((n ? n : 1) * sizeof *v);
    if (!v) return -1;
    size_t k = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
            const prog_op *op = &p->chips[c].ops[i];
            if (op->kind != OP_SEND) continue;
            v[k][0] = c;
            v[k][1] = (uint32_t)op->peer;
            k++;
        }
    }
    qsort(v, k, sizeof *v, cmp_pair);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || cmp_pair(v[u - 1], v[i]) != 0) {
            v[u][0] = v[i][0];
            v[u][1] = v[i][1];
            u++;
        }
    *pairs = v;
    *n_pairs = u;
    return 0;
}
