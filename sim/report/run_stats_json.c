/* run_stats <-> JSON, written and read from the table of fields
 * (stat_fields.c): the point file of a sweep, and the per_chip entries of
 * summary.json. Every stored field round-trips (doubles printed with
 * %.17g). Besides the fields, a point carries what its node declared: the
 * components its per-chip maps are keyed by, and its memory levels. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"
#include "report_internal.h"
#include "stat_fields.h"

static const void *field_at(const void *base, const stat_field *f)
{
    return (const char *)base + f->offset;
}

void stat_write_json_value(FILE *out, const stat_field *f, const void *base)
{
    const void *p = field_at(base, f);
    switch (f->type) {
    case STAT_STR: json_write_string(out, p); return;
    case STAT_U32: fprintf(out, "%" PRIu32, *(const uint32_t *)p); return;
    case STAT_U64: fprintf(out, "%" PRIu64, *(const uint64_t *)p); return;
    case STAT_F64: json_write_double(out, *(const double *)p); return;
    case STAT_BOOL: fputs(*(const bool *)p ? "true" : "false", out); return;
    case STAT_TEXT: fputs("null", out); return;   /* derived: a row writes its text */
    }
}

static int read_u32(const json_value *o, const char *key, uint32_t *out, char *err, size_t el)
{
    uint64_t v;
    if (json_get_u64(o, key, &v, err, el)) return -1;
    if (v > UINT32_MAX) { snprintf(err, el, "member '%s' out of range", key); return -1; }
    *out = (uint32_t)v;
    return 0;
}

/* One scalar member `key` of o into f's place in base. */
static int read_value(const json_value *o, const char *key, const stat_field *f, void *p,
                      char *err, size_t el)
{
    switch (f->type) {
    case STAT_STR: return json_get_string(o, key, p, f->size, err, el);
    case STAT_U32: return read_u32(o, key, p, err, el);
    case STAT_U64: return json_get_u64(o, key, p, err, el);
    case STAT_F64: return json_get_double(o, key, p, err, el);
    case STAT_BOOL: return json_get_bool(o, key, p, err, el);
    case STAT_TEXT: break;
    }
    snprintf(err, el, "member '%s' is derived, not stored", key);
    return -1;
}

int stat_read_json_value(const json_value *o, const stat_field *f, void *base, char *err,
                         size_t el)
{
    return read_value(o, f->key, f, (char *)base + f->offset, err, el);
}

/* ---- what the node declared ---- */

static void write_components(FILE *out, const component_set *s)
{
    fputs("  \"components\": [", out);
    for (uint32_t c = 0; c < s->n && c < COMPONENTS_MAX; c++) {
        const component_decl *d = &s->c[c];
        fprintf(out, "%s\n    {\"name\": ", c ? "," : "");
        json_write_string(out, d->name);
        fprintf(out, ", \"energy\": %s, \"time\": %s, \"on_mcu\": %s, \"leakage\": %s, \"doc\": ",
                d->energy ? "true" : "false", d->time ? "true" : "false",
                d->on_mcu ? "true" : "false", d->leakage ? "true" : "false");
        json_write_string(out, d->doc);
        fputc('}', out);
    }
    fputs("],\n", out);
}

static void write_levels(FILE *out, const mem_level_set *l)
{
    fputs("  \"levels\": [", out);
    for (uint32_t i = 0; i < l->n && i < MEM_LEVELS_MAX; i++) {
        fputs(i ? ", {\"name\": " : "{\"name\": ", out);
        json_write_string(out, l->v[i].name);
        fprintf(out, ", \"off_chip\": %s}", l->v[i].off_chip ? "true" : "false");
    }
    fputs("],\n", out);
}

static int read_components(const json_value *doc, component_set *s, char *err, size_t el)
{
    const json_value *a = json_get(doc, "components");
    if (!a || a->type != JSON_ARRAY) { snprintf(err, el, "missing array 'components'"); return -1; }
    if (a->n > COMPONENTS_MAX) {
        snprintf(err, el, "components: %zu, at most %d", a->n, COMPONENTS_MAX);
        return -1;
    }
    component_set_init(s);
    for (size_t i = 0; i < a->n; i++) {
        const json_value *o = &a->items[i];
        component_decl *d = &s->c[i];
        if (o->type != JSON_OBJECT ||
            json_get_string(o, "name", d->name, sizeof d->name, err, el) ||
            json_get_bool(o, "energy", &d->energy, err, el) ||
            json_get_bool(o, "time", &d->time, err, el) ||
            json_get_bool(o, "on_mcu", &d->on_mcu, err, el) ||
            json_get_bool(o, "leakage", &d->leakage, err, el) ||
            json_get_string(o, "doc", d->doc, sizeof d->doc, err, el)) {
            if (o->type != JSON_OBJECT) snprintf(err, el, "components[%zu] is not an object", i);
            return -1;
        }
        s->n++;
    }
    for (int k = 0; k < SYSTEM__COUNT; k++) {
        int at = component_set_find(s, component_system_decl((system_component)k)->name);
        s->system[k] = at < 0 ? UINT32_MAX : (uint32_t)at;
    }
    char why[256];
    if (component_set_check(s, why, sizeof why) != 0) {
        snprintf(err, el, "components: %s", why);
        return -1;
    }
    return 0;
}

static int read_levels(const json_value *doc, mem_level_set *l, char *err, size_t el)
{
    const json_value *a = json_get(doc, "levels");
    if (!a || a->type != JSON_ARRAY) { snprintf(err, el, "missing array 'levels'"); return -1; }
    if (a->n > MEM_LEVELS_MAX) {
        snprintf(err, el, "levels: %zu, at most %d", a->n, MEM_LEVELS_MAX);
        return -1;
    }
    memset(l, 0, sizeof *l);
    for (size_t i = 0; i < a->n; i++) {
        const json_value *o = &a->items[i];
        if (o->type != JSON_OBJECT) { snprintf(err, el, "levels[%zu] is not an object", i); return -1; }
        if (json_get_string(o, "name", l->v[i].name, sizeof l->v[i].name, err, el) ||
            json_get_bool(o, "off_chip", &l->v[i].off_chip, err, el))
            return -1;
        l->n++;
    }
    char why[256];
    if (mem_level_set_check(l, why, sizeof why) != 0) {
        snprintf(err, el, "levels: %s", why);
        return -1;
    }
    return 0;
}

/* ---- one chip ---- */

/* The names a per-component or per-level map of f is keyed by, in order. */
static size_t map_keys(const stat_field *f, const run_stats *s, const char **keys, size_t *idx)
{
    size_t n = 0;
    if (f->level == STAT_CHIP_LEVEL) {
        for (uint32_t i = 0; i < s->levels.n && i < MEM_LEVELS_MAX; i++)
            keys[n] = s->levels.v[i].name, idx[n++] = i;
        return n;
    }
    for (uint32_t c = 0; c < s->components.n && c < COMPONENTS_MAX; c++)
        if (stat_field_component_has(f, &s->components.c[c]))
            keys[n] = s->components.c[c].name, idx[n++] = c;
    return n;
}

#define MAP_MAX (COMPONENTS_MAX > MEM_LEVELS_MAX ? COMPONENTS_MAX : MEM_LEVELS_MAX)

static void write_map(FILE *out, const stat_field *f, const run_stats *s, const chip_stats *c)
{
    const char *keys[MAP_MAX];
    size_t idx[MAP_MAX], n = map_keys(f, s, keys, idx);
    const char *p = field_at(c, f);
    fputc('{', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", keys[i]);
        if (f->type == STAT_F64) json_write_double(out, ((const double *)p)[idx[i]]);
        else fprintf(out, "%" PRIu64, ((const uint64_t *)p)[idx[i]]);
    }
    fputc('}', out);
}

static int read_map(const json_value *o, const stat_field *f, const run_stats *s, chip_stats *c,
                    char *err, size_t el)
{
    const json_value *m = json_get(o, f->key);
    if (!m || m->type != JSON_OBJECT) { snprintf(err, el, "missing object '%s'", f->key); return -1; }
    const char *keys[MAP_MAX];
    size_t idx[MAP_MAX], n = map_keys(f, s, keys, idx);
    /* exactly the declared keys: a member of another node would be lost */
    if (m->n != n) {
        snprintf(err, el, "'%s' has %zu members, the declared %s give %zu", f->key, m->n,
                 f->level == STAT_CHIP_LEVEL ? "levels" : "components", n);
        return -1;
    }
    char *p = (char *)c + f->offset;
    for (size_t i = 0; i < n; i++) {
        int rc = f->type == STAT_F64
                     ? json_get_double(m, keys[i], &((double *)p)[idx[i]], err, el)
                     : json_get_u64(m, keys[i], &((uint64_t *)p)[idx[i]], err, el);
        if (rc) return -1;
    }
    return 0;
}

static bool chip_field(const stat_field *f, stat_out o)
{
    return f->level >= STAT_CHIP && stat_field_in(f, o);
}

/* Starts the next line of a chip's object. */
static void next_line(FILE *out, int *lines, const char *indent)
{
    if ((*lines)++) fprintf(out, ",\n%s ", indent);
    else fputc('{', out);
}

/* Whether f is the first field of its group (so the group's object starts). */
static bool group_starts(const stat_field *fs, size_t at, stat_out o)
{
    for (size_t j = 0; j < at; j++)
        if (chip_field(&fs[j], o) && fs[j].group && !strcmp(fs[j].group, fs[at].group))
            return false;
    return true;
}

/* One chip's object, after `indent`: the per-component maps a line each,
 * the chip's own figures on one line, then each group ("placement") as an
 * object of its own. */
static void write_chip(FILE *out, const run_stats *s, const chip_stats *c, const char *indent,
                       stat_out o)
{
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    int lines = 0;
    fputs(indent, out);
    for (size_t i = 0; i < nf; i++) {
        if (!chip_field(&fs[i], o) || fs[i].level != STAT_CHIP_COMP) continue;
        next_line(out, &lines, indent);
        fprintf(out, "\"%s\": ", fs[i].key);
        write_map(out, &fs[i], s, c);
    }
    bool first = true;
    for (size_t i = 0; i < nf; i++) {
        if (!chip_field(&fs[i], o) || fs[i].level != STAT_CHIP || fs[i].group) continue;
        if (first) next_line(out, &lines, indent);
        fprintf(out, "%s\"%s\": ", first ? "" : ", ", fs[i].key);
        stat_write_json_value(out, &fs[i], c);
        first = false;
    }
    for (size_t g = 0; g < nf; g++) {
        if (!chip_field(&fs[g], o) || !fs[g].group || !group_starts(fs, g, o)) continue;
        next_line(out, &lines, indent);
        fprintf(out, "\"%s\": {", fs[g].group);
        for (size_t i = g, n = 0; i < nf; i++) {
            if (!chip_field(&fs[i], o) || !fs[i].group || strcmp(fs[i].group, fs[g].group))
                continue;
            fprintf(out, "%s\"%s\": ", n++ ? ", " : "", fs[i].key);
            if (fs[i].level == STAT_CHIP_LEVEL) write_map(out, &fs[i], s, c);
            else stat_write_json_value(out, &fs[i], c);
        }
        fputc('}', out);
    }
    if (!lines) fputc('{', out);
    fputc('}', out);
}

/* Shared with the summary.json writer: one chip's breakdown object. */
void report_write_chip_json(FILE *out, const run_stats *s, const chip_stats *c, const char *indent)
{
    write_chip(out, s, c, indent, OUT_JSON);
}

static int read_chip(const json_value *o, const run_stats *s, chip_stats *c, char *err, size_t el)
{
    if (o->type != JSON_OBJECT) { snprintf(err, el, "per_chip entry is not an object"); return -1; }
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    for (size_t i = 0; i < nf; i++) {
        const stat_field *f = &fs[i];
        if (!chip_field(f, OUT_POINT)) continue;
        const json_value *in = o;
        if (f->group) {
            in = json_get(o, f->group);
            if (!in || in->type != JSON_OBJECT) {
                snprintf(err, el, "missing object '%s'", f->group);
                return -1;
            }
        }
        int rc = f->level == STAT_CHIP ? stat_read_json_value(in, f, c, err, el)
                                       : read_map(in, f, s, c, err, el);
        if (rc) return -1;
    }
    return 0;
}

/* ---- the point ---- */

/* Only stamped results carry it; a plain run's JSON stays as it was. */
static void write_stamp(FILE *out, const point_stamp *t)
{
    if (!t->config_sha256[0]) return;
    fputs("  \"stamp\": {\"id\": ", out);
    json_write_string(out, t->id);
    fputs(", \"config_sha256\": ", out);
    json_write_string(out, t->config_sha256);
    fputs(", \"mcusim_version\": ", out);
    json_write_string(out, t->version);
    fputs(", \"mode\": ", out);
    json_write_string(out, t->mode);
    fputs("},\n", out);
}

int run_stats_write_json(FILE *out, const run_stats *s)
{
    fputs("{\n", out);
    write_stamp(out, &s->stamp);
    write_components(out, &s->components);
    write_levels(out, &s->levels);
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    for (size_t i = 0; i < nf; i++) {
        if (fs[i].level != STAT_RUN || !stat_field_in(&fs[i], OUT_POINT)) continue;
        fprintf(out, "  \"%s\": ", fs[i].key);
        stat_write_json_value(out, &fs[i], s);
        fputs(",\n", out);
    }
    fputs("  \"per_chip\": [", out);
    for (uint32_t i = 0; s->per_chip && i < s->chips; i++) {
        fputs(i ? ",\n" : "\n", out);
        write_chip(out, s, &s->per_chip[i], "    ", OUT_POINT);
    }
    fputs("\n  ]\n}\n", out);
    return ferror(out) ? -1 : 0;
}

static int read_top(const json_value *o, run_stats *s, char *err, size_t el)
{
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    for (size_t i = 0; i < nf; i++)
        if (fs[i].level == STAT_RUN && stat_field_in(&fs[i], OUT_POINT) &&
            stat_read_json_value(o, &fs[i], s, err, el))
            return -1;
    return 0;
}

/* Absent = unstamped (an older point file); present = all four strings. */
static int read_stamp(const json_value *doc, point_stamp *t, char *err, size_t el)
{
    const json_value *o = json_get(doc, "stamp");
    if (!o) return 0;
    if (o->type != JSON_OBJECT) { snprintf(err, el, "member 'stamp' is not an object"); return -1; }
    return json_get_string(o, "id", t->id, sizeof t->id, err, el) ||
                   json_get_string(o, "config_sha256", t->config_sha256, sizeof t->config_sha256, err, el) ||
                   json_get_string(o, "mcusim_version", t->version, sizeof t->version, err, el) ||
                   json_get_string(o, "mode", t->mode, sizeof t->mode, err, el)
               ? -1
               : 0;
}

int run_stats_read_json(const char *text, size_t len, run_stats *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    json_value *doc = json_parse(text, len, err, errlen);
    if (!doc) return -1;
    int rc = -1;
    if (doc->type != JSON_OBJECT) { snprintf(err, errlen, "run stats: not a JSON object"); goto done; }
    if (read_components(doc, &out->components, err, errlen) ||
        read_levels(doc, &out->levels, err, errlen) || read_top(doc, out, err, errlen) ||
        read_stamp(doc, &out->stamp, err, errlen))
        goto done;
    const json_value *pc = json_get(doc, "per_chip");
    if (!pc || pc->type != JSON_ARRAY || pc->n != out->chips) {
        snprintf(err, errlen, "per_chip must be an array of %" PRIu32 " entries", out->chips);
        goto done;
    }
    out->per_chip = calloc(out->chips ? out->chips : 1, sizeof *out->per_chip);
    if (!out->per_chip) { snprintf(err, errlen, "out of memory"); goto done; }
    for (uint32_t i = 0; i < out->chips; i++)
        if (read_chip(&pc->items[i], out, &out->per_chip[i], err, errlen)) goto done;
    rc = 0;
done:
    if (rc) { free(out->per_chip); out->per_chip = NULL; }
    json_free(doc);
    return rc;
}

/* ---- comparing two points field by field ---- */

static bool same_value(stat_type t, const void *x, const void *y, size_t size)
{
    switch (t) {
    case STAT_STR: return strncmp(x, y, size) == 0;
    case STAT_U32: return *(const uint32_t *)x == *(const uint32_t *)y;
    case STAT_U64: return *(const uint64_t *)x == *(const uint64_t *)y;
    case STAT_F64: {
        double a = *(const double *)x, b = *(const double *)y;
        return a == b || (a != a && b != b);   /* NaN reads back as NaN */
    }
    case STAT_BOOL: return *(const bool *)x == *(const bool *)y;
    case STAT_TEXT: return true;
    }
    return false;
}

static int differs(char *what, size_t cap, const char *fmt, const char *a, const char *b)
{
    snprintf(what, cap, fmt, a, b);
    return -1;
}

int run_stats_compare(const run_stats *a, const run_stats *b, char *what, size_t cap)
{
    if (memcmp(&a->components, &b->components, sizeof a->components) ||
        memcmp(&a->levels, &b->levels, sizeof a->levels))
        return differs(what, cap, "%s%s", "the declared components or levels", "");
    if (memcmp(&a->stamp, &b->stamp, sizeof a->stamp))
        return differs(what, cap, "%s%s", "stamp", "");
    size_t nf;
    const stat_field *fs = stat_fields(&nf);
    for (size_t i = 0; i < nf; i++) {
        const stat_field *f = &fs[i];
        if (f->level != STAT_RUN || !stat_field_in(f, OUT_POINT)) continue;
        if (!same_value(f->type, field_at(a, f), field_at(b, f), f->size))
            return differs(what, cap, "%s%s", f->key, "");
    }
    if (!a->per_chip != !b->per_chip) return differs(what, cap, "%s%s", "per_chip", "");
    for (uint32_t k = 0; a->per_chip && k < a->chips; k++)
        for (size_t i = 0; i < nf; i++) {
            const stat_field *f = &fs[i];
            if (!chip_field(f, OUT_POINT)) continue;
            const char *x = field_at(&a->per_chip[k], f), *y = field_at(&b->per_chip[k], f);
            size_t n = 1, step = f->size;
            if (f->level == STAT_CHIP_COMP || f->level == STAT_CHIP_LEVEL) {
                n = f->level == STAT_CHIP_COMP ? a->components.n : a->levels.n;
                step = f->type == STAT_F64 ? sizeof(double) : sizeof(uint64_t);
            }
            for (size_t j = 0; j < n; j++)
                if (!same_value(f->type, x + j * step, y + j * step, step))
                    return differs(what, cap, "per_chip.%s%s", f->key, "");
        }
    return 0;
}
