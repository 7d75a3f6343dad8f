/* The Pareto front against a brute-force computation of its definition
 * (every pair compared), on random sets with ties, non-finite values and
 * excluded rows, for 1 to 4 objectives; and a front worked out by hand. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/explore/explore_sample.h"
#include "../../sim/explore/pareto.h"
#include "cunit_main.h"

/* The definition, independently: i is on the front when it is included
 * and finite and no included finite j is <= everywhere and < somewhere. */
static void brute_force(const double *v, size_t n, size_t k, const bool *inc, bool *out)
{
    for (size_t i = 0; i < n; i++) {
        bool ok = !inc || inc[i];
        for (size_t c = 0; c < k; c++) ok = ok && isfinite(v[i * k + c]);
        for (size_t j = 0; j < n && ok; j++) {
            if (j == i || (inc && !inc[j])) continue;
            bool finite = true, le = true, lt = false;
            for (size_t c = 0; c < k; c++) {
                double a = v[j * k + c], b = v[i * k + c];
                finite = finite && isfinite(a);
                if (a > b) le = false;
                if (a < b) lt = true;
            }
            if (finite && le && lt) ok = false;
        }
        out[i] = ok;
    }
}

static void test_random_sets_match_brute_force(void)
{
    uint64_t state = 12345;
    for (int trial = 0; trial < 400; trial++) {
        size_t k = 1 + (size_t)explore_rng_below(&state, 4);
        size_t n = (size_t)explore_rng_below(&state, 120);
        /* few distinct values: many ties and equal rows */
        uint64_t levels = 2 + explore_rng_below(&state, 12);
        double *v = malloc((n ? n : 1) * k * sizeof *v);
        bool *inc = malloc((n ? n : 1) * sizeof *inc), *a = malloc((n ? n : 1) * sizeof *a),
             *b = malloc((n ? n : 1) * sizeof *b);
        for (size_t i = 0; i < n * k; i++) {
            uint64_t r = explore_rng_below(&state, 50);
            v[i] = r == 0 ? NAN : r == 1 ? INFINITY : (double)explore_rng_below(&state, levels) - 3;
        }
        for (size_t i = 0; i < n; i++) inc[i] = explore_rng_below(&state, 8) != 0;
        const bool *use = trial % 3 == 0 ? NULL : inc;
        long nf = pareto_front(v, n, k, use, a);
        brute_force(v, n, k, use, b);
        long count = 0;
        for (size_t i = 0; i < n; i++) {
            CU_ASSERT_EQUAL(a[i], b[i]);
            count += b[i];
        }
        CU_ASSERT_EQUAL(nf, count);
        free(v);
        free(inc);
        free(a);
        free(b);
    }
}

static void test_front_by_hand(void)
{
    /* (latency, energy): the front is the staircase a, b, d; c is dominated
     * by b; e equals b (both on it); f is excluded; g has no energy. */
    const double v[] = {1, 9,   2, 5,   3, 6,   4, 1,   2, 5,   0, 0,   0.5, NAN};
    const bool inc[] = {true, true, true, true, true, false, true};
    bool on[7];
    CU_ASSERT_EQUAL(pareto_front(v, 7, 2, inc, on), 4);
    const bool want[] = {true, true, false, true, true, false, false};
    for (int i = 0; i < 7; i++) CU_ASSERT_EQUAL(on[i], want[i]);
    /* one objective: all rows with the least value */
    const double w[] = {3, 1, 2, 1};
    bool o1[4];
    CU_ASSERT_EQUAL(pareto_front(w, 4, 1, NULL, o1), 2);
    CU_ASSERT_TRUE(o1[1] && o1[3] && !o1[0] && !o1[2]);
    CU_ASSERT_EQUAL(pareto_front(w, 0, 1, NULL, o1), 0);
    CU_ASSERT_TRUE(pareto_dominates((const double[]){1, 2}, (const double[]){1, 3}, 2));
    CU_ASSERT_FALSE(pareto_dominates((const double[]){1, 3}, (const double[]){1, 3}, 2));
    CU_ASSERT_FALSE(pareto_dominates((const double[]){0, 4}, (const double[]){1, 3}, 2));
}

static int register_tests(void)
{
    ADD_SUITE("explore_pareto", TEST(test_random_sets_match_brute_force), TEST(test_front_by_hand));
    return 0;
}

CUNIT_MAIN(register_tests)
