/* The one error format every config check uses: FILE:LINE:COL: key.path: message. */
#include <stdarg.h>
#include <stdio.h>

#include "cfg.h"

void cfg_error_print(const cfg_error *err, FILE *out)
{
    const char *file = err->file[0] ? err->file : "<config>";
    /* No line: a file that could not be read at all ("FILE: cannot open:
     * ..."), not a place in one. */
    if (err->line <= 0) {
        fprintf(out, "%s: %s%s%s\n", file, err->path[0] ? err->path : "",
                err->path[0] ? ": " : "", err->msg);
        return;
    }
    fprintf(out, "%s:%d:%d: %s: %s\n", file, err->line, err->col,
            err->path[0] ? err->path : "(document)", err->msg);
}

int cfg_fail(cfg_error *err, const char *file, int line, int col, const char *path,
             const char *fmt, ...)
{
    if (!err) return -1;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    /* One line, always: a message from a lower layer must not break the format. */
    for (char *c = err->msg; *c; c++)
        if (*c == '\n' || *c == '\r') *c = ' ';
    return -1;
}
