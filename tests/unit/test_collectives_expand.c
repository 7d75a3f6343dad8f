/* Collective schedules: counted against closed forms, checked for matching
 * SEND/RECV pairs, and executed by a small mailbox interpreter (eager sends,
 * blocking receives) that must sum, broadcast and all-reduce correctly for
 * every chip count 1..64, every entry of the collectives registry and
 * several fan-ins, chunk counts and roots. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "topology.h"

/* A topology of registry entry `kind` with one parameter set (key NULL: defaults). */
static system_topology topo(const char *kind, const char *key, const char *value)
{
    system_topology t;
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(topology_init(&t, kind, err, sizeof err), 0);
    if (key) CU_ASSERT_EQUAL_FATAL(topology_set(&t, key, value, err, sizeof err), 0);
    return t;
}

static uint64_t fan_in_of(const system_topology *t)
{
    return *(const uint64_t *)topology_param(t, "fan_in");
}

#define LEN 37   /* int32 elements: odd, so chunks have remainders */
#define BLEN 13  /* int8 elements broadcast */

typedef struct msg {
    uint32_t src, dst, tag, hops;
    uint64_t bytes;
    unsigned char *data;
    int taken;
} msg;

typedef struct run_stats {
    size_t sends, recvs;
    uint64_t send_bytes;
    uint64_t coll_bytes[4];  /* sent per collective of make_program */
    uint32_t root_hops;     /* longest chain of messages into the root's reduction */
    int deadlock, mismatch, dup_tag;
} run_stats;

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

/* Program: REDUCE a (int32), BCAST a, BCAST b (int8), ALLREDUCE c (int32,
 * each chip's values those of a times 3, so its sum is 3 x a's), on every
 * chip. */
static system_program *make_program(uint32_t n, uint32_t root, uint32_t *sum, int8_t *bval)
{
    system_program *p = system_program_create(n, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p->root = root;
    memset(sum, 0, LEN * sizeof *sum);
    for (uint32_t c = 0; c < n; c++) {
        chip_program *cp = &p->chips[c];
        int32_t a = chip_add_buffer(cp, true, "a", DT_I32, 1, LEN, BUF_PARTIAL);
        int32_t b = chip_add_buffer(cp, true, "b", DT_I8, 1, BLEN, BUF_ACTIVATION);
        int32_t cc = chip_add_buffer(cp, true, "c", DT_I32, 1, LEN, BUF_PARTIAL);
        CU_ASSERT_FATAL(a >= 0 && b >= 0 && cc >= 0);
        uint32_t seed = 17 * c + 5, *ad = cp->bufs[a].data, *cd = cp->bufs[cc].data;
        int8_t *bd = cp->bufs[b].data;
        for (int i = 0; i < LEN; i++) {
            ad[i] = lcg(&seed);
            cd[i] = 3 * ad[i];
            sum[i] += ad[i];
        }
        for (int i = 0; i < BLEN; i++) bd[i] = (int8_t)(c == root ? 3 * i - 20 : 99);
        prog_op r = prog_op_init(OP_REDUCE, "red"), x = prog_op_init(OP_BCAST, "bca"),
                y = prog_op_init(OP_BCAST, "bcb"), z = prog_op_init(OP_ALLREDUCE, "arc");
        r.in[0] = x.in[0] = a;
        y.in[0] = b;
        z.in[0] = cc;
        r.collective = 0, x.collective = 1, y.collective = 2, z.collective = 3;
        CU_ASSERT(chip_add_op(cp, &r) >= 0 && chip_add_op(cp, &x) >= 0 &&
                  chip_add_op(cp, &y) >= 0 && chip_add_op(cp, &z) >= 0);
    }
    for (int i = 0; i < BLEN; i++) bval[i] = (int8_t)(3 * i - 20);
    return p;
}

/* Each chip's mailbox: the messages addressed to it. */
typedef struct mailbox {
    msg *m;
    size_t n;
} mailbox;

static msg *find(mailbox *box, uint32_t src, uint32_t tag)
{
    for (size_t i = 0; i < box->n; i++)
        if (box->m[i].src == src && box->m[i].tag == tag && !box->m[i].taken) return &box->m[i];
    return NULL;
}

static void do_send(mailbox *boxes, uint32_t chip, const prog_op *op, const chip_program *cp,
                    uint32_t hops, run_stats *st)
{
    mailbox *box = &boxes[op->peer];
    for (size_t i = 0; i < box->n; i++)
        if (box->m[i].src == chip && box->m[i].tag == op->tag) st->dup_tag = 1;
    box->m = realloc(box->m, (box->n + 1) * sizeof *box->m);
    msg *m = &box->m[box->n++];
    m->src = chip, m->dst = (uint32_t)op->peer, m->tag = op->tag, m->bytes = op->bytes;
    m->hops = hops + 1, m->taken = 0;
    m->data = malloc(op->bytes + 1);
    memcpy(m->data, (char *)cp->bufs[op->in[0]].data + op->offset, op->bytes);
    st->sends++;
    st->send_bytes += op->bytes;
    if (op->collective < 4) st->coll_bytes[op->collective] += op->bytes;
}

static void do_recv(msg *m, const prog_op *op, chip_program *cp, run_stats *st)
{
    if (m->bytes != op->bytes) st->mismatch = 1;
    unsigned char *dst = (unsigned char *)cp->bufs[op->in[0]].data + op->offset;
    if (op->accumulate) {
        for (uint64_t i = 0; i + 4 <= op->bytes; i += 4) {
            uint32_t a, b;
            memcpy(&a, dst + i, 4);
            memcpy(&b, m->data + i, 4);
            a += b;   /* wrapping int32 add, as the hardware does */
            memcpy(dst + i, &a, 4);
        }
    } else {
        memcpy(dst, m->data, op->bytes);
    }
    m->taken = 1;
    st->recvs++;
}

/* Runs the expanded program: each chip advances until it blocks on a RECV. */
static run_stats execute(system_program *p)
{
    run_stats st = {0};
    uint32_t n = p->n_chips, *pc = calloc(n, sizeof *pc), *hops = calloc(n, sizeof *hops);
    mailbox *box = calloc(n, sizeof *box);
    for (;;) {
        int progress = 0, done = 1;
        for (uint32_t c = 0; c < n; c++) {
            chip_program *cp = &p->chips[c];
            while (pc[c] < cp->n_ops) {
                const prog_op *op = &cp->ops[pc[c]];
                if (op->kind == OP_SEND) {
                    do_send(box, c, op, cp, op->collective == 0 ? hops[c] : 0, &st);
                } else if (op->kind == OP_RECV) {
                    msg *m = find(&box[c], (uint32_t)op->peer, op->tag);
                    if (!m) break;
                    if (op->collective == 0 && m->hops > hops[c]) hops[c] = m->hops;
                    do_recv(m, op, cp, &st);
                } else if (op->kind == OP_REDUCE || op->kind == OP_BCAST ||
                           op->kind == OP_ALLREDUCE) {
                    st.mismatch = 1;   /* left unexpanded */
                }
                pc[c]++;
                progress = 1;
            }
            if (pc[c] < cp->n_ops) done = 0;
        }
        if (done) break;
        if (!progress) {
            st.deadlock = 1;
            break;
        }
    }
    for (uint32_t c = 0; c < n; c++) {
        for (size_t i = 0; i < box[c].n; i++) {
            if (!box[c].m[i].taken) st.mismatch = 1;
            free(box[c].m[i].data);
        }
        free(box[c].m);
    }
    st.root_hops = hops[p->root];
    free(box);
    free(pc);
    free(hops);
    return st;
}

static uint32_t ceil_log(uint32_t n, uint32_t k)
{
    uint32_t d = 0;
    for (uint64_t cap = 1; cap < n; cap *= k) d++;
    return d;
}

static void check_topology(system_topology t, uint32_t n, uint32_t root)
{
    uint32_t sum[LEN];
    int8_t bval[BLEN];
    system_program *p = make_program(n, root, sum, bval);
    char err[256] = "";
    int rc = topology_expand(&t, p, err, sizeof err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    run_stats st = execute(p);
    CU_ASSERT_FALSE(st.deadlock);
    CU_ASSERT_FALSE(st.mismatch);
    CU_ASSERT_FALSE(st.dup_tag);
    CU_ASSERT_EQUAL(st.sends, st.recvs);
    uint32_t sum3[LEN];
    for (int i = 0; i < LEN; i++) sum3[i] = 3 * sum[i];
    for (uint32_t c = 0; c < n; c++) {
        CU_ASSERT_EQUAL(memcmp(p->chips[c].bufs[0].data, sum, sizeof sum), 0);
        CU_ASSERT_EQUAL(memcmp(p->chips[c].bufs[1].data, bval, sizeof bval), 0);
        CU_ASSERT_EQUAL(memcmp(p->chips[c].bufs[2].data, sum3, sizeof sum3), 0);
    }
    /* An all-reduce sends 2(n-1) payloads, whatever the algorithm: every
     * chip's contribution in, the sum out (a tree: up and down; a ring: each
     * of n chunks n-1 hops in each phase). Every chip but the root is
     * served once per broadcast: (n-1) payloads. */
    CU_ASSERT_EQUAL(st.coll_bytes[3], 2 * (uint64_t)(n - 1) * LEN * 4);
    CU_ASSERT_EQUAL(st.coll_bytes[1], (uint64_t)(n - 1) * LEN * 4);
    CU_ASSERT_EQUAL(st.coll_bytes[2], (uint64_t)(n - 1) * BLEN);
    /* A reduction onto the root: every chip contributes once when the sum
     * only goes there; a ring ending its sums on every chip forwards chunks
     * to the root after its reduce-scatter, at most n-1 more payloads. */
    if (topology_reduce_result(&t) == REDUCE_ON_ROOT) {
        CU_ASSERT_EQUAL(st.coll_bytes[0], (uint64_t)(n - 1) * LEN * 4);
    } else {
        CU_ASSERT(st.coll_bytes[0] >= (uint64_t)(n - 1) * LEN * 4 &&
                  st.coll_bytes[0] <= 2 * (uint64_t)(n - 1) * LEN * 4);
    }
    /* The longest chain of messages into the root: one per tree level at
     * most (exactly that when n is a power of fan_in), 1 for a star, n-1
     * along a chain; a ring's reduce-scatter alone is n-1 steps. */
    if (!strcmp(t.collective->name, "ring_allreduce")) {
        CU_ASSERT(st.root_hops >= n - 1);
    } else if (!strcmp(t.collective->name, "reduction_tree")) {
        uint64_t k = fan_in_of(&t);
        uint32_t depth = ceil_log(n, (uint32_t)k);
        CU_ASSERT(st.root_hops <= depth && (n == 1 || st.root_hops >= 1));
        uint64_t full = 1;
        for (uint32_t d = 0; d < depth; d++) full *= k;
        if (full == n) CU_ASSERT_EQUAL(st.root_hops, depth);
    } else {
        CU_ASSERT_EQUAL(st.root_hops, !strcmp(t.collective->name, "star") ? (n > 1) : n - 1);
    }
    system_program_destroy(p);
}

static void test_tree_sums(void)
{
    const char *fans[] = {"2", "3", "4", "8"};
    for (size_t f = 0; f < 4; f++)
        for (uint32_t n = 1; n <= 64; n++)
            check_topology(topo("reduction_tree", "fan_in", fans[f]), n, 7 % n);
}

static void test_tree_nonzero_root(void)
{
    for (uint32_t n = 2; n <= 20; n++) check_topology(topo("reduction_tree", NULL, NULL), n, n - 1);
}

static void test_chain_sums(void)
{
    const char *chunks[] = {"1", "4", "64"};   /* 64 > LEN: fewer, non-empty chunks */
    for (size_t k = 0; k < 3; k++)
        for (uint32_t n = 1; n <= 64; n++)
            check_topology(topo("chain", "chunks", chunks[k]), n, n / 2);
}

static void test_star_sums(void)
{
    for (uint32_t n = 1; n <= 64; n++) check_topology(topo("star", NULL, NULL), n, n / 3);
}

/* Every entry of the registry, whatever it is, sums and broadcasts
 * correctly with its defaults (a new entry is covered without a line here). */
static void test_every_entry_sums(void)
{
    const registry_entry *const *all = collective_entries();
    for (size_t i = 0; all[i]; i++)
        for (uint32_t n = 1; n <= 33; n++) check_topology(topo(all[i]->name, NULL, NULL), n, n / 2);
}

/* The ring on 1..64 chips (more chips than the 37 elements: empty chunks),
 * with three roots up to 20 chips: it sums and broadcasts (above); every message goes
 * from a chip to the next one around the ring; in the all-reduce every chip
 * sends the same share, 2(n-1) chunks of at most ceil(37/n) elements, and
 * no empty message. */
static void test_ring_allreduce(void)
{
    for (uint32_t n = 1; n <= 64; n++) {
        const uint32_t roots[] = {n / 2, 0, n - 1};
        for (int k = 0; k < (n <= 20 ? 3 : 1); k++) {
            check_topology(topo("ring_allreduce", NULL, NULL), n, roots[k]);
            uint32_t sum[LEN];
            int8_t bval[BLEN];
            system_program *p = make_program(n, roots[k], sum, bval);
            system_topology t = topo("ring_allreduce", NULL, NULL);
            char err[256];
            CU_ASSERT_EQUAL_FATAL(topology_expand(&t, p, err, sizeof err), 0);
            uint64_t share = (LEN + n - 1) / n * 4;
            for (uint32_t c = 0; c < n; c++) {
                uint32_t msgs = 0, bad = 0;
                uint64_t bytes = 0;
                for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
                    const prog_op *op = &p->chips[c].ops[i];
                    bool send = op->kind == OP_SEND;
                    int32_t next = (int32_t)((c + 1) % n), prev = (int32_t)((c + n - 1) % n);
                    bad += (!send && op->kind != OP_RECV) || op->bytes == 0 ||
                           op->peer != (send ? next : prev);
                    if (!send || op->collective != 3) continue;
                    msgs++;
                    bytes += op->bytes;
                }
                CU_ASSERT_EQUAL(bad, 0);
                CU_ASSERT(msgs <= 2 * (n - 1) && bytes <= 2 * (n - 1) * share);
                if (n <= LEN) CU_ASSERT_EQUAL(msgs, 2 * (n - 1));
            }
            system_program_destroy(p);
        }
    }
    /* what the memory estimate counts bounds the messages really sent */
    system_topology t = topo("ring_allreduce", NULL, NULL);
    CU_ASSERT_EQUAL(topology_messages(&t, 8), 2 * 8 * 7);
    CU_ASSERT_EQUAL(topology_reduce_result(&t), REDUCE_ON_ALL);
}

/* An all-reduce through a collective whose sums end on the root is its
 * reduce followed by its broadcast of the int32 sum, step for step. */
static void test_allreduce_on_root_entries(void)
{
    const registry_entry *const *all = collective_entries();
    for (size_t e = 0; all[e]; e++) {
        system_topology t = topo(all[e]->name, NULL, NULL);
        if (topology_reduce_result(&t) != REDUCE_ON_ROOT) continue;
        for (uint32_t n = 1; n <= 9; n++) {
            uint32_t sum[LEN];
            int8_t bval[BLEN];
            system_program *a = make_program(n, 0, sum, bval), *b = make_program(n, 0, sum, bval);
            for (uint32_t c = 0; c < n; c++) {   /* b: reduce c, bcast c instead of allreduce c */
                chip_program *cp = &b->chips[c];
                prog_op r = cp->ops[3], x = cp->ops[3];
                r.kind = OP_REDUCE;
                x.kind = OP_BCAST;
                x.out = x.in[0];
                cp->ops[3] = r;
                CU_ASSERT_FATAL(chip_add_op(cp, &x) >= 0);
                cp->ops[4].collective = 4;
            }
            char err[256];
            CU_ASSERT_EQUAL_FATAL(topology_expand(&t, a, err, sizeof err), 0);
            CU_ASSERT_EQUAL_FATAL(topology_expand(&t, b, err, sizeof err), 0);
            for (uint32_t c = 0; c < n; c++) {
                CU_ASSERT_EQUAL_FATAL(a->chips[c].n_ops, b->chips[c].n_ops);
                for (uint32_t i = 0; i < a->chips[c].n_ops; i++) {
                    const prog_op *x = &a->chips[c].ops[i], *y = &b->chips[c].ops[i];
                    CU_ASSERT(x->kind == y->kind && x->peer == y->peer && x->tag == y->tag &&
                              x->bytes == y->bytes && x->accumulate == y->accumulate);
                }
            }
            system_program_destroy(a);
            system_program_destroy(b);
        }
    }
}

static bool same_step(const prog_op *a, const prog_op *b)
{
    return a->kind == b->kind && a->peer == b->peer && a->tag == b->tag &&
           a->offset == b->offset && a->bytes == b->bytes && a->accumulate == b->accumulate &&
           a->in[0] == b->in[0] && a->collective == b->collective &&
           a->sum_in_l1 == b->sum_in_l1 && a->sum_stays_in_l1 == b->sum_stays_in_l1 &&
           !strcmp(a->label, b->label);
}

/* The old name "ring" is the chain, schedule for schedule. */
static void test_ring_alias_is_chain(void)
{
    for (uint32_t n = 1; n <= 12; n++) {
        uint32_t sum[LEN];
        int8_t bval[BLEN];
        system_program *a = make_program(n, 0, sum, bval), *b = make_program(n, 0, sum, bval);
        system_topology ring = topo("ring", NULL, NULL), chain = topo("chain", NULL, NULL);
        char err[256];
        CU_ASSERT_PTR_EQUAL(ring.collective, chain.collective);
        CU_ASSERT_EQUAL_FATAL(topology_expand(&ring, a, err, sizeof err), 0);
        CU_ASSERT_EQUAL_FATAL(topology_expand(&chain, b, err, sizeof err), 0);
        for (uint32_t c = 0; c < n; c++) {
            CU_ASSERT_EQUAL_FATAL(a->chips[c].n_ops, b->chips[c].n_ops);
            for (uint32_t i = 0; i < a->chips[c].n_ops; i++)
                CU_ASSERT(same_step(&a->chips[c].ops[i], &b->chips[c].ops[i]));
        }
        system_program_destroy(a);
        system_program_destroy(b);
    }
}

/* k-adic valuation: the level at which rank r stops being a leader. */
static uint32_t level_of(uint32_t r, uint32_t k)
{
    uint32_t l = 1;
    while (r % k == 0) {
        r /= k;
        l++;
    }
    return l;
}

/* Tree reduce: level l has ceil(n/k^(l-1)) participants of which
 * ceil(n/k^l) lead, so it takes the difference in steps. */
static void test_tree_steps_per_level(void)
{
    const uint32_t fans[] = {2, 4, 8};
    for (size_t f = 0; f < 3; f++) {
        uint32_t k = fans[f];
        for (uint32_t n = 1; n <= 64; n++) {
            uint32_t sum[LEN];
            int8_t bval[BLEN];
            system_program *p = make_program(n, 0, sum, bval);
            char kt[8];
            snprintf(kt, sizeof kt, "%u", k);
            system_topology t = topo("reduction_tree", "fan_in", kt);
            char err[256];
            CU_ASSERT_EQUAL_FATAL(topology_expand(&t, p, err, sizeof err), 0);
            uint32_t per_level[16] = {0};
            uint64_t bytes = 0;
            for (uint32_t c = 0; c < n; c++)
                for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
                    const prog_op *op = &p->chips[c].ops[i];
                    if (op->kind != OP_SEND || op->collective != 0) continue;
                    per_level[level_of(c, k)]++;
                    bytes += op->bytes;
                    CU_ASSERT_EQUAL(op->bytes, LEN * 4);
                }
            uint32_t depth = ceil_log(n, k), total = 0;
            uint64_t span = 1;
            for (uint32_t l = 1; l < 16; l++, span *= k) {
                uint32_t expect = l <= depth ? (uint32_t)((n + span - 1) / span -
                                                          (n + span * k - 1) / (span * k))
                                             : 0;
                CU_ASSERT_EQUAL(per_level[l], expect);
                total += per_level[l];
            }
            CU_ASSERT_EQUAL(total, n - 1);
            /* depth = ceil(log_k n): the top level is the last one used. */
            if (n > 1) CU_ASSERT(per_level[depth] > 0 && per_level[depth + 1] == 0);
            CU_ASSERT_EQUAL(bytes, (uint64_t)(n - 1) * LEN * 4);
            system_program_destroy(p);
        }
    }
}

/* A leader summing its group keeps the running sum in L1: within every run
 * of consecutive accumulating receives into the same bytes, all but the
 * first find the sum in L1 and all but the last leave it there; nothing
 * else is marked. */
static void test_running_sums_marked(void)
{
    for (uint32_t n = 1; n <= 16; n++) {
        uint32_t sum[LEN];
        int8_t bval[BLEN];
        system_program *p = make_program(n, 0, sum, bval);
        system_topology t = topo("reduction_tree", "fan_in", "4");
        char err[256];
        CU_ASSERT_EQUAL_FATAL(topology_expand(&t, p, err, sizeof err), 0);
        for (uint32_t c = 0; c < n; c++) {
            const chip_program *cp = &p->chips[c];
            for (uint32_t i = 0; i < cp->n_ops; i++) {
                const prog_op *op = &cp->ops[i];
                const prog_op *prev = i ? &cp->ops[i - 1] : NULL;
                const prog_op *next = i + 1 < cp->n_ops ? &cp->ops[i + 1] : NULL;
                bool acc = op->kind == OP_RECV && op->accumulate;
                bool same_prev = acc && prev && prev->kind == OP_RECV && prev->accumulate &&
                                 prev->in[0] == op->in[0] && prev->offset == op->offset &&
                                 prev->bytes == op->bytes;
                bool same_next = acc && next && next->kind == OP_RECV && next->accumulate &&
                                 next->in[0] == op->in[0] && next->offset == op->offset &&
                                 next->bytes == op->bytes;
                CU_ASSERT_EQUAL(op->sum_in_l1, same_prev);
                CU_ASSERT_EQUAL(op->sum_stays_in_l1, same_next);
            }
        }
        system_program_destroy(p);
    }
}

static void test_links_star(void)
{
    uint32_t sum[LEN];
    int8_t bval[BLEN];
    uint32_t n = 6, root = 2;
    system_program *p = make_program(n, root, sum, bval);
    system_topology t = topo("star", NULL, NULL);
    char err[256];
    CU_ASSERT_EQUAL_FATAL(topology_expand(&t, p, err, sizeof err), 0);
    uint32_t(*pairs)[2] = NULL;
    size_t np = 0;
    CU_ASSERT_EQUAL_FATAL(topology_links(p, &pairs, &np), 0);
    CU_ASSERT_EQUAL(np, 2 * (n - 1));
    for (size_t i = 0; i < np; i++) {
        CU_ASSERT((pairs[i][0] == root) != (pairs[i][1] == root));
        if (i) CU_ASSERT(pairs[i - 1][0] < pairs[i][0] ||
                         (pairs[i - 1][0] == pairs[i][0] && pairs[i - 1][1] < pairs[i][1]));
    }
    free(pairs);
    system_program_destroy(p);
}

static void test_rejects_bad_programs(void)
{
    uint32_t sum[LEN];
    int8_t bval[BLEN];
    char err[256] = "";
    system_topology t = topo("reduction_tree", "fan_in", "4");

    /* A chip missing a collective. */
    system_program *p = make_program(3, 0, sum, bval);
    p->chips[2].n_ops--;
    CU_ASSERT_NOT_EQUAL(topology_expand(&t, p, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "collectives"));
    system_program_destroy(p);

    /* Summing int8 is not a reduction the links carry. */
    p = make_program(3, 0, sum, bval);
    for (uint32_t c = 0; c < 3; c++) p->chips[c].ops[0].in[0] = 1;
    CU_ASSERT_NOT_EQUAL(topology_expand(&t, p, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "int32"));
    system_program_destroy(p);

    /* fan_in 1 would never reach the root: a C caller that writes the
     * struct itself is held to the entry's ranges too. */
    p = make_program(3, 0, sum, bval);
    *(uint64_t *)topology_param(&t, "fan_in") = 1;
    CU_ASSERT_NOT_EQUAL(topology_expand(&t, p, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "fan_in"));
    CU_ASSERT_EQUAL(p->chips[0].ops[0].kind, OP_REDUCE);   /* untouched on error */
    system_program_destroy(p);
}

static int register_tests(void)
{
    ADD_SUITE("expand", TEST(test_tree_sums), TEST(test_tree_nonzero_root),
              TEST(test_chain_sums), TEST(test_star_sums), TEST(test_every_entry_sums),
              TEST(test_ring_allreduce), TEST(test_allreduce_on_root_entries),
              TEST(test_ring_alias_is_chain), TEST(test_tree_steps_per_level),
              TEST(test_links_star), TEST(test_rejects_bad_programs),
              TEST(test_running_sums_marked));
    return 0;
}

CUNIT_MAIN(register_tests)
