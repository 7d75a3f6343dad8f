/* Checking output paths up front (see cli_paths.h). */
#include "cli_paths.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../../core/file_read.h"
#include "cli_common.h"

/* The folder part of path ("." when it has none). */
static void parent_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(out, cap, ".");
    else if (slash == path) snprintf(out, cap, "/");
    else snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

int cli_check_output_file(const char *verb, const char *opt, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISREG(st.st_mode)) return 0;
        return cli_usage_error(verb, "%s '%s': %s; give a regular file or a new path", opt,
                               path, file_kind_name(st.st_mode));
    }
    if (errno != ENOENT)
        return cli_usage_error(verb, "%s '%s': %s", opt, path, strerror(errno));
    char dir[4096];
    parent_of(path, dir, sizeof dir);
    if (stat(dir, &st) != 0)
        return cli_usage_error(verb, "%s '%s': folder '%s': %s", opt, path, dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cli_usage_error(verb, "%s '%s': '%s' is %s, not a folder", opt, path, dir,
                               file_kind_name(st.st_mode));
    return 0;
}

int cli_check_output_dir(const char *verb, const char *opt, const char *path)
{
    char at[4096];
    if (snprintf(at, sizeof at, "%s", path) >= (int)sizeof at)
        return cli_usage_error(verb, "%s '%.200s...': path too long", opt, path);
    /* Walk up to the nearest part that exists: it must be a folder. */
    for (;;) {
        struct stat st;
        if (stat(at, &st) == 0) {
            if (S_ISDIR(st.st_mode)) return 0;
            if (strcmp(at, path) == 0)
                return cli_usage_error(verb, "%s '%s': %s, not a folder; give a folder or a "
                                       "new path", opt, path, file_kind_name(st.st_mode));
            return cli_usage_error(verb, "%s '%s': '%s' is %s, not a folder", opt, path, at,
                                   file_kind_name(st.st_mode));
        }
        /* ENOTDIR: a part above is a file; the walk up names it. */
        if (errno != ENOENT && errno != ENOTDIR)
            return cli_usage_error(verb, "%s '%s': %s: %s", opt, path, at, strerror(errno));
        char up[4096];
        parent_of(at, up, sizeof up);
        if (strcmp(up, at) == 0) return 0;
        snprintf(at, sizeof at, "%s", up);
    }
}
