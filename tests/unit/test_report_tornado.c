/* The tornado chart of `mcusim sensitivity`: a well-formed SVG with one
 * label per parameter in the given order, bars whose lengths are
 * proportional to the values and on the side of zero their sign says. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/report/svg_plot.h"
#include "cunit_main.h"

static char *draw(const svg_tornado_chart *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(svg_write_tornado(f, c), 0);
    fclose(f);
    /* a copy: gcc takes the memstream's buffer for a pointer into this frame */
    char *svg = strdup(buf);
    free(buf);
    return svg;
}

/* Every <tag ...> has its </tag> or ends in "/>" (no attribute holds '>'). */
static int balanced(const char *svg)
{
    int depth = 0;
    for (const char *p = strchr(svg, '<'); p; p = strchr(p + 1, '<')) {
        if (p[1] == '?') continue;
        const char *end = strchr(p, '>');
        if (!end) return 0;
        if (p[1] == '/') depth--;
        else if (end[-1] != '/') depth++;
        if (depth < 0) return 0;
    }
    return depth == 0;
}

typedef struct bar {
    double x, y, w;
    char title[128];
} bar;

/* Bars are the rects that carry a <title>. */
static size_t bars(const char *svg, bar *out, size_t max)
{
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, "<rect x=\"")) && n < max; p++) {
        bar b;
        double h;
        if (sscanf(p, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\"", &b.x, &b.y, &b.w, &h) != 4)
            continue;
        const char *t = strstr(p, ">");
        if (!t || strncmp(t, "><title>", 8) != 0) continue;
        const char *e = strstr(t + 8, "</title>");
        snprintf(b.title, sizeof b.title, "%.*s", (int)(e - t - 8), t + 8);
        out[n++] = b;
    }
    return n;
}

static const bar *find(const bar *b, size_t n, const char *title_prefix)
{
    for (size_t i = 0; i < n; i++)
        if (!strncmp(b[i].title, title_prefix, strlen(title_prefix))) return &b[i];
    return NULL;
}

static void test_tornado_geometry(void)
{
    const char *labels[] = {"node.hyperram.bandwidth", "node.clock", "a<b & c"};
    double low[] = {25.0, 4.0, 0.0}, high[] = {-16.0, -3.0, 0.0};
    svg_tornado_chart c = {"Latency", "change of latency (%)", "-20 %", "+20 %", 3, labels, low, high, NULL};
    char *svg = draw(&c);
    CU_ASSERT_TRUE(strncmp(svg, "<?xml", 5) == 0);
    CU_ASSERT_TRUE(balanced(svg));
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "a&lt;b &amp; c"));   /* labels are escaped */
    CU_ASSERT_PTR_NULL(strstr(svg, "a<b"));
    /* Labels in the given order, top to bottom. */
    const char *p0 = strstr(svg, ">node.hyperram.bandwidth<"), *p1 = strstr(svg, ">node.clock<");
    CU_ASSERT_TRUE(p0 && p1 && p0 < p1);
    bar b[16];
    size_t n = bars(svg, b, 16);
    CU_ASSERT_EQUAL_FATAL(n, 6);   /* two per parameter */
    const bar *bw_lo = find(b, n, "node.hyperram.bandwidth -20 %"),
              *bw_hi = find(b, n, "node.hyperram.bandwidth +20 %"),
              *ck_lo = find(b, n, "node.clock -20 %");
    CU_ASSERT_PTR_NOT_NULL_FATAL(bw_lo);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bw_hi);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ck_lo);
    /* Lengths in proportion to the values (to the 0.1 px the file prints). */
    CU_ASSERT_DOUBLE_EQUAL(bw_hi->w / bw_lo->w, 16.0 / 25.0, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(ck_lo->w / bw_lo->w, 4.0 / 25.0, 0.01);
    /* A rise ends right of zero, a fall left of it; both start at zero. */
    double zero = bw_lo->x;
    CU_ASSERT_DOUBLE_EQUAL(bw_hi->x + bw_hi->w, zero, 0.11);
    CU_ASSERT_TRUE(ck_lo->x >= zero - 0.11);
    CU_ASSERT_TRUE(bw_lo->y < ck_lo->y);
    free(svg);
}

static void test_tornado_empty_and_nonfinite(void)
{
    svg_tornado_chart none = {"Energy", "change (%)", "-20 %", "+20 %", 0, NULL, NULL, NULL, NULL};
    char *svg = draw(&none);
    CU_ASSERT_TRUE(balanced(svg));
    CU_ASSERT_PTR_NOT_NULL(strstr(svg, "no parameters"));
    free(svg);
    const char *labels[] = {"x"};
    double low[] = {NAN}, high[] = {INFINITY};
    svg_tornado_chart c = {"T", "X", "lo", "hi", 1, labels, low, high, NULL};
    svg = draw(&c);
    CU_ASSERT_TRUE(balanced(svg));
    CU_ASSERT_PTR_NULL(strstr(svg, "nan"));
    CU_ASSERT_PTR_NULL(strstr(svg, "inf"));
    free(svg);
}

static int register_tests(void)
{
    ADD_SUITE("tornado", TEST(test_tornado_geometry), TEST(test_tornado_empty_and_nonfinite));
    return 0;
}

CUNIT_MAIN(register_tests)
