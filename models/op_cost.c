/* pulp_op_cost: composes the component models into one op's time and
 * energy. Compute ops run as a double-buffered L1 tile pipeline; operands
 * homed in HyperRAM stream through L2 staging as a further pipeline stage:
 * after the first chunk (one burst) has landed, the op takes the slower of
 * the rest of the stream and the tile pipeline. GEMM weights homed in the
 * weight memory are read by the compute engine itself, without a DMA stage:
 * a tile's compute step is the slower of the engine and those reads.
 * Energy per component = per-event energies + its active power over its
 * busy time (leakage and the always-on domain are booked per run, by the
 * caller, from node_always_on_power). */
#include <math.h>
#include <string.h>

#include "pulp_internal.h"

/* What one op moved and computed, turned into pulp_cost at the end. */
typedef struct tally {
    pulp_pipeline pl;
    uint64_t dma_bytes;      /* every byte the cluster DMA moved */
    uint64_t l1_dma_bytes;   /* bytes the DMA moved into or out of L1 */
    uint64_t l2_bytes;       /* bytes read or written in L2 */
    uint64_t kernel_bytes;   /* operand bytes the kernel itself touched in L1 */
    uint64_t hyper_bytes;
    uint64_t wmem_bytes;     /* weights the engine read from the weight memory */
    uint64_t engine_busy;    /* compute engine cycles (the compute step may be longer: wmem) */
    uint64_t wmem_busy;      /* weight-memory read cycles */
    uint64_t macs, elem, special;
    bool on_npu;
} tally;

/* One pipeline step whose compute is the engine's cycles, or the weight
 * reads it waits on when those are slower. */
static void step(tally *t, uint64_t in, uint64_t engine, uint64_t wmem, uint64_t out)
{
    t->engine_busy += engine;
    t->wmem_busy += wmem;
    pulp_pipeline_tile(&t->pl, in, engine > wmem ? engine : wmem, out);
}

static uint64_t dma_in(const pulp_params *p, tally *t, uint64_t bytes)
{
    t->dma_bytes += bytes;
    t->l1_dma_bytes += bytes;
    t->l2_bytes += bytes;
    return pulp_dma_cycles(p, bytes);
}

static size_t buf_sz(const chip_program *c, int32_t id)
{
    return (id >= 0 && (uint32_t)id < c->n_bufs) ? dtype_size(c->bufs[id].type) : 0;
}

static bool in_wmem(const chip_program *c, int32_t id)
{
    return id >= 0 && (uint32_t)id < c->n_bufs && c->bufs[id].home == MEM_WMEM;
}

static uint64_t wmem_read_cycles(const pulp_params *p, bool npu, uint64_t bytes)
{
    double bpc = npu ? p->wmem_npu_bytes_per_cycle : p->wmem_cluster_bytes_per_cycle;
    return bytes && bpc > 0 ? (uint64_t)ceil((double)bytes / bpc) : 0;
}

static int gemm_pipeline(const pulp_params *p, const chip_program *c, const prog_op *op,
                         tally *t)
{
    size_t a_sz = buf_sz(c, op->in[0]), b_sz = buf_sz(c, op->in[1]), o_sz = buf_sz(c, op->out);
    bool acc = op->p.gemm.accumulate, b_wmem = in_wmem(c, op->in[1]);
    gemm_tiles g;
    /* weights read from the weight memory take no room in L1 */
    if (pulp_gemm_tile_choose(p, op->m, op->n, op->k, a_sz, b_wmem ? 0 : b_sz, o_sz, acc, &g) != 0)
        return -1;
    t->on_npu = pulp_npu_used(p);
    for (uint64_t m0 = 0; m0 < op->m; m0 += g.tm) {
        uint64_t tm = op->m - m0 < g.tm ? op->m - m0 : g.tm;
        for (uint64_t n0 = 0; n0 < op->n; n0 += g.tn) {
            uint64_t tn = op->n - n0 < g.tn ? op->n - n0 : g.tn;
            uint64_t b_bytes = tn * op->k * b_sz, wmem = 0, in = 0;
            if (b_wmem) {
                wmem = wmem_read_cycles(p, t->on_npu, b_bytes);
                t->wmem_bytes += b_bytes;
            } else {
                in = dma_in(p, t, b_bytes);
            }
            if (n0 == 0) in += dma_in(p, t, tm * op->k * a_sz);   /* A rows reused across N */
            if (acc) in += dma_in(p, t, tm * tn * o_sz);
            uint64_t comp = t->on_npu ? pulp_npu_gemm_cycles(p, tm, tn, op->k)
                                      : pulp_cluster_gemm_cycles(p, tm, tn, op->k);
            step(t, in, comp, wmem, dma_in(p, t, tm * tn * o_sz));
        }
    }
    t->macs = (uint64_t)op->m * op->n * op->k;
    uint64_t kernel = op->work.bytes_read + op->work.bytes_written;
    /* the weights the kernel read came from the weight memory, not L1 */
    t->kernel_bytes = kernel > t->wmem_bytes ? kernel - t->wmem_bytes : 0;
    return 0;
}

static int rowwise_pipeline(const pulp_params *p, const chip_program *c, const prog_op *op,
                            tally *t)
{
    uint64_t rows, in_row, out_row, fixed;
    pulp_op_rowwise_shape(c, op, &rows, &in_row, &out_row, &fixed);
    uint64_t tr = pulp_rows_tile_choose(p, rows, in_row + out_row, fixed);
    if (tr == 0) return -1;
    t->elem = op->work.elem_ops;
    t->special = op->work.special_ops;
    if (t->elem == 0 && t->special == 0) t->elem = rows * (in_row + out_row);
    for (uint64_t r0 = 0; r0 < rows; r0 += tr) {
        uint64_t r1 = rows - r0 < tr ? rows : r0 + tr;
        /* share of the op's work in these rows, cumulative so nothing is lost */
        uint64_t e = t->elem * r1 / rows - t->elem * r0 / rows;
        uint64_t s = t->special * r1 / rows - t->special * r0 / rows;
        uint64_t in = dma_in(p, t, (r1 - r0) * in_row) + (r0 == 0 ? dma_in(p, t, fixed) : 0);
        uint64_t comp = pulp_cluster_elem_cycles(p, e, s) + (uint64_t)p->tile_overhead_cycles;
        step(t, in, comp, 0, dma_in(p, t, (r1 - r0) * out_row));
    }
    t->kernel_bytes = op->work.bytes_read + op->work.bytes_written;
    return 0;
}

static bool is_rowwise(op_kind k)
{
    return k == OP_REQUANT || k == OP_SOFTMAX || k == OP_NORM || k == OP_ACT || k == OP_ROPE ||
           k == OP_ADD || k == OP_MUL;
}

/* Copies and explicit DMA move data without the cores: one transfer. */
static void transfer_cost(const pulp_params *p, const prog_op *op, uint64_t bytes, tally *t)
{
    bool hyper = op->kind == OP_DMA &&
                 (op->src_level == MEM_HYPERRAM || op->dst_level == MEM_HYPERRAM);
    bool l1 = op->kind == OP_DMA && (op->src_level == MEM_L1 || op->dst_level == MEM_L1);
    if (hyper) {
        t->hyper_bytes += bytes;
        t->l2_bytes += bytes;
        return;
    }
    /* L2->L2 copies read and write L2; L2<->L1 touch each side once */
    step(t, 0, 0, 0, pulp_dma_cycles(p, bytes));
    t->dma_bytes += bytes;
    t->l2_bytes += l1 ? bytes : 2 * bytes;
    if (l1) t->l1_dma_bytes += bytes;
}

/* Node side of a transfer. The link peripheral's own uDMA channel streams
 * the payload out of (or into) L2 while it is on the wire, as on PULP SoCs,
 * so a plain send or receive costs the node only the descriptor set-up; the
 * L2 side of the stream is still paid in energy. An accumulating receive
 * then fetches the payload (landed in L2) and the old partial sums to L1
 * with the cluster DMA, adds int32-wise and writes the sums back. */
static void link_cost(const pulp_params *p, const prog_op *op, tally *t)
{
    uint64_t b = op->bytes;
    uint64_t setup = (uint64_t)p->link_setup_cycles;
    t->l2_bytes += b;    /* the peripheral's stream at the L2 side */
    t->dma_bytes += b;
    if (op->kind == OP_RECV && op->accumulate) {
        t->elem = b / 4;
        /* a leader summing its group keeps the running sum in L1 between
         * consecutive receives, when it fits beside a payload */
        bool fits = 2 * b <= pulp_l1_usable(p);
        uint64_t in = setup + dma_in(p, t, b) + (op->sum_in_l1 && fits ? 0 : dma_in(p, t, b));
        uint64_t out = op->sum_stays_in_l1 && fits ? 0 : dma_in(p, t, b);
        step(t, in, pulp_cluster_elem_cycles(p, t->elem, 0), 0, out);
    } else {
        step(t, setup, 0, 0, 0);
    }
}

static void fill_cost(const pulp_params *p, const tally *t, pulp_cost *out)
{
    pulp_pipeline pl = t->pl;
    uint64_t local = pulp_pipeline_finish(&pl);
    uint64_t hyper = pulp_hyper_cycles(p, t->hyper_bytes);
    /* the first staged chunk must land before the tiles start; the rest of
     * the stream overlaps with the tile pipeline */
    uint64_t fill = pulp_hyper_fill_cycles(p, t->hyper_bytes);
    out->cycles = fill + (local > hyper - fill ? local : hyper - fill);
    pulp_comp engine = t->on_npu ? COMP_NPU : COMP_CLUSTER;
    out->busy_cycles[engine] = t->engine_busy;
    out->busy_cycles[COMP_WMEM] = t->wmem_busy;
    out->busy_cycles[COMP_DMA] = pl.dma_busy;
    out->busy_cycles[COMP_HYPERRAM] = hyper;
    /* Critical-path split of `cycles`. Each pipeline step costs at least its
     * compute step, so local >= the compute steps' sum (pl.compute_busy); the
     * mins only keep the partition non-negative should the pipeline ever
     * change. A compute step is the engine's cycles or, when slower, the
     * weight reads it waited on: the engine gets all its work, the weight
     * memory the rest of the steps, the DMA what the pipeline adds beyond
     * them. cycles >= local because the stream term is fill + max(local, ...). */
    uint64_t steps = pl.compute_busy < local ? pl.compute_busy : local;
    uint64_t engine_t = t->engine_busy < steps ? t->engine_busy : steps;
    out->time_cycles[engine] = engine_t;
    out->time_cycles[COMP_WMEM] = steps - engine_t;
    out->time_cycles[COMP_DMA] = local - steps;
    out->time_cycles[COMP_HYPERRAM] = out->cycles - local;

    uint64_t kernel = t->kernel_bytes ? t->kernel_bytes : t->l1_dma_bytes;
    out->bytes[MEM_L1] = t->l1_dma_bytes + (t->engine_busy ? kernel : 0);
    out->bytes[MEM_L2] = t->l2_bytes + t->hyper_bytes;   /* staging writes into L2 */
    out->bytes[MEM_HYPERRAM] = t->hyper_bytes;
    out->bytes[MEM_WMEM] = t->wmem_bytes;

    double hz = p->clock_hz;
    double mac_e = t->on_npu ? p->npu_energy_per_mac : p->cluster_energy_per_mac;
    double engine_w = t->on_npu ? p->npu_active_w : p->cluster_active_w;
    /* the engine is running (not clock-gated) for its whole compute steps,
     * also while it waits on weight reads */
    out->energy_j[engine] += (double)t->macs * mac_e + engine_w * (double)pl.compute_busy / hz;
    out->energy_j[COMP_CLUSTER] += (double)t->elem * p->cluster_energy_per_op +
                                   (double)t->special * p->cluster_energy_per_special;
    out->energy_j[COMP_DMA] = (double)t->dma_bytes * p->dma_energy_per_byte +
                              p->dma_active_w * (double)pl.dma_busy / hz;
    out->energy_j[COMP_L1] = (double)out->bytes[MEM_L1] * p->l1_energy_per_byte;
    out->energy_j[COMP_L2] = (double)out->bytes[MEM_L2] * p->l2_energy_per_byte;
    out->energy_j[COMP_WMEM] = (double)t->wmem_bytes * p->wmem_energy_per_byte;
    out->energy_j[COMP_HYPERRAM] = (double)t->hyper_bytes * p->hyper_energy_per_byte;
    out->energy_j[COMP_HYPERBUS] = (double)t->hyper_bytes * p->hyperbus_energy_per_byte;
}

static int node_op_tally(const pulp_node *m, const chip_program *c, const prog_op *op, tally *t)
{
    const pulp_params *p = &m->p;
    memset(t, 0, sizeof *t);
    pulp_pipeline_init(&t->pl);
    if (op->kind != OP_DMA) t->hyper_bytes = pulp_op_hyper_bytes(c, op);
    switch (op->kind) {
    case OP_GEMM: return gemm_pipeline(p, c, op, t);
    case OP_COPY:
        /* a widening copy (int8 -> int32) needs the cores, not just the DMA */
        if (op_copy_widens(c, op)) return rowwise_pipeline(p, c, op, t);
        transfer_cost(p, op, pulp_op_slot_bytes(c, op, 3), t);
        return 0;
    case OP_DMA: transfer_cost(p, op, op->bytes, t); return 0;
    case OP_SEND:
    case OP_RECV: link_cost(p, op, t); return 0;
    case OP_BARRIER:
    case OP_REDUCE:   /* unexpanded collective (1 chip): nothing to do on the node */
    case OP_BCAST:
    case OP_ALLREDUCE: return 0;
    case OP__COUNT: return -1;
    default: return is_rowwise(op->kind) ? rowwise_pipeline(p, c, op, t) : -1;
    }
}

int pulp_op_cost(const pulp_node *m, const chip_program *c, const prog_op *op, pulp_cost *out)
{
    tally t;
    memset(out, 0, sizeof *out);
    if (node_op_tally(m, c, op, &t) != 0) return -1;
    fill_cost(&m->p, &t, out);
    return 0;
}
