/* Which points an exploration chooses: the whole grid when it is small
 * enough; otherwise max_points distinct points, the same for the same seed,
 * each axis's values taken about equally often; the required points and the
 * 1-chip partners added. */
#include <stdlib.h>
#include <string.h>

#include "../../sim/explore/explore_sample.h"
#include "cunit_main.h"

/* A spec of `n_axes` axes of the given sizes besides chips (texts unused). */
static void make_spec(explore_spec *s, size_t n_chips, const size_t *sizes, size_t n_axes,
                      uint64_t max_points, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->chips.n = n_chips;
    s->chip_counts = calloc(n_chips, sizeof *s->chip_counts);
    for (size_t i = 0; i < n_chips; i++) s->chip_counts[i] = (uint32_t)(1u << (i % 12));
    s->n_axes = n_axes;
    for (size_t a = 0; a < n_axes; a++) s->axes[a].n = sizes[a];
    s->max_points = max_points;
    s->seed = seed;
}

static void free_spec(explore_spec *s)
{
    free(s->chip_counts);
}

static bool ascending_distinct(const explore_selection *sel, uint64_t grid)
{
    for (size_t i = 0; i < sel->n; i++)
        if (sel->points[i] >= grid || (i && sel->points[i] <= sel->points[i - 1])) return false;
    return true;
}

static void test_exhaustive(void)
{
    explore_spec s;
    const size_t sizes[] = {3, 4};
    make_spec(&s, 5, sizes, 2, 60, 1);
    explore_selection sel;
    char err[200];
    CU_ASSERT_EQUAL_FATAL(explore_select(&s, NULL, 0, &sel, err, sizeof err), 0);
    CU_ASSERT_TRUE(sel.exhaustive);
    CU_ASSERT_EQUAL(sel.n, 60);
    for (size_t i = 0; i < sel.n; i++) CU_ASSERT_EQUAL(sel.points[i], i);
    /* the decomposition: combination (last axis fastest) and chips */
    uint32_t combo;
    size_t chips_i, v[2];
    explore_point_values(&s, 59, &combo, &chips_i, v);
    CU_ASSERT_EQUAL(combo, 11);
    CU_ASSERT_EQUAL(chips_i, 4);
    CU_ASSERT_TRUE(v[0] == 2 && v[1] == 3);
    explore_point_values(&s, 5 * 6 + 2, &combo, &chips_i, v);   /* combination 6 = (1, 2) */
    CU_ASSERT_TRUE(combo == 6 && chips_i == 2 && v[0] == 1 && v[1] == 2);
    explore_selection_free(&sel);
    free_spec(&s);
}

static void test_sampled_seeded_without_repeats(void)
{
    explore_spec s;
    const size_t sizes[] = {7, 11, 13};
    make_spec(&s, 9, sizes, 3, 500, 42);
    uint64_t grid = explore_grid_size(&s);
    explore_selection a, b, c;
    char err[200];
    CU_ASSERT_EQUAL_FATAL(explore_select(&s, NULL, 0, &a, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(explore_select(&s, NULL, 0, &b, err, sizeof err), 0);
    s.seed = 43;
    CU_ASSERT_EQUAL_FATAL(explore_select(&s, NULL, 0, &c, err, sizeof err), 0);
    CU_ASSERT_FALSE(a.exhaustive);
    CU_ASSERT_EQUAL(a.n, 500);
    CU_ASSERT_TRUE(ascending_distinct(&a, grid));
    CU_ASSERT_TRUE(a.n == b.n && !memcmp(a.points, b.points, a.n * sizeof *a.points));
    CU_ASSERT_TRUE(c.n == 500 && memcmp(a.points, c.points, a.n * sizeof *a.points) != 0);
    explore_selection_free(&a);
    explore_selection_free(&b);
    explore_selection_free(&c);
    /* near the whole grid: a uniform subset, still distinct */
    s.max_points = grid - 3;
    CU_ASSERT_EQUAL_FATAL(explore_select(&s, NULL, 0, &a, err, sizeof err), 0);
    CU_ASSERT_EQUAL(a.n, grid - 3);
    CU_ASSERT_TRUE(ascending_distinct(&a, grid));
    explore_selection_free(&a);
    free_spec(&s);
}

/* Two axes of 100 values and 100 points: the hypercube's columns are
 * permutations, so no point repeats and every value is taken exactly once. */
static void test_latin_hypercube_balance(void)
{
    explore_spec s;
    const size_t sizes[] = {100};
    make_spec(&s, 100, sizes, 1, 100, 7);
    explore_selection sel;
    char err[200];
    CU_ASSERT_EQUAL_FATAL(explore_select(&s, NULL, 0, &sel, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(sel.n, 100);
    unsigned seen_chips[100] = {0}, seen_axis[100] = {0};
    for (size_t i = 0; i < sel.n; i++) {
        size_t chips_i, v;
        explore_point_values(&s, sel.points[i], NULL, &chips_i, &v);
        seen_chips[chips_i]++;
        seen_axis[v]++;
    }
    for (int k = 0; k < 100; k++) CU_ASSERT_TRUE(seen_chips[k] == 1 && seen_axis[k] == 1);
    explore_selection_free(&sel);
    free_spec(&s);
}

static void test_required_and_one_chip_partners(void)
{
    explore_spec s;
    const size_t sizes[] = {50, 50};
    make_spec(&s, 4, sizes, 2, 30, 3);   /* chips 1, 2, 4, 8 */
    s.needs_one_chip = true;
    uint64_t grid = explore_grid_size(&s), want = 4 * 777 + 2;
    explore_selection sel;
    char err[200];
    CU_ASSERT_EQUAL_FATAL(explore_select(&s, &want, 1, &sel, err, sizeof err), 0);
    CU_ASSERT_TRUE(ascending_distinct(&sel, grid));
    CU_ASSERT_EQUAL(sel.drawn, 30);
    CU_ASSERT_EQUAL(sel.n, sel.drawn + sel.added);
    bool has_want = false;
    for (size_t i = 0; i < sel.n; i++) {
        has_want = has_want || sel.points[i] == want;
        /* every chosen combination has its 1-chip point (chips index 0) */
        uint64_t partner = sel.points[i] / 4 * 4;
        bool found = false;
        for (size_t j = 0; j < sel.n && !found; j++) found = sel.points[j] == partner;
        CU_ASSERT_TRUE(found);
    }
    CU_ASSERT_TRUE(has_want);
    explore_selection_free(&sel);
    free_spec(&s);
}

static void test_too_many_combinations(void)
{
    explore_spec s;
    const size_t sizes[] = {1024, 1024, 1024, 1024};
    make_spec(&s, 2, sizes, 4, 10, 1);
    explore_selection sel;
    char err[200];
    CU_ASSERT_EQUAL(explore_select(&s, NULL, 0, &sel, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "2^32"));
    free_spec(&s);
}

static void test_rng_below_in_range(void)
{
    uint64_t st = 9, counts[7] = {0};
    for (int i = 0; i < 7000; i++) counts[explore_rng_below(&st, 7)]++;
    for (int k = 0; k < 7; k++) CU_ASSERT_TRUE(counts[k] > 800 && counts[k] < 1200);
    uint64_t a = 5, b = 5;
    CU_ASSERT_EQUAL(explore_rng_next(&a), explore_rng_next(&b));
}

static int register_tests(void)
{
    ADD_SUITE("explore_sample", TEST(test_exhaustive), TEST(test_sampled_seeded_without_repeats),
              TEST(test_latin_hypercube_balance), TEST(test_required_and_one_chip_partners),
              TEST(test_too_many_combinations), TEST(test_rng_below_in_range));
    return 0;
}

CUNIT_MAIN(register_tests)
