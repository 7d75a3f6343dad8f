/* Stamp modes and comparison (see point_stamp.h). */
#include "point_stamp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MCUSIM_VERSION
#error "MCUSIM_VERSION must be defined by the build (the project version)"
#endif

const char *stamp_version(void)
{
    return MCUSIM_VERSION;
}

char *stamp_config_text(const experiment *e, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) return NULL;
    experiment_print_resolved(e, f);
    if (fclose(f) != 0 || !buf) { free(buf); return NULL; }
    char *body = buf;
    if (!strncmp(body, "# resolved from ", 16)) {
        char *nl = strchr(body, '\n');
        body = nl ? nl + 1 : body + n;
    }
    size_t keep = n - (size_t)(body - buf);
    memmove(buf, body, keep + 1);
    if (len) *len = keep;
    return buf;
}

char *stamp_point_text(const experiment *e, uint32_t chips, size_t *len)
{
    /* A shallow copy read only by the printer: the point's experiment is
     * the combination's with sweep.chips = [chips]. */
    experiment point = *e;
    point.chips.n = 1;
    point.chips.v[0] = chips;
    return stamp_config_text(&point, len);
}

int stamp_point(const experiment *e, uint32_t chips, const char *id, const char *mode,
                point_stamp *out)
{
    size_t len;
    char *text = stamp_point_text(e, chips, &len);
    if (!text) return -1;
    memset(out, 0, sizeof *out);
    sha256_hex(text, len, out->config_sha256);
    free(text);
    snprintf(out->id, sizeof out->id, "%s", id);
    snprintf(out->version, sizeof out->version, "%s", stamp_version());
    snprintf(out->mode, sizeof out->mode, "%s", mode);
    return 0;
}

const char *stamp_mode(bool functional, bool check)
{
    return check ? "functional+check" : functional ? "functional" : "timing-only";
}

static int differs(char *why, size_t cap, const char *what, const char *have, const char *want)
{
    snprintf(why, cap, "%s %s, this sweep %s", what, have, want);
    return -1;
}

int stamp_compare(const point_stamp *have, const point_stamp *want, char *why, size_t cap)
{
    if (!have->config_sha256[0]) {
        snprintf(why, cap, "no provenance stamp (written by an older mcusim)");
        return -1;
    }
    if (strcmp(have->id, want->id)) return differs(why, cap, "stamped for point", have->id, want->id);
    if (strcmp(have->version, want->version))
        return differs(why, cap, "simulated by mcusim", have->version, want->version);
    if (strcmp(have->mode, want->mode)) return differs(why, cap, "mode", have->mode, want->mode);
    if (strcmp(have->config_sha256, want->config_sha256)) {
        snprintf(why, cap, "configuration changed (config sha256 %.12s, this sweep %.12s)",
                 have->config_sha256, want->config_sha256);
        return -1;
    }
    return 0;
}
