/* Pieces every verb shares (see cli_common.h). */
#include "cli_common.h"

#include "../report/metrics.h"
#include "../report/ops_file.h"

#include "../../core/program.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_overrides_add(cli_overrides *o, const char *assignment)
{
    if (!assignment || !strchr(assignment, '=')) return -1;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 8;
        const char **v = realloc(o->v, cap * sizeof *v);
        if (!v) return -1;
        o->v = v;
        o->cap = cap;
    }
    o->v[o->n++] = assignment;
    return 0;
}

void cli_overrides_free(cli_overrides *o)
{
    free(o->v);
    o->v = NULL;
    o->n = o->cap = 0;
}

int cli_parse_chips(const char *text, param_uint_list *out, char *err, size_t errlen)
{
    param_uint_list l = {.n = 0};
    const char *p = text ? text : "";
    if (!*p) {
        snprintf(err, errlen, "empty chip list");
        return -1;
    }
    while (*p) {
        if (l.n == PARAM_LIST_MAX) {
            snprintf(err, errlen, "more than %d chip counts", PARAM_LIST_MAX);
            return -1;
        }
        char *end = NULL;
        errno = 0;
        unsigned long long v = (*p >= '0' && *p <= '9') ? strtoull(p, &end, 10) : 0;
        if (!end || end == p || errno || (*end && *end != ',')) {
            snprintf(err, errlen, "'%s' is not a comma-separated list of chip counts", text);
            return -1;
        }
        if (v < 1 || v > 4096) {
            snprintf(err, errlen, "chip count %llu out of range [1, 4096]", v);
            return -1;
        }
        for (size_t i = 0; i < l.n; i++)
            if (l.v[i] == v) {
                snprintf(err, errlen, "chip count %llu given twice", v);
                return -1;
            }
        l.v[l.n++] = v;
        p = *end ? end + 1 : end;
        if (*end == ',' && !*p) {
            snprintf(err, errlen, "'%s' ends with a comma", text);
            return -1;
        }
    }
    *out = l;
    return 0;
}

/* The reference block names metrics of the report's table; the loader
 * (below the report layer) keeps them as written, so they are checked here,
 * at their place in the file. */
static int check_reference_metrics(const experiment *e, cfg_error *err)
{
    const char *names[64];
    size_t nn = 0;
    for (; nn < metric_count() && nn < 64; nn++) names[nn] = metric_at(nn)->name;
    for (size_t i = 0; i < e->n_reference; i++)
        for (size_t k = 0; k < e->reference[i].n; k++) {
            const reference_value *v = &e->reference[i].v[k];
            if (metric_find(v->metric)) continue;
            char path[96], list[512];
            snprintf(path, sizeof path, "reference.rows[%zu].%s", i, v->metric);
            metric_names(list, sizeof list);
            const char *hint = text_did_you_mean(v->metric, names, nn);
            return cfg_fail(err, cfg_node_file(v->at), cfg_node_line(v->at), cfg_node_col(v->at),
                            path, "unknown metric '%s'%s%s%s; metrics: %s", v->metric,
                            hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "",
                            list);
        }
    return 0;
}

static experiment *load(const char *path, const cli_overrides *o, bool warn)
{
    cfg_error err;
    memset(&err, 0, sizeof err);
    char configs[PATH_MAX];
    experiment *e = experiment_load(path, cli_configs_dir(configs, sizeof configs),
                                    o ? o->v : NULL, o ? o->n : 0, &err);
    if (e && check_reference_metrics(e, &err) != 0) {
        experiment_destroy(e);
        e = NULL;
    }
    if (!e) cfg_error_print(&err, stderr);
    for (size_t i = 0; e && warn && i < e->n_warnings; i++)
        fprintf(stderr, "%s\n", e->warnings[i]);
    return e;
}

int cli_check_vary(const experiment *e, const char *path, const cli_overrides *sets)
{
    for (size_t i = 0; i < e->n_vary; i++) {
        const vary_axis *x = &e->vary[i];
        bool set = false;   /* --set of the key: not varied (the sweep's rule) */
        for (size_t k = 0; sets && k < sets->n && !set; k++) {
            const char *eq = strchr(sets->v[k], '=');
            set = eq && (size_t)(eq - sets->v[k]) == strlen(x->key) &&
                  !strncmp(sets->v[k], x->key, strlen(x->key));
        }
        for (size_t v = 0; v < x->n && !set; v++) {
            size_t n = sets ? sets->n : 0;
            const char **all = malloc((n + 1) * sizeof *all);
            char assign[EXPERIMENT_VARY_KEY_MAX + EXPERIMENT_VARY_VALUE_MAX + 2];
            if (!all) return cli_usage_error("validate", "out of memory");
            for (size_t k = 0; k < n; k++) all[k] = sets->v[k];
            snprintf(assign, sizeof assign, "%s=%s", x->key, x->values[v]);
            all[n] = assign;
            cfg_error err;
            memset(&err, 0, sizeof err);
            char configs[PATH_MAX];
            experiment *one = experiment_load(path, cli_configs_dir(configs, sizeof configs), all,
                                              n + 1, &err);
            free(all);
            if (one) {
                experiment_destroy(one);
                continue;
            }
            const cfg_node *at = x->value_at[v];
            fprintf(stderr, "%s:%d:%d: %s: %s\n", cfg_node_file(at), cfg_node_line(at),
                    cfg_node_col(at), err.path[0] ? err.path : x->key, err.msg);
            return 2;
        }
    }
    return 0;
}

const char *cli_opt_value(const char *opt, int argc, char **argv, int *i)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] == '\0') return *i + 1 < argc ? argv[++*i] : "";
    if (!strcmp(opt, "-j")) return argv[*i] + n;
    return NULL;
}

void cli_ids_line(char *buf, size_t cap, char *const *ids, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < 10 && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", ids[i]);
    if (n > 10 && len < cap) snprintf(buf + len, cap - len, " and %zu more", n - 10);
}

experiment *cli_load_experiment(const char *path, const cli_overrides *o)
{
    return load(path, o, true);
}

experiment *cli_load_experiment_quietly(const char *path, const cli_overrides *o)
{
    return load(path, o, false);
}

int cli_usage_error(const char *verb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mcusim %s: ", verb);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

int cli_parse_size(const char *verb, const char *opt, const char *text, uint64_t *out)
{
    double v;
    char why[256];
    if (unit_parse(text, DIM_BYTES, &v, why, sizeof why) != 0)
        return cli_usage_error(verb, "%s '%s': %s", opt, text, why);
    if (!(v >= 1) || v > 1.8e19)
        return cli_usage_error(verb, "%s '%s': expected at least 1 B and at most 16 EiB", opt, text);
    *out = (uint64_t)v;
    return 0;
}

int cli_parse_jobs(const char *verb, const char *v, unsigned *out)
{
    char *end;
    long j = strtol(v, &end, 10);
    if (!*v || *end || j < 1 || j > 1024) return cli_usage_error(verb, "-j '%s': expected 1..1024", v);
    *out = (unsigned)j;
    return 0;
}

bool cli_chips_simulable(const experiment *e, uint32_t chips, char *why, size_t cap)
{
    system_program *p = partition_build(&e->workload, chips, false, why, cap);
    if (!p) return false;
    bool ok = topology_expand(&e->topology, p, why, cap) == 0;
    system_program_destroy(p);
    return ok;
}

/* Quoted unless made only of characters no shell treats specially. */
static bool needs_quotes(const char *a)
{
    if (!*a) return true;
    for (; *a; a++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=/.,:@%", *a))
            return true;
    return false;
}

char *cli_command_line(int argc, char *const *argv)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    fputs("mcusim", f);
    for (int i = 0; i < argc; i++) {
        fputc(' ', f);
        if (!needs_quotes(argv[i])) { fputs(argv[i], f); continue; }
        fputc('\'', f);
        for (const char *c = argv[i]; *c; c++) {
            if (*c == '\'') fputs("'\\''", f);
            else fputc(*c, f);
        }
        fputc('\'', f);
    }
    if (fclose(f) != 0) { free(buf); return NULL; }
    return buf;
}

/* Seconds, > 0 and at most a year (a finite deadline for every point). */
int cli_parse_timeout(const char *v, double *out)
{
    char *end;
    errno = 0;
    double s = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(s) || s <= 0 || s > 365.0 * 86400) return -1;
    *out = s;
    return 0;
}

int cli_parse_stats(const char *verb, const char *text, bool *ops)
{
    if (!*text) return cli_usage_error(verb, "--stats needs a value: ops");
    for (const char *p = text;;) {
        size_t len = strcspn(p, ",");
        if (len == 3 && !strncmp(p, "ops", 3)) *ops = true;
        else
            return cli_usage_error(verb, "--stats '%.*s': unknown, expected ops (per-op rows: ops.csv)",
                                   (int)len, p);
        if (!p[len]) return 0;
        p += len + 1;
    }
}

int cli_attach_ops(const char *verb, const char *const *dirs, size_t n_dirs, run_stats *rows,
                   size_t n_rows)
{
    char **notes = NULL;
    size_t n = 0;
    int rc = ops_attach(dirs, n_dirs, rows, n_rows, &notes, &n);
    if (rc) fprintf(stderr, "mcusim %s: out of memory reading the per-op rows\n", verb);
    for (size_t i = 0; i < n; i++) {
        if (i < 10) fprintf(stderr, "mcusim %s: left out of ops.csv: %s\n", verb, notes[i]);
        free(notes[i]);
    }
    if (n > 10) fprintf(stderr, "mcusim %s: left out of ops.csv: %zu more\n", verb, n - 10);
    free(notes);
    return rc;
}
