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
    const char *hint = text_did_you_mean(key, ptrs, np);
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

/* ---- values (the text of a scalar binds through core/param_spec.c) ---- */

static int fail_at_loc(const bind_loc *at, const char *why, cfg_error *err)
{
    return cfg_fail(err, at->file, at->line, at->col, at->path, "%s", why);
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
        char why[400];
        if (param_parse_uint(s, text, &tmp.v[i], why, sizeof why) != 0)
            return fail_at_loc(&iat, why, err);
    }
    *out = tmp;
    return 0;
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
                        param_type_word(s->type), kind_word(cfg_node_kind(node)));
    char why[400];
    return param_parse(s, text, obj, why, sizeof why) == 0 ? 0 : fail_at_loc(at, why, err);
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
                            s->key, s->doc ? s->doc : param_type_word(s->type));
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
