/* Shared by the unit tests that write files into a scratch folder under /tmp:
 * removing the folder with everything in it once the test is done. */
#ifndef TEST_SCRATCH_H
#define TEST_SCRATCH_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* rm -r: what remove() refuses is taken to be a non-empty folder and
 * emptied first. Quietly leaves what it cannot remove: a leftover scratch
 * folder is no reason to fail a test. */
static inline void rm_rf(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    char p[4096];
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        int n = snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (n < 0 || (size_t)n >= sizeof p) continue;   /* never remove a cut-off path */
        if (remove(p) != 0) rm_rf(p);
    }
    closedir(d);
    rmdir(dir);
}

#endif
