/* `mcusim run EXPERIMENT.yaml ...`: simulates one system size and prints a
 * readable summary; --out writes the report files of that one point. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../experiment/point_memory.h"
#include "../report/point_file.h"
#include "../report/point_stamp.h"
#include "../report/provenance.h"
#include "../report/report.h"
#include "../report/run_stats_check.h"
#include "../report/metrics.h"
#include "../report/stat_fields.h"
#include "../experiment/sweep_plan.h"
#include "../flow/simulate.h"
#include "build_info.h"
#include "cli_common.h"
#include "cli_paths.h"
#include "commands.h"

typedef struct run_args {
    const char *file, *out_dir, *trace;
    const char *command_line;   /* for provenance.json */
    cli_overrides set;
    uint32_t chips;          /* 0 = largest of sweep.chips */
    uint64_t max_memory;     /* --max-memory, 0 = the default (half the RAM) */
    bool timing_only, check, dump, help;
    bool stats_ops;          /* --stats ops */
} run_args;

static const char usage[] =
    "usage: mcusim run EXPERIMENT.yaml [--chips N] [--set key.path=value]... [--out DIR]\n"
    "                  [--timing-only] [--check] [--trace FILE.json] [--dump-program]\n"
    "                  [--max-memory SIZE] [--stats ops]\n"
    "Simulates one system size (default: the largest of sweep.chips). --check implies\n"
    "functional mode. A run whose estimated memory exceeds --max-memory (default: half\n"
    "the RAM) is refused before anything is built. --stats ops records what every op\n"
    "cost: it prints the 10 ops that take most time, and --out DIR writes DIR/ops.csv.\n"
    "One simulation per process.\n";

/* Accepts "--opt VALUE" and "--opt=VALUE". */
static const char *opt_value(const char *opt, int argc, char **argv, int *i)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] == '\0') return *i + 1 < argc ? argv[++*i] : "";
    return NULL;
}

static int parse_args(int argc, char **argv, run_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *v, *s = argv[i];
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) a->help = true;
        else if (strcmp(s, "--timing-only") == 0) a->timing_only = true;
        else if (strcmp(s, "--check") == 0) a->check = true;
        else if (strcmp(s, "--dump-program") == 0) a->dump = true;
        else if ((v = opt_value("--chips", argc, argv, &i))) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            if (!*v || *end || n < 1 || n > 4096)
                return cli_usage_error("run", "--chips expects a number 1..4096, got '%s'", v);
            a->chips = (uint32_t)n;
        } else if ((v = opt_value("--set", argc, argv, &i))) {
            if (cli_overrides_add(&a->set, v) != 0)
                return cli_usage_error("run", "--set expects key.path=value, got '%s'", v);
        } else if ((v = opt_value("--out", argc, argv, &i))) {
            if (!*v) return cli_usage_error("run", "--out needs a folder");
            a->out_dir = v;
        } else if ((v = opt_value("--max-memory", argc, argv, &i))) {
            if (cli_parse_size("run", "--max-memory", v, &a->max_memory)) return 2;
        } else if ((v = opt_value("--stats", argc, argv, &i))) {
            if (cli_parse_stats("run", v, &a->stats_ops)) return 2;
        } else if ((v = opt_value("--trace", argc, argv, &i))) {
            if (!*v) return cli_usage_error("run", "--trace needs a file name");
            a->trace = v;
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("run", "unknown option '%s' (see 'mcusim run --help')", s);
        } else if (a->file) {
            return cli_usage_error("run", "one experiment at a time ('%s' and '%s')", a->file, s);
        } else {
            a->file = s;
        }
    }
    if (!a->help && !a->file) return cli_usage_error("run", "missing EXPERIMENT.yaml\n%s", usage);
    if (a->help) return 0;
    if (a->check && a->timing_only)
        return cli_usage_error("run", "--check compares the output bits, which --timing-only "
                                      "does not compute: give one of them");
    if (a->trace && cli_check_output_file("run", "--trace", a->trace)) return 2;
    if (a->out_dir && cli_check_output_dir("run", "--out", a->out_dir)) return 2;
    return 0;
}

/* Two views per component, summed over chips: busy cycles are activity and
 * overlap inside an op (they can add up to more than the run); time cycles
 * are the critical-path partition and add up to exactly chips x latency.
 * The components are the node's, as it declared them. */
static void print_components(const run_stats *s)
{
    const component_set *cs = &s->components;
    double e[COMPONENTS_MAX] = {0};
    uint64_t busy[COMPONENTS_MAX] = {0}, time[COMPONENTS_MAX] = {0};
    for (uint32_t c = 0; c < s->chips; c++)
        for (uint32_t k = 0; k < cs->n; k++) {
            e[k] += s->per_chip[c].energy_j[k];
            busy[k] += s->per_chip[c].busy_cycles[k];
            time[k] += s->per_chip[c].time_cycles[k];
        }
    double run = (double)s->cycles * s->chips;
    printf("  per component, summed over chips: busy = activity (overlaps within an op);\n"
           "  critical path = what bounded the time (adds up to chips x latency; wait = waiting on\n"
           "  peers); leakage = static power of every on-chip component over the run\n");
    printf("  %-9s %14s %14s %7s %12s %8s\n", "component", "busy cycles", "path cycles",
           "path %", "energy mJ", "energy %");
    for (uint32_t k = 0; k < cs->n; k++) {
        char b[24] = "-", t[24] = "-", pct[16] = "-", en[24] = "-", epct[16] = "-";
        if (cs->c[k].time) {
            snprintf(b, sizeof b, "%llu", (unsigned long long)busy[k]);
            snprintf(t, sizeof t, "%llu", (unsigned long long)time[k]);
            snprintf(pct, sizeof pct, "%.1f%%", run > 0 ? 100.0 * (double)time[k] / run : 0.0);
        }
        if (cs->c[k].energy) {
            snprintf(en, sizeof en, "%.4f", e[k] * 1e3);
            snprintf(epct, sizeof epct, "%.1f%%", s->energy_j > 0 ? 100.0 * e[k] / s->energy_j : 0.0);
        }
        printf("  %-9s %14s %14s %7s %12s %8s\n", cs->c[k].name, b, t, pct, en, epct);
    }
}

/* A memory level is a column of a per-level field when some chip's
 * placement gives it a capacity (the node homes buffers there). */
static bool level_shown(const run_stats *s, uint32_t l)
{
    for (uint32_t c = 0; c < s->chips; c++)
        if (s->per_chip[c].placement.capacity[l]) return true;
    return false;
}

/* A chip field shown only where the chips differ (their node, its clock). */
static bool chips_differ_in(const run_stats *s, const stat_field *f)
{
    for (uint32_t c = 1; c < s->chips; c++)
        if (memcmp((const char *)&s->per_chip[c] + f->offset,
                   (const char *)&s->per_chip[0] + f->offset, f->size))
            return true;
    return false;
}

static void chip_cell(const stat_field *f, const chip_stats *x, uint32_t l, char *buf, size_t cap)
{
    const char *p = (const char *)x + f->offset;
    switch (f->type) {
    case STAT_STR: snprintf(buf, cap, "%s", p); return;
    case STAT_U32: snprintf(buf, cap, "%u", *(const uint32_t *)p); return;
    case STAT_U64:
        snprintf(buf, cap, "%llu", (unsigned long long)((const uint64_t *)p)[l]);
        return;
    case STAT_F64: snprintf(buf, cap, "%.6g", *(const double *)p); return;
    case STAT_BOOL: snprintf(buf, cap, "%s", *(const bool *)p ? "yes" : "no"); return;
    default: snprintf(buf, cap, "?"); return;
    }
}

/* The chip fields of the table that `mcusim run` shows (stat_fields.c),
 * a column each (a per-level one per level with a capacity). */
static void print_chips(const run_stats *s)
{
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    typedef struct col { const stat_field *f; uint32_t level; char head[48]; int width; } col;
    col cols[64];
    size_t nc = 0;
    for (size_t i = 0; i < nf && nc < 64; i++) {
        const stat_field *f = &fs[i];
        if (f->level != STAT_CHIP && f->level != STAT_CHIP_LEVEL) continue;
        if (!stat_field_in(f, OUT_RUN)) continue;
        if (f->md_when == MD_IF_DIFFERENT && !chips_differ_in(s, f)) continue;
        for (uint32_t l = 0; l < (f->level == STAT_CHIP_LEVEL ? s->levels.n : 1) && nc < 64; l++) {
            if (f->level == STAT_CHIP_LEVEL && !level_shown(s, l)) continue;
            col *c = &cols[nc++];
            c->f = f;
            c->level = f->level == STAT_CHIP_LEVEL ? l : 0;
            if (f->level == STAT_CHIP_LEVEL)
                snprintf(c->head, sizeof c->head, "%s %s %s", f->run, s->levels.v[l].name, f->unit);
            else
                snprintf(c->head, sizeof c->head, "%s", f->run);
            int w = (int)strlen(c->head);
            c->width = w > 10 ? w : 10;
        }
    }
    printf("  %-5s", "chip");
    for (size_t k = 0; k < nc; k++) printf(" %*s", cols[k].width, cols[k].head);
    putchar('\n');
    for (uint32_t c = 0; c < s->chips; c++) {
        printf("  %-5u", c);
        for (size_t k = 0; k < nc; k++) {
            char cell[48];
            chip_cell(cols[k].f, &s->per_chip[c], cols[k].level, cell, sizeof cell);
            printf(" %*s", cols[k].width, cell);
        }
        putchar('\n');
    }
}

/* --stats ops: the ops that take most of the chips' time (summary.md's table). */
static void print_top_ops(const run_stats *s)
{
    op_group top[10];
    size_t n = op_stats_top(s, top, 10);
    double run = (double)s->chips * (double)s->cycles;
    printf("  top ops by time (--stats ops; grouped by label without block and head, time summed\n"
           "  over chips with the waits before each op; bound = largest part of its critical path)\n");
    printf("  %-24s %-8s %6s %14s %7s %12s  %s\n", "op", "kind", "rows", "chip cycles", "time %",
           "energy mJ", "bound by");
    for (size_t i = 0; i < n; i++) {
        const op_group *g = &top[i];
        printf("  %-24s %-8s %6u %14llu %6.1f%% %12.6f  %s\n", g->name, g->kind, g->count,
               (unsigned long long)g->cycles, run > 0 ? 100.0 * (double)g->cycles / run : 0.0,
               g->energy_j * 1e3, g->bound >= 0 ? s->components.c[g->bound].name : "-");
    }
}

/* A figure of the summary row (per inference when several are in flight). */
static double row_value(const run_stats *s, const char *metric)
{
    const metric_def *m = metric_find(metric);
    return m ? metric_eval(m, s, NULL) : 0;
}

static void print_summary(const run_stats *s)
{
    double ms = s->latency_s * 1e3, mj = s->energy_j * 1e3;
    uint32_t m = s->in_flight > 1 ? s->in_flight : 1;
    printf("%s: %s %s on %u chip%s (%s)\n", s->experiment, s->model, s->mode, s->chips,
           s->chips == 1 ? "" : "s", s->functional ? "functional" : "timing-only");
    printf("  scope     %s\n", s->scope);
    if (m == 1) {
        printf("  latency   %.4f ms (%llu cycles at %.0f MHz)\n", ms, (unsigned long long)s->cycles,
               s->clock_hz / 1e6);
    } else {
        /* the rest per inference, as in the summaries */
        ms = row_value(s, "latency_ms");
        mj /= m;
        printf("  latency   %.4f ms (the first of %u inferences in flight; all done at %.4f ms, "
               "%llu cycles at %.0f MHz)\n", ms, m, s->latency_s * 1e3,
               (unsigned long long)s->cycles, s->clock_hz / 1e6);
        printf("  throughput %.6g tokens/s (steady state, %llu token%s per inference)\n",
               row_value(s, "tokens_per_s"), (unsigned long long)s->tokens_per_inference,
               s->tokens_per_inference == 1 ? "" : "s");
    }
    double mcu = 0;
    for (uint32_t c = 0; c < s->chips; c++)
        for (uint32_t k = 0; k < s->components.n; k++)
            if (s->components.c[k].on_mcu) mcu += s->per_chip[c].energy_j[k];
    mcu /= m;
    printf("  energy    %.4f mJ%s (MCUs and links %.4f mJ, off-chip memory %.4f mJ)\n", mj,
           m > 1 ? " per inference" : "", mcu * 1e3, mj - mcu * 1e3);
    printf("  EDP       %.6f mJ*ms\n", mj * ms);
    printf("  off-chip  %llu B   links %llu B payload%s\n",
           (unsigned long long)(s->offchip_bytes / m), (unsigned long long)(s->link_bytes / m),
           m > 1 ? " (per inference)" : "");
    printf("  simulated %llu events in %.3f s wall\n", (unsigned long long)s->sim_events, s->wall_s);
    print_components(s);
    print_chips(s);
    if (report_chips_differ(s)) {
        printf("  per chip, the chips not all of one node (consecutive chips alike grouped):\n");
        report_chip_groups_md(stdout, s);
    }
    if (s->ops) print_top_ops(s);
    if (s->check_run && m == 1)
        printf("check: %s (%u-chip output %s the 1-chip run bit for bit)\n",
               s->check_passed ? "passed" : "FAILED", s->chips,
               s->check_passed ? "equals" : "differs from");
    else if (s->check_run)
        printf("check: %s (the output of each of the %u in-flight inferences %s the 1-chip run "
               "of its input bit for bit)\n", s->check_passed ? "passed" : "FAILED", m,
               s->check_passed ? "equals" : "does not all equal");
}

/* Test hook (tests only): MCUSIM_TEST_FLIP_LINK_BIT=SRC:DST flips one bit
 * of the first payload on that link, so a test can prove that --check
 * catches a corrupted partial sum travelling the real SystemC data path. */
#define RUN_TEST_FLIP_ENV "MCUSIM_TEST_FLIP_LINK_BIT"

static void test_fault_from_env(sim_options *o)
{
    const char *v = getenv(RUN_TEST_FLIP_ENV);
    int src, dst;
    o->flip_src = o->flip_dst = -1;
    if (v && sscanf(v, "%d:%d", &src, &dst) == 2 && src >= 0 && dst >= 0) {
        o->flip_src = src;
        o->flip_dst = dst;
    }
}

/* --out: the folder of a one-point sweep: the stamped point file (read
 * back: it must exist and validate), provenance.json and the summary. */
static int write_out(const run_args *a, const experiment *e, run_stats *s, char *err, size_t errlen)
{
    const char *mode = stamp_mode(s->functional, s->check_run);
    planned_point want;
    memset(&want, 0, sizeof want);
    char id[32], dir[4096], path[4200];
    sweep_point_id(s->chips, 0, false, id, sizeof id);
    size_t len;
    char *text = stamp_point_text(e, s->chips, &len);   /* a run is one point */
    if (!text || stamp_point(e, s->chips, id, mode, &want.stamp)) {
        free(text);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->stamp = want.stamp;
    provenance_info p = {.version = stamp_version(), .git_describe = mcusim_git_describe(),
                         .mode = mode, .config_text = text, .config_sha256 = want.stamp.config_sha256,
                         .command_line = a->command_line};
    report_provenance prov = {.version = stamp_version(), .mode = mode,
                              .config_sha256 = want.stamp.config_sha256, .planned = 1};
    snprintf(dir, sizeof dir, "%s/points", a->out_dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    run_stats back;
    char why[600];
    int rc = -1;
    if (report_make_dirs(dir, err, errlen) || point_file_write(path, s, err, errlen)) goto done;
    if (point_file_load(path, &want, &back, why, sizeof why) != POINT_OK) {
        snprintf(err, errlen, "%.300s: written but does not read back: %.600s", path, why);
        goto done;
    }
    free(back.per_chip);
    rc = provenance_write(a->out_dir, &p, err, errlen) ||
                 report_write_experiment_with(a->out_dir, e, s, 1, &prov, err, errlen)
             ? -1
             : 0;
done:
    free(text);
    return rc;
}

static int run_point(const run_args *a, const experiment *e)
{
    sim_options o = {.chips = a->chips ? a->chips : (uint32_t)experiment_largest_chips(e),
                     .functional = !a->timing_only, .check = a->check, .trace_path = a->trace,
                     .dump_program = a->dump ? stdout : NULL, .flip_src = -1, .flip_dst = -1,
                     .max_memory = a->max_memory ? a->max_memory
                                                 : point_memory_default_limit(1),
                     .op_stats = a->stats_ops};
    test_fault_from_env(&o);
    run_stats s;
    char err[1536] = "";
    int rc = mcusim_simulate(e, &o, &s, err, sizeof err);
    char why[512];
    bool have = rc == 0 || (rc == 1 && s.per_chip && s.check_run);
    if (have && run_stats_check(&s, why, sizeof why)) {
        /* never print or record figures the model cannot have produced */
        snprintf(err, sizeof err, "simulation produced invalid statistics: %s", why);
        rc = 1;
    } else if (have && a->stats_ops && (!s.ops || op_stats_check(&s, why, sizeof why))) {
        snprintf(err, sizeof err, "per-op statistics do not add up to the run's: %s",
                 s.ops ? why : "out of memory");
        rc = 1;
    } else if (rc == 0 || (rc == 1 && s.per_chip && s.check_run)) {
        print_summary(&s);
    }
    if (rc != 0) fprintf(stderr, "mcusim run: %s: %s\n", e->path, err);
    if (rc == 0 && a->out_dir) {
        if (write_out(a, e, &s, err, sizeof err) != 0) {
            fprintf(stderr, "mcusim run: %s\n", err);
            rc = 1;
        } else {
            printf("results written to %s\n", a->out_dir);
        }
    }
    if (rc == 0 && a->trace) printf("trace written to %s\n", a->trace);
    run_stats_free(&s);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc == 0 && a.help) fputs(usage, stdout);
    if (rc == 0 && !a.help) {
        experiment *e = cli_load_experiment(a.file, &a.set);
        char *line = cli_command_line(argc, argv);
        a.command_line = line ? line : "mcusim run";
        if (!e) rc = 2;
        else {
            rc = cli_check_vary(e, a.file, &a.set);
            if (rc == 0) rc = run_point(&a, e);
            experiment_destroy(e);
        }
        free(line);
    }
    cli_overrides_free(&a.set);
    return rc;
}
