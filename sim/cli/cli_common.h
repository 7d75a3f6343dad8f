/* Pieces every verb shares: --set collection, chip lists, loading an
 * experiment with errors printed as FILE:LINE:COL: key.path: message. */
#ifndef MCUSIM_CLI_COMMON_H
#define MCUSIM_CLI_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../experiment/experiment.h"

typedef struct cli_overrides {
    const char **v;     /* "key.path=value" as given after --set */
    size_t n, cap;
} cli_overrides;

int cli_overrides_add(cli_overrides *o, const char *assignment);
void cli_overrides_free(cli_overrides *o);

/* "1,2,4,8" -> list; each 1..4096. Returns 0 or -1 with a message. */
int cli_parse_chips(const char *text, param_uint_list *out, char *err, size_t errlen);

/* --point-timeout SECONDS: > 0, at most a year. 0, or -1 on a bad value. */
int cli_parse_timeout(const char *text, double *out);

/* Loads the experiment (models from cli_configs_dir); on failure prints the
 * error line and returns NULL, on success prints its warnings (deprecated
 * spellings) to stderr. */
experiment *cli_load_experiment(const char *path, const cli_overrides *o);
/* The same, printing no warnings (a sweep point re-loading what the sweep
 * loaded and warned about once). */
experiment *cli_load_experiment_quietly(const char *path, const cli_overrides *o);

/* Each value of the experiment's sweep.vary loads on its own (with the
 * --set overrides; a --set of a varied key leaves that key out, as the
 * sweep does): 0, or prints the first failure at the value's FILE:LINE:COL
 * and returns 2. What validate and run check of sweep.vary (the sweep
 * loads every combination). */
int cli_check_vary(const experiment *e, const char *path, const cli_overrides *sets);

/* The value of option `opt` at argv[*i] ("--opt VALUE", "--opt=VALUE", and
 * for -j also "-jN"; "" when VALUE is missing), advancing *i past a
 * separate VALUE; NULL when argv[*i] is not that option. */
const char *cli_opt_value(const char *opt, int argc, char **argv, int *i);

/* "c0001, c0002, ... and 5 more": up to 10 point ids into buf. */
void cli_ids_line(char *buf, size_t cap, char *const *ids, size_t n);

/* Prints "mcusim VERB: message" to stderr and returns 2. */
int cli_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* -j value: 1..1024 into *out, or a usage error (returns 2). */
int cli_parse_jobs(const char *verb, const char *v, unsigned *out);

/* The workload splits over `chips` (partition and collective schedule
 * build, no simulation); false with the reason otherwise. */
bool cli_chips_simulable(const experiment *e, uint32_t chips, char *why, size_t cap);

/* "--max-memory 4 GiB": a size with a unit ("4GiB", "512 MiB") into *out.
 * 0, or prints "mcusim VERB: OPT: reason" and returns 2. */
int cli_parse_size(const char *verb, const char *opt, const char *text, uint64_t *out);

/* --stats LIST: what to collect beyond the summary; "ops" (per-op rows,
 * ops.csv) is the one kind today. A comma list; an unknown kind is a usage
 * error naming the kinds (returns 2), else 0. */
int cli_parse_stats(const char *verb, const char *text, bool *ops);

/* The per-op rows of each point of a summary from DIR/ops/<id>.json of
 * the dirs (ops_attach); a file that does not belong to its point is named
 * on stderr ("mcusim VERB: ..."). -1 when out of memory. */
struct run_stats;
int cli_attach_ops(const char *verb, const char *const *dirs, size_t n_dirs,
                   struct run_stats *rows, size_t n_rows);

/* "mcusim ARGV[0] ARGV[1]..." (argv[0] is the verb), each argument
 * shell-quoted when it needs it: the command line of provenance.json.
 * malloc'd; NULL when out of memory. */
char *cli_command_line(int argc, char *const *argv);

/* The folder holding configs/, into buf (returned): $MCUSIM_HOME if set;
 * else the running binary's folder, then its parent, whichever has a
 * configs/ folder; else the source tree the binary was built from. */
const char *cli_project_dir(char *buf, size_t len);
/* Its configs/ folder, where `workload.model: NAME` is looked up. */
const char *cli_configs_dir(char *buf, size_t len);

#endif
