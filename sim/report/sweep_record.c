/* sweep.json write / read / compare (see sweep_record.h). Read as hostile
 * input: every member is type-checked and bounded. */
#include "sweep_record.h"

#include "../../core/file_read.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json.h"
#include "report_internal.h"

#define RECORD_MAX_BYTES (256u << 20)

static void string_list(FILE *f, char *const *v, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", f);
        json_write_string(f, v[i]);
    }
    fputc(']', f);
}

static void axis_text(const sweep_axis *a, char *buf, size_t cap)
{
    size_t len = (size_t)snprintf(buf, cap, "%s=", a->key);
    for (size_t i = 0; i < a->n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "," : "", a->values[i]);
}

int sweep_record_write(const char *dir, const sweep_record *r, char *err, size_t errlen)
{
    char path[4200];
    if (snprintf(path, sizeof path, "%s/sweep.json", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "%.200s...: output folder path too long", dir);
        return -1;
    }
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    FILE *f = m.f;
    fputs("{\n  \"experiment_path\": ", f);
    json_write_string(f, r->experiment_path);
    fputs(",\n  \"set\": ", f);
    string_list(f, r->sets, r->n_sets);
    fprintf(f, ",\n  \"timing_only\": %s", strcmp(r->mode, "timing-only") ? "false" : "true");
    fputs(",\n  \"mcusim_version\": ", f);
    json_write_string(f, r->version);
    fputs(",\n  \"mode\": ", f);
    json_write_string(f, r->mode);
    fputs(",\n  \"config_sha256\": ", f);
    json_write_string(f, r->config_sha256);
    fputs(",\n  \"chips\": [", f);
    for (size_t i = 0; i < r->n_chips; i++) fprintf(f, "%s%" PRIu64, i ? ", " : "", r->chips[i]);
    fputs("],\n  \"sweep\": [", f);
    for (size_t i = 0; i < r->n_axes; i++) {
        char t[SWEEP_MAX_VALUES * SWEEP_VALUE_MAX + 256];
        axis_text(&r->axes[i], t, sizeof t);
        if (i) fputs(", ", f);
        json_write_string(f, t);
    }
    fputs("],\n  \"points\": [", f);
    for (size_t i = 0; i < r->n_points; i++) {
        const planned_point *p = &r->points[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        json_write_string(f, p->stamp.id);
        fputs(", \"config_sha256\": ", f);
        json_write_string(f, p->stamp.config_sha256);
        fputs(", \"sweep\": ", f);
        json_write_string(f, p->sweep);
        if (p->not_applicable[0]) {
            fputs(", \"not_applicable\": ", f);
            json_write_string(f, p->not_applicable);
        }
        fputc('}', f);
    }
    fputs("\n  ]\n}\n", f);
    return membuf_commit(&m, path, err, errlen);
}

/* Opened non-blocking and type-checked on the descriptor: a FIFO at the
 * path must not hang the reader (core/file_read.h). */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    char why[160];
    char *text = file_read_regular(path, RECORD_MAX_BYTES, len, why, sizeof why);
    if (!text) snprintf(err, errlen, "%s: %s", path, why);
    return text;
}

static int read_strings(const json_value *doc, const char *key, sweep_record *r, char *err, size_t el)
{
    const json_value *a = json_get(doc, key);
    if (!a || a->type != JSON_ARRAY) { snprintf(err, el, "member '%s' is not an array", key); return -1; }
    r->sets = calloc(a->n ? a->n : 1, sizeof *r->sets);
    if (!r->sets) { snprintf(err, el, "out of memory"); return -1; }
    for (size_t i = 0; i < a->n; i++) {
        if (a->items[i].type != JSON_STRING) { snprintf(err, el, "'%s' holds a non-string", key); return -1; }
        if (!(r->sets[r->n_sets++] = strdup(a->items[i].text))) { snprintf(err, el, "out of memory"); return -1; }
    }
    return 0;
}

static int read_chips(const json_value *doc, sweep_record *r, char *err, size_t el)
{
    const json_value *a = json_get(doc, "chips");
    if (!a || a->type != JSON_ARRAY || a->n == 0 || a->n > 64) {
        snprintf(err, el, "member 'chips' is not an array of 1..64 chip counts");
        return -1;
    }
    for (size_t i = 0; i < a->n; i++) {
        char *end;
        const json_value *v = &a->items[i];
        unsigned long long c = v->type == JSON_NUMBER ? strtoull(v->text, &end, 10) : 0;
        if (v->type != JSON_NUMBER || *end || c < 1 || c > 4096) {
            snprintf(err, el, "'chips' holds something other than a chip count 1..4096");
            return -1;
        }
        r->chips[r->n_chips++] = c;
    }
    return 0;
}

static int read_axes(const json_value *doc, sweep_record *r, char *err, size_t el)
{
    const json_value *a = json_get(doc, "sweep");
    if (!a || a->type != JSON_ARRAY || a->n > SWEEP_MAX_AXES) {
        snprintf(err, el, "member 'sweep' is not an array of at most %d axes", SWEEP_MAX_AXES);
        return -1;
    }
    for (size_t i = 0; i < a->n; i++) {
        char e2[256];
        if (a->items[i].type != JSON_STRING ||
            sweep_axis_parse(a->items[i].text, &r->axes[r->n_axes++], e2, sizeof e2)) {
            snprintf(err, el, "'sweep' holds a malformed axis");
            return -1;
        }
    }
    return 0;
}

static int read_points(const json_value *doc, sweep_record *r, char *err, size_t el)
{
    const json_value *a = json_get(doc, "points");
    if (!a || a->type != JSON_ARRAY) { snprintf(err, el, "member 'points' is not an array"); return -1; }
    size_t want = r->n_chips;
    for (size_t i = 0; i < r->n_axes; i++) want *= r->axes[i].n;
    if (a->n != want) {
        snprintf(err, el, "'points' lists %zu points, the chips and axes make %zu", a->n, want);
        return -1;
    }
    r->points = calloc(want ? want : 1, sizeof *r->points);
    if (!r->points) { snprintf(err, el, "out of memory"); return -1; }
    sweep_plan plan = {.chips = r->chips, .n_chips = r->n_chips, .axes = r->axes, .n_axes = r->n_axes};
    for (size_t i = 0; i < want; i++) {
        planned_point *p = &r->points[i];
        const json_value *o = &a->items[i];
        if (o->type != JSON_OBJECT ||
            json_get_string(o, "id", p->stamp.id, sizeof p->stamp.id, err, el) ||
            json_get_string(o, "config_sha256", p->stamp.config_sha256, sizeof p->stamp.config_sha256, err, el) ||
            json_get_string(o, "sweep", p->sweep, sizeof p->sweep, err, el)) {
            if (o->type != JSON_OBJECT) snprintf(err, el, "'points' holds a non-object");
            return -1;
        }
        if (json_get(o, "not_applicable") &&
            json_get_string(o, "not_applicable", p->not_applicable, sizeof p->not_applicable, err, el))
            return -1;
        sweep_point pt;
        sweep_plan_point(&plan, i, &pt);
        if (strcmp(pt.id, p->stamp.id) || strcmp(pt.sweep, p->sweep)) {
            snprintf(err, el, "points[%zu] is '%s', the plan makes it '%s'", i, p->stamp.id, pt.id);
            return -1;
        }
        snprintf(p->stamp.version, sizeof p->stamp.version, "%s", r->version);
        snprintf(p->stamp.mode, sizeof p->stamp.mode, "%s", r->mode);
        r->n_points++;
    }
    return 0;
}

int sweep_record_read(const char *dir, sweep_record *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    char path[4200], e[512] = "";
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    size_t len;
    char *text = slurp(path, &len, err, errlen);
    if (!text) return -1;
    json_value *doc = json_parse(text, len, e, sizeof e);
    free(text);
    int rc = -1;
    if (!doc || doc->type != JSON_OBJECT) {
        if (doc) snprintf(e, sizeof e, "not a JSON object");
        goto done;
    }
    if (!json_get(doc, "config_sha256")) {
        snprintf(e, sizeof e, "no provenance stamp (written by an older mcusim): re-run that sweep");
        goto done;
    }
    if (json_get_string(doc, "experiment_path", r->experiment_path, sizeof r->experiment_path, e, sizeof e) ||
        read_strings(doc, "set", r, e, sizeof e) ||
        json_get_string(doc, "mcusim_version", r->version, sizeof r->version, e, sizeof e) ||
        json_get_string(doc, "mode", r->mode, sizeof r->mode, e, sizeof e) ||
        json_get_string(doc, "config_sha256", r->config_sha256, sizeof r->config_sha256, e, sizeof e) ||
        read_chips(doc, r, e, sizeof e) || read_axes(doc, r, e, sizeof e) ||
        read_points(doc, r, e, sizeof e))
        goto done;
    rc = 0;
done:
    json_free(doc);
    if (rc) {
        snprintf(err, errlen, "%s: %s", path, e);
        sweep_record_free(r);
    }
    return rc;
}

static int differ(char *why, size_t cap, const char *what, const char *a, const char *b)
{
    snprintf(why, cap, "%s differs (%s vs %s)", what, a, b);
    return -1;
}

int sweep_record_compare(const sweep_record *a, const sweep_record *b, char *why, size_t cap)
{
    if (strcmp(a->version, b->version)) return differ(why, cap, "mcusim version", a->version, b->version);
    if (strcmp(a->mode, b->mode)) return differ(why, cap, "mode", a->mode, b->mode);
    if (strcmp(a->config_sha256, b->config_sha256)) {
        snprintf(why, cap, "configuration differs (config sha256 %.12s vs %.12s: another experiment "
                 "or other --set values)", a->config_sha256, b->config_sha256);
        return -1;
    }
    bool same_chips = a->n_chips == b->n_chips;
    for (size_t i = 0; same_chips && i < a->n_chips; i++) same_chips = a->chips[i] == b->chips[i];
    if (!same_chips) { snprintf(why, cap, "chip counts differ"); return -1; }
    bool same_axes = a->n_axes == b->n_axes;
    for (size_t i = 0; same_axes && i < a->n_axes; i++) {
        char ta[SWEEP_MAX_VALUES * SWEEP_VALUE_MAX + 256], tb[sizeof ta];
        axis_text(&a->axes[i], ta, sizeof ta);
        axis_text(&b->axes[i], tb, sizeof tb);
        same_axes = !strcmp(ta, tb);
    }
    if (!same_axes) { snprintf(why, cap, "--sweep axes differ"); return -1; }
    for (size_t i = 0; i < a->n_points; i++)
        if (strcmp(a->points[i].stamp.config_sha256, b->points[i].stamp.config_sha256) ||
            strcmp(a->points[i].not_applicable, b->points[i].not_applicable)) {
            snprintf(why, cap, "point %s has another configuration", a->points[i].stamp.id);
            return -1;
        }
    return 0;
}

void sweep_record_free(sweep_record *r)
{
    for (size_t i = 0; i < r->n_sets; i++) free(r->sets[i]);
    free(r->sets);
    free(r->points);
    r->sets = NULL;
    r->points = NULL;
    r->n_sets = r->n_points = 0;
}
