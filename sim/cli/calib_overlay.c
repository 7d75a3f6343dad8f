/* Writing a calibrated overlay (see calib_overlay.h). */
#include "calib_overlay.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/report.h"

#define MAX_PARTS 128

static size_t split(char *path, char **parts)
{
    size_t n = 0;
    for (char *tok = strtok(path, "/"); tok && n < MAX_PARTS; tok = strtok(NULL, "/")) parts[n++] = tok;
    return n;
}

int calib_relative_path(const char *from_dir, const char *target, char *out, size_t cap)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(from_dir, a) || !realpath(target, b)) return -1;
    char *pa[MAX_PARTS], *pb[MAX_PARTS];
    size_t na = split(a, pa), nb = split(b, pb), common = 0;
    while (common < na && common < nb && strcmp(pa[common], pb[common]) == 0) common++;
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = common; i < na && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "../");
    for (size_t i = common; i < nb && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s", pb[i], i + 1 < nb ? "/" : "");
    return used < cap ? 0 : -1;
}

/* The folder part of a file path ("." when it has none). */
static void dir_of(const char *file, char *out, size_t cap)
{
    const char *slash = strrchr(file, '/');
    if (!slash) snprintf(out, cap, ".");
    else if (slash == file) snprintf(out, cap, "/");
    else snprintf(out, cap, "%.*s", (int)(slash - file), file);
}

static void yaml_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* One key the overlay sets, in the order of its model's parameter table. */
typedef struct entry {
    const param_ref *ref;
    const calib_param *fitted;    /* NULL: carried over from set: */
    size_t param;                 /* index into params when fitted */
} entry;

static int by_index(const void *a, const void *b)
{
    size_t x = ((const entry *)a)->ref->index, y = ((const entry *)b)->ref->index;
    return x < y ? -1 : x > y;
}

/* Value of a key carried over from set:, as the experiments hold it. */
static void carried_value(FILE *f, const experiment *e, const param_ref *r)
{
    const param_spec *s = r->spec;
    const char *field =
        (r->link ? (const char *)e->link_params : (const char *)e->node_params) + s->offset;
    char buf[128];
    switch (s->type) {
    case PARAM_BOOL: fputs(*(const bool *)field ? "true" : "false", f); return;
    case PARAM_ENUM: {
        int v = *(const int *)field, n = 0;
        while (s->enum_names && s->enum_names[n]) n++;
        fputs(v >= 0 && v < n ? s->enum_names[v] : "", f);
        return;
    }
    case PARAM_STRING: yaml_quoted(f, field); return;
    case PARAM_UINT_LIST: {
        const param_uint_list *l = (const param_uint_list *)field;
        fputc('[', f);
        for (size_t i = 0; i < l->n; i++) fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)l->v[i]);
        fputc(']', f);
        return;
    }
    default:
        param_ref_value_text(r, param_ref_get(e, r), NULL, 0, buf, sizeof buf);
        fputs(buf, f);
    }
}

static void write_entries(FILE *f, const calib_spec *c, const calib_result *r, entry *v, size_t n)
{
    const char *prev = "";
    for (size_t i = 0; i < n; i++) {
        const char *key = v[i].ref->spec->key;
        size_t start = cfg_key_shared_prefix(prev, key);
        int depth = 0;
        for (size_t j = 0; j < start; j++) depth += key[j] == '.';
        const char *p = key + start, *dot;
        while ((dot = strchr(p, '.')) != NULL) {
            fprintf(f, "%*s%.*s:\n", 2 * depth, "", (int)(dot - p), p);
            depth++;
            p = dot + 1;
        }
        const calib_param *cp = v[i].fitted;
        int ind = 2 * depth;
        if (cp) {
            fprintf(f, "%*s# fitted within [%s, %s] from %s%s\n", ind, "", cp->min_text,
                    cp->max_text, cp->start_text, cp->has_start ? "" : " (geometric mean of the bounds)");
            fprintf(f, "%*s# reason: %s\n", ind, "", cp->reason);
            int at = r->at_bound[v[i].param];
            if (at)
                fprintf(f, "%*s# AT ITS %s BOUND (within %g %%): the targets ask for a value "
                           "outside the physical bounds\n", ind, "", at < 0 ? "LOWER" : "UPPER",
                        100 * CALIB_AT_BOUND);
            fprintf(f, "%*s%s: %s\n", ind, "", p, r->texts[v[i].param]);
        } else {
            fprintf(f, "%*s%s: ", ind, "", p);
            carried_value(f, c->exps[0].e, v[i].ref);
            fputs("  # not fitted: set by the calibration file (set:)\n", f);
        }
        prev = key;
    }
}

static void write_header(FILE *f, const calib_spec *c, bool link, const calib_result *r,
                         const char *dir)
{
    char rel[PATH_MAX];
    const char *calib = calib_relative_path(dir, c->path, rel, sizeof rel) == 0 ? rel : c->path;
    fprintf(f, "# Calibrated %s overlay, written by `mcusim calibrate`: do not edit by hand,\n"
               "# change the calibration file and rerun it. It loads like any %s file\n"
               "# (`%s: {base: THIS_FILE}` or `!include THIS_FILE`).\n#\n",
            link ? "link" : "node", link ? "link" : "node", link ? "link" : "node");
    fprintf(f, "# calibration: %s (name: %s)\n", calib, c->name);
    if (c->description[0]) fprintf(f, "# description: %s\n", c->description);
    fprintf(f, "# command, from this file's folder: mcusim calibrate %s\n", calib);
    fprintf(f, "# experiments:\n");
    for (size_t i = 0; i < c->n_exps; i++) {
        char er[PATH_MAX];
        const char *shown =
            calib_relative_path(dir, c->exps[i].path, er, sizeof er) == 0 ? er : c->exps[i].path;
        fprintf(f, "#   %s: %s\n", c->exps[i].e->name, shown);
    }
    if (c->n_sets) {
        fprintf(f, "# every run with set:");
        for (size_t i = 0; i < c->n_sets; i++) fprintf(f, "%s %s", i ? ";" : "", c->sets[i]);
        fputc('\n', f);
    }
    fprintf(f, "# method: minimum of the weighted sum of squared ln(simulated/target) over the\n"
               "#   parameters' log-scaled bounds, Nelder-Mead restarted once from its best point;\n"
               "#   %zu evaluations (%zu timing-only runs), %s, objective %.6g\n",
            r->evals, r->runs, r->converged ? "converged" : "NOT converged", r->objective);
    fprintf(f, "# targets: experiment, chips, metric: target -> simulated (relative error, ln error,\n"
               "#   weight); source\n");
    for (size_t t = 0; t < c->n_targets; t++) {
        const calib_target *tg = &c->targets[t];
        double sim = r->sims[t];
        fprintf(f, "#   %s, %u chip%s, %s: %.6g -> %.6g %s (%+.3f %%, ln %+.3g, weight %g); %s\n",
                c->exps[tg->exp].e->name, tg->chips, tg->chips == 1 ? "" : "s", tg->metric->name,
                tg->value, sim, metric_unit(tg->metric), 100 * (sim / tg->value - 1),
                log(fmax(sim, CALIB_FLOOR * tg->value) / tg->value), tg->weight, tg->source);
    }
}

int calib_write_overlay(const calib_spec *c, bool link, const calib_result *r, char *err,
                        size_t errlen)
{
    const calib_output *o = link ? &c->link_out : &c->node_out;
    char dir[PATH_MAX], base_rel[PATH_MAX];
    dir_of(o->file, dir, sizeof dir);
    if (report_make_dirs(dir, err, errlen) != 0) return -1;
    if (calib_relative_path(dir, o->base, base_rel, sizeof base_rel) != 0) {
        snprintf(err, errlen, "%s: cannot name its base %s relative to it", o->file, o->base);
        return -1;
    }
    /* The keys: fitted ones of this section, then those set: overrode. */
    const experiment *e0 = c->exps[0].e;
    size_t n_all = param_ref_count(e0);
    param_ref *all = calloc(n_all ? n_all : 1, sizeof *all);
    entry *v = calloc(n_all + c->n_params + 1, sizeof *v);
    if (!all || !v) {
        free(all);
        free(v);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    param_ref_list(e0, all, n_all);
    size_t n = 0;
    for (size_t i = 0; i < c->n_params; i++)
        if (c->params[i].ref.link == link) v[n++] = (entry){&c->params[i].ref, &c->params[i], i};
    for (size_t k = 0; k < n_all; k++) {
        if (all[k].link != link) continue;
        bool fitted = false, set = false;
        for (size_t i = 0; i < c->n_params; i++) fitted |= strcmp(c->params[i].ref.key, all[k].key) == 0;
        for (size_t s = 0; s < c->n_sets; s++) {
            char key[PARAM_KEY_MAX];
            size_t len = strcspn(c->sets[s], "=");
            while (len > 0 && c->sets[s][len - 1] == ' ') len--;
            snprintf(key, sizeof key, "%.*s", (int)len, c->sets[s]);
            size_t kl = strlen(key);
            set |= strcmp(key, all[k].key) == 0 ||
                   (strncmp(all[k].key, key, kl) == 0 && all[k].key[kl] == '.');
        }
        if (set && !fitted) v[n++] = (entry){&all[k], NULL, 0};
    }
    qsort(v, n, sizeof *v, by_index);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = -1;
    if (!f) {
        snprintf(err, errlen, "out of memory");
    } else {
        fprintf(f, "base: %s\n", base_rel);
        write_header(f, c, link, r, dir);
        write_entries(f, c, r, v, n);
        int bad = ferror(f);
        fclose(f);
        if (bad) snprintf(err, errlen, "%s: could not format the overlay", o->file);
        else rc = report_write_file_atomic(o->file, buf, len, err, errlen);
    }
    free(buf);
    free(all);
    free(v);
    return rc;
}
