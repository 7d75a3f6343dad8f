/* The statistics table (stat_fields.h) is the one description of what a
 * point holds: every member of run_stats and chip_stats is a field of it
 * (or one of the few non-statistics: the declared components and levels,
 * the stamp, the chips' array, the per-op rows); every stored field, given a distinct
 * non-zero value, reads back from a point file exactly; the summaries
 * show the fields the table puts in them; README.md's column list is the
 * table's (MCUSIM_UPDATE_README=1 rewrites it). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/report/stat_fields.h"
#include "cunit_main.h"
#include "test_report_synth.h"
#include "test_scratch.h"

#define README MCUSIM_SOURCE_DIR "/README.md"
#define BEGIN_MARK "<!-- stat-fields:begin (generated from sim/report/stat_fields.c) -->\n"
#define END_MARK "<!-- stat-fields:end -->\n"

typedef struct span { size_t offset, size; const char *what; } span;

static int by_offset(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The spans tile the struct: no overlap, and between two of them (and at
 * the end) fewer bytes than any member needs, i.e. alignment padding. */
static void assert_tiles(span *v, size_t n, size_t struct_size, const char *name)
{
    qsort(v, n, sizeof *v, by_offset);
    size_t cursor = 0;
    for (size_t i = 0; i < n; i++) {
        bool ok = v[i].offset >= cursor && v[i].offset - cursor < 8;
        if (!ok)
            fprintf(stderr, "%s: %zu bytes before '%s' at %zu are in no field of the table\n",
                    name, v[i].offset - cursor, v[i].what, v[i].offset);
        CU_ASSERT_TRUE(ok);
        cursor = v[i].offset + v[i].size;
    }
    CU_ASSERT_TRUE(cursor <= struct_size && struct_size - cursor < 8);
}

#define MEMBER(type, m) {offsetof(type, m), sizeof(((type *)0)->m), #m}

static void test_every_member_is_a_field(void)
{
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    /* ops: the per-op rows live in files of their own (ops/<id>.json) */
    span run[128] = {MEMBER(run_stats, components), MEMBER(run_stats, levels),
                     MEMBER(run_stats, per_chip), MEMBER(run_stats, stamp),
                     MEMBER(run_stats, ops), MEMBER(run_stats, n_ops)};
    span chip[128];
    size_t nr = 6, nc = 0;
    for (size_t i = 0; i < nf; i++) {
        const stat_field *f = &fs[i];
        span s = {f->offset, f->size, f->key};
        if (f->level == STAT_RUN) run[nr++] = s;
        else if (f->level >= STAT_CHIP) chip[nc++] = s;
        /* what a point stores must be in its file, or a merge loses it */
        if (f->level == STAT_RUN || f->level >= STAT_CHIP) CU_ASSERT_TRUE(stat_field_in(f, OUT_POINT));
        /* a summary.md column has a header, a per-component field a view */
        CU_ASSERT_TRUE(!f->md_col || f->md);
        CU_ASSERT_EQUAL(f->level == STAT_ROW_COMP || f->level == STAT_CHIP_COMP, f->view != 0);
        CU_ASSERT_TRUE(f->doc[0] && f->dimension[0] && f->aggregation[0]);
    }
    assert_tiles(run, nr, sizeof(run_stats), "run_stats");
    assert_tiles(chip, nc, sizeof(chip_stats), "chip_stats");
}

/* A distinct, non-zero value for field i of chip k (entry j of a map). */
static void fill_one(const stat_field *f, size_t i, unsigned k, size_t j, char *p)
{
    uint64_t v = 1 + i * 1000 + k * 97 + j * 7;
    switch (f->type) {
    case STAT_STR: snprintf(p, f->size, "%s \"%u\" \\ %zu\n", f->key, k, j); break;
    case STAT_U32: *(uint32_t *)p = (uint32_t)v; break;
    case STAT_U64: *(uint64_t *)p = (v << 40) + v; break;   /* beyond a double's integers */
    case STAT_F64: *(double *)p = (double)v / 3.0; break;
    case STAT_BOOL: *(bool *)p = true; break;
    case STAT_TEXT: break;
    }
}

static void fill(const run_stats *s, const stat_field *f, size_t i, unsigned k, void *base)
{
    char *p = (char *)base + f->offset;
    if (f->level == STAT_RUN || f->level == STAT_CHIP) {
        fill_one(f, i, k, 0, p);
        return;
    }
    size_t step = f->type == STAT_F64 ? sizeof(double) : sizeof(uint64_t);
    if (f->level == STAT_CHIP_LEVEL) {
        for (uint32_t j = 0; j < s->levels.n; j++) fill_one(f, i, k, j, p + j * step);
        return;
    }
    for (uint32_t j = 0; j < s->components.n; j++)
        if (stat_field_component_has(f, &s->components.c[j])) fill_one(f, i, k, j, p + j * step);
}

static void test_every_stored_field_round_trips(void)
{
    enum { CHIPS = 3 };
    run_stats a;
    memset(&a, 0, sizeof a);
    synth_components(&a.components, &a.levels);
    a.per_chip = calloc(CHIPS, sizeof *a.per_chip);
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    for (size_t i = 0; i < nf; i++)
        if (fs[i].level == STAT_RUN && stat_field_in(&fs[i], OUT_POINT)) fill(&a, &fs[i], i, 0, &a);
    a.chips = CHIPS;   /* the reader sizes per_chip by it */
    for (unsigned k = 0; k < CHIPS; k++)
        for (size_t i = 0; i < nf; i++)
            if (fs[i].level >= STAT_CHIP) fill(&a, &fs[i], i, k, &a.per_chip[k]);
    snprintf(a.stamp.id, sizeof a.stamp.id, "c0003");
    snprintf(a.stamp.config_sha256, sizeof a.stamp.config_sha256, "%064d", 5);
    snprintf(a.stamp.version, sizeof a.stamp.version, "1.2.3");
    snprintf(a.stamp.mode, sizeof a.stamp.mode, "functional");

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_EQUAL(run_stats_write_json(f, &a), 0);
    fclose(f);
    run_stats b;
    char err[512] = "";
    int rc = run_stats_read_json(buf, len, &b, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    char what[128] = "";
    CU_ASSERT_EQUAL(run_stats_compare(&a, &b, what, sizeof what), 0);
    if (what[0]) fprintf(stderr, "differs: %s\n", what);
    /* and byte for byte, independently of the table: nothing else was
     * written into either (both start zeroed) */
    for (unsigned k = 0; k < CHIPS; k++)
        CU_ASSERT_EQUAL(memcmp(&a.per_chip[k], &b.per_chip[k], sizeof(chip_stats)), 0);
    chip_stats *pa = a.per_chip, *pb = b.per_chip;
    a.per_chip = b.per_chip = NULL;
    CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof a), 0);
    free(pa);
    free(pb);
    free(buf);
}

/* summary.csv has a column per CSV field (a per-component one per
 * component with its view) in the table's order, summary.json every JSON
 * field of a row, summary.md a column per field with a place in it. */
static void test_summaries_show_their_fields(void)
{
    run_stats rows[2];
    synth_stats(&rows[0], "fields", 1, 0);
    synth_stats(&rows[1], "fields", 2, 0);
    experiment *e = calloc(1, sizeof *e);
    snprintf(e->name, sizeof e->name, "fields");
    char dir[] = "/tmp/mcusim_fields_XXXXXX", err[512] = "";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    CU_ASSERT_EQUAL_FATAL(report_write_experiment(dir, e, rows, 2, err, sizeof err), 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    char *csv = synth_slurp(path, NULL);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *json = synth_slurp(path, NULL);
    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = synth_slurp(path, NULL);
    CU_ASSERT_FATAL(csv && json && md);
    *strchr(csv, '\n') = '\0';
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    const component_set *cs = &rows[0].components;
    char want[8192] = "";
    size_t used = 0;
    for (size_t i = 0; i < nf; i++) {
        const stat_field *f = &fs[i];
        char key[96];
        if (stat_field_in(f, OUT_CSV) && f->level != STAT_ROW_COMP)
            used += (size_t)snprintf(want + used, sizeof want - used, "%s%s", used ? "," : "", f->key);
        for (uint32_t c = 0; stat_field_in(f, OUT_CSV) && f->level == STAT_ROW_COMP && c < cs->n; c++) {
            if (!stat_field_component_has(f, &cs->c[c])) continue;
            snprintf(key, sizeof key, f->csv, cs->c[c].name);
            used += (size_t)snprintf(want + used, sizeof want - used, ",%s", key);
        }
        snprintf(key, sizeof key, "\"%s\": ", f->key);
        if (stat_field_in(f, OUT_JSON) && f->level <= STAT_ROW_COMP)
            CU_ASSERT_EQUAL(strstr(json, key) != NULL, true);
        snprintf(key, sizeof key, "| %s |", f->md ? f->md : "");
        if (stat_field_in(f, OUT_MD) && f->md_when == MD_ALWAYS) CU_ASSERT_PTR_NOT_NULL(strstr(md, key));
    }
    CU_ASSERT_STRING_EQUAL(csv, want);
    free(csv);
    free(json);
    free(md);
    free(e);
    free(rows[0].per_chip);
    free(rows[1].per_chip);
    rm_rf(dir);
}

/* README.md's list of columns and fields is the table's, verbatim. */
static void test_readme_lists_every_field(void)
{
    CU_ASSERT_TRUE(synth_readme_section_is(README, BEGIN_MARK, END_MARK, stat_fields_markdown,
                                           "field list", "sim/report/stat_fields.c"));
}

static int register_tests(void)
{
    ADD_SUITE("report_fields", TEST(test_every_member_is_a_field),
              TEST(test_every_stored_field_round_trips), TEST(test_summaries_show_their_fields),
              TEST(test_readme_lists_every_field));
    return 0;
}

CUNIT_MAIN(register_tests)
