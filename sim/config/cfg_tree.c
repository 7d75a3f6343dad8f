/* YAML document tree with source locations, built from libyaml events.
 * Includes and `base:` merges are resolved while parsing, so everything after
 * this file sees one plain tree whose every node still knows the file, line
 * and column it was written at. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cfg.h"
#include "../../core/file_read.h"

#define INCLUDE_TAG "!include"

typedef struct map_entry {
    char *key;
    char *file;     /* where the key was written: a merged map mixes files */
    int line, col;
    cfg_node *val;
} map_entry;

struct cfg_node {
    cfg_kind kind;
    char *file;
    int line, col;
    char *scalar;
    size_t n, cap;
    map_entry *entries;   /* CFG_MAP */
    cfg_node **items;     /* CFG_SEQ */
    char *base_file;      /* CFG_MAP built by `base: PATH`: PATH as loaded, else NULL */
};

/* Files being loaded, innermost first, to detect include cycles. */
typedef struct include_chain {
    const char *real;
    const char *shown;
    const struct include_chain *up;
} include_chain;

typedef struct parse_ctx {
    yaml_parser_t parser;
    const char *file;
    /* what relative !include and base: paths resolve against: the file
     * itself, or for a --set value the experiment file it overrides */
    const char *paths_from;
    const include_chain *chain;
    cfg_error *err;
    char path[256];
    int depth;            /* open maps and sequences, see CFG_MAX_DEPTH */
} parse_ctx;

/* Limits that keep hostile input from exhausting the stack, the memory or
 * the patience of the caller; real configs are a few KiB, 5 levels deep and
 * include 2-3 files. Found by tests/e2e/hostile_inputs.sh: 100000 nested '['
 * overflowed the stack of the recursive parser, and `!include /dev/zero`
 * never returned. */
#define CFG_MAX_DEPTH 64
#define CFG_MAX_INCLUDES 32
#define CFG_MAX_FILE_BYTES (16u << 20)

static cfg_node *load_file_chain(const char *path, const include_chain *chain, cfg_error *err,
                                 const char *from_file, int from_line, int from_col,
                                 const char *from_path);

/* ---- node construction ---- */

static cfg_node *node_new(cfg_kind kind, const char *file, int line, int col)
{
    cfg_node *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->file = strdup(file ? file : "");
    n->line = line;
    n->col = col;
    if (!n->file) { free(n); return NULL; }
    return n;
}

void cfg_destroy(cfg_node *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->kind == CFG_MAP) {
            free(n->entries[i].key);
            free(n->entries[i].file);
            cfg_destroy(n->entries[i].val);
        } else if (n->kind == CFG_SEQ) {
            cfg_destroy(n->items[i]);
        }
    }
    free(n->entries);
    free(n->items);
    free(n->scalar);
    free(n->file);
    free(n->base_file);
    free(n);
}

static int grow(cfg_node *n)
{
    if (n->n < n->cap) return 0;
    size_t cap = n->cap ? n->cap * 2 : 8;
    if (n->kind == CFG_MAP) {
        map_entry *e = realloc(n->entries, cap * sizeof *e);
        if (!e) return -1;
        n->entries = e;
    } else {
        cfg_node **it = realloc(n->items, cap * sizeof *it);
        if (!it) return -1;
        n->items = it;
    }
    n->cap = cap;
    return 0;
}

static int map_find(const cfg_node *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->entries[i].key, key) == 0) return (int)i;
    return -1;
}

static int map_append(cfg_node *m, const char *key, const char *file, int line, int col,
                      cfg_node *val)
{
    if (grow(m) != 0) return -1;
    char *k = strdup(key);
    char *f = strdup(file);
    if (!k || !f) { free(k); free(f); return -1; }
    m->entries[m->n++] = (map_entry){k, f, line, col, val};
    return 0;
}

static void map_remove(cfg_node *m, size_t i)
{
    free(m->entries[i].key);
    free(m->entries[i].file);
    cfg_destroy(m->entries[i].val);
    memmove(&m->entries[i], &m->entries[i + 1], (m->n - i - 1) * sizeof m->entries[0]);
    m->n--;
}

/* ---- paths ---- */

static size_t path_push(parse_ctx *c, const char *key)
{
    size_t old = strlen(c->path);
    if (old == 0)
        snprintf(c->path, sizeof c->path, "%s", key);
    else
        snprintf(c->path + old, sizeof c->path - old, ".%s", key);
    return old;
}

static size_t path_push_index(parse_ctx *c, size_t i)
{
    size_t old = strlen(c->path);
    snprintf(c->path + old, sizeof c->path - old, "[%zu]", i);
    return old;
}

/* ---- parsing ---- */

static int parser_fail(parse_ctx *c)
{
    const yaml_parser_t *p = &c->parser;
    const yaml_mark_t *m = &p->problem_mark;
    const char *problem = p->problem ? p->problem : "YAML syntax error";
    if (p->context)
        return cfg_fail(c->err, c->file, (int)m->line + 1, (int)m->column + 1, c->path,
                        "YAML syntax error: %s %s", problem, p->context);
    return cfg_fail(c->err, c->file, (int)m->line + 1, (int)m->column + 1, c->path,
                    "YAML syntax error: %s", problem);
}

static int next_event(parse_ctx *c, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&c->parser, ev)) return parser_fail(c);
    return 0;
}

static cfg_node *parse_node(parse_ctx *c, yaml_event_t *ev);

static bool is_null_scalar(const yaml_event_t *ev)
{
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
    const char *v = (const char *)ev->data.scalar.value;
    return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static cfg_node *parse_scalar(parse_ctx *c, yaml_event_t *ev, int line, int col)
{
    const char *tag = (const char *)ev->data.scalar.tag;
    const char *value = (const char *)ev->data.scalar.value;
    if (tag && strcmp(tag, INCLUDE_TAG) == 0) {
        char *target = path_relative_to(c->paths_from, value);
        if (!target) return NULL;
        cfg_node *inc = load_file_chain(target, c->chain, c->err, c->file, line, col, c->path);
        free(target);
        return inc;
    }
    if (tag && strcmp(tag, "tag:yaml.org,2002:str") != 0) {
        cfg_fail(c->err, c->file, line, col, c->path, "unknown tag '%s' (only !include is known)",
                 tag);
        return NULL;
    }
    cfg_node *n = node_new(is_null_scalar(ev) ? CFG_NULL : CFG_SCALAR, c->file, line, col);
    if (!n) return NULL;
    n->scalar = strdup(value);
    if (!n->scalar) { cfg_destroy(n); return NULL; }
    return n;
}

static cfg_node *parse_seq(parse_ctx *c, int line, int col)
{
    cfg_node *seq = node_new(CFG_SEQ, c->file, line, col);
    if (!seq) return NULL;
    for (;;) {
        yaml_event_t ev;
        if (next_event(c, &ev) != 0) { cfg_destroy(seq); return NULL; }
        if (ev.type == YAML_SEQUENCE_END_EVENT) { yaml_event_delete(&ev); return seq; }
        size_t old = path_push_index(c, seq->n);
        cfg_node *item = parse_node(c, &ev);
        c->path[old] = '\0';
        if (!item || grow(seq) != 0) { cfg_destroy(item); cfg_destroy(seq); return NULL; }
        seq->items[seq->n++] = item;
    }
}

/* Deep merge: keys of `over` replace those of `base`, maps merge recursively.
 * Consumes `over`. */
static int merge_into(cfg_node *base, cfg_node *over)
{
    for (size_t i = 0; i < over->n; i++) {
        map_entry *e = &over->entries[i];
        int j = map_find(base, e->key);
        if (j >= 0 && base->entries[j].val->kind == CFG_MAP && e->val->kind == CFG_MAP) {
            if (merge_into(base->entries[j].val, e->val) != 0) return -1;
            e->val = NULL;
        } else if (j >= 0) {
            cfg_destroy(base->entries[j].val);
            base->entries[j].val = e->val;
            base->entries[j].line = e->line;
            base->entries[j].col = e->col;
            char *tmp = base->entries[j].file;
            base->entries[j].file = e->file;
            e->file = tmp;
            e->val = NULL;
        } else {
            if (map_append(base, e->key, e->file, e->line, e->col, e->val) != 0) return -1;
            e->val = NULL;
        }
    }
    cfg_destroy(over);
    return 0;
}

/* `base: PATH` beside other keys: the map at PATH with those keys merged over it. */
static cfg_node *apply_base(parse_ctx *c, cfg_node *map)
{
    int i = map_find(map, "base");
    if (i < 0) return map;
    const map_entry *e = &map->entries[i];
    if (e->val->kind != CFG_SCALAR) {
        size_t old = path_push(c, "base");
        cfg_fail(c->err, c->file, e->val->line, e->val->col, c->path,
                 "base must be a file path");
        c->path[old] = '\0';
        cfg_destroy(map);
        return NULL;
    }
    char *target = path_relative_to(c->paths_from, e->val->scalar);
    size_t old = path_push(c, "base");
    cfg_node *base = target ? load_file_chain(target, c->chain, c->err, c->file, e->val->line,
                                              e->val->col, c->path)
                            : NULL;
    if (base && base->kind != CFG_MAP) {
        cfg_fail(c->err, c->file, e->val->line, e->val->col, c->path,
                 "'%s' does not hold a map, cannot be a base", target);
        cfg_destroy(base);
        base = NULL;
    }
    c->path[old] = '\0';
    if (!base) { free(target); cfg_destroy(map); return NULL; }
    /* Kept so a caller can tell which file a merged map was built on
     * (`mcusim calibrate` writes overlays that name their base). */
    free(base->base_file);   /* a base built on a base of its own: the outer one counts */
    base->base_file = target;
    map_remove(map, (size_t)i);
    /* The merged map is reported where the overlay was written. */
    free(base->file);
    base->file = strdup(map->file);
    base->line = map->line;
    base->col = map->col;
    if (!base->file || merge_into(base, map) != 0) { cfg_destroy(base); return NULL; }
    return base;
}

static cfg_node *parse_map(parse_ctx *c, int line, int col)
{
    cfg_node *map = node_new(CFG_MAP, c->file, line, col);
    if (!map) return NULL;
    for (;;) {
        yaml_event_t ev;
        if (next_event(c, &ev) != 0) { cfg_destroy(map); return NULL; }
        if (ev.type == YAML_MAPPING_END_EVENT) { yaml_event_delete(&ev); break; }
        int kl = (int)ev.start_mark.line + 1, kc = (int)ev.start_mark.column + 1;
        if (ev.type != YAML_SCALAR_EVENT) {
            yaml_event_delete(&ev);
            cfg_fail(c->err, c->file, kl, kc, c->path, "map keys must be plain strings");
            cfg_destroy(map);
            return NULL;
        }
        char *key = strdup((const char *)ev.data.scalar.value);
        yaml_event_delete(&ev);
        if (!key) { cfg_destroy(map); return NULL; }
        size_t old = path_push(c, key);
        int dup = map_find(map, key);
        if (dup >= 0) {
            cfg_fail(c->err, c->file, kl, kc, c->path, "duplicate key '%s' (first at line %d)",
                     key, map->entries[dup].line);
            free(key);
            cfg_destroy(map);
            return NULL;
        }
        yaml_event_t vev;
        cfg_node *val = NULL;
        if (next_event(c, &vev) == 0) val = parse_node(c, &vev);
        c->path[old] = '\0';
        if (!val || map_append(map, key, c->file, kl, kc, val) != 0) {
            free(key);
            cfg_destroy(val);
            cfg_destroy(map);
            return NULL;
        }
        free(key);
    }
    return apply_base(c, map);
}

/* Consumes ev. */
static cfg_node *parse_node(parse_ctx *c, yaml_event_t *ev)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    cfg_node *n = NULL;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        n = parse_scalar(c, ev, line, col);
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool is_map = ev->type == YAML_MAPPING_START_EVENT;
        const char *tag = (const char *)(is_map ? ev->data.mapping_start.tag
                                                : ev->data.sequence_start.tag);
        if (tag) {
            cfg_fail(c->err, c->file, line, col, c->path,
                     "tag '%s' is not allowed here (!include takes a file path)", tag);
            break;
        }
        yaml_event_delete(ev);
        if (c->depth >= CFG_MAX_DEPTH) {
            cfg_fail(c->err, c->file, line, col, c->path, "nested deeper than %d levels",
                     CFG_MAX_DEPTH);
            return NULL;
        }
        c->depth++;
        n = is_map ? parse_map(c, line, col) : parse_seq(c, line, col);
        c->depth--;
        return n;
    }
    case YAML_ALIAS_EVENT:
        cfg_fail(c->err, c->file, line, col, c->path,
                 "YAML aliases are not supported; use !include or base:");
        break;
    default:
        cfg_fail(c->err, c->file, line, col, c->path, "unexpected YAML event");
        break;
    }
    yaml_event_delete(ev);
    return n;
}

static cfg_node *parse_document(parse_ctx *c)
{
    yaml_event_t ev;
    cfg_node *root = NULL;
    if (next_event(c, &ev) != 0) return NULL; /* STREAM_START */
    yaml_event_delete(&ev);
    if (next_event(c, &ev) != 0) return NULL;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return node_new(CFG_NULL, c->file, 1, 1);
    }
    yaml_event_delete(&ev); /* DOCUMENT_START */
    if (next_event(c, &ev) != 0) return NULL;
    root = parse_node(c, &ev);
    if (!root) return NULL;
    if (next_event(c, &ev) != 0) { cfg_destroy(root); return NULL; } /* DOCUMENT_END */
    yaml_event_delete(&ev);
    if (next_event(c, &ev) != 0) { cfg_destroy(root); return NULL; }
    bool more = ev.type == YAML_DOCUMENT_START_EVENT;
    int line = (int)ev.start_mark.line + 1;
    yaml_event_delete(&ev);
    if (more) {
        cfg_fail(c->err, c->file, line, 1, "", "a config file holds one YAML document");
        cfg_destroy(root);
        return NULL;
    }
    return root;
}

static cfg_node *parse_text(const char *text, size_t len, const char *name,
                            const char *paths_from, const include_chain *chain, cfg_error *err)
{
    parse_ctx c;
    memset(&c, 0, sizeof c);
    c.file = name;
    c.paths_from = paths_from;
    c.chain = chain;
    c.err = err;
    if (!yaml_parser_initialize(&c.parser)) {
        cfg_fail(err, name, 0, 0, "", "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)text, len);
    cfg_node *root = parse_document(&c);
    yaml_parser_delete(&c.parser);
    return root;
}

static int report_cycle(const include_chain *chain, const char *real, const char *shown,
                        cfg_error *err, const char *ff, int fl, int fc, const char *fp)
{
    char msg[400] = "";
    size_t used = 0;
    /* Print the cycle from the file that starts it, outermost first. */
    const include_chain *stack[64];
    size_t depth = 0;
    for (const include_chain *k = chain; k && depth < 64; k = k->up) {
        stack[depth++] = k;
        if (strcmp(k->real, real) == 0) break;
    }
    for (size_t i = depth; i-- > 0 && used < sizeof msg;)
        used += (size_t)snprintf(msg + used, sizeof msg - used, "%s -> ", stack[i]->shown);
    if (used < sizeof msg) snprintf(msg + used, sizeof msg - used, "%s", shown);
    return cfg_fail(err, ff, fl, fc, fp, "include cycle: %s", msg);
}

static cfg_node *load_file_chain(const char *path, const include_chain *chain, cfg_error *err,
                                 const char *ff, int fl, int fc, const char *fp)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        if (ff) cfg_fail(err, ff, fl, fc, fp, "cannot include '%s': %s", path, strerror(errno));
        else cfg_fail(err, path, 0, 0, "", "cannot open: %s", strerror(errno));
        return NULL;
    }
    int levels = 0;
    for (const include_chain *k = chain; k; k = k->up, levels++)
        if (strcmp(k->real, real) == 0) {
            report_cycle(chain, real, path, err, ff, fl, fc, fp);
            return NULL;
        }
    if (levels > CFG_MAX_INCLUDES) {
        cfg_fail(err, ff, fl, fc, fp, "includes nested deeper than %d files", CFG_MAX_INCLUDES);
        return NULL;
    }
    size_t len = 0;
    char reason[128];
    char *text = file_read_regular(path, CFG_MAX_FILE_BYTES, &len, reason, sizeof reason);
    if (!text) {
        if (ff) cfg_fail(err, ff, fl, fc, fp, "cannot read '%s': %s", path, reason);
        else cfg_fail(err, path, 0, 0, "", "cannot read: %s", reason);
        return NULL;
    }
    include_chain here = {real, path, chain};
    cfg_node *root = parse_text(text, len, path, path, &here, err);
    free(text);
    return root;
}

cfg_node *cfg_load_file(const char *path, cfg_error *err)
{
    return load_file_chain(path, NULL, err, NULL, 0, 0, NULL);
}

cfg_node *cfg_load_string(const char *text, size_t len, const char *name, cfg_error *err)
{
    return parse_text(text, len, name, name, NULL, err);
}

/* ---- accessors ---- */

cfg_kind cfg_node_kind(const cfg_node *n) { return n ? n->kind : CFG_NULL; }
const char *cfg_node_file(const cfg_node *n) { return n ? n->file : ""; }
int cfg_node_line(const cfg_node *n) { return n ? n->line : 0; }
int cfg_node_col(const cfg_node *n) { return n ? n->col : 0; }

const char *cfg_scalar(const cfg_node *n)
{
    return (n && n->kind == CFG_SCALAR) ? n->scalar : NULL;
}

size_t cfg_size(const cfg_node *n)
{
    return (n && (n->kind == CFG_MAP || n->kind == CFG_SEQ)) ? n->n : 0;
}

const cfg_node *cfg_seq_at(const cfg_node *n, size_t i)
{
    return (n && n->kind == CFG_SEQ && i < n->n) ? n->items[i] : NULL;
}

const char *cfg_map_key_at(const cfg_node *n, size_t i)
{
    return (n && n->kind == CFG_MAP && i < n->n) ? n->entries[i].key : NULL;
}

const cfg_node *cfg_map_value_at(const cfg_node *n, size_t i)
{
    return (n && n->kind == CFG_MAP && i < n->n) ? n->entries[i].val : NULL;
}

int cfg_map_key_line(const cfg_node *n, size_t i)
{
    return (n && n->kind == CFG_MAP && i < n->n) ? n->entries[i].line : 0;
}

const char *cfg_map_key_file(const cfg_node *n, size_t i)
{
    return (n && n->kind == CFG_MAP && i < n->n && n->entries[i].file) ? n->entries[i].file : "";
}

int cfg_map_key_col(const cfg_node *n, size_t i)
{
    return (n && n->kind == CFG_MAP && i < n->n) ? n->entries[i].col : 0;
}

const char *cfg_map_base_file(const cfg_node *n)
{
    return (n && n->kind == CFG_MAP) ? n->base_file : NULL;
}

const cfg_node *cfg_map_get(const cfg_node *n, const char *key)
{
    if (!n || n->kind != CFG_MAP) return NULL;
    int i = map_find(n, key);
    return i >= 0 ? n->entries[i].val : NULL;
}

const cfg_node *cfg_get_path(const cfg_node *root, const char *dotted)
{
    const cfg_node *n = root;
    const char *p = dotted;
    char part[128];
    while (n && *p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len >= sizeof part) return NULL;
        memcpy(part, p, len);
        part[len] = '\0';
        n = cfg_map_get(n, part);
        p = dot ? dot + 1 : p + len;
    }
    return n;
}

/* ---- overrides ---- */

static void relocate(cfg_node *n, const char *file, int col)
{
    free(n->file);
    n->file = strdup(file);
    n->line = 1;
    n->col = col;
    for (size_t i = 0; i < n->n; i++) {
        if (n->kind == CFG_MAP) {
            free(n->entries[i].file);
            n->entries[i].file = strdup(file);
            n->entries[i].line = 1;
            n->entries[i].col = col;
            relocate(n->entries[i].val, file, col);
        } else if (n->kind == CFG_SEQ) {
            relocate(n->items[i], file, col);
        }
    }
}

int cfg_apply_override(cfg_node *root, const char *assignment, cfg_error *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return cfg_fail(err, "--set", 1, 1, "", "expected key.path=value, got '%s'", assignment);
    char key[256];
    size_t klen = (size_t)(eq - assignment);
    if (klen >= sizeof key) return cfg_fail(err, "--set", 1, 1, "", "key path too long");
    memcpy(key, assignment, klen);
    key[klen] = '\0';
    if (!root || root->kind != CFG_MAP)
        return cfg_fail(err, "--set", 1, 1, key, "the document is not a map");
    int col = (int)klen + 2;
    /* a relative !include or base: in the value resolves against the
     * experiment file, as if it were written there */
    cfg_node *val = parse_text(eq + 1, strlen(eq + 1), "--set", root->file, NULL, err);
    if (!val) {
        err->line = 1;
        err->col += col - 1;
        snprintf(err->path, sizeof err->path, "%s", key);
        return -1;
    }
    relocate(val, "--set", col);
    cfg_node *m = root;
    char *part = key, *dot;
    while ((dot = strchr(part, '.')) != NULL) {
        *dot = '\0';
        if (*part == '\0') { cfg_destroy(val); return cfg_fail(err, "--set", 1, 1, assignment, "empty key in path"); }
        int i = map_find(m, part);
        cfg_node *next;
        if (i < 0) {
            next = node_new(CFG_MAP, "--set", 1, 1);
            if (!next || map_append(m, part, "--set", 1, 1, next) != 0) {
                cfg_destroy(next);
                cfg_destroy(val);
                return cfg_fail(err, "--set", 1, 1, "", "out of memory");
            }
        } else {
            next = m->entries[i].val;
            if (next->kind == CFG_NULL) next->kind = CFG_MAP;
            if (next->kind != CFG_MAP) {
                *dot = '.';
                cfg_destroy(val);
                return cfg_fail(err, "--set", 1, 1, assignment,
                                "'%s' is not a map, cannot set a key inside it", part);
            }
        }
        *dot = '.';
        m = next;
        part = dot + 1;
    }
    if (*part == '\0') { cfg_destroy(val); return cfg_fail(err, "--set", 1, 1, key, "empty key in path"); }
    int i = map_find(m, part);
    if (i >= 0) {
        cfg_destroy(m->entries[i].val);
        m->entries[i].val = val;
        m->entries[i].line = 1;
        m->entries[i].col = 1;
        free(m->entries[i].file);
        m->entries[i].file = strdup("--set");
    } else if (map_append(m, part, "--set", 1, 1, val) != 0) {
        cfg_destroy(val);
        return cfg_fail(err, "--set", 1, 1, key, "out of memory");
    }
    return 0;
}
