/* The node model object: validated parameters, clock, component names and
 * static power. The per-op costs are in op_cost.c, placement in placement.c. */
#include <stdio.h>
#include <stdlib.h>

#include "node_internal.h"

const char *component_name(component c)
{
    static const char *const names[COMP__COUNT] = {"cluster", "npu",      "dma",  "l1",
                                                   "l2",      "hyperram", "link", "idle"};
    return ((unsigned)c < COMP__COUNT) ? names[c] : "?";
}

/* Cross-field checks the per-key ranges cannot express. */
static int check_params(const node_params *p, char *err, size_t errlen)
{
    if (p->offload == OFFLOAD_NPU && !p->npu_present) {
        snprintf(err, errlen, "npu.offload: npu requested but npu.present is false");
        return -1;
    }
    if (p->cores == 0 || p->clock_hz <= 0 || p->dma_bytes_per_cycle <= 0 ||
        p->hyper_bandwidth <= 0 || p->hyper_burst_bytes < 1 || cluster_macs_per_core_cycle(p) <= 0) {
        snprintf(err, errlen, "cores, clock, dma.bytes_per_cycle, hyperram.bandwidth, "
                              "hyperram.burst and cluster efficiencies must be positive");
        return -1;
    }
    if (p->npu_present && p->npu_macs_per_cycle <= 0) {
        snprintf(err, errlen, "npu.macs_per_cycle: must be positive when npu.present");
        return -1;
    }
    char res[32], size[32];
    if (p->l2_reserved >= p->l2_size) {
        unit_format(p->l2_reserved, DIM_BYTES, res, sizeof res);
        unit_format(p->l2_size, DIM_BYTES, size, sizeof size);
        snprintf(err, errlen, "l2.reserved: %s leaves nothing of l2.size %s", res, size);
        return -1;
    }
    if (p->l1_reserved >= p->l1_size) {
        unit_format(p->l1_reserved, DIM_BYTES, res, sizeof res);
        unit_format(p->l1_size, DIM_BYTES, size, sizeof size);
        snprintf(err, errlen, "l1.reserved: %s leaves nothing of l1.size %s", res, size);
        return -1;
    }
    return 0;
}

int node_model_create(const node_params *p, node_model **out, char *err, size_t errlen)
{
    *out = NULL;
    if (check_params(p, err, errlen) != 0) return -1;
    node_model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "node: out of memory");
        return -1;
    }
    m->p = *p;
    *out = m;
    return 0;
}

void node_model_destroy(node_model *m)
{
    free(m);
}

double node_clock_hz(const node_model *m)
{
    return m->p.clock_hz;
}

double node_static_power_w(const node_model *m, component c)
{
    const node_params *p = &m->p;
    switch (c) {
    case COMP_CLUSTER: return p->cluster_idle_w;
    case COMP_NPU: return p->npu_present ? p->npu_idle_w : 0.0;
    case COMP_L1: return p->l1_idle_w;
    case COMP_L2: return p->l2_idle_w;
    case COMP_HYPERRAM: return p->hyper_idle_w;
    case COMP_IDLE: return p->soc_idle_w;
    default: return 0.0;   /* DMA is inside the cluster domain; links are the link model's */
    }
}
