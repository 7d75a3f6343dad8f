/* Shared by the test_models_* executables: a pulp_cluster node with round
 * numbers so expected figures can be worked out by hand, and small program
 * builders. These tests are the model's own: they use its internals
 * (pulp_internal.h) and its components and levels (COMP_*, MEM_*). */
#ifndef TEST_MODELS_FIXTURE_H
#define TEST_MODELS_FIXTURE_H

#include <string.h>

#include "program.h"
#include "pulp_internal.h"

static inline pulp_params fx_params(void)
{
    pulp_params p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "handnode");
    p.clock_hz = 100e6;
    p.voltage = 0.8;
    p.cores = 8;
    p.simd_macs_per_cycle = 4;
    p.inner_loop_efficiency = 0.5;
    p.parallel_efficiency = 1.0;
    p.tile_overhead_cycles = 10;
    p.elem_cycles = 1;
    p.special_cycles = 10;
    p.cluster_energy_per_mac = 1e-12;
    p.cluster_energy_per_op = 2e-12;
    p.cluster_energy_per_special = 20e-12;
    p.cluster_leak_w = 1e-3;
    p.npu_present = true;
    p.offload = OFFLOAD_CLUSTER;
    p.npu_macs_per_cycle = 256;
    p.npu_setup_cycles = 50;
    p.npu_energy_per_mac = 0.25e-12;
    p.npu_leak_w = 2e-3;
    p.dma_bytes_per_cycle = 8;
    p.dma_setup_cycles = 30;
    p.dma_energy_per_byte = 0.5e-12;
    p.l1_size = 1 << 20;
    p.l1_reserved = 0;
    p.l1_energy_per_byte = 1e-12;
    p.l1_leak_w = 3e-3;
    p.l2_size = 4 << 20;
    p.l2_reserved = 0;
    p.l2_stream_buffer = 64 << 10;
    p.l2_energy_per_byte = 2e-12;
    p.l2_leak_w = 4e-3;
    p.hyper_size = 1ull << 40;   /* never the limit unless a test makes it one */
    p.hyper_bandwidth = 100e6;
    p.hyper_latency_s = 100e-9;
    p.hyper_burst_bytes = 1024;
    p.hyper_energy_per_byte = 100e-12;
    p.hyper_standby_w = 5e-3;
    p.link_setup_cycles = 40;
    p.soc_leak_w = 6e-3;
    /* active powers and the weight memory stay 0 (none): tests that need
     * them set them, so the hand-derived energies elsewhere hold */
    return p;
}

/* A chip program with one GEMM out[m x n] i32 = a[m x k] i8 * w[k x n] i8. */
static inline system_program *fx_gemm_program(uint32_t m, uint32_t n, uint32_t k, bool acc)
{
    system_program *sp = system_program_create(1, false);
    chip_program *c = &sp->chips[0];
    int32_t a = chip_add_buffer(c, false, "x", DT_I8, m, k, BUF_ACTIVATION);
    int32_t w = chip_add_buffer(c, false, "w", DT_I8, k, n, BUF_WEIGHT);
    int32_t o = chip_add_buffer(c, false, "y", DT_I32, m, n, BUF_ACTIVATION);
    prog_op op = prog_op_init(OP_GEMM, "t.gemm");
    op.in[0] = a, op.in[1] = w, op.out = o;
    op.m = m, op.n = n, op.k = k;
    op.p.gemm.accumulate = acc;
    op.work.macs = (uint64_t)m * n * k;
    chip_add_op(c, &op);
    return sp;
}

static inline pulp_node *fx_model(const pulp_params *p)
{
    pulp_node *m = NULL;
    char err[256];
    if (pulp_node_create(p, &m, err, sizeof err) != 0) return NULL;
    return m;
}

static inline pulp_cost fx_cost0(const pulp_params *p, const system_program *sp, int *rc)
{
    pulp_cost c;
    memset(&c, 0, sizeof c);
    pulp_node *m = fx_model(p);
    *rc = m ? pulp_op_cost(m, &sp->chips[0], &sp->chips[0].ops[0], &c) : -1;
    pulp_node_destroy(m);
    return c;
}

/* The cost of fx_gemm_program's GEMM with its weights homed at w_home
 * (MEM_L2, the default, or MEM_HYPERRAM to stream them), into *c; returns
 * pulp_op_cost's rc. Most hand cases want only the figures, so the program
 * is built and freed here rather than in every test. */
static inline int fx_gemm_cost(const pulp_params *p, uint32_t m, uint32_t n, uint32_t k,
                               bool acc, mem_level w_home, pulp_cost *c)
{
    system_program *sp = fx_gemm_program(m, n, k, acc);
    sp->chips[0].bufs[1].home = w_home;
    int rc;
    *c = fx_cost0(p, sp, &rc);
    system_program_destroy(sp);
    return rc;
}

/* Places chip 0 of sp on a fresh model of p; returns pulp_place's rc. */
static inline int fx_place(const pulp_params *p, system_program *sp, placement_report *r,
                           char *err, size_t errlen)
{
    pulp_node *m = fx_model(p);
    int rc = pulp_place(m, &sp->chips[0], r, err, errlen);
    pulp_node_destroy(m);
    return rc;
}

#endif
