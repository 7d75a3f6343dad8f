/* OUT/ops/<id>.json (see ops_file.h). One row is a compact array,
 *   [chip, row, index, kind, label, start_cycle, end_cycle,
 *    [time_cycles per component], [energy_j per component],
 *    [bytes per level], link_bytes, link_wire_bytes]
 * row and kind by name, the per-component and per-level arrays in the
 * order of the file's "components" and "levels" (the point's). */
#include "ops_file.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../core/file_read.h"
#include "json.h"
#include "point_stamp.h"
#include "report_internal.h"
#include "../experiment/sweep_plan.h"

static void write_names(FILE *out, const char *key, const char *const *names, size_t n)
{
    fprintf(out, "  \"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        json_write_string(out, names[i]);
    }
    fputs("],\n", out);
}

static void write_row(FILE *out, const run_stats *s, const op_record *r)
{
    fprintf(out, "[%" PRIu32 ", \"%s\", %" PRIu32 ", \"%s\", ", r->chip, op_row_kind_name(r->row),
            r->index, r->row == OP_ROW_OP ? op_kind_name(r->kind) : "");
    json_write_string(out, r->label);
    fprintf(out, ", %" PRIu64 ", %" PRIu64 ", [", r->start_cycle, r->end_cycle);
    for (uint32_t k = 0; k < s->components.n; k++)
        fprintf(out, "%s%" PRIu64, k ? ", " : "", r->time_cycles[k]);
    fputs("], [", out);
    for (uint32_t k = 0; k < s->components.n; k++) {
        if (k) fputs(", ", out);
        json_write_double(out, r->energy_j[k]);
    }
    fputs("], [", out);
    for (uint32_t l = 0; l < s->levels.n; l++) fprintf(out, "%s%" PRIu64, l ? ", " : "", r->bytes[l]);
    fprintf(out, "], %" PRIu64 ", %" PRIu64 "]", r->link_bytes, r->link_wire_bytes);
}

int ops_file_write(const char *path, const run_stats *s, char *err, size_t errlen)
{
    const char *comps[COMPONENTS_MAX], *levels[MEM_LEVELS_MAX];
    for (uint32_t k = 0; k < s->components.n && k < COMPONENTS_MAX; k++) comps[k] = s->components.c[k].name;
    for (uint32_t l = 0; l < s->levels.n && l < MEM_LEVELS_MAX; l++) levels[l] = s->levels.v[l].name;
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    fputs("{\n  \"stamp\": {\"id\": ", m.f);
    json_write_string(m.f, s->stamp.id);
    fputs(", \"config_sha256\": ", m.f);
    json_write_string(m.f, s->stamp.config_sha256);
    fputs(", \"mcusim_version\": ", m.f);
    json_write_string(m.f, s->stamp.version);
    fputs(", \"mode\": ", m.f);
    json_write_string(m.f, s->stamp.mode);
    fputs("},\n", m.f);
    write_names(m.f, "components", comps, s->components.n);
    write_names(m.f, "levels", levels, s->levels.n);
    fputs("  \"rows\": [", m.f);
    for (size_t i = 0; i < s->n_ops; i++) {
        fputs(i ? ",\n    " : "\n    ", m.f);
        write_row(m.f, s, &s->ops[i]);
    }
    fputs("\n  ]\n}\n", m.f);
    return membuf_commit(&m, path, err, errlen);
}

/* ---- reading ---- */

static int fail(char *why, size_t cap, const char *msg, size_t row)
{
    if (row == SIZE_MAX) snprintf(why, cap, "%s", msg);
    else snprintf(why, cap, "row %zu: %s", row, msg);
    return -1;
}

static bool as_u64(const json_value *v, uint64_t *out)
{
    if (!v || v->type != JSON_NUMBER || v->text[0] == '-') return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v->text, &end, 10);
    if (*end || errno) return false;
    *out = x;
    return true;
}

static bool as_double(const json_value *v, double *out)
{
    if (!v || v->type != JSON_NUMBER) return false;
    char *end;
    *out = strtod(v->text, &end);
    return *end == '\0';
}

static bool u64_array(const json_value *v, uint32_t n, uint64_t *out)
{
    if (!v || v->type != JSON_ARRAY || v->n != n) return false;
    for (uint32_t i = 0; i < n; i++)
        if (!as_u64(&v->items[i], &out[i])) return false;
    return true;
}

static int kind_by_name(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(name, names[i])) return i;
    return -1;
}

static int read_row(const json_value *a, const run_stats *s, op_record *r, size_t i, char *why,
                    size_t cap)
{
    if (a->type != JSON_ARRAY || a->n != 12) return fail(why, cap, "not an array of 12 items", i);
    memset(r, 0, sizeof *r);
    uint64_t chip, index;
    if (!as_u64(&a->items[0], &chip) || chip >= s->chips) return fail(why, cap, "bad chip", i);
    r->chip = (uint32_t)chip;
    const char *rows[OP_ROW__COUNT], *kinds[OP__COUNT];
    for (int k = 0; k < OP_ROW__COUNT; k++) rows[k] = op_row_kind_name((op_row_kind)k);
    for (int k = 0; k < OP__COUNT; k++) kinds[k] = op_kind_name((op_kind)k);
    int row = a->items[1].type == JSON_STRING ? kind_by_name(a->items[1].text, rows, OP_ROW__COUNT) : -1;
    if (row < 0) return fail(why, cap, "bad row kind", i);
    r->row = (op_row_kind)row;
    if (!as_u64(&a->items[2], &index) || index > UINT32_MAX) return fail(why, cap, "bad index", i);
    r->index = (uint32_t)index;
    if (r->row == OP_ROW_OP) {
        int kind = a->items[3].type == JSON_STRING ? kind_by_name(a->items[3].text, kinds, OP__COUNT) : -1;
        if (kind < 0) return fail(why, cap, "bad op kind", i);
        r->kind = (op_kind)kind;
    }
    if (a->items[4].type != JSON_STRING || strlen(a->items[4].text) >= sizeof r->label)
        return fail(why, cap, "bad label", i);
    snprintf(r->label, sizeof r->label, "%s", a->items[4].text);
    if (!as_u64(&a->items[5], &r->start_cycle) || !as_u64(&a->items[6], &r->end_cycle) ||
        !u64_array(&a->items[7], s->components.n, r->time_cycles) ||
        !u64_array(&a->items[9], s->levels.n, r->bytes) || !as_u64(&a->items[10], &r->link_bytes) ||
        !as_u64(&a->items[11], &r->link_wire_bytes))
        return fail(why, cap, "bad cycles or bytes", i);
    const json_value *e = &a->items[8];
    if (e->type != JSON_ARRAY || e->n != s->components.n) return fail(why, cap, "bad energies", i);
    for (uint32_t k = 0; k < s->components.n; k++)
        if (!as_double(&e->items[k], &r->energy_j[k])) return fail(why, cap, "bad energies", i);
    return 0;
}

/* The file's names are the point's, in its order. */
static int same_names(const json_value *doc, const char *key, const run_stats *s, char *why,
                      size_t cap)
{
    const json_value *v = json_get(doc, key);
    bool comps = key[0] == 'c';
    uint32_t n = comps ? s->components.n : s->levels.n;
    if (!v || v->type != JSON_ARRAY || v->n != n) goto differ;
    for (uint32_t i = 0; i < n; i++)
        if (v->items[i].type != JSON_STRING ||
            strcmp(v->items[i].text, comps ? s->components.c[i].name : s->levels.v[i].name))
            goto differ;
    return 0;
differ:
    snprintf(why, cap, "its %s are not the point's", key);
    return -1;
}

static int read_doc(const json_value *doc, run_stats *s, char *why, size_t cap)
{
    if (doc->type != JSON_OBJECT) return fail(why, cap, "not a JSON object", SIZE_MAX);
    point_stamp t;
    memset(&t, 0, sizeof t);
    char e[256];
    const json_value *st = json_get(doc, "stamp");
    if (!st || st->type != JSON_OBJECT ||
        json_get_string(st, "id", t.id, sizeof t.id, e, sizeof e) ||
        json_get_string(st, "config_sha256", t.config_sha256, sizeof t.config_sha256, e, sizeof e) ||
        json_get_string(st, "mcusim_version", t.version, sizeof t.version, e, sizeof e) ||
        json_get_string(st, "mode", t.mode, sizeof t.mode, e, sizeof e))
        return fail(why, cap, "no stamp", SIZE_MAX);
    if (!s->stamp.config_sha256[0] || stamp_compare(&t, &s->stamp, e, sizeof e))
        return fail(why, cap, s->stamp.config_sha256[0] ? e : "its point is not stamped", SIZE_MAX);
    if (same_names(doc, "components", s, why, cap) || same_names(doc, "levels", s, why, cap)) return -1;
    const json_value *rows = json_get(doc, "rows");
    if (!rows || rows->type != JSON_ARRAY || rows->n == 0) return fail(why, cap, "no rows", SIZE_MAX);
    s->ops = calloc(rows->n, sizeof *s->ops);
    if (!s->ops) return fail(why, cap, "out of memory", SIZE_MAX);
    s->n_ops = rows->n;
    for (size_t i = 0; i < rows->n; i++)
        if (read_row(&rows->items[i], s, &s->ops[i], i, why, cap)) return -1;
    if (op_stats_check(s, e, sizeof e)) {
        snprintf(why, cap, "its rows do not add up to the point's figures: %s", e);
        return -1;
    }
    return 0;
}

int ops_file_load(const char *path, run_stats *s, char *why, size_t cap)
{
    s->ops = NULL;
    s->n_ops = 0;
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT) return 1;
    size_t len;
    char r[160];
    char *text = file_read_regular(path, OPS_FILE_MAX_BYTES, &len, r, sizeof r);
    if (!text) {
        snprintf(why, cap, "cannot read: %s", r);
        return -1;
    }
    char e[256];
    json_value *doc = json_parse(text, len, e, sizeof e);
    free(text);
    int rc = doc ? read_doc(doc, s, why, cap) : fail(why, cap, "not JSON (truncated?)", SIZE_MAX);
    json_free(doc);
    if (rc) {
        free(s->ops);
        s->ops = NULL;
        s->n_ops = 0;
    }
    return rc;
}

static int note(char ***notes, size_t *n, const char *path, const char *why)
{
    if (!notes) return 0;
    char **v = realloc(*notes, (*n + 1) * sizeof *v);
    if (!v) return -1;
    *notes = v;
    size_t len = strlen(path) + strlen(why) + 3;
    if (!(v[*n] = malloc(len))) return -1;
    snprintf(v[(*n)++], len, "%s: %s", path, why);
    return 0;
}

int ops_attach(const char *const *dirs, size_t n_dirs, run_stats *rows, size_t n_rows,
               char ***notes, size_t *n_notes)
{
    for (size_t i = 0; i < n_rows; i++) {
        run_stats *s = &rows[i];
        if (s->ops) continue;
        char id[32];
        sweep_point_id(s->chips, s->grid_index, s->sweep[0] != '\0', id, sizeof id);
        for (size_t d = n_dirs; d-- > 0 && !s->ops;) {
            char path[4200], why[512];
            snprintf(path, sizeof path, "%s/ops/%s.json", dirs[d], id);
            if (ops_file_load(path, s, why, sizeof why) < 0 && note(notes, n_notes, path, why))
                return -1;
        }
    }
    return 0;
}
