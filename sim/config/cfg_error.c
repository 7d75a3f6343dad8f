/* The one error format every config check uses: FILE:LINE:COL: key.path: message. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

int cfg_fail_at(cfg_error *err, const cfg_node *n, const char *path, const char *msg)
{
    return cfg_fail(err, cfg_node_file(n), cfg_node_line(n), cfg_node_col(n), path, "%s", msg);
}

int cfg_fail_keyed(cfg_error *err, const cfg_node *section, const char *prefix, const char *msg)
{
    char key[128];
    size_t len = strspn(msg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
    const cfg_node *at = section;
    char path[256];
    snprintf(path, sizeof path, "%s", prefix);
    if (len > 0 && len < sizeof key && msg[len] == ':' && msg[0] != '.') {
        snprintf(key, sizeof key, "%.*s", (int)len, msg);
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", key);
        /* the key, or the nearest map around it that a file writes */
        for (;;) {
            const cfg_node *n = cfg_get_path(section, key);
            if (n) { at = n; break; }
            char *dot = strrchr(key, '.');
            if (!dot) break;
            *dot = '\0';
        }
        msg += len + 1;
        while (*msg == ' ') msg++;
    }
    return cfg_fail_at(err, at, path, msg);
}
