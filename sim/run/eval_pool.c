/* Fork-per-run pool with results over pipes (see eval_pool.h).
 * Wire format from child to parent: "ok\n" and the run_stats JSON, or
 * "fail RC\n" and a one-line reason. */
#include "eval_pool.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../report/report.h"

typedef struct slot {
    pid_t pid;
    int fd;
    size_t job;
    char *buf;
    size_t len, cap;
} slot;

unsigned eval_pool_default_procs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* In the child: run the job, send its result; never returns. */
static void child_main(const eval_job *j, eval_fn fn, void *ctx, int fd)
{
    FILE *f = fdopen(fd, "w");
    if (!f) _exit(1);
    run_stats s;
    memset(&s, 0, sizeof s);
    char err[1024] = "";
    int rc = fn(j, ctx, &s, err, sizeof err);
    if (rc == 0) {
        fputs("ok\n", f);
        run_stats_write_json(f, &s);
    } else {
        fprintf(f, "fail %d\n%s", rc, err[0] ? err : "(no message)");
    }
    free(s.per_chip);
    int bad = fclose(f) != 0;
    _exit(bad ? 1 : 0);
}

static void one_line(char *s)
{
    for (char *c = s; *c; c++)
        if (*c == '\n' || *c == '\r') *c = ' ';
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ') s[--n] = '\0';
}

/* Turns what a finished child sent (and how it ended) into its outcome. */
static void finish(slot *s, int status, eval_outcome *o)
{
    memset(o, 0, sizeof *o);
    const char *b = s->buf ? s->buf : "";
    if (s->len >= 3 && !strncmp(b, "ok\n", 3)) {
        char err[512];
        if (run_stats_read_json(b + 3, s->len - 3, &o->stats, err, sizeof err) == 0) return;
        o->rc = 1;
        snprintf(o->err, sizeof o->err, "unreadable result from the run: %s", err);
        return;
    }
    int rc = 0;
    if (s->len >= 5 && !strncmp(b, "fail ", 5) && sscanf(b + 5, "%d", &rc) == 1 && rc > 0) {
        const char *nl = strchr(b, '\n');
        o->rc = rc;
        snprintf(o->err, sizeof o->err, "%s", nl ? nl + 1 : "");
        one_line(o->err);
        return;
    }
    o->rc = 1;
    if (WIFSIGNALED(status))
        snprintf(o->err, sizeof o->err, "run killed by signal %d", WTERMSIG(status));
    else
        snprintf(o->err, sizeof o->err, "run exited with status %d and no result",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Reads what is there; 1 at end of file, 0 for more to come, -1 on error. */
static int drain(slot *s)
{
    for (;;) {
        if (s->cap - s->len < 4096) {
            size_t cap = s->cap ? s->cap * 2 : 16384;
            char *b = realloc(s->buf, cap + 1);
            if (!b) return -1;
            s->buf = b;
            s->cap = cap;
        }
        ssize_t r = read(s->fd, s->buf + s->len, s->cap - s->len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && errno == EAGAIN) return 0;
        if (r < 0) return -1;
        if (r == 0) {
            s->buf[s->len] = '\0';
            return 1;
        }
        s->len += (size_t)r;
        s->buf[s->len] = '\0';
        return 0;
    }
}

static int start(const eval_job *jobs, size_t j, eval_fn fn, void *ctx, slot *s, char *err,
                 size_t errlen)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);   /* else the child would flush the parent's buffers again */
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(&jobs[j], fn, ctx, fds[1]);
    }
    close(fds[1]);
    *s = (slot){.pid = pid, .fd = fds[0], .job = j};
    return 0;
}

/* Kills and reaps what is still running after a pool failure. */
static void abandon(slot *slots, size_t active)
{
    for (size_t k = 0; k < active; k++) {
        kill(slots[k].pid, SIGKILL);
        close(slots[k].fd);
        waitpid(slots[k].pid, NULL, 0);
        free(slots[k].buf);
    }
}

int eval_pool_run(const eval_job *jobs, size_t n, unsigned procs, eval_fn fn, void *ctx,
                  eval_outcome *out, char *err, size_t errlen)
{
    memset(out, 0, n * sizeof *out);
    if (procs == 0) procs = 1;
    slot *slots = calloc(procs, sizeof *slots);
    struct pollfd *pf = calloc(procs, sizeof *pf);
    if (!slots || !pf) {
        free(slots);
        free(pf);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t next = 0, active = 0;
    int rc = 0;
    while (rc == 0 && (next < n || active > 0)) {
        while (next < n && active < procs) {
            if (start(jobs, next, fn, ctx, &slots[active], err, errlen) != 0) {
                rc = -1;
                break;
            }
            next++;
            active++;
        }
        if (rc) break;
        for (size_t k = 0; k < active; k++) pf[k] = (struct pollfd){slots[k].fd, POLLIN, 0};
        if (poll(pf, active, -1) < 0) {
            if (errno == EINTR) continue;
            snprintf(err, errlen, "poll: %s", strerror(errno));
            rc = -1;
            break;
        }
        for (size_t k = active; k-- > 0;) {
            if (!pf[k].revents) continue;
            int d = drain(&slots[k]);
            if (d < 0) {
                snprintf(err, errlen, "reading a run's result: %s", strerror(errno ? errno : ENOMEM));
                rc = -1;
                break;
            }
            if (d == 0) continue;
            close(slots[k].fd);
            int status = 0;
            while (waitpid(slots[k].pid, &status, 0) < 0 && errno == EINTR) {}
            finish(&slots[k], status, &out[slots[k].job]);
            free(slots[k].buf);
            slots[k] = slots[--active];
        }
    }
    if (rc) abandon(slots, active);
    free(slots);
    free(pf);
    return rc;
}

void eval_outcomes_free(eval_outcome *out, size_t n)
{
    for (size_t i = 0; out && i < n; i++) free(out[i].stats.per_chip);
}
