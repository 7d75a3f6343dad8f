/* The node model object: validated parameters, clock, component names and
 * static power. The per-op costs are in op_cost.c, placement in placement.c. */
#include <stdio.h>
#include <stdlib.h>

#include "node_internal.h"

typedef struct component_info {
    const char *name;
    bool energy, time;
    const char *doc;
} component_info;

static const component_info components[COMP__COUNT] = {
    [COMP_CLUSTER] = {"cluster", true, true,
                      "cores: per-MAC/op energy and active power; time computing"},
    [COMP_NPU] = {"npu", true, true, "NPU: per-MAC energy and active power; time computing"},
    [COMP_DMA] = {"dma", true, true,
                  "cluster DMA L2<->L1: per-byte energy and active power; time it adds beyond compute"},
    [COMP_L1] = {"l1", true, false, "L1 (TCDM) accesses"},
    [COMP_L2] = {"l2", true, false, "L2 SRAM accesses"},
    [COMP_WMEM] = {"wmem", true, true,
                   "weight-memory reads; time its reads add beyond the compute engine's"},
    [COMP_HYPERRAM] = {"hyperram", true, true,
                       "off-chip HyperRAM device (bytes and standby; not on the MCU); time the "
                       "stream adds beyond the on-chip pipeline"},
    [COMP_HYPERBUS] = {"hyperbus", true, false,
                       "the MCU's side of the off-chip interface: uDMA channel and pads, per byte"},
    [COMP_LINK] = {"link", true, true, "chip-to-chip links (link model); time on the wire"},
    [COMP_SOC] = {"soc", true, false, "always-on domain's clocks and control, the whole run"},
    [COMP_LEAKAGE] = {"leakage", true, false,
                      "static power of every on-chip component, the whole run"},
    [COMP_WAIT] = {"wait", false, true,
                   "time waiting on peers or a busy link, and after finishing while others ran"},
};

const char *component_name(component c)
{
    return ((unsigned)c < COMP__COUNT) ? components[c].name : "?";
}

const char *component_doc(component c)
{
    return ((unsigned)c < COMP__COUNT) ? components[c].doc : "";
}

bool component_has_energy(component c)
{
    return (unsigned)c < COMP__COUNT && components[c].energy;
}

bool component_has_time(component c)
{
    return (unsigned)c < COMP__COUNT && components[c].time;
}

bool component_on_mcu(component c)
{
    return (unsigned)c < COMP__COUNT && c != COMP_HYPERRAM;
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
    if (p->wmem_size > 0 && p->wmem_cluster_bytes_per_cycle <= 0) {
        snprintf(err, errlen, "wmem.cluster_bytes_per_cycle: must be positive when wmem.size > 0");
        return -1;
    }
    if (p->wmem_size > 0 && p->npu_present && p->wmem_npu_bytes_per_cycle <= 0) {
        snprintf(err, errlen, "wmem.npu_bytes_per_cycle: must be positive when wmem.size > 0 "
                              "and npu.present");
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

void node_always_on_power(const node_model *m, double leak_w[COMP__COUNT],
                          double always_w[COMP__COUNT])
{
    const node_params *p = &m->p;
    for (int k = 0; k < COMP__COUNT; k++) leak_w[k] = always_w[k] = 0.0;
    leak_w[COMP_CLUSTER] = p->cluster_leak_w;
    leak_w[COMP_NPU] = p->npu_present ? p->npu_leak_w : 0.0;
    leak_w[COMP_L1] = p->l1_leak_w;
    leak_w[COMP_L2] = p->l2_leak_w;
    leak_w[COMP_WMEM] = p->wmem_size > 0 ? p->wmem_leak_w : 0.0;
    leak_w[COMP_SOC] = p->soc_leak_w;
    for (int k = 0; k < COMP__COUNT; k++) always_w[COMP_LEAKAGE] += leak_w[k];
    always_w[COMP_SOC] = p->soc_active_w;
    always_w[COMP_HYPERRAM] = p->hyper_standby_w;
}
