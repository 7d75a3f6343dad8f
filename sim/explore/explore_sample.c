/* Point selection of an exploration (see explore_sample.h). */
#include "explore_sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t explore_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t explore_rng_below(uint64_t *state, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = explore_rng_next(state);
    while (x >= limit);
    return x % n;
}

/* ---- a set of u values (open addressing; u + 1 so 0 means empty) ---- */

typedef struct uset {
    uint64_t *slot;
    size_t cap, n;
} uset;

static int uset_init(uset *s, size_t expected)
{
    s->cap = 16;
    while (s->cap < expected * 2 + 16) s->cap *= 2;
    s->n = 0;
    s->slot = calloc(s->cap, sizeof *s->slot);
    return s->slot ? 0 : -1;
}

static size_t uset_home(const uset *s, uint64_t u)
{
    uint64_t h = (u + 1) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (s->cap - 1);
}

/* 1 when added, 0 when already there (the set never fills: sized for all). */
static int uset_add(uset *s, uint64_t u)
{
    size_t i = uset_home(s, u);
    while (s->slot[i]) {
        if (s->slot[i] == u + 1) return 0;
        i = (i + 1) & (s->cap - 1);
    }
    s->slot[i] = u + 1;
    s->n++;
    return 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void explore_point_values(const explore_spec *s, uint64_t u, uint32_t *combo, size_t *chips_i,
                          size_t *value_i)
{
    uint64_t c = u / s->chips.n;
    if (chips_i) *chips_i = (size_t)(u % s->chips.n);
    if (combo) *combo = (uint32_t)c;
    for (size_t a = s->n_axes; value_i && a-- > 0;) {
        value_i[a] = (size_t)(c % s->axes[a].n);
        c /= s->axes[a].n;
    }
}

/* Balanced columns: value k of an axis of n values in about N/n rows. */
static void column(uint64_t *state, size_t n_values, size_t *col, size_t N)
{
    for (size_t i = 0; i < N; i++) col[i] = (size_t)((uint64_t)i * n_values / N);
    for (size_t i = N; i > 1; i--) {
        size_t j = (size_t)explore_rng_below(state, i);
        size_t t = col[i - 1];
        col[i - 1] = col[j];
        col[j] = t;
    }
}

static int latin_hypercube(const explore_spec *s, uint64_t G, size_t N, uint64_t *state,
                           uset *set, uint64_t *out)
{
    size_t k = s->n_axes + 1;
    size_t *cols = malloc(k * N * sizeof *cols);
    if (!cols) return -1;
    column(state, s->chips.n, cols, N);
    for (size_t a = 0; a < s->n_axes; a++) column(state, s->axes[a].n, cols + (a + 1) * N, N);
    size_t n = 0;
    for (size_t i = 0; i < N; i++) {
        uint64_t combo = 0;
        for (size_t a = 0; a < s->n_axes; a++) combo = combo * s->axes[a].n + cols[(a + 1) * N + i];
        uint64_t u = combo * s->chips.n + cols[i];
        if (uset_add(set, u)) out[n++] = u;
    }
    free(cols);
    while (n < N) {   /* drawn twice: uniform points not yet taken (N <= 0.9 G) */
        uint64_t u = explore_rng_below(state, G);
        if (uset_add(set, u)) out[n++] = u;
    }
    return 0;
}

static int uniform_subset(uint64_t G, size_t N, uint64_t *state, uset *set, uint64_t *out)
{
    uint64_t *all = malloc((size_t)G * sizeof *all);
    if (!all) return -1;
    for (uint64_t i = 0; i < G; i++) all[i] = i;
    for (size_t i = 0; i < N; i++) {   /* partial Fisher-Yates: the first N of a shuffle */
        size_t j = i + (size_t)explore_rng_below(state, G - i);
        uint64_t t = all[i];
        all[i] = all[j];
        all[j] = t;
        uset_add(set, all[i]);
        out[i] = all[i];
    }
    free(all);
    return 0;
}

int explore_select(const explore_spec *s, const uint64_t *required, size_t n_required,
                   explore_selection *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    uint64_t combos = explore_combinations(s), G = explore_grid_size(s);
    if (combos > UINT32_MAX || G > (1ull << 62)) {
        snprintf(err, errlen, "the space has %s combinations of its axes besides chips: at most "
                 "2^32 can be indexed", combos == UINT64_MAX ? "more than 2^64" : "too many");
        return -1;
    }
    out->exhaustive = G <= s->max_points;
    size_t N = out->exhaustive ? (size_t)G : (size_t)s->max_points;
    /* room for every added point: required, and a 1-chip partner per point */
    size_t cap = N + n_required + (s->needs_one_chip ? N + n_required : 0);
    uint64_t *pts = malloc((cap ? cap : 1) * sizeof *pts);
    uset set;
    if (!pts || uset_init(&set, cap)) {
        free(pts);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    uint64_t state = s->seed;
    int rc = 0;
    if (out->exhaustive) {
        for (uint64_t u = 0; u < G; u++) { pts[u] = u; uset_add(&set, u); }
    } else if ((double)N > 0.9 * (double)G) {
        rc = uniform_subset(G, N, &state, &set, pts);
    } else {
        rc = latin_hypercube(s, G, N, &state, &set, pts);
    }
    size_t n = N;
    out->drawn = N;
    for (size_t i = 0; rc == 0 && i < n_required; i++)
        if (required[i] < G && uset_add(&set, required[i])) pts[n++] = required[i];
    if (rc == 0 && s->needs_one_chip) {
        size_t one = 0;
        while (one < s->chips.n && s->chip_counts[one] != 1) one++;
        size_t before = n;
        for (size_t i = 0; i < before && one < s->chips.n; i++) {
            uint64_t partner = pts[i] / s->chips.n * s->chips.n + one;
            if (uset_add(&set, partner)) pts[n++] = partner;
        }
    }
    free(set.slot);
    if (rc) {
        free(pts);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    qsort(pts, n, sizeof *pts, cmp_u64);
    out->points = pts;
    out->n = n;
    out->added = n - N;
    return 0;
}

void explore_selection_free(explore_selection *sel)
{
    if (!sel) return;
    free(sel->points);
    memset(sel, 0, sizeof *sel);
}
