/* Collecting the per-point JSON files of one or more sweep folders (a
 * sweep, or the shards of one) for the summary writers: every file is
 * validated (point_file.c); with a plan, only points stamped for it count. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/file_read.h"
#include "point_file.h"
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

static int push(name_list *l, char *s)
{
    if (!s) return -1;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 32;
        char **v = realloc(l->v, nc * sizeof *v);
        if (!v) { free(s); return -1; }
        l->v = v;
        l->cap = nc;
    }
    l->v[l->n++] = s;
    return 0;
}

static char *join_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (p) snprintf(p, len, "%s/%s", dir, name);
    return p;
}

static char *format_note(const char *file, const char *why)
{
    size_t len = strlen(file) + strlen(why) + 3;
    char *p = malloc(len);
    if (p) snprintf(p, len, "%s: %s", file, why);
    return p;
}

static int list_points(const char *dir, name_list *out, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) && rc == 0)
        if (ends_with(de->d_name, ".json") && push(out, join_path(dir, de->d_name))) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
    closedir(d);
    return rc;
}

static void free_names(name_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
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
        char why[512];
        if (point_file_read_unplanned(names.v[i], &(*rows)[*n_rows], why, sizeof why)) {
            snprintf(err, errlen, "%s: %s", names.v[i], why);
            goto fail;
        }
        (*n_rows)++;
    }
    free_names(&names);
    return 0;
fail:
    free_names(&names);
    report_free_rows(*rows, *n_rows);
    *rows = NULL;
    *n_rows = 0;
    return -1;
}

void report_free_rows(run_stats *rows, size_t n_rows)
{
    for (size_t i = 0; rows && i < n_rows; i++) {
        free(rows[i].per_chip);
        free(rows[i].ops);
    }
    free(rows);
}

static int str_ptr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void point_collection_free(point_collection *c)
{
    report_free_rows(c->rows, c->n_rows);
    name_list lists[3] = {{c->missing, c->n_missing, 0}, {c->rejected, c->n_rejected, 0},
                          {c->unplanned, c->n_unplanned, 0}};
    for (int i = 0; i < 3; i++) free_names(&lists[i]);
    memset(c, 0, sizeof *c);
}

/* Files in dir/points/ whose stem is no id of the plan. */
static int note_unplanned(const char *dir, const char *const *ids, size_t n_ids, name_list *out,
                          char *err, size_t errlen)
{
    char pd[4096];
    snprintf(pd, sizeof pd, "%s/points", dir);
    name_list files = {0};
    if (list_points(pd, &files, err, errlen)) { free_names(&files); return -1; }
    qsort(files.v, files.n, sizeof *files.v, base_cmp);
    int rc = 0;
    for (size_t i = 0; i < files.n && rc == 0; i++) {
        char stem[256];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(base_name(files.v[i])) - 5), base_name(files.v[i]));
        const char *key = stem;
        if (bsearch(&key, ids, n_ids, sizeof *ids, str_ptr_cmp)) continue;
        if (push(out, format_note(files.v[i], "not in this sweep's plan"))) rc = -1;
    }
    free_names(&files);
    if (rc) snprintf(err, errlen, "out of memory");
    return rc;
}

int point_collect(const char *const *dirs, size_t n_dirs, const planned_point *plan, size_t n_plan,
                  point_collection *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    name_list missing = {0}, rejected = {0}, unplanned = {0};
    const char **ids = malloc((n_plan ? n_plan : 1) * sizeof *ids);
    out->rows = calloc(n_plan ? n_plan : 1, sizeof *out->rows);
    int rc = -1;
    if (!ids || !out->rows) { snprintf(err, errlen, "out of memory"); goto done; }
    size_t n_ids = 0;
    for (size_t i = 0; i < n_plan; i++) {
        /* a point not applicable is expected nowhere; a file of its id is not in the plan */
        if (plan[i].not_applicable[0]) continue;
        ids[n_ids++] = plan[i].stamp.id;
        run_stats found = {.chips = 0};
        bool have = false;
        for (size_t d = 0; d < n_dirs; d++) {
            char path[4200], why[600];
            snprintf(path, sizeof path, "%s/points/%s.json", dirs[d], plan[i].stamp.id);
            run_stats s;
            point_status st = point_file_load(path, &plan[i], &s, why, sizeof why);
            if (st == POINT_OK) {
                if (have) free(found.per_chip);
                found = s;
                have = true;
            } else if (st != POINT_MISSING && push(&rejected, format_note(path, why))) {
                snprintf(err, errlen, "out of memory");
                goto done;
            }
        }
        if (have) out->rows[out->n_rows++] = found;
        else if (push(&missing, strdup(plan[i].stamp.id))) { snprintf(err, errlen, "out of memory"); goto done; }
    }
    qsort(ids, n_ids, sizeof *ids, str_ptr_cmp);
    for (size_t d = 0; d < n_dirs; d++)
        if (note_unplanned(dirs[d], ids, n_ids, &unplanned, err, errlen)) goto done;
    rc = 0;
done:
    free(ids);
    out->missing = missing.v, out->n_missing = missing.n;
    out->rejected = rejected.v, out->n_rejected = rejected.n;
    out->unplanned = unplanned.v, out->n_unplanned = unplanned.n;
    if (rc) point_collection_free(out);
    return rc;
}
