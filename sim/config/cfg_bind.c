/* Binding a YAML map to a plain C struct through a param_spec table. Keys
 * are checked before values so a typo in a required key reads "unknown key,
 * did you mean" rather than "missing". */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

typedef struct bind_loc {
    const char *file;
    int line, col;
    const char *path;
} bind_loc;

/* Paths longer than the buffer are cut: they only label messages. */
static void join_path(char *buf, size_t len, const char *prefix, const char *key)
{
    int n = (prefix && prefix[0]) ? snprintf(buf, len, "%s.%s", prefix, key)
                                  : snprintf(buf, len, "%s", key);
    if (n < 0 && len) buf[0] = '\0';
}

static bool has_range(const param_spec *s) { return !(s->min == 0.0 && s->max == 0.0); }

/* ---- did-you-mean ---- */

size_t cfg_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = malloc((lb + 1) * sizeof *row);
    if (!row) return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

const char *cfg_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i]) continue;
        size_t d = cfg_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best;
}

/* ---- key checking ---- */

static bool in_list(const char *const *list, const char *word)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], word) == 0) return true;
    return false;
}

/* Next path component of spec keys below `prefix` ("" = top), for did-you-mean. */
static size_t level_candidates(const param_spec *specs, size_t n, const char *prefix,
                               char (*out)[128], size_t max)
{
    size_t plen = strlen(prefix), count = 0;
    for (size_t i = 0; i < n && count < max; i++) {
        const char *k = specs[i].key;
        if (plen) {
            if (strncmp(k, prefix, plen) != 0 || k[plen] != '.') continue;
            k += plen + 1;
        }
        size_t len = strcspn(k, ".");
        if (len >= 128) continue;
        snprintf(out[count], 128, "%.*s", (int)len, k);
        count++;
    }
    return count;
}

static int unknown_key(const cfg_node *map, size_t i, const char *key, const char *prefix,
                       const char *full, const param_spec *specs, size_t n,
                       const char *const *extra, cfg_error *err)
{
    char cands[128][128];
    const char *ptrs[160];
    size_t nc = level_candidates(specs, n, prefix, cands, 128), np = 0;
    for (size_t j = 0; j < nc; j++) ptrs[np++] = cands[j];
    for (size_t j = 0; !prefix[0] && extra && extra[j] && np < 160; j++) ptrs[np++] = extra[j];
    const char *hint = cfg_did_you_mean(key, ptrs, np);
    int line = cfg_map_key_line(map, i), col = cfg_map_key_col(map, i);
    if (hint)
        return cfg_fail(err, cfg_map_key_file(map, i), line, col, full,
                        "unknown key '%s' (did you mean '%s'?)", key, hint);
    return cfg_fail(err, cfg_map_key_file(map, i), line, col, full, "unknown key '%s'", key);
}

static int check_keys(const cfg_node *map, const char *prefix, const char *path,
                      const param_spec *specs, size_t n, const char *const *extra,
                      cfg_error *err)
{
    for (size_t i = 0; i < cfg_size(map); i++) {
        const char *key = cfg_map_key_at(map, i);
        char rel[256], full[256];
        join_path(rel, sizeof rel, prefix, key);
        join_path(full, sizeof full, path, rel);
        if (!prefix[0] && in_list(extra, key)) continue;
        bool exact = false, parent = false;
        size_t rlen = strlen(rel);
        for (size_t s = 0; s < n; s++) {
            if (strcmp(specs[s].key, rel) == 0) exact = true;
            else if (strncmp(specs[s].key, rel, rlen) == 0 && specs[s].key[rlen] == '.')
                parent = true;
        }
        if (exact) continue;
        if (!parent) return unknown_key(map, i, key, prefix, full, specs, n, extra, err);
        const cfg_node *sub = cfg_map_value_at(map, i);
        if (cfg_node_kind(sub) != CFG_MAP)
            return cfg_fail(err, cfg_node_file(sub), cfg_node_line(sub), cfg_node_col(sub), full,
                            "expected a map");
        if (check_keys(sub, rel, path, specs, n, NULL, err) != 0) return -1;
    }
    return 0;
}

/* ---- values ---- */

/* -1: not a plain decimal integer; -2: one that does not fit 64 bits. */
static int parse_uint(const char *text, uint64_t *v)
{
    if (!text || !*text) return -1;
    for (const char *c = text; *c; c++)
        if (*c < '0' || *c > '9') return -1;
    errno = 0;
    unsigned long long x = strtoull(text, NULL, 10);
    if (errno == ERANGE) return -2;
    *v = (uint64_t)x;
    return 0;
}

static int parse_int(const char *text, int64_t *v)
{
    const char *digits = (text && (*text == '-' || *text == '+')) ? text + 1 : text;
    uint64_t u;
    if (parse_uint(digits, &u) != 0) return -1;
    bool neg = text[0] == '-';
    if (u > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) return -1;
    *v = neg ? (int64_t)(0 - u) : (int64_t)u;
    return 0;
}

static int out_of_range(const param_spec *s, double v, const bind_loc *at, cfg_error *err)
{
    char a[64], b[64], c[64];
    unit_dim dim = s->type == PARAM_QUANTITY ? s->dim : DIM_NONE;
    unit_format(v, dim, a, sizeof a);
    unit_format(s->min, dim, b, sizeof b);
    unit_format(s->max, dim, c, sizeof c);
    return cfg_fail(err, at->file, at->line, at->col, at->path,
                    "value %s out of range [%s, %s]", a, b, c);
}

static int check_range(const param_spec *s, double v, const bind_loc *at, cfg_error *err)
{
    if (has_range(s) && (v < s->min || v > s->max)) return out_of_range(s, v, at, err);
    return 0;
}

static int bind_uint(const param_spec *s, const char *text, uint64_t *out, const bind_loc *at,
                     cfg_error *err)
{
    uint64_t v;
    int bad = parse_uint(text, &v);
    /* "expected an integer" would be wrong for 2^64: it is one, only too large */
    if (bad == -2)
        return cfg_fail(err, at->file, at->line, at->col, at->path,
                        "integer '%s' is too large", text);
    if (bad != 0)
        return cfg_fail(err, at->file, at->line, at->col, at->path,
                        "expected a non-negative integer, got '%s'", text);
    if (check_range(s, (double)v, at, err) != 0) return -1;
    *out = v;
    return 0;
}

static int bind_enum(const param_spec *s, const char *text, int *out, const bind_loc *at,
                     cfg_error *err)
{
    size_t n = 0;
    char names[400] = "";
    size_t used = 0;
    for (; s->enum_names && s->enum_names[n]; n++) {
        if (strcmp(s->enum_names[n], text) == 0) {
            *out = (int)n;
            return 0;
        }
        if (used < sizeof names)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", n ? ", " : "",
                                     s->enum_names[n]);
    }
    const char *hint = cfg_did_you_mean(text, s->enum_names, n);
    if (hint)
        return cfg_fail(err, at->file, at->line, at->col, at->path,
                        "unknown value '%s' (did you mean '%s'?); expected one of %s", text,
                        hint, names);
    return cfg_fail(err, at->file, at->line, at->col, at->path,
                    "unknown value '%s'; expected one of %s", text, names);
}

static int bind_list(const param_spec *s, const cfg_node *node, param_uint_list *out,
                     const bind_loc *at, cfg_error *err)
{
    if (cfg_node_kind(node) != CFG_SEQ)
        return cfg_fail(err, at->file, at->line, at->col, at->path,
                        "expected a list of integers, e.g. [1, 2, 4]");
    size_t n = cfg_size(node);
    if (n > PARAM_LIST_MAX)
        return cfg_fail(err, at->file, at->line, at->col, at->path,
                        "list has %zu entries, at most %d allowed", n, PARAM_LIST_MAX);
    param_uint_list tmp = {.n = n};
    for (size_t i = 0; i < n; i++) {
        const cfg_node *item = cfg_seq_at(node, i);
        char p[256];
        snprintf(p, sizeof p, "%s[%zu]", at->path, i);
        bind_loc iat = {cfg_node_file(item), cfg_node_line(item), cfg_node_col(item), p};
        const char *text = cfg_scalar(item);
        if (!text)
            return cfg_fail(err, iat.file, iat.line, iat.col, p, "expected an integer");
        if (bind_uint(s, text, &tmp.v[i], &iat, err) != 0) return -1;
    }
    *out = tmp;
    return 0;
}

static const char *type_word(param_type t)
{
    switch (t) {
    case PARAM_BOOL: return "true or false";
    case PARAM_UINT: return "a non-negative integer";
    case PARAM_INT: return "an integer";
    case PARAM_DOUBLE: return "a number";
    case PARAM_QUANTITY: return "a quantity with a unit";
    case PARAM_ENUM: return "a name";
    case PARAM_STRING: return "a string";
    case PARAM_UINT_LIST: return "a list of integers";
    }
    return "a value";
}

static const char *kind_word(cfg_kind k)
{
    return k == CFG_MAP ? "a map" : k == CFG_SEQ ? "a list" : k == CFG_NULL ? "nothing" : "a scalar";
}

static int bind_value(const param_spec *s, const cfg_node *node, void *obj, const bind_loc *at,
                      cfg_error *err)
{
    char *field = (char *)obj + s->offset;
    if (s->type == PARAM_UINT_LIST) return bind_list(s, node, (param_uint_list *)field, at, err);
    const char *text = cfg_scalar(node);
    if (!text)
        return cfg_fail(err, at->file, at->line, at->col, at->path, "expected %s, got %s",
                        type_word(s->type), kind_word(cfg_node_kind(node)));
    char msg[400];
    switch (s->type) {
    case PARAM_BOOL:
        if (strcmp(text, "true") == 0 || strcmp(text, "yes") == 0) *(bool *)field = true;
        else if (strcmp(text, "false") == 0 || strcmp(text, "no") == 0) *(bool *)field = false;
        else return cfg_fail(err, at->file, at->line, at->col, at->path,
                             "expected true or false, got '%s'", text);
        return 0;
    case PARAM_UINT:
        return bind_uint(s, text, (uint64_t *)field, at, err);
    case PARAM_INT: {
        int64_t v;
        if (parse_int(text, &v) != 0)
            return cfg_fail(err, at->file, at->line, at->col, at->path,
                            "expected an integer, got '%s'", text);
        if (check_range(s, (double)v, at, err) != 0) return -1;
        *(int64_t *)field = v;
        return 0;
    }
    case PARAM_DOUBLE:
    case PARAM_QUANTITY: {
        double v;
        unit_dim dim = s->type == PARAM_QUANTITY ? s->dim : DIM_NONE;
        if (unit_parse(text, dim, &v, msg, sizeof msg) != 0)
            return cfg_fail(err, at->file, at->line, at->col, at->path, "%s", msg);
        if (check_range(s, v, at, err) != 0) return -1;
        *(double *)field = v;
        return 0;
    }
    case PARAM_ENUM:
        return bind_enum(s, text, (int *)field, at, err);
    case PARAM_STRING:
        if (strlen(text) >= PARAM_STRING_MAX)
            return cfg_fail(err, at->file, at->line, at->col, at->path,
                            "string longer than %d characters", PARAM_STRING_MAX - 1);
        snprintf(field, PARAM_STRING_MAX, "%s", text);
        return 0;
    case PARAM_UINT_LIST:
        break;
    }
    return cfg_fail(err, at->file, at->line, at->col, at->path, "internal: bad parameter type");
}

static int bind_default(const param_spec *s, const cfg_node *section, void *obj,
                        const bind_loc *at, cfg_error *err)
{
    /* A string default is the text itself: "" must stay an empty string. */
    if (s->type == PARAM_STRING) {
        snprintf((char *)obj + s->offset, PARAM_STRING_MAX, "%s", s->default_text);
        return 0;
    }
    cfg_node *def = cfg_load_string(s->default_text, strlen(s->default_text), "<default>", err);
    if (!def) return -1;
    bind_loc dat = {cfg_node_file(section), cfg_node_line(section), cfg_node_col(section),
                    at->path};
    int rc = bind_value(s, def, obj, &dat, err);
    if (rc != 0) snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg),
                          " (built-in default)");
    cfg_destroy(def);
    return rc;
}

static int bind_common(const cfg_node *section, const char *path, const param_spec *specs,
                       size_t n, const char *const *extra, void *out, bool overlay,
                       cfg_error *err)
{
    cfg_kind k = cfg_node_kind(section);
    if (section && k != CFG_MAP && k != CFG_NULL)
        return cfg_fail(err, cfg_node_file(section), cfg_node_line(section),
                        cfg_node_col(section), path, "expected a map, got %s", kind_word(k));
    if (k == CFG_MAP && check_keys(section, "", path, specs, n, extra, err) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        const param_spec *s = &specs[i];
        char full[256];
        join_path(full, sizeof full, path, s->key);
        const cfg_node *node = k == CFG_MAP ? cfg_get_path(section, s->key) : NULL;
        if (node && cfg_node_kind(node) == CFG_NULL) node = NULL;
        if (node) {
            bind_loc at = {cfg_node_file(node), cfg_node_line(node), cfg_node_col(node), full};
            if (bind_value(s, node, out, &at, err) != 0) return -1;
        } else if (overlay) {
            continue;
        } else if (s->default_text) {
            bind_loc at = {NULL, 0, 0, full};
            if (bind_default(s, section, out, &at, err) != 0) return -1;
        } else {
            return cfg_fail(err, cfg_node_file(section), cfg_node_line(section),
                            cfg_node_col(section), full, "missing required key '%s' (%s)",
                            s->key, s->doc ? s->doc : type_word(s->type));
        }
    }
    return 0;
}

int cfg_bind(const cfg_node *section, const char *path, const param_spec *specs, size_t n_specs,
             const char *const *extra_keys, void *out, cfg_error *err)
{
    return bind_common(section, path, specs, n_specs, extra_keys, out, false, err);
}

int cfg_bind_overlay(const cfg_node *section, const char *path, const param_spec *specs,
                     size_t n_specs, const char *const *extra_keys, void *out, cfg_error *err)
{
    if (!section) return 0;
    return bind_common(section, path, specs, n_specs, extra_keys, out, true, err);
}
