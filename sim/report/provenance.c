/* provenance.json (see provenance.h). The host and the date are the only
 * figures here that are not a function of the inputs; that is why they live
 * in this file and never in a summary, which must stay byte-identical
 * across reruns and merges. */
#include "provenance.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "report_internal.h"

static void member(FILE *f, const char *key, const char *v, int last)
{
    fprintf(f, "  \"%s\": ", key);
    json_write_string(f, v ? v : "");
    fputs(last ? "\n" : ",\n", f);
}

int provenance_write(const char *dir, const provenance_info *p, char *err, size_t errlen)
{
    char host[256] = "unknown", date[64] = "unknown", path[4096];
    if (gethostname(host, sizeof host) != 0) snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm)) strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (snprintf(path, sizeof path, "%s/provenance.json", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "%.200s...: output folder path too long", dir);
        return -1;
    }
    membuf m;
    if (membuf_open(&m)) { snprintf(err, errlen, "out of memory"); return -1; }
    FILE *f = m.f;
    fputs("{\n", f);
    member(f, "mcusim_version", p->version, 0);
    member(f, "git_describe", p->git_describe, 0);
    member(f, "mode", p->mode, 0);
    member(f, "config_sha256", p->config_sha256, 0);
    member(f, "host", host, 0);
    member(f, "date_utc", date, 0);
    member(f, "command_line", p->command_line, 0);
    if (p->merged_from) {
        fputs("  \"merged_from\": [", f);
        for (size_t i = 0; i < p->n_merged_from; i++) {
            if (i) fputs(", ", f);
            json_write_string(f, p->merged_from[i]);
        }
        fputs("],\n", f);
    }
    member(f, "config", p->config_text, 1);
    fputs("}\n", f);
    return membuf_commit(&m, path, err, errlen);
}
