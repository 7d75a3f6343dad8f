/* Where the configs/ folder is (see cli_common.h, cli_project_dir): an
 * installed or copied binary must find the configs shipped beside it, not
 * those of whatever tree it happened to be built in. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_common.h"

#ifndef MCUSIM_SOURCE_DIR
#define MCUSIM_SOURCE_DIR "."
#endif

static bool has_configs(const char *dir)
{
    char p[PATH_MAX + 16];
    struct stat st;
    snprintf(p, sizeof p, "%s/configs", dir);
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the running binary (Linux: /proc/self/exe), or "". */
static void exe_dir(char *buf, size_t len)
{
    buf[0] = '\0';
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return;
    *slash = '\0';
    snprintf(buf, len, "%s", exe[0] ? exe : "/");
}

const char *cli_project_dir(char *buf, size_t len)
{
    const char *home = getenv("MCUSIM_HOME");
    if (home && *home) {
        snprintf(buf, len, "%s", home);
        return buf;
    }
    char dir[PATH_MAX];
    exe_dir(dir, sizeof dir);
    if (dir[0]) {
        if (has_configs(dir)) {
            snprintf(buf, len, "%s", dir);
            return buf;
        }
        char parent[PATH_MAX + 4];
        snprintf(parent, sizeof parent, "%s/..", dir);
        char real[PATH_MAX];
        if (has_configs(parent) && realpath(parent, real)) {
            snprintf(buf, len, "%s", real);
            return buf;
        }
    }
    snprintf(buf, len, "%s", MCUSIM_SOURCE_DIR);
    return buf;
}

const char *cli_configs_dir(char *buf, size_t len)
{
    char home[PATH_MAX];
    snprintf(buf, len, "%s/configs", cli_project_dir(home, sizeof home));
    return buf;
}
