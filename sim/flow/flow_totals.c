/* Static energy and the run's totals (see flow_internal.h). */
#include <stdlib.h>

#include "flow_internal.h"

/* Power drawn whatever the chip does (leakage of every on-chip component,
 * the always-on domain's clocks, the off-chip memory's standby), over the
 * whole makespan: every chip stays powered until the inference ends. Then
 * the run totals. The cycle count comes from the backend, which closed
 * every chip's time_cycles on exactly that figure. -1 when out of memory
 * for the per-op static rows. */
int flow_finish_totals(const point_plan *m, const timing_result *res, run_stats *out)
{
    double makespan_s = res->makespan_s;
    out->latency_s = makespan_s;
    out->first_done_s = res->first_done_s;
    out->cycles = res->makespan_cycles;
    out->energy_j = 0;
    out->offchip_bytes = 0;
    out->link_bytes = 0;
    double leak_w[COMPONENTS_MAX];
    double (*always_w)[COMPONENTS_MAX] = calloc(out->chips, sizeof *always_w);
    if (!always_w) return -1;
    uint32_t n = out->components.n;
    for (uint32_t c = 0; c < out->chips; c++) {
        chip_stats *s = &out->per_chip[c];
        point_plan_always_on_power(m, c, leak_w, always_w[c]);   /* each chip's own node */
        for (uint32_t k = 0; k < n; k++) {
            s->energy_j[k] += always_w[c][k] * makespan_s;
            s->leakage_j[k] = leak_w[k] * makespan_s;
        }
        for (uint32_t k = 0; k < n; k++) out->energy_j += s->energy_j[k];
        out->offchip_bytes += s->offchip_bytes;
        out->link_bytes += s->link_bytes_sent;
    }
    /* --stats ops: the same static energy as rows of its own */
    int rc = out->ops ? op_stats_add_static(out, (const double (*)[COMPONENTS_MAX])always_w) : 0;
    free(always_w);
    return rc;
}
