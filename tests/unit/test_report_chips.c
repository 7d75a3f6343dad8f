/* Per-chip figures of systems whose chips differ (system.chips):
 * chips.csv and summary.md's "Per chip" tables, against the point's own
 * numbers. Each row's critical-path times add up to the latency and busy
 * plus wait is the latency; exactly one straggler, the chip that ends
 * last; written only for points whose chips differ (their node, clock or
 * memories); README.md lists the columns as report_chips.c documents
 * them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../sim/report/report_internal.h"
#include "cunit_main.h"
#include "test_report_synth.h"
#include "test_scratch.h"

/* synth_stats with chips 1..2 of another node (name and clock), chip 3
 * with more L2, and chip 2 ending last. */
static void mixed(run_stats *s, unsigned chips)
{
    synth_stats(s, "mixed", chips, 0);
    for (uint32_t c = 1; c < chips && c < 3; c++) {
        snprintf(s->per_chip[c].node, sizeof s->per_chip[c].node, "slow");
        s->per_chip[c].clock_hz = s->clock_hz / 2;
    }
    if (chips > 3) s->per_chip[3].placement.capacity[SYN_LEVEL_SRAM] *= 2;
    for (uint32_t c = 0; c < chips; c++) s->per_chip[c].finish_s = s->latency_s * (0.9 + 0.01 * c);
    if (chips > 2) s->per_chip[2].finish_s = s->latency_s;
}

static char *write_and_read(run_stats *rows, size_t n, const char *name, char **md)
{
    char tmpl[] = "/tmp/mcusim_chips_XXXXXX";
    char *dir = mkdtemp(tmpl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    experiment e;
    memset(&e, 0, sizeof e);
    snprintf(e.name, sizeof e.name, "mixed");
    char err[512], path[4200];
    CU_ASSERT_EQUAL_FATAL(report_write_experiment(dir, &e, rows, n, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = synth_slurp(path, NULL);
    snprintf(path, sizeof path, "%s/summary.md", dir);
    *md = synth_slurp(path, NULL);
    rm_rf(dir);
    return text;
}

/* The value of column `name` in a CSV line (no quoted commas in these). */
static double cell(const char *header, const char *line, const char *name)
{
    int col = 0;
    const char *p = header;
    size_t len = strlen(name);
    while (strncmp(p, name, len) || (p[len] != ',' && p[len] != '\0')) {
        p = strchr(p, ',');
        if (!p) return NAN;
        p++;
        col++;
    }
    const char *q = line;
    for (int k = 0; k < col && q; k++) {
        q = strchr(q, ',');
        if (q) q++;
    }
    return q ? strtod(q, NULL) : NAN;
}

static void test_chips_csv_adds_up(void)
{
    run_stats rows[3];
    synth_stats(&rows[0], "mixed", 1, 0);   /* one chip: nothing differs */
    mixed(&rows[1], 4);
    mixed(&rows[2], 5);
    char *md = NULL;
    char *csv = write_and_read(rows, 3, "chips.csv", &md);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    char *save, *header = strtok_r(csv, "\n", &save);
    char hdr[4096];
    snprintf(hdr, sizeof hdr, "%s", header);
    size_t lines = 0, stragglers[2] = {0, 0};
    for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lines++;
        unsigned chips = (unsigned)cell(hdr, line, "chips");
        const run_stats *s = chips == 4 ? &rows[1] : &rows[2];
        uint32_t c = (uint32_t)cell(hdr, line, "chip");
        double lat = s->latency_s * 1e3;
        double t = cell(hdr, line, "time_core_ms") + cell(hdr, line, "time_dram_ms") +
                   cell(hdr, line, "time_link_ms") + cell(hdr, line, "time_wait_ms");
        CU_ASSERT_DOUBLE_EQUAL(t, lat, 1e-6 * lat);
        CU_ASSERT_DOUBLE_EQUAL(cell(hdr, line, "busy_ms") + cell(hdr, line, "wait_ms"), lat,
                               1e-6 * lat);
        CU_ASSERT_DOUBLE_EQUAL(cell(hdr, line, "wait_ms"), cell(hdr, line, "time_wait_ms"),
                               1e-8 * lat);
        CU_ASSERT_DOUBLE_EQUAL(cell(hdr, line, "clock_hz"), s->per_chip[c].clock_hz, 1);
        /* printed to 9 significant digits */
        CU_ASSERT_DOUBLE_EQUAL(cell(hdr, line, "finish_ms"), s->per_chip[c].finish_s * 1e3,
                               1e-8 * s->per_chip[c].finish_s * 1e3);
        double e = 0;
        for (uint32_t k = 0; k < s->components.n; k++) e += s->per_chip[c].energy_j[k];
        CU_ASSERT_DOUBLE_EQUAL(cell(hdr, line, "energy_mj"), e * 1e3, 1e-9 * e * 1e3 + 1e-15);
        if (cell(hdr, line, "straggler") == 1) {
            stragglers[chips == 4 ? 0 : 1]++;
            CU_ASSERT_EQUAL(c, 2);   /* the chip that ends last */
        }
    }
    CU_ASSERT_EQUAL(lines, 4 + 5);   /* every chip of the points that differ */
    CU_ASSERT_EQUAL(stragglers[0], 1);
    CU_ASSERT_EQUAL(stragglers[1], 1);
    /* summary.md: a table per such point, chips alike grouped: 0, 1-2 (slow), 3 (more L2), 4 */
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "## Per chip"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "### c0004: 4 chips"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "### c0005: 5 chips"));
    CU_ASSERT_PTR_NULL(strstr(md, "### c0001"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 1-2 (straggler) | slow |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 3 | synth |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "Straggler: chip 2 (slow, "));
    free(csv);
    free(md);
    for (int i = 0; i < 3; i++) free(rows[i].per_chip);
}

/* Chips alike: no chips.csv, no Per chip. */
static void test_alike_chips_have_no_table(void)
{
    run_stats rows[2];
    synth_stats(&rows[0], "alike", 1, 0);
    synth_stats(&rows[1], "alike", 8, 0);
    char *md = NULL;
    char *csv = write_and_read(rows, 2, "chips.csv", &md);
    CU_ASSERT_PTR_NULL(csv);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT_PTR_NULL(strstr(md, "Per chip"));
    CU_ASSERT_FALSE(report_chips_differ(&rows[1]));
    rows[1].per_chip[5].clock_hz *= 1.5;
    CU_ASSERT_TRUE(report_chips_differ(&rows[1]));
    free(md);
    for (int i = 0; i < 2; i++) free(rows[i].per_chip);
}

#define README MCUSIM_SOURCE_DIR "/README.md"
#define BEGIN_MARK "<!-- chips-columns:begin (generated from sim/report/report_chips.c) -->\n"
#define END_MARK "<!-- chips-columns:end -->\n"

static void test_readme_lists_chips_columns(void)
{
    CU_ASSERT_TRUE(synth_readme_section_is(README, BEGIN_MARK, END_MARK, report_chips_columns_md,
                                           "chips.csv columns", "sim/report/report_chips.c"));
}

static int register_tests(void)
{
    ADD_SUITE("report_chips", TEST(test_chips_csv_adds_up), TEST(test_alike_chips_have_no_table),
              TEST(test_readme_lists_chips_columns));
    return 0;
}

CUNIT_MAIN(register_tests)
