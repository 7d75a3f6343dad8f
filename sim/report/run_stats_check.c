/* run_stats_check: a point file is data from disk (editable, truncatable,
 * copyable over another), and a fresh result comes from models that
 * plug-ins extend; neither is trusted before these checks pass. */
#include "run_stats_check.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../experiment/sweep_plan.h"
#include "point_stamp.h"

static int bad(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    return -1;
}

static bool good_double(double v)
{
    return isfinite(v) && v >= 0;
}

/* Sums agree up to the rounding of adding a few hundred doubles in another order. */
static bool close_to(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b)) + 1e-300;
}

/* a + b without wrapping; false when it would. */
static bool add_u64(uint64_t *acc, uint64_t v)
{
    if (*acc > UINT64_MAX - v) return false;
    *acc += v;
    return true;
}

static int check_chip(const run_stats *s, uint32_t k, double *energy, uint64_t *offchip,
                      uint64_t *link, char *why, size_t cap)
{
    const chip_stats *c = &s->per_chip[k];
    const component_set *cs = &s->components;
    uint64_t time = 0;
    double leak = 0;
    for (uint32_t j = 0; j < cs->n; j++) {
        const char *name = cs->c[j].name;
        if (!good_double(c->energy_j[j]))
            return bad(why, cap, "chip %" PRIu32 ": energy_j.%s is %g, not a finite non-negative energy",
                       k, name, c->energy_j[j]);
        if (!good_double(c->leakage_j[j]))
            return bad(why, cap, "chip %" PRIu32 ": leakage_j.%s is %g, not a finite non-negative energy",
                       k, name, c->leakage_j[j]);
        leak += c->leakage_j[j];
        /* a component outside a view (its declaration) has nothing in it */
        if ((!cs->c[j].energy && (c->energy_j[j] != 0 || c->leakage_j[j] != 0)) ||
            (!cs->c[j].time && (c->time_cycles[j] || c->busy_cycles[j])))
            return bad(why, cap, "chip %" PRIu32 ": %s has a value in a view it does not have", k, name);
        /* activity lies inside the run; each booked interval is rounded to a
         * cycle, so allow that rounding (0.1 %), nothing like a real excess.
         * A chip's link time sums its links to every peer, which carry
         * transfers at once (per-peer PHYs: a star's root sends to all its
         * leaves together), so it is bounded by the run once per peer. */
        uint64_t most = s->cycles + s->cycles / 1000 + 16;
        if (j == cs->system[SYSTEM_LINK] && s->chips > 1)
            most = most > UINT64_MAX / (s->chips - 1) ? UINT64_MAX : most * (s->chips - 1);
        if (c->busy_cycles[j] > most)
            return bad(why, cap, "chip %" PRIu32 ": busy_cycles.%s %" PRIu64 " exceeds the run's %" PRIu64
                       " cycles%s", k, name, c->busy_cycles[j], s->cycles,
                       j == cs->system[SYSTEM_LINK] ? " once per peer" : "");
        if (!add_u64(&time, c->time_cycles[j])) time = UINT64_MAX;
        *energy += c->energy_j[j];
    }
    /* the leakage component is the sum of its per-component split (none
     * without a leakage component) */
    int lc = component_set_leakage(cs);
    double booked = lc >= 0 ? c->energy_j[lc] : 0.0;
    if (!close_to(leak, booked))
        return bad(why, cap, "chip %" PRIu32 ": leakage_j adds up to %g J, energy_j.%s is %g J", k,
                   leak, lc >= 0 ? cs->c[lc].name : "(no leakage component)", booked);
    /* the critical-path partition closes on the makespan exactly (engine contract) */
    if (time != s->cycles)
        return bad(why, cap, "chip %" PRIu32 ": time_cycles add up to %" PRIu64 ", not the run's %" PRIu64
                   " cycles", k, time, s->cycles);
    /* the run's cycles count chip 0's clock */
    if (!isfinite(c->clock_hz) || c->clock_hz <= 0 || (k == 0 && c->clock_hz != s->clock_hz))
        return bad(why, cap, "chip %" PRIu32 ": clock_hz %g is not positive%s", k, c->clock_hz,
                   k == 0 ? " or not the run's clock_hz" : "");
    if (!memchr(c->node, '\0', sizeof c->node) || !c->node[0])
        return bad(why, cap, "chip %" PRIu32 ": no node name", k);
    if (!good_double(c->finish_s) || c->finish_s > s->latency_s * (1 + 1e-9))
        return bad(why, cap, "chip %" PRIu32 ": finish_s %g outside [0, latency_s %g]", k, c->finish_s,
                   s->latency_s);
    if (!add_u64(offchip, c->offchip_bytes) || !add_u64(link, c->link_bytes_sent))
        return bad(why, cap, "chip %" PRIu32 ": byte counts overflow", k);
    return 0;
}

static int check_stamp(const run_stats *s, char *why, size_t cap)
{
    const point_stamp *t = &s->stamp;
    if (!t->config_sha256[0]) {
        if (t->id[0] || t->version[0] || t->mode[0])
            return bad(why, cap, "stamp: config_sha256 missing");
        return 0;   /* unstamped: valid data, just not tied to a configuration */
    }
    if (strlen(t->config_sha256) != SHA256_HEX_LEN ||
        strspn(t->config_sha256, "0123456789abcdef") != SHA256_HEX_LEN)
        return bad(why, cap, "stamp: config_sha256 is not 64 lower-case hex digits");
    if (!t->version[0]) return bad(why, cap, "stamp: mcusim_version is empty");
    if (strcmp(t->mode, stamp_mode(s->functional, s->check_run)))
        return bad(why, cap, "stamp: mode '%s' contradicts functional=%s check_run=%s", t->mode,
                   s->functional ? "true" : "false", s->check_run ? "true" : "false");
    char id[32];
    sweep_point_id(s->chips, s->grid_index, s->sweep[0] != '\0', id, sizeof id);
    if (strcmp(t->id, id))
        return bad(why, cap, "stamp: point id '%s' but chips=%" PRIu32 " grid_index=%" PRIu32 " make it '%s'",
                   t->id, s->chips, s->grid_index, id);
    return 0;
}

int run_stats_check(const run_stats *s, char *why, size_t cap)
{
    if (!s->experiment[0] || !s->model[0]) return bad(why, cap, "experiment or model name is empty");
    if (strcmp(s->mode, "autoregressive") && strcmp(s->mode, "prompt"))
        return bad(why, cap, "mode '%s' is neither autoregressive nor prompt", s->mode);
    if (s->chips < 1 || s->chips > 4096)
        return bad(why, cap, "chips %" PRIu32 " outside 1..4096", s->chips);
    if (!s->per_chip) return bad(why, cap, "no per_chip breakdown");
    char decl[256];
    if (component_set_check(&s->components, decl, sizeof decl) != 0)
        return bad(why, cap, "components: %s", decl);
    if (mem_level_set_check(&s->levels, decl, sizeof decl) != 0)
        return bad(why, cap, "levels: %s", decl);
    if (!s->sweep[0] && s->grid_index)
        return bad(why, cap, "grid_index %" PRIu32 " without sweep assignments", s->grid_index);
    if (!isfinite(s->clock_hz) || s->clock_hz <= 0) return bad(why, cap, "clock_hz %g is not positive", s->clock_hz);
    if (s->cycles == 0) return bad(why, cap, "cycles is 0");
    /* the engine rounds the makespan to the nearest cycle */
    if (!good_double(s->latency_s) ||
        fabs(s->latency_s * s->clock_hz - (double)s->cycles) > 0.5 + 1e-9 * (double)s->cycles)
        return bad(why, cap, "latency_s %.17g is not cycles / clock_hz = %" PRIu64 " / %.17g",
                   s->latency_s, s->cycles, s->clock_hz);
    if (!good_double(s->energy_j)) return bad(why, cap, "energy_j %g is not a finite non-negative energy", s->energy_j);
    /* several inferences in flight: the first done within the run; one: it is the run */
    if (s->in_flight < 1 || s->in_flight > 256)
        return bad(why, cap, "in_flight %" PRIu32 " outside 1..256", s->in_flight);
    if (s->tokens_per_inference < 1) return bad(why, cap, "tokens_per_inference is 0");
    if (!good_double(s->first_done_s) || s->first_done_s <= 0 ||
        s->first_done_s > s->latency_s * (1 + 1e-9) ||
        (s->in_flight == 1 && !close_to(s->first_done_s, s->latency_s)))
        return bad(why, cap, "first_done_s %.17g is not in (0, latency_s %.17g]%s", s->first_done_s,
                   s->latency_s, s->in_flight == 1 ? " and equal to it (in_flight 1)" : "");
    if (!good_double(s->wall_s)) return bad(why, cap, "wall_s %g is not a finite non-negative time", s->wall_s);
    if (s->check_passed && !s->check_run) return bad(why, cap, "check_passed without check_run");
    if (s->check_run && !s->functional) return bad(why, cap, "check_run on a timing-only run");
    double energy = 0;
    uint64_t offchip = 0, link = 0;
    for (uint32_t k = 0; k < s->chips; k++)
        if (check_chip(s, k, &energy, &offchip, &link, why, cap)) return -1;
    if (!close_to(energy, s->energy_j))
        return bad(why, cap, "energy_j %.17g is not the sum of the chips' components %.17g", s->energy_j, energy);
    if (offchip != s->offchip_bytes)
        return bad(why, cap, "offchip_bytes %" PRIu64 " is not the chips' sum %" PRIu64, s->offchip_bytes, offchip);
    if (link != s->link_bytes)
        return bad(why, cap, "link_bytes %" PRIu64 " is not the chips' link_bytes_sent sum %" PRIu64, s->link_bytes, link);
    return check_stamp(s, why, cap);
}
