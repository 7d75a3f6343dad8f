/* The pulp_cluster model's YAML parameter table and its registry entry.
 * Only the keys and their checks live here; the values and their sources
 * live in configs/nodes/siracusa.yaml. */
#include <stddef.h>

#include "node.h"
#include "pulp_params.h"

#define F(field) offsetof(struct pulp_params, field)
#define Q(key, dim, field, lo, hi, def, doc) \
    {key, PARAM_QUANTITY, dim, F(field), lo, hi, def, NULL, doc}
#define D(key, field, lo, hi, def, doc) {key, PARAM_DOUBLE, DIM_NONE, F(field), lo, hi, def, NULL, doc}

static const char *const offload_names[] = {"cluster", "npu", NULL};

const param_spec pulp_param_specs[] = {
    {"name", PARAM_STRING, DIM_NONE, F(name), 0, 0, "siracusa", NULL,
     "node name shown in reports"},
    Q("clock", DIM_FREQUENCY, clock_hz, 1e6, 5e9, NULL,
      "cluster/SoC clock; Siracusa 360 MHz at 0.8 V (JSSC 2024, approx)"),
    Q("voltage", DIM_VOLTAGE, voltage, 0.3, 2.0, NULL,
      "supply voltage at which the energy figures hold (informational)"),

    {"cluster.cores", PARAM_UINT, DIM_NONE, F(cores), 1, 64, NULL, NULL,
     "RISC-V cores in the cluster; Siracusa 8 (firm)"},
    D("cluster.simd_macs_per_cycle", simd_macs_per_cycle, 0.1, 64, NULL,
      "peak int8 MACs per cycle per core; Xpulp sdotp 4 (firm)"),
    D("cluster.inner_loop_efficiency", inner_loop_efficiency, 0.01, 1, NULL,
      "fraction of SIMD peak after operand loads and loop control (PULP-NN, approx)"),
    D("cluster.parallel_efficiency", parallel_efficiency, 0.01, 1, NULL,
      "fraction left after fork/join and barrier losses across cores (assumed)"),
    Q("cluster.tile_overhead", DIM_CYCLES, tile_overhead_cycles, 0, 1e6, NULL,
      "cycles per L1 tile: kernel call, pointer set-up, barrier (assumed)"),
    Q("cluster.elem_cycles", DIM_CYCLES, elem_cycles, 0.01, 1e3, NULL,
      "cycles per simple element op (add, shift, requant) per core (assumed)"),
    Q("cluster.special_cycles", DIM_CYCLES, special_cycles, 0.01, 1e4, NULL,
      "cycles per exp/div/sqrt-class integer step per core (assumed)"),
    Q("cluster.energy_per_mac", DIM_ENERGY_PER_OP, cluster_energy_per_mac, 0, 1e-9, NULL,
      "dynamic energy per int8 MAC on the cluster (assumed)"),
    Q("cluster.energy_per_op", DIM_ENERGY_PER_OP, cluster_energy_per_op, 0, 1e-9, NULL,
      "dynamic energy per simple element op (assumed)"),
    Q("cluster.energy_per_special", DIM_ENERGY_PER_OP, cluster_energy_per_special, 0, 1e-8, NULL,
      "dynamic energy per exp/div/sqrt-class step (assumed)"),
    Q("cluster.active_power", DIM_POWER, cluster_active_w, 0, 10, NULL,
      "background power while the cores compute: clock tree, fetch, TCDM interconnect "
      "(on top of the per-MAC/per-op energies)"),
    Q("cluster.leakage", DIM_POWER, cluster_leak_w, 0, 10, NULL,
      "cluster leakage, drawn for the whole run"),

    {"npu.present", PARAM_BOOL, DIM_NONE, F(npu_present), 0, 1, NULL, NULL,
     "node has an NPU (Siracusa: N-EUREKA, approx)"},
    {"npu.offload", PARAM_ENUM, DIM_NONE, F(offload), 0, 1, "cluster", offload_names,
     "where GEMMs run: cluster or npu (npu needs npu.present)"},
    D("npu.macs_per_cycle", npu_macs_per_cycle, 0.1, 1e5, NULL,
      "NPU int8 MACs per cycle (assumed from Deeploy's 25x over the cluster)"),
    Q("npu.setup", DIM_CYCLES, npu_setup_cycles, 0, 1e6, NULL,
      "NPU cycles to program one job (one L1 tile) (assumed)"),
    Q("npu.energy_per_mac", DIM_ENERGY_PER_OP, npu_energy_per_mac, 0, 1e-9, NULL,
      "dynamic energy per int8 MAC on the NPU (assumed)"),
    Q("npu.active_power", DIM_POWER, npu_active_w, 0, 10, NULL,
      "NPU background power while a job runs (on top of the per-MAC energy)"),
    Q("npu.leakage", DIM_POWER, npu_leak_w, 0, 10, NULL, "NPU leakage, drawn for the whole run"),

    D("dma.bytes_per_cycle", dma_bytes_per_cycle, 0.01, 1024, NULL,
      "cluster DMA L2<->L1 bandwidth; 64 bit/cycle (assumed, PULP iDMA class)"),
    Q("dma.setup", DIM_CYCLES, dma_setup_cycles, 0, 1e5, NULL,
      "cycles to program one DMA transfer (assumed, tens of cycles)"),
    Q("dma.energy_per_byte", DIM_ENERGY_PER_BYTE, dma_energy_per_byte, 0, 1e-9, NULL,
      "DMA engine + interconnect energy per byte moved (assumed)"),
    Q("dma.active_power", DIM_POWER, dma_active_w, 0, 10, NULL,
      "DMA background power while it moves data (on top of the per-byte energy)"),

    Q("l1.size", DIM_BYTES, l1_size, 1, 1ull << 32, NULL,
      "L1 TCDM capacity; Siracusa 256 KiB (approx)"),
    Q("l1.reserved", DIM_BYTES, l1_reserved, 0, 1ull << 32, "0 B",
      "L1 bytes kept for stacks and runtime, not available to tiles (assumed)"),
    Q("l1.energy_per_byte", DIM_ENERGY_PER_BYTE, l1_energy_per_byte, 0, 1e-9, NULL,
      "L1 access energy per byte, 0.5-1 pJ/B (assumed)"),
    Q("l1.leakage", DIM_POWER, l1_leak_w, 0, 10, NULL, "L1 leakage, drawn for the whole run"),
    Q("l2.size", DIM_BYTES, l2_size, 1, 1ull << 40, NULL,
      "L2 SRAM capacity; 2 MiB (firm, paper and poster)"),
    Q("l2.reserved", DIM_BYTES, l2_reserved, 0, 1ull << 40, NULL,
      "L2 bytes kept for code, stacks and runtime (assumed)"),
    Q("l2.stream_buffer", DIM_BYTES, l2_stream_buffer, 0, 1ull << 40, NULL,
      "L2 staging for HyperRAM streams, reserved only when something streams (assumed)"),
    Q("l2.energy_per_byte", DIM_ENERGY_PER_BYTE, l2_energy_per_byte, 0, 1e-9, NULL,
      "L2 SRAM access energy per byte, 1-3 pJ/B (assumed)"),
    Q("l2.leakage", DIM_POWER, l2_leak_w, 0, 10, NULL, "L2 leakage, drawn for the whole run"),

    Q("wmem.size", DIM_BYTES, wmem_size, 0, 1ull << 40, "0 B",
      "weight memory banked next to the cluster, read without an L2->L1 DMA; 0 B: none"),
    D("wmem.cluster_bytes_per_cycle", wmem_cluster_bytes_per_cycle, 0, 1024, "0",
      "bytes per cycle the cores can read from the weight memory (needed when wmem.size > 0)"),
    D("wmem.npu_bytes_per_cycle", wmem_npu_bytes_per_cycle, 0, 1024, "0",
      "bytes per cycle of the NPU's weight port (needed when wmem.size > 0 and an NPU is present)"),
    Q("wmem.energy_per_byte", DIM_ENERGY_PER_BYTE, wmem_energy_per_byte, 0, 1e-9, "0 pJ/B",
      "weight-memory read energy per byte"),
    Q("wmem.leakage", DIM_POWER, wmem_leak_w, 0, 10, "0 W",
      "weight-memory leakage, drawn for the whole run"),

    Q("hyperram.size", DIM_BYTES, hyper_size, 1, 1ull << 40, NULL,
      "bytes the off-chip memory holds: weights, KV cache and spilled activations homed "
      "there must fit, or placement fails"),
    Q("hyperram.bandwidth", DIM_BYTERATE, hyper_bandwidth, 1e3, 1e11, NULL,
      "HyperBus bandwidth, 200-400 MB/s (assumed)"),
    Q("hyperram.latency", DIM_TIME, hyper_latency_s, 0, 1e-3, NULL,
      "per-burst command + initial access latency (assumed, datasheet class)"),
    Q("hyperram.burst", DIM_BYTES, hyper_burst_bytes, 1, 1ull << 30, NULL,
      "bytes per HyperBus burst (assumed)"),
    Q("hyperram.energy_per_byte", DIM_ENERGY_PER_BYTE, hyper_energy_per_byte, 0, 1e-8, NULL,
      "HyperRAM device energy per byte incl. its I/O (off the MCU)"),
    Q("hyperram.interface_energy_per_byte", DIM_ENERGY_PER_BYTE, hyperbus_energy_per_byte, 0,
      1e-8, NULL, "the MCU's side of the HyperBus per byte: uDMA channel and pads (on the MCU)"),
    Q("hyperram.standby_power", DIM_POWER, hyper_standby_w, 0, 10, NULL,
      "HyperRAM device standby power (off the MCU), the whole run"),

    Q("link.setup", DIM_CYCLES, link_setup_cycles, 0, 1e6, NULL,
      "node-side cycles per send/receive: descriptor + DMA programming (assumed)"),
    Q("soc.active_power", DIM_POWER, soc_active_w, 0, 10, NULL,
      "always-on domain's clocks and control, drawn for the whole run (a waiting chip draws "
      "this plus the leakages)"),
    Q("soc.leakage", DIM_POWER, soc_leak_w, 0, 10, NULL,
      "always-on domain and pads: leakage, drawn for the whole run"),
};

const size_t pulp_param_count = sizeof pulp_param_specs / sizeof pulp_param_specs[0];

extern const node_model_ops pulp_cluster_ops;   /* pulp_cluster.c */

const registry_entry node_pulp_cluster = {
    "pulp_cluster",
    "a PULP cluster of RISC-V cores with an optional NPU, cluster DMA, L1, L2, an optional "
    "weight memory and off-chip HyperRAM (Siracusa class; configs/nodes/siracusa.yaml)",
    pulp_param_specs,
    sizeof pulp_param_specs / sizeof pulp_param_specs[0],
    sizeof(pulp_params),
    &pulp_cluster_ops,
    NULL,
};
