/* lab_run.c - fork/execvp runner with captured output and a time limit. */
#include "lab/lab_run.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void hs_run_format_argv(const char *const argv[], char *buf, size_t size)
{
    size_t used = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; argv[i]; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? " " : "", argv[i]);
        if (n < 0 || (size_t)n >= size - used) {
            if (size > 4)
                memcpy(buf + size - 4, "...", 4);
            return;
        }
        used += (size_t)n;
    }
}

/* Last non-empty line of captured stderr, for a one-line error message. */
static void last_line(const struct hs_buf *b, char *out, size_t size)
{
    size_t end = b->len;
    while (end > 0 && (b->data[end - 1] == '\n' || b->data[end - 1] == ' '))
        end--;
    size_t start = end;
    while (start > 0 && b->data[start - 1] != '\n')
        start--;
    size_t n = end - start;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(out, b->data + start, n);
    out[n] = '\0';
}

static void child_exec(const char *const argv[], int netns_fd, int out_w, int err_w)
{
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
        _exit(126);
    if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) {
        dprintf(2, "setns(net): %s\n", strerror(errno));
        _exit(126);
    }
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    execvp(argv[0], (char *const *)argv);
    dprintf(2, "%s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int hs_run_status(const char *const argv[], int netns_fd, struct hs_buf *out, int *exit_code,
                  char *err, size_t err_size)
{
    char cmd[256];
    hs_run_format_argv(argv, cmd, sizeof cmd);
    *exit_code = -1;
    int op[2], ep[2];
    if (pipe2(op, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "`%s`: pipe: %s", cmd, strerror(errno));
        return -1;
    }
    if (pipe2(ep, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "`%s`: pipe: %s", cmd, strerror(errno));
        close(op[0]);
        close(op[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_size, "`%s`: fork: %s", cmd, strerror(errno));
        close(op[0]); close(op[1]); close(ep[0]); close(ep[1]);
        return -1;
    }
    if (pid == 0)
        child_exec(argv, netns_fd, op[1], ep[1]);
    close(op[1]);
    close(ep[1]);

    struct hs_buf eb = HS_BUF_INIT, ob = HS_BUF_INIT;
    struct pollfd pf[2] = {{.fd = op[0], .events = POLLIN}, {.fd = ep[0], .events = POLLIN}};
    uint64_t deadline = hs_now_ms() + HS_RUN_TIMEOUT_MS;
    bool timed_out = false;
    while (pf[0].fd >= 0 || pf[1].fd >= 0) {
        uint64_t now = hs_now_ms();
        if (now >= deadline) {
            timed_out = true;
            break;
        }
        int r = poll(pf, 2, (int)(deadline - now));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        for (int i = 0; i < 2; i++) {
            if (pf[i].fd < 0 || !pf[i].revents)
                continue;
            struct hs_buf *b = i == 0 ? &ob : &eb;
            uint8_t *p = hs_buf_reserve(b, 4096);
            ssize_t n = read(pf[i].fd, p, 4096);
            if (n > 0) {
                b->len += (size_t)n;
            } else if (n == 0 || errno != EINTR) {
                close(pf[i].fd);
                pf[i].fd = -1;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (pf[i].fd >= 0)
            close(pf[i].fd);
    if (timed_out)
        kill(pid, SIGKILL);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    int rc = 0;
    if (timed_out) {
        snprintf(err, err_size, "`%s` did not finish within %d s and was killed", cmd,
                 HS_RUN_TIMEOUT_MS / 1000);
        rc = -1;
    } else if (WIFEXITED(st) && WEXITSTATUS(st) == 126) {
        char line[256];
        last_line(&eb, line, sizeof line);
        snprintf(err, err_size, "`%s` could not be started: %s", cmd, line);
        rc = -1;
    } else {
        *exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (*exit_code != 0) {
            char line[256];
            last_line(&eb, line, sizeof line);
            snprintf(err, err_size, "`%s` failed (exit %d): %s", cmd, *exit_code,
                     line[0] ? line : "(no message)");
        }
    }
    if (out) {
        if (ob.len)
            hs_buf_put(out, ob.data, ob.len);
        uint8_t *z = hs_buf_reserve(out, 1);
        *z = 0;
    }
    hs_buf_free(&ob);
    hs_buf_free(&eb);
    return rc;
}

int hs_run(const char *const argv[], int netns_fd, struct hs_buf *out, char *err,
           size_t err_size)
{
    int code;
    if (hs_run_status(argv, netns_fd, out, &code, err, err_size) != 0)
        return -1;
    return code == 0 ? 0 : -1;
}
