/* The pulp_cluster node model: the instance (validated parameters), the
 * components and memory levels it declares, its static power and its
 * node_model_ops (its registry entry is beside its parameter table, in
 * pulp_params.c). The per-op costs are in op_cost.c, placement in
 * placement.c. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "pulp_internal.h"

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
    [COMP_SOC] = {"soc", true, false, "always-on domain's clocks and control, the whole run"},
    [COMP_LEAKAGE] = {"leakage", true, false,
                      "static power of every on-chip component, the whole run"},
};

static const char *const level_names[MEM__COUNT] = {
    [MEM_L1] = "L1", [MEM_L2] = "L2", [MEM_HYPERRAM] = "HyperRAM", [MEM_WMEM] = "wmem"};

static bool has(const pulp_params *p, pulp_comp k)
{
    if (k == COMP_NPU) return p->npu_present;
    if (k == COMP_WMEM) return p->wmem_size > 0;
    return true;
}

/* The report order: the node's components with the engine's link after
 * the off-chip interface and its wait last (the columns of every summary
 * since the first release). */
static void declare(pulp_node *m)
{
    node_layout *l = &m->layout;
    component_set_init(&l->components);
    for (int k = 0; k < COMP__COUNT; k++) {
        m->at[k] = -1;
        if (k == COMP_SOC) component_set_add_system(&l->components, SYSTEM_LINK);
        if (!has(&m->p, (pulp_comp)k)) continue;
        m->at[k] = (int32_t)l->components.n;
        component_set_add(&l->components, components[k].name, components[k].energy,
                          components[k].time, k != COMP_HYPERRAM, components[k].doc);
    }
    l->components.c[m->at[COMP_LEAKAGE]].leakage = true;
    component_set_add_system(&l->components, SYSTEM_WAIT);
    l->levels.n = m->p.wmem_size > 0 ? MEM__COUNT : MEM_WMEM;
    for (uint32_t i = 0; i < l->levels.n; i++) {
        snprintf(l->levels.v[i].name, sizeof l->levels.v[i].name, "%s", level_names[i]);
        l->levels.v[i].off_chip = i == MEM_HYPERRAM;
    }
    l->stream_level = MEM_HYPERRAM;
    l->stream_component = m->at[COMP_HYPERRAM];
}

/* "key: value" of a quantity in readable units. */
static const char *fmt(double v, unit_dim dim, char *buf, size_t cap)
{
    unit_format(v, dim, buf, cap);
    return buf;
}

/* Cross-field checks the per-key ranges cannot express. Each message starts
 * with the key it is about (the loader places the error at that key, or at
 * the nearest map around it the file writes) and gives values in units. */
static int check_params(const pulp_params *p, char *err, size_t errlen)
{
    char a[32], b[32];
    if (p->offload == OFFLOAD_NPU && !p->npu_present) {
        snprintf(err, errlen, "npu.offload: npu requested but npu.present is false");
        return -1;
    }
    /* the ranges keep these positive; a model is checked all the same */
    static const struct { const char *key; unit_dim dim; size_t at; } positive[] = {
        {"clock", DIM_FREQUENCY, offsetof(pulp_params, clock_hz)},
        {"dma.bytes_per_cycle", DIM_NONE, offsetof(pulp_params, dma_bytes_per_cycle)},
        {"hyperram.bandwidth", DIM_BYTERATE, offsetof(pulp_params, hyper_bandwidth)},
        {"hyperram.burst", DIM_BYTES, offsetof(pulp_params, hyper_burst_bytes)},
    };
    for (size_t i = 0; i < sizeof positive / sizeof positive[0]; i++) {
        double v = *(const double *)((const char *)p + positive[i].at);
        if (!(v > 0)) {
            snprintf(err, errlen, "%s: %s, must be positive", positive[i].key,
                     fmt(v, positive[i].dim, a, sizeof a));
            return -1;
        }
    }
    if (p->cores == 0) {
        snprintf(err, errlen, "cluster.cores: 0, the cluster needs a core");
        return -1;
    }
    if (!(pulp_cluster_macs_per_core_cycle(p) > 0)) {
        snprintf(err, errlen, "cluster.simd_macs_per_cycle: %g MACs per cycle x inner_loop_efficiency "
                              "%g x parallel_efficiency %g leaves no MACs per cycle",
                 p->simd_macs_per_cycle, p->inner_loop_efficiency, p->parallel_efficiency);
        return -1;
    }
    if (p->npu_present && !(p->npu_macs_per_cycle > 0)) {
        snprintf(err, errlen, "npu.macs_per_cycle: %g, must be positive when npu.present",
                 p->npu_macs_per_cycle);
        return -1;
    }
    if (p->l2_reserved >= p->l2_size) {
        snprintf(err, errlen, "l2.reserved: %s leaves nothing of l2.size %s",
                 fmt(p->l2_reserved, DIM_BYTES, a, sizeof a), fmt(p->l2_size, DIM_BYTES, b, sizeof b));
        return -1;
    }
    if (p->wmem_size > 0 && !(p->wmem_cluster_bytes_per_cycle > 0)) {
        snprintf(err, errlen, "wmem.cluster_bytes_per_cycle: %g bytes per cycle, so the cores "
                              "cannot read the %s of wmem.size; give a rate > 0 (or wmem.size: 0 B)",
                 p->wmem_cluster_bytes_per_cycle, fmt(p->wmem_size, DIM_BYTES, a, sizeof a));
        return -1;
    }
    if (p->wmem_size > 0 && p->npu_present && !(p->wmem_npu_bytes_per_cycle > 0)) {
        snprintf(err, errlen, "wmem.npu_bytes_per_cycle: %g bytes per cycle, so the NPU cannot "
                              "read the %s of wmem.size; give a rate > 0 (or wmem.size: 0 B)",
                 p->wmem_npu_bytes_per_cycle, fmt(p->wmem_size, DIM_BYTES, a, sizeof a));
        return -1;
    }
    if (p->l1_reserved >= p->l1_size) {
        snprintf(err, errlen, "l1.reserved: %s leaves nothing of l1.size %s",
                 fmt(p->l1_reserved, DIM_BYTES, a, sizeof a), fmt(p->l1_size, DIM_BYTES, b, sizeof b));
        return -1;
    }
    return 0;
}

int pulp_node_create(const pulp_params *p, pulp_node **out, char *err, size_t errlen)
{
    *out = NULL;
    if (check_params(p, err, errlen) != 0) return -1;
    pulp_node *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "node: out of memory");
        return -1;
    }
    m->p = *p;
    declare(m);
    *out = m;
    return 0;
}

void pulp_node_destroy(pulp_node *m)
{
    free(m);
}

void pulp_always_on_power(const pulp_node *m, double leak_w[COMP__COUNT],
                          double always_w[COMP__COUNT])
{
    const pulp_params *p = &m->p;
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

/* ---- the node_model_ops: the model's own figures onto its layout ---- */

static int ops_create(const void *params, void **self, char *err, size_t errlen)
{
    pulp_node *m = NULL;
    int rc = pulp_node_create(params, &m, err, errlen);
    *self = m;
    return rc;
}

static void ops_destroy(void *self)
{
    pulp_node_destroy(self);
}

static void ops_layout(const void *self, node_layout *out)
{
    *out = ((const pulp_node *)self)->layout;
}

static double ops_clock_hz(const void *self)
{
    return ((const pulp_node *)self)->p.clock_hz;
}

static int ops_place(const void *self, chip_program *c, placement_report *out, char *err,
                     size_t errlen)
{
    return pulp_place(self, c, out, err, errlen);
}

/* A component the node does not have is never charged (no NPU work without
 * an NPU, no weight reads without a weight memory); should a formula ever
 * charge one, the cost is refused rather than dropped. */
static int ops_op_cost(const void *self, const chip_program *c, const prog_op *op, op_cost *out)
{
    const pulp_node *m = self;
    pulp_cost pc;
    if (pulp_op_cost(m, c, op, &pc) != 0) return -1;
    out->cycles = pc.cycles;
    for (int k = 0; k < COMP__COUNT; k++) {
        int32_t at = m->at[k];
        if (at < 0) {
            if (pc.busy_cycles[k] || pc.time_cycles[k] || pc.energy_j[k] != 0) return -1;
            continue;
        }
        out->busy_cycles[at] = pc.busy_cycles[k];
        out->time_cycles[at] = pc.time_cycles[k];
        out->energy_j[at] = pc.energy_j[k];
    }
    for (uint32_t l = 0; l < MEM__COUNT; l++) {
        if (l >= m->layout.levels.n && pc.bytes[l]) return -1;
        if (l < m->layout.levels.n) out->bytes[l] = pc.bytes[l];
    }
    return 0;
}

static void ops_always_on_power(const void *self, double leak_w[COMPONENTS_MAX],
                                double always_w[COMPONENTS_MAX])
{
    const pulp_node *m = self;
    double leak[COMP__COUNT], always[COMP__COUNT];
    pulp_always_on_power(m, leak, always);
    for (int k = 0; k < COMP__COUNT; k++)
        if (m->at[k] >= 0) {
            leak_w[m->at[k]] = leak[k];
            always_w[m->at[k]] = always[k];
        }
}

/* GEMMs run on the NPU when it takes them (npu.present, offload: npu), else
 * on the cores at their derated rate; the clock makes it a rate. Weights
 * and the KV cache live in L2 beside the reserved part, weights also in
 * the weight memory: the bytes a chip holds without streaming (activations
 * take some of that L2 too, which a split cannot know beforehand). */
static void ops_capacity(const void *self, double *macs_per_s, uint64_t *hold_bytes)
{
    const pulp_params *p = &((const pulp_node *)self)->p;
    double per_cycle = pulp_npu_used(p) ? p->npu_macs_per_cycle
                                        : (double)p->cores * pulp_cluster_macs_per_core_cycle(p);
    *macs_per_s = per_cycle * p->clock_hz;
    double l2 = p->l2_size > p->l2_reserved ? p->l2_size - p->l2_reserved : 0;
    *hold_bytes = (uint64_t)(l2 + p->wmem_size);
}

const node_model_ops pulp_cluster_ops = {
    ops_create, ops_destroy, ops_layout, ops_clock_hz, ops_place, ops_op_cost,
    ops_always_on_power, ops_capacity,
};
