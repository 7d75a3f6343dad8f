/* Collecting the per-point JSON files of one or more sweep folders (a
 * sweep, or the shards of one) for the summary writers. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../config/file_read.h"
#include "report.h"

typedef struct name_list {
    char **v;
    size_t n, cap;
} name_list;

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int list_points(const char *dir, name_list *out, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!ends_with(de->d_name, ".json")) continue;
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 32;
            char **v = realloc(out->v, nc * sizeof *v);
            if (!v) break;
            out->v = v;
            out->cap = nc;
        }
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        if (!(out->v[out->n] = malloc(len))) break;
        snprintf(out->v[out->n++], len, "%s/%s", dir, de->d_name);
    }
    closedir(d);
    return 0;
}

/* Point files are small (a few KiB per chip); anything this big is not one. */
#define POINT_MAX_BYTES ((size_t)256 << 20)

static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    char why[128];
    char *text = file_read_regular(path, POINT_MAX_BYTES, len, why, sizeof why);
    if (!text) snprintf(err, errlen, "%s: %s", path, why);
    return text;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int base_cmp(const void *a, const void *b)
{
    return strcmp(base_name(*(char *const *)a), base_name(*(char *const *)b));
}

int report_read_points(const char *const *dirs, size_t n_dirs, run_stats **rows, size_t *n_rows,
                       char *err, size_t errlen)
{
    name_list names = {0};
    *rows = NULL;
    *n_rows = 0;
    for (size_t i = 0; i < n_dirs; i++) {
        char pd[4096];
        snprintf(pd, sizeof pd, "%s/points", dirs[i]);
        size_t before = names.n;
        if (list_points(pd, &names, err, errlen)) goto fail;
        /* Within one dir order by name; dirs keep their command-line order. */
        qsort(names.v + before, names.n - before, sizeof *names.v, base_cmp);
    }
    /* A point name present in several dirs: keep the one listed last. */
    for (size_t i = 0; i < names.n; i++)
        for (size_t j = i + 1; j < names.n; j++)
            if (names.v[i] && names.v[j] && strcmp(base_name(names.v[i]), base_name(names.v[j])) == 0) {
                free(names.v[i]);
                names.v[i] = NULL;
                break;
            }
    {
        size_t k = 0;
        for (size_t i = 0; i < names.n; i++)
            if (names.v[i]) names.v[k++] = names.v[i];
        names.n = k;
    }
    qsort(names.v, names.n, sizeof *names.v, base_cmp);
    *rows = calloc(names.n ? names.n : 1, sizeof **rows);
    if (!*rows) { snprintf(err, errlen, "out of memory"); goto fail; }
    for (size_t i = 0; i < names.n; i++) {
        size_t len;
        char *text = slurp(names.v[i], &len, err, errlen);
        if (!text) goto fail;
        char e2[512];
        int rc = run_stats_read_json(text, len, &(*rows)[*n_rows], e2, sizeof e2);
        free(text);
        if (rc) { snprintf(err, errlen, "%s: %s", names.v[i], e2); goto fail; }
        (*n_rows)++;
    }
    for (size_t i = 0; i < names.n; i++) free(names.v[i]);
    free(names.v);
    return 0;
fail:
    for (size_t i = 0; i < names.n; i++) free(names.v[i]);
    free(names.v);
    report_free_rows(*rows, *n_rows);
    *rows = NULL;
    *n_rows = 0;
    return -1;
}

void report_free_rows(run_stats *rows, size_t n_rows)
{
    for (size_t i = 0; rows && i < n_rows; i++) free(rows[i].per_chip);
    free(rows);
}
