/* Values of the explore: section as --set texts (see explore_value.h). */
#include "explore_value.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int explore_relative_path(const char *from_file, const char *to, char *out, size_t cap)
{
    char from_abs[PATH_MAX], to_abs[PATH_MAX];
    if (!realpath(from_file, from_abs) || !realpath(to, to_abs)) return -1;
    char *slash = strrchr(from_abs, '/');
    if (slash) slash[slash == from_abs ? 1 : 0] = '\0';   /* its folder ("/" stays) */
    if (!strcmp(from_abs, "/")) {
        int w = snprintf(out, cap, "%s", to_abs + 1);
        return w < 0 || (size_t)w >= cap ? -1 : 0;
    }
    /* the longest common run of whole folder names */
    size_t common = 0, i = 0;
    for (;; i++) {
        char a = from_abs[i], b = to_abs[i];
        if ((a == '\0' || a == '/') && (b == '/' || b == '\0')) common = i;
        if (a == '\0' || b == '\0' || a != b) break;
    }
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = from_abs + common; *p; p++)
        if (*p == '/' && len + 4 < cap) len += (size_t)snprintf(out + len, cap - len, "../");
    const char *rest = to_abs + common;
    if (*rest == '/') rest++;
    int w = snprintf(out + len, cap - len, "%s", rest);
    return w < 0 || (size_t)w >= cap - len ? -1 : 0;
}

/* Whether YAML reads s back as the same plain string. */
static bool plain_ok(const char *s)
{
    if (!s[0] || s[0] == ' ' || s[strlen(s) - 1] == ' ') return false;
    if (!strcmp(s, "null") || !strcmp(s, "~") || !strcmp(s, "Null") || !strcmp(s, "NULL"))
        return false;
    if (strchr("-?:", s[0]) && (s[1] == ' ' || s[1] == '\0')) return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  strchr("._+-/ ", c);
        if (!ok) return false;
    }
    return true;
}

typedef struct text_buf {
    char *out;
    size_t cap, len;
    bool overflow;
} text_buf;

static void put(text_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n >= b->cap) { b->overflow = true; return; }
    memcpy(b->out + b->len, s, n + 1);
    b->len += n;
}

static void put_scalar(text_buf *b, const char *s)
{
    if (plain_ok(s)) { put(b, s); return; }
    put(b, "\"");
    for (const char *p = s; *p; p++) {
        char one[8];
        if (*p == '"' || *p == '\\') snprintf(one, sizeof one, "\\%c", *p);
        else if ((unsigned char)*p < 0x20) snprintf(one, sizeof one, "\\x%02x", (unsigned char)*p);
        else snprintf(one, sizeof one, "%c", *p);
        put(b, one);
    }
    put(b, "\"");
}

typedef struct ctx {
    const char *written_in, *experiment;
    char *why;
    size_t whycap;
} ctx;

static int value(text_buf *b, const cfg_node *n, const ctx *c);

static int include_of(text_buf *b, const char *file, const ctx *c)
{
    char rel[PATH_MAX];
    if (explore_relative_path(c->experiment, file, rel, sizeof rel)) {
        snprintf(c->why, c->whycap, "cannot resolve '%s' against the experiment file", file);
        return -1;
    }
    put(b, rel);
    return 0;
}

/* The keys of map n written in the explore file, each with its value;
 * nested maps that merged over a base contribute their own such keys. */
static int written_keys(text_buf *b, const cfg_node *n, const ctx *c, bool *any)
{
    for (size_t i = 0; i < cfg_size(n); i++) {
        const cfg_node *v = cfg_map_value_at(n, i);
        bool here = !strcmp(cfg_map_key_file(n, i), c->written_in);
        if (!here && cfg_node_kind(v) != CFG_MAP) continue;
        text_buf sub = {b->out + b->len, b->cap - b->len, 0, false};
        if (*any) put(&sub, ", ");
        put_scalar(&sub, cfg_map_key_at(n, i));
        put(&sub, ": ");
        if (here) {
            if (value(&sub, v, c)) return -1;
        } else {
            bool inner = false;
            put(&sub, "{");
            if (written_keys(&sub, v, c, &inner)) return -1;
            put(&sub, "}");
            if (!inner) continue;   /* nothing of it written here: dropped */
        }
        if (sub.overflow) { b->overflow = true; return 0; }
        b->len += sub.len;
        *any = true;
    }
    return 0;
}

static int value(text_buf *b, const cfg_node *n, const ctx *c)
{
    switch (cfg_node_kind(n)) {
    case CFG_NULL: put(b, "null"); return 0;
    case CFG_SCALAR: put_scalar(b, cfg_scalar(n)); return 0;
    case CFG_SEQ:
        put(b, "[");
        for (size_t i = 0; i < cfg_size(n); i++) {
            if (i) put(b, ", ");
            if (value(b, cfg_seq_at(n, i), c)) return -1;
        }
        put(b, "]");
        return 0;
    case CFG_MAP: break;
    }
    if (strcmp(cfg_node_file(n), c->written_in)) {   /* a whole included file */
        put(b, "!include ");
        return include_of(b, cfg_node_file(n), c);
    }
    bool any = false;
    put(b, "{");
    if (cfg_map_base_file(n)) {
        put(b, "base: ");
        if (include_of(b, cfg_map_base_file(n), c)) return -1;
        any = true;
        if (written_keys(b, n, c, &any)) return -1;
    } else {
        for (size_t i = 0; i < cfg_size(n); i++) {
            if (i) put(b, ", ");
            put_scalar(b, cfg_map_key_at(n, i));
            put(b, ": ");
            if (value(b, cfg_map_value_at(n, i), c)) return -1;
        }
    }
    put(b, "}");
    return 0;
}

int explore_value_text(const cfg_node *n, const char *written_in, const char *experiment_path,
                       char *out, size_t cap, char *why, size_t whycap)
{
    text_buf b = {out, cap, 0, false};
    out[0] = '\0';
    ctx c = {written_in, experiment_path, why, whycap};
    if (value(&b, n, &c)) return -1;
    if (b.overflow) {
        snprintf(why, whycap, "the value is longer than %zu characters as a --set text", cap - 1);
        return -1;
    }
    return 0;
}
