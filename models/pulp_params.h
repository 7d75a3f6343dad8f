/* Parameters of the pulp_cluster node model (a Siracusa-class node), bound
 * from configs/nodes/ (YAML) through pulp_param_specs (pulp_params.c).
 * Every value's source is in the YAML file beside it; nothing here has a
 * built-in default that matters. */
#ifndef MCUSIM_PULP_PARAMS_H
#define MCUSIM_PULP_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/param_spec.h"

typedef enum offload_target { OFFLOAD_CLUSTER, OFFLOAD_NPU } offload_target;

typedef struct pulp_params pulp_params;
typedef struct pulp_node pulp_node;       /* pulp_internal.h */

extern const param_spec pulp_param_specs[];
extern const size_t pulp_param_count;

struct pulp_params {
    char name[PARAM_STRING_MAX];
    double clock_hz;                 /* cluster / SoC clock */
    double voltage;

    /* cluster */
    uint64_t cores;
    double simd_macs_per_cycle;      /* per core peak (Xpulp sdotp: 4 int8 MACs) */
    double inner_loop_efficiency;    /* fraction of peak left after operand loads and loop control */
    double parallel_efficiency;      /* fraction left after fork/join and imbalance across cores */
    double tile_overhead_cycles;     /* per L1 tile: kernel call, pointer set-up, barrier */
    double elem_cycles;              /* cycles per simple element op per core */
    double special_cycles;           /* cycles per exp/div/sqrt-class step per core */
    double cluster_energy_per_mac;   /* J per int8 MAC (cores + TCDM port) */
    double cluster_energy_per_op;    /* J per simple element op */
    double cluster_energy_per_special; /* J per exp/div/sqrt-class step */
    double cluster_active_w;         /* clock tree, fetch, TCDM interconnect while the cores compute */
    double cluster_leak_w;           /* leakage of the cluster */

    /* NPU */
    bool npu_present;
    int offload;                     /* offload_target for GEMMs */
    double npu_macs_per_cycle;
    double npu_setup_cycles;         /* per job (one job per L1 tile) */
    double npu_energy_per_mac;
    double npu_active_w;             /* background power while a job runs */
    double npu_leak_w;

    /* cluster DMA (L2 <-> L1) */
    double dma_bytes_per_cycle;
    double dma_setup_cycles;         /* per transfer */
    double dma_energy_per_byte;
    double dma_active_w;             /* background power while the DMA moves data */

    /* memories */
    double l1_size;                  /* bytes */
    double l1_reserved;              /* bytes of L1 kept for stacks and runtime */
    double l1_energy_per_byte;
    double l1_leak_w;
    double l2_size;                  /* bytes */
    double l2_reserved;              /* bytes kept for code, stacks, runtime */
    double l2_stream_buffer;         /* bytes of L2 staging (double buffer) for HyperRAM streams */
    double l2_energy_per_byte;
    double l2_leak_w;

    /* weight memory banked next to the cluster (0 B: none) */
    double wmem_size;                /* bytes */
    double wmem_cluster_bytes_per_cycle; /* what the cores can read from it per cycle */
    double wmem_npu_bytes_per_cycle; /* the NPU's weight port */
    double wmem_energy_per_byte;     /* read energy per byte */
    double wmem_leak_w;

    /* off-chip HyperRAM over HyperBus */
    double hyper_size;               /* bytes the off-chip device holds */
    double hyper_bandwidth;          /* bytes per second */
    double hyper_latency_s;          /* per burst: command + initial access latency */
    double hyper_burst_bytes;        /* bytes per burst */
    double hyper_energy_per_byte;    /* the device, incl. its I/O */
    double hyperbus_energy_per_byte; /* the MCU's uDMA channel and pads */
    double hyper_standby_w;          /* the off-chip device's standby (not on the MCU) */

    /* link peripheral on the node side */
    double link_setup_cycles;        /* per send/receive: descriptor + DMA programming */
    double soc_active_w;             /* always-on domain's clocks and control, the whole run */
    double soc_leak_w;               /* always-on domain, pads: leakage */
};

#endif
