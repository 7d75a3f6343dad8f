/* topology_expand: every OP_REDUCE / OP_BCAST / OP_ALLREDUCE of a program
 * becomes the point-to-point steps its collective emits (collective.h), then the
 * generic running-sum pass. A collective involves a group of chips (all of
 * them unless the op names a group, prog_op.group_*): the k-th collective
 * of a group on each of its chips is the same collective, so the chips
 * must agree on kind, id, offset and size. Collectives are expanded in the
 * order of their ids (then group, then position), which for a program
 * whose every collective involves every chip is their order in it. Nothing
 * is modified until every collective has been expanded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collective.h"
#include "steps_internal.h"
#include "topology.h"

static bool is_collective(op_kind k)
{
    return k == OP_REDUCE || k == OP_BCAST || k == OP_ALLREDUCE;
}

/* One collective op of one chip, with the site it belongs to. */
typedef struct entry {
    uint32_t first, n, root_off;   /* its group */
    uint32_t k;                    /* how many collectives of that group the chip had before */
    uint32_t chip, at;             /* where it is written */
    uint32_t self;                 /* its index in the list of entries */
    uint32_t site;                 /* filled once sites are made */
} entry;

/* Same group and position: the same collective. */
static int same_cmp(const entry *x, const entry *y)
{
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    if (x->n != y->n) return x->n < y->n ? -1 : 1;
    if (x->root_off != y->root_off) return x->root_off < y->root_off ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = same_cmp(x, y);
    if (c) return c;
    return x->chip < y->chip ? -1 : x->chip > y->chip;
}

/* The group of a collective op of chip `chip`: 0 or -1 when the op names
 * a group outside the program or one without the chip. */
static int group_of(const system_program *p, uint32_t chip, uint32_t at, entry *e, char *err,
                    size_t errlen)
{
    const prog_op *op = &p->chips[chip].ops[at];
    if (op->group_size == 0) {
        e->first = 0, e->n = p->n_chips, e->root_off = p->root;
    } else {
        e->first = op->group_first, e->n = op->group_size, e->root_off = 0;
        if ((uint64_t)e->first + e->n > p->n_chips || chip < e->first || chip >= e->first + e->n) {
            snprintf(err, errlen, "chip %u op %u '%s': %s over chips %u..%llu, which %s", chip,
                     at, op->label, op_kind_name(op->kind), e->first,
                     (unsigned long long)e->first + e->n - 1,
                     (uint64_t)e->first + e->n > p->n_chips ? "the program does not have"
                                                            : "do not include the chip");
            return -1;
        }
    }
    e->chip = chip;
    e->at = at;
    return 0;
}

/* Reads the collective of `e` into site, or checks it against what the
 * site's first chip said. */
static int read_collective(const system_program *p, const entry *e, bool first,
                           collective_site *site, char *err, size_t errlen)
{
    const chip_program *cp = &p->chips[e->chip];
    const prog_op *op = &cp->ops[e->at];
    uint32_t chip = e->chip, at = e->at;
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
    bool sums = op->kind == OP_REDUCE || op->kind == OP_ALLREDUCE;
    if (sums && (buf->type != DT_I32 || bytes % 4 || op->offset % 4)) {
        snprintf(err, errlen, "chip %u op %u '%s': %s needs whole int32 elements", chip, at,
                 op->label, op->kind == OP_REDUCE ? "OP_REDUCE" : "OP_ALLREDUCE");
        return -1;
    }
    if (first) {
        site->c.kind = op->kind;
        site->c.bytes = bytes;
        site->c.elem = sums ? 4 : (uint32_t)dtype_size(buf->type);
        site->id = op->collective;
        site->offset = op->offset;
        site->first = e->first, site->n = e->n, site->root_off = e->root_off;
        site->inference = op->inference;
        memcpy(site->label, op->label, sizeof site->label);
    } else if (site->c.kind != op->kind || site->c.bytes != bytes ||
               site->offset != op->offset || site->id != op->collective ||
               site->inference != op->inference) {
        snprintf(err, errlen, "chip %u op %u '%s': collective does not match chip %u's '%s' "
                 "(kind, id, offset, size or inference)", chip, at, op->label, site->first,
                 site->label);
        return -1;
    }
    site->buf[chip] = b;
    return 0;
}

static void free_sites(collective_site *sites, uint32_t n)
{
    for (uint32_t j = 0; sites && j < n; j++) free(sites[j].buf);
    free(sites);
}

/* Every collective op of every chip, chip by chip in op order, with its
 * group and position. */
static entry *list_entries(const system_program *p, size_t *n_out, char *err, size_t errlen)
{
    size_t n = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) n += is_collective(p->chips[c].ops[i].kind);
    entry *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory expanding collectives");
        return NULL;
    }
    size_t k = 0;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        /* the chip's groups so far with their counts (a chip is in one or two) */
        entry seen[8];
        size_t n_seen = 0;
        const chip_program *cp = &p->chips[c];
        for (uint32_t i = 0; i < cp->n_ops; i++) {
            if (!is_collective(cp->ops[i].kind)) continue;
            entry *e = &v[k];
            if (group_of(p, c, i, e, err, errlen)) {
                free(v);
                return NULL;
            }
            size_t g = 0;
            while (g < n_seen && (seen[g].first != e->first || seen[g].n != e->n ||
                                  seen[g].root_off != e->root_off))
                g++;
            if (g == n_seen) {
                if (n_seen == sizeof seen / sizeof seen[0]) {
                    snprintf(err, errlen, "chip %u: collectives in more than %zu groups", c,
                             sizeof seen / sizeof seen[0]);
                    free(v);
                    return NULL;
                }
                seen[n_seen++] = (entry){.first = e->first, .n = e->n, .root_off = e->root_off};
            }
            e->k = seen[g].k++;
            e->self = (uint32_t)k++;
        }
    }
    *n_out = n;
    return v;
}

/* Expansion order: by id, then group, then position. */
typedef struct site_key {
    uint32_t id, first, k, index;
} site_key;

static int key_cmp(const void *a, const void *b)
{
    const site_key *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* A group's k-th collective must be on each of its chips: the first chip
 * missing from run [from, to) of entries sorted by chip, or UINT32_MAX. */
static uint32_t missing_member(const entry *v, size_t from, size_t to)
{
    for (size_t j = from; j < to; j++)
        if (v[j].chip != v[from].first + (uint32_t)(j - from)) return v[from].first + (uint32_t)(j - from);
    return to - from < v[from].n ? v[from].first + (uint32_t)(to - from) : UINT32_MAX;
}

/* The sites of run [from, to) of sorted entries: one collective, read and
 * checked; its entries learn their site. */
static int make_site(const system_program *p, const entry *sorted, size_t from, size_t to,
                     entry *v, uint32_t index, collective_site *site, char *err, size_t errlen)
{
    site->buf = malloc(p->n_chips * sizeof *site->buf);
    if (!site->buf) {
        snprintf(err, errlen, "out of memory expanding collectives");
        return -1;
    }
    for (uint32_t c = 0; c < p->n_chips; c++) site->buf[c] = -1;
    uint32_t gone = missing_member(sorted, from, to);
    if (gone != UINT32_MAX) {
        const entry *e = &sorted[from];
        snprintf(err, errlen, "chip %u has %u collectives over chips %u..%u, chip %u has more",
                 gone, e->k, e->first, e->first + e->n - 1, e->chip);
        return -1;
    }
    for (size_t m = from; m < to; m++) {
        if (read_collective(p, &sorted[m], m == from, site, err, errlen)) return -1;
        v[sorted[m].self].site = index;
    }
    return 0;
}

/* Finds every collective, checks its chips agree, and orders the sites
 * for expansion; *entries (caller frees) name each op's site. */
static collective_site *gather(const system_program *p, entry **entries, uint32_t *n_sites,
                               char *err, size_t errlen)
{
    size_t n;
    entry *v = list_entries(p, &n, err, errlen);
    if (!v) return NULL;
    entry *sorted = malloc((n ? n : 1) * sizeof *sorted);
    site_key *keys = calloc(n ? n : 1, sizeof *keys);
    collective_site *made = calloc(n ? n : 1, sizeof *made), *sites = NULL;
    uint32_t *order = calloc(n ? n : 1, sizeof *order);
    uint32_t ns = 0;
    int rc = sorted && keys && made && order ? 0 : -1;
    if (rc) snprintf(err, errlen, "out of memory expanding collectives");
    if (rc == 0) {
        memcpy(sorted, v, n * sizeof *v);
        qsort(sorted, n, sizeof *sorted, entry_cmp);
    }
    for (size_t i = 0; rc == 0 && i < n;) {
        size_t j = i + 1;
        while (j < n && same_cmp(&sorted[i], &sorted[j]) == 0) j++;
        rc = make_site(p, sorted, i, j, v, ns, &made[ns], err, errlen);
        keys[ns] = (site_key){made[ns].id, made[ns].first, sorted[i].k, ns};
        ns++;
        i = j;
    }
    if (rc == 0) {
        qsort(keys, ns, sizeof *keys, key_cmp);
        sites = calloc(ns ? ns : 1, sizeof *sites);
        if (!sites) {
            snprintf(err, errlen, "out of memory expanding collectives");
            rc = -1;
        }
    }
    for (uint32_t s = 0; rc == 0 && s < ns; s++) {
        sites[s] = made[keys[s].index];
        made[keys[s].index].buf = NULL;
        order[keys[s].index] = s;
    }
    for (size_t e = 0; rc == 0 && e < n; e++) v[e].site = order[v[e].site];
    free_sites(made, ns);
    free(sorted);
    free(keys);
    free(order);
    if (rc) {
        free(v);
        return NULL;
    }
    *entries = v;
    *n_sites = ns;
    return sites;
}

/* Replaces chip c's collectives by their steps; `mine` are its entries,
 * in op order. */
static int rewrite_chip(chip_program *cp, step_list *const *steps, uint32_t chip,
                        const entry *mine)
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
        const step_list *v = &steps[mine[j++].site][chip];
        for (size_t s = 0; s < v->n && !rc; s++) rc = chip_add_op(cp, &v->v[s]) < 0;
    }
    free(old);
    return rc ? -1 : 0;
}

/* Tags of a partitioner's own sends and receives stay theirs: the
 * collectives' tags start above them. */
static uint32_t first_free_tag(const system_program *p)
{
    uint32_t next = 0;
    for (uint32_t c = 0; c < p->n_chips; c++)
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) {
            const prog_op *op = &p->chips[c].ops[i];
            if ((op->kind == OP_SEND || op->kind == OP_RECV) && op->tag >= next) next = op->tag + 1;
        }
    return next;
}

int topology_expand(const system_topology *t, system_program *p, char *err, size_t errlen)
{
    if (topology_check(t, err, errlen)) return -1;
    if (p->n_chips == 0 || p->root >= p->n_chips) {
        snprintf(err, errlen, "program: root chip %u outside 0..%u", p->root,
                 p->n_chips ? p->n_chips - 1 : 0);
        return -1;
    }
    uint32_t n_sites = 0;
    entry *entries = NULL;
    collective_site *sites = gather(p, &entries, &n_sites, err, errlen);
    if (!sites) return -1;
    const collective_ops *ops = t->collective->ops;
    step_list **steps = calloc(n_sites ? n_sites : 1, sizeof *steps);
    collective_steps x = {NULL, NULL, ops->levels ? ops->pair_level : NULL, t->params.bytes,
                          first_free_tag(p), steps == NULL, false};
    uint32_t j = 0;
    for (; j < n_sites && !x.failed && !x.bad_step; j++) {
        steps[j] = calloc(p->n_chips, sizeof **steps);
        if (!steps[j]) {
            x.failed = true;
            break;
        }
        x.site = &sites[j];
        x.per_chip = steps[j];
        collective c = sites[j].c;
        if (c.kind == OP_ALLREDUCE && ops->result != REDUCE_ON_ALL) {
            /* the sum on the root, then the root's sum to every chip */
            c.kind = OP_REDUCE;
            ops->expand(t->params.bytes, &c, &x);
            c.kind = OP_BCAST;
        }
        ops->expand(t->params.bytes, &c, &x);
    }
    int rc = x.failed || x.bad_step ? -1 : 0;
    const entry *mine = entries;   /* chip by chip, in op order */
    for (uint32_t c = 0; c < p->n_chips && !rc; c++) {
        size_t count = 0;
        for (uint32_t i = 0; i < p->chips[c].n_ops; i++) count += is_collective(p->chips[c].ops[i].kind);
        rc = rewrite_chip(&p->chips[c], steps, c, mine);
        mine += count;
    }
    for (uint32_t c = 0; c < p->n_chips && !rc; c++) collective_mark_running_sums(&p->chips[c]);
    if (x.bad_step)
        snprintf(err, errlen, "collective %s: '%s' got a step outside its %u ranks or its %llu "
                 "bytes", t->collective->name, sites[j - 1].label, sites[j - 1].n,
                 (unsigned long long)sites[j - 1].c.bytes);
    else if (rc)
        snprintf(err, errlen, "out of memory expanding collectives");
    for (uint32_t j = 0; steps && j < n_sites; j++) {
        for (uint32_t c = 0; steps[j] && c < p->n_chips; c++) free(steps[j][c].v);
        free(steps[j]);
    }
    free(steps);
    free_sites(sites, n_sites);
    free(entries);
    return rc;
}
