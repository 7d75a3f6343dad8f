/* The 8-core PULP cluster. A GEMM runs at the SIMD peak derated by two named
 * losses (inner loop: operand loads and loop control; parallel: fork/join and
 * barriers), with output elements split across cores so small tiles leave
 * cores idle. Element-wise and special (exp/div/sqrt) work is split evenly. */
#include <math.h>

#include "pulp_internal.h"

double pulp_cluster_macs_per_core_cycle(const pulp_params *p)
{
    return p->simd_macs_per_cycle * p->inner_loop_efficiency * p->parallel_efficiency;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

uint64_t pulp_cluster_gemm_cycles(const pulp_params *p, uint64_t tm, uint64_t tn, uint64_t k)
{
    uint64_t outs_per_core = ceil_div(tm * tn, p->cores);
    double macs_per_core = (double)outs_per_core * (double)k;
    return (uint64_t)ceil(macs_per_core / pulp_cluster_macs_per_core_cycle(p) +
                          p->tile_overhead_cycles);
}

uint64_t pulp_cluster_elem_cycles(const pulp_params *p, uint64_t elem_ops, uint64_t special_ops)
{
    double c = (double)ceil_div(elem_ops, p->cores) * p->elem_cycles +
               (double)ceil_div(special_ops, p->cores) * p->special_cycles;
    return (uint64_t)ceil(c);
}
