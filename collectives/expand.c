/* topology_expand: every OP_REDUCE / OP_BCAST / OP_ALLREDUCE of a program
 * becomes the point-to-point steps its collective emits (collective.h),
 * then the generic running-sum pass. The k-th collective op of every chip is the
 * same collective: the chips must agree on kind, id, offset and size.
 * Nothing is modified until every collective has been expanded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "steps_internal.h"
#include "topology.h"

static bool is_collective(op_kind k)
{
    return k == OP_REDUCE || k == OP_BCAST || k == OP_ALLREDUCE;
}

static uint32_t count_collectives(const chip_program *c)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->n_ops; i++) n += is_collective(c->ops[i].kind);
    return n;
}

/* Reads the collective of chip `chip` at op index `at` into site, or
 * checks it against what chip 0 said. */
static int read_collective(const system_program *p, uint32_t chip, uint32_t at,
                           collective_site *site, char *err, size_t errlen)
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
    bool sums = op->kind == OP_REDUCE || op->kind == OP_ALLREDUCE;
    if (sums && (buf->type != DT_I32 || bytes % 4 || op->offset % 4)) {
        snprintf(err, errlen, "chip %u op %u '%s': %s needs whole int32 elements", chip, at,
                 op->label, op->kind == OP_REDUCE ? "OP_REDUCE" : "OP_ALLREDUCE");
        return -1;
    }
    if (chip == 0) {
        site->c.kind = op->kind;
        site->c.bytes = bytes;
        site->c.elem = sums ? 4 : (uint32_t)dtype_size(buf->type);
        site->id = op->collective;
        site->offset = op->offset;
        memcpy(site->label, op->label, sizeof site->label);
    } else if (site->c.kind != op->kind || site->c.bytes != bytes ||
               site->offset != op->offset || site->id != op->collective) {
        snprintf(err, errlen, "chip %u op %u '%s': collective does not match chip 0's '%s' "
                 "(kind, id, offset or size)", chip, at, op->label, site->label);
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

/* Finds every chip's collectives, in order, and checks the chips agree. */
static collective_site *gather(const system_program *p, uint32_t *n_sites, char *err,
                               size_t errlen)
{
    uint32_t n = count_collectives(&p->chips[0]);
    for (uint32_t c = 1; c < p->n_chips; c++) {
        if (count_collectives(&p->chips[c]) != n) {
            snprintf(err, errlen, "chip %u has %u collectives, chip 0 has %u", c,
                     count_collectives(&p->chips[c]), n);
            return NULL;
        }
    }
    collective_site *sites = calloc(n ? n : 1, sizeof *sites);
    bool oom = !sites;
    for (uint32_t j = 0; j < n && !oom; j++) {
        sites[j].buf = calloc(p->n_chips, sizeof *sites[j].buf);
        oom = !sites[j].buf;
    }
    if (oom) {
        snprintf(err, errlen, "out of memory expanding collectives");
        free_sites(sites, n);
        return NULL;
    }
    for (uint32_t c = 0; c < p->n_chips; c++) {
        uint32_t j = 0;
        const chip_program *cp = &p->chips[c];
        for (uint32_t i = 0; i < cp->n_ops; i++) {
            if (!is_collective(cp->ops[i].kind)) continue;
            if (read_collective(p, c, i, &sites[j], err, errlen)) {
                free_sites(sites, n);
                return NULL;
            }
            j++;
        }
    }
    *n_sites = n;
    return sites;
}

/* Replaces chip c's collectives by their steps (steps[j] for the j-th). */
static int rewrite_chip(chip_program *cp, step_list *const *steps, uint32_t chip)
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
        const step_list *v = &steps[j++][chip];
        for (size_t s = 0; s < v->n && !rc; s++) rc = chip_add_op(cp, &v->v[s]) < 0;
    }
    free(old);
    return rc ? -1 : 0;
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
    collective_site *sites = gather(p, &n_sites, err, errlen);
    if (!sites) return -1;
    const collective_ops *ops = t->collective->ops;
    step_list **steps = calloc(n_sites ? n_sites : 1, sizeof *steps);
    collective_steps x = {p->n_chips, p->root, NULL, NULL, 0, steps == NULL, false};
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
    for (uint32_t c = 0; c < p->n_chips && !rc; c++) rc = rewrite_chip(&p->chips[c], steps, c);
    for (uint32_t c = 0; c < p->n_chips && !rc; c++) collective_mark_running_sums(&p->chips[c]);
    if (x.bad_step)
        snprintf(err, errlen, "collective %s: '%s' got a step outside its %u ranks or its %llu "
                 "bytes", t->collective->name, sites[j - 1].label, p->n_chips,
                 (unsigned long long)sites[j - 1].c.bytes);
    else if (rc)
        snprintf(err, errlen, "out of memory expanding collectives");
    for (uint32_t j = 0; steps && j < n_sites; j++) {
        for (uint32_t c = 0; steps[j] && c < p->n_chips; c++) free(steps[j][c].v);
        free(steps[j]);
    }
    free(steps);
    free_sites(sites, n_sites);
    return rc;
}
