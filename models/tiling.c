/* L1 tiling. Every tile is double buffered (one being computed, one being
 * fetched), so a tile may use at most half of the usable L1. GEMM tiles keep
 * the full K and shrink the larger operand tile first (halving, so the
 * choice is deterministic); the minimum is one output element. */
#include "pulp_internal.h"

uint64_t pulp_l1_usable(const pulp_params *p)
{
    return p->l1_size > p->l1_reserved ? (uint64_t)(p->l1_size - p->l1_reserved) : 0;
}

static uint64_t gemm_tile_bytes(uint64_t tm, uint64_t tn, uint64_t k, size_t a_sz, size_t b_sz,
                                size_t out_sz)
{
    return 2 * (tm * k * a_sz + k * tn * b_sz + tm * tn * out_sz);
}

int pulp_gemm_tile_choose(const pulp_params *p, uint64_t m, uint64_t n, uint64_t k, size_t a_sz,
                          size_t b_sz, size_t out_sz, bool acc, gemm_tiles *t)
{
    (void)acc; /* the accumulated output tile is read into the buffer it is written from */
    uint64_t cap = pulp_l1_usable(p), tm = m ? m : 1, tn = n ? n : 1;
    while (gemm_tile_bytes(tm, tn, k, a_sz, b_sz, out_sz) > cap) {
        bool a_larger = tm * a_sz >= tn * b_sz;
        if (tm > 1 && (a_larger || tn == 1))
            tm = (tm + 1) / 2;
        else if (tn > 1)
            tn = (tn + 1) / 2;
        else
            return -1;
    }
    t->tm = tm;
    t->tn = tn;
    return 0;
}

uint64_t pulp_rows_tile_choose(const pulp_params *p, uint64_t rows, uint64_t row_bytes,
                               uint64_t fixed_bytes)
{
    uint64_t cap = pulp_l1_usable(p);
    if (fixed_bytes >= cap || row_bytes == 0) return row_bytes == 0 ? (rows ? rows : 1) : 0;
    uint64_t fit = (cap - fixed_bytes) / (2 * row_bytes);
    return fit < rows ? fit : (rows ? rows : 1);
}
