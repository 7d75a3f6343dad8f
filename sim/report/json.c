/* Recursive-descent JSON parser: enough for the files mcusim writes itself
 * (objects, arrays, strings with escapes, numbers, true/false/null). */
#include "json.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Every string of a document (member names, string values, number
 * literals) lives in blocks owned by its root: a point file holds thousands
 * of them, and one malloc each was most of the cost of reading one back. */
typedef struct text_block {
    struct text_block *next;
    size_t used, cap;
    char data[];
} text_block;

#define TEXT_BLOCK_MIN (16u << 10)

/* What json_parse returns: the root value first, so json_free finds the rest. */
typedef struct json_doc {
    json_value root;
    text_block *texts;
} json_doc;

typedef struct parser {
    const char *s, *end;
    const char *p;
    char *err;
    size_t errlen;
    int depth;
    json_doc *doc;
} parser;

static char *text_alloc(parser *ps, size_t n)
{
    text_block *b = ps->doc->texts;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > TEXT_BLOCK_MIN ? n : TEXT_BLOCK_MIN;
        text_block *nb = malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        ps->doc->texts = b = nb;
    }
    char *t = b->data + b->used;
    b->used += n;
    return t;
}

#define JSON_MAX_DEPTH 64

static int fail(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parser *ps, const char *fmt, ...)
{
    int line = 1, col = 1;
    for (const char *q = ps->s; q < ps->p && q < ps->end; q++) {
        if (*q == '\n') { line++; col = 1; } else col++;
    }
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (ps->err && ps->errlen) snprintf(ps->err, ps->errlen, "line %d col %d: %s", line, col, msg);
    return -1;
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int parse_value(parser *ps, json_value *v);

static void put_utf8(char *out, size_t *k, unsigned cp)
{
    if (cp < 0x80) {
        out[(*k)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*k)++] = (char)(0xC0 | (cp >> 6));
        out[(*k)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*k)++] = (char)(0xE0 | (cp >> 12));
        out[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*k)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int parse_hex4(parser *ps, unsigned *cp)
{
    if (ps->end - ps->p < 4) return fail(ps, "truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = ps->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return fail(ps, "bad \\u escape");
    }
    ps->p += 4;
    *cp = v;
    return 0;
}

/* The decoded string is never longer than its escaped source, which ends
 * at the first quote not escaped: sized to that, not to the rest of the
 * file (every member name of a large point file used to take a block the
 * size of what followed it). */
static int parse_string(parser *ps, char **out)
{
    ps->p++; /* opening quote */
    const char *start = ps->p, *q = start;
    while (q < ps->end && *q != '"') q += *q == '\\' && q + 1 < ps->end ? 2 : 1;
    char *buf = text_alloc(ps, (size_t)(q - start) + 1);
    if (!buf) return fail(ps, "out of memory");
    size_t k = 0;
    while (ps->p < ps->end && *ps->p != '"') {
        char c = *ps->p++;
        if ((unsigned char)c < 0x20) return fail(ps, "control character in string");
        if (c != '\\') { buf[k++] = c; continue; }
        if (ps->p >= ps->end) break;
        char e = *ps->p++;
        switch (e) {
        case '"': buf[k++] = '"'; break;
        case '\\': buf[k++] = '\\'; break;
        case '/': buf[k++] = '/'; break;
        case 'b': buf[k++] = '\b'; break;
        case 'f': buf[k++] = '\f'; break;
        case 'n': buf[k++] = '\n'; break;
        case 'r': buf[k++] = '\r'; break;
        case 't': buf[k++] = '\t'; break;
        case 'u': {
            unsigned cp = 0; /* set by parse_hex4; zeroed for gcc -O2 flow analysis */
            if (parse_hex4(ps, &cp)) return -1;
            put_utf8(buf, &k, cp);
            break;
        }
        default: return fail(ps, "bad escape '\\%c'", e);
        }
    }
    if (ps->p >= ps->end) return fail(ps, "unterminated string");
    ps->p++; /* closing quote */
    buf[k] = '\0';
    *out = buf;
    return 0;
}

static int parse_number(parser *ps, json_value *v)
{
    const char *start = ps->p;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    while (ps->p < ps->end && (isdigit((unsigned char)*ps->p) || *ps->p == '.' || *ps->p == 'e' ||
                               *ps->p == 'E' || *ps->p == '+' || *ps->p == '-'))
        ps->p++;
    size_t n = (size_t)(ps->p - start);
    if (n == 0 || (n == 1 && *start == '-')) return fail(ps, "bad number");
    v->type = JSON_NUMBER;
    v->text = text_alloc(ps, n + 1);
    if (!v->text) return fail(ps, "out of memory");
    memcpy(v->text, start, n);
    v->text[n] = '\0';
    char *endp;
    errno = 0;
    v->number = strtod(v->text, &endp);   /* read once: json_get_double takes it from here */
    if (*endp) return fail(ps, "bad number '%s'", v->text);
    return 0;
}

static int grow(parser *ps, json_value *v, size_t *cap, bool with_keys)
{
    if (v->n < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 8;
    json_value *it = realloc(v->items, nc * sizeof *it);
    if (!it) return fail(ps, "out of memory");
    v->items = it;
    if (with_keys) {
        char **ks = realloc(v->keys, nc * sizeof *ks);
        if (!ks) return fail(ps, "out of memory");
        v->keys = ks;
    }
    *cap = nc;
    return 0;
}

static int parse_array(parser *ps, json_value *v)
{
    v->type = JSON_ARRAY;
    ps->p++;
    size_t cap = 0;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') { ps->p++; return 0; }
    for (;;) {
        if (grow(ps, v, &cap, false)) return -1;
        json_value *it = &v->items[v->n];
        memset(it, 0, sizeof *it);
        v->n++;
        if (parse_value(ps, it)) return -1;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
        if (ps->p < ps->end && *ps->p == ']') { ps->p++; return 0; }
        return fail(ps, "expected ',' or ']'");
    }
}

static int parse_object(parser *ps, json_value *v)
{
    v->type = JSON_OBJECT;
    ps->p++;
    size_t cap = 0;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') { ps->p++; return 0; }
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "expected a member name");
        if (grow(ps, v, &cap, true)) return -1;
        v->keys[v->n] = NULL;
        json_value *it = &v->items[v->n];
        memset(it, 0, sizeof *it);
        v->n++;
        if (parse_string(ps, &v->keys[v->n - 1])) return -1;
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') return fail(ps, "expected ':'");
        ps->p++;
        if (parse_value(ps, it)) return -1;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
        if (ps->p < ps->end && *ps->p == '}') { ps->p++; return 0; }
        return fail(ps, "expected ',' or '}'");
    }
}

static int parse_literal(parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail(ps, "unexpected character");
    ps->p += n;
    return 0;
}

static int parse_value(parser *ps, json_value *v)
{
    skip_ws(ps);
    if (ps->p >= ps->end) return fail(ps, "unexpected end of input");
    if (++ps->depth > JSON_MAX_DEPTH) return fail(ps, "nested too deeply");
    int rc;
    switch (*ps->p) {
    case '{': rc = parse_object(ps, v); break;
    case '[': rc = parse_array(ps, v); break;
    case '"': v->type = JSON_STRING; rc = parse_string(ps, &v->text); break;
    case 't': v->type = JSON_BOOL; v->b = true; rc = parse_literal(ps, "true"); break;
    case 'f': v->type = JSON_BOOL; v->b = false; rc = parse_literal(ps, "false"); break;
    case 'n': v->type = JSON_NULL; rc = parse_literal(ps, "null"); break;
    default: rc = parse_number(ps, v); break;
    }
    ps->depth--;
    return rc;
}

static void free_inner(json_value *v)
{
    for (size_t i = 0; i < v->n; i++) free_inner(&v->items[i]);
    free(v->items);
    free(v->keys);
}

void json_free(json_value *v)
{
    if (!v) return;
    json_doc *d = (json_doc *)v;   /* v is the root json_parse returned */
    free_inner(&d->root);
    for (text_block *b = d->texts, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(d);
}

json_value *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
    parser ps = {.s = text, .end = text + len, .p = text, .err = err, .errlen = errlen};
    json_doc *d = calloc(1, sizeof *d);
    if (!d) { fail(&ps, "out of memory"); return NULL; }
    ps.doc = d;
    if (parse_value(&ps, &d->root) == 0) {
        skip_ws(&ps);
        if (ps.p == ps.end) return &d->root;
        fail(&ps, "trailing characters after the document");
    }
    json_free(&d->root);
    return NULL;
}

const json_value *json_get(const json_value *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0) return &obj->items[i];
    return NULL;
}

static const json_value *member(const json_value *obj, const char *key, json_type t, char *err,
                                size_t errlen)
{
    const json_value *m = json_get(obj, key);
    if (!m) { snprintf(err, errlen, "missing member '%s'", key); return NULL; }
    if (m->type != t && !(t == JSON_NUMBER && m->type == JSON_NULL)) {
        snprintf(err, errlen, "member '%s' has the wrong type", key);
        return NULL;
    }
    return m;
}

int json_get_u64(const json_value *obj, const char *key, uint64_t *out, char *err, size_t errlen)
{
    const json_value *m = member(obj, key, JSON_NUMBER, err, errlen);
    if (!m) return -1;
    char *endp;
    errno = 0;
    if (m->type != JSON_NUMBER || m->text[0] == '-') goto bad;
    uintmax_t v = strtoumax(m->text, &endp, 10);
    if (errno || *endp) goto bad;
    *out = (uint64_t)v;
    return 0;
bad:
    snprintf(err, errlen, "member '%s' is not an unsigned integer", key);
    return -1;
}

int json_get_double(const json_value *obj, const char *key, double *out, char *err, size_t errlen)
{
    const json_value *m = member(obj, key, JSON_NUMBER, err, errlen);
    if (!m) return -1;
    *out = m->type == JSON_NULL ? NAN : m->number;
    /* JSON has no infinity: a literal beyond the double range (1e999) would
     * read as one and be written back as null; refuse it instead. */
    if (isinf(*out)) {
        snprintf(err, errlen, "member '%s': number %.40s out of range", key, m->text);
        return -1;
    }
    return 0;
}

int json_get_bool(const json_value *obj, const char *key, bool *out, char *err, size_t errlen)
{
    const json_value *m = member(obj, key, JSON_BOOL, err, errlen);
    if (!m) return -1;
    *out = m->b;
    return 0;
}

int json_get_string(const json_value *obj, const char *key, char *out, size_t cap, char *err,
                    size_t errlen)
{
    const json_value *m = member(obj, key, JSON_STRING, err, errlen);
    if (!m) return -1;
    if (strlen(m->text) >= cap) {
        snprintf(err, errlen, "member '%s' is longer than %zu bytes", key, cap - 1);
        return -1;
    }
    strcpy(out, m->text);
    return 0;
}

void json_write_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20) fprintf(out, "\\u%04x", *p);
            else fputc(*p, out);
        }
    }
    fputc('"', out);
}

void json_write_double(FILE *out, double v)
{
    if (!isfinite(v)) { fputs("null", out); return; }
    fprintf(out, "%.17g", v);
}
