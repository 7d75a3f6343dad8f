/* The bounded search of `mcusim calibrate` on analytic functions whose
 * minimum is known: inside the box it is found, outside the box the search
 * stops on the nearest face, and the same inputs give the same points. */
#include <math.h>
#include <string.h>

#include "box_search.h"
#include "cunit_main.h"

typedef struct quad {
    size_t n;
    double centre[4], weight[4];
    size_t calls, points;
    int fail_after;     /* the objective refuses from this call on; 0 = never */
} quad;

/* Weighted squared distance to `centre`, which may lie outside the box. */
static int quad_fn(void *ctx, const double *u, size_t k, double *f)
{
    quad *q = ctx;
    q->calls++;
    if (q->fail_after && (int)q->calls >= q->fail_after) return 7;
    for (size_t p = 0; p < k; p++) {
        double s = 0;
        for (size_t d = 0; d < q->n; d++) {
            CU_ASSERT_TRUE(u[p * q->n + d] >= 0 && u[p * q->n + d] <= 1);
            double e = u[p * q->n + d] - q->centre[d];
            s += q->weight[d] * e * e;
        }
        f[p] = s;
        q->points++;
    }
    return 0;
}

static void test_interior_optimum(void)
{
    quad q = {.n = 3, .centre = {0.3, 0.71, 0.05}, .weight = {1, 10, 0.5}};
    double u0[3] = {0.9, 0.1, 0.5}, u[3];
    box_search_options o = {.xtol = 1e-7};
    box_search_result r;
    CU_ASSERT_EQUAL_FATAL(box_search(3, u0, quad_fn, &q, &o, u, &r), 0);
    CU_ASSERT_TRUE(r.converged);
    for (size_t d = 0; d < 3; d++) CU_ASSERT_DOUBLE_EQUAL(u[d], q.centre[d], 1e-5);
    CU_ASSERT_TRUE(r.f < 1e-9);
    /* Every point the objective saw is counted, and no more than the budget. */
    CU_ASSERT_EQUAL(r.evals, q.points);
    CU_ASSERT_TRUE(r.evals <= 2000);
}

static void test_optimum_outside_stops_at_bound(void)
{
    quad q = {.n = 2, .centre = {1.4, 0.5}, .weight = {1, 1}};
    double u0[2] = {0.2, 0.2}, u[2];
    box_search_result r;
    CU_ASSERT_EQUAL_FATAL(box_search(2, u0, quad_fn, &q, NULL, u, &r), 0);
    CU_ASSERT_EQUAL(u[0], 1.0);   /* clamped onto the face, exactly */
    CU_ASSERT_DOUBLE_EQUAL(u[1], 0.5, 1e-5);
    CU_ASSERT_DOUBLE_EQUAL(r.f, 0.4 * 0.4, 1e-9);

    quad low = {.n = 1, .centre = {-3}, .weight = {1}};
    double v0 = 0.7, v;
    CU_ASSERT_EQUAL_FATAL(box_search(1, &v0, quad_fn, &low, NULL, &v, &r), 0);
    CU_ASSERT_EQUAL(v, 0.0);
}

/* Rosenbrock's valley mapped onto the box: x, y = 4u - 2, minimum at
 * (1, 1), i.e. u = (0.75, 0.75); curved, so it needs many steps. */
static int rosen_fn(void *ctx, const double *u, size_t k, double *f)
{
    (void)ctx;
    for (size_t p = 0; p < k; p++) {
        double x = 4 * u[2 * p] - 2, y = 4 * u[2 * p + 1] - 2;
        f[p] = 100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x);
    }
    return 0;
}

static void test_curved_valley(void)
{
    double u0[2] = {0.2, 0.9}, u[2];
    box_search_options o = {.xtol = 1e-8, .ftol = 1e-16};
    box_search_result r;
    CU_ASSERT_EQUAL_FATAL(box_search(2, u0, rosen_fn, NULL, &o, u, &r), 0);
    CU_ASSERT_DOUBLE_EQUAL(u[0], 0.75, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(u[1], 0.75, 1e-4);
}

static void test_deterministic(void)
{
    quad a = {.n = 3, .centre = {0.2, 0.4, 0.9}, .weight = {1, 2, 3}}, b = a;
    double u0[3] = {0.5, 0.5, 0.5}, ua[3], ub[3];
    box_search_result ra, rb;
    CU_ASSERT_EQUAL(box_search(3, u0, quad_fn, &a, NULL, ua, &ra), 0);
    CU_ASSERT_EQUAL(box_search(3, u0, quad_fn, &b, NULL, ub, &rb), 0);
    CU_ASSERT_EQUAL(memcmp(ua, ub, sizeof ua), 0);
    CU_ASSERT_EQUAL(ra.evals, rb.evals);
    CU_ASSERT_EQUAL(ra.f, rb.f);
}

static void test_budget_and_errors(void)
{
    quad q = {.n = 2, .centre = {0.3, 0.3}, .weight = {1, 1}};
    double u0[2] = {0.9, 0.9}, u[2];
    box_search_options o = {.max_evals = 10, .xtol = 1e-12};
    box_search_result r;
    CU_ASSERT_EQUAL(box_search(2, u0, quad_fn, &q, &o, u, &r), 0);
    CU_ASSERT_FALSE(r.converged);
    CU_ASSERT_TRUE(r.evals <= 10);
    /* The objective's refusal stops the search and comes back unchanged. */
    quad bad = {.n = 2, .centre = {0.3, 0.3}, .weight = {1, 1}, .fail_after = 3};
    CU_ASSERT_EQUAL(box_search(2, u0, quad_fn, &bad, NULL, u, &r), 7);
}

static int register_tests(void)
{
    ADD_SUITE("box_search", TEST(test_interior_optimum), TEST(test_optimum_outside_stops_at_bound),
              TEST(test_curved_valley), TEST(test_deterministic), TEST(test_budget_and_errors));
    return 0;
}

CUNIT_MAIN(register_tests)
