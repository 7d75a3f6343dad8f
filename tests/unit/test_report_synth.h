/* Synthetic run_stats for the report tests: figures are simple functions of
 * the chip count so each test can recompute what the writers must print.
 * The node is synthetic too (the writers know no node but what a point
 * declares): a core, an SRAM, an off-chip DRAM (not on the MCU), the
 * engine's link, a leakage component and the engine's wait. */
#ifndef MCUSIM_TEST_REPORT_SYNTH_H
#define MCUSIM_TEST_REPORT_SYNTH_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/report/report.h"

enum { SYN_CORE, SYN_SRAM, SYN_DRAM, SYN_LINK, SYN_LEAKAGE, SYN_WAIT, SYN__COUNT };
enum { SYN_LEVEL_SRAM, SYN_LEVEL_DRAM };

static inline void synth_components(component_set *cs, mem_level_set *levels)
{
    component_set_init(cs);
    component_set_add(cs, "core", true, true, true, "the synthetic core");
    component_set_add(cs, "sram", true, false, true, "its SRAM accesses");
    component_set_add(cs, "dram", true, true, false, "the off-chip DRAM device");
    component_set_add_system(cs, SYSTEM_LINK);
    component_set_add(cs, "leakage", true, false, true, "static power of the chip");
    cs->c[SYN_LEAKAGE].leakage = true;
    component_set_add_system(cs, SYSTEM_WAIT);
    memset(levels, 0, sizeof *levels);
    levels->n = 2;
    snprintf(levels->v[SYN_LEVEL_SRAM].name, sizeof levels->v[0].name, "SRAM");
    snprintf(levels->v[SYN_LEVEL_DRAM].name, sizeof levels->v[0].name, "DRAM");
    levels->v[SYN_LEVEL_DRAM].off_chip = true;
}

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
    s->in_flight = 1;
    s->tokens_per_inference = 1;
    s->first_done_s = s->latency_s;
    s->offchip_bytes = 1000u / chips;
    s->link_bytes = 512u * (chips - 1);
    s->sim_events = 100u * chips;
    s->functional = true;
    synth_components(&s->components, &s->levels);
    const component_set *cs = &s->components;
    s->per_chip = calloc(chips, sizeof *s->per_chip);
    int n_energy = 0;   /* the energy is spread over the components that have one */
    for (uint32_t comp = 0; comp < cs->n; comp++) n_energy += cs->c[comp].energy;
    for (unsigned k = 0; k < chips; k++) {
        chip_stats *c = &s->per_chip[k];
        /* time_cycles partition the run like the engine's do: component c
         * gets (c + 1) / 64 of it, wait the rest; each component only in the
         * views it has, as the engine fills them */
        uint64_t booked = 0;
        for (uint32_t comp = 0; comp < cs->n; comp++) {
            if (cs->c[comp].energy) {
                c->energy_j[comp] = s->energy_j / chips / n_energy;
                /* the leakage component's share split over the core and the SRAM */
                if (comp == SYN_CORE || comp == SYN_SRAM)
                    c->leakage_j[comp] = s->energy_j / chips / n_energy / 2;
            }
            if (!cs->c[comp].time) continue;
            c->busy_cycles[comp] = (uint64_t)(comp + 1) * 1000u + k;
            if (comp != SYN_WAIT) {
                c->time_cycles[comp] = s->cycles * (uint64_t)(comp + 1) / 64u;
                booked += c->time_cycles[comp];
            }
        }
        c->time_cycles[SYN_WAIT] = s->cycles - booked;
        c->finish_s = s->latency_s;
        snprintf(c->node, sizeof c->node, "synth");
        c->clock_hz = s->clock_hz;
        /* the run's byte totals are the chips' sums, as the engine makes them */
        c->offchip_bytes = s->offchip_bytes / chips + (k == 0 ? s->offchip_bytes % chips : 0);
        c->link_bytes_sent = s->link_bytes / chips + (k == 0 ? s->link_bytes % chips : 0);
        c->placement.weight_bytes = 4000000u / chips;
        c->placement.capacity[SYN_LEVEL_SRAM] = 2u << 20;
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

/* README.md holds, between begin_mark and end_mark (both included), exactly
 * what `write` generates. With MCUSIM_UPDATE_README set, a section that
 * differs is rewritten instead. `what` and `source` name the section and
 * the file it is generated from in the messages. True when they agree (or
 * were made to); false, with a message, otherwise. */
static inline bool synth_readme_section_is(const char *readme_path, const char *begin_mark,
                                           const char *end_mark, void (*write)(FILE *),
                                           const char *what, const char *source)
{
    size_t n, glen;
    char *readme = synth_slurp(readme_path, &n);
    if (!readme) {
        fprintf(stderr, "%s: cannot read\n", readme_path);
        return false;
    }
    char *gen = NULL;
    FILE *g = open_memstream(&gen, &glen);
    fputs(begin_mark, g);
    write(g);
    fputs(end_mark, g);
    fclose(g);
    char *begin = strstr(readme, begin_mark), *end = begin ? strstr(begin, end_mark) : NULL;
    bool same = end && (size_t)(end + strlen(end_mark) - begin) == glen &&
                memcmp(begin, gen, glen) == 0;
    FILE *f = !same && end && getenv("MCUSIM_UPDATE_README") ? fopen(readme_path, "w") : NULL;
    if (f) {
        fwrite(readme, 1, (size_t)(begin - readme), f);
        fwrite(gen, 1, glen, f);
        fputs(end + strlen(end_mark), f);
        same = fclose(f) == 0;
        fprintf(stderr, "README.md: the %s section rewritten from %s\n", what, source);
    }
    if (!same && !end) fprintf(stderr, "README.md has no section %s...%s", begin_mark, end_mark);
    else if (!same)
        fprintf(stderr, "README.md's %s section differs from %s: run this test with "
                        "MCUSIM_UPDATE_README=1 to rewrite it\n", what, source);
    free(gen);
    free(readme);
    return same;
}

#endif
