/* Process pool of the sweep driver: fork per point, at most `jobs` alive,
 * each child writes its own point file; the parent only counts and reports. */
#include "sweep_runner.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../report/point_file.h"
#include "../report/point_infeasible.h"

static void describe(const sweep_point *pt, const sweep_options *o, char *buf, size_t cap)
{
    snprintf(buf, cap, "point %s (chips=%u%s%s%s%s)", pt->id, (unsigned)pt->chips,
             pt->sweep[0] ? ", " : "", pt->sweep,
             o->config_note && o->config_note[0] ? ", " : "", o->config_note ? o->config_note : "");
}

static void point_path(const sweep_options *o, const char *id, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s.json", o->points_dir, id);
}

/* Every message starts by clearing the progress line it may interrupt. */
static const char *line_start(const sweep_options *o)
{
    return o->progress ? "\r\033[K" : "";
}

/* The one piece of process-wide state: a signal handler can only talk to
 * the loop through a sig_atomic_t. It holds the signal, not simulation state. */
static volatile sig_atomic_t g_stop_signal;

static void on_stop_signal(int sig)
{
    g_stop_signal = sig;
}

/* SIGCHLD stays blocked in the driver and is taken by sigtimedwait; a
 * handler (rather than the default "ignore") keeps it pending until then. */
static void on_child(int sig)
{
    (void)sig;
}

typedef struct saved_handlers {
    struct sigaction intr, term, chld;
    sigset_t mask;                /* the caller's signal mask, restored in children */
} saved_handlers;

static void install_handlers(saved_handlers *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: a wait must return EINTR so the loop sees the stop */
    g_stop_signal = 0;
    sigaction(SIGINT, &sa, &old->intr);
    sigaction(SIGTERM, &sa, &old->term);
    sa.sa_handler = on_child;
    sigaction(SIGCHLD, &sa, &old->chld);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old->mask);
}

static void restore_handlers(const saved_handlers *old)
{
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGTERM, &old->term, NULL);
    sigaction(SIGCHLD, &old->chld, NULL);
    sigprocmask(SIG_SETMASK, &old->mask, NULL);
}

static void child_main(const sweep_point *pt, const sweep_options *o, sweep_point_fn fn, void *ctx)
{
    const char *crash = getenv(SWEEP_TEST_CRASH_ENV), *hang = getenv(SWEEP_TEST_HANG_ENV);
    if (crash && !strcmp(crash, pt->id)) abort();
    if (hang && !strcmp(hang, pt->id))
        for (;;) pause();
    run_stats s;
    memset(&s, 0, sizeof s);
    char err[1024] = "", desc[1024];
    int rc = fn(pt, ctx, &s, err, sizeof err);
    if (rc == SWEEP_POINT_INFEASIBLE) {
        char werr[1024], path[4096];
        point_infeasible_path(o->points_dir, pt->id, path, sizeof path);
        if (point_infeasible_write(path, &o->planned[pt->index], err, werr, sizeof werr)) {
            describe(pt, o, desc, sizeof desc);
            fprintf(stderr, "%s%s: %s failed: %s\n", line_start(o), o->verb, desc, werr);
            rc = 1;
        }
        fflush(NULL);
        _exit(rc);
    }
    snprintf(s.sweep, sizeof s.sweep, "%s", pt->sweep);
    s.grid_index = pt->grid_index;
    s.stamp = o->planned[pt->index].stamp;
    describe(pt, o, desc, sizeof desc);
    /* A --check mismatch is a result worth keeping; a failure to simulate is not. */
    int keep = rc == 0 || (rc == 1 && s.check_run && !s.check_passed && s.per_chip);
    char werr[1024], path[4096];
    point_path(o, pt->id, path, sizeof path);
    if (keep && point_file_write(path, &s, werr, sizeof werr)) {
        /* e.g. statistics that fail run_stats_check: the point fails, no file */
        fprintf(stderr, "%s%s: %s failed: %s\n", line_start(o), o->verb, desc, werr);
        rc = rc ? rc : 1;
    } else if (rc) {
        fprintf(stderr, "%s%s: %s failed: %s\n", line_start(o), o->verb, desc,
                err[0] ? err : "(no message)");
    }
    fflush(NULL);
    _exit(rc);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(const sweep_options *o, size_t done, size_t total, double t0)
{
    if (!o->progress) return;
    double el = now_s() - t0, rate = el > 0 ? (double)done / el : 0;
    fprintf(stderr, "\r\033[K%s: %zu/%zu points, %.1f points/s, %.1f s elapsed", o->verb, done,
            total, rate, el);
    if (done && done < total) fprintf(stderr, ", ETA %.1f s", (double)(total - done) / rate);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

typedef struct slot {
    pid_t pid;
    size_t index;
    double started;
    bool timed_out;
} slot;

/* After a child exited 0: its result counts only if the file is there,
 * valid, and stamped for this point. */
static bool point_file_ok(const sweep_options *o, const sweep_point *pt, char *why, size_t cap)
{
    char path[4096];
    point_path(o, pt->id, path, sizeof path);
    run_stats s;
    point_status st = point_file_load(path, &o->planned[pt->index], &s, why, cap);
    if (st == POINT_OK && o->on_point) o->on_point(o->on_point_ctx, pt->index, &s);
    free(s.per_chip);
    return st == POINT_OK;
}

static bool infeasible_ok(const sweep_options *o, const sweep_point *pt, char *why, size_t cap)
{
    char path[4096], reason[POINT_INFEASIBLE_REASON_MAX];
    point_infeasible_path(o->points_dir, pt->id, path, sizeof path);
    return point_infeasible_load(path, &o->planned[pt->index], reason, sizeof reason, why,
                                 cap) == POINT_OK;
}

static void account(const sweep_plan *plan, const sweep_options *o, const slot *sl, int status,
                    sweep_result *res, bool stopping)
{
    sweep_point pt;
    char desc[1024], why[600];
    sweep_plan_point(plan, sl->index, &pt);
    describe(&pt, o, desc, sizeof desc);
    if (WIFEXITED(status) && WEXITSTATUS(status) == SWEEP_POINT_INFEASIBLE) {
        if (infeasible_ok(o, &pt, why, sizeof why)) { res->infeasible++; return; }
        res->failed++;
        fprintf(stderr, "%s%s: %s found infeasible but left no valid record: %s\n",
                line_start(o), o->verb, desc, why);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (point_file_ok(o, &pt, why, sizeof why)) { res->ok++; return; }
        res->failed++;
        fprintf(stderr, "%s%s: %s exited 0 but left no valid point file: %s\n", line_start(o),
                o->verb, desc, why);
    } else if (sl->timed_out) {
        res->failed++;
        res->timed_out++;
        fprintf(stderr, "%s%s: %s timed out: killed after %g s (--point-timeout)\n", line_start(o),
                o->verb, desc, o->point_timeout_s);
    } else if (stopping && WIFSIGNALED(status)) {
        /* terminated by our own stop: neither a result nor a failure */
    } else {
        res->failed++;
        if (WIFSIGNALED(status))
            fprintf(stderr, "%s%s: %s killed by signal %d\n", line_start(o), o->verb, desc,
                    WTERMSIG(status));
    }
}

/* Kills the children past their deadline; returns the seconds until the
 * next deadline (or a second when none is set, to look again). */
static double enforce_timeouts(const sweep_options *o, slot *slots, unsigned alive)
{
    double next = 1.0, t = now_s();
    if (o->point_timeout_s <= 0) return next;
    for (unsigned k = 0; k < alive; k++) {
        if (slots[k].timed_out) continue;
        double left = slots[k].started + o->point_timeout_s - t;
        if (left <= 0) {
            kill(slots[k].pid, SIGKILL);
            slots[k].timed_out = true;
        } else if (left < next) {
            next = left;
        }
    }
    return next;
}

/* Waits for one child and counts it. Returns -1 when a stop signal
 * interrupted the wait (nothing reaped). */
static int reap_one(const sweep_plan *plan, const sweep_options *o, slot *slots, unsigned *alive,
                    sweep_result *res, bool stopping)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR) continue;
        if (pid < 0) { *alive = 0; return 0; }   /* ECHILD: nothing left to wait for */
        if (pid > 0) {
            for (unsigned k = 0; k < *alive; k++) {
                if (slots[k].pid != pid) continue;
                account(plan, o, &slots[k], status, res, stopping);
                slots[k] = slots[--*alive];
                return 0;
            }
            continue;   /* not one of ours */
        }
        if (g_stop_signal && !stopping) return -1;
        double wait_s = enforce_timeouts(o, slots, *alive);
        struct timespec ts = {.tv_sec = (time_t)wait_s,
                              .tv_nsec = (long)((wait_s - (double)(time_t)wait_s) * 1e9)};
        sigtimedwait(&chld, NULL, &ts);   /* a child ended, a deadline came, or EINTR */
    }
}

/* "<name>.tmp.<pid>": the pid of the writer, or 0 when not such a name. */
static long temporary_writer(const char *name)
{
    const char *t = strstr(name, ".tmp.");
    if (!t) return 0;
    char *end;
    long pid = strtol(t + 5, &end, 10);
    return *end == '\0' && pid > 0 ? pid : 0;
}

void sweep_remove_temporaries(const char *points_dir)
{
    DIR *d = opendir(points_dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d))) {
        long pid = temporary_writer(de->d_name);
        if (!pid) continue;
        /* a live writer (another shard into this folder) renames it soon */
        if (kill((pid_t)pid, 0) == 0 || errno == EPERM) continue;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", points_dir, de->d_name) < (int)sizeof path)
            remove(path);
    }
    closedir(d);
}

/* Terminates the running children and waits for them, so none writes after
 * we return; their temporaries go too. */
static void stop_children(const sweep_plan *plan, const sweep_options *o, slot *slots,
                          unsigned *alive, sweep_result *res)
{
    for (unsigned k = 0; k < *alive; k++) kill(slots[k].pid, SIGTERM);
    while (*alive) reap_one(plan, o, slots, alive, res, true);
    sweep_remove_temporaries(o->points_dir);
}

static bool selected(const sweep_options *o, size_t i)
{
    unsigned sn = o->shard_n ? o->shard_n : 1;
    return i % sn == (size_t)(o->shard_i ? o->shard_i - 1 : 0);
}

/* Which selected points to run: all, or with resume those without a valid
 * file stamped for them (a bad or stale file is named and re-run). */
#define NOTES_SHOWN 10

static void decide(const sweep_plan *plan, const sweep_options *o, size_t total, bool *run,
                   sweep_result *res)
{
    size_t notes = 0;
    for (size_t i = 0; i < total; i++) {
        run[i] = selected(o, i);
        if (!run[i]) continue;
        res->selected++;
        if (o->planned[i].not_applicable[0]) {
            run[i] = false;
            res->not_applicable++;
            continue;
        }
        if (!o->resume) continue;
        sweep_point pt;
        sweep_plan_point(plan, i, &pt);
        char path[4096], why[600];
        point_path(o, pt.id, path, sizeof path);
        run_stats s;
        point_status st = point_file_load(path, &o->planned[i], &s, why, sizeof why);
        if (st == POINT_OK && o->on_point) o->on_point(o->on_point_ctx, i, &s);
        free(s.per_chip);
        if (st != POINT_OK) {
            /* or recorded infeasible (only a point function that says so writes one) */
            char ipath[4096], iwhy[600], reason[POINT_INFEASIBLE_REASON_MAX];
            point_infeasible_path(o->points_dir, pt.id, ipath, sizeof ipath);
            point_status ist = point_infeasible_load(ipath, &o->planned[i], reason,
                                                     sizeof reason, iwhy, sizeof iwhy);
            if (ist == POINT_OK) {
                run[i] = false;
                res->resumed++;
                res->infeasible++;
                continue;
            }
            if (st == POINT_MISSING && ist != POINT_MISSING) {
                st = ist;
                snprintf(path, sizeof path, "%s", ipath);
                snprintf(why, sizeof why, "%s", iwhy);
            }
        }
        if (st == POINT_OK) {
            run[i] = false;
            res->resumed++;
        } else if (st != POINT_MISSING) {
            res->rerun++;
            if (notes++ < NOTES_SHOWN)
                fprintf(stderr, "%s: re-running point %s: %s: %s\n", o->verb, pt.id, path, why);
        }
    }
    if (notes > NOTES_SHOWN)
        fprintf(stderr, "%s: re-running %zu more points whose files were bad or stale\n", o->verb,
                notes - NOTES_SHOWN);
}

int sweep_run(const sweep_plan *plan, const sweep_options *o, sweep_point_fn fn, void *ctx,
              sweep_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    if (!o->planned) { snprintf(err, errlen, "no planned stamps"); return -1; }
    size_t total = sweep_plan_size(plan);
    unsigned jobs = o->jobs ? o->jobs : 1;
    slot *slots = calloc(jobs, sizeof *slots);
    bool *run = calloc(total ? total : 1, sizeof *run);
    if (!slots || !run) {
        free(slots);
        free(run);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    decide(plan, o, total, run, res);
    size_t to_run = res->selected - res->resumed - res->not_applicable,
           infeasible_before = res->infeasible;
    saved_handlers old;
    install_handlers(&old);
    double t0 = now_s();
    unsigned alive = 0;
    int rc = 0;
    progress(o, 0, to_run, t0);
    for (size_t i = 0; i < total && !g_stop_signal; i++) {
        if (!run[i]) continue;
        sweep_point pt;
        sweep_plan_point(plan, i, &pt);
        while (alive >= jobs && !g_stop_signal) {
            if (reap_one(plan, o, slots, &alive, res, false) == 0)
                progress(o, res->ok + res->failed + res->infeasible - infeasible_before, to_run, t0);
        }
        if (g_stop_signal) break;
        char perr[1024] = "";
        if (o->before_fork && o->before_fork(&pt, ctx, perr, sizeof perr)) {
            char desc[1024];
            describe(&pt, o, desc, sizeof desc);
            fprintf(stderr, "%s%s: %s failed: %s\n", line_start(o), o->verb, desc, perr);
            res->failed++;
            continue;
        }
        fflush(NULL);   /* else the child would flush the parent's buffers again */
        /* Blocked across fork so a stop signal cannot reach the child while it
         * still has the parent's handler: it stays pending until the child
         * restored the default action, and then terminates it. */
        sigset_t stop_set, old_set;
        sigemptyset(&stop_set);
        sigaddset(&stop_set, SIGINT);
        sigaddset(&stop_set, SIGTERM);
        sigprocmask(SIG_BLOCK, &stop_set, &old_set);
        pid_t pid = fork();
        if (pid == 0) {
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            signal(SIGCHLD, SIG_DFL);
            sigprocmask(SIG_SETMASK, &old.mask, NULL);
            child_main(&pt, o, fn, ctx);
        }
        sigprocmask(SIG_SETMASK, &old_set, NULL);
        if (pid < 0) {
            snprintf(err, errlen, "fork: %s", strerror(errno));
            rc = -1;
            break;
        }
        slots[alive++] = (slot){.pid = pid, .index = i, .started = now_s()};
    }
    while (alive && !g_stop_signal) {
        if (reap_one(plan, o, slots, &alive, res, false) == 0)
            progress(o, res->ok + res->failed + res->infeasible - infeasible_before, to_run, t0);
    }
    if (g_stop_signal) stop_children(plan, o, slots, &alive, res);
    else sweep_remove_temporaries(o->points_dir);   /* of children killed at their timeout */
    res->interrupted = g_stop_signal;
    restore_handlers(&old);
    res->wall_s = now_s() - t0;
    free(slots);
    free(run);
    return rc;
}
