/* Reading a whole regular file safely (see file_read.h). */
#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *file_kind_name(unsigned mode)
{
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISLNK(mode)) return "a symbolic link";
    return S_ISREG(mode) ? "a regular file" : "not a file";
}

static char *fail(char *why, size_t whylen, const char *msg)
{
    snprintf(why, whylen, "%s", msg);
    return NULL;
}

char *file_read_regular(const char *path, size_t max_bytes, size_t *len, char *why,
                        size_t whylen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return fail(why, whylen, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail(why, whylen, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        if (S_ISDIR(st.st_mode)) return fail(why, whylen, strerror(EISDIR));
        snprintf(why, whylen, "not a regular file (%s)", file_kind_name(st.st_mode));
        return NULL;
    }
    /* Regular files never block; reading plain keeps EAGAIN out of the loop. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) snprintf(why, whylen, "out of memory");
    while (buf) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            snprintf(why, whylen, "%s", strerror(errno));
            free(buf);
            buf = NULL;
            break;
        }
        if (got == 0) break;
        n += (size_t)got;
        if (n > max_bytes) {
            /* /proc files report size 0, so the limit is on what was read */
            snprintf(why, whylen, "larger than %zu MiB", max_bytes >> 20);
            free(buf);
            buf = NULL;
            break;
        }
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                snprintf(why, whylen, "out of memory");
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    close(fd);
    if (!buf) return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *path_relative_to(const char *from_file, const char *rel)
{
    const char *slash = from_file ? strrchr(from_file, '/') : NULL;
    if (rel[0] == '/' || !slash) return strdup(rel);
    size_t dirlen = (size_t)(slash - from_file);
    size_t len = dirlen + 1 + strlen(rel) + 1;
    char *out = malloc(len);
    if (out) snprintf(out, len, "%.*s/%s", (int)dirlen, from_file, rel);
    return out;
}
