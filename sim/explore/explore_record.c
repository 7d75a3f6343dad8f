/* explore.json (see explore_record.h). */
#include "explore_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/file_read.h"
#include "../report/json.h"

char *explore_record_text(const explore_record *r, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) return NULL;
    fputs("{\n  \"experiment_path\": ", f);
    json_write_string(f, r->experiment_path);
    fputs(",\n  \"sets\": [", f);
    for (size_t i = 0; i < r->n_sets; i++) {
        if (i) fputs(", ", f);
        json_write_string(f, r->sets[i]);
    }
    fputs("],\n  \"mcusim_version\": ", f);
    json_write_string(f, r->version);
    fputs(",\n  \"mode\": ", f);
    json_write_string(f, r->mode);
    fputs(",\n  \"config_sha256\": ", f);
    json_write_string(f, r->config_sha256);
    fputs(",\n  \"explore_sha256\": ", f);
    json_write_string(f, r->spec_sha256);
    fputs(",\n  \"points\": [", f);
    for (size_t i = 0; i < r->n_points; i++) {
        const planned_point *p = &r->points[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        json_write_string(f, p->stamp.id);
        fputs(", \"config_sha256\": ", f);
        json_write_string(f, p->stamp.config_sha256);
        fputs(", \"sweep\": ", f);
        json_write_string(f, p->sweep);
        if (r->notes && r->notes[i] && r->notes[i][0]) {
            fputs(", \"note\": ", f);
            json_write_string(f, r->notes[i]);
        }
        fputs("}", f);
    }
    fputs("\n  ]\n}\n", f);
    if (fclose(f) != 0) { free(buf); return NULL; }
    if (len) *len = n;
    return buf;
}

void explore_record_free_sets(char **sets, size_t n)
{
    for (size_t i = 0; sets && i < n; i++) free(sets[i]);
    free(sets);
}

int explore_record_read(const char *dir, char **text, char *experiment_path, size_t cap,
                        char ***sets, size_t *n_sets, char *err, size_t errlen)
{
    char path[4096], why[200];
    *text = NULL;
    *sets = NULL;
    *n_sets = 0;
    snprintf(path, sizeof path, "%s/%s", dir, EXPLORE_RECORD_FILE);
    size_t len;
    char *t = file_read_regular(path, 256u << 20, &len, why, sizeof why);
    if (!t) { snprintf(err, errlen, "%s: cannot read: %s", path, why); return -1; }
    char e[256];
    json_value *doc = json_parse(t, len, e, sizeof e);
    const json_value *s = doc ? json_get(doc, "sets") : NULL;
    if (!doc || doc->type != JSON_OBJECT ||
        json_get_string(doc, "experiment_path", experiment_path, cap, e, sizeof e) || !s ||
        s->type != JSON_ARRAY || !json_get(doc, "points")) {
        snprintf(err, errlen, "%s: not the record of an exploration%s%s", path, doc ? "" : ": ",
                 doc ? "" : e);
        json_free(doc);
        free(t);
        return -1;
    }
    char **v = calloc(s->n ? s->n : 1, sizeof *v);
    for (size_t i = 0; v && i < s->n; i++) {
        if (s->items[i].type != JSON_STRING) {
            snprintf(err, errlen, "%s: sets[%zu] is not a string", path, i);
            explore_record_free_sets(v, s->n);
            json_free(doc);
            free(t);
            return -1;
        }
        v[i] = strdup(s->items[i].text);
        if (!v[i]) { explore_record_free_sets(v, s->n); v = NULL; }
    }
    if (!v) {
        snprintf(err, errlen, "out of memory");
        json_free(doc);
        free(t);
        return -1;
    }
    *sets = v;
    *n_sets = s->n;
    json_free(doc);
    *text = t;
    return 0;
}

/* The text after the experiment_path line (the second line on). */
static const char *after_path(const char *t, int *line)
{
    *line = 1;
    const char *p = strstr(t, "\"experiment_path\"");
    if (!p) return t;
    const char *nl = strchr(p, '\n');
    for (const char *q = t; q < (nl ? nl : p); q++) *line += *q == '\n';
    return nl ? nl + 1 : t + strlen(t);
}

int explore_record_compare(const char *a, const char *b, char *why, size_t cap)
{
    int la, lb;
    const char *x = after_path(a, &la), *y = after_path(b, &lb);
    int line = la + 1;
    while (*x && *y) {
        const char *ex = strchr(x, '\n'), *ey = strchr(y, '\n');
        size_t nx = ex ? (size_t)(ex - x) : strlen(x), ny = ey ? (size_t)(ey - y) : strlen(y);
        if (nx != ny || memcmp(x, y, nx)) {
            snprintf(why, cap, "line %d differs: %.*s", line, (int)(nx < 160 ? nx : 160), x);
            return -1;
        }
        x += nx + (ex != NULL);
        y += ny + (ey != NULL);
        line++;
    }
    if (*x || *y) {
        snprintf(why, cap, "one plan has more points than the other (from line %d)", line);
        return -1;
    }
    return 0;
}
