/* run_stats_check and point_file_load: a consistent point passes; each way
 * a point file can lie (negative, non-finite or out-of-range figures,
 * totals that are not the sum of the chips, critical-path times that do not
 * add up to the run, another point's data, a truncated file, another
 * configuration's stamp) is refused with the field named. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../sim/report/point_file.h"
#include "../../sim/report/run_stats_check.h"
#include "../../sim/experiment/sweep_plan.h"
#include "cunit_main.h"
#include "test_report_synth.h"
#include "test_scratch.h"

static void stamped(run_stats *s, unsigned chips, unsigned grid)
{
    synth_stats(s, "fake", chips, grid);
    char id[32];
    sweep_point_id(chips, grid, s->sweep[0] != '\0', id, sizeof id);
    snprintf(s->stamp.id, sizeof s->stamp.id, "%s", id);
    sha256_hex("config", 6, s->stamp.config_sha256);
    snprintf(s->stamp.version, sizeof s->stamp.version, "%s", stamp_version());
    snprintf(s->stamp.mode, sizeof s->stamp.mode, "%s", stamp_mode(s->functional, s->check_run));
}

/* The check rejects s, naming `field` in its reason. */
static void assert_rejected(const run_stats *s, const char *field)
{
    char why[512] = "";
    CU_ASSERT_NOT_EQUAL(run_stats_check(s, why, sizeof why), 0);
    if (!strstr(why, field)) fprintf(stderr, "\n  want '%s' in: %s\n", field, why);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, field));
}

static void test_consistent_points_pass(void)
{
    static const unsigned chips[] = {1, 2, 3, 8, 64};
    for (size_t i = 0; i < 5; i++)
        for (unsigned g = 0; g < 3; g++) {
            run_stats s;
            stamped(&s, chips[i], g);
            char why[512] = "";
            CU_ASSERT_EQUAL(run_stats_check(&s, why, sizeof why), 0);
            if (why[0]) fprintf(stderr, "\n  %u chips grid %u: %s\n", chips[i], g, why);
            free(s.per_chip);
        }
}

typedef void (*mutation)(run_stats *s);
static void neg_energy(run_stats *s) { s->energy_j = -s->energy_j; }
static void nan_energy(run_stats *s) { s->energy_j = NAN; }
static void inf_latency(run_stats *s) { s->latency_s = INFINITY; }
static void five_cycles(run_stats *s) { s->cycles = 5; }
static void zero_clock(run_stats *s) { s->clock_hz = 0; }
static void chip_energy_neg(run_stats *s) { s->per_chip[1].energy_j[SYN_SRAM] = -1e-6; }
static void energy_not_sum(run_stats *s) { s->energy_j *= 1.001; }
static void time_short(run_stats *s) { s->per_chip[2].time_cycles[SYN_WAIT] -= 1; }
static void busy_beyond(run_stats *s) { s->per_chip[0].busy_cycles[SYN_CORE] = 2 * s->cycles; }
/* 4 chips: chip 0's links to its 3 peers can all be busy the whole run */
static void link_beyond_peers(run_stats *s) { s->per_chip[0].busy_cycles[SYN_LINK] = 4 * s->cycles; }
static void finish_late(run_stats *s) { s->per_chip[3].finish_s = s->latency_s * 1.01; }
static void offchip_sum(run_stats *s) { s->offchip_bytes += 1; }
static void link_sum(run_stats *s) { s->per_chip[0].link_bytes_sent += 7; }
static void chips_zero(run_stats *s) { s->chips = 0; }
static void bad_mode(run_stats *s) { snprintf(s->mode, sizeof s->mode, "decode"); }
static void check_without_run(run_stats *s) { s->check_passed = true; s->check_run = false; }
static void check_timing_only(run_stats *s) { s->check_run = true; s->functional = false; }
static void stamp_id(run_stats *s) { snprintf(s->stamp.id, sizeof s->stamp.id, "g001-c0002"); }
static void stamp_mode_lie(run_stats *s) { snprintf(s->stamp.mode, sizeof s->stamp.mode, "timing-only"); }
static void stamp_hash(run_stats *s) { s->stamp.config_sha256[5] = 'Z'; }
static void grid_without_sweep(run_stats *s) { s->grid_index = 3; }
static void wall_negative(run_stats *s) { s->wall_s = -1; }
/* chip 0's clock is what the run's cycles count */
static void chip0_clock(run_stats *s) { s->per_chip[0].clock_hz *= 2; }
static void chip_clock_zero(run_stats *s) { s->per_chip[2].clock_hz = 0; }
static void chip_no_node(run_stats *s) { s->per_chip[1].node[0] = '\0'; }
/* the declared components are checked as well as the figures in them */
static void leak_not_split(run_stats *s) { s->per_chip[1].leakage_j[SYN_CORE] *= 2; }
static void time_in_energy_view(run_stats *s) { s->per_chip[0].busy_cycles[SYN_SRAM] = 1; }
static void twice_declared(run_stats *s) { snprintf(s->components.c[SYN_SRAM].name, 16, "core"); }
static void no_wait(run_stats *s) { s->components.n = SYN_WAIT; }

static void test_each_lie_is_refused(void)
{
    static const struct { mutation m; const char *field; } cases[] = {
        {neg_energy, "energy_j"},         {nan_energy, "energy_j"},
        {inf_latency, "latency_s"},       {five_cycles, "latency_s"},
        {zero_clock, "clock_hz"},         {chip_energy_neg, "chip 1: energy_j.sram"},
        {energy_not_sum, "sum of the chips' components"},
        {time_short, "chip 2: time_cycles add up to"},
        {busy_beyond, "chip 0: busy_cycles.core"},
        {link_beyond_peers, "chip 0: busy_cycles.link"},
        {leak_not_split, "chip 1: leakage_j adds up to"},
        {time_in_energy_view, "chip 0: sram has a value in a view it does not have"},
        {twice_declared, "components: component 'core': declared twice"},
        {no_wait, "components: component 'wait'"},
        {finish_late, "chip 3: finish_s"},  {offchip_sum, "offchip_bytes"},
        {link_sum, "link_bytes"},         {chips_zero, "chips 0"},
        {bad_mode, "mode 'decode'"},      {check_without_run, "check_passed without check_run"},
        {check_timing_only, "check_run on a timing-only run"},
        {stamp_id, "stamp: point id"},    {stamp_mode_lie, "stamp: mode"},
        {stamp_hash, "config_sha256"},    {grid_without_sweep, "grid_index"},
        {wall_negative, "wall_s"},
        {chip0_clock, "chip 0: clock_hz"}, {chip_clock_zero, "chip 2: clock_hz 0"},
        {chip_no_node, "chip 1: no node name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_stats s;
        stamped(&s, 4, 0);
        cases[i].m(&s);
        assert_rejected(&s, cases[i].field);
        free(s.per_chip);
    }
}

/* A chip's link time sums its links to every peer, busy at once (a star's
 * root): up to the run once per peer is consistent, as a core is not. */
static void test_links_busy_at_once_pass(void)
{
    run_stats s;
    stamped(&s, 4, 0);
    s.per_chip[0].busy_cycles[SYN_LINK] = 3 * s.cycles;
    char why[512] = "";
    CU_ASSERT_EQUAL(run_stats_check(&s, why, sizeof why), 0);
    if (why[0]) fprintf(stderr, "\n  %s\n", why);
    free(s.per_chip);
}

static char *scratch(void)
{
    char tmpl[] = "/tmp/mcusim_point_XXXXXX";
    return strdup(mkdtemp(tmpl));
}

static planned_point plan_of(const run_stats *s)
{
    planned_point p;
    memset(&p, 0, sizeof p);
    p.stamp = s->stamp;
    snprintf(p.sweep, sizeof p.sweep, "%s", s->sweep);
    return p;
}

/* write -> load gives OK and the same figures; every other case its status. */
static void test_point_file_statuses(void)
{
    char *dir = scratch();
    char path[4200], other[4200], why[600];
    run_stats s, back;
    stamped(&s, 4, 0);
    planned_point want = plan_of(&s);
    snprintf(path, sizeof path, "%s/c0004.json", dir);
    CU_ASSERT_EQUAL(point_file_load(path, &want, &back, why, sizeof why), POINT_MISSING);
    CU_ASSERT_EQUAL_FATAL(point_file_write(path, &s, why, sizeof why), 0);
    CU_ASSERT_EQUAL_FATAL(point_file_load(path, &want, &back, why, sizeof why), POINT_OK);
    CU_ASSERT_EQUAL(back.cycles, s.cycles);
    CU_ASSERT_EQUAL(back.energy_j, s.energy_j);
    CU_ASSERT_STRING_EQUAL(back.stamp.config_sha256, s.stamp.config_sha256);
    free(back.per_chip);
    /* another configuration expected: stale */
    planned_point b = want;
    sha256_hex("other", 5, b.stamp.config_sha256);
    CU_ASSERT_EQUAL(point_file_load(path, &b, &back, why, sizeof why), POINT_STALE);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "configuration changed"));
    CU_ASSERT_PTR_NULL(back.per_chip);
    /* another version or mode expected: stale */
    b = want;
    snprintf(b.stamp.version, sizeof b.stamp.version, "0.0.0-old");
    CU_ASSERT_EQUAL(point_file_load(path, &b, &back, why, sizeof why), POINT_STALE);
    b = want;
    snprintf(b.stamp.mode, sizeof b.stamp.mode, "timing-only");
    CU_ASSERT_EQUAL(point_file_load(path, &b, &back, why, sizeof why), POINT_STALE);
    /* the same file under another point's name: bad */
    snprintf(other, sizeof other, "%s/c0002.json", dir);
    CU_ASSERT_EQUAL(rename(path, other), 0);
    run_stats two;
    stamped(&two, 2, 0);
    planned_point want2 = plan_of(&two);
    CU_ASSERT_EQUAL(point_file_load(other, &want2, &back, why, sizeof why), POINT_BAD);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "holds point c0004"));
    /* every truncation of a valid file: bad, never OK */
    size_t len = 0;
    char *text = synth_slurp(other, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    size_t ok = 0;
    for (size_t cut = 0; cut < len; cut += 1 + len / 97) {
        FILE *f = fopen(path, "w");
        fwrite(text, 1, cut, f);
        fclose(f);
        ok += point_file_load(path, &want, &back, why, sizeof why) == POINT_OK;
        free(back.per_chip);
    }
    CU_ASSERT_EQUAL(ok, 0);
    free(text);
    /* an unstamped (older) file: stale */
    run_stats old = s;
    memset(&old.stamp, 0, sizeof old.stamp);
    CU_ASSERT_EQUAL_FATAL(point_file_write(path, &old, why, sizeof why), 0);
    CU_ASSERT_EQUAL(point_file_load(path, &want, &back, why, sizeof why), POINT_STALE);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no provenance stamp"));
    /* invalid statistics are never written */
    s.energy_j = -1;
    CU_ASSERT_NOT_EQUAL(point_file_write(path, &s, why, sizeof why), 0);
    free(s.per_chip);
    free(two.per_chip);
    rm_rf(dir);
    free(dir);
}

static void test_stamp_compare_names_the_difference(void)
{
    point_stamp a, b;
    memset(&a, 0, sizeof a);
    snprintf(a.id, sizeof a.id, "c0004");
    sha256_hex("x", 1, a.config_sha256);
    snprintf(a.version, sizeof a.version, "1.0");
    snprintf(a.mode, sizeof a.mode, "functional");
    char why[256];
    b = a;
    CU_ASSERT_EQUAL(stamp_compare(&a, &b, why, sizeof why), 0);
    snprintf(b.version, sizeof b.version, "1.1");
    CU_ASSERT_NOT_EQUAL(stamp_compare(&a, &b, why, sizeof why), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "simulated by mcusim 1.0, this sweep 1.1"));
    b = a;
    snprintf(b.mode, sizeof b.mode, "functional+check");
    CU_ASSERT_NOT_EQUAL(stamp_compare(&a, &b, why, sizeof why), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "mode functional, this sweep functional+check"));
    CU_ASSERT_STRING_EQUAL(stamp_mode(false, false), "timing-only");
    CU_ASSERT_STRING_EQUAL(stamp_mode(true, false), "functional");
    CU_ASSERT_STRING_EQUAL(stamp_mode(true, true), "functional+check");
}

static int register_tests(void)
{
    ADD_SUITE("report_point_check", TEST(test_consistent_points_pass), TEST(test_each_lie_is_refused),
              TEST(test_links_busy_at_once_pass),
              TEST(test_point_file_statuses), TEST(test_stamp_compare_names_the_difference));
    return 0;
}

CUNIT_MAIN(register_tests)
