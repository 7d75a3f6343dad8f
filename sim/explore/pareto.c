/* Pareto front by a lexicographic sweep (see pareto.h). A row can only be
 * dominated by a row before it in lexicographic order, and when it is, also
 * by a row of the front found so far (dominance is transitive); so each row
 * is compared with the front only, not with every other row. */
#include "pareto.h"

#include <math.h>
#include <stdlib.h>

bool pareto_dominates(const double *a, const double *b, size_t k)
{
    bool better = false;
    for (size_t j = 0; j < k; j++) {
        if (a[j] > b[j]) return false;
        if (a[j] < b[j]) better = true;
    }
    return better;
}


/* qsort has no context argument: the rows are sorted as (pointer, index)
 * pairs that carry their row. */
typedef struct row_ref {
    const double *row;
    size_t k, index;
} row_ref;

static int lex(const void *pa, const void *pb)
{
    const row_ref *a = pa, *b = pb;
    for (size_t j = 0; j < a->k; j++) {
        if (a->row[j] < b->row[j]) return -1;
        if (a->row[j] > b->row[j]) return 1;
    }
    return a->index < b->index ? -1 : a->index > b->index;
}

long pareto_front(const double *v, size_t n, size_t k, const bool *include, bool *on_front)
{
    row_ref *rows = malloc((n ? n : 1) * sizeof *rows);
    size_t *front = malloc((n ? n : 1) * sizeof *front);
    if (!rows || !front) {
        free(rows);
        free(front);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        on_front[i] = false;
        if (include && !include[i]) continue;
        bool finite = true;
        for (size_t j = 0; j < k; j++) finite = finite && isfinite(v[i * k + j]);
        if (finite) rows[m++] = (row_ref){v + i * k, k, i};
    }
    qsort(rows, m, sizeof *rows, lex);
    size_t nf = 0;
    for (size_t r = 0; r < m; r++) {
        bool dominated = false;
        for (size_t f = 0; f < nf && !dominated; f++)
            dominated = pareto_dominates(v + front[f] * k, rows[r].row, k);
        if (dominated) continue;
        front[nf++] = rows[r].index;
        on_front[rows[r].index] = true;
    }
    free(rows);
    free(front);
    return (long)nf;
}
