/* Synthetic run_stats for the report tests: figures are simple functions of
 * the chip count so each test can recompute what the writers must print. */
#ifndef MCUSIM_TEST_REPORT_SYNTH_H
#define MCUSIM_TEST_REPORT_SYNTH_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/report/report.h"

static inline double synth_latency_s(unsigned chips, unsigned grid)
{
    return 0.010 * (1.0 + grid) / (chips * 0.9 + 0.1);
}

static inline double synth_energy_j(unsigned chips, unsigned grid)
{
    return 0.002 * (1.0 + 0.05 * chips) * (1.0 + grid);
}

/* The scope of a grid point: each grid group simulates one block fewer. */
static inline void synth_scope(char *buf, size_t cap, unsigned grid)
{
    snprintf(buf, cap, "one token; %u of 8 blocks; no LM head", grid < 8 ? 8 - grid : 1);
}

static inline void synth_stats(run_stats *s, const char *exp, unsigned chips, unsigned grid)
{
    memset(s, 0, sizeof *s);
    snprintf(s->experiment, sizeof s->experiment, "%s", exp);
    snprintf(s->model, sizeof s->model, "tinyllama-42m");
    snprintf(s->mode, sizeof s->mode, "autoregressive");
    synth_scope(s->scope, sizeof s->scope, grid);
    s->chips = chips;
    s->grid_index = grid;
    if (grid) snprintf(s->sweep, sizeof s->sweep, "workload.seq_len=%u", 64u * (grid + 1));
    s->clock_hz = 360e6;
    s->latency_s = synth_latency_s(chips, grid);
    s->cycles = (uint64_t)llround(s->latency_s * s->clock_hz);   /* as the engine rounds */
    s->energy_j = synth_energy_j(chips, grid);
    s->offchip_bytes = 1000u / chips;
    s->link_bytes = 512u * (chips - 1);
    s->sim_events = 100u * chips;
    s->functional = true;
    s->per_chip = calloc(chips, sizeof *s->per_chip);
    int n_energy = 0;   /* the energy is spread over the components that have one */
    for (int comp = 0; comp < COMP__COUNT; comp++) n_energy += component_has_energy((component)comp);
    for (unsigned k = 0; k < chips; k++) {
        chip_stats *c = &s->per_chip[k];
        /* time_cycles partition the run like the engine's do: component c
         * gets (c + 1) / 64 of it, wait the rest; each component only in the
         * views it has (node.h), as the engine fills them */
        uint64_t booked = 0;
        for (int comp = 0; comp < COMP__COUNT; comp++) {
            if (component_has_energy((component)comp)) {
                c->energy_j[comp] = s->energy_j / chips / n_energy;
                /* the leakage bucket split over the on-chip components */
                if (comp <= COMP_WMEM)
                    c->leakage_j[comp] = s->energy_j / chips / n_energy / (COMP_WMEM + 1);
            }
            if (!component_has_time((component)comp)) continue;
            c->busy_cycles[comp] = (uint64_t)(comp + 1) * 1000u + k;
            if (comp != COMP_WAIT) {
                c->time_cycles[comp] = s->cycles * (uint64_t)(comp + 1) / 64u;
                booked += c->time_cycles[comp];
            }
        }
        c->time_cycles[COMP_WAIT] = s->cycles - booked;
        c->finish_s = s->latency_s;
        /* the run's byte totals are the chips' sums, as the engine makes them */
        c->offchip_bytes = s->offchip_bytes / chips + (k == 0 ? s->offchip_bytes % chips : 0);
        c->link_bytes_sent = s->link_bytes / chips + (k == 0 ? s->link_bytes % chips : 0);
        c->placement.weight_bytes = 4000000u / chips;
        c->placement.l2_capacity = 2u << 20;
        c->placement.weights_on_chip = chips >= 4;
    }
}

static inline char *synth_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    fclose(f);
    if (len) *len = got;
    return b;
}

#endif
