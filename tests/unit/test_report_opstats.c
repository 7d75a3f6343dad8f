/* The per-op rows on the report side, on synthetic points: grouping for
 * the top-ops tables, static rows, the books-close check refusing rows that
 * do not add up, OUT/ops/<id>.json round trip and its refusals, and what a
 * reader gets from a results folder: normalised breakdowns whose bars are
 * 100 %, legends without components that are zero everywhere, and a
 * README.md index that links every file the folder holds and explains every
 * column of summary.csv and ops.csv. README.md's list of ops.csv's columns
 * is the writer's own table (MCUSIM_UPDATE_README=1 rewrites it). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../sim/report/ops_file.h"
#include "../../sim/report/point_stamp.h"
#include "../../sim/report/report_internal.h"
#include "cunit_main.h"
#include "test_report_synth.h"
#include "test_scratch.h"

static op_record row(uint32_t chip, const char *label, op_kind kind, uint64_t cycles,
                     uint32_t bound, double energy)
{
    op_record r;
    memset(&r, 0, sizeof r);
    r.chip = chip;
    r.row = OP_ROW_OP;
    r.kind = kind;
    snprintf(r.label, sizeof r.label, "%s", label);
    r.end_cycle = cycles;
    r.time_cycles[bound] = cycles;
    r.energy_j[bound] = energy;
    return r;
}

static void test_top_groups_by_what_ops_compute(void)
{
    run_stats s;
    synth_stats(&s, "top", 2, 0);
    op_record v[] = {
        row(0, "b0.h0.wq", OP_GEMM, 100, SYN_CORE, 1e-9),
        row(1, "b0.h1.wq", OP_GEMM, 100, SYN_CORE, 1e-9),
        row(0, "b1.h0.wq", OP_GEMM, 100, SYN_DRAM, 1e-9),
        row(0, "b0.ffn.w1", OP_GEMM, 250, SYN_DRAM, 2e-9),
        row(0, "b0.attn.reduce<1", OP_RECV, 40, SYN_WAIT, 0),
        row(1, "b0.attn.reduce>0", OP_SEND, 10, SYN_LINK, 1e-10),
        row(0, "b0.h0.wq.rq", OP_REQUANT, 5, SYN_CORE, 1e-11),
    };
    s.ops = v;
    s.n_ops = sizeof v / sizeof v[0];
    op_group g[10];
    size_t n = op_stats_top(&s, g, 10);
    CU_ASSERT_EQUAL_FATAL(n, 5);
    /* wq over heads, blocks and chips: 300 cycles, first */
    CU_ASSERT_STRING_EQUAL(g[0].name, "wq");
    CU_ASSERT_EQUAL(g[0].count, 3);
    CU_ASSERT_EQUAL(g[0].cycles, 300);
    CU_ASSERT_EQUAL(g[0].bound, SYN_CORE);   /* 200 of its 300 cycles */
    CU_ASSERT_DOUBLE_EQUAL(g[0].energy_j, 3e-9, 1e-20);
    CU_ASSERT_STRING_EQUAL(g[1].name, "ffn.w1");
    CU_ASSERT_EQUAL(g[1].bound, SYN_DRAM);
    /* a collective step without its peer, kept apart by kind */
    CU_ASSERT_STRING_EQUAL(g[2].name, "attn.reduce");
    CU_ASSERT_STRING_EQUAL(g[2].kind, "recv");
    CU_ASSERT_EQUAL(g[2].bound, SYN_WAIT);
    CU_ASSERT_STRING_EQUAL(g[3].name, "attn.reduce");
    CU_ASSERT_STRING_EQUAL(g[3].kind, "send");
    CU_ASSERT_STRING_EQUAL(g[4].name, "wq.rq");
    CU_ASSERT_EQUAL(op_record_block(&v[2]), 1);
    CU_ASSERT_EQUAL(op_record_block(&v[0]), 0);
    op_record other = row(0, "final_norm", OP_NORM, 1, SYN_CORE, 0);
    CU_ASSERT_EQUAL(op_record_block(&other), -1);
    CU_ASSERT_EQUAL(op_record_bound(&v[3], &s.components), SYN_DRAM);
    s.ops = NULL;
    s.n_ops = 0;
    free(s.per_chip);
}

/* Rows that close the books for a synthetic point: per chip one op row
 * holding all of the chip's figures (time and energy), and its static row. */
static void attach_rows(run_stats *s)
{
    s->n_ops = 0;
    s->ops = calloc(s->chips, sizeof *s->ops);
    for (uint32_t c = 0; c < s->chips; c++) {
        const chip_stats *x = &s->per_chip[c];
        op_record *r = &s->ops[s->n_ops++];
        memset(r, 0, sizeof *r);
        r->chip = c;
        r->row = OP_ROW_OP;
        r->kind = OP_GEMM;
        snprintf(r->label, sizeof r->label, "b0.ffn.w1");
        r->end_cycle = s->cycles;
        memcpy(r->time_cycles, x->time_cycles, sizeof r->time_cycles);
        memcpy(r->energy_j, x->energy_j, sizeof r->energy_j);
        r->bytes[SYN_LEVEL_DRAM] = x->offchip_bytes;
        r->link_bytes = x->link_bytes_sent;
        r->link_wire_bytes = x->link_wire_bytes_sent;
    }
    double (*zero)[COMPONENTS_MAX] = calloc(s->chips, sizeof *zero);
    CU_ASSERT_FATAL(zero != NULL);
    CU_ASSERT_EQUAL_FATAL(op_stats_add_static(s, zero), 0);
    free(zero);
}

static void test_static_rows_and_the_books(void)
{
    run_stats s;
    synth_stats(&s, "books", 3, 0);
    attach_rows(&s);
    CU_ASSERT_EQUAL_FATAL(s.n_ops, 6);
    /* chip by chip, the static row after the chip's own */
    for (uint32_t c = 0; c < 3; c++) {
        CU_ASSERT_EQUAL(s.ops[2 * c].chip, c);
        CU_ASSERT_EQUAL(s.ops[2 * c].row, OP_ROW_OP);
        CU_ASSERT_EQUAL(s.ops[2 * c + 1].chip, c);
        CU_ASSERT_EQUAL(s.ops[2 * c + 1].row, OP_ROW_STATIC);
    }
    char why[512];
    CU_ASSERT_EQUAL(op_stats_check(&s, why, sizeof why), 0);
    /* one cycle moved between components: the chip's split no longer matches */
    s.ops[2].time_cycles[SYN_CORE]++;
    s.ops[2].time_cycles[SYN_WAIT]--;
    CU_ASSERT_EQUAL(op_stats_check(&s, why, sizeof why), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "chip 1"));
    s.ops[2].time_cycles[SYN_CORE]--;
    s.ops[2].time_cycles[SYN_WAIT]++;
    /* energy lost */
    s.ops[4].energy_j[SYN_CORE] *= 0.5;
    CU_ASSERT_EQUAL(op_stats_check(&s, why, sizeof why), -1);
    s.ops[4].energy_j[SYN_CORE] *= 2;
    /* a gap in a chip's timeline */
    s.ops[0].end_cycle--;
    CU_ASSERT_EQUAL(op_stats_check(&s, why, sizeof why), -1);
    s.ops[0].end_cycle++;
    CU_ASSERT_EQUAL(op_stats_check(&s, why, sizeof why), 0);
    free(s.per_chip);
    free(s.ops);
}

static void stamp(run_stats *s, const char *id)
{
    snprintf(s->stamp.id, sizeof s->stamp.id, "%s", id);
    memset(s->stamp.config_sha256, 'a', SHA256_HEX_LEN);
    s->stamp.config_sha256[SHA256_HEX_LEN] = '\0';
    snprintf(s->stamp.version, sizeof s->stamp.version, "0.1.0");
    snprintf(s->stamp.mode, sizeof s->stamp.mode, "functional");
}

static void test_ops_file_round_trip_and_refusals(void)
{
    char tmpl[] = "/tmp/mcusim_opsfile_XXXXXX";
    char *dir = mkdtemp(tmpl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    run_stats s;
    synth_stats(&s, "file", 2, 0);
    stamp(&s, "c0002");
    attach_rows(&s);
    char path[4200], err[512];
    snprintf(path, sizeof path, "%s/c0002.json", dir);
    CU_ASSERT_EQUAL_FATAL(ops_file_write(path, &s, err, sizeof err), 0);
    run_stats back = s;
    back.ops = NULL;
    CU_ASSERT_EQUAL(ops_file_load(path, &back, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(back.n_ops, s.n_ops);
    CU_ASSERT_EQUAL(memcmp(back.ops, s.ops, s.n_ops * sizeof *s.ops), 0);
    free(back.ops);
    /* another configuration's point: stale */
    back.ops = NULL;
    back.stamp.config_sha256[0] = 'b';
    CU_ASSERT_EQUAL(ops_file_load(path, &back, err, sizeof err), -1);
    CU_ASSERT_PTR_NULL(back.ops);
    back.stamp = s.stamp;
    /* the same point with other figures: its rows do not add up to them */
    back.per_chip = calloc(2, sizeof *back.per_chip);
    memcpy(back.per_chip, s.per_chip, 2 * sizeof *back.per_chip);
    back.per_chip[1].energy_j[SYN_CORE] *= 1.5;
    CU_ASSERT_EQUAL(ops_file_load(path, &back, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "do not add up"));
    free(back.per_chip);
    /* missing, and truncated */
    snprintf(path, sizeof path, "%s/none.json", dir);
    back = s;
    CU_ASSERT_EQUAL(ops_file_load(path, &back, err, sizeof err), 1);
    CU_ASSERT_PTR_NULL(back.ops);
    snprintf(path, sizeof path, "%s/c0002.json", dir);
    FILE *f = fopen(path, "r+");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(ftruncate(fileno(f), 100), 0);
    fclose(f);
    back = s;
    back.ops = NULL;
    CU_ASSERT_EQUAL(ops_file_load(path, &back, err, sizeof err), -1);
    free(s.per_chip);
    free(s.ops);
    rm_rf(dir);
}

static char *slurp(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return synth_slurp(path, NULL);
}

/* Sums of the segment values (their <title>s) of each bar of a breakdown. */
static size_t bar_sums(const char *svg, double *sums, size_t cap)
{
    double last_x = -1;
    size_t bar = 0;
    bool any = false;
    for (const char *p = svg; (p = strstr(p, "<rect x=\"")); p++) {
        double x = strtod(p + 9, NULL);
        const char *gt = strchr(p, '>');
        if (!gt || gt[-1] == '/' || strncmp(gt + 1, "<title>", 7) != 0) continue;
        if (any && x != last_x) bar++;
        if (bar >= cap) break;
        if (!any || x != last_x) sums[bar] = 0;
        any = true;
        last_x = x;
        sums[bar] += strtod(strstr(gt, ": ") + 2, NULL);
    }
    return any ? bar + 1 : 0;
}

static void test_breakdowns_normalised_and_legends(void)
{
    run_stats rows[3];
    unsigned chips[] = {1, 8, 64};
    for (int i = 0; i < 3; i++) {
        synth_stats(&rows[i], "bars", chips[i], 0);
        /* the DRAM does nothing at any chip count: no legend entry */
        for (uint32_t c = 0; c < chips[i]; c++) {
            chip_stats *x = &rows[i].per_chip[c];
            rows[i].energy_j -= x->energy_j[SYN_DRAM];
            x->time_cycles[SYN_WAIT] += x->time_cycles[SYN_DRAM];
            x->energy_j[SYN_DRAM] = 0;
            x->time_cycles[SYN_DRAM] = x->busy_cycles[SYN_DRAM] = 0;
        }
    }
    char tmpl[] = "/tmp/mcusim_bars_XXXXXX";
    char *dir = mkdtemp(tmpl);
    experiment e;
    memset(&e, 0, sizeof e);
    snprintf(e.name, sizeof e.name, "bars");
    char err[512];
    CU_ASSERT_EQUAL_FATAL(report_write_experiment(dir, &e, rows, 3, err, sizeof err), 0);
    const char *names[] = {"breakdown_time.svg", "breakdown_time_pct.svg", "breakdown_energy.svg",
                           "breakdown_energy_pct.svg"};
    for (int i = 0; i < 4; i++) {
        char *svg = slurp(dir, names[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
        CU_ASSERT_PTR_NULL(strstr(svg, ">dram</text>"));
        CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">core</text>"));
        /* units on both axes */
        CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">chips (count)<"));
        CU_ASSERT_PTR_NOT_NULL(strstr(svg, i % 2 ? "(%)" : "(m"));
        double sums[8];
        CU_ASSERT_EQUAL(bar_sums(svg, sums, 8), 3);
        for (int b = 0; i % 2 && b < 3; b++) CU_ASSERT_DOUBLE_EQUAL(sums[b], 100.0, 1e-3);
        free(svg);
    }
    for (int i = 0; i < 3; i++) free(rows[i].per_chip);
    rm_rf(dir);
}

/* Every file of the folder linked from README.md, every column of
 * summary.csv and ops.csv explained in it (a component's columns through
 * the `<c>` pattern and its row in the component table). */
static void test_index_links_every_file_and_column(void)
{
    run_stats rows[2];
    synth_stats(&rows[0], "index", 1, 0);
    synth_stats(&rows[1], "index", 4, 0);
    stamp(&rows[0], "c0001");
    stamp(&rows[1], "c0004");
    attach_rows(&rows[0]);
    attach_rows(&rows[1]);
    char tmpl[] = "/tmp/mcusim_index_XXXXXX";
    char *dir = mkdtemp(tmpl);
    char path[4200];
    snprintf(path, sizeof path, "%s/points", dir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/provenance.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{}\n", f);
    fclose(f);
    experiment e;
    memset(&e, 0, sizeof e);
    snprintf(e.name, sizeof e.name, "index");
    snprintf(e.description, sizeof e.description, "a synthetic experiment");
    char err[512];
    CU_ASSERT_EQUAL_FATAL(report_write_experiment(dir, &e, rows, 2, err, sizeof err), 0);
    char *md = slurp(dir, "README.md");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "a synthetic experiment"));
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t files = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "README.md")) continue;
        char link[300];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        stat(path, &st);
        snprintf(link, sizeof link, "](%s%s)", de->d_name, S_ISDIR(st.st_mode) ? "/" : "");
        CU_ASSERT_PTR_NOT_NULL(strstr(md, link));
        if (!strstr(md, link)) fprintf(stderr, "README.md does not link %s\n", de->d_name);
        files++;
    }
    closedir(d);
    CU_ASSERT(files >= 12);   /* summaries, ops.csv, 7 plots, provenance, points */
    const char *csvs[] = {"summary.csv", "ops.csv"};
    for (int k = 0; k < 2; k++) {
        char *csv = slurp(dir, csvs[k]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
        *strchr(csv, '\n') = '\0';
        for (char *col = strtok(csv, ","); col; col = strtok(NULL, ",")) {
            char want[128];
            snprintf(want, sizeof want, "| `%s` |", col);
            bool found = strstr(md, want) != NULL;
            /* a per-component column: its pattern, and the component listed */
            for (uint32_t c = 0; !found && c < rows[0].components.n; c++) {
                const char *name = rows[0].components.c[c].name;
                const char *at = strstr(col, name);
                size_t n = strlen(name);
                if (!at || (at[n] != '_' && at[n] != '\0') || at == col || at[-1] != '_') continue;
                char pattern[128], entry[64];
                snprintf(pattern, sizeof pattern, "| `%.*s<c>%s` |", (int)(at - col), col, at + n);
                snprintf(entry, sizeof entry, "| `%s` |", name);
                found = strstr(md, pattern) && strstr(md, entry);
            }
            for (uint32_t l = 0; !found && l < rows[0].levels.n; l++) {
                char lv[64];
                snprintf(lv, sizeof lv, "bytes_%s", rows[0].levels.v[l].name);
                found = !strcmp(col, lv) && strstr(md, "| `bytes_<level>` |");
            }
            CU_ASSERT(found);
            if (!found) fprintf(stderr, "README.md does not explain %s column %s\n", csvs[k], col);
        }
        free(csv);
    }
    free(md);
    for (int i = 0; i < 2; i++) {
        free(rows[i].per_chip);
        free(rows[i].ops);
    }
    rm_rf(dir);
}

#define README MCUSIM_SOURCE_DIR "/README.md"
#define BEGIN_MARK "<!-- ops-columns:begin (generated from sim/report/ops_csv.c) -->\n"
#define END_MARK "<!-- ops-columns:end -->\n"

static void test_readme_lists_ops_columns(void)
{
    CU_ASSERT_TRUE(synth_readme_section_is(README, BEGIN_MARK, END_MARK, report_ops_columns_md,
                                           "ops.csv columns", "sim/report/ops_csv.c"));
}

static int register_tests(void)
{
    ADD_SUITE("report_opstats", TEST(test_top_groups_by_what_ops_compute),
              TEST(test_static_rows_and_the_books), TEST(test_ops_file_round_trip_and_refusals),
              TEST(test_breakdowns_normalised_and_legends),
              TEST(test_index_links_every_file_and_column), TEST(test_readme_lists_ops_columns));
    return 0;
}

CUNIT_MAIN(register_tests)
