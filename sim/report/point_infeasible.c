/* Infeasible-point records (see point_infeasible.h). */
#include "point_infeasible.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../core/file_read.h"
#include "json.h"
#include "report_internal.h"

/* Far more than a stamp, a label and a reason take. */
#define RECORD_MAX_BYTES (64u << 10)

void point_infeasible_path(const char *points_dir, const char *id, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s.infeasible.json", points_dir, id);
}

int point_infeasible_write(const char *path, const planned_point *p, const char *reason,
                           char *err, size_t errlen)
{
    if (!reason || !reason[0]) reason = "(no reason given)";
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    const point_stamp *t = &p->stamp;
    fputs("{\n  \"stamp\": {\"id\": ", m.f);
    json_write_string(m.f, t->id);
    fputs(", \"config_sha256\": ", m.f);
    json_write_string(m.f, t->config_sha256);
    fputs(", \"mcusim_version\": ", m.f);
    json_write_string(m.f, t->version);
    fputs(", \"mode\": ", m.f);
    json_write_string(m.f, t->mode);
    fputs("},\n  \"sweep\": ", m.f);
    json_write_string(m.f, p->sweep);
    fprintf(m.f, ",\n  \"infeasible\": ");
    char cut[POINT_INFEASIBLE_REASON_MAX];
    snprintf(cut, sizeof cut, "%s", reason);
    json_write_string(m.f, cut);
    fputs("\n}\n", m.f);
    return membuf_commit(&m, path, err, errlen);
}

static point_status judge(const json_value *doc, const planned_point *want, char *reason,
                          size_t reason_cap, char *why, size_t cap)
{
    char e[256];
    point_stamp have;
    memset(&have, 0, sizeof have);
    const json_value *st = json_get(doc, "stamp");
    char sweep[sizeof want->sweep];
    if (doc->type != JSON_OBJECT || !st || st->type != JSON_OBJECT ||
        json_get_string(st, "id", have.id, sizeof have.id, e, sizeof e) ||
        json_get_string(st, "config_sha256", have.config_sha256, sizeof have.config_sha256, e,
                        sizeof e) ||
        json_get_string(st, "mcusim_version", have.version, sizeof have.version, e, sizeof e) ||
        json_get_string(st, "mode", have.mode, sizeof have.mode, e, sizeof e) ||
        json_get_string(doc, "sweep", sweep, sizeof sweep, e, sizeof e) ||
        json_get_string(doc, "infeasible", reason, reason_cap, e, sizeof e)) {
        snprintf(why, cap, "not an infeasible-point record");
        return POINT_BAD;
    }
    if (!reason[0]) {
        snprintf(why, cap, "infeasible without a reason");
        return POINT_BAD;
    }
    if (strcmp(have.id, want->stamp.id)) {
        snprintf(why, cap, "holds point %s, not %s", have.id, want->stamp.id);
        return POINT_BAD;
    }
    if (strcmp(sweep, want->sweep)) {
        snprintf(why, cap, "its sweep assignments '%s' are not the plan's '%s'", sweep,
                 want->sweep);
        return POINT_BAD;
    }
    return stamp_compare(&have, &want->stamp, why, cap) ? POINT_STALE : POINT_OK;
}

point_status point_infeasible_load(const char *path, const planned_point *want, char *reason,
                                   size_t reason_cap, char *why, size_t cap)
{
    if (reason_cap) reason[0] = '\0';
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT) { snprintf(why, cap, "missing"); return POINT_MISSING; }
        snprintf(why, cap, "%s", strerror(errno));
        return POINT_BAD;
    }
    char r[160];
    size_t len;
    char *text = file_read_regular(path, RECORD_MAX_BYTES, &len, r, sizeof r);
    if (!text) { snprintf(why, cap, "cannot read: %s", r); return POINT_BAD; }
    char e[256];
    json_value *doc = json_parse(text, len, e, sizeof e);
    free(text);
    if (!doc) {
        snprintf(why, cap, "not a complete record (truncated or edited?): %s", e);
        return POINT_BAD;
    }
    point_status st = judge(doc, want, reason, reason_cap, why, cap);
    json_free(doc);
    if (st != POINT_OK && reason_cap) reason[0] = '\0';
    return st;
}
