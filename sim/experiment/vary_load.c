/* sweep.vary (see experiment_sections.h): the keys an experiment file
 * varies, with its own values, so that one file holds a comparison (a
 * partitioner or collective study is one experiment whose summary table is
 * the comparison). Everything about the keys and values that the file alone
 * decides is checked here, each error at its FILE:LINE:COL; whether a value
 * loads is the sweep's check, which loads every combination. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment_sections.h"

/* A dotted key path: components of [A-Za-z0-9_-], no empty one. */
static bool key_ok(const char *k)
{
    if (!k[0] || k[0] == '.') return false;
    for (const char *c = k; *c; c++) {
        bool word = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                    (*c >= '0' && *c <= '9') || *c == '_' || *c == '-';
        if (!word && !(*c == '.' && c[1] && c[1] != '.')) return false;
    }
    return true;
}

/* a == b, or one is a dotted prefix of the other ("a.b" and "a.b.c"). */
static bool overlap(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
    if (strncmp(a, b, n)) return false;
    return la == lb || (la < lb ? b[la] == '.' : a[lb] == '.');
}

static int load_values(vary_axis *x, const cfg_node *list, const char *path, cfg_error *err)
{
    char at[256], msg[300];
    if (cfg_node_kind(list) != CFG_SEQ || cfg_size(list) == 0)
        return cfg_fail_at(err, list, path, "expected a non-empty list of values, e.g. [a, b]");
    if (cfg_size(list) > EXPERIMENT_VARY_VALUES) {
        snprintf(msg, sizeof msg, "more than %d values", EXPERIMENT_VARY_VALUES);
        return cfg_fail_at(err, cfg_seq_at(list, EXPERIMENT_VARY_VALUES), path, msg);
    }
    for (size_t i = 0; i < cfg_size(list); i++) {
        const cfg_node *v = cfg_seq_at(list, i);
        const char *text = cfg_scalar(v);
        snprintf(at, sizeof at, "%s[%zu]", path, i);
        if (!text || !text[0])
            return cfg_fail_at(err, v, at, "expected a scalar value (as --sweep takes: a number, a "
                                       "quantity or a name)");
        if (strlen(text) >= EXPERIMENT_VARY_VALUE_MAX) {
            snprintf(msg, sizeof msg, "value longer than %d characters",
                     EXPERIMENT_VARY_VALUE_MAX - 1);
            return cfg_fail_at(err, v, at, msg);
        }
        if (strpbrk(text, ",;"))
            return cfg_fail_at(err, v, at, "a value cannot hold ',' or ';' (they separate the "
                                       "sweep column of summary.csv)");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(x->values[j], text)) {
                snprintf(msg, sizeof msg, "value '%s' given twice", text);
                return cfg_fail_at(err, v, at, msg);
            }
        snprintf(x->values[i], sizeof x->values[i], "%s", text);
        x->value_at[i] = v;
        x->n++;
    }
    return 0;
}

int experiment_vary_load(experiment *e, const cfg_node *vary, cfg_error *err)
{
    if (!vary || cfg_node_kind(vary) == CFG_NULL) return 0;
    if (cfg_node_kind(vary) != CFG_MAP)
        return cfg_fail_at(err, vary, "sweep.vary",
                       "expected a map of key paths to lists of values, e.g. "
                       "{workload.partitioner: [tensor, pipeline]}");
    size_t n = cfg_size(vary);
    e->vary = calloc(n ? n : 1, sizeof *e->vary);
    if (!e->vary) return cfg_fail_at(err, vary, "sweep.vary", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *key = cfg_map_key_at(vary, i);
        const char *file = cfg_map_key_file(vary, i);
        int line = cfg_map_key_line(vary, i), col = cfg_map_key_col(vary, i);
        char path[EXPERIMENT_VARY_KEY_MAX + 16];
        snprintf(path, sizeof path, "sweep.vary.%.*s", EXPERIMENT_VARY_KEY_MAX, key);
        if (i == EXPERIMENT_VARY_AXES)
            return cfg_fail(err, file, line, col, path, "more than %d keys (the sweep's axes)",
                            EXPERIMENT_VARY_AXES);
        if (strlen(key) >= EXPERIMENT_VARY_KEY_MAX || !key_ok(key))
            return cfg_fail(err, file, line, col, "sweep.vary",
                            "'%.100s' is not a key path (dotted keys of the experiment, e.g. "
                            "workload.partitioner)", key);
        if (overlap(key, "sweep"))
            return cfg_fail(err, file, line, col, path,
                            "sweep.* cannot be varied (chip counts are sweep.chips)");
        for (size_t j = 0; j < e->n_vary; j++)
            if (overlap(key, e->vary[j].key))
                return cfg_fail(err, file, line, col, path, "overlaps sweep.vary.%s (one key "
                                "inside the other)", e->vary[j].key);
        vary_axis *x = &e->vary[e->n_vary];
        snprintf(x->key, sizeof x->key, "%s", key);
        x->key_file = file, x->key_line = line, x->key_col = col;
        if (load_values(x, cfg_map_value_at(vary, i), path, err)) return -1;
        e->n_vary++;
    }
    return 0;
}

void experiment_vary_print(const experiment *e, FILE *out)
{
    if (!e->n_vary) return;
    fprintf(out, "  vary:  # each combination is a point of `mcusim sweep` (as --sweep)\n");
    for (size_t i = 0; i < e->n_vary; i++) {
        const vary_axis *x = &e->vary[i];
        fprintf(out, "    %s: [", x->key);
        for (size_t v = 0; v < x->n; v++) {
            fputs(v ? ", " : "", out);
            /* quoted, so the printout reloads the same text (a number stays this spelling) */
            fputc('"', out);
            for (const char *c = x->values[v]; *c; c++) {
                if (*c == '"' || *c == '\\') fputc('\\', out);
                fputc(*c, out);
            }
            fputc('"', out);
        }
        fprintf(out, "]\n");
    }
}
