/* --stats ops and the trace's counter tracks on real runs (several
 * experiments and chip counts, functional and timing-only), each in a
 * forked child (one SystemC simulation per process). Every figure is
 * compared with an independent sum, never with a typed-in value:
 *   - per chip, the rows tile the run (contiguous from 0 to its cycles),
 *     their critical-path split adds up to the chip's time_cycles and their
 *     energies to its energy_j (static rows included), their bytes at the
 *     off-chip level to its offchip_bytes, their link bytes to what it sent;
 *   - ops.csv as written says the same (parsed back here);
 *   - the trace (parsed with the project's JSON reader) has what Perfetto's
 *     JSON importer needs on every event, monotone timestamps per track,
 *     non-negative counters, a power counter per chip whose integral is the
 *     chip's dynamic energy, bandwidth counters integrating to the bytes of
 *     each level, and link utilisation within 0..100 %;
 *   - functional and timing-only runs give the same rows bit for bit. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/report/json.h"
#include "../../sim/report/report.h"
#include "../../sim/flow/simulate.h"
#include "cunit_main.h"
#include "test_fork.h"
#include "test_scratch.h"

#define SRC MCUSIM_SOURCE_DIR "/configs/experiments/"

typedef struct outcome {
    int rc;
    char err[512];
    int n_fail;
    char fail[6][300];
    size_t n_rows;
    uint64_t fingerprint;   /* of every row's cycles, energies and bytes */
    uint32_t chips;
    size_t counters;        /* "C" events in the trace */
    size_t instants, stragglers;   /* "i" events: each chip's end, the straggler's */
} outcome;

typedef struct run_args {
    const char *path, *set1, *set2;
    uint32_t chips;
    bool functional;
} run_args;

static void failf(outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failf(outcome *o, const char *fmt, ...)
{
    if (o->n_fail < 6) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(o->fail[o->n_fail], sizeof o->fail[0], fmt, ap);
        va_end(ap);
    }
    o->n_fail++;
}

static bool close_rel(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-18;
}

/* ---- the rows against the chips' figures ---- */

static void check_rows(const run_stats *s, outcome *o)
{
    const component_set *cs = &s->components;
    for (uint32_t c = 0; c < s->chips; c++) {
        uint64_t next = 0, time[COMPONENTS_MAX] = {0}, off = 0, link = 0, wire = 0;
        double energy[COMPONENTS_MAX] = {0};
        size_t rows = 0, statics = 0;
        for (size_t i = 0; i < s->n_ops; i++) {
            const op_record *r = &s->ops[i];
            if (r->chip != c) continue;
            rows++;
            statics += r->row == OP_ROW_STATIC;
            if (r->start_cycle != next) failf(o, "chip %u row %zu starts at %llu, not %llu", c, i,
                                              (unsigned long long)r->start_cycle,
                                              (unsigned long long)next);
            next = r->end_cycle;
            uint64_t split = 0;
            for (uint32_t k = 0; k < cs->n; k++) {
                split += r->time_cycles[k];
                time[k] += r->time_cycles[k];
                energy[k] += r->energy_j[k];
                if (r->energy_j[k] < 0) failf(o, "chip %u row %zu: negative energy", c, i);
            }
            if (split != r->end_cycle - r->start_cycle)
                failf(o, "chip %u row %zu ('%s'): split %llu, stretch %llu", c, i, r->label,
                      (unsigned long long)split,
                      (unsigned long long)(r->end_cycle - r->start_cycle));
            for (uint32_t l = 0; l < s->levels.n; l++)
                if (s->levels.v[l].off_chip) off += r->bytes[l];
            link += r->link_bytes;
            wire += r->link_wire_bytes;
        }
        const chip_stats *x = &s->per_chip[c];
        if (!rows || statics != 1) failf(o, "chip %u: %zu rows, %zu static", c, rows, statics);
        if (next != s->cycles) failf(o, "chip %u: rows end at %llu, run %llu", c,
                                     (unsigned long long)next, (unsigned long long)s->cycles);
        for (uint32_t k = 0; k < cs->n; k++) {
            if (time[k] != x->time_cycles[k])
                failf(o, "chip %u %s: rows %llu cycles, chip %llu", c, cs->c[k].name,
                      (unsigned long long)time[k], (unsigned long long)x->time_cycles[k]);
            if (!close_rel(energy[k], x->energy_j[k], 1e-9))
                failf(o, "chip %u %s: rows %.17g J, chip %.17g J", c, cs->c[k].name, energy[k],
                      x->energy_j[k]);
        }
        if (off != x->offchip_bytes || link != x->link_bytes_sent || wire != x->link_wire_bytes_sent)
            failf(o, "chip %u: bytes off chip %llu/%llu, link %llu/%llu, wire %llu/%llu", c,
                  (unsigned long long)off, (unsigned long long)x->offchip_bytes,
                  (unsigned long long)link, (unsigned long long)x->link_bytes_sent,
                  (unsigned long long)wire, (unsigned long long)x->link_wire_bytes_sent);
    }
}

static uint64_t fingerprint(const run_stats *s)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s->n_ops; i++) {
        const op_record *r = &s->ops[i];
        uint64_t v[2 + COMPONENTS_MAX * 2 + MEM_LEVELS_MAX];
        size_t n = 0;
        v[n++] = r->start_cycle;
        v[n++] = r->end_cycle;
        for (uint32_t k = 0; k < COMPONENTS_MAX; k++) {
            v[n++] = r->time_cycles[k];
            uint64_t bits;
            memcpy(&bits, &r->energy_j[k], sizeof bits);
            v[n++] = bits;
        }
        for (uint32_t l = 0; l < MEM_LEVELS_MAX; l++) v[n++] = r->bytes[l];
        for (size_t j = 0; j < n; j++) h = (h ^ v[j]) * 1099511628211ull;
    }
    return h;
}

/* ---- ops.csv, parsed back ---- */

static size_t split_csv(char *line, char **f, size_t cap)
{
    size_t n = 0;
    for (char *p = line; n < cap;) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static void check_csv(const run_stats *s, const char *path, outcome *o)
{
    FILE *in = fopen(path, "r");
    if (!in) { failf(o, "%s: cannot open", path); return; }
    static char line[1 << 14];
    char *head[256], *f[256];
    char header[1 << 14];
    if (!fgets(header, sizeof header, in)) { failf(o, "ops.csv: empty"); fclose(in); return; }
    header[strcspn(header, "\n")] = '\0';
    size_t nh = split_csv(header, head, 256);
    int col_chip = -1, col_cycles = -1, time_col[COMPONENTS_MAX], energy_col[COMPONENTS_MAX];
    const component_set *cs = &s->components;
    for (uint32_t k = 0; k < cs->n; k++) time_col[k] = energy_col[k] = -1;
    for (size_t j = 0; j < nh; j++) {
        if (!strcmp(head[j], "chip")) col_chip = (int)j;
        if (!strcmp(head[j], "cycles")) col_cycles = (int)j;
        for (uint32_t k = 0; k < cs->n; k++) {
            char t[64], e[64];
            snprintf(t, sizeof t, "time_%s_cycles", cs->c[k].name);
            snprintf(e, sizeof e, "energy_%s_nj", cs->c[k].name);
            if (!strcmp(head[j], t)) time_col[k] = (int)j;
            if (!strcmp(head[j], e)) energy_col[k] = (int)j;
        }
    }
    if (col_chip < 0 || col_cycles < 0) failf(o, "ops.csv: no chip or cycles column");
    for (uint32_t k = 0; k < cs->n; k++)
        if ((time_col[k] >= 0) != cs->c[k].time || (energy_col[k] >= 0) != cs->c[k].energy)
            failf(o, "ops.csv: columns of %s do not follow its views", cs->c[k].name);
    uint64_t *cycles = calloc(s->chips, sizeof *cycles);
    uint64_t(*time)[COMPONENTS_MAX] = calloc(s->chips, sizeof *time);
    double(*energy)[COMPONENTS_MAX] = calloc(s->chips, sizeof *energy);
    size_t rows = 0;
    while (fgets(line, sizeof line, in) && col_chip >= 0 && col_cycles >= 0) {
        line[strcspn(line, "\n")] = '\0';
        if (split_csv(line, f, 256) != nh) { failf(o, "ops.csv: a line of another width"); break; }
        unsigned long c = strtoul(f[col_chip], NULL, 10);
        if (c >= s->chips) { failf(o, "ops.csv: chip %lu", c); break; }
        rows++;
        cycles[c] += strtoull(f[col_cycles], NULL, 10);
        for (uint32_t k = 0; k < cs->n; k++) {
            if (time_col[k] >= 0) time[c][k] += strtoull(f[time_col[k]], NULL, 10);
            if (energy_col[k] >= 0) energy[c][k] += strtod(f[energy_col[k]], NULL) * 1e-9;
        }
    }
    fclose(in);
    if (rows != s->n_ops) failf(o, "ops.csv: %zu rows, %zu records", rows, s->n_ops);
    for (uint32_t c = 0; c < s->chips; c++) {
        if (cycles[c] != s->cycles) failf(o, "ops.csv chip %u: %llu cycles", c, (unsigned long long)cycles[c]);
        for (uint32_t k = 0; k < cs->n; k++) {
            if (time_col[k] >= 0 && time[c][k] != s->per_chip[c].time_cycles[k])
                failf(o, "ops.csv chip %u %s: %llu cycles", c, cs->c[k].name,
                      (unsigned long long)time[c][k]);
            /* %.9g per cell: each rounds by 5e-10 relative at most */
            if (energy_col[k] >= 0 && !close_rel(energy[c][k], s->per_chip[c].energy_j[k], 1e-8))
                failf(o, "ops.csv chip %u %s: %.12g J, chip %.12g J", c, cs->c[k].name,
                      energy[c][k], s->per_chip[c].energy_j[k]);
        }
    }
    free(cycles);
    free(time);
    free(energy);
}

/* ---- the trace ---- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    *len = b ? fread(b, 1, (size_t)n, f) : 0;
    if (b) b[*len] = '\0';
    fclose(f);
    return b;
}

static bool num(const json_value *o, const char *key, double *v)
{
    const json_value *x = json_get(o, key);
    if (!x || x->type != JSON_NUMBER) return false;
    *v = strtod(x->text, NULL);
    return isfinite(*v);
}

typedef struct track {
    char key[96];
    double last_ts, last_v[MEM_LEVELS_MAX + 1], integral[MEM_LEVELS_MAX + 1];
    double last_end;   /* slices: where the previous one ended */
    size_t n_args;
    char arg[MEM_LEVELS_MAX + 1][32];
} track;

static track *track_of(track *t, size_t *n, size_t cap, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(t[i].key, key)) return &t[i];
    if (*n == cap) return NULL;
    memset(&t[*n], 0, sizeof t[*n]);
    snprintf(t[*n].key, sizeof t[*n].key, "%s", key);
    t[*n].last_ts = -1;
    return &t[(*n)++];
}

static void check_trace(const run_stats *s, const char *path, outcome *o)
{
    size_t len;
    char *text = read_all(path, &len);
    if (!text) { failf(o, "%s: cannot read", path); return; }
    char e[256];
    json_value *doc = json_parse(text, len, e, sizeof e);
    free(text);
    if (!doc) { failf(o, "trace: not JSON: %s", e); return; }
    const json_value *ev = json_get(doc, "traceEvents");
    if (!ev || ev->type != JSON_ARRAY) { failf(o, "trace: no traceEvents array"); json_free(doc); return; }
    enum { CAP = 4096 };
    track *tr = calloc(CAP, sizeof *tr);
    size_t nt = 0;
    for (size_t i = 0; i < ev->n && tr; i++) {
        const json_value *x = &ev->items[i];
        const json_value *ph = json_get(x, "ph"), *name = json_get(x, "name");
        double pid, tid, ts, dur;
        if (x->type != JSON_OBJECT || !ph || ph->type != JSON_STRING || !name ||
            name->type != JSON_STRING || !num(x, "pid", &pid)) {
            failf(o, "trace event %zu: no ph, name or pid", i);
            continue;
        }
        char key[96];
        if (!strcmp(ph->text, "M")) {
            const json_value *a = json_get(x, "args");
            const json_value *an = a ? json_get(a, "name") : NULL;
            if (!an || an->type != JSON_STRING) failf(o, "trace event %zu: metadata without args.name", i);
        } else if (!strcmp(ph->text, "X")) {
            if (!num(x, "tid", &tid) || !num(x, "ts", &ts) || !num(x, "dur", &dur) || dur < 0 || ts < 0) {
                failf(o, "trace event %zu: slice without tid, ts or dur", i);
                continue;
            }
            snprintf(key, sizeof key, "X %g %g", pid, tid);
            track *t = track_of(tr, &nt, CAP, key);
            if (!t) continue;
            if (ts < t->last_ts) failf(o, "trace: slice %zu goes back in time on %s", i, key);
            /* slices of one thread follow each other (Perfetto nests overlapping ones) */
            /* ts and dur are printed to 1 ps each: their sum may pass the next start by 2 ps */
            if (ts + 2.5e-6 < t->last_end) failf(o, "trace: slice %zu overlaps the previous on %s", i, key);
            t->last_ts = ts;
            t->last_end = ts + dur;
        } else if (!strcmp(ph->text, "C")) {
            const json_value *a = json_get(x, "args");
            if (!num(x, "ts", &ts) || !a || a->type != JSON_OBJECT || a->n == 0 ||
                a->n > MEM_LEVELS_MAX + 1) {
                failf(o, "trace event %zu: counter without ts or args", i);
                continue;
            }
            o->counters++;
            snprintf(key, sizeof key, "C %g %s", pid, name->text);
            track *t = track_of(tr, &nt, CAP, key);
            if (!t) continue;
            if (ts < t->last_ts) failf(o, "trace: counter %zu goes back in time on %s", i, key);
            if (t->last_ts >= 0)
                for (size_t k = 0; k < t->n_args; k++) t->integral[k] += t->last_v[k] * (ts - t->last_ts);
            t->n_args = a->n;
            for (size_t k = 0; k < a->n; k++) {
                double v;
                if (a->items[k].type != JSON_NUMBER || !isfinite(v = strtod(a->items[k].text, NULL)) ||
                    v < 0) {
                    failf(o, "trace: counter %zu arg '%s' not a non-negative number", i, a->keys[k]);
                    v = 0;
                }
                if (!strcmp(name->text + (strlen(name->text) > 11 ? strlen(name->text) - 11 : 0),
                            "utilisation") && v > 100)
                    failf(o, "trace: utilisation %g %% on %s", v, key);
                t->last_v[k] = v;
                snprintf(t->arg[k], sizeof t->arg[k], "%s", a->keys[k]);
            }
            t->last_ts = ts;
        } else if (!strcmp(ph->text, "i")) {
            /* a chip's end: thread-scoped, inside the run, one straggler */
            const json_value *sc = json_get(x, "s"), *a = json_get(x, "args");
            const json_value *st = a ? json_get(a, "straggler") : NULL;
            if (!num(x, "tid", &tid) || !num(x, "ts", &ts) || !sc || sc->type != JSON_STRING ||
                strcmp(sc->text, "t") || ts < 0 || ts > s->latency_s * 1e6 * (1 + 1e-9) + 1e-6 ||
                !st || st->type != JSON_BOOL) {
                failf(o, "trace event %zu: instant without tid, ts in the run, scope or args", i);
                continue;
            }
            o->instants++;
            if (st->b) o->stragglers++;
        } else {
            failf(o, "trace event %zu: phase '%s'", i, ph->text);
        }
    }
    /* a counter ends at 0: the last sample closes it */
    for (size_t i = 0; i < nt; i++)
        for (size_t k = 0; tr[i].key[0] == 'C' && k < tr[i].n_args; k++)
            if (tr[i].last_v[k] != 0) failf(o, "trace: %s %s does not end at 0", tr[i].key, tr[i].arg[k]);
    /* power (mW x us = nJ) and bandwidth (MB/s x us = B) against the rows */
    for (uint32_t c = 0; c < s->chips && tr; c++) {
        double dyn = 0, bytes[MEM_LEVELS_MAX] = {0};
        for (size_t i = 0; i < s->n_ops; i++) {
            const op_record *r = &s->ops[i];
            if (r->chip != c || r->row == OP_ROW_STATIC) continue;
            for (uint32_t k = 0; k < s->components.n; k++) dyn += r->energy_j[k];
            for (uint32_t l = 0; l < s->levels.n; l++) bytes[l] += (double)r->bytes[l];
        }
        char key[96];
        snprintf(key, sizeof key, "C %u power", c + 1);
        track *p = track_of(tr, &nt, CAP, key);
        double power_nj = p && p->n_args == 1 && !strcmp(p->arg[0], "mW") ? p->integral[0] : -1;
        if (!close_rel(power_nj * 1e-9, dyn, 1e-6))
            failf(o, "chip %u: power integrates to %.9g nJ, its dynamic energy is %.9g nJ", c,
                  power_nj, dyn * 1e9);
        snprintf(key, sizeof key, "C %u bandwidth", c + 1);
        track *b = track_of(tr, &nt, CAP, key);
        for (uint32_t l = 0; b && l < s->levels.n; l++) {
            char arg[48];
            snprintf(arg, sizeof arg, "%s MB/s", s->levels.v[l].name);
            double got = 0;
            for (size_t k = 0; k < b->n_args; k++)
                if (!strcmp(b->arg[k], arg)) got = b->integral[k];
            if (!close_rel(got, bytes[l], 1e-6))
                failf(o, "chip %u: %s integrates to %.9g B, the rows move %.9g B", c, arg, got, bytes[l]);
        }
    }
    free(tr);
    json_free(doc);
}

/* ---- one run ---- */

static void opstats_child(void *ctx, void *out)
{
    const run_args *a = ctx;
    outcome *o = out;
    const char *sets[2] = {a->set1, a->set2};
    cfg_error ce;
    experiment *e = experiment_load(a->path, MCUSIM_SOURCE_DIR "/configs", sets, a->set2 ? 2 : 1, &ce);
    if (!e) { cfg_error_print(&ce, stderr); _exit(3); }
    char dir[] = "/tmp/mcusim_opstats_XXXXXX";
    if (!mkdtemp(dir)) _exit(4);
    char trace[4200];
    snprintf(trace, sizeof trace, "%s/trace.json", dir);
    sim_options so = {.chips = a->chips, .functional = a->functional, .trace_path = trace,
                      .flip_src = -1, .flip_dst = -1, .op_stats = true};
    run_stats s;
    o->rc = mcusim_simulate(e, &so, &s, o->err, sizeof o->err);
    o->chips = a->chips;
    if (o->rc == 0 && s.ops) {
        o->n_rows = s.n_ops;
        o->fingerprint = fingerprint(&s);
        check_rows(&s, o);
        char err[512], csv[4200];
        if (report_write_experiment(dir, e, &s, 1, err, sizeof err)) failf(o, "report: %s", err);
        snprintf(csv, sizeof csv, "%s/ops.csv", dir);
        check_csv(&s, csv, o);
        check_trace(&s, trace, o);
    } else if (o->rc == 0) {
        failf(o, "no rows");
    }
    run_stats_free(&s);
    experiment_destroy(e);
    rm_rf(dir);
}

static outcome run_case(const char *path, const char *set1, const char *set2, uint32_t chips,
                        bool functional)
{
    outcome o;
    run_args a = {path, set1, set2, chips, functional};
    run_in_child(opstats_child, &a, &o, sizeof o);
    CU_ASSERT_EQUAL(o.rc, 0);
    if (o.rc) fprintf(stderr, "%s x%u: %s\n", path, chips, o.err);
    CU_ASSERT_EQUAL(o.n_fail, 0);
    for (int i = 0; i < o.n_fail && i < 6; i++) fprintf(stderr, "%s x%u: %s\n", path, chips, o.fail[i]);
    CU_ASSERT(o.n_rows > o.chips);
    CU_ASSERT(o.counters > 0);
    /* every chip's end marked, one of them the straggler */
    CU_ASSERT_EQUAL(o.instants, o.chips);
    CU_ASSERT_EQUAL(o.stragglers, 1);
    return o;
}

/* Several experiments, nodes, chip counts (odd ones too), timing-only. */
static void test_rows_close_the_books(void)
{
    static const struct { const char *file, *set1, *set2; uint32_t chips; } cases[] = {
        {"paper/tinyllama_ar.yaml", "workload.seq_len=8", NULL, 1},
        {"paper/tinyllama_ar.yaml", "workload.seq_len=8", NULL, 8},
        {"paper/tinyllama_prompt.yaml", "workload.seq_len=16", "workload.blocks=2", 3},
        {"paper/mobilebert.yaml", "workload.seq_len=16", "workload.blocks=4", 4},
        {"paper/tinyllama_heads64.yaml", "workload.blocks=2", NULL, 16},
        {"paper-datasheet/tinyllama_ar.yaml", "workload.blocks=2", NULL, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, SRC "%s", cases[i].file);
        run_case(path, cases[i].set1, cases[i].set2, cases[i].chips, false);
    }
}

/* The arithmetic changes no time or energy: the same rows bit for bit. */
static void test_functional_rows_equal_timing_only(void)
{
    static const struct { const char *file, *set1, *set2; uint32_t chips; } cases[] = {
        {"paper/tinyllama_ar.yaml", "workload.seq_len=8", NULL, 4},
        {"paper/mobilebert.yaml", "workload.seq_len=16", "workload.blocks=2", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, SRC "%s", cases[i].file);
        outcome f = run_case(path, cases[i].set1, cases[i].set2, cases[i].chips, true);
        outcome t = run_case(path, cases[i].set1, cases[i].set2, cases[i].chips, false);
        CU_ASSERT_EQUAL(f.n_rows, t.n_rows);
        CU_ASSERT_EQUAL(f.fingerprint, t.fingerprint);
    }
}

static int register_tests(void)
{
    ADD_SUITE("sim_opstats", TEST(test_rows_close_the_books),
              TEST(test_functional_rows_equal_timing_only));
    return 0;
}

CUNIT_MAIN(register_tests)
