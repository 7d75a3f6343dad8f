/* Emitting one collective's steps (collective.h): ranks become chips, each
 * step lands on its chip's list in call order and keeps the collective id
 * of the op it came from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "steps_internal.h"

uint32_t collective_ranks(const collective_steps *s)
{
    return s->site->n;
}

uint32_t collective_tag(collective_steps *s)
{
    return s->next_tag++;
}

uint32_t collective_tags(collective_steps *s, uint32_t n)
{
    uint32_t first = s->next_tag;
    s->next_tag += n;
    return first;
}

static void push(collective_steps *s, uint32_t chip, const prog_op *op)
{
    step_list *l = &s->per_chip[chip];
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        prog_op *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) {
            s->failed = true;
            return;
        }
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = *op;
}

static uint32_t chip_of(const collective_steps *s, uint64_t rank)
{
    const collective_site *site = s->site;
    return site->first + (uint32_t)((rank + site->root_off) % site->n);
}

static prog_op step_op(const collective_steps *s, op_kind kind, uint32_t chip, uint32_t peer,
                       uint64_t off, uint64_t bytes, uint32_t tag)
{
    const collective_site *site = s->site;
    prog_op op = prog_op_init(kind, NULL);
    char label[48] = "";
    snprintf(label, sizeof label, "%.30s%c%u", site->label, kind == OP_SEND ? '>' : '<', peer);
    memcpy(op.label, label, sizeof label);
    op.in[0] = site->buf[chip];
    op.peer = (int32_t)peer;
    op.tag = tag;
    op.offset = site->offset + off;
    op.bytes = bytes;
    op.collective = site->id;
    op.inference = site->inference;
    return op;
}

/* A step outside the ranks or the payload is the entry's bug: the
 * expansion fails rather than emit it. */
static bool valid(collective_steps *s, uint32_t a, uint32_t b, uint64_t off, uint64_t bytes)
{
    uint32_t n = s->site->n;
    bool ok = a < n && b < n && a != b && off <= s->site->c.bytes &&
              bytes <= s->site->c.bytes - off;
    if (!ok) s->bad_step = true;
    return ok;
}

void collective_send(collective_steps *s, uint32_t from, uint32_t to, uint64_t off,
                     uint64_t bytes, uint32_t tag)
{
    if (!valid(s, from, to, off, bytes)) return;
    uint32_t src = chip_of(s, from), dst = chip_of(s, to);
    prog_op op = step_op(s, OP_SEND, src, dst, off, bytes, tag);
    op.work.bytes_read = bytes;
    op.level = s->pair_level ? s->pair_level(s->params, from, to) : 0;
    push(s, src, &op);
}

/* An accumulating RECV also reads the old value and adds one int32 per 4 B. */
void collective_recv(collective_steps *s, uint32_t to, uint32_t from, uint64_t off,
                     uint64_t bytes, bool accumulate, uint32_t tag)
{
    if (!valid(s, to, from, off, bytes)) return;
    uint32_t src = chip_of(s, from), dst = chip_of(s, to);
    prog_op op = step_op(s, OP_RECV, dst, src, off, bytes, tag);
    op.level = s->pair_level ? s->pair_level(s->params, from, to) : 0;
    op.accumulate = accumulate;
    op.work.bytes_read = accumulate ? bytes : 0;
    op.work.bytes_written = bytes;
    op.work.elem_ops = accumulate ? bytes / 4 : 0;
    push(s, dst, &op);
}

void collective_transfer(collective_steps *s, uint32_t from, uint32_t to, bool accumulate)
{
    uint32_t tag = collective_tag(s);
    collective_send(s, from, to, 0, s->site->c.bytes, tag);
    collective_recv(s, to, from, 0, s->site->c.bytes, accumulate, tag);
}
