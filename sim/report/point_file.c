/* Point files: nothing read from disk is used before it parsed, passed
 * run_stats_check, and proved to be the point its name says. */
#include "point_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../core/file_read.h"
#include "report.h"
#include "report_internal.h"
#include "run_stats_check.h"
#include "../experiment/sweep_plan.h"

/* Opened non-blocking and type-checked on the descriptor: a FIFO at the
 * path must not hang the reader (core/file_read.h). */
static char *slurp_bounded(const char *path, size_t *len, char *why, size_t cap)
{
    char r[160];
    char *text = file_read_regular(path, POINT_FILE_MAX_BYTES, len, r, sizeof r);
    if (!text) snprintf(why, cap, "cannot read: %s", r);
    return text;
}

static const char *stem_of(const char *path, char *buf, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 5 && !strcmp(b + n - 5, ".json")) n -= 5;
    snprintf(buf, cap, "%.*s", (int)n, b);
    return buf;
}

/* Parse + validate + "is the point its file name says". 0, or -1 with why. */
static int read_valid(const char *path, run_stats *out, char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *text = slurp_bounded(path, &len, why, cap);
    if (!text) return -1;
    char e[512];
    int rc = run_stats_read_json(text, len, out, e, sizeof e);
    free(text);
    if (rc) {
        snprintf(why, cap, "not a complete point file (truncated or edited?): %s", e);
        return -1;
    }
    if (run_stats_check(out, e, sizeof e)) {
        snprintf(why, cap, "%s", e);
        goto reject;
    }
    char stem[64], id[32];
    stem_of(path, stem, sizeof stem);
    sweep_point_id(out->chips, out->grid_index, out->sweep[0] != '\0', id, sizeof id);
    if (strcmp(id, stem)) {
        snprintf(why, cap, "holds point %s (chips=%u), not %s", id, (unsigned)out->chips, stem);
        goto reject;
    }
    return 0;
reject:
    free(out->per_chip);
    memset(out, 0, sizeof *out);
    return -1;
}

point_status point_file_load(const char *path, const planned_point *want, run_stats *out,
                             char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) { snprintf(why, cap, "missing"); return POINT_MISSING; }
        snprintf(why, cap, "%s", strerror(errno));
        return POINT_BAD;
    }
    if (!S_ISREG(st.st_mode)) { snprintf(why, cap, "not a regular file"); return POINT_BAD; }
    if (read_valid(path, out, why, cap)) return POINT_BAD;
    point_status st_out = POINT_OK;
    if (strcmp(out->sweep, want->sweep)) {
        snprintf(why, cap, "its sweep assignments '%s' are not the plan's '%s'", out->sweep, want->sweep);
        st_out = POINT_BAD;
    } else if (stamp_compare(&out->stamp, &want->stamp, why, cap)) {
        st_out = POINT_STALE;
    }
    if (st_out != POINT_OK) {
        free(out->per_chip);
        memset(out, 0, sizeof *out);
    }
    return st_out;
}

int point_file_read_unplanned(const char *path, run_stats *out, char *why, size_t cap)
{
    return read_valid(path, out, why, cap);
}

int point_file_write(const char *path, const run_stats *s, char *err, size_t errlen)
{
    char why[512];
    if (run_stats_check(s, why, sizeof why)) {
        snprintf(err, errlen, "refusing to record invalid statistics: %s", why);
        return -1;
    }
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    run_stats_write_json(m.f, s);
    return membuf_commit(&m, path, err, errlen);
}
