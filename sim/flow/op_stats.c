/* Per-op rows (op_stats.h): closing the books with the static rows, the
 * invariant that they add up to the chip's figures, and the "top ops"
 * grouping of the summaries. */
#include "op_stats.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_stats.h"

const char *op_record_kind(const op_record *r)
{
    return r->row == OP_ROW_OP ? op_kind_name(r->kind) : op_row_kind_name(r->row);
}

/* "b<digits>." at the start of the label. */
int op_record_block(const op_record *r)
{
    const char *s = r->label;
    if (r->row != OP_ROW_OP || s[0] != 'b' || s[1] < '0' || s[1] > '9') return -1;
    long v = 0;
    for (s++; *s >= '0' && *s <= '9'; s++)
        if ((v = v * 10 + (*s - '0')) > 1000000) return -1;
    return *s == '.' ? (int)v : -1;
}

int op_record_bound(const op_record *r, const component_set *cs)
{
    int best = -1;
    for (uint32_t k = 0; k < cs->n && k < COMPONENTS_MAX; k++)
        if (r->time_cycles[k] > 0 && (best < 0 || r->time_cycles[k] > r->time_cycles[best]))
            best = (int)k;
    return best;
}

static void static_row(const run_stats *s, uint32_t c, const double always_w[COMPONENTS_MAX],
                       op_record *r)
{
    memset(r, 0, sizeof *r);
    r->chip = c;
    r->row = OP_ROW_STATIC;
    snprintf(r->label, sizeof r->label, "%s", op_row_kind_name(OP_ROW_STATIC));
    r->start_cycle = r->end_cycle = s->cycles;
    for (uint32_t k = 0; k < s->components.n && k < COMPONENTS_MAX; k++)
        r->energy_j[k] = always_w[k] * s->latency_s;
}

/* The engine hands the rows back chip by chip: each chip's static row goes
 * after its last. */
int op_stats_add_static(run_stats *s, const double (*always_w)[COMPONENTS_MAX])
{
    if (!s->ops) return 0;
    size_t n = s->n_ops + s->chips, at = 0;
    op_record *v = malloc(n * sizeof *v);
    if (!v) {
        free(s->ops);
        s->ops = NULL;
        s->n_ops = 0;
        return -1;
    }
    uint32_t next = 0;   /* chips below it have their static row */
    for (size_t i = 0; i < s->n_ops; i++) {
        for (; next < s->chips && next < s->ops[i].chip; next++)
            static_row(s, next, always_w[next], &v[at++]);
        v[at++] = s->ops[i];
    }
    for (; next < s->chips; next++) static_row(s, next, always_w[next], &v[at++]);
    free(s->ops);
    s->ops = v;
    s->n_ops = at;
    return 0;
}

static int bad(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    return -1;
}

/* Sums in another order than the engine's agree to rounding. */
static bool close_to(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b)) + 1e-300;
}

typedef struct chip_sums {
    uint64_t time[COMPONENTS_MAX];
    double energy[COMPONENTS_MAX];
    uint64_t bytes[MEM_LEVELS_MAX];
    uint64_t link, wire, next_start;
    size_t rows;
} chip_sums;

static int check_row(const run_stats *s, const op_record *r, size_t i, chip_sums *sum,
                     char *why, size_t cap)
{
    const component_set *cs = &s->components;
    if (r->chip >= s->chips)
        return bad(why, cap, "row %zu: chip %" PRIu32 " of a %" PRIu32 "-chip run", i, r->chip, s->chips);
    if ((unsigned)r->row >= OP_ROW__COUNT) return bad(why, cap, "row %zu: unknown row kind", i);
    if (r->row == OP_ROW_OP && (unsigned)r->kind >= OP__COUNT)
        return bad(why, cap, "row %zu: unknown op kind", i);
    if (r->start_cycle != sum->next_start || r->end_cycle < r->start_cycle)
        return bad(why, cap, "chip %" PRIu32 " row %zu ('%s'): cycles %" PRIu64 "..%" PRIu64
                   " do not follow its previous row's end %" PRIu64, r->chip, i, r->label,
                   r->start_cycle, r->end_cycle, sum->next_start);
    uint64_t t = 0;
    for (uint32_t k = 0; k < cs->n; k++) {
        if (!cs->c[k].time && r->time_cycles[k])
            return bad(why, cap, "row %zu: time in %s, which has no time view", i, cs->c[k].name);
        if (!isfinite(r->energy_j[k]) || r->energy_j[k] < 0 || (!cs->c[k].energy && r->energy_j[k]))
            return bad(why, cap, "row %zu: energy of %s is %g", i, cs->c[k].name, r->energy_j[k]);
        t += r->time_cycles[k];
        sum->time[k] += r->time_cycles[k];
        sum->energy[k] += r->energy_j[k];
    }
    if (t != r->end_cycle - r->start_cycle)
        return bad(why, cap, "chip %" PRIu32 " row %zu ('%s'): its split adds up to %" PRIu64
                   " cycles, its stretch is %" PRIu64, r->chip, i, r->label, t,
                   r->end_cycle - r->start_cycle);
    for (uint32_t l = 0; l < s->levels.n; l++) sum->bytes[l] += r->bytes[l];
    sum->link += r->link_bytes;
    sum->wire += r->link_wire_bytes;
    sum->next_start = r->end_cycle;
    sum->rows++;
    return 0;
}

/* The off-chip level, as the point knows it: the one level off chip (the
 * node names it in its layout; a point carries only the flags). */
static int offchip_level(const mem_level_set *levels)
{
    int at = -1;
    for (uint32_t l = 0; l < levels->n; l++)
        if (levels->v[l].off_chip) {
            if (at >= 0) return -2;   /* several: the sum covers them all */
            at = (int)l;
        }
    return at;
}

static int check_chip(const run_stats *s, uint32_t c, const chip_sums *sum, char *why, size_t cap)
{
    const component_set *cs = &s->components;
    const chip_stats *x = &s->per_chip[c];
    if (sum->rows == 0) return bad(why, cap, "chip %" PRIu32 ": no rows", c);
    if (sum->next_start != s->cycles)
        return bad(why, cap, "chip %" PRIu32 ": rows end at cycle %" PRIu64 ", the run at %" PRIu64,
                   c, sum->next_start, s->cycles);
    for (uint32_t k = 0; k < cs->n; k++) {
        if (sum->time[k] != x->time_cycles[k])
            return bad(why, cap, "chip %" PRIu32 ": rows give %s %" PRIu64 " cycles, the chip %" PRIu64,
                       c, cs->c[k].name, sum->time[k], x->time_cycles[k]);
        if (!close_to(sum->energy[k], x->energy_j[k]))
            return bad(why, cap, "chip %" PRIu32 ": rows give %s %.17g J, the chip %.17g J", c,
                       cs->c[k].name, sum->energy[k], x->energy_j[k]);
    }
    int off = offchip_level(&s->levels);
    uint64_t offchip = 0;
    for (uint32_t l = 0; l < s->levels.n; l++)
        if (s->levels.v[l].off_chip) offchip += sum->bytes[l];
    if (off != -1 && offchip != x->offchip_bytes)
        return bad(why, cap, "chip %" PRIu32 ": rows move %" PRIu64 " B off chip, the chip %" PRIu64 " B",
                   c, offchip, x->offchip_bytes);
    if (sum->link != x->link_bytes_sent || sum->wire != x->link_wire_bytes_sent)
        return bad(why, cap, "chip %" PRIu32 ": rows send %" PRIu64 " B (%" PRIu64 " on the wire), "
                   "the chip %" PRIu64 " B (%" PRIu64 ")", c, sum->link, sum->wire,
                   x->link_bytes_sent, x->link_wire_bytes_sent);
    return 0;
}

int op_stats_check(const run_stats *s, char *why, size_t cap)
{
    if (!s->ops || !s->per_chip) return bad(why, cap, "no per-op rows");
    chip_sums *sums = calloc(s->chips, sizeof *sums);
    if (!sums) return bad(why, cap, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < s->n_ops && rc == 0; i++) {
        const op_record *r = &s->ops[i];
        if (r->chip < s->chips && i > 0 && s->ops[i - 1].chip > r->chip)
            rc = bad(why, cap, "row %zu: chip %" PRIu32 " after chip %" PRIu32, i, r->chip,
                     s->ops[i - 1].chip);
        else rc = check_row(s, r, i, r->chip < s->chips ? &sums[r->chip] : &sums[0], why, cap);
    }
    for (uint32_t c = 0; c < s->chips && rc == 0; c++) rc = check_chip(s, c, &sums[c], why, cap);
    free(sums);
    return rc;
}

/* "b3.h2.wq.rq" -> "wq.rq", "b0.attn.reduce<4" -> "attn.reduce": the block
 * and head segments and a collective step's peer go. */
static void group_name(const op_record *r, char *out, size_t cap)
{
    if (r->row != OP_ROW_OP) {
        snprintf(out, cap, "(%s)", op_row_kind_name(r->row));
        return;
    }
    const char *s = r->label;
    for (;;) {
        const char *p = s;
        if ((*p == 'b' || *p == 'h') && p[1] >= '0' && p[1] <= '9') {
            p++;
            while (*p >= '0' && *p <= '9') p++;
            if (*p == '.' && p[1]) { s = p + 1; continue; }
        }
        break;
    }
    size_t n = strlen(s);
    size_t end = n;
    while (end > 0 && s[end - 1] >= '0' && s[end - 1] <= '9') end--;
    if (end < n && end > 0 && (s[end - 1] == '<' || s[end - 1] == '>')) n = end - 1;
    snprintf(out, cap, "%.*s", (int)n, s);
}

static int by_cycles(const void *a, const void *b)
{
    const op_group *x = a, *y = b;
    if (x->cycles != y->cycles) return x->cycles > y->cycles ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->kind, y->kind);
}

size_t op_stats_top(const run_stats *s, op_group *out, size_t max)
{
    size_t cap = 64, n = 0;
    op_group *g = calloc(cap, sizeof *g);
    if (!g) return 0;
    for (size_t i = 0; i < s->n_ops; i++) {
        const op_record *r = &s->ops[i];
        if (r->row == OP_ROW_STATIC) continue;
        char name[OP_LABEL_MAX];
        group_name(r, name, sizeof name);
        const char *kind = op_record_kind(r);
        size_t j = 0;
        while (j < n && (strcmp(g[j].name, name) || strcmp(g[j].kind, kind))) j++;
        if (j == n) {
            if (n == cap) {
                op_group *more = realloc(g, 2 * cap * sizeof *g);
                if (!more) break;
                g = more;
                cap *= 2;
            }
            memset(&g[n], 0, sizeof g[n]);
            snprintf(g[n].name, sizeof g[n].name, "%s", name);
            g[n].kind = kind;
            n++;
        }
        g[j].count++;
        g[j].cycles += r->end_cycle - r->start_cycle;
        for (uint32_t k = 0; k < s->components.n; k++) {
            g[j].time_cycles[k] += r->time_cycles[k];
            g[j].energy_j += r->energy_j[k];
        }
    }
    qsort(g, n, sizeof *g, by_cycles);
    size_t m = n < max ? n : max;
    for (size_t j = 0; j < m; j++) {
        out[j] = g[j];
        out[j].bound = -1;
        for (uint32_t k = 0; k < s->components.n; k++)
            if (g[j].time_cycles[k] > 0 &&
                (out[j].bound < 0 || g[j].time_cycles[k] > g[j].time_cycles[out[j].bound]))
                out[j].bound = (int)k;
    }
    free(g);
    return m;
}
