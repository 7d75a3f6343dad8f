/* NPU (N-EUREKA class): a GEMM tile is one job with a fixed programming cost
 * followed by MACs at the NPU's own rate. Weights reach it through the same
 * L1 tiles as the cluster's (its at-MRAM weight store is not modelled). */
#include <math.h>

#include "pulp_internal.h"

bool pulp_npu_used(const pulp_params *p)
{
    return p->npu_present && p->offload == OFFLOAD_NPU;
}

uint64_t pulp_npu_gemm_cycles(const pulp_params *p, uint64_t tm, uint64_t tn, uint64_t k)
{
    double macs = (double)tm * (double)tn * (double)k;
    return (uint64_t)ceil(p->npu_setup_cycles + macs / p->npu_macs_per_cycle);
}
