/* mcusim: dispatch to the verbs (DESIGN.md "Command line"). Each verb gets
 * argv[0] = its own name and the arguments after it, like a program of its
 * own; `mcusim VERB --help` is answered here so every verb has it. */
#include <stdio.h>
#include <string.h>

#include "../config/cfg.h"
#include "cli_common.h"
#include "commands.h"

#ifndef MCUSIM_VERSION
#define MCUSIM_VERSION "0.0.0"
#endif

typedef struct verb {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *synopsis;
    const char *help;
} verb;

static const verb verbs[] = {
    {"run", cmd_run,
     "run EXPERIMENT.yaml [--chips N] [--set key.path=value]... [--out DIR]\n"
     "                   [--timing-only] [--check] [--trace FILE.json] [--dump-program]\n"
     "                   [--max-memory SIZE] [--stats ops]",
     "Simulates one system size (the largest of sweep.chips unless --chips is given) and\n"
     "prints latency, energy, EDP, the per-component breakdown and each chip's placement.\n"
     "--timing-only skips the integer arithmetic (same timing and energy); --check runs the\n"
     "real arithmetic and compares the N-chip output bits with a 1-chip run (exit 1 on a\n"
     "mismatch; not with --timing-only); --trace writes a Perfetto / Chrome trace (a\n"
     "regular file or a new name: op slices, per-chip power and bandwidth counters, link\n"
     "utilisation); --dump-program prints every chip's program (buffers, placement, ops,\n"
     "collective steps); --out DIR writes the summary files and README.md, the folder's\n"
     "index (a folder or a new path); --stats ops records what every op cost, prints the\n"
     "top 10 and, with --out, writes ops.csv. A run whose estimated memory exceeds\n"
     "--max-memory (default: half the RAM) is refused before anything is built (exit 2).\n"
     "One simulation per process."},
    {"sweep", cmd_sweep,
     "sweep EXPERIMENT.yaml [--chips 1,2,4,...] [--sweep key.path=v1,v2,...]...\n"
     "                   [--set key.path=value]... [-j JOBS] [--shard I/N] [--timing-only]\n"
     "                   [--check] [--resume] [--max-memory SIZE] [--point-timeout SECONDS]\n"
     "                   [--stats ops] [--out DIR]",
     "Simulates every chip count of the experiment (or --chips) times every combination\n"
     "of the values of its sweep.vary and of --sweep (which replaces a varied key's\n"
     "values; a point a combination cannot split is listed as not applicable), each point\n"
     "in its own process, -j at a time (default: cores), and writes summary.csv,\n"
     "summary.json, summary.md, SVG plots and README.md (default folder\n"
     "results/<experiment>/); --stats ops adds ops.csv, every op of every point.\n"
     "Every --sweep value and every chip count is checked before any point runs. Each\n"
     "point file is stamped with the SHA-256 of its resolved configuration, the version\n"
     "and the mode; provenance.json records what made the folder. --shard I/N runs a\n"
     "deterministic subset; join shard folders with 'mcusim merge'. A failing point is\n"
     "reported and the others still run (exit 1);\n"
     "--point-timeout (default 3600 s) kills a point that does not return. SIGINT/SIGTERM\n"
     "keep the finished point files and write no summary (exit 128+signal); --resume then\n"
     "reuses the points whose file is valid and stamped for this configuration and re-runs\n"
     "the others. No point file is ever deleted: files not in this sweep's plan are left\n"
     "out of the summary. --max-memory bounds each point's estimated memory (default: half\n"
     "the RAM shared by the -j points)."},
    {"reproduce", cmd_reproduce,
     "reproduce [--out DIR] [--timing-only] [--no-check] [-j N] [--max-memory SIZE]\n"
     "                   [--point-timeout SECONDS]",
     "Sweeps every configs/experiments/<set>/*.yaml of the sets paper, paper-datasheet and\n"
     "beyond into results/<set>/<experiment>/ and writes results/<set>/README.md with the\n"
     "tables and plots (beyond: comparisons of one experiment each; and results/README.md).\n"
     "By default the real arithmetic runs and every point is checked bit for bit against\n"
     "the 1-chip output;\n"
     "--timing-only and --no-check turn those off; --max-memory and --point-timeout go to\n"
     "every sweep."},
    {"merge", cmd_merge, "merge [--out DIR] [--allow-partial] DIR...",
     "Joins the point files of the shards of one sweep into one summary (by default in the\n"
     "first folder); the result equals an unsharded sweep byte for byte. Folders of other\n"
     "sweeps (experiment, --set, mode, version, plan), an experiment file changed since,\n"
     "bad or stale point files and missing points are refused (exit 2, named);\n"
     "--allow-partial joins what is there and marks the summary partial."},
    {"validate", cmd_validate,
     "validate FILE.yaml [--set key.path=value]... [--timing-only] [--max-memory SIZE]",
     "Loads and checks an experiment file as run would for every chip count of sweep.chips\n"
     "(memory estimate for a functional run, or --timing-only; node and link models,\n"
     "partition, topology, placement) and prints every resolved value (defaults filled\n"
     "in, units normalised, sources as comments). A bad config prints one line\n"
     "FILE:LINE:COL: key.path: message on stderr and exits 2 (1 when a program does not\n"
     "fit the node, as run would)."},
    {"calibrate", cmd_calibrate, "calibrate CALIB.yaml [-j N] [--out FILE]",
     "Fits the named node and link parameters of a calibration file, each within its\n"
     "physical bounds, to published targets (weighted least squares of ln(simulated/target),\n"
     "Nelder-Mead on the log-scaled bounds, restarted once; timing-only runs, -j at a time,\n"
     "default: cores). Prints targets against results and the fitted values, flags a value\n"
     "that ends at a bound, and writes the overlay file(s) named in output: (--out FILE also\n"
     "writes the result as JSON). Schema: README \"Calibration\"."},
    {"sensitivity", cmd_sensitivity,
     "sensitivity EXPERIMENT.yaml --chips N [--delta 0.2] [--set key.path=value]...\n"
     "                   [-j N] [--out DIR]",
     "Moves every numeric node and link parameter by -delta and +delta (default 20 %), one\n"
     "at a time (clamped to its valid range, whole numbers rounded; the ratio simulated is\n"
     "used), runs each timing-only at N chips and at 1 chip, in parallel, and writes\n"
     "sensitivity.csv (elasticity d ln metric / d ln parameter and the change at -delta and\n"
     "+delta of latency, energy, speedup and EDP gain; sorted by the largest |elasticity|;\n"
     "skipped parameters last, with the reason) and tornado_<metric>.svg (top 15) to DIR\n"
     "(default results/<experiment>/sensitivity-c<N>/). Prints the 5 most influential\n"
     "parameters per metric."},
    {"explore", cmd_explore,
     "explore EXPERIMENT.yaml [--set key.path=value]... [-j JOBS] [--shard I/N] [--resume]\n"
     "                   [--max-memory SIZE] [--point-timeout SECONDS] [--out DIR]",
     "Searches the design space of the experiment's explore: section (key paths over lists\n"
     "of values or numeric ranges, chips one of them) for the points that meet its\n"
     "constraints and are best in its objectives: every point when the grid has at most\n"
     "max_points (default 10000), else a seeded Latin-hypercube sample without repeats.\n"
     "Each point is a timing-only run in its own process, -j at a time (default: cores),\n"
     "stamped like a sweep point; --shard I/N runs a subset (join with 'mcusim merge'),\n"
     "--resume reuses valid points. A point that cannot be built (the workload does not\n"
     "split over its chips, the program does not fit the node) is recorded infeasible\n"
     "with the reason. Writes points.csv, pareto.csv, best.csv, pareto_<x>_<y>.svg and\n"
     "summary.md (which configuration wins each objective and by how much) to DIR\n"
     "(default results/explore/<experiment>/). Schema: README \"Design-space exploration\"."},
    {"list", cmd_list, "list [KIND]...",
     "Lists every registry (or the KINDs named: links, collectives, partitioners, nodes,\n"
     "models, backends) with its entries, each entry's doc, its parameters with their\n"
     "type or unit, range, default and doc, and deprecated aliases; models lists the model\n"
     "files that workload.model: NAME finds, with their dimensions. An unknown KIND is an\n"
     "error with a did-you-mean (exit 2)."},
    {"links", cmd_links,
     "links [PLUGIN.so | NAME]...  |  links --check (PLUGIN.so | NAME)... [--set key=value]...",
     "Lists the built-in link models (or the named ones, plug-ins by their path) with each\n"
     "parameter, its unit, range, default and doc. --check runs the conformance harness on\n"
     "each (parameters from their defaults and --set): the table passes the load checks,\n"
     "its values round-trip through validate's printing, an instance builds, and every\n"
     "probed transfer is finite and non-negative, monotone in bytes, no dearer at 0 bytes\n"
     "than at 1, and deterministic; one line per property, exit 1 if one fails."},
};
static const size_t n_verbs = sizeof verbs / sizeof verbs[0];

static void print_help(FILE *out)
{
    fprintf(out,
            "mcusim %s - cycle-approximate simulator of multi-chip low-power MCU systems\n"
            "running Transformer inference tensor-parallel over 1..64 chips.\n\n"
            "usage:\n",
            MCUSIM_VERSION);
    for (size_t i = 0; i < n_verbs; i++) fprintf(out, "  mcusim %s\n", verbs[i].synopsis);
    fprintf(out,
            "  mcusim --help | --version   (--version also names the configs/ folder in use)\n\n"
            "`mcusim VERB --help` explains a verb. Exit codes: 0 success, 1 simulation\n"
            "failure, 2 bad usage or bad config. Errors: FILE:LINE:COL: key.path: message.\n");
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stdout);
        return 0;
    }
    const char *v = argv[1];
    if (strcmp(v, "--help") == 0 || strcmp(v, "-h") == 0 || strcmp(v, "help") == 0) {
        print_help(stdout);
        return 0;
    }
    if (strcmp(v, "--version") == 0) {
        char home[4096];
        printf("mcusim %s\nconfigs: %s/configs\n", MCUSIM_VERSION,
               cli_project_dir(home, sizeof home));
        return 0;
    }
    for (size_t i = 0; i < n_verbs; i++) {
        if (strcmp(v, verbs[i].name) != 0) continue;
        if (wants_help(argc - 1, argv + 1)) {
            printf("usage: mcusim %s\n\n%s\n", verbs[i].synopsis, verbs[i].help);
            return 0;
        }
        return verbs[i].fn(argc - 1, argv + 1);
    }
    if (v[0] == '-') {
        fprintf(stderr, "mcusim: unknown option '%s'\n", v);
    } else {
        const char *names[sizeof verbs / sizeof verbs[0]];
        for (size_t i = 0; i < n_verbs; i++) names[i] = verbs[i].name;
        const char *hint = text_did_you_mean(v, names, n_verbs);
        if (hint) fprintf(stderr, "mcusim: unknown verb '%s' (did you mean '%s'?)\n", v, hint);
        else fprintf(stderr, "mcusim: unknown verb '%s'\n", v);
    }
    fprintf(stderr, "run 'mcusim --help' for the list of verbs\n");
    return 2;
}
