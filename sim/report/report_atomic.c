/* Atomic file replacement: write a temporary file beside the target and
 * rename it over, so a reader or a killed run never sees half a file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_internal.h"

int report_write_file_atomic(const char *path, const char *data, size_t len, char *err,
                             size_t errlen)
{
    /* The pid keeps two processes writing the same target from sharing a temp file. */
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    /* A FIFO or device at the target would be replaced by the rename. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file, not replaced", path);
        return -1;
    }
    /* Created new (O_EXCL), never opened through whatever has its name. */
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    size_t w = len ? fwrite(data, 1, len, f) : 0;
    int bad = w != len || ferror(f);
    if (fclose(f) != 0) bad = 1;
    if (bad) {
        snprintf(err, errlen, "%s: write failed: %s", tmp, strerror(errno));
        remove(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: rename failed: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

int membuf_open(membuf *m)
{
    m->data = NULL;
    m->len = 0;
    m->f = open_memstream(&m->data, &m->len);
    return m->f ? 0 : -1;
}

int membuf_commit(membuf *m, const char *path, char *err, size_t errlen)
{
    int bad = ferror(m->f);
    if (fclose(m->f) != 0) bad = 1;
    m->f = NULL;
    int rc = -1;
    if (bad) snprintf(err, errlen, "%s: could not format the file", path);
    else rc = report_write_file_atomic(path, m->data, m->len, err, errlen);
    free(m->data);
    m->data = NULL;
    return rc;
}
