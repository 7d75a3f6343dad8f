/* Shared by the test_sim_* executables. SystemC allows one simulation per
 * process, so every run happens in a forked child that sends its fixed-size
 * result back to the test through a pipe. */
#ifndef TEST_FORK_H
#define TEST_FORK_H

#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cunit_main.h"

/* Runs child(ctx, out) in a forked child on a zeroed *out and copies the
 * child's *out (size bytes) back into the parent's *out. The child may
 * _exit() non-zero without writing to report that it could not even start;
 * that fails the assertions here rather than leaving *out half-filled
 * unnoticed. */
static inline void run_in_child(void (*child)(void *ctx, void *out), void *ctx, void *out,
                                size_t size)
{
    memset(out, 0, size);
    int fd[2];
    CU_ASSERT_EQUAL_FATAL(pipe(fd), 0);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        child(ctx, out);
        if (write(fd[1], out, size) != (ssize_t)size) _exit(3);
        _exit(0);
    }
    close(fd[1]);
    ssize_t got = read(fd[0], out, size);
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CU_ASSERT_EQUAL_FATAL(got, (ssize_t)size);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

#endif
