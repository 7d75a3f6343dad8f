/* mcusim_simulate: one point (see simulate.h). Builds the N-chip program
 * (point_plan_build: memory estimate, models, partition, topology,
 * placement: what validate checks), runs it on the timing backend with the
 * real node and link models, adds static energy and, with --check,
 * compares against a plain-C 1-chip run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow_internal.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int fail(char *err, size_t errlen, int rc, const char *what, const char *msg)
{
    snprintf(err, errlen, "%s%s", what, msg);
    return rc;
}

/* What the run is: names, mode, scope, the system's layout and chip 0's
 * clock (what the run's cycles count). */
static void fill_header(const experiment *e, const sim_options *o, const point_plan *m,
                        bool functional, run_stats *out)
{
    const node_layout *l = &m->layout;
    out->components = l->components;
    out->levels = l->levels;
    snprintf(out->experiment, sizeof out->experiment, "%.*s", (int)sizeof out->experiment - 1,
             e->name);
    snprintf(out->model, sizeof out->model, "%.*s", (int)sizeof out->model - 1,
             e->workload.dims.name);
    snprintf(out->mode, sizeof out->mode, "%s",
             e->workload.mode == MODE_PROMPT ? "prompt" : "autoregressive");
    workload_scope(&e->workload, out->scope, sizeof out->scope);
    out->chips = o->chips;
    out->clock_hz = node_clock_hz(m->node);
    out->functional = functional;
    out->in_flight = workload_in_flight(&e->workload);
    out->tokens_per_inference = e->workload.mode == MODE_PROMPT ? e->workload.seq_len : 1;
}

static int simulate_program(const experiment *e, const sim_options *o,
                            const timing_backend_ops *backend, const point_plan *m,
                            run_stats *out, char *err, size_t errlen)
{
    system_program *p = m->prog;
    for (uint32_t c = 0; c < p->n_chips; c++) {
        chip_stats *s = &out->per_chip[c];
        s->placement = m->placement[c];
        snprintf(s->node, sizeof s->node, "%.*s", (int)sizeof s->node - 1,
                 m->node_names[m->chip_node[c]]);
        s->clock_hz = m->chip_clock_hz[c];
    }
    /* homes index each node's own levels, which line up with the system's */
    if (o->dump_program) system_program_dump(p, &m->layout.levels, o->dump_program);

    timing_hooks h;
    flow_hooks_bind(m, &h);
    timing_options to = {p->functional, o->trace_path, o->flip_src, o->flip_dst,
                         e->topology.phy == TOPO_PHY_SHARED, o->op_stats};
    timing_result res = {0};
    char why[1024] = "";
    int sim_rc = backend->run(p, &h, &to, out->per_chip, &res, why, sizeof why);
    out->ops = res.ops;
    out->n_ops = res.n_ops;
    if (sim_rc != 0) return fail(err, errlen, 1, "simulation: ", why);
    out->sim_events = res.sim_events;
    if (flow_finish_totals(m, &res, out) != 0)
        return fail(err, errlen, 1, "--stats ops: ", "out of memory");

    if (!o->check) return 0;
    out->check_run = true;
    return flow_check_against_one_chip(e, p, &out->check_passed, err, errlen);
}

int mcusim_simulate(const experiment *e, const sim_options *o, run_stats *out, char *err,
                    size_t errlen)
{
    double t0 = now_s();
    memset(out, 0, sizeof *out);
    if (o->chips == 0) return fail(err, errlen, 2, "", "chips must be at least 1");
    const registry_entry *be = o->backend ? o->backend : timing_backend_entries()[0];
    const timing_backend_ops *backend = be->ops;
    if (backend->already_ran && backend->already_ran()) {
        snprintf(err, errlen,
                 "the %s timing backend allows one simulation per process (run each point in "
                 "its own process)", be->name);
        return 1;
    }
    bool functional = o->functional || o->check;   /* --check needs the real bytes */
    point_request req = {o->chips, functional, o->check, o->trace_path != NULL, o->max_memory,
                         o->program};
    point_plan m;
    int rc = point_plan_build(e, &req, &m, err, errlen);
    if (rc) return rc;
    fill_header(e, o, &m, functional, out);
    out->per_chip = calloc(o->chips, sizeof *out->per_chip);
    if (!out->per_chip) rc = fail(err, errlen, 1, "", "out of memory");
    else rc = simulate_program(e, o, backend, &m, out, err, errlen);
    point_plan_free(&m);
    out->wall_s = now_s() - t0;
    return rc;
}

void run_stats_free(run_stats *s)
{
    if (!s) return;
    free(s->per_chip);
    s->per_chip = NULL;
    free(s->ops);
    s->ops = NULL;
    s->n_ops = 0;
}
