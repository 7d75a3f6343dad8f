/* Report writers on synthetic run_stats: the CSV contract, speedup against
 * the 1-chip row, JSON round trip, SVG shape, Markdown reference table,
 * atomic writes. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_main.h"
#include "test_report_synth.h"
#include "test_scratch.h"

static const char *const contract[] = {"experiment", "model",    "mode",      "chips",
                                       "cycles",     "latency_ms", "energy_mj", "edp_mj_ms",
                                       "speedup",    "edp_gain", "offchip_bytes", "link_bytes"};

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/mcusim_report_XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static experiment *make_exp(void)
{
    experiment *e = calloc(1, sizeof *e);
    snprintf(e->name, sizeof e->name, "synthetic");
    return e;
}

/* Splits one CSV line (no quoted fields in these tests) into fields. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == ',') { *p = '\0'; f[n++] = p + 1; }
    return n;
}

static char *write_rows(const unsigned *chips, size_t n, experiment *e, char **dir_out)
{
    run_stats *rows = calloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++) synth_stats(&rows[i], "synthetic", chips[i], 0);
    char *dir = make_tmpdir();
    char err[512] = "";
    int rc = report_write_experiment(dir, e, rows, n, err, sizeof err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    report_free_rows(rows, n);
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    *dir_out = dir;
    return synth_slurp(path, NULL);
}

static void test_csv_header_is_contract(void)
{
    unsigned chips[] = {1, 2};
    experiment *e = make_exp();
    char *dir, *csv = write_rows(chips, 2, e, &dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    char *nl = strchr(csv, '\n');
    *nl = '\0';
    char *f[128];
    size_t n = split(csv, f, 128);
    CU_ASSERT_TRUE(n >= 12);
    for (size_t i = 0; i < 12; i++) CU_ASSERT_STRING_EQUAL(f[i], contract[i]);
    free(csv);
    rm_rf(dir);
    free(dir);
    free(e);
}

static void test_speedup_against_one_chip_row(void)
{
    unsigned chips[] = {8, 1, 4, 2};   /* shuffled: the writer sorts by chips */
    experiment *e = make_exp();
    char *dir, *csv = write_rows(chips, 4, e, &dir);
    char *line = strchr(csv, '\n') + 1;
    unsigned expect_order[] = {1, 2, 4, 8};
    for (int r = 0; r < 4; r++) {
        char *nl = strchr(line, '\n');
        CU_ASSERT_PTR_NOT_NULL_FATAL(nl);
        *nl = '\0';
        char *f[128];
        split(line, f, 128);
        unsigned c = (unsigned)strtoul(f[3], NULL, 10);
        CU_ASSERT_EQUAL(c, expect_order[r]);
        double lat1 = synth_latency_s(1, 0), latc = synth_latency_s(c, 0);
        double edp1 = lat1 * synth_energy_j(1, 0), edpc = latc * synth_energy_j(c, 0);
        CU_ASSERT_DOUBLE_EQUAL(strtod(f[8], NULL), lat1 / latc, 1e-6 * lat1 / latc);
        CU_ASSERT_DOUBLE_EQUAL(strtod(f[9], NULL), edp1 / edpc, 1e-6 * edp1 / edpc);
        CU_ASSERT_DOUBLE_EQUAL(strtod(f[5], NULL), latc * 1e3, 1e-6 * latc * 1e3);
        line = nl + 1;
    }
    free(csv);
    rm_rf(dir);
    free(dir);
    free(e);
}

static void test_no_one_chip_row_leaves_speedup_empty(void)
{
    unsigned chips[] = {2, 4};
    experiment *e = make_exp();
    char *dir, *csv = write_rows(chips, 2, e, &dir);
    char *line = strchr(csv, '\n') + 1;
    *strchr(line, '\n') = '\0';
    char *f[128];
    split(line, f, 128);
    CU_ASSERT_STRING_EQUAL(f[8], "");
    CU_ASSERT_STRING_EQUAL(f[9], "");
    free(csv);
    rm_rf(dir);
    free(dir);
    free(e);
}

/* The critical-path columns follow the busy ones, one per component (the
 * in-flight pace columns after them), and add up to the latency on every row (mean over chips of partitions of the
 * same run length: within one cycle, which is how cycles round). */
static void test_time_columns_sum_to_latency(void)
{
    unsigned chips[] = {1, 2, 4};
    experiment *e = make_exp();
    char *dir, *csv = write_rows(chips, 3, e, &dir);
    char *line = strchr(csv, '\n');
    *line++ = '\0';
    char *h[128];
    size_t nh = split(csv, h, 128), first = 0;
    for (size_t i = 0; i < nh; i++)
        if (!strcmp(h[i], "time_core_ms")) first = i;
    CU_ASSERT_FATAL(first > 12);
    CU_ASSERT_STRING_EQUAL(h[first - 1], "busy_wait_ms");
    size_t nt = 0;
    component_set cs;
    mem_level_set levels;
    synth_components(&cs, &levels);
    for (uint32_t c = 0; c < cs.n; c++) {
        if (!cs.c[c].time) continue;
        char want[64];
        snprintf(want, sizeof want, "time_%s_ms", cs.c[c].name);
        CU_ASSERT_FATAL(first + nt < nh);
        CU_ASSERT_STRING_EQUAL(h[first + nt], want);
        nt++;
    }
    /* then only the in-flight pace columns, added after the per-component ones */
    CU_ASSERT_EQUAL(first + nt + 3, nh);
    CU_ASSERT_STRING_EQUAL(h[nh - 3], "in_flight");
    CU_ASSERT_STRING_EQUAL(h[nh - 1], "tokens_per_s");
    for (int r = 0; r < 3; r++) {
        char *nl = strchr(line, '\n');
        CU_ASSERT_PTR_NOT_NULL_FATAL(nl);
        *nl = '\0';
        char *f[128];
        split(line, f, 128);
        double lat = strtod(f[5], NULL), sum = 0;
        for (size_t c = 0; c < nt; c++) sum += strtod(f[first + c], NULL);
        CU_ASSERT_DOUBLE_EQUAL(sum, lat, 1e3 / 360e6 + 1e-8 * lat);
        line = nl + 1;
    }
    free(csv);
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = synth_slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"busy_ms_by_component\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"time_ms_by_component\""));
    free(json);
    rm_rf(dir);
    free(dir);
    free(e);
}

/* The stacked time bars reach the latency: each rect's <title> carries its
 * value (%g), rects of one bar share their x. */
static void test_time_bars_reach_latency(void)
{
    unsigned chips[] = {1, 2, 4, 8};
    experiment *e = make_exp();
    char *dir, *csv = write_rows(chips, 4, e, &dir);
    free(csv);
    char path[4096];
    snprintf(path, sizeof path, "%s/breakdown_time.svg", dir);
    char *svg = synth_slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "Where the time goes (mean per chip)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "wait = waiting on peers"));
    double sums[4] = {0}, last_x = -1;
    int bar = -1;
    for (const char *p = svg; (p = strstr(p, "<rect x=\"")); p++) {
        double x = strtod(p + 9, NULL);
        const char *gt = strchr(p, '>');
        /* frame and legend swatches are self-closing; segments hold a title */
        if (!gt || gt[-1] == '/' || strncmp(gt + 1, "<title>", 7) != 0) continue;
        const char *colon = strstr(gt, ": ");
        CU_ASSERT_PTR_NOT_NULL_FATAL(colon);
        if (x != last_x) { bar++; last_x = x; }
        CU_ASSERT_FATAL(bar >= 0 && bar < 4);
        sums[bar] += strtod(colon + 2, NULL);
    }
    CU_ASSERT_EQUAL(bar, 3);
    for (int b = 0; b < 4; b++) {
        double lat = synth_latency_s(chips[b], 0) * 1e3;
        CU_ASSERT_DOUBLE_EQUAL(sums[b], lat, 1e3 / 360e6 + 1e-5 * lat);
    }
    free(svg);
    rm_rf(dir);
    free(dir);
    free(e);
}

static void test_json_round_trip(void)
{
    run_stats a;
    synth_stats(&a, "quote\" back\\slash\nnewline", 3, 1);
    a.per_chip[2].busy_cycles[SYN_WAIT] = UINT64_MAX;
    a.per_chip[1].time_cycles[SYN_LINK] = UINT64_MAX;
    a.per_chip[1].energy_j[SYN_LINK] = 0.1;
    a.per_chip[0].energy_j[SYN_SRAM] = 1e-300;
    a.per_chip[0].placement.capacity[SYN_LEVEL_DRAM] = 8u << 20;
    a.per_chip[0].placement.used[SYN_LEVEL_SRAM] = 3u << 20;
    a.per_chip[0].placement.spilled_activation_bytes = 12345;
    a.per_chip[0].placement.spilled_activation_buffers = 3;
    a.per_chip[0].placement.activation_demand_bytes = 777;
    a.wall_s = 1.0 / 3.0;
    a.check_run = true;
    a.check_passed = true;
    a.cycles = UINT64_MAX - 1;
    snprintf(a.stamp.id, sizeof a.stamp.id, "g001-c0003");
    snprintf(a.stamp.config_sha256, sizeof a.stamp.config_sha256, "%064d", 7);
    snprintf(a.stamp.version, sizeof a.stamp.version, "9.8.7");
    snprintf(a.stamp.mode, sizeof a.stamp.mode, "functional+check");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_EQUAL(run_stats_write_json(f, &a), 0);
    fclose(f);
    run_stats b;
    char err[256] = "";
    int rc = run_stats_read_json(buf, len, &b, err, sizeof err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_STRING_EQUAL(a.experiment, b.experiment);
    CU_ASSERT_STRING_EQUAL(a.model, b.model);
    CU_ASSERT_STRING_EQUAL(a.mode, b.mode);
    CU_ASSERT_STRING_EQUAL(a.scope, b.scope);
    CU_ASSERT_STRING_EQUAL(a.sweep, b.sweep);
    CU_ASSERT_EQUAL(a.grid_index, b.grid_index);
    CU_ASSERT_EQUAL(a.chips, b.chips);
    CU_ASSERT_EQUAL(a.clock_hz, b.clock_hz);
    CU_ASSERT_EQUAL(a.cycles, b.cycles);
    CU_ASSERT_EQUAL(a.latency_s, b.latency_s);
    CU_ASSERT_EQUAL(a.energy_j, b.energy_j);
    CU_ASSERT_EQUAL(a.offchip_bytes, b.offchip_bytes);
    CU_ASSERT_EQUAL(a.link_bytes, b.link_bytes);
    CU_ASSERT_EQUAL(a.sim_events, b.sim_events);
    CU_ASSERT_EQUAL(a.wall_s, b.wall_s);
    CU_ASSERT_EQUAL(a.functional, b.functional);
    CU_ASSERT_EQUAL(a.check_run, b.check_run);
    CU_ASSERT_EQUAL(a.check_passed, b.check_passed);
    CU_ASSERT_EQUAL(memcmp(&a.stamp, &b.stamp, sizeof a.stamp), 0);
    for (unsigned k = 0; k < a.chips; k++) {
        const chip_stats *x = &a.per_chip[k], *y = &b.per_chip[k];
        for (uint32_t c = 0; c < a.components.n; c++) {
            CU_ASSERT_EQUAL(x->busy_cycles[c], y->busy_cycles[c]);
            CU_ASSERT_EQUAL(x->time_cycles[c], y->time_cycles[c]);
            CU_ASSERT_EQUAL(x->energy_j[c], y->energy_j[c]);
            CU_ASSERT_EQUAL(x->leakage_j[c], y->leakage_j[c]);
        }
        CU_ASSERT_EQUAL(x->offchip_bytes, y->offchip_bytes);
        CU_ASSERT_EQUAL(x->link_bytes_sent, y->link_bytes_sent);
        CU_ASSERT_EQUAL(x->link_wire_bytes_sent, y->link_wire_bytes_sent);
        CU_ASSERT_EQUAL(x->finish_s, y->finish_s);
        CU_ASSERT_EQUAL(memcmp(&x->placement, &y->placement, sizeof x->placement), 0);
    }
    free(buf);
    free(a.per_chip);
    free(b.per_chip);
}

/* A point file written before time_cycles existed is refused with the key
 * named, not read as a breakdown of zeros. */
static void test_json_requires_time_cycles(void)
{
    run_stats a;
    synth_stats(&a, "old", 1, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_EQUAL(run_stats_write_json(f, &a), 0);
    fclose(f);
    char *key = strstr(buf, "\"time_cycles\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    memcpy(key + 1, "tIME", 4);   /* as good as absent */
    run_stats b;
    char err[256] = "";
    CU_ASSERT_NOT_EQUAL(run_stats_read_json(buf, len, &b, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "time_cycles"));
    CU_ASSERT_PTR_NULL(b.per_chip);
    free(buf);
    free(a.per_chip);
}

static void test_json_rejects_malformed(void)
{
    const char *bad[] = {"{", "{\"chips\": }", "[1,2", "{\"a\":1} x", "\"unterminated"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_stats s;
        char err[256] = "";
        CU_ASSERT_NOT_EQUAL(run_stats_read_json(bad[i], strlen(bad[i]), &s, err, sizeof err), 0);
        CU_ASSERT_TRUE(err[0] != '\0');
    }
}

/* Tags open and close in order (self-closing and <?...?> skipped). */
static int xml_balanced(const char *s)
{
    char stack[64][32];
    int depth = 0;
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        if (p[1] == '?' || p[1] == '!') continue;
        const char *end = strchr(p, '>');
        if (!end) return 0;
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t n = strcspn(name, " />");
        if (n == 0 || n >= 32) return 0;
        if (closing) {
            if (depth == 0 || strncmp(stack[depth - 1], name, n) || stack[depth - 1][n]) return 0;
            depth--;
        } else if (end[-1] != '/') {
            if (depth == 64) return 0;
            memcpy(stack[depth], name, n);
            stack[depth++][n] = '\0';
        }
    }
    return depth == 0;
}

static void test_svg_plots_well_formed(void)
{
    unsigned chips[] = {1, 2, 4, 8, 16};
    experiment *e = make_exp();
    char *dir, *csv = write_rows(chips, 5, e, &dir);
    free(csv);
    const char *files[] = {"speedup.svg", "energy.svg", "edp.svg", "breakdown_time.svg",
                           "breakdown_energy.svg"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        char *svg = synth_slurp(path, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
        CU_ASSERT_TRUE(strncmp(svg, "<?xml", 5) == 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<svg"));
        CU_ASSERT_TRUE(xml_balanced(svg));
        if (i == 0) {
            CU_ASSERT_PTR_NOT_NULL(strstr(svg, "linear scaling"));
            /* one marker per simulated point */
            size_t circles = 0;
            for (const char *p = svg; (p = strstr(p, "<circle")); p++) circles++;
            CU_ASSERT_EQUAL(circles, 5);
        }
        /* each breakdown lists the components of its view (the synthetic
         * rows give every one of them a non-zero share) and no other */
        component_set cs;
        mem_level_set levels;
        synth_components(&cs, &levels);
        for (uint32_t c = 0; i >= 3 && c < cs.n; c++) {
            bool in_view = i == 3 ? cs.c[c].time : cs.c[c].energy;
            char legend[64];
            snprintf(legend, sizeof legend, ">%s</text>", cs.c[c].name);
            CU_ASSERT_EQUAL(strstr(svg, legend) != NULL, in_view);
        }
        free(svg);
    }
    rm_rf(dir);
    free(dir);
    free(e);
}

static char *slurp_in(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *s = synth_slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    return s;
}

/* The scope of one inference is in the CSV (the column after the contract
 * ones), the JSON rows, the Markdown header line and every plot title. */
static void test_scope_everywhere(void)
{
    unsigned chips[] = {1, 2, 4};
    experiment *e = make_exp();
    char scope[128], line[160];
    synth_scope(scope, sizeof scope, 0);
    char *dir, *csv = write_rows(chips, 3, e, &dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    char *f[128];
    char *rest = strchr(csv, '\n');
    *rest++ = '\0';
    CU_ASSERT_FATAL(split(csv, f, 128) > 12);
    CU_ASSERT_STRING_EQUAL(f[12], "scope");
    for (int r = 0; r < 3; r++) { /* naive comma splitting still works: no commas in it */
        char *nl = strchr(rest, '\n');
        CU_ASSERT_PTR_NOT_NULL_FATAL(nl);
        *nl = '\0';
        CU_ASSERT_FATAL(split(rest, f, 128) > 12);
        CU_ASSERT_STRING_EQUAL(f[12], scope);
        rest = nl + 1;
    }
    free(csv);
    char *json = slurp_in(dir, "summary.json");
    snprintf(line, sizeof line, "\"scope\": \"%s\"", scope);
    size_t hits = 0;
    for (const char *p = json; (p = strstr(p, line)); p++) hits++;
    CU_ASSERT_EQUAL(hits, 3);
    free(json);
    char *md = slurp_in(dir, "summary.md");
    snprintf(line, sizeof line, "One inference: %s.", scope);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, line));
    free(md);
    const char *svgs[] = {"speedup.svg", "energy.svg", "edp.svg", "breakdown_time.svg",
                          "breakdown_energy.svg"};
    snprintf(line, sizeof line, ">one inference: %s<", scope);
    for (size_t i = 0; i < sizeof svgs / sizeof svgs[0]; i++) {
        char *svg = slurp_in(dir, svgs[i]);
        CU_ASSERT_PTR_NOT_NULL(strstr(svg, line));
        free(svg);
    }
    rm_rf(dir);
    free(dir);
    free(e);
}

/* Grid points with different scopes (a sweep over workload.blocks): the
 * Markdown table gets a scope column, line plots say the series differ and
 * each group's bar plots carry that group's scope. */
static void test_scope_differs_by_group(void)
{
    run_stats rows[4];
    for (unsigned i = 0; i < 4; i++) synth_stats(&rows[i], "mixed", 1u << (i % 2), i / 2);
    experiment *e = make_exp();
    char *dir = make_tmpdir(), err[512] = "";
    CU_ASSERT_EQUAL_FATAL(report_write_experiment(dir, e, rows, 4, err, sizeof err), 0);
    char s0[128], s1[128], want[200];
    synth_scope(s0, sizeof s0, 0);
    synth_scope(s1, sizeof s1, 1);
    char *md = slurp_in(dir, "summary.md");
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| scope |"));
    snprintf(want, sizeof want, "| %s |", s0);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, want));
    snprintf(want, sizeof want, "| %s |", s1);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, want));
    free(md);
    char *svg = slurp_in(dir, "speedup.svg");
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "one inference: differs by series"));
    free(svg);
    svg = slurp_in(dir, "breakdown_time_g1.svg");
    snprintf(want, sizeof want, ">one inference: %s<", s1);
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, want));
    free(svg);
    for (unsigned i = 0; i < 4; i++) free(rows[i].per_chip);
    rm_rf(dir);
    free(dir);
    free(e);
}

static void test_markdown_reference_side_by_side(void)
{
    unsigned chips[] = {1, 4};
    experiment *e = make_exp();
    reference_row ref[1] = {{.chips = 4, .n = 2}};
    snprintf(ref[0].v[0].metric, sizeof ref[0].v[0].metric, "speedup");
    ref[0].v[0].value = 2.0;
    snprintf(ref[0].v[1].metric, sizeof ref[0].v[1].metric, "energy_mcu_mj");
    ref[0].v[1].value = 1.0;
    e->reference = ref;
    e->n_reference = 1;
    snprintf(e->reference_citation, sizeof e->reference_citation, "Somebody et al. 2099");
    char *dir, *csv = write_rows(chips, 2, e, &dir);
    free(csv);
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = synth_slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "Somebody et al. 2099"));
    double sp = synth_latency_s(1, 0) / synth_latency_s(4, 0);
    char want[96];
    snprintf(want, sizeof want, "| 4 | `speedup` (x) | %.6g | 2 | %+.1f |", sp, (sp - 2.0) / 2.0 * 100);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, want));
    /* the energy without the off-chip memory: every component but the DRAM */
    run_stats s4;
    synth_stats(&s4, "synthetic", 4, 0);
    double mcu = 0;
    for (unsigned k = 0; k < 4; k++)
        for (uint32_t c = 0; c < s4.components.n; c++)
            if (c != SYN_DRAM) mcu += s4.per_chip[k].energy_j[c] * 1e3;
    free(s4.per_chip);
    snprintf(want, sizeof want, "| 4 | `energy_mcu_mj` (mJ) | %.6g | 1 | %+.1f |", mcu,
             (mcu - 1.0) * 100);
    CU_ASSERT_PTR_NOT_NULL(strstr(md, want));
    free(md);
    rm_rf(dir);
    free(dir);
    free(e);
}

/* Drops component `at` from a synthetic point: a node without it. */
static void drop_component(run_stats *s, uint32_t at)
{
    component_set *cs = &s->components;
    for (uint32_t k = 0; k < s->chips; k++) {
        chip_stats *c = &s->per_chip[k];
        s->energy_j -= c->energy_j[at];
        for (uint32_t j = at; j + 1 < cs->n; j++) {
            c->busy_cycles[j] = c->busy_cycles[j + 1];
            c->time_cycles[j] = c->time_cycles[j + 1];
            c->energy_j[j] = c->energy_j[j + 1];
            c->leakage_j[j] = c->leakage_j[j + 1];
        }
    }
    memmove(&cs->c[at], &cs->c[at + 1], (cs->n - at - 1) * sizeof cs->c[0]);
    cs->n--;
    for (int k = 0; k < SYSTEM__COUNT; k++)
        if (cs->system[k] > at) cs->system[k]--;
}

/* Rows of nodes with different components (a sweep over a node's
 * structure): the columns are the union, in the nodes' order, and a row's
 * cell for a component its node lacks is empty (and absent from its JSON
 * maps), not a zero. */
static void test_rows_of_different_nodes(void)
{
    run_stats rows[2];
    synth_stats(&rows[0], "mixed", 1, 0);
    synth_stats(&rows[1], "mixed", 2, 0);
    drop_component(&rows[0], SYN_SRAM);
    experiment *e = make_exp();
    char *dir = make_tmpdir(), err[512] = "";
    CU_ASSERT_EQUAL_FATAL(report_write_experiment(dir, e, rows, 2, err, sizeof err), 0);
    char *csv = slurp_in(dir, "summary.csv");
    char *line = strchr(csv, '\n');
    *line++ = '\0';
    char *h[128], *f[128];
    size_t nh = split(csv, h, 128), col = nh;
    for (size_t i = 0; i < nh; i++)
        if (!strcmp(h[i], "energy_sram_mj")) col = i;
    CU_ASSERT_FATAL(col < nh);
    CU_ASSERT_STRING_EQUAL(h[col - 1], "energy_core_mj");   /* in its node's place */
    CU_ASSERT_STRING_EQUAL(h[col + 1], "energy_dram_mj");
    *strchr(line, '\n') = '\0';   /* the 1-chip row: its node has no SRAM */
    CU_ASSERT_EQUAL_FATAL(split(line, f, 128), nh);
    CU_ASSERT_STRING_EQUAL(f[col], "");
    CU_ASSERT_STRING_NOT_EQUAL(f[col + 1], "");
    free(csv);
    char *json = slurp_in(dir, "summary.json");
    size_t hits = 0;
    for (const char *p = json; (p = strstr(p, "\"energy_mj_by_component\": {\"core\": ")); p++) {
        char map[512];
        snprintf(map, sizeof map, "%.*s", (int)(strchr(p, '}') - p), p);
        hits += strstr(map, "\"sram\"") != NULL;
    }
    CU_ASSERT_EQUAL(hits, 1);   /* only the row whose node has it */
    free(json);
    for (unsigned i = 0; i < 2; i++) free(rows[i].per_chip);
    rm_rf(dir);
    free(dir);
    free(e);
}

static void test_atomic_write_leaves_no_tmp(void)
{
    unsigned chips[] = {1, 2, 4};
    experiment *e = make_exp();
    char *dir, *csv = write_rows(chips, 3, e, &dir);
    free(csv);
    char err[256];
    char path[4096];
    snprintf(path, sizeof path, "%s/extra.txt", dir);
    CU_ASSERT_EQUAL(report_write_file_atomic(path, "abc", 3, err, sizeof err), 0);
    size_t len;
    char *got = synth_slurp(path, &len);
    CU_ASSERT_EQUAL(len, 3);
    free(got);
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t files = 0;
    while ((de = readdir(d))) {
        CU_ASSERT_PTR_NULL(strstr(de->d_name, ".tmp"));
        files++;
    }
    closedir(d);
    CU_ASSERT_TRUE(files > 5);
    rm_rf(dir);
    free(dir);
    free(e);
}

/* The writer never replaces nor opens a special file: a FIFO at the target
 * is refused and left in place, a FIFO squatting on the temporary name is
 * not opened (that would block) but replaced by a new file. */
static void test_atomic_write_spares_special_files(void)
{
    char *dir = make_tmpdir();
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    char target[4096], tmp[4200], err[256];
    snprintf(target, sizeof target, "%s/fifo.csv", dir);
    CU_ASSERT_EQUAL_FATAL(mkfifo(target, 0600), 0);
    CU_ASSERT_NOT_EQUAL(report_write_file_atomic(target, "abc", 3, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a regular file"));
    struct stat st;
    CU_ASSERT_TRUE(stat(target, &st) == 0 && S_ISFIFO(st.st_mode));
    snprintf(target, sizeof target, "%s/plain.csv", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", target, (long)getpid());
    CU_ASSERT_EQUAL_FATAL(mkfifo(tmp, 0600), 0);
    CU_ASSERT_EQUAL(report_write_file_atomic(target, "abc", 3, err, sizeof err), 0);
    CU_ASSERT_TRUE(stat(target, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 3);
    CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0);
    rm_rf(dir);
    free(dir);
}

static int register_tests(void)
{
    ADD_SUITE("report_writers", TEST(test_csv_header_is_contract),
              TEST(test_speedup_against_one_chip_row),
              TEST(test_no_one_chip_row_leaves_speedup_empty),
              TEST(test_time_columns_sum_to_latency), TEST(test_time_bars_reach_latency),
              TEST(test_json_round_trip),
              TEST(test_json_requires_time_cycles), TEST(test_json_rejects_malformed), TEST(test_svg_plots_well_formed),
              TEST(test_markdown_reference_side_by_side), TEST(test_scope_everywhere),
              TEST(test_scope_differs_by_group), TEST(test_rows_of_different_nodes),
              TEST(test_atomic_write_leaves_no_tmp),
              TEST(test_atomic_write_spares_special_files));
    return 0;
}

CUNIT_MAIN(register_tests)
